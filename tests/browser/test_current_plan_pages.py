"""The dashboard and the 通报 page open on the current plan even when an old plan was
imported after it; screenshots of both go to build/screenshots/."""

from __future__ import annotations

import pytest

from eduplan.plan import parse_text
from eduplan.tracking.importing import import_parsed
from tests.world import PASSWORD, make_world

from .conftest import shoot, sign_in

OLD_PLAN = "澜江市青禾区2018年教育工作要点\n\n一、加强党的建设\n\n1. 深化理论学习。\n\n2. 加强基层组织建设。\n"


@pytest.fixture
def live_world(transactional_db):
    world = make_world()
    import_parsed(parse_text(OLD_PLAN, source="2018.txt"), bureau=world.bureau, user=world.users["admin"])
    return world


def test_the_dashboard_and_the_bulletin_open_on_the_current_plan(live_world, open_page):
    page = open_page()
    sign_in(page, "admin", PASSWORD)
    page.goto("/")
    assert page.locator("#id_plan option:checked").inner_text() == live_world.plan.title
    assert page.locator("h1").inner_text().endswith(live_world.plan.title)
    assert page.locator(".stat-overdue b").inner_text() == "0"  # the 2018 plan's tasks are not counted
    shoot(page, "dashboard-current-plan")
    page.select_option("#id_plan", label="全部计划")
    page.click("button:has-text('查看')")
    page.wait_for_url("**/?plan=all")
    assert page.locator(".stat-overdue b").inner_text() == "2"
    page.goto("/bulletin/")
    assert page.locator("#id_plan option:checked").inner_text() == live_world.plan.title
    shoot(page, "bulletin-current-plan")
