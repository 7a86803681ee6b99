"""From a school's data entry to the county's 差异系数, in a real browser: 滨江小学's reporter
fills in its 优质均衡 form (8 骨干教师 for 800 students, where the other schools' figures leave
it short), the county bureau's page shows the 骨干教师 CV fall and the school at standard.
Screenshots of the school's, the county's and the city's pages land in build/screenshots/."""

from __future__ import annotations

import re

import pytest

from eduplan.orgs.models import OrgUnit
from tests.browser.conftest import shoot, sign_in

from .conftest import FIGURES, PASSWORD, make_county, submit_figures

pytestmark = pytest.mark.browser
SCHOOL = "青禾区滨江小学"
ENTERED = dict(zip(("students_primary", "students_junior", "teachers_above_qualification", "backbone_teachers",
                    "pe_arts_teachers", "teaching_area", "sports_area", "equipment_value", "multimedia_rooms"),
                   ("800", "0", "36", "8", "8", "3700", "6200", "1700000", "19"), strict=True))


def backbone_cv(page) -> float:
    row = page.locator("section[aria-labelledby='stage-primary'] table.cv-table tr[data-code='backbone_teachers']")
    return float(re.findall(r"\d+\.\d{3}", row.inner_text())[0])


def test_a_school_enters_its_figures_and_the_county_cv_changes(transactional_db, open_page):  # noqa: F811
    county = make_county()
    submit_figures(county, "2024", {n: (*v[:2], *(round(x * 0.9) for x in v[2:])) for n, v in FIGURES.items()})
    submit_figures(county, "2025", {n: v for n, v in FIGURES.items() if n != SCHOOL})
    binjiang = OrgUnit.objects.get(name=SCHOOL)

    office = open_page(1366, 900)
    sign_in(office, "county", PASSWORD)
    office.goto("/balance/?year=2025")
    assert "县域义务教育优质均衡" in office.locator("h1").inner_text()
    assert f"{SCHOOL}：2025年尚未填报" in office.content()
    before = backbone_cv(office)

    school = open_page(1366, 900)
    sign_in(school, "school_b", PASSWORD)
    school.goto(f"/data/balance_year/{binjiang.pk}/2025/")
    for code, value in ENTERED.items():
        school.fill(f"#id_{code}", value)
    shoot(school, "balance-data-form")
    school.click("button[value=submit]")
    assert "已提交" in school.locator(".messages").inner_text()
    school.goto("/balance/?year=2025")
    assert "8/7" not in school.content() and "青禾区实验小学" not in school.locator("main").inner_text()
    shoot(school, "balance-school")

    office.goto("/balance/?year=2025")
    after = backbone_cv(office)
    assert after != before and after < 0.5
    row = office.locator("section[aria-labelledby='stage-primary'] table.school-table tr", has_text=SCHOOL)
    assert "达标" in row.inner_text()
    shoot(office, "balance-county")
    office.screenshot(path=str(shoot(office, "balance-county").with_name("balance-county-top.png")))
    office.locator("section[aria-labelledby='stage-primary'] figure").screenshot(
        path=str(shoot(office, "balance-county").with_name("balance-county-chart.png")))

    office.select_option("#wi_school", label="青禾区实验小学")
    office.select_option("#wi_code", value="sports_area")
    office.fill("#wi_amount", "500")
    office.click("#what-if button[type=submit]")
    assert "测算后" in office.locator("#what-if").inner_text()
    office.locator("#what-if").screenshot(path=str(shoot(office, "balance-county").with_name(
        "balance-county-whatif.png")))

    city = open_page(1366, 700)
    sign_in(city, "city", PASSWORD)
    city.goto("/balance/?year=2025")
    assert "澜江市东湖县教育局" in city.locator("table.area-table").inner_text()
    shoot(city, "balance-city")
