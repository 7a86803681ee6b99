"""School data to plan targets, in a real browser, with a city above the district:
the bureau admin binds the plan's 体质健康测试合格率 target to its indicator; a school's
reporter submits its health form (first refused for a missing figure, the draft kept, then
complete); the district's and the city's indicator pages show the figure and the target's
verdict changes from "no actual" to 未达成 (372/400 = 93.0% against ≥96%)."""

from __future__ import annotations

import re

from eduplan.indicators.models import DataValue, Indicator, Submission
from eduplan.orgs.models import Membership, OrgUnit
from eduplan.orgs.services import create_user
from eduplan.tracking.models import Target
from tests.conftest import EXAMPLE_PLAN
from tests.world import PASSWORD

from .conftest import shoot, sign_in

SCHOOL = "青禾区实验小学"
FORM_NAME = "学生体质健康与视力（学期）"
INDICATOR_NAME = "学生体质健康测试合格率"
# The school's figures for 2025S1; 372 of 400 passed: 93.0%, short of the plan's ≥96%.
FIGURES = {"fitness_tested": "400", "fitness_passed": "372", "fitness_good": "208",
           "vision_screened": "400", "myopic": "212"}


def import_plan(bureau, admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from eduplan.tracking.importing import import_parsed, read_upload

    upload = SimpleUploadedFile(EXAMPLE_PLAN.name, EXAMPLE_PLAN.read_bytes())
    return import_parsed(read_upload(EXAMPLE_PLAN), bureau=bureau, user=admin, source_file=upload).plans[0]


def fits_the_screen(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} is {overflow}px wider than the screen"


def target_line(page, target: Target) -> str:
    """The bound target's line on an indicator page (metric, goal, actual, verdict)."""
    return page.locator("section:has(h2:text-is('绑定的计划目标')) li", has_text=target.metric).inner_text()


def series_row(page, period_label: str) -> str:
    return page.locator("section:has(h2:has-text('各期数据')) tr", has_text=period_label).inner_text()


def test_school_figures_reach_the_district_and_the_city_and_the_bound_target(people, open_page):
    bureau, users = people
    # The city above the district, before any figure is entered (a figure stays with the
    # place its unit had in the tree when it was entered).
    city = OrgUnit.objects.create(name="澜江市教育局", kind=OrgUnit.Kind.CITY)
    bureau.parent = city
    bureau.save()
    create_user("city_leader", PASSWORD, role=Membership.Role.VIEWER, unit=city)
    plan = import_plan(bureau, users["admin"])
    target = Target.objects.get(task__plan=plan, metric__contains="体质健康", metric__endswith="合格率")
    pass_rate = Indicator.objects.get(code="fitness_pass_rate")
    school = bureau.subtree().get(name=SCHOOL)
    assert target.indicator_id is None

    # The bureau admin binds the target to 学生体质健康测试合格率 (suggested, then confirmed).
    admin = open_page()
    sign_in(admin, "admin", PASSWORD)
    admin.goto("/indicators/bindings/")
    row = admin.locator(f"#target-{target.pk}")
    assert "建议" in row.inner_text()
    row.locator("select[name=indicator]").select_option(label=INDICATOR_NAME)
    row.locator("button[type=submit]").click()
    admin.wait_for_selector(f"text=已将“{target.metric}”绑定到指标“{INDICATOR_NAME}”")
    assert "暂无实际值" in admin.content()
    assert "已绑定" in admin.locator(f"#target-{target.pk}").inner_text()
    target.refresh_from_db()
    assert target.indicator == pass_rate

    # No figures yet: the district page shows the target without an actual, undecided.
    admin.goto("/indicators/fitness_pass_rate/")
    before = target_line(admin, target)
    assert "实际 —" in before and "无法判断" in before
    assert admin.locator("section:has(h2:has-text('各期数据'))").count() == 0
    shoot(admin, "school-data-district-before")

    # The school's reporter opens the term's health form from 数据填报.
    reporter = open_page()
    sign_in(reporter, "school_a", PASSWORD)
    reporter.goto("/data/")
    reporter.locator("tr", has_text=FORM_NAME).filter(has_text="2025年春季学期").locator("a:has-text('填报')").click()
    reporter.wait_for_url(re.compile(rf"/data/health_semester/{school.pk}/2025S1/$"))

    # Submitted with 合格人数 missing: refused, the problem next to that field, what was typed kept.
    for code, value in FIGURES.items():
        if code != "fitness_passed":
            reporter.fill(f"#id_{code}", value)
    reporter.click("button[name=action][value=submit]")
    reporter.wait_for_selector("#problem_fitness_passed")
    field = reporter.locator(".form-row.has-error")
    assert field.count() == 1
    assert "体质健康测试合格人数" in field.inner_text() and "E705" in field.inner_text()
    assert reporter.get_attribute("#id_fitness_passed", "aria-invalid") == "true"
    assert reporter.input_value("#id_fitness_tested") == "400"
    fits_the_screen(reporter)
    shoot(reporter, "school-data-form-error")
    submission = Submission.objects.get(unit=school, data_set__code="health_semester", period="2025S1")
    assert submission.state == Submission.State.DRAFT
    assert submission.draft["fitness_tested"] == "400" and submission.draft["fitness_passed"] == ""
    assert not DataValue.objects.filter(unit=school).exists()
    # The draft survives a fresh visit.
    reporter.reload()
    assert reporter.input_value("#id_myopic") == "212"

    # Completed and submitted: the form is locked and waits for review.
    reporter.fill("#id_fitness_passed", FIGURES["fitness_passed"])
    reporter.click("button[name=action][value=submit]")
    reporter.wait_for_selector("text=等待审核")
    assert reporter.locator("button[name=action][value=submit]").count() == 0
    submission.refresh_from_db()
    assert submission.state == Submission.State.SUBMITTED
    assert DataValue.objects.filter(unit=school, period="2025S1").count() == 5

    # The district page: 372/400 = 93.0%, the school's row below, the target now 未达成.
    admin.goto("/indicators/fitness_pass_rate/")
    assert "<b>93.0%</b>" in admin.locator("section:has(h2:has-text('各期数据'))").inner_html()
    series = series_row(admin, "2025年春季学期")
    assert "372" in series and "400" in series
    group = admin.locator("section:has(h2:has-text('下级单位')) tr", has_text="青禾第一教育集团").inner_text()
    assert "93.0%" in group
    after = target_line(admin, target)
    assert "实际 93.0%" in after and "未达成" in after and "≥96%" in after
    assert admin.locator("figure.card svg").count() == 1
    fits_the_screen(admin)
    shoot(admin, "school-data-district")

    # The city's viewer sees the same figure at the city, the district as its row, and the target.
    viewer = open_page()
    sign_in(viewer, "city_leader", PASSWORD)
    viewer.goto(f"/indicators/fitness_pass_rate/?unit={city.pk}")
    assert "澜江市教育局" in viewer.locator("h1").inner_text()
    series = series_row(viewer, "2025年春季学期")
    assert "93.0%" in series and "372" in series and "400" in series
    district = viewer.locator("section:has(h2:has-text('下级单位')) tr", has_text=bureau.name).inner_text()
    assert "93.0%" in district
    city_target = target_line(viewer, target)
    assert "实际 93.0%" in city_target and "未达成" in city_target
    assert viewer.locator("figure.card svg").count() == 1
    fits_the_screen(viewer)
    shoot(viewer, "school-data-city")
