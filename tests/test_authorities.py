"""Authorities above district bureaus: a city owns districts and reads everything below them;
each district keeps its own plans, units and change counter; figures are keyed by unit id."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from eduplan.demo_data import EXAMPLE_PLAN
from eduplan.errors import EduplanError
from eduplan.orgs.access import scope_for
from eduplan.orgs.models import Membership, OrgUnit
from eduplan.orgs.services import create_user
from eduplan.tracking.access import visible_plans, visible_tasks
from eduplan.tracking.assigning import assign_task, assignable_units
from eduplan.tracking.importing import import_parsed, read_upload
from eduplan.tracking.setup import setup_bureau
from tests.world import PASSWORD, TODAY


def fresh(user):
    """The user as a new request loads them (a user object remembers its scope once read)."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def city(world):
    """The test world's district under a city, with a second district that has a school of
    the same name and its own plan."""
    city = OrgUnit.objects.create(name="澜江市教育局", kind=OrgUnit.Kind.CITY)
    world.bureau.parent = city
    world.bureau.save()
    other = setup_bureau("澜江市溪南区教育局")
    other.parent = city
    other.save()
    namesake = OrgUnit.objects.create(name="青禾区实验小学", kind=OrgUnit.Kind.SCHOOL, parent=other,
                                      school_level="primary")
    other_admin = create_user("xinan_admin", PASSWORD, role=Membership.Role.ADMIN, unit=other)
    parsed = read_upload(EXAMPLE_PLAN)
    upload = SimpleUploadedFile(EXAMPLE_PLAN.name, EXAMPLE_PLAN.read_bytes())
    other_plan = import_parsed(parsed, bureau=other, user=other_admin, source_file=upload).plans[0]
    viewer = create_user("city_leader", PASSWORD, role=Membership.Role.VIEWER, unit=city)
    return {"city": city, "other": other, "namesake": namesake, "other_plan": other_plan, "viewer": viewer,
            "other_admin": other_admin}


def test_moving_a_district_under_a_city_keeps_every_unit_with_its_district(world, city):
    school = world.unit("青禾区实验小学")
    assert school.path.startswith(city["city"].path + f"{world.bureau.pk}/")
    assert school.owning_bureau_id == world.bureau.pk
    assert city["namesake"].owning_bureau_id == city["other"].pk
    assert city["city"].owning_bureau_id == city["city"].pk
    assert school.bureau() == world.bureau


# fmt: off
# (who, whose plan, sees it)
SEES = [
    ("city_leader", "world", True),  ("city_leader", "other", True),
    ("admin",       "world", True),  ("admin",       "other", False),
    ("xinan_admin", "other", True),  ("xinan_admin", "world", False),
    ("school_a",    "other", False),
]
# fmt: on


@pytest.mark.parametrize(("who", "plan", "sees"), SEES)
def test_a_city_reads_every_district_below_and_districts_only_their_own(world, city, who, plan, sees):
    user = fresh(world.users.get(who) or {"city_leader": city["viewer"], "xinan_admin": city["other_admin"]}[who])
    the_plan = world.plan if plan == "world" else city["other_plan"]
    scope = scope_for(user)
    assert visible_plans(scope).filter(pk=the_plan.pk).exists() is sees
    assert visible_tasks(scope).filter(plan=the_plan).exists() is sees


def test_a_city_scope_counts_changes_of_every_district_below(world, city):
    assert set(scope_for(city["viewer"]).bureau_ids) == {city["city"].pk, world.bureau.pk, city["other"].pk}
    assert scope_for(fresh(world.users["admin"])).bureau_ids == (world.bureau.pk,)


def test_work_stays_with_the_plans_own_bureau(world, city):
    units = assignable_units(world.bureau)
    assert world.unit("青禾区实验小学") in units
    assert city["namesake"] not in units and city["other"] not in units
    with pytest.raises(EduplanError) as caught:
        assign_task(world.task_b, user=fresh(world.users["admin"]), lead_unit=city["namesake"], today=TODAY)
    assert caught.value.code == "E405"


# fmt: off
# (kind, parent kind or None, allowed)
PLACEMENT = [
    ("province", None, True), ("city", None, True), ("bureau", None, True), ("school", None, False),
    ("city", "province", True), ("bureau", "city", True), ("bureau", "province", True),
    ("city", "bureau", False), ("bureau", "bureau", False), ("bureau", "school", False),
    ("province", "province", False), ("school", "city", True), ("department", "city", True),
]
# fmt: on


@pytest.mark.parametrize(("kind", "parent_kind", "allowed"), PLACEMENT)
def test_which_unit_may_stand_under_which(db, kind, parent_kind, allowed):
    parent = OrgUnit.objects.create(name="上级", kind=parent_kind) if parent_kind else None
    unit = OrgUnit(name="本级", kind=kind, parent=parent, school_level="primary" if kind == "school" else "")
    if allowed:
        unit.full_clean()
    else:
        with pytest.raises(ValidationError):
            unit.full_clean()


def test_a_city_opens_on_its_own_plan_else_on_all_plans(world, city):
    from eduplan.tracking.current import current_plan
    from eduplan.tracking.models import Plan

    city_scope = scope_for(fresh(city["viewer"]))
    assert current_plan(city_scope) is None  # no plan of its own: never the district imported last
    own = Plan.objects.create(bureau=city["city"], title="澜江市2025年教育工作要点", kind=Plan.Kind.ANNUAL,
                              period_start=2025, period_end=2025, source_name="city.txt", source_text="")
    assert current_plan(scope_for(fresh(city["viewer"]))) == own
    assert current_plan(scope_for(fresh(city["other_admin"]))) == city["other_plan"]
