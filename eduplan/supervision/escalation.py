"""Overdue escalation: 交办 → 催办 → 督办, coloured blue → yellow → red by days overdue.

Pure: the step follows from the days past the deadline and the bureau's two thresholds
(``SupervisionRules.urge_after_days`` and ``supervise_after_days``). Work not yet due stays
at 交办 (blue, a reminder); closed work has no step.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Step(StrEnum):
    ASSIGNED = "assigned"
    URGED = "urged"
    SUPERVISED = "supervised"

    @property
    def label(self) -> str:
        return {"assigned": "交办", "urged": "催办", "supervised": "督办"}[self.value]

    @property
    def colour(self) -> str:
        return {"assigned": "blue", "urged": "yellow", "supervised": "red"}[self.value]

    @property
    def colour_label(self) -> str:
        return {"assigned": "蓝", "urged": "黄", "supervised": "红"}[self.value]


STEP_ORDER = {"": 0, Step.ASSIGNED: 1, Step.URGED: 2, Step.SUPERVISED: 3}


@dataclass(frozen=True)
class Escalation:
    step: Step
    days_overdue: int

    @property
    def text(self) -> str:
        if self.days_overdue:
            return f"{self.step.label}（逾期 {self.days_overdue} 天）"
        return self.step.label


def escalate(days_overdue: int, *, urge_after: int = 1, supervise_after: int = 15) -> Step:
    """The step for work ``days_overdue`` days past its deadline (0 or less: not overdue)."""
    if days_overdue >= max(supervise_after, 1):
        return Step.SUPERVISED
    if days_overdue >= max(urge_after, 1):
        return Step.URGED
    return Step.ASSIGNED
