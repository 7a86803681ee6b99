"""Stored task states (``tracking.state_store``) always equal a fresh ``task_states``: after each
kind of write, on a new day, and after a write that failed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.db import transaction

from eduplan.errors import EduplanError
from eduplan.indicators.binding import bind
from eduplan.indicators.models import DataElement, Indicator
from eduplan.indicators.values import NewValue, store_values
from eduplan.tracking import state_store
from eduplan.tracking.assigning import assign_task, bulk_assign, mark_milestone
from eduplan.tracking.corrections import correct_plan
from eduplan.tracking.importing import import_parsed, read_upload
from eduplan.tracking.models import Milestone, Task, TaskStatus, WarningSettings
from eduplan.tracking.progress import ActualInput, reopen, submit_report
from eduplan.tracking.warnings import for_states, task_states
from tests.world import EXAMPLE_PLAN, TODAY


def fresh(world, today: date = TODAY) -> dict[int, tuple]:
    """Every current task of the plan, judged now by the one rule."""
    tasks = for_states(Task.objects.filter(plan=world.plan, removed_in_version__isnull=True))
    return {s.task.pk: (s.verdict.status.value, s.verdict.light.value, s.verdict.expected, s.percent,
                        list(s.verdict.reasons)) for s in task_states(list(tasks), today)}


def stored(world) -> dict[int, tuple]:
    rows = TaskStatus.objects.filter(task__plan=world.plan, task__removed_in_version__isnull=True)
    return {r.task_id: (r.status, r.light, r.expected, r.percent, r.reasons, r.as_of) for r in rows}


def current(world, today: date = TODAY) -> None:
    state_store.ensure_current(Task.objects.filter(plan=world.plan), today)


def report(world, task, percent: int, state: str = "in_progress", **extra) -> None:
    owner = {world.task_a: "school_a", world.task_b: "school_b"}.get(task, "jijiao_tb")
    submit_report(world.assignment(task), user=world.users[owner], period="2025-06", percent=percent, state=state,
                  narrative="按计划推进", **extra)


def unassigned(world) -> Task:
    return world.plan.tasks.filter(assignments__isnull=True).order_by("order").first()


def pass_rate_target(world):
    return world.task_a.targets.get(metric__endswith="合格率")


# ---------------------------------------------------------------- the writes

def w_report(world):
    report(world, world.task_a, 80)
    return [world.task_a]


def w_report_done(world):
    report(world, world.task_b, 100, state="done")
    return [world.task_b]


def w_reopen(world):
    report(world, world.task_b, 100, state="done")
    reopen(world.assignment(world.task_b), user=world.users["admin"])
    return [world.task_b]


def w_assign(world):
    task = unassigned(world)
    assign_task(task, user=world.users["admin"], lead_unit=world.unit("德育科"), deadline=date(2025, 6, 1), today=TODAY)
    return [task]


def w_bulk_assign(world):
    tasks = list(world.plan.tasks.filter(assignments__isnull=True).order_by("order")[:3])
    bulk_assign(tasks, user=world.users["admin"], lead_unit=world.unit("德育科"), deadline=date(2025, 7, 5),
                today=TODAY)
    return tasks


def w_deadline(world):
    assign_task(world.task_a, user=world.users["admin"], lead_unit=world.unit("青禾区实验小学"),
                deadline=date(2025, 6, 10), today=TODAY)
    return [world.task_a]


def w_milestone(world):
    report(world, world.task_dept, 60)
    assign_task(world.task_dept, user=world.users["admin"], lead_unit=world.unit("基础教育科"),
                partner_units=[world.unit("体卫艺科")], milestones=[(date(2025, 5, 31), "方案印发")], today=TODAY)
    return [world.task_dept]


def w_milestone_mark(world):
    w_milestone(world)
    mark_milestone(Milestone.objects.get(assignment__task=world.task_dept), user=world.users["jijiao"], done=True)
    return [world.task_dept]


def w_typed_actual(world):
    report(world, world.task_a, 60, actuals=[ActualInput(pass_rate_target(world), "90")])
    return [world.task_a]


def w_plan_correction(world):
    correct_plan(world.plan, user=world.users["admin"], kind="plan", at=0, said={"period": [2026, 2026]})
    return [unassigned(world)]


def w_revision(world):
    import_parsed(read_upload(EXAMPLE_PLAN), bureau=world.bureau, user=world.users["admin"], replaces=world.plan)
    return [world.task_a, world.task_dept]


# Written outside a service that judges again: the rows are marked stale in the same transaction.

def w_thresholds(world):
    WarningSettings.objects.update_or_create(bureau=world.bureau,  # as the admin's 预警阈值 screen saves it
                                             defaults={"yellow_gap": 60, "red_gap": 90, "due_soon_days": 3})
    return [unassigned(world)]


def w_bound_figure(world):
    report(world, world.task_a, 60)
    current(world)
    bind(pass_rate_target(world), Indicator.objects.get(code="fitness_pass_rate"), user=world.users["admin"])
    current(world)
    elements = {e.code: e for e in DataElement.objects.filter(code__in=["fitness_tested", "fitness_passed"])}
    school = world.unit("青禾区实验小学")
    store_values([NewValue(elements["fitness_tested"], school, "2025", 400),
                  NewValue(elements["fitness_passed"], school, "2025", 372)], user=None, source="form")
    return [world.task_a]


def w_indicator_deleted(world):
    w_bound_figure(world)
    current(world)
    Indicator.objects.get(code="fitness_pass_rate").delete()  # the catalogue admin's delete: targets unbound
    return [world.task_a]


def w_target_edit(world):
    target = pass_rate_target(world)
    report(world, world.task_a, 60, actuals=[ActualInput(target, "96")])
    current(world)
    target.value = 98  # as the admin's target screen saves it
    target.save()
    return [world.task_a]


# (id, the write, whether it judges the tasks again itself (else: marks them stale), whether
#  the touched task's state changes)
# fmt: off
WRITES: list[tuple[str, Callable, bool, bool]] = [
    ("progress_report",       w_report,          True,  True),
    ("report_done_closes",    w_report_done,     True,  True),
    ("reopen",                w_reopen,          True,  True),
    ("assign_with_deadline",  w_assign,          True,  True),
    ("bulk_assign",           w_bulk_assign,     True,  True),
    ("deadline_edit",         w_deadline,        True,  True),
    ("milestone_missed",      w_milestone,       True,  True),
    ("milestone_marked",      w_milestone_mark,  True,  True),
    ("typed_target_actual",   w_typed_actual,    True,  True),
    ("plan_correction_years", w_plan_correction, True,  True),
    ("plan_revision",         w_revision,        True,  False),
    ("warning_thresholds",    w_thresholds,      False, True),
    ("bound_indicator_value", w_bound_figure,    False, True),
    ("target_saved_directly", w_target_edit,     False, True),
    ("bound_indicator_deleted", w_indicator_deleted, False, True),
]
# fmt: on


@pytest.mark.parametrize(("write", "judges_itself", "changes"), [w[1:] for w in WRITES], ids=[w[0] for w in WRITES])
def test_after_each_write_the_stored_state_is_a_fresh_judgement(world, write, judges_itself, changes):
    current(world)
    before = fresh(world)
    touched = [t.pk for t in write(world)]
    now = fresh(world)
    rows = stored(world)
    if changes:
        assert any(before[pk] != now[pk] for pk in touched), "the case should move a state"
    for pk, row in rows.items():
        if row[-1] == TODAY:  # a row that says it is current must be right
            assert row[:-1] == now[pk], pk
    if judges_itself:
        assert all(rows[pk][-1] == TODAY for pk in touched)  # judged in the write's transaction
    else:
        assert any(rows[pk][-1] is None for pk in touched)  # stale, never wrong
    current(world)
    assert {pk: row[:-1] for pk, row in stored(world).items()} == now


def test_a_new_day_judges_the_stale_rows_again_before_they_are_read(world, settings, as_user):
    current(world)
    assert set(row[-1] for row in stored(world).values()) == {TODAY}
    settings.EDUPLAN_TODAY = "2025-08-15"
    later = date(2025, 8, 15)
    page = as_user("admin").get("/tasks/?status=overdue")  # a reader makes them current
    assert page.status_code == 200
    rows = stored(world)
    assert set(row[-1] for row in rows.values()) == {later}
    assert {pk: row[:-1] for pk, row in rows.items()} == fresh(world, later)
    assert fresh(world, later) != fresh(world)  # the date moved the states


def test_a_failed_write_leaves_the_stored_states_as_they_were(world):
    current(world)
    before = stored(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        report(world, world.task_a, 90)
        assert stored(world)[world.task_a.pk][:-1] != before[world.task_a.pk][:-1]  # judged inside
        raise RuntimeError("the request failed after the report")
    assert stored(world) == before
    target = pass_rate_target(world)
    bind(target, Indicator.objects.get(code="fitness_pass_rate"), user=world.users["admin"])
    current(world)
    before = stored(world)
    with pytest.raises(EduplanError):  # a bound target takes no typed figure: the report rolls back
        report(world, world.task_a, 90, actuals=[ActualInput(target, "96")])
    assert stored(world) == before


@pytest.mark.parametrize("write", [w[1] for w in WRITES], ids=[w[0] for w in WRITES])
@pytest.mark.parametrize("persona", ["admin", "school_a", "tiwei"])
def test_a_reader_that_made_its_scope_current_reads_fresh_states_after_each_write(world, write, persona):
    """``ensure_current`` with a scope skips the check while the structure is unchanged: every
    write either judges its tasks itself or moves that counter (``mark_stale``)."""
    from eduplan.orgs.access import scope_for
    from eduplan.tracking.access import visible_tasks

    scope = scope_for(world.users[persona])
    state_store.ensure_current(visible_tasks(scope), TODAY, scope)
    write(world)
    state_store.ensure_current(visible_tasks(scope), TODAY, scope)
    now = fresh(world)
    seen = {pk: row for pk, row in stored(world).items() if visible_tasks(scope).filter(pk=pk).exists()}
    assert seen and {pk: row[:-1] for pk, row in seen.items()} == {pk: now[pk] for pk in seen}


def test_a_stale_mark_makes_a_reader_that_made_its_scope_current_judge_again(world):
    """A write the signals cannot see marks its tasks stale itself; that alone must reach readers."""
    from eduplan.orgs.access import scope_for
    from eduplan.tracking.access import visible_tasks
    from eduplan.tracking.models import Assignment

    scope = scope_for(world.users["school_a"])
    state_store.ensure_current(visible_tasks(scope), TODAY, scope)
    Assignment.objects.filter(task=world.task_a).update(deadline=date(2025, 5, 31))  # no signal
    state_store.mark_stale([world.task_a.pk])
    state_store.ensure_current(visible_tasks(scope), TODAY, scope)
    row = TaskStatus.objects.get(task=world.task_a)
    assert (row.as_of, row.status) == (TODAY, fresh(world)[world.task_a.pk][0]) and row.status == "overdue"


def test_a_scope_made_current_just_before_midnight_is_judged_again_after_it(world, settings):
    from eduplan.orgs.access import scope_for
    from eduplan.tracking.access import visible_tasks

    scope = scope_for(world.users["admin"])
    settings.EDUPLAN_TODAY = "2025-07-01"  # the clock turned while a request that read 06-30 went on
    state_store.ensure_current(visible_tasks(scope), TODAY, scope)
    state_store.ensure_current(visible_tasks(scope), date(2025, 7, 1), scope)
    assert {row[-1] for row in stored(world).values()} == {date(2025, 7, 1)}
