"""The balance tests' world: the demo county (青禾区) under a city and a province, a second
county beside it, each school's 优质均衡 figures submitted as the schools would, and personas.

Personas (username → role, unit):
  county     admin    澜江市青禾区教育局
  leader     viewer   澜江市青禾区教育局
  school_a   reporter 青禾区实验小学
  school_b   reporter 青禾区滨江小学
  city       viewer   澜江市教育局
  other      admin    澜江市东湖县教育局
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from eduplan.demo_data import build_org_tree
from eduplan.indicators.collecting import submit
from eduplan.indicators.models import DataSet
from eduplan.orgs.models import Membership, OrgUnit
from eduplan.orgs.services import add_unit, create_bureau, create_user

PASSWORD = "Balance-test-2025"

# school → figures of 2025 (students_primary, students_junior, then the seven resources)
FIGURES = {
    "青禾区实验小学": (1000, 0, 50, 12, 10, 5000, 8000, 2_200_000, 25),
    "青禾区滨江小学": (800, 0, 30, 6, 6, 3200, 5000, 1_500_000, 16),
    "青禾区第一中学": (1200, 0, 70, 14, 12, 7200, 13000, 3_200_000, 30),
    "青禾区育才学校": (600, 300, 50, 10, 9, 4800, 8000, 2_100_000, 22),
}
FIGURES["青禾区第一中学"] = (0, 1200, 70, 14, 12, 7200, 13000, 3_200_000, 30)
CODES = ("students_primary", "students_junior", "teachers_above_qualification", "backbone_teachers",
         "pe_arts_teachers", "teaching_area", "sports_area", "equipment_value", "multimedia_rooms")


def typed(figures: tuple) -> dict[str, str]:
    return {code: str(value) for code, value in zip(CODES, figures, strict=True)}


@dataclass
class County:
    province: OrgUnit
    city: OrgUnit
    bureau: OrgUnit
    other: OrgUnit
    users: dict

    def unit(self, name: str) -> OrgUnit:
        return OrgUnit.objects.get(name=name)


def make_county() -> County:
    province = OrgUnit.objects.create(name="澜江省教育厅", kind=OrgUnit.Kind.PROVINCE)
    city = OrgUnit.objects.create(name="澜江市教育局", kind=OrgUnit.Kind.CITY, parent=province)
    bureau = build_org_tree()
    bureau.parent = city
    bureau.save()
    other = create_bureau("澜江市东湖县教育局", departments=())
    other.parent = city
    other.save()
    add_unit("东湖县中心小学", parent=other, kind=OrgUnit.Kind.SCHOOL, school_level="primary", ownership="public")
    people = {"county": (Membership.Role.ADMIN, bureau), "leader": (Membership.Role.VIEWER, bureau),
              "school_a": (Membership.Role.REPORTER, OrgUnit.objects.get(name="青禾区实验小学")),
              "school_b": (Membership.Role.REPORTER, OrgUnit.objects.get(name="青禾区滨江小学")),
              "city": (Membership.Role.VIEWER, city), "other": (Membership.Role.ADMIN, other)}
    users = {name: create_user(name, PASSWORD, role=role, unit=unit) for name, (role, unit) in people.items()}
    return County(province, city, bureau, other, users)


def submit_figures(county: County, period: str = "2025", figures: dict | None = None) -> None:
    data_set = DataSet.objects.get(code="balance_year")
    for name, values in (figures or FIGURES).items():
        submit(data_set, county.unit(name), period, typed(values), user=county.users["county"])


@pytest.fixture
def county(db) -> County:
    made = make_county()
    submit_figures(made)
    submit_figures(made, "2024", {name: (*v[:2], *(round(x * 0.9) for x in v[2:])) for name, v in FIGURES.items()})
    submit_figures(made, "2025", {"东湖县中心小学": (500, 0, 25, 5, 5, 2500, 4000, 1_000_000, 12)})
    return made


@pytest.fixture
def signed_in(client, county):
    def sign_in(name: str):
        client.force_login(county.users[name])
        return client

    return sign_in
