"""Figures of the dashboard, computed from task states; the page and the API show the same."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from eduplan.orgs.models import OrgUnit
from eduplan.tracking.models import Task
from eduplan.tracking.status import LIGHT_ORDER, Light, Status
from eduplan.tracking.warnings import TaskState, for_states, task_states

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
        self.total += 1
        self.done += state.verdict.status == Status.DONE
        self.percent_sum += 100 if state.verdict.status == Status.DONE else state.percent
        self.lights[state.verdict.light] += 1
        self.statuses[state.verdict.status] += 1

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
    warnings: list[TaskState]  # red then yellow, most behind first
    overdue: list[TaskState]

    def to_dict(self) -> dict:
        def brief(state: TaskState) -> dict:
            return {"id": state.task.pk, "number": state.task.number, "title": state.task.title,
                    "plan": state.task.plan.title, "status": state.verdict.status.value,
                    "status_label": state.verdict.status.label, "light": state.verdict.light.value,
                    "lead_units": [a.lead_unit.name for a in state.assignments],
                    "reasons": list(state.verdict.reasons)}

        return {
            "today": self.today.isoformat(), "total": self.total,
            "by_status": {s.value: self.by_status.get(s, 0) for s in Status},
            "by_light": {light.value: self.by_light.get(light, 0) for light in Light},
            "by_section": [g.to_dict() for g in self.by_section],
            "by_department": [g.to_dict() for g in self.by_department],
            "warnings": [brief(s) for s in self.warnings],
            "overdue": [brief(s) for s in self.overdue],
        }


def summarize(states: Sequence[TaskState], today: date, warning_limit: int = 50) -> Summary:
    sections: dict[str, Group] = {}
    # Keyed by unit: two schools of the same name in different groups are two rows.
    departments: dict[int | None, Group] = {}
    one_plan = len({s.task.plan_id for s in states}) == 1
    for state in states:
        section = state.task.section
        name = f"{state.task.plan.title[:12]}·{section.title}" if section else state.task.plan.title
        if section and one_plan:
            name = f"{section.label}、{section.title}"
        sections.setdefault(name, Group(name)).add(state)
        leads = {a.lead_unit_id: a.lead_unit for a in state.assignments} or {None: None}
        for key, lead in leads.items():
            if key not in departments:
                departments[key] = Group(lead.name if lead else UNASSIGNED, unit=lead)
            departments[key].add(state)
    flagged = [s for s in states if s.verdict.light != Light.GREEN and s.verdict.status != Status.DONE]
    flagged.sort(key=lambda s: (-LIGHT_ORDER[s.verdict.light], -(s.verdict.expected - s.percent)))
    overdue = [s for s in states if s.verdict.status == Status.OVERDUE]
    return Summary(
        today=today,
        total=len(states),
        by_status=Counter(s.verdict.status for s in states),
        by_light=Counter(s.verdict.light for s in states),
        by_section=list(sections.values()),
        by_department=sorted(departments.values(), key=lambda g: (g.name == UNASSIGNED, -g.total, g.name)),
        warnings=flagged[:warning_limit],
        overdue=overdue[:warning_limit],
    )


def dashboard_for(tasks: QuerySet[Task], today: date) -> Summary:
    tasks = (for_states(tasks)
             .order_by("plan_id", "order"))
    return summarize(task_states(list(tasks), today), today)
