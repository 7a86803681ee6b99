"""The figures of a 督查通报 (supervision bulletin), as plain data: nothing here writes text
that is not a count, a name or a reason the status rules gave.

The bulletin covers one reporting period ("2025-06"). Its picture is the state at the end of
that period (or today, if the period has not ended): each assignment counts with its newest
report filed for that period or an earlier one, each target with its newest actual of those
periods, and ``tracking.status`` judges them on that day, exactly as the dashboard judges
today's data; the counts by status, lead unit and section come from
``dashboard.summary.summarize``. For the current month this is the dashboard's picture.
Milestones count as they stand now (ticking one off is not dated).
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from eduplan.dashboard.summary import Group, summarize
from eduplan.errors import EduplanError, Errors
from eduplan.indicators.actuals import Actual
from eduplan.orgs.models import OrgUnit
from eduplan.periods import Period, month_key
from eduplan.plan.render_markdown import printed_label
from eduplan.tracking.display import goal, number
from eduplan.tracking.models import ProgressReport, Target, Task
from eduplan.tracking.progress import check_period, period_label
from eduplan.tracking.status import Light, Status, Thresholds, Verdict, shortfall, worst
from eduplan.tracking.warnings import (
    TaskState,
    assignment_verdict,
    for_states,
    latest_actuals,
    target_check,
    task_states,
    thresholds_for,
)

STATUS_ORDER = (Status.DONE, Status.ON_TRACK, Status.LAGGING, Status.OVERDUE, Status.NOT_STARTED)
PERCENT_UNITS = {"%", "％", "百分点", "个百分点"}


@dataclass(frozen=True)
class DepartmentRow:
    name: str
    total: int
    statuses: dict[Status, int]
    done: int
    done_share: float  # percent, one decimal
    lights: dict[Light, int]
    is_school: bool = False

    @property
    def flagged(self) -> int:
        return self.statuses.get(Status.LAGGING, 0) + self.statuses.get(Status.OVERDUE, 0)


@dataclass(frozen=True)
class FlaggedTask:
    """A lagging or overdue task, with the reasons the status rules gave."""

    task_id: int
    number: str
    heading: str  # "7. 加强学校体育工作"
    plan: str
    lead_units: tuple[str, ...]  # the units whose own part is lagging or overdue; () when unassigned
    status: Status
    percent: int
    expected: int
    deadline: date | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class TargetGap:
    """A target whose latest actual misses it, and by how much."""

    task_heading: str
    metric: str
    goal: str  # "≥96%"
    unit: str
    actual: float
    shortfall: float  # in the target's unit, > 0
    relative: float  # shortfall ÷ |target value|, for ranking targets of different units
    period: str

    @property
    def actual_text(self) -> str:
        return f"{number(self.actual)}{self.unit}"

    @property
    def gap_text(self) -> str:
        unit = "个百分点" if self.unit in PERCENT_UNITS else self.unit
        return f"{number(round(self.shortfall, 2))}{unit}"


@dataclass
class BulletinFacts:
    period: str  # "2025-06"
    as_of: date
    plans: tuple[str, ...]
    total: int  # tasks
    assignments: int
    lead_units: int
    unassigned: int
    not_started_unassigned: int  # of the tasks not started, those nobody was assigned
    by_status: dict[Status, int]
    shares: dict[Status, float]  # percent of all tasks, one decimal
    by_light: dict[Light, int]
    due_reports: int  # assignments open during the period (started, not done before it)
    reported: int  # of those, with a report filed for the period
    departments: list[DepartmentRow]
    sections: list[DepartmentRow]
    flagged: list[FlaggedTask]  # overdue first, then lagging; most behind first
    targets_total: int
    targets_met: int
    targets_missed: int
    targets_unreported: int
    target_gaps: list[TargetGap]  # missed targets, furthest behind first
    sum_to_100: bool = False

    @property
    def period_label(self) -> str:
        return period_label(self.period)

    @property
    def report_rate(self) -> float:
        return round1(100 * self.reported / self.due_reports) if self.due_reports else 0.0

    def count(self, status: Status) -> int:
        return self.by_status.get(status, 0)

    def plan_short(self) -> str:
        """How the text names the plan after its first mention."""
        if len(self.plans) != 1:
            return "各计划"
        title = self.plans[0]
        for ending, short in (("工作要点", "《工作要点》"), ("要点", "《要点》"), ("规划", "《规划》"), ("计划", "《计划》")):
            if title.endswith(ending):
                return short
        return f"《{title}》"

    def flagged_kinds(self) -> str:
        """"滞后", "逾期" or "滞后、逾期", after the flagged tasks there are."""
        kinds = [label for status, label in ((Status.LAGGING, "滞后"), (Status.OVERDUE, "逾期")) if self.count(status)]
        return "、".join(kinds)

    def flagged_units(self) -> list[tuple[str, int]]:
        """Lead units by their number of lagging and overdue tasks, most first (unassigned
        tasks have no unit: see ``flagged_unassigned``)."""
        counts = Counter(unit for task in self.flagged for unit in task.lead_units)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    @property
    def flagged_unassigned(self) -> int:
        """Lagging or overdue tasks nobody was assigned: the office's to hand out."""
        return sum(1 for task in self.flagged if not task.lead_units)


# ---------------------------------------------------------------- numbers

def round1(value: float) -> float:
    """One decimal, halves rounded up (Python's round() would give 12.2 for 12.25)."""
    return int(value * 10 + 0.5 + 1e-9) / 10


def percent_shares(counts: Sequence[int], total: int, *, sum_to_100: bool = False) -> list[float]:
    """Each count as a percent of ``total`` with one decimal, halves rounded up.

    Rounded shares may add up to 99.9 or 100.1. With ``sum_to_100`` the largest share is
    instead printed as 100.0 minus the others, so they add up to exactly 100.0, as some
    bureaus print them: 金寨县's 2025 half-year bulletin has 17, 10, 24, 9 and 162 of 222
    items as 7.7 + 4.5 + 10.8 + 4.1 + 72.9 (162/222 is 72.97).
    """
    if total <= 0:
        return [0.0 for _ in counts]
    shares = [round1(100 * c / total) for c in counts]
    if sum_to_100 and sum(counts) == total and counts:
        largest = max(range(len(counts)), key=lambda i: (counts[i], -i))
        shares[largest] = round1(100 - sum(share for i, share in enumerate(shares) if i != largest))
    return shares


def month_end(period: str) -> date:
    return Period.parse(period).end


def current_period(today: date) -> str:
    return month_key(today)


def heading(task: Task) -> str:
    """The task as its plan prints it: "7. 加强学校体育工作", "（1）新教师“青苗”成长计划"."""
    label = printed_label(task.label) if task.label else ""
    return f"{label}{' ' if label.endswith('.') else ''}{task.title}"


# ---------------------------------------------------------------- the state at the end of a period

def _latest_reports(assignment_ids: list[int], period: str) -> tuple[dict[int, tuple], set[int], set[int]]:
    """Newest report per assignment among periods ≤ ``period``; who reported for the
    period itself; who had reported done before it."""
    newest: dict[int, tuple] = {}
    in_period: set[int] = set()
    done_before: set[int] = set()
    rows = (ProgressReport.objects.filter(assignment_id__in=assignment_ids, period__lte=period)
            .order_by("created_at", "id").values_list("assignment_id", "period", "percent", "state", "created_at"))
    for assignment_id, report_period, percent, state, created_at in rows.iterator(chunk_size=5000):
        newest[assignment_id] = (percent, state, created_at)
        if report_period == period:
            in_period.add(assignment_id)
        elif state == ProgressReport.State.DONE:
            done_before.add(assignment_id)
    return newest, in_period, done_before


def states_at(tasks: Sequence[Task], period: str, as_of: date, targets: dict[int, list[Target]],
              actuals: dict[int, Actual]) -> tuple[list[TaskState], set[int], set[int], dict[int, Verdict]]:
    """Task states at the end of ``period`` (see the module's docstring), who reported for
    the period, who had finished before it, and each assignment's own verdict."""
    states = task_states(tasks, as_of)
    assignment_ids = [a.pk for s in states for a in s.assignments]
    newest, in_period, done_before = _latest_reports(assignment_ids, period)
    thresholds: dict[int, Thresholds] = {}
    result = []
    verdicts: dict[int, Verdict] = {}
    for state in states:
        if not state.assignments:
            result.append(state)
            continue
        bureau = state.task.plan.bureau
        if bureau.pk not in thresholds:
            thresholds[bureau.pk] = thresholds_for(bureau)
        then = []
        for assignment in state.assignments:
            past = copy.copy(assignment)  # the same row, with its latest report as of the period
            percent, report_state, created_at = newest.get(assignment.pk, (0, "", None))
            past.latest_percent, past.latest_state, past.latest_report_at = percent, report_state, created_at
            then.append(past)
        for a in then:
            verdicts[a.pk] = assignment_verdict(a, targets.get(state.task.pk, []), actuals, as_of,
                                                thresholds[bureau.pk])
        result.append(TaskState(state.task, tuple(then), worst([verdicts[a.pk] for a in then])))
    return result, in_period, done_before, verdicts


# ---------------------------------------------------------------- the facts

def _row(group: Group, schools: set[str]) -> DepartmentRow:
    return DepartmentRow(group.name, group.total, {s: group.statuses.get(s, 0) for s in Status}, group.done,
                         round1(100 * group.done / group.total) if group.total else 0.0,
                         {light: group.lights.get(light, 0) for light in Light}, group.name in schools)


FLAGGED = (Status.OVERDUE, Status.LAGGING)


def _flagged(states: Sequence[TaskState], verdicts: dict[int, Verdict]) -> list[FlaggedTask]:
    chosen = [s for s in states if s.verdict.status in FLAGGED]
    chosen.sort(key=lambda s: (s.verdict.status != Status.OVERDUE, -(s.verdict.expected - s.percent),
                               s.task.plan_id, s.task.order))
    result = []
    for s in chosen:
        behind = [a for a in s.assignments if verdicts[a.pk].status in FLAGGED] or list(s.assignments)
        result.append(FlaggedTask(
            task_id=s.task.pk, number=s.task.number, heading=heading(s.task), plan=s.task.plan.title,
            lead_units=tuple(dict.fromkeys(a.lead_unit.name for a in behind)),
            status=s.verdict.status, percent=s.percent, expected=s.verdict.expected,
            deadline=min((a.deadline for a in behind), default=None), reasons=s.verdict.reasons))
    return result


def _target_figures(tasks: Sequence[Task], targets: dict[int, list[Target]],
                    actuals: dict[int, Actual]) -> tuple[int, int, int, list[TargetGap]]:
    met = missed = 0
    gaps = []
    by_id = {t.pk: t for t in tasks}
    for task_id, task_targets in targets.items():
        for target in task_targets:
            if target.pk not in actuals:
                continue
            actual = actuals[target.pk]
            check = target_check(target, actuals)
            if check.result is None:
                continue  # a change without a baseline: counted as not judged
            if check.result:
                met += 1
                continue
            missed += 1
            value, period = actual.value, actual.period
            short = shortfall(value, check.comparator, check.value, check.value_high, direction=check.direction,
                              baseline=check.baseline, better=check.better)
            gaps.append(TargetGap(task_heading=heading(by_id[task_id]), metric=target.metric, goal=goal(target),
                                  unit=target.unit, actual=value, shortfall=short,
                                  relative=short / abs(target.value) if target.value else short, period=period))
    gaps.sort(key=lambda g: (-g.relative, g.task_heading, g.metric))
    total = sum(len(ts) for ts in targets.values())
    return met, missed, total - met - missed, gaps


def bulletin_facts(tasks: QuerySet[Task] | Sequence[Task], *, today: date, period: str | None = None,
                   sum_to_100: bool = False) -> BulletinFacts:
    """The figures of a bulletin on ``tasks`` (already scoped by the caller) for ``period``
    ("YYYY-MM", default the current month of ``today``)."""
    period = check_period(period) if period else current_period(today)
    if period > current_period(today):
        raise EduplanError(Errors.E634, period=period, today=today.isoformat())
    as_of = min(today, month_end(period))
    if isinstance(tasks, QuerySet):
        tasks = list(for_states(tasks.filter(removed_in_version__isnull=True)).order_by("plan_id", "order", "id"))
    if not tasks:
        raise EduplanError(Errors.E633)
    targets: dict[int, list[Target]] = defaultdict(list)
    for target in (Target.objects.filter(task_id__in=[t.pk for t in tasks], removed_in_version__isnull=True)
                   .select_related("indicator")):
        targets[target.task_id].append(target)
    actuals = latest_actuals((t for ts in targets.values() for t in ts), until=period)
    states, in_period, done_before, verdicts = states_at(tasks, period, as_of, targets, actuals)
    summary = summarize(states, as_of, warning_limit=0)
    assignments = [a for s in states for a in s.assignments]
    schools = {a.lead_unit.name for a in assignments if a.lead_unit.kind == OrgUnit.Kind.SCHOOL}
    due = [a for a in assignments if a.start_date <= as_of and a.pk not in done_before]
    met, missed, unreported, gaps = _target_figures(tasks, targets, actuals)
    counts = [summary.by_status.get(s, 0) for s in STATUS_ORDER]
    shares = percent_shares(counts, summary.total, sum_to_100=sum_to_100)
    return BulletinFacts(
        period=period, as_of=as_of, plans=tuple(dict.fromkeys(t.plan.title for t in tasks)),
        total=summary.total, assignments=len(assignments),
        lead_units=len({a.lead_unit_id for a in assignments}),
        unassigned=sum(1 for s in states if not s.assignments),
        not_started_unassigned=sum(1 for s in states if not s.assignments and s.verdict.status == Status.NOT_STARTED),
        by_status={s: summary.by_status.get(s, 0) for s in STATUS_ORDER},
        shares=dict(zip(STATUS_ORDER, shares, strict=True)),
        by_light={light: summary.by_light.get(light, 0) for light in (Light.RED, Light.YELLOW, Light.GREEN)},
        due_reports=len(due), reported=sum(1 for a in due if a.pk in in_period),
        # 未分派 is not a unit: its tasks count in the totals and get a sentence of their own.
        departments=[_row(g, schools) for g in summary.by_department if g.unit is not None],
        sections=[_row(g, set()) for g in summary.by_section],
        flagged=_flagged(states, verdicts), targets_total=met + missed + unreported, targets_met=met,
        targets_missed=missed, targets_unreported=unreported, target_gaps=gaps, sum_to_100=sum_to_100,
    )
