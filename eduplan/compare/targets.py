"""Targets side by side: the same metric across plans, in comparable units.

Metrics are matched on their wording (character bigrams; "全区中小学生体质健康合格率" and
"学生体质健康达标率" share most of theirs) once the place prefix is dropped, and only when
their units measure the same kind of thing: a level in % is not a change in 百分点, and a
count of 所 is not one of 个.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .items import ComparedPlan, Goal

SAME_METRIC = 0.5  # Dice coefficient of the metrics' bigrams
_PLACE = re.compile(r"^(全[区县市省旗]|本[区县市]|我[区县市])")
_SCALE = {"万": 1e4, "亿": 1e8, "千": 1e3}
# Units that count the same kind of thing once their scale is taken off.
_KINDS = {"%": "share", "百分点": "points", "元": "money", "人": "people", "名": "people", "人次": "people",
          "个": "count", "所": "schools", "平方米": "area", "万平方米": "area", "项": "count", "次": "count"}


def metric_key(metric: str) -> str:
    return _PLACE.sub("", re.sub(r"\s+", "", metric))


def scale_of(goal: Goal) -> tuple[float, str]:
    """How many base units one of the goal's units is ("亿元" → 1e8, "元"), and the base unit."""
    unit = goal.unit
    if unit and unit[0] in _SCALE and len(unit) > 1:
        return _SCALE[unit[0]], unit[1:]
    return 1.0, unit


def normalised(goal: Goal) -> tuple[float, float | None, str]:
    """The goal's value(s) in the base unit ("1.2亿元" → 120000000 元), and that unit."""
    scale, unit = scale_of(goal)
    high = goal.value_high * scale if goal.value_high is not None else None
    return goal.value * scale, high, unit


def unit_kind(goal: Goal) -> str:
    _, _, unit = normalised(goal)
    kind = _KINDS.get(unit, unit)
    return f"{goal.direction}:{kind}"


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def similar(a: str, b: str) -> float:
    x, y = _bigrams(metric_key(a)), _bigrams(metric_key(b))
    return 2 * len(x & y) / (len(x) + len(y))


@dataclass
class MetricRow:
    """One metric across the plans: each plan's goal for it (None: the plan sets none)."""

    metric: str
    kind: str
    goals: list[Goal | None]


def side_by_side(plans: Sequence[ComparedPlan]) -> list[MetricRow]:
    """Every metric that at least one plan sets, with what each plan sets for it; metrics
    set by more plans first."""
    rows: list[MetricRow] = []
    for column, plan in enumerate(plans):
        for goal in plan.goals:
            kind = unit_kind(goal)
            row = max((r for r in rows if r.kind == kind and r.goals[column] is None),
                      key=lambda r: similar(r.metric, goal.metric), default=None)
            if row is None or similar(row.metric, goal.metric) < SAME_METRIC:
                row = MetricRow(goal.metric, kind, [None] * len(plans))
                rows.append(row)
            row.goals[column] = goal
    rows.sort(key=lambda r: -sum(g is not None for g in r.goals))
    return rows
