"""The admin imports a plan the parser misread, fixes three faults on the review page and saves:
the plan holds the corrected tasks and targets, and the audit log says who fixed what."""

from __future__ import annotations

import re

from eduplan.audit.models import AuditEntry
from eduplan.tracking.models import Correction, Plan, Target
from tests.tracking.test_corrections import FAULTY
from tests.world import PASSWORD

from .conftest import shoot, sign_in


def heading_box(page, where: str):
    """The folded correction controls of the heading that begins with ``where``, opened."""
    box = page.locator(f"details#h-{FAULTY.index(where)}")
    box.locator("summary").click()
    return box


def test_fix_three_faults_on_the_review_page_then_save(people, open_page, tmp_path):
    source = tmp_path / "云岭区2026年教育工作要点.txt"
    source.write_text(FAULTY, encoding="utf-8")
    page = open_page()
    sign_in(page, "admin", PASSWORD)
    page.goto("/plans/import/")
    page.set_input_files("input[name=file]", str(source))
    page.click("button:has-text('上传并识别')")
    page.wait_for_selector("button:has-text('确认导入')")
    assert "5 项任务" in page.content()

    # 1. The paragraph of general requirements is no task.
    heading_box(page, "一、以新时代").locator("button:has-text('不是任务')").click()
    page.wait_for_selector("text=已做的更正（1 处）")
    # 2. "三个突破" is a set phrase, not a target.
    box = heading_box(page, "三、提升")
    box.locator("form", has_text="三个突破").locator("button:has-text('不是目标，删除')").click()
    page.wait_for_selector("text=已做的更正（2 处）")
    # 3. The cut-off line gets its real title.
    box = heading_box(page, "四、深化")
    box.locator("input[name=title]").fill("深化教育评价改革")
    box.locator("button:has-text('改标题')").click()
    page.wait_for_selector("text=已做的更正（3 处）")
    assert "4 项任务" in page.content()
    heading_box(page, "五、加强")  # one box open, to be seen in the screenshot
    shoot(page, "import-review-corrections")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the controls wrap, nothing spills
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "import-review-corrections-narrow")
    page.set_viewport_size({"width": 1366, "height": 768})

    page.locator("button:has-text('确认导入')").first.click()
    page.wait_for_url(re.compile(r"/plans/\d+/(#.*)?$"))  # the review page's anchor may stay on
    plan = Plan.objects.get()
    assert list(plan.tasks.order_by("order").values_list("title", flat=True)) == [
        "推进学前教育普惠发展", "提升义务教育办学质量", "深化教育评价改革", "加强教师队伍建设"]
    assert "突破" not in Target.objects.filter(task__plan=plan).values_list("metric", flat=True)
    assert Correction.objects.filter(plan=plan, author__username="admin").count() == 3
    records = page.locator("table.corrections").inner_text()
    for text in ("不是任务", "删除量化目标", "修改标题", "深化教育评价改革", "admin"):
        assert text in records
    shoot(page, "plan-detail-corrections")

    # The audit log (系统管理) lists each fix with its author.
    page.goto("/admin/audit/auditentry/?action=plan.correct")
    log = page.locator("#result_list").inner_text()
    assert log.count("plan.correct") == 3 and "admin" in log
    assert AuditEntry.objects.filter(action="plan.correct", user__username="admin").count() == 3
