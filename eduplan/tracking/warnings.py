"""Status and warning light of stored tasks: gathers the inputs, ``status.judge`` decides.

Built for lists of thousands of tasks: two queries for the assignments and the latest
target actuals, whatever the number of tasks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from eduplan.indicators.actuals import Actual, target_actuals
from eduplan.orgs.models import OrgUnit

from .assigning import default_period
from .models import Assignment, Plan, Target, Task, WarningSettings
from .status import Progress, TargetCheck, Thresholds, Verdict, better_of_metric, judge, worst


def for_states(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Tasks with what ``task_states`` reads of them, without each plan's full source text
    (thousands of rows that each carry a whole plan are what make a list slow)."""
    return (tasks.select_related("plan", "plan__bureau", "plan__bureau__warning_settings", "section")
            .defer("plan__source_text"))


def thresholds_for(bureau: OrgUnit) -> Thresholds:
    if OrgUnit.warning_settings.is_cached(bureau):  # loaded with the tasks (``for_states``)
        row = getattr(bureau, "warning_settings", None)  # None: the bureau has none
    else:
        row = WarningSettings.objects.filter(bureau=bureau).first()
    if row is None:
        return Thresholds()
    return Thresholds(row.yellow_gap, row.red_gap, row.due_soon_days)


def latest_actuals(targets: Iterable[Target], until: str | None = None,
                   bureaus: dict[int, OrgUnit] | None = None) -> dict[int, Actual]:
    """Each target's newest actual (see ``indicators.actuals``), keyed by target id.
    ``bureaus``: each target's plan's bureau by target id, when the caller has them loaded."""
    targets = list(targets)
    bound = [t.pk for t in targets if t.indicator_id is not None]
    bureaus = bureaus or {}
    if any(pk not in bureaus for pk in bound):
        bureau_ids = dict(Target.objects.filter(pk__in=bound).values_list("pk", "task__plan__bureau_id"))
        units = OrgUnit.objects.in_bulk(set(bureau_ids.values()))
        bureaus = {pk: units[bureau_id] for pk, bureau_id in bureau_ids.items()}
    return target_actuals(((t, bureaus.get(t.pk)) for t in targets), until)


def target_check(target: Target, actuals: dict[int, Actual]) -> TargetCheck:
    """What ``status.judge`` needs of a target: its goal, direction, baseline and actual."""
    actual = actuals.get(target.pk)
    better = (target.indicator.better if target.indicator_id is not None else "") or better_of_metric(target.metric)
    baseline = target.baseline_value
    if baseline is None and actual is not None:
        baseline = actual.a_year_before  # "较上年": last year's figure of the bound indicator
    return TargetCheck(target.metric, target.comparator, target.value, actual.value if actual else None,
                       target.value_high, direction=target.direction, baseline=baseline, better=better)


def overall_percent(percents: Iterable[int]) -> int:
    """A task's progress: that of its least advanced assignment, 0 while nobody has it."""
    return min(percents, default=0)


@dataclass(frozen=True)
class TaskState:
    task: Task
    assignments: tuple[Assignment, ...]
    verdict: Verdict

    @property
    def percent(self) -> int:
        return overall_percent(a.latest_percent for a in self.assignments)


@dataclass(frozen=True)
class Lead:
    """An assignment as a task's row shows it."""

    unit_id: int
    unit_name: str
    deadline: date
    percent: int


@dataclass(frozen=True)
class ListedTask:
    """A task as lists show it (the task list, the API's, the dashboard's warnings): plain
    values and its verdict. ``state_store.listed_tasks`` reads them from the stored states
    without building model objects, which took half the time of a list page."""

    pk: int
    number: str
    title: str
    plan_id: int
    plan_title: str
    section: tuple[int, str, str] | None  # (id, label, title)
    verdict: Verdict
    leads: tuple[Lead, ...]  # one per assignment, in the order they were made

    @property
    def percent(self) -> int:
        return overall_percent(lead.percent for lead in self.leads)

    @classmethod
    def of(cls, state: TaskState) -> ListedTask:
        task, section = state.task, state.task.section
        return cls(pk=task.pk, number=task.number, title=task.title, plan_id=task.plan_id, plan_title=task.plan.title,
                   section=(section.pk, section.label, section.title) if section else None, verdict=state.verdict,
                   leads=tuple(Lead(a.lead_unit_id, a.lead_unit.name, a.deadline, a.latest_percent)
                               for a in sorted(state.assignments, key=lambda a: a.pk)))


def assignment_verdict(assignment: Assignment, targets: Sequence[Target], actuals: dict[int, Actual],
                       today: date, thresholds: Thresholds) -> Verdict:
    checks = tuple(target_check(t, actuals) for t in targets)
    missed_milestones = tuple(f"{m.due:%Y-%m-%d} {m.title}" for m in assignment.milestones.all()
                              if not m.done and m.due < today)
    progress = Progress(start=assignment.start_date, deadline=assignment.deadline,
                        percent=assignment.latest_percent, reported=assignment.latest_report_at is not None,
                        done=assignment.latest_state == "done", targets=checks, missed_milestones=missed_milestones)
    return judge(progress, today, thresholds)


def task_states(tasks: Sequence[Task], today: date, thresholds_by_bureau: dict[int, Thresholds] | None = None,
                ) -> list[TaskState]:
    """One state per task, in the given order. Unassigned tasks are judged over the plan's year."""
    task_ids = [t.pk for t in tasks]
    by_task: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in (Assignment.objects.filter(task_id__in=task_ids).select_related("lead_unit")
                       .prefetch_related("milestones")):
        by_task[assignment.task_id].append(assignment)
    targets: dict[int, list[Target]] = defaultdict(list)
    for target in Target.objects.filter(task_id__in=task_ids, removed_in_version__isnull=True).select_related("indicator"):
        targets[target.task_id].append(target)
    # A bound target's actual is its plan's bureau's figure: the bureaus loaded with the tasks
    # (``for_states``) spare ``latest_actuals`` looking them up.
    by_id = {task.pk: task for task in tasks}
    bureaus = {target.pk: by_id[target.task_id].plan.bureau for ts in targets.values() for target in ts
               if target.indicator_id is not None and Plan.bureau.is_cached(by_id[target.task_id].plan)}
    actuals = latest_actuals((t for ts in targets.values() for t in ts), bureaus=bureaus)
    cache = dict(thresholds_by_bureau or {})
    states = []
    for task in tasks:
        bureau_id = task.plan.bureau_id
        if bureau_id not in cache:
            cache[bureau_id] = thresholds_for(task.plan.bureau)
        assignments = by_task.get(task.pk, [])
        verdict = task_verdict(task, assignments, targets[task.pk], actuals, today, cache[bureau_id])
        states.append(TaskState(task, tuple(assignments), verdict))
    return states


def task_verdict(task: Task, assignments: Sequence[Assignment], targets: Sequence[Target],
                 actuals: dict[int, Actual], today: date, thresholds: Thresholds) -> Verdict:
    """A task's verdict from its assignments (the worst part), or over the plan's year when
    nobody has it yet. ``task_states`` and the month-by-month trends both judge through here."""
    if assignments:
        verdict = worst([assignment_verdict(a, targets, actuals, today, thresholds) for a in assignments])
        assert verdict is not None
        return verdict
    start, deadline = default_period(task.plan, today)
    checks = tuple(target_check(t, actuals) for t in targets)
    return judge(Progress(start, deadline, targets=checks), today, thresholds)
