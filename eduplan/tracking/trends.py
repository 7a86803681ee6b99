"""Status over the reporting months: how many tasks were on schedule, lagging, overdue or red
at the end of each month, for the whole scope and per lead unit.

Each month's picture is the state at the month's end (today for the current month), judged
by ``warnings.task_verdict`` — the dashboard's own rule — on the data as it stood then, as
the 督查通报 does: each assignment counts with its newest report filed for that month or an
earlier one, each target with its newest actual of those months. Assignments and their dates
are taken as they stand now and milestones as ticked now (neither change is dated). For the
current month the figures are the dashboard's.

Everything is read once (tasks, assignments, targets, reports); only target actuals are
read per month, since an actual "as of a month" is the indicators' own computation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from eduplan.orgs.models import OrgUnit
from eduplan.periods import Period

from .assigning import default_period
from .models import Assignment, ProgressReport, Target, Task
from .status import Status, Tally, Thresholds
from .units import tree_key
from .warnings import for_states, latest_actuals, task_verdict, thresholds_for

# A five-year plan would otherwise draw sixty columns; the latest two years say enough.
MAX_MONTHS = 24
# The order of a stacked column, bottom up: finished work at the foot, trouble on top.
STATUS_STACK = (Status.DONE, Status.ON_TRACK, Status.NOT_STARTED, Status.LAGGING, Status.OVERDUE)


@dataclass
class UnitTrend:
    """One lead unit's tallies, month by month (None: the tasks nobody was assigned)."""

    unit: OrgUnit | None
    months: list[Tally]

    @property
    def name(self) -> str:
        return self.unit.name if self.unit else "未分派"


@dataclass
class Trends:
    today: date
    months: list[str]  # "2025-01", …, the current month last
    as_of: list[date]  # the day each month is judged on
    overall: list[Tally]
    units: list[UnitTrend]  # departments, then groups and schools in the tree's order, 未分派 last

    def month_label(self, index: int) -> str:
        return Period.parse(self.months[index]).label

    def to_dict(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "months": [{"period": m, "as_of": d.isoformat(), **t.to_dict()}
                       for m, d, t in zip(self.months, self.as_of, self.overall, strict=True)],
            "units": [{"unit_id": u.unit.pk if u.unit else None, "name": u.name,
                       "kind": u.unit.kind if u.unit else None,
                       "months": [{"period": m, **t.to_dict()} for m, t in zip(self.months, u.months, strict=True)]}
                      for u in self.units],
        }


def month_range(first: date, last: date, most: int = MAX_MONTHS) -> list[str]:
    """Month keys from ``first``'s month to ``last``'s, the latest ``most`` of them."""
    keys = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys[-most:] if most else keys


def _reports_by_assignment(assignment_ids: list[int]) -> dict[int, list[tuple[str, int, str, object]]]:
    """Every report of the assignments, oldest first: (period, percent, state, created_at)."""
    reports: dict[int, list[tuple[str, int, str, object]]] = defaultdict(list)
    rows = (ProgressReport.objects.filter(assignment_id__in=assignment_ids).order_by("created_at", "id")
            .values_list("assignment_id", "period", "percent", "state", "created_at"))
    for assignment_id, period, percent, state, created_at in rows.iterator(chunk_size=5000):
        reports[assignment_id].append((period, percent, state, created_at))
    return reports


def _as_of(assignment: Assignment, reports: Sequence[tuple[str, int, str, object]], period: str) -> Assignment:
    """The same row with its latest report as of ``period``: the newest filed for it or before."""
    # A shallow copy of the instance's fields, sharing its loaded relations (read only here):
    # copy.copy goes through Model.__getstate__ and costs several times more, month after month.
    past = Assignment.__new__(Assignment)
    past.__dict__ = dict(assignment.__dict__)
    newest = None
    for report in reports:
        if report[0] <= period:
            newest = report
    past.latest_percent, past.latest_state, past.latest_report_at = (
        (newest[1], newest[2], newest[3]) if newest else (0, "", None))
    return past


def state_trends(tasks: QuerySet[Task] | Sequence[Task], today: date, *, unit: OrgUnit | None = None) -> Trends:
    """Month-end tallies of ``tasks`` (already scoped by the caller) from the first month of
    the plans' years (or of earlier work) to today's, at most ``MAX_MONTHS``; with ``unit``, only
    the tasks it leads or partners in."""
    if isinstance(tasks, QuerySet):
        tasks = list(for_states(tasks.filter(removed_in_version__isnull=True)).order_by("plan_id", "order", "id"))
    tasks = list(tasks)
    task_ids = [t.pk for t in tasks]
    by_task: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in (Assignment.objects.filter(task_id__in=task_ids).select_related("lead_unit")
                       .prefetch_related("partner_units", "milestones")):
        by_task[assignment.task_id].append(assignment)
    if unit is not None:
        def involves(a: Assignment) -> bool:
            return a.lead_unit_id == unit.pk or any(p.pk == unit.pk for p in a.partner_units.all())

        tasks = [t for t in tasks if any(involves(a) for a in by_task.get(t.pk, ()))]
    targets: dict[int, list[Target]] = defaultdict(list)
    for target in (Target.objects.filter(task_id__in=[t.pk for t in tasks], removed_in_version__isnull=True)
                   .select_related("indicator")):
        targets[target.task_id].append(target)
    every_target = [t for ts in targets.values() for t in ts]
    reports = _reports_by_assignment([a.pk for t in tasks for a in by_task.get(t.pk, ())])
    # From the start of the plans' years (or earlier work), so every plan shows its whole year.
    starts = [a.start_date for t in tasks for a in by_task.get(t.pk, ())]
    starts += [default_period(plan, today)[0] for plan in {t.plan_id: t.plan for t in tasks}.values()]
    months = month_range(min(starts), today) if starts else []
    thresholds: dict[int, Thresholds] = {}
    leads: dict[int, OrgUnit] = {}
    overall: list[Tally] = []
    per_unit: dict[int | None, list[Tally]] = {}
    days: list[date] = []
    for index, period in enumerate(months):
        as_of = min(today, Period.parse(period).end)
        days.append(as_of)
        actuals = latest_actuals(every_target, until=period) if every_target else {}
        tally = Tally()
        for task in tasks:
            bureau_id = task.plan.bureau_id
            if bureau_id not in thresholds:
                thresholds[bureau_id] = thresholds_for(task.plan.bureau)
            current = by_task.get(task.pk, [])
            then = [_as_of(a, reports.get(a.pk, ()), period) for a in current]
            verdict = task_verdict(task, then, targets.get(task.pk, []), actuals, as_of, thresholds[bureau_id])
            tally.add(verdict.status, verdict.light)
            # As the dashboard counts: a task under each of its lead units, once.
            for lead in {a.lead_unit_id: a.lead_unit for a in current}.values() or [None]:
                key = lead.pk if lead else None
                if lead is not None:
                    leads[lead.pk] = lead
                if key not in per_unit:
                    per_unit[key] = [Tally() for _ in months]
                per_unit[key][index].add(verdict.status, verdict.light)
        overall.append(tally)
    ordered = sorted((k for k in per_unit if k is not None), key=lambda k: tree_key(leads[k]))
    units = [UnitTrend(leads[k], per_unit[k]) for k in ordered]
    if None in per_unit:
        units.append(UnitTrend(None, per_unit[None]))
    return Trends(today, months, days, overall, units)
