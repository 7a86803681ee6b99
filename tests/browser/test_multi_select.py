"""The unit pickers: a long <select multiple> becomes a searchable list, usable with the
keyboard alone (type, ↓, Enter), and what is ticked is what the form sends."""

from __future__ import annotations

import pytest

from tests.world import PASSWORD, make_world

from .conftest import shoot, sign_in


@pytest.fixture
def live_world(transactional_db):
    return make_world()


def test_partner_units_are_picked_by_typing_and_the_keyboard(live_world, open_page):
    task = next(t for t in live_world.plan.tasks.order_by("order") if not t.assignments.exists())
    page = open_page()
    sign_in(page, "admin", PASSWORD)
    page.goto(f"/tasks/{task.pk}/")
    assert page.locator("#id_partner_units").is_hidden()  # the plain select stays, hidden, in the form
    picker = page.locator(".multi-pick")
    search = picker.locator("input.multi-pick-search")
    assert page.locator(f"label[for='{search.get_attribute('id')}']").inner_text().startswith("配合单位")
    assert "Ctrl" not in page.locator("#id_partner_units").locator("xpath=..").inner_text()

    # keyboard only: focus by the label, type to filter, Enter ticks the first match
    page.click("label:has-text('配合单位')")
    assert page.evaluate("document.activeElement.classList.contains('multi-pick-search')")
    page.keyboard.type("体卫")
    shown = picker.locator("li[role=option]:visible")
    assert shown.all_inner_texts() == ["体卫艺科"]
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # clears the filter, every unit is back
    assert picker.locator("li[role=option]:visible").count() > 6
    page.keyboard.type("滨江")
    page.keyboard.press("ArrowDown")  # the second of the matches
    active = picker.locator("li.active").inner_text()
    page.keyboard.press("Enter")
    assert picker.locator(".multi-pick-chosen button").all_inner_texts() == ["体卫艺科 ×", f"{active} ×"]
    assert picker.locator(".multi-pick-status").inner_text() == "已选 2 项"
    selected = page.eval_on_selector("#id_partner_units",
                                     "s => Array.from(s.selectedOptions).map(o => o.textContent)")
    assert sorted(selected) == sorted(["体卫艺科", active])  # in the select's own order
    shoot(page, "multi-select")

    # a chosen unit's button removes it; a mouse click ticks as Enter does
    picker.locator(".multi-pick-chosen button", has_text="体卫艺科").click()
    assert picker.locator(".multi-pick-chosen button").all_inner_texts() == [f"{active} ×"]
    page.select_option("#id_lead_unit", label="基础教育科")
    page.click("button:has-text('保存分派')")
    page.wait_for_url(f"**/tasks/{task.pk}/**")
    assignment = task.assignments.get()
    assert [u.name for u in assignment.partner_units.all()] == [active]
