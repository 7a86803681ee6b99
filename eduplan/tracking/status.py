"""Status and red/yellow/green of a piece of work, from dates, progress and target actuals.

Pure and deterministic: every input, ``today`` included, is an argument. The rule, after
the 序时进度 practice of government supervision (expected progress = the elapsed share of
the work's period):

- reported done (100% or "已完成") and no target actual falls short → 已完成, green;
- past the deadline and not done → 逾期, red;
- otherwise gap = expected − reported percentage points;
  no report yet → 未启动, else gap ≥ yellow_gap → 滞后, else 按进度推进;
  colour: gap ≥ red_gap → red, gap ≥ yellow_gap → yellow, else green;
- a target whose latest actual misses it makes a done task 滞后 (yellow) and turns an
  otherwise green task yellow;
- a milestone past its date and not ticked off turns green into yellow;
- due within ``due_soon_days`` and not done turns green into yellow.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Status(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    LAGGING = "lagging"
    OVERDUE = "overdue"
    DONE = "done"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.NOT_STARTED: "未启动",
    Status.ON_TRACK: "按进度推进",
    Status.LAGGING: "滞后",
    Status.OVERDUE: "逾期",
    Status.DONE: "已完成",
}


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @property
    def label(self) -> str:
        return {"green": "绿", "yellow": "黄", "red": "红"}[self.value]


LIGHT_ORDER = {Light.GREEN: 0, Light.YELLOW: 1, Light.RED: 2}


@dataclass(frozen=True)
class Thresholds:
    yellow_gap: int = 10
    red_gap: int = 30
    due_soon_days: int = 14


@dataclass(frozen=True)
class TargetCheck:
    """A target and its latest actual (None: nothing reported yet)."""

    metric: str
    comparator: str
    value: float
    actual: float | None
    value_high: float | None = None

    @property
    def missed(self) -> bool:
        if self.actual is None:
            return False
        return not meets(self.actual, self.comparator, self.value, self.value_high)


@dataclass(frozen=True)
class Progress:
    start: date
    deadline: date
    percent: int = 0
    reported: bool = False
    done: bool = False
    targets: Sequence[TargetCheck] = field(default_factory=tuple)
    missed_milestones: Sequence[str] = field(default_factory=tuple)  # "2025-05-31 方案印发"


@dataclass(frozen=True)
class Verdict:
    status: Status
    light: Light
    expected: int  # 序时进度, percent
    reasons: tuple[str, ...]


_COMPARE = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}


def meets(actual: float, comparator: str, value: float, value_high: float | None = None) -> bool:
    if comparator in _COMPARE:
        return _COMPARE[comparator](actual, value)
    if comparator == "range" and value_high is not None:
        return value <= actual <= value_high
    # "=" and "~": a stated level counts as met when reached ("新增学位1530个" and 1600 built).
    return actual >= value


def expected_percent(start: date, deadline: date, today: date) -> int:
    """序时进度: the share of the period [start, deadline] elapsed by the end of ``today``."""
    if today < start:
        return 0
    total = (deadline - start).days + 1
    if total <= 0 or today >= deadline:
        return 100
    return int(100 * ((today - start).days + 1) / total)


def judge(progress: Progress, today: date, thresholds: Thresholds = Thresholds()) -> Verdict:
    expected = expected_percent(progress.start, progress.deadline, today)
    missed = [t for t in progress.targets if t.missed]
    missed_reasons = tuple(f"目标未达成：{t.metric} 实际 {_num(t.actual)}，目标 {t.comparator} {_num(t.value)}"
                           for t in missed)
    done = progress.done or progress.percent >= 100
    if done and not missed:
        return Verdict(Status.DONE, Light.GREEN, expected, ("已完成",))
    if today > progress.deadline:
        days = (today - progress.deadline).days
        return Verdict(Status.OVERDUE, Light.RED, expected,
                       (f"已超过完成时限 {progress.deadline:%Y-%m-%d} {days} 天",) + missed_reasons)
    if done:
        return Verdict(Status.LAGGING, Light.YELLOW, expected, ("已报告完成，但有目标未达成", *missed_reasons))
    gap = expected - progress.percent
    reasons = [f"序时进度 {expected}%，实际进度 {progress.percent}%"]
    if gap >= thresholds.red_gap:
        light = Light.RED
    elif gap >= thresholds.yellow_gap:
        light = Light.YELLOW
    else:
        light = Light.GREEN
    if not progress.reported:
        status = Status.NOT_STARTED
        reasons[0] = f"尚未填报进展，序时进度 {expected}%"
    elif gap >= thresholds.yellow_gap:
        status = Status.LAGGING
        reasons.append(f"落后序时进度 {gap} 个百分点")
    else:
        status = Status.ON_TRACK
    if (missed or progress.missed_milestones) and light == Light.GREEN:
        light = Light.YELLOW
    reasons.extend(missed_reasons)
    reasons.extend(f"时间节点已过未完成：{m}" for m in progress.missed_milestones)
    days_left = (progress.deadline - today).days
    if days_left <= thresholds.due_soon_days and light == Light.GREEN and today >= progress.start:
        light = Light.YELLOW
        reasons.append(f"距完成时限仅剩 {days_left} 天")
    return Verdict(status, light, expected, tuple(reasons))


def worst(verdicts: Sequence[Verdict]) -> Verdict | None:
    """The verdict to show for a task split over several assignments."""
    if not verdicts:
        return None
    if all(v.status == Status.DONE for v in verdicts):
        return verdicts[0]
    open_ones = [v for v in verdicts if v.status != Status.DONE]
    return max(open_ones, key=lambda v: (LIGHT_ORDER[v.light], v.status == Status.OVERDUE, v.expected))


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
