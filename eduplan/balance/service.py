"""The balance assessment over the stored figures: one query reads every school's data values
of the 优质均衡 data set under a unit (a county, or a city's counties), ``assess`` computes.

Figures count where they were filed (``DataValue.unit_path``), as every indicator does: a
school that moved to another county keeps its past years with the county it was in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Max, Q

from eduplan.indicators.models import DataElement, DataValue
from eduplan.orgs.models import OrgUnit

from . import assess
from .models import CV_CODE, ProvinceStandard, TeachingPoint

DATA_SET = "balance_year"
STUDENTS = {"students_primary": "primary_students", "students_junior": "junior_students"}
# assess.Resources field → the catalogue's data element
RESOURCE_ELEMENTS = {
    "qualified_teachers": "teachers_above_qualification", "backbone_teachers": "backbone_teachers",
    "pe_arts_teachers": "pe_arts_teachers", "teaching_area": "teaching_area", "sports_area": "sports_area",
    "equipment_value": "equipment_value", "multimedia_rooms": "multimedia_rooms",
}
ELEMENT_CODES = (*STUDENTS, *RESOURCE_ELEMENTS.values())
TEACHING_POINT_SUFFIX = "教学点"
LEVELS = ("primary", "junior", "nine_year")  # the schools that report the data set


@dataclass
class CountyData:
    """A county's schools' figures per year (year → schools), and the standards it is held to."""

    county: OrgUnit
    standards: assess.Standards
    years: dict[str, list[assess.School]] = field(default_factory=dict)

    def result(self, year: str) -> assess.CountyResult:
        return assess.assess_county(self.years.get(year, []), self.standards)

    def results(self) -> dict[str, assess.CountyResult]:
        return {year: self.result(year) for year in sorted(self.years)}


def counties_under(unit: OrgUnit) -> list[OrgUnit]:
    """The county bureaus at or below ``unit`` (itself for a county)."""
    if unit.kind == OrgUnit.Kind.BUREAU:
        return [unit]
    return list(OrgUnit.objects.filter(path__startswith=unit.path, kind=OrgUnit.Kind.BUREAU).order_by("path"))


def county_of(unit: OrgUnit) -> OrgUnit | None:
    """The county bureau a unit belongs to (None above county level)."""
    bureau = unit.bureau()
    return bureau if bureau.kind == OrgUnit.Kind.BUREAU else None


def standards_for(unit: OrgUnit) -> assess.Standards:
    """The bars of the province above ``unit`` (national ones where it set none)."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    rows = ProvinceStandard.objects.filter(province_id__in=ids).values_list("stage", "indicator", "value")
    minimum = {(stage, code): value for stage, code, value in rows if code != CV_CODE}
    cv_max = {stage: value for stage, code, value in rows if code == CV_CODE}
    return assess.Standards(minimum=minimum, cv_max=cv_max)


def load(unit: OrgUnit, years: Iterable[str] | None = None) -> dict[int, CountyData]:
    """Every county at or below ``unit`` with its schools' figures (all years, or ``years``).
    A fixed number of queries whatever the number of schools: the counties, the standards, the
    element ids, the figures (read from the roll-up index alone), the schools' names and
    levels, the 教学点 marks."""
    counties = counties_under(unit)
    standards = standards_for(unit)
    found = {c.pk: CountyData(c, standards) for c in counties}
    codes = dict(DataElement.objects.filter(code__in=ELEMENT_CODES).values_list("pk", "code"))
    values = DataValue.objects.filter(element_id__in=list(codes), unit_path__startswith=unit.path)
    if years is not None:
        values = values.filter(period__in=list(years))
    # One row per school and year, the figures side by side: the database groups a province's
    # 90,000 values faster than Python, and the rows are read raw (no per-value converters).
    order = list(codes)
    grouped = values.values("period", "unit_path", "unit_id").annotate(
        **{f"e{pk}": Max("value", filter=Q(element_id=pk)) for pk in order}).order_by()
    sql, params = grouped.query.sql_with_params()
    figures: dict[tuple[int, str, int], dict[str, float]] = {}
    county_of_path: dict[str, int | None] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for period, path, unit_id, *row in cursor.fetchall():
            county_id = county_of_path.get(path, -1)
            if county_id == -1:
                county_id = county_of_path[path] = _county_on(path, found)
            if county_id is not None:
                # A school that moved within the county in the year has its figures under two
                # paths (some filed before the move, some after): one school, its figures merged.
                figures.setdefault((county_id, period, unit_id), {}).update(
                    {codes[pk]: float(v) for pk, v in zip(order, row, strict=True) if v is not None})
    about = {pk: (name, level) for pk, name, level in OrgUnit.objects.filter(
        path__startswith=unit.path, kind=OrgUnit.Kind.SCHOOL).values_list("pk", "name", "school_level")}
    points = set(TeachingPoint.objects.filter(school__path__startswith=unit.path).values_list("school_id", flat=True))
    for (county_id, period, unit_id), by_code in sorted(figures.items(), key=lambda item: item[0]):
        if unit_id not in about or not any(code in by_code for code in STUDENTS):
            continue  # resources without students (another form's 骨干教师数): not a school of this data set
        name, level = about[unit_id]
        found[county_id].years.setdefault(period, []).append(_school(unit_id, name, level, by_code, points))
    return found


def _county_on(path: str, counties: dict[int, CountyData]) -> int | None:
    for part in path.strip("/").split("/"):
        if part and int(part) in counties:
            return int(part)
    return None


def _school(unit_id: int, name: str, level: str, codes: dict[str, float], points: set[int]) -> assess.School:
    resources = assess.Resources(*(codes.get(element, 0.0) for element in RESOURCE_ELEMENTS.values()))
    return assess.School(
        unit_id, name, codes.get("students_primary", 0.0), codes.get("students_junior", 0.0), resources,
        special=level == OrgUnit.Level.SPECIAL,
        teaching_point=unit_id in points or name.endswith(TEACHING_POINT_SUFFIX))


def county_data(county: OrgUnit, years: Iterable[str] | None = None) -> CountyData:
    return load(county, years)[county.pk]


@dataclass(frozen=True)
class Roster:
    missing: list[OrgUnit]  # expected to report the year's figures and have none
    special: list[OrgUnit]  # special-education schools: never assessed, listed with the reason


def roster(county: OrgUnit, year: str, reported: Iterable[int]) -> Roster:
    done = set(reported)
    schools = OrgUnit.objects.filter(path__startswith=county.path, kind=OrgUnit.Kind.SCHOOL, active=True,
                                     school_level__in=(*LEVELS, OrgUnit.Level.SPECIAL)).order_by("path")
    opened = [s for s in schools if s.opened is None or s.opened.year <= int(year)]
    return Roster([s for s in opened if s.pk not in done and s.school_level != OrgUnit.Level.SPECIAL],
                  [s for s in opened if s.school_level == OrgUnit.Level.SPECIAL and s.pk not in done])
