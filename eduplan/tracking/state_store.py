"""Each task's state of today, stored (``models.TaskStatus``) so that lists, filters, counts and
the dashboard read it in SQL instead of judging every task on every request.

``warnings.task_states`` stays the one place a state is computed; a stored row is its output
for one day. How the rows stay true:

- **On write.** A service that changes a task's inputs runs in ``keeping_states()``: the saves
  it makes (assignments, milestones, targets, tasks, plans, data values …, seen through the
  models' signals) name the tasks they touch, and those are judged again before its
  transaction ends — a rolled-back write leaves the stored states as they were.
- **Writes made elsewhere** (the admin, the indicator pages, corrections) fire the same signals
  outside such a block: the touched rows are marked stale (``as_of`` NULL) in the writer's own
  transaction, and the next read judges them again.
- **The date moves.** A row whose ``as_of`` is not today is stale as well. Every reader calls
  ``ensure_current`` on the tasks it is about to read: one query finds the stale or missing
  rows, one bulk ``refresh`` judges them, and only then are the rows read. A stale state is
  never shown.

Writes the signals cannot see (queryset ``update()``, ``bulk_create``) must go through a
service that calls ``refresh`` or ``mark_stale`` itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete

from eduplan.audit.log import count_change

from . import clock
from .models import Assignment, Milestone, Plan, Target, Task, TaskStatus, WarningSettings
from .status import LIGHT_ORDER, Light, Status, Verdict

if TYPE_CHECKING:
    from eduplan.orgs.access import Scope

    from .warnings import Lead, ListedTask

STATE_FIELDS = ("as_of", "status", "light", "light_rank", "expected", "percent", "reasons")

# The tasks touched inside the outermost open ``keeping_states`` block of this thread (or
# request context); None: no block is open, so touched rows are marked stale instead.
_touched: ContextVar[set[int] | None] = ContextVar("eduplan_touched_tasks", default=None)


def refresh(task_ids: Iterable[int], today: date | None = None) -> None:
    """Judge these tasks as of ``today`` (the clock's date by default) and store the states."""
    ids = sorted(set(task_ids))
    if not ids:
        return
    from .warnings import for_states, task_states  # here: warnings -> assigning -> this module

    today = today or clock.today()
    # No savepoint inside a writer's transaction: nothing here is caught and retried, so a
    # failure ends the whole transaction anyway.
    with transaction.atomic(savepoint=False):
        # Every row must exist before it can be locked: a stale placeholder for each missing one
        # (a task nobody has read yet), inserted in task order.
        _lock_rows(ids, create_missing=True)
        states = task_states(list(for_states(Task.objects.filter(pk__in=ids))), today)
        rows = [TaskStatus(task_id=s.task.pk, as_of=today, status=s.verdict.status.value,
                           light=s.verdict.light.value, light_rank=LIGHT_ORDER[s.verdict.light],
                           expected=s.verdict.expected, percent=s.percent, reasons=list(s.verdict.reasons))
                for s in sorted(states, key=lambda s: s.task.pk)]
        TaskStatus.objects.bulk_create(rows, update_conflicts=True, unique_fields=["task"],
                                       update_fields=list(STATE_FIELDS))


def _lock_rows(ids: list[int], create_missing: bool = False) -> None:
    """Lock these tasks' rows (PostgreSQL; SQLite writers queue anyway), always in task order so
    that lockers never wait on each other in a circle. Two writers touching one task, or a
    reader refreshing beside a writer, then judge one after the other, each on the other's
    committed data: a newer state is never overwritten by an older one. SQLite has no row
    locks (its writers hold the whole file in turn), and the placeholders would only be there
    to be locked: the refresh's upsert makes the missing rows."""
    if not connection.features.has_select_for_update:
        return
    # Usually every row exists (a task judged once has one): then they are only counted. The
    # placeholders go in before any row is locked, so that an insert waiting on another
    # writer's never holds a lock that writer waits for. Only for tasks that still exist: a
    # write may have deleted one it touched.
    if create_missing and TaskStatus.objects.filter(task_id__in=ids).count() < len(ids):
        existing = Task.objects.filter(pk__in=ids).order_by("pk").values_list("pk", flat=True)
        TaskStatus.objects.bulk_create([TaskStatus(task_id=i, as_of=None, status="", light="") for i in existing],
                                       ignore_conflicts=True)
    list(TaskStatus.objects.select_for_update().filter(task_id__in=ids).order_by("task_id")
         .values_list("pk", flat=True))


def mark_stale(task_ids: Iterable[int]) -> None:
    """Have these tasks judged again by the next read (or by the open ``keeping_states``)."""
    ids = set(task_ids)
    if not ids:
        return
    collecting = _touched.get()
    if collecting is not None:
        collecting.update(ids)
    else:
        with transaction.atomic():
            _lock_rows(sorted(ids))  # in task order, as refresh locks them: no deadlock between the two
            TaskStatus.objects.filter(task_id__in=ids).update(as_of=None)
            # Readers that made their scope current (``ensure_current`` with a scope) look again.
            for bureau_id in sorted(set(Plan.objects.filter(tasks__in=ids).values_list("bureau_id", flat=True))):
                count_change(bureau_id)


@contextmanager
def keeping_states() -> Iterator[None]:
    """An atomic block whose touched tasks are judged again before it commits. Nested blocks
    leave the judging to the outermost one."""
    with transaction.atomic():
        if _touched.get() is not None:
            yield
            return
        token = _touched.set(set())
        try:
            yield
            touched = _touched.get() or set()
        finally:
            _touched.reset(token)
        refresh(touched)


def ensure_current(tasks: QuerySet[Task], today: date, scope: Scope | None = None) -> None:
    """Judge, in one bulk refresh, those of ``tasks`` whose stored state is not of ``today``.

    With the reader's ``scope`` (``tasks`` being within what it sees), every task the scope
    sees is made current instead, and then not looked at again until the date or the structure
    of its bureaus changes (``caching.cached_structure``): ``mark_stale`` moves that counter,
    and the writes that do not (progress reports, milestones) judge their tasks before they
    commit."""
    if scope is not None:
        from eduplan.caching import cached_structure  # here: caching -> audit, tracking.clock

        from .access import visible_tasks

        # ``today`` in the key: a request that read the date before midnight must not mark the new day done.
        cached_structure("states-current", (scope.key, today),
                         lambda: _ensure_current(visible_tasks(scope), today), scope.bureau_ids)
        return
    _ensure_current(tasks, today)


def _ensure_current(tasks: QuerySet[Task], today: date) -> None:
    current = TaskStatus.objects.filter(task_id=OuterRef("pk"), as_of=today)
    stale = list(tasks.filter(~Exists(current)).order_by().values_list("pk", flat=True))
    if stale:
        refresh(stale, today)


def with_state(tasks: QuerySet[Task], status: str = "", light: str = "") -> QuerySet[Task]:
    """``tasks`` with their stored state joined (call ``ensure_current`` first), filtered by
    status and light when given."""
    if status:
        tasks = tasks.filter(stored_state__status=status)
    if light:
        tasks = tasks.filter(stored_state__light=light)
    return tasks.select_related("stored_state")


# What ``listed_tasks`` reads of a task and of its stored state, in this order.
LISTED_FIELDS = ("pk", "number", "title", "plan_id", "plan__title", "section_id", "section__label", "section__title",
                 "stored_state__status", "stored_state__light", "stored_state__expected", "stored_state__reasons")


def listing(tasks: QuerySet[Task]) -> QuerySet:
    """``tasks`` (ordered, through ``with_state`` after ``ensure_current``) as the rows that
    ``listed_tasks`` takes: count, page or slice them first."""
    return tasks.values_list(*LISTED_FIELDS)


def leads_of(task_ids: Iterable[int]) -> dict[int, list[Lead]]:
    """Each task's assignments as its row shows them (``Lead``), in the order they were made."""
    from .warnings import Lead

    leads: dict[int, list[Lead]] = defaultdict(list)
    for task_id, *lead in (Assignment.objects.filter(task_id__in=list(task_ids)).order_by("task_id", "id")
                           .values_list("task_id", "lead_unit_id", "lead_unit__name", "deadline", "latest_percent")):
        leads[task_id].append(Lead(*lead))
    return leads


def listed_tasks(rows: Iterable[tuple], leads: dict[int, list[Lead]] | None = None) -> list[ListedTask]:
    """The ``ListedTask`` of each row of ``listing``, in order, with one more query for the
    assignments' lead units, deadlines and progress (``leads_of``) unless given them."""
    from .warnings import ListedTask

    rows = list(rows)
    leads = leads_of([row[0] for row in rows]) if leads is None else leads
    return [ListedTask(pk=pk, number=number, title=title, plan_id=plan_id, plan_title=plan_title,
                       section=(section_id, label, section_title) if section_id is not None else None,
                       verdict=Verdict(Status(status), Light(light), expected, tuple(reasons)),
                       leads=tuple(leads.get(pk, ())))
            for (pk, number, title, plan_id, plan_title, section_id, label, section_title,
                 status, light, expected, reasons) in rows]


# ---------------------------------------------------------------- which writes touch which tasks

def _bound_tasks(unit_path: str | None = None) -> QuerySet:
    """Ids of the tasks with a target bound to an indicator, of the bureaus at or above ``unit_path``
    (every bureau when None): a figure there may move their actuals."""
    targets = Target.objects.filter(indicator__isnull=False)
    if unit_path is not None:
        parts = [p for p in unit_path.split("/") if p]
        above = ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]
        targets = targets.filter(task__plan__bureau__path__in=above)
    return targets.values_list("task_id", flat=True)


def _on_task(sender, instance: Task, **kwargs) -> None:
    mark_stale([instance.pk])


def _on_task_part(sender, instance: Assignment | Target, **kwargs) -> None:
    mark_stale([instance.task_id])


def _on_milestone(sender, instance: Milestone, **kwargs) -> None:
    # By id: when its assignment is being deleted, the assignment's own signal covers the task.
    mark_stale(Assignment.objects.filter(pk=instance.assignment_id).values_list("task_id", flat=True))


def _on_plan(sender, instance: Plan, **kwargs) -> None:
    # Unassigned tasks are judged over the plan's years.
    mark_stale(Task.objects.filter(plan=instance).values_list("pk", flat=True))


def _on_thresholds(sender, instance: WarningSettings, **kwargs) -> None:
    mark_stale(Task.objects.filter(plan__bureau_id=instance.bureau_id).values_list("pk", flat=True))


def _on_value(sender, instance, **kwargs) -> None:
    """A data value: the target it is the typed actual of, else (coarse) every task with a
    bound target in the bureaus above the unit."""
    typed_for = list(Target.objects.filter(actual_element_id=instance.element_id).values_list("task_id", flat=True))
    mark_stale(typed_for or _bound_tasks(instance.unit_path))


def _on_indicator(sender, instance, **kwargs) -> None:
    # Before a delete as well as after a save: deleting sets the targets' indicator to NULL
    # before post_delete, when they could no longer be found.
    mark_stale(Target.objects.filter(indicator_id=instance.pk).values_list("task_id", flat=True))


def _on_element(sender, instance, **kwargs) -> None:
    if not instance.for_target:  # a target's own element is in no formula
        mark_stale(_bound_tasks())


def _on_unit_moved(sender, *, old_path: str, new_path: str, **kwargs) -> None:
    # Figures follow the moved unit (``indicators.values``) with a queryset update: coarse again.
    mark_stale(_bound_tasks())


def connect() -> None:
    """Called once from the app config."""
    from eduplan.indicators.models import DataElement, DataValue, Indicator
    from eduplan.orgs.models import unit_moved

    for model, receiver in ((Task, _on_task), (Assignment, _on_task_part), (Target, _on_task_part),
                            (Milestone, _on_milestone), (Plan, _on_plan), (WarningSettings, _on_thresholds),
                            (DataValue, _on_value), (Indicator, _on_indicator), (DataElement, _on_element)):
        after = pre_delete if model is Indicator else post_delete
        for signal in (post_save, after):
            signal.connect(receiver, sender=model, dispatch_uid=f"state_store.{model.__name__}.{signal is post_save}")
    unit_moved.connect(_on_unit_moved, dispatch_uid="state_store.unit_moved")

