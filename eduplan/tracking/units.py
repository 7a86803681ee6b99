"""One org unit's work: the tasks it leads or partners in, how late each is, its latest reports,
and for a school group its schools' figures. Verdicts come from ``warnings.assignment_verdict``
(the dashboard's rule), per assignment, since a unit answers for its own part of a split task.

Also the order units are listed in: departments first, then school groups and schools, each
in the order of the org tree (a group followed by its schools).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery

from eduplan.orgs.models import OrgUnit

from . import clock
from .models import Assignment, ProgressReport, Target, Task
from .status import Status, Tally, Thresholds, Verdict
from .warnings import assignment_verdict, latest_actuals, thresholds_for

UNIT_KINDS = (OrgUnit.Kind.DEPARTMENT, OrgUnit.Kind.GROUP, OrgUnit.Kind.SCHOOL)
# Worst first: what a unit has to act on heads its list.
SEVERITY = {Status.OVERDUE: 0, Status.LAGGING: 1, Status.NOT_STARTED: 2, Status.ON_TRACK: 3, Status.DONE: 4}
LATEST_REPORTS = 10


def band(unit: OrgUnit) -> int:
    """Departments, then groups and schools together (a group's schools stand under it)."""
    if unit.kind == OrgUnit.Kind.DEPARTMENT:
        return 0
    if unit.kind in (OrgUnit.Kind.GROUP, OrgUnit.Kind.SCHOOL):
        return 1
    return 2


def tree_key(unit: OrgUnit) -> tuple:
    """Sort key: the band, then the tree's order (ids along the path, compared as numbers,
    so unit 10 follows unit 9 as it was created after it)."""
    return band(unit), tuple(int(part) for part in unit.path.strip("/").split("/") if part)


def depth_below_bureau(unit: OrgUnit) -> int:
    """0 for a unit right under its bureau, 1 for a school in a group, …"""
    bureau = unit.owning_bureau_id
    parts = [int(p) for p in unit.path.strip("/").split("/") if p]
    return len(parts) - parts.index(bureau) - 2 if bureau in parts else 0


@dataclass(frozen=True)
class TaskRow:
    """One assignment the unit leads or partners in, judged."""

    assignment: Assignment
    role: str  # 牵头, 配合
    verdict: Verdict
    latest: ProgressReport | None
    today: date

    @property
    def task(self) -> Task:
        return self.assignment.task

    @property
    def lateness(self) -> str:
        """How late, in words: days past the deadline, or points behind 序时进度."""
        status = self.verdict.status
        if status == Status.OVERDUE:
            return f"逾期 {(self.today - self.assignment.deadline).days} 天"
        gap = self.verdict.expected - self.assignment.latest_percent
        if status in (Status.LAGGING, Status.NOT_STARTED) and gap > 0:
            return f"落后序时进度 {gap} 个百分点"
        return ""

    @property
    def report_age(self) -> int | None:
        """Days since the newest report, None when there is none."""
        at = self.assignment.latest_report_at
        # max: a clock fixed in the past (EDUPLAN_TODAY) would make a report's age negative.
        return max(0, (self.today - clock.local_date(at)).days) if isinstance(at, datetime) else None


@dataclass
class Figures(Tally):
    """A unit's counts: its assignments by status and light, and when it last reported."""

    unit: OrgUnit | None = None
    last_report: datetime | None = None

    def add_row(self, row: TaskRow) -> None:
        self.add(row.verdict.status, row.verdict.light)
        at = row.assignment.latest_report_at
        if at is not None and (self.last_report is None or at > self.last_report):
            self.last_report = at


@dataclass
class UnitOverview:
    unit: OrgUnit
    today: date
    figures: Figures
    rows: list[TaskRow]
    reports: list[ProgressReport]  # the newest on the unit's assignments
    schools: list[Figures]  # a group's schools; empty otherwise


def involved(unit: OrgUnit, assignment: Assignment) -> str:
    """"牵头", "配合" or "" (prefetched partners are read, not queried)."""
    if assignment.lead_unit_id == unit.pk:
        return "牵头"
    return "配合" if any(p.pk == unit.pk for p in assignment.partner_units.all()) else ""


def _judge(assignments: Sequence[Assignment], today: date) -> dict[int, Verdict]:
    task_ids = {a.task_id for a in assignments}
    targets: dict[int, list[Target]] = defaultdict(list)
    for target in (Target.objects.filter(task_id__in=task_ids, removed_in_version__isnull=True)
                   .select_related("indicator")):
        targets[target.task_id].append(target)
    actuals = latest_actuals(t for ts in targets.values() for t in ts)
    thresholds: dict[int, Thresholds] = {}
    verdicts = {}
    for a in assignments:
        bureau = a.task.plan.bureau
        if bureau.pk not in thresholds:
            thresholds[bureau.pk] = thresholds_for(bureau)
        verdicts[a.pk] = assignment_verdict(a, targets[a.task_id], actuals, today, thresholds[bureau.pk])
    return verdicts


def _latest_reports(assignment_ids: Iterable[int]) -> dict[int, ProgressReport]:
    """Each assignment's newest report, reading those reports only (not every report filed)."""
    newest = ProgressReport.objects.filter(assignment=OuterRef("pk")).order_by("-created_at", "-id").values("pk")[:1]
    ids = (Assignment.objects.filter(pk__in=list(assignment_ids)).annotate(newest=Subquery(newest))
           .values_list("newest", flat=True))
    return {report.assignment_id: report for report in
            ProgressReport.objects.filter(pk__in=[pk for pk in ids if pk is not None]).select_related("unit")}


def unit_overview(unit: OrgUnit, tasks: QuerySet[Task], today: date) -> UnitOverview:
    """``unit``'s work among ``tasks`` (already scoped to the reader by the caller)."""
    schools = list(unit.children.filter(kind=OrgUnit.Kind.SCHOOL, active=True)) if unit.kind == OrgUnit.Kind.GROUP \
        else []
    members = [unit, *schools]
    assignments = list(
        Assignment.objects.filter(task__in=tasks.filter(removed_in_version__isnull=True))
        .filter(Q(lead_unit__in=members) | Q(partner_units__in=members)).distinct()
        .select_related("task", "task__plan", "task__plan__bureau", "task__section", "lead_unit", "measure")
        .defer("task__plan__source_text")
        .prefetch_related("partner_units", "milestones"))
    verdicts = _judge(assignments, today)
    latest = _latest_reports(a.pk for a in assignments)
    figures = {member.pk: Figures(unit=member) for member in members}
    rows: list[TaskRow] = []
    for a in assignments:
        for member in members:
            role = involved(member, a)
            if not role:
                continue
            row = TaskRow(a, role, verdicts[a.pk], latest.get(a.pk), today)
            figures[member.pk].add_row(row)
            if member.pk == unit.pk:
                rows.append(row)
    rows.sort(key=lambda r: (SEVERITY[r.verdict.status], r.role != "牵头", r.assignment.deadline,
                             r.task.plan_id, r.task.order, r.assignment.pk))
    reports = list(ProgressReport.objects.filter(assignment__in=[r.assignment.pk for r in rows])
                   .select_related("unit", "created_by", "assignment__task").order_by("-created_at", "-id")
                   [:LATEST_REPORTS])
    return UnitOverview(unit, today, figures[unit.pk], rows, reports,
                        sorted((figures[s.pk] for s in schools), key=lambda f: tree_key(f.unit)))
