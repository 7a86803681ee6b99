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
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
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
    """A target and its latest actual (None: nothing reported yet), with what judging needs:
    ``direction`` (level, increase_by, decrease_by), the ``baseline`` a change is measured
    from, and which way is ``better`` for the metric (higher, lower, or "" unknown)."""

    metric: str
    comparator: str
    value: float
    actual: float | None
    value_high: float | None = None
    direction: str = "level"
    baseline: float | None = None
    better: str = ""

    @property
    def result(self) -> bool | None:
        """Met, missed, or None: nothing to judge (no actual, or a change without a baseline)."""
        if self.actual is None:
            return None
        return achieved(self.actual, self.comparator, self.value, self.value_high, direction=self.direction,
                        baseline=self.baseline, better=self.better)

    @property
    def missed(self) -> bool:
        return self.result is False

    @property
    def achieved_value(self) -> float | None:
        """What is compared with the target value: the level itself, or the change since the
        baseline (a drop counted positive for decrease_by)."""
        return achieved_amount(self.actual, self.direction, self.baseline)


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


# "About" (左右, 约) allows this share of the target value either way.
ABOUT_TOLERANCE = 0.05
# Metrics where less is better, as plans name them; anything else with a direction of its own
# comes from the bound indicator.
_LOWER_IS_BETTER = ("近视", "肥胖", "超重", "大班额", "辍学", "流失", "不合格", "不及格", "差异系数", "事故",
                    "负担", "生师比", "择校", "违规")
_HIGHER_IS_BETTER = ("新增", "合格率", "达标率", "优良率", "优秀率", "覆盖率", "入学率", "入园率", "巩固率",
                     "普及率", "公办率", "占比", "比例", "参与率", "建成", "创建", "培训", "学位", "交流")


def better_of_metric(metric: str) -> str:
    """Which way is better for a metric named in a plan: "lower", "higher" or "" (unknown)."""
    if any(word in metric for word in _LOWER_IS_BETTER):
        return "lower"
    if any(word in metric for word in _HIGHER_IS_BETTER):
        return "higher"
    return ""


def achieved_amount(actual: float | None, direction: str, baseline: float | None) -> float | None:
    if actual is None:
        return None
    if direction == "increase_by":
        return None if baseline is None else actual - baseline
    if direction == "decrease_by":
        return None if baseline is None else baseline - actual
    return actual


def achieved(actual: float, comparator: str, value: float, value_high: float | None = None, *,
             direction: str = "level", baseline: float | None = None, better: str = "") -> bool | None:
    """Whether ``actual`` meets the target; None when it cannot be told (a change without a
    baseline).

    A change ("提高5个百分点", "下降0.5-1个百分点") is judged on the change since the baseline,
    where more change is better. A level is judged by its comparator; "=" and "~" (达到40%,
    40%左右) mean "reach it" when the metric has a better direction (at least for higher-is-
    better, at most for lower-is-better), and "close to it" when it has none: equal at the
    printed precision for "=", within 5% for "~".
    """
    amount = achieved_amount(actual, direction, baseline)
    if amount is None:
        return None
    if direction in ("increase_by", "decrease_by"):
        better = "higher"
    if comparator in _COMPARE:
        return _COMPARE[comparator](amount, value)
    if comparator == "range" and value_high is not None:
        if better == "higher":
            return amount >= value
        if better == "lower":
            return amount <= value_high
        return value <= amount <= value_high
    slack = abs(value) * ABOUT_TOLERANCE if comparator == "~" else _precision(value) / 2
    if better == "higher":
        return amount >= value - (slack if comparator == "~" else 0)
    if better == "lower":
        return amount <= value + (slack if comparator == "~" else 0)
    return abs(amount - value) <= slack + 1e-9


def meets(actual: float, comparator: str, value: float, value_high: float | None = None, *,
          direction: str = "level", baseline: float | None = None, better: str = "") -> bool:
    """``achieved`` is True (a target that cannot be judged is not met)."""
    return achieved(actual, comparator, value, value_high, direction=direction, baseline=baseline,
                    better=better) is True


def shortfall(actual: float, comparator: str, value: float, value_high: float | None = None, *,
              direction: str = "level", baseline: float | None = None, better: str = "") -> float:
    """How far ``actual`` is from meeting the target, in its unit (0 when met or not judged)."""
    met = achieved(actual, comparator, value, value_high, direction=direction, baseline=baseline, better=better)
    amount = achieved_amount(actual, direction, baseline)
    if met is not False or amount is None:
        return 0.0
    if direction != "level":
        better = "higher"
    if comparator in ("<=", "<") or (better == "lower" and comparator in ("=", "~")):
        return amount - value
    if comparator == "range" and value_high is not None:
        return value - amount if amount < value else amount - value_high
    if better == "" and comparator in ("=", "~"):
        return abs(value - amount)
    return value - amount


def _precision(value: float) -> float:
    """The step of the printed value: 1 for 1530, 0.1 for 95.5, 0.00001 for 0.00001."""
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return float(Decimal(1).scaleb(min(int(exponent), 0)))


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
    missed_reasons = tuple(_missed_reason(t) for t in missed)
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


def _missed_reason(check: TargetCheck) -> str:
    if check.direction in ("increase_by", "decrease_by"):
        word = "提高" if check.direction == "increase_by" else "下降"
        return (f"目标未达成：{check.metric} 实际 {_num(check.actual)}，较基线 {_num(check.baseline)} "
                f"{word} {_num(round(check.achieved_value or 0, 4))}，目标{word} {_num(check.value)}")
    return f"目标未达成：{check.metric} 实际 {_num(check.actual)}，目标 {check.comparator} {_num(check.value)}"


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@dataclass
class Tally:
    """Counts of tasks (or assignments) by status and by light: a month of the trends, a unit's figures."""

    total: int = 0
    statuses: Counter = field(default_factory=Counter)
    lights: Counter = field(default_factory=Counter)

    def add(self, status: Status, light: Light) -> None:
        self.total += 1
        self.statuses[status] += 1
        self.lights[light] += 1

    def count(self, status: Status) -> int:
        return self.statuses.get(status, 0)

    @property
    def red(self) -> int:
        return self.lights.get(Light.RED, 0)

    @property
    def yellow(self) -> int:
        return self.lights.get(Light.YELLOW, 0)

    @property
    def flagged(self) -> int:
        """Lagging or overdue: what a bulletin names."""
        return self.count(Status.LAGGING) + self.count(Status.OVERDUE)

    def to_dict(self) -> dict:
        return {"total": self.total, "by_status": {s.value: self.count(s) for s in Status},
                "by_light": {light.value: self.lights.get(light, 0) for light in Light}}

    @property
    def lagging(self) -> int:
        return self.count(Status.LAGGING)

    @property
    def overdue(self) -> int:
        return self.count(Status.OVERDUE)

    @property
    def done(self) -> int:
        return self.count(Status.DONE)

    @property
    def done_share(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
