"""The product's loop as people walk it, in a real browser:
the admin imports the plan and assigns a task; the department's reporter reports progress
with a file; the dashboard's warning changes; another school's reporter is refused."""

from __future__ import annotations

import re

from eduplan.tracking.models import Evidence, Plan, ProgressReport, Task
from tests.conftest import EXAMPLE_PLAN
from tests.world import PASSWORD

from .conftest import shoot, sign_in

TASK_TITLE = "扩大优质普惠学前教育资源供给"
PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n"


def warnings_table(page) -> str:
    return page.locator("h2:has-text('预警任务') + *").inner_text()


def test_import_assign_report_and_watch_the_warning_change(people, open_page):
    bureau, _users = people

    # The bureau office imports the plan: upload, review the parsed structure, confirm.
    admin = open_page()
    sign_in(admin, "admin", PASSWORD)
    admin.goto("/plans/import/")
    admin.set_input_files("input[name=file]", str(EXAMPLE_PLAN))
    admin.click("button:has-text('上传并识别')")
    admin.wait_for_selector("button:has-text('确认导入')")  # the review page, after the upload
    assert "澜江市青禾区2025年教育工作要点" in admin.content()
    shoot(admin, "import-review")
    admin.locator("button:has-text('确认导入')").first.click()
    admin.wait_for_url(re.compile(r"/plans/\d+/$"))
    plan = Plan.objects.get()
    assert plan.tasks.count() == 28
    # Every target is highlighted in the source and has an anchor for the task page's links.
    assert admin.locator("mark.target").count() >= 30
    assert admin.locator("[id^=target-]").count() == 36
    shoot(admin, "plan-detail")

    # ... and assigns one task to 基础教育科.
    task = Task.objects.get(plan=plan, title=TASK_TITLE)
    admin.goto(f"/tasks/{task.pk}/")
    admin.select_option("#id_lead_unit", label="基础教育科")
    admin.click("button:has-text('保存分派')")
    admin.wait_for_selector("text=基础教育科")
    assert task.assignments.get().lead_unit.name == "基础教育科"

    # Not started at mid-year: the dashboard shows it among the red warnings.
    admin.goto("/")
    assert TASK_TITLE in warnings_table(admin)
    shoot(admin, "dashboard-before")

    # The department's reporter finds it under 我的任务 and reports progress with a file.
    reporter = open_page()
    sign_in(reporter, "jijiao_tb", PASSWORD)
    reporter.goto("/my/")
    reporter.click(f"tr:has-text('{TASK_TITLE}') a:visible:has-text('填报进展')")
    reporter.fill("#id_percent", "60")
    reporter.fill("#id_narrative", "新建幼儿园两所已开工，普惠性民办园认定完成。")
    reporter.set_input_files("input[name=files]", files=[
        {"name": "开工照片说明.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    shoot(reporter, "report-form")
    reporter.click("button[type=submit]:has-text('提交')")
    reporter.wait_for_url(re.compile(rf"/tasks/{task.pk}/$"))
    assert "新建幼儿园两所已开工" in reporter.content()
    report = ProgressReport.objects.get()
    assert (report.percent, report.created_by.username) == (60, "jijiao_tb")
    assert Evidence.objects.get().original_name == "开工照片说明.pdf"
    shoot(reporter, "task-detail")

    # 60% against 49% elapsed: the warning is gone from the admin's dashboard.
    admin.goto("/")
    assert TASK_TITLE not in warnings_table(admin)
    shoot(admin, "dashboard-after")

    # Another school's reporter cannot open the task or its report form.
    stranger = open_page()
    sign_in(stranger, "school_b", PASSWORD)
    response = stranger.goto(f"/tasks/{task.pk}/")
    assert response.status == 404
    response = stranger.goto(f"/assignments/{task.assignments.get().pk}/report/")
    assert response.status == 404
    stranger.goto("/tasks/")
    assert TASK_TITLE not in stranger.content()


def test_main_pages_on_a_phone_and_a_laptop(people, open_page):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from eduplan.tracking.assigning import bulk_assign
    from eduplan.tracking.importing import import_parsed, read_upload

    bureau, users = people
    plan = import_parsed(read_upload(EXAMPLE_PLAN), bureau=bureau, user=users["admin"],
                         source_file=SimpleUploadedFile(EXAMPLE_PLAN.name, EXAMPLE_PLAN.read_bytes())).plans[0]
    bulk_assign(list(plan.tasks.all()), user=users["admin"])
    for width, height, tag in ((1366, 768, "laptop"), (390, 844, "phone")):
        page = open_page(width, height)
        sign_in(page, "admin", PASSWORD)
        for path, name in (("/", "dashboard"), ("/tasks/", "task-list"), (f"/plans/{plan.pk}/assign/", "plan-assign")):
            page.goto(path)
            shoot(page, f"{name}-{tag}")
            # Nothing wider than the screen except inside scrollable tables.
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path} is {overflow}px wider than a {width}px screen"
