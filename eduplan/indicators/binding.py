"""Plan targets bound to indicators: a suggestion from the target's metric text, confirmed by
the admin; and the path a target expects from its baseline to its target year."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from eduplan.audit.log import record

from .models import Indicator

_SEPARATORS = re.compile(r"[、，,;；\s]+")


def keywords(indicator: Indicator) -> list[str]:
    return [word for word in _SEPARATORS.split(f"{indicator.name}、{indicator.keywords}") if word]


def suggest(metric: str, indicators: Iterable[Indicator] | None = None) -> Indicator | None:
    """The indicator whose name or keyword is found in the metric text, the longest match
    winning ("体质健康测试合格率" over "合格率"); None when nothing matches."""
    best: tuple[int, Indicator] | None = None
    for indicator in (indicators if indicators is not None else Indicator.objects.all()):
        for word in keywords(indicator):
            if word in metric and (best is None or len(word) > best[0]):
                best = (len(word), indicator)
    return best[1] if best else None


def bind(target, indicator: Indicator | None, *, user) -> None:
    """Confirm (or with None, undo) a target's indicator; recorded in the audit log."""
    before = {"indicator": str(target.indicator) if target.indicator_id else None}
    target.indicator = indicator
    target.save(update_fields=["indicator"])
    record(user, "target.bind", target, before, {"indicator": str(indicator) if indicator else None})


@dataclass(frozen=True)
class Goal:
    """A target as a level to reach by a year, from a baseline (both levels)."""

    baseline_year: int | None
    baseline: float | None
    year: int | None
    level: float | None  # the level the target asks for (a change applied to the baseline)


def goal_of(target) -> Goal:
    """Where a target wants the figure to be: its value, or for a change (提高/下降 N) the
    baseline moved by N."""
    level: float | None = target.value
    if target.direction == "increase_by":
        level = None if target.baseline_value is None else target.baseline_value + target.value
    elif target.direction == "decrease_by":
        level = None if target.baseline_value is None else target.baseline_value - target.value
    return Goal(target.baseline_year, target.baseline_value, target.year, level)


def expected_level(goal: Goal, year: int) -> float | None:
    """The level expected in ``year`` on a straight path from the baseline to the target
    (the target itself from its year on; None without both ends)."""
    if goal.level is None or goal.baseline is None or goal.baseline_year is None or goal.year is None:
        return None
    if year >= goal.year or goal.year <= goal.baseline_year:
        return goal.level
    if year <= goal.baseline_year:
        return goal.baseline
    share = (year - goal.baseline_year) / (goal.year - goal.baseline_year)
    return goal.baseline + (goal.level - goal.baseline) * share
