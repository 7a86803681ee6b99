"""Figures of the dashboard, from task states; the page and the API show the same.

``summarize`` counts states it is given (the ledger and the bulletin judge past dates);
``dashboard_for`` reads today's stored states (``tracking.state_store``) and counts in SQL."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from eduplan.orgs.access import Scope
from eduplan.orgs.models import OrgUnit
from eduplan.tracking import state_store
from eduplan.tracking.models import Assignment, Task
from eduplan.tracking.status import LIGHT_ORDER, Light, Status
from eduplan.tracking.warnings import ListedTask, TaskState

UNASSIGNED = "未分派"


@dataclass
class Group:
    """Completion of one section or one department."""

    name: str
    total: int = 0
    unit: OrgUnit | None = None  # the lead unit a department row stands for (None: a section, 未分派)
    done: int = 0
    percent_sum: int = 0
    lights: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)

    @property
    def done_share(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def average_percent(self) -> int:
        return round(self.percent_sum / self.total) if self.total else 0

    def add(self, state: TaskState) -> None:
        self.count(state.verdict.status, state.verdict.light, state.percent)

    def count(self, status: Status, light: Light, percent: int) -> None:
        self.total += 1
        self.done += status == Status.DONE
        self.percent_sum += 100 if status == Status.DONE else percent
        self.lights[light] += 1
        self.statuses[status] += 1

    def to_dict(self) -> dict:
        return {"name": self.name, "total": self.total, "done": self.done, "done_share": self.done_share,
                "average_percent": self.average_percent,
                "lights": {light.value: self.lights.get(light, 0) for light in Light}}


@dataclass
class Summary:
    today: date
    total: int
    by_status: dict[Status, int]
    by_light: dict[Light, int]
    by_section: list[Group]
    by_department: list[Group]
    warnings: list[ListedTask]  # red then yellow, most behind first
    overdue: list[ListedTask]

    def to_dict(self) -> dict:
        def brief(task: ListedTask) -> dict:
            return {"id": task.pk, "number": task.number, "title": task.title,
                    "plan": task.plan_title, "status": task.verdict.status.value,
                    "status_label": task.verdict.status.label, "light": task.verdict.light.value,
                    "lead_units": [lead.unit_name for lead in task.leads],
                    "reasons": list(task.verdict.reasons)}

        return {
            "today": self.today.isoformat(), "total": self.total,
            "by_status": {s.value: self.by_status.get(s, 0) for s in Status},
            "by_light": {light.value: self.by_light.get(light, 0) for light in Light},
            "by_section": [g.to_dict() for g in self.by_section],
            "by_department": [g.to_dict() for g in self.by_department],
            "warnings": [brief(s) for s in self.warnings],
            "overdue": [brief(s) for s in self.overdue],
        }


def _section_name(plan_title: str, section_label: str | None, section_title: str | None, one_plan: bool) -> str:
    if section_title is None:
        return plan_title
    return f"{section_label}、{section_title}" if one_plan else f"{plan_title[:12]}·{section_title}"


class _Groups:
    """Tasks counted by section and by lead unit, in the order they come."""

    def __init__(self, one_plan: bool) -> None:
        self.one_plan = one_plan
        self.sections: dict[str, Group] = {}
        # Keyed by unit: two schools of the same name in different groups are two rows.
        self.departments: dict[int | None, Group] = {}

    def count(self, section_name: str, leads: dict[int | None, OrgUnit | None], status: Status, light: Light,
              percent: int) -> None:
        self.sections.setdefault(section_name, Group(section_name)).count(status, light, percent)
        for key, lead in (leads or {None: None}).items():
            if key not in self.departments:
                self.departments[key] = Group(lead.name if lead else UNASSIGNED, unit=lead)
            self.departments[key].count(status, light, percent)

    def by_department(self) -> list[Group]:
        return sorted(self.departments.values(), key=lambda g: (g.name == UNASSIGNED, -g.total, g.name))


def summarize(states: Sequence[TaskState], today: date, warning_limit: int = 50) -> Summary:
    groups = _Groups(one_plan=len({s.task.plan_id for s in states}) == 1)
    for state in states:
        section = state.task.section
        groups.count(_section_name(state.task.plan.title, section and section.label, section and section.title,
                                   groups.one_plan),
                     {a.lead_unit_id: a.lead_unit for a in state.assignments},
                     state.verdict.status, state.verdict.light, state.percent)
    flagged = [s for s in states if s.verdict.light != Light.GREEN and s.verdict.status != Status.DONE]
    flagged.sort(key=lambda s: (-LIGHT_ORDER[s.verdict.light], -(s.verdict.expected - s.percent)))
    overdue = [s for s in states if s.verdict.status == Status.OVERDUE]
    return Summary(
        today=today,
        total=len(states),
        by_status=Counter(s.verdict.status for s in states),
        by_light=Counter(s.verdict.light for s in states),
        by_section=list(groups.sections.values()),
        by_department=groups.by_department(),
        warnings=[ListedTask.of(s) for s in flagged[:warning_limit]],
        overdue=[ListedTask.of(s) for s in overdue[:warning_limit]],
    )


def dashboard_for(tasks: QuerySet[Task], today: date, warning_limit: int = 50, scope: Scope | None = None,
                  ) -> Summary:
    """``summarize`` of today's states of ``tasks``, read from the stored states: the totals,
    the groups and which tasks are listed from one slim row per task; only the warnings and
    overdue tasks listed are read whole (``state_store.listed_tasks``). ``scope``: the reader's,
    when ``tasks`` are within what it sees (``state_store.ensure_current``)."""
    state_store.ensure_current(tasks, today, scope)
    rows = list(tasks.order_by("plan_id", "order", "pk").values_list(
        "pk", "plan_id", "plan__title", "section__label", "section__title",
        "stored_state__status", "stored_state__light", "stored_state__percent",
        "stored_state__light_rank", "stored_state__expected"))
    leads: dict[int, dict[int | None, OrgUnit | None]] = defaultdict(dict)
    pairs = list(Assignment.objects.filter(task_id__in=[row[0] for row in rows]).order_by("task_id", "id")
                 .values_list("task_id", "lead_unit_id"))
    units = OrgUnit.objects.in_bulk({unit_id for _, unit_id in pairs})
    for task_id, unit_id in pairs:
        leads[task_id][unit_id] = units[unit_id]
    groups = _Groups(one_plan=len({row[1] for row in rows}) == 1)
    by_status: Counter[Status] = Counter()
    by_light: Counter[Light] = Counter()
    for task_id, _, plan_title, section_label, section_title, status, light, percent, _, _ in rows:
        groups.count(_section_name(plan_title, section_label, section_title, groups.one_plan), leads.get(task_id, {}),
                     Status(status), Light(light), percent)
        by_status[Status(status)] += 1  # counted from the rows read for the groups: no second query
        by_light[Light(light)] += 1
    # The lists are chosen from the same rows, in ``summarize``'s order (the rows come in plan
    # order and the sort is stable); only the tasks listed are read whole.
    flagged = sorted((row for row in rows if row[6] != Light.GREEN.value and row[5] != Status.DONE.value),
                     key=lambda row: (-row[8], row[7] - row[9]))[:warning_limit]
    overdue = [row for row in rows if row[5] == Status.OVERDUE.value][:warning_limit]
    # The ids come from ``tasks``, already narrowed to what the reader may see; a task deleted
    # since the rows were read is left out.
    listed_ids = {row[0] for row in flagged + overdue}
    listed = state_store.listing(state_store.with_state(Task.objects.filter(pk__in=listed_ids)))
    states = {task.pk: task for task in state_store.listed_tasks(listed)}
    return Summary(today=today, total=len(rows), by_status=by_status, by_light=by_light,
                   by_section=list(groups.sections.values()), by_department=groups.by_department(),
                   warnings=[states[row[0]] for row in flagged if row[0] in states],
                   overdue=[states[row[0]] for row in overdue if row[0] in states])
