"""Who sees and changes what: one row per persona and object."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from eduplan.errors import EduplanError
from eduplan.orgs.access import scope_for
from eduplan.orgs.services import create_user
from eduplan.tracking.access import (
    check_can_assign,
    get_assignment_for_report,
    get_task_for_user,
    visible_tasks,
)
from eduplan.tracking.assigning import assign_task
from eduplan.tracking.models import Assignment
from eduplan.tracking.setup import setup_bureau

# fmt: off
SEES = [
    # persona, task attribute, visible
    ("admin",     "task_a", True), ("admin", "task_b", True),
    ("leader",    "task_a", True), ("leader", "task_dept", True),
    ("school_a",  "task_a", True), ("school_a", "task_b", False), ("school_a", "task_dept", False),
    ("school_b",  "task_b", True), ("school_b", "task_a", False),
    ("jijiao",    "task_dept", True), ("jijiao", "task_a", False),
    ("tiwei",     "task_dept", True),  # a partner unit sees the task it helps with
    ("tiwei",     "task_b", False),
]
# fmt: on


@pytest.mark.parametrize(("persona", "task", "visible"), SEES)
def test_who_sees_which_task(world, persona, task, visible):
    user, task = world.users[persona], getattr(world, task)
    assert visible_tasks(scope_for(user)).filter(pk=task.pk).exists() is visible
    if visible:
        assert get_task_for_user(user, task.pk) == task
    else:
        with pytest.raises(Http404):
            get_task_for_user(user, task.pk)


@pytest.mark.parametrize(("persona", "count"), [("admin", 28), ("leader", 28), ("school_a", 1), ("jijiao", 1)])
def test_task_lists_are_scoped(world, persona, count):
    assert visible_tasks(scope_for(world.users[persona])).count() == count


# fmt: off
REPORTS = [
    # persona, task, outcome: "ok", 404 (cannot even see it) or 403 (sees it, may not write)
    ("school_a",  "task_a", "ok"), ("school_a", "task_b", 404),
    ("jijiao_tb", "task_dept", "ok"), ("tiwei", "task_dept", "ok"),
    ("leader",    "task_a", 403), ("admin", "task_a", "ok"),
]
# fmt: on


@pytest.mark.parametrize(("persona", "task", "outcome"), REPORTS)
def test_who_may_report(world, persona, task, outcome):
    assignment = world.assignment(getattr(world, task))
    user = world.users[persona]
    if outcome == "ok":
        assert get_assignment_for_report(user, assignment.pk) == assignment
    else:
        with pytest.raises(Http404 if outcome == 404 else PermissionDenied):
            get_assignment_for_report(user, assignment.pk)


@pytest.mark.parametrize(("persona", "task", "allowed"), [
    ("admin", "task_a", True), ("jijiao", "task_dept", True),
    ("jijiao_tb", "task_dept", False), ("leader", "task_a", False), ("school_a", "task_a", False),
    ("jijiao", "task_a", False),
])
def test_who_may_assign(world, persona, task, allowed):
    if allowed:
        check_can_assign(world.users[persona], getattr(world, task))
    else:
        with pytest.raises(PermissionDenied):
            check_can_assign(world.users[persona], getattr(world, task))


def test_a_manager_reassigns_only_within_its_unit(world):
    jijiao = world.users["jijiao"]
    with pytest.raises(EduplanError) as caught:
        assign_task(world.task_dept, user=jijiao, lead_unit=world.unit("计划财务科"))
    assert caught.value.code == "E411"
    assert world.assignment(world.task_dept).lead_unit.name == "基础教育科"


def test_units_of_another_bureau_are_unknown(world):
    other = setup_bureau("澜江市云岭区教育局")
    stranger = other.subtree().get(name="基础教育科")
    with pytest.raises(EduplanError) as caught:
        assign_task(world.task_a, user=world.users["admin"], lead_unit=stranger)
    assert caught.value.code == "E405"


def test_another_bureaus_admin_sees_nothing_of_ours(world):
    other = setup_bureau("澜江市云岭区教育局")
    their_admin = create_user("yunling", "x-Pass-2025", role="admin", unit=other)
    assert not visible_tasks(scope_for(their_admin)).exists()
    with pytest.raises(PermissionDenied):
        check_can_assign(their_admin, world.task_a)


@pytest.mark.parametrize(("change", "code"), [
    ({"deadline": "2025-01-01", "start_date": "2025-03-01"}, "E410"),
    ({"owner": "school_b"}, "E416"),
])
def test_bad_assignments_are_refused_and_change_nothing(world, change, code):
    from datetime import date

    values = {k: (date.fromisoformat(v) if k in ("deadline", "start_date") else world.users[v])
              for k, v in change.items()}
    before = Assignment.objects.get(pk=world.assignment(world.task_a).pk)
    with pytest.raises(EduplanError) as caught:
        assign_task(world.task_a, user=world.users["admin"], lead_unit=world.unit("青禾区实验小学"), **values)
    assert caught.value.code == code
    after = Assignment.objects.get(pk=before.pk)
    assert (after.deadline, after.owner_id) == (before.deadline, before.owner_id)


def test_users_without_a_role_see_nothing(db):
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("nobody", password="x")
    assert scope_for(nobody).can_read is False
    assert not visible_tasks(scope_for(nobody)).exists()


def test_a_manager_cannot_take_over_another_units_part_of_a_split_task(world):
    from eduplan.tracking.access import check_can_change

    admin, jijiao = world.users["admin"], world.users["jijiao"]
    measure = world.task_a.measures.first()
    assign_task(world.task_a, user=admin, lead_unit=world.unit("基础教育科"), measure=measure)
    school_part = world.assignment(world.task_a)
    with pytest.raises(PermissionDenied):
        assign_task(world.task_a, user=jijiao, lead_unit=world.unit("基础教育科"))
    with pytest.raises(PermissionDenied):
        check_can_change(jijiao, school_part)
    assert Assignment.objects.get(pk=school_part.pk).lead_unit.name == "青禾区实验小学"
    own_part = world.task_a.assignments.get(measure=measure)
    assert check_can_change(jijiao, own_part)
