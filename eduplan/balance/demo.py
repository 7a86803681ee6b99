"""Demo figures for the balance assessment: three years of the 优质均衡 data set for every
school of a county, submitted as the schools would (``collecting.submit``), with the weakest
school catching up year by year so the county page shows a path to 达标."""

from __future__ import annotations

from collections.abc import Sequence

from eduplan.orgs.models import OrgUnit

DEMO_YEARS = (2023, 2024, 2025)


def demo_figures(level: str, index: int, step: int) -> dict[str, float]:
    """One school's figures: ``index`` its place in the county, ``step`` the year (0, 1, 2).
    Every other school starts short of several standards and closes the gap each year."""
    primary = {"primary": 820 + 90 * index, "junior": 0, "nine_year": 540}.get(level, 0)
    junior = {"junior": 960 + 60 * index, "nine_year": 380}.get(level, 0)
    students = primary + junior
    lagging = index % 2 == 1
    catch_up = (0.72, 0.86, 1.02)[step] if lagging else 1.0 + 0.04 * step
    per_student = 1.05 * catch_up
    return {
        "students_primary": primary, "students_junior": junior,
        "teachers_above_qualification": round(students * 0.058 * per_student),
        "backbone_teachers": round(students * 0.0125 * catch_up),
        "pe_arts_teachers": round(students * 0.0115 * per_student),
        "teaching_area": round(students * 6.1 * per_student, 1),
        "sports_area": round(students * 10.6 * catch_up, 1),
        "equipment_value": round(students * 2650 * per_student),
        "multimedia_rooms": round(students * 0.026 * per_student),
    }


def add_demo_figures(county: OrgUnit, user, years: Sequence[int] = DEMO_YEARS) -> int:
    """Submit the demo figures of every school of ``county`` expected to report the data set;
    returns how many forms were submitted."""
    from eduplan.indicators.collecting import expected_units, submit
    from eduplan.indicators.models import DataSet

    data_set = DataSet.objects.get(code="balance_year")
    count = 0
    for step, year in enumerate(years):
        for index, school in enumerate(expected_units(data_set, county, str(year))):
            submit(data_set, school, str(year), demo_figures(school.school_level, index, step), user=user,
                   source="form")
            count += 1
    return count
