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
from functools import lru_cache

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


@lru_cache(maxsize=4096)
def _metric_bigrams(metric: str) -> frozenset[str]:
    text = metric_key(metric)
    return frozenset(text[i:i + 2] for i in range(len(text) - 1)) or frozenset({text})


def similar(a: str, b: str) -> float:
    x, y = _metric_bigrams(a), _metric_bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y))


@dataclass
class MetricRow:
    """One metric across the plans: each plan's goal for it (None: the plan sets none)."""

    metric: str
    kind: str
    goals: list[Goal | None]


def side_by_side(plans: Sequence[ComparedPlan]) -> list[MetricRow]:
    """Every metric that at least one plan sets, with what each plan sets for it; metrics
    set by more plans first.

    Each plan's goals take the rows of earlier plans best match first (a vague "达标率" does
    not take the row an exact "合格率" belongs to); a goal a plan prints twice (in its table
    and in its text) is one goal; the rest open rows of their own."""
    rows: list[MetricRow] = []
    for column, plan in enumerate(plans):
        kinds = [unit_kind(goal) for goal in plan.goals]
        candidates = sorted(
            (-similar(row.metric, goal.metric), g, r)
            for g, goal in enumerate(plan.goals) for r, row in enumerate(rows)
            if row.kind == kinds[g] and similar(row.metric, goal.metric) >= SAME_METRIC)
        placed: set[int] = set()
        filled: set[int] = set()
        for _, g, r in candidates:
            if g not in placed and r not in filled:
                rows[r].goals[column] = plan.goals[g]
                placed.add(g)
                filled.add(r)
        seen = {(metric_key(rows[r].goals[column].metric), rows[r].kind) for r in filled}
        for g, goal in enumerate(plan.goals):
            key = (metric_key(goal.metric), kinds[g])
            if g in placed or key in seen:
                continue
            seen.add(key)
            row = MetricRow(goal.metric, kinds[g], [None] * len(plans))
            row.goals[column] = goal
            rows.append(row)
    rows.sort(key=lambda r: -sum(g is not None for g in r.goals))
    return rows
