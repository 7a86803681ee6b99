"""The trend chart and the unit pages in a real browser, over half a year of reports."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from eduplan.demo_data import unit
from eduplan.tracking.assigning import assign_task, bulk_assign
from eduplan.tracking.importing import import_parsed, read_upload
from eduplan.tracking.progress import submit_report
from tests.conftest import EXAMPLE_PLAN
from tests.world import PASSWORD

from .conftest import shoot, sign_in

TODAY = date(2025, 6, 30)
# Monthly percentages per profile: on track, slow, done in April, stalled after March.
PROFILES = ([9, 17, 26, 34, 42, 50], [3, 6, 10, 14, 18, 22], [20, 45, 70, 100], [10, 20, 25])


def half_a_year(bureau, users) -> None:
    admin = users["admin"]
    upload = SimpleUploadedFile(EXAMPLE_PLAN.name, EXAMPLE_PLAN.read_bytes())
    plan = import_parsed(read_upload(EXAMPLE_PLAN), bureau=bureau, user=admin, source_file=upload).plans[0]
    tasks = list(plan.tasks.order_by("order"))
    bulk_assign(tasks, user=admin, today=TODAY)
    for task, school in zip(tasks[6:9], ("青禾区实验小学", "青禾区第一中学", "青禾区城南幼儿园"), strict=True):
        assign_task(task, user=admin, lead_unit=unit(bureau, school), today=TODAY)
    assign_task(tasks[12], user=admin, lead_unit=unit(bureau, "基础教育科"), start_date=date(2025, 1, 1),
                deadline=date(2025, 4, 30), today=TODAY)
    for index, task in enumerate(tasks):
        assignment = task.assignments.first()
        if assignment is None or index % 5 == 4:
            continue  # never reported
        for month, percent in enumerate(PROFILES[index % len(PROFILES)], start=1):
            state = "done" if percent == 100 else "in_progress"
            submit_report(assignment, user=admin, period=f"2025-{month:02d}", percent=percent, state=state,
                          narrative=f"第{month}月进展：完成约{percent}%。")


def test_the_trend_chart_and_the_unit_pages_render(people, open_page):
    bureau, users = people
    half_a_year(bureau, users)
    page = open_page(1366, 900)
    sign_in(page, "admin", PASSWORD)

    page.goto("/trends/")
    chart = page.locator("#trend-figure svg")
    chart.wait_for()
    assert chart.bounding_box()["width"] > 400
    assert page.locator("#trend-figure svg rect[data-status]").count() >= 12  # six months, several statuses each
    assert page.locator("#trend-figure svg circle[data-series=red]").count() == 6
    assert page.locator("table.trend-table tbody tr").count() == 6
    assert "科室/直属单位" in page.locator("table.trend-units").inner_text()
    shoot(page, "trends")

    page.click("table.trend-units a:has-text('青禾区实验小学')")
    page.wait_for_selector("h1:has-text('青禾区实验小学')")
    page.click(".crumbs a:has-text('青禾第一教育集团')")  # the school's group, from its crumbs
    page.wait_for_selector("h2:has-text('所属学校')")
    assert page.locator("table.unit-schools tbody tr").count() == 3
    shoot(page, "unit-group")

    page.goto("/")
    units = page.locator("h2:has-text('各牵头单位完成情况') + .table-wrap").inner_text()
    assert units.index("科室/直属单位") < units.index("集团/学区与学校") < units.index("青禾区实验小学")
    shoot(page, "dashboard-units")
    page.click("a:has-text('基础教育科')")
    page.wait_for_selector("table.unit-tasks")
    assert "逾期" in page.locator("table.unit-tasks").inner_text()
    shoot(page, "unit-department")

    school = open_page(390, 844)  # a school's reporter on a phone sees its own page
    sign_in(school, "school_a", PASSWORD)
    school.goto("/trends/")
    school.wait_for_selector("#trend-figure svg")
    shoot(school, "trends-phone")
