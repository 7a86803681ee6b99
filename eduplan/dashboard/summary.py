"""Figures of the dashboard, from task states; the page and the API show the same.

``summarize`` counts states it is given (the ledger and the bulletin judge past dates);
``dashboard_for`` reads today's stored states (``tracking.state_store``) and counts in SQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from django.db.models import QuerySet

from eduplan.orgs.access import Scope
from eduplan.orgs.models import OrgUnit
from eduplan.tracking import state_store
from eduplan.tracking.models import Task
from eduplan.tracking.status import LIGHT_ORDER, Light, Status, Verdict
from eduplan.tracking.warnings import ListedTask, TaskState

UNASSIGNED = "未分派"
T = TypeVar("T")


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


def _warnings(items: Iterable[tuple[T, Verdict, int]]) -> list[T]:
    """The items (each with its verdict and percent) a dashboard warns of: not green and not
    done, red first, then the furthest behind what the date expects; ties keep their order."""
    flagged = [(item, verdict, percent) for item, verdict, percent in items
               if verdict.light != Light.GREEN and verdict.status != Status.DONE]
    flagged.sort(key=lambda entry: (-LIGHT_ORDER[entry[1].light], entry[2] - entry[1].expected))
    return [item for item, _, _ in flagged]


def summarize(states: Sequence[TaskState], today: date, warning_limit: int = 50) -> Summary:
    groups = _Groups(one_plan=len({s.task.plan_id for s in states}) == 1)
    for state in states:
        section = state.task.section
        groups.count(_section_name(state.task.plan.title, section and section.label, section and section.title,
                                   groups.one_plan),
                     {a.lead_unit_id: a.lead_unit for a in state.assignments},
                     state.verdict.status, state.verdict.light, state.percent)
    flagged = _warnings((s, s.verdict, s.percent) for s in states)
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
    """``summarize`` of today's states of ``tasks``, read from the stored states in two
    queries (each task's ``ListedTask`` and its assignments' lead units) and one for the lead
    units: the totals, the groups and the tasks listed all come from them. ``scope``: the
    reader's, when ``tasks`` are within what it sees (``state_store.ensure_current``)."""
    state_store.ensure_current(tasks, today, scope)
    # Each task as lists show it, with its stored percent: the totals and groups count them,
    # the warnings and overdue lists pick from them.
    rows = list(state_store.with_state(tasks).order_by("plan_id", "order", "pk")
                .values_list(*state_store.LISTED_FIELDS, "stored_state__percent"))
    leads = state_store.leads_of(row[0] for row in rows)
    listed = list(zip(state_store.listed_tasks((row[:-1] for row in rows), leads), (row[-1] for row in rows),
                      strict=True))
    units = OrgUnit.objects.in_bulk({lead.unit_id for task_leads in leads.values() for lead in task_leads})
    groups = _Groups(one_plan=len({task.plan_id for task, _ in listed}) == 1)
    by_status: Counter[Status] = Counter()
    by_light: Counter[Light] = Counter()
    for task, percent in listed:
        status, light = task.verdict.status, task.verdict.light
        groups.count(_section_name(task.plan_title, *(task.section[1:] if task.section else (None, None)),
                                   groups.one_plan),
                     {lead.unit_id: units[lead.unit_id] for lead in task.leads}, status, light, percent)
        by_status[status] += 1
        by_light[light] += 1
    # In ``summarize``'s order: the rows come in plan order.
    flagged = _warnings((task, task.verdict, percent) for task, percent in listed)
    return Summary(today=today, total=len(rows), by_status=by_status, by_light=by_light,
                   by_section=list(groups.sections.values()), by_department=groups.by_department(),
                   warnings=flagged[:warning_limit],
                   overdue=[task for task, _ in listed if task.verdict.status == Status.OVERDUE][:warning_limit])
