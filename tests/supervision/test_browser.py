"""In a real browser: the bureau records a finding with a photo, the school rectifies it with
evidence, the bureau signs it off, and the school's appraisal score changes."""

from __future__ import annotations

import re
from datetime import date

import pytest

from eduplan.supervision.demo import demo_png
from eduplan.supervision.models import Finding, Rectification
from eduplan.supervision.services import RoundInput, create_round
from tests.browser.conftest import shoot, sign_in
from tests.world import PASSWORD

pytestmark = pytest.mark.browser


def score(page, unit_id: int) -> str:
    page.goto(f"/supervision/appraisal/{unit_id}/?year=2025")
    return page.locator("#score-total").inner_text()


def test_from_a_finding_to_its_closed_rectification_and_the_changed_score(people, open_page):
    bureau, users = people
    school = bureau.subtree().get(name="青禾区实验小学")
    round_ = create_round(RoundInput(
        title="2025年春季平安校园专项督导", kind="inspection", start_date=date(2025, 6, 2), end_date=date(2025, 6, 6),
        standard="safe_campus", schools=[school, bureau.subtree().get(name="青禾区滨江小学")]),
        user=users["admin"], bureau=bureau)

    # The bureau's supervision staff record what they found, with a photo.
    admin = open_page()
    sign_in(admin, "admin", PASSWORD)
    admin.goto(f"/supervision/rounds/{round_.pk}/")
    admin.select_option("#id_school", label="青禾区实验小学")
    admin.select_option("#id_item", index=5)
    admin.select_option("#id_severity", label="较重")
    admin.fill("#id_description", "一楼东侧消防通道堆放体育器材，疏散不畅")
    admin.fill("#id_found_on", "2025-06-03")
    admin.fill("#id_deadline", "2025-06-20")
    admin.set_input_files("input[name=photos]", files=[
        {"name": "现场照片.png", "mimeType": "image/png", "buffer": demo_png()}])
    admin.click("button:has-text('保存并交办')")
    admin.wait_for_selector("text=已记录青禾区实验小学的问题并交办整改")
    assert "催办（逾期 10 天）" in admin.locator("table").inner_text()
    shoot(admin, "supervision-round")
    finding = Finding.objects.get()

    # Ten days overdue and not closed: two points off the school's score.
    assert score(admin, school.pk) == "98"
    shoot(admin, "supervision-appraisal-before")

    # The school sees the new message in the top bar and reports the rectification done.
    reporter = open_page()
    sign_in(reporter, "school_a", PASSWORD)
    reporter.goto("/supervision/")
    assert reporter.locator(".inbox-link .unread").inner_text() == "1"
    shoot(reporter, "supervision-home-school")
    reporter.click(".inbox-link")
    shoot(reporter, "supervision-inbox")
    reporter.click("a:has-text('交办：')")
    reporter.wait_for_url(re.compile(rf"/supervision/findings/{finding.pk}/$"))
    reporter.fill("#id_narrative", "已将体育器材移入器材室，通道清空并张贴禁放标识。")
    reporter.check("#id_done")
    reporter.set_input_files("input[name=files]", files=[
        {"name": "整改后照片.png", "mimeType": "image/png", "buffer": demo_png((90, 160, 90))}])
    shoot(reporter, "supervision-rectify-form")
    reporter.click("form.report-form button[type=submit]")
    reporter.wait_for_selector("text=已提交整改销号申请，等待审核")
    assert Rectification.objects.get().state == "submitted"

    # Another school cannot open it.
    other = open_page()
    sign_in(other, "school_b", PASSWORD)
    assert other.goto(f"/supervision/findings/{finding.pk}/").status == 404

    # The bureau signs it off; the deduction is gone.
    admin.goto(f"/supervision/findings/{finding.pk}/")
    admin.check("input[name=decision][value=approve]")
    admin.fill("#id_note", "现场复核通道已畅通。")
    admin.click("button:has-text('提交审核')")
    admin.wait_for_selector("text=已审核通过，问题已销号")
    assert admin.locator(".verdict .rect-closed").first.is_visible()
    shoot(admin, "supervision-finding-closed")
    assert score(admin, school.pk) == "100"
    shoot(admin, "supervision-appraisal-after")


def test_the_pages_with_the_demo_round(people, open_page):
    """Every escalation colour on the lists, for people to look at (build/screenshots/)."""
    from eduplan.demo_data import stamped_on
    from eduplan.supervision.demo import add_supervision_demo

    bureau, users = people
    with stamped_on(date(2025, 6, 30)):
        add_supervision_demo(bureau, users["admin"], date(2025, 6, 30))
    admin = open_page()
    sign_in(admin, "admin", PASSWORD)
    admin.goto("/supervision/findings/")
    steps = admin.locator("td .badge[class*=step-]").all_inner_texts()
    assert {text[:2] for text in steps} == {"交办", "催办", "督办"}
    shoot(admin, "supervision-findings")
    admin.goto("/supervision/appraisal/?year=2025")
    assert "考核人调整 +1 分：承办全区食品安全现场观摩会" in admin.content()
    shoot(admin, "supervision-appraisal-list")
    admin.goto("/supervision/rounds/new/")
    shoot(admin, "supervision-round-form")
    admin.goto("/supervision/inbox/")
    shoot(admin, "supervision-inbox-admin")
