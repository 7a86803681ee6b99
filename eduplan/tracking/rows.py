"""What one row of a task table shows, as a hashable value (``fragments.render_row``): the task
list and the dashboard's warning and overdue lists render their rows from these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .status import Light, Status
from .warnings import ListedTask


@dataclass(frozen=True)
class TaskRow:
    pk: int
    number: str
    title: str
    plan_title: str  # "" where the list shows one plan only
    status: Status
    light: Light
    expected: int  # 序时进度
    percent: int
    reasons: tuple[str, ...]
    leads: tuple[str, ...]  # the lead units' names, one per assignment
    deadlines: tuple[date, ...]  # the assignments' deadlines, in the same order

    @classmethod
    def of(cls, task: ListedTask, *, with_plan: bool = False) -> TaskRow:
        verdict = task.verdict
        return cls(pk=task.pk, number=task.number, title=task.title, plan_title=task.plan_title if with_plan else "",
                   status=verdict.status, light=verdict.light, expected=verdict.expected, percent=task.percent,
                   reasons=tuple(verdict.reasons), leads=tuple(lead.unit_name for lead in task.leads),
                   deadlines=tuple(lead.deadline for lead in task.leads))
