"""A comparison of N plans, built once and rendered as a page, an xlsx or html report:

- each task's theme and the words that decided it, and the coverage matrix by theme;
- each plan's tasks aligned with the first plan's (the reference: the city's plan, last
  year's, or the five-year plan), with the score and the shared words;
- targets side by side for the same metric;
- what each plan lacks against the reference: its themes with no task, the reference's
  tasks with no partner;
- for two plans of different years, what was added, dropped, raised or lowered;
- for an annual plan against a five-year plan, which five-year tasks it covers and, for each
  five-year indicator with a baseline, the level expected this year on the straight path to
  its target against the annual plan's own target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .align import Pair, Space
from .items import ComparedPlan, Goal, Item
from .targets import MetricRow, normalised, scale_of, side_by_side
from .themes import OTHER, Taxonomy, ThemeMatch, coverage


@dataclass(frozen=True)
class Change:
    """A metric two years set differently (or one sets alone)."""

    metric: str
    kind: str  # added, dropped, raised, lowered, same
    before: Goal | None
    after: Goal | None


@dataclass(frozen=True)
class PathCheck:
    """A five-year indicator in the annual plan's year: where the straight path from its
    baseline to its target stands, and what the annual plan itself asks."""

    metric: str
    baseline: float
    baseline_year: int
    target: float
    target_year: int
    year: int
    expected: float
    annual: Goal | None
    unit: str = ""  # the base unit of baseline, target and expected

    @property
    def annual_behind_path(self) -> bool | None:
        """Whether the annual plan asks for less than the path expects (None: no annual target)."""
        if self.annual is None or self.annual.direction != "level":
            return None
        value = normalised(self.annual)[0]
        rising = self.target >= self.baseline
        return value < self.expected if rising else value > self.expected


@dataclass
class Comparison:
    plans: list[ComparedPlan]
    themes: list[list[ThemeMatch]]  # per plan, per task
    coverage: dict[str, list[int]]
    alignments: list[list[Pair | None]]  # per plan: for each reference task, its partner there
    metrics: list[MetricRow]
    unmatched: list[list[int]] = field(default_factory=list)  # per plan: its tasks no reference task took
    changes: list[Change] = field(default_factory=list)  # first two plans, when of different years
    path: list[PathCheck] = field(default_factory=list)  # annual against five-year

    @property
    def reference(self) -> ComparedPlan:
        return self.plans[0]

    def lacking_themes(self, column: int) -> list[str]:
        """Themes the reference has and this plan has no task in."""
        return [theme for theme, counts in self.coverage.items()
                if theme != OTHER and counts[0] and not counts[column]]

    def missing_tasks(self, column: int) -> list[Item]:
        """Tasks of the reference with no partner in this plan."""
        return [self.reference.items[i] for i, pair in enumerate(self.alignments[column]) if pair is None]


def compare(plans: Sequence[ComparedPlan], taxonomy: Taxonomy | None = None) -> Comparison:
    plans = list(plans)
    taxonomy = taxonomy or Taxonomy.default()
    themes = [[taxonomy.classify(item) for item in plan.items] for plan in plans]
    space = Space(plans, themes)
    # The reference against itself is every task to itself: no need to compute it.
    alignments = [[Pair(i, i, 1.0, ()) for i in range(len(plans[0].items))]]
    alignments += [space.align(0, column) for column in range(1, len(plans))]
    unmatched = []
    for column, pairs in enumerate(alignments):
        taken = {pair.right for pair in pairs if pair is not None}
        unmatched.append([i for i in range(len(plans[column].items)) if i not in taken])
    result = Comparison(plans, themes, coverage(taxonomy, themes), alignments, side_by_side(plans),
                        unmatched)
    if len(plans) >= 2:
        first, second = plans[0], plans[1]
        if first.kind == "five_year" and second.kind != "five_year":
            result.path = path_checks(first, second)
        elif second.kind == "five_year" and first.kind != "five_year":
            result.path = path_checks(second, first)
        elif first.year and second.year and first.year != second.year:
            older, newer = (0, 1) if first.year < second.year else (1, 0)
            result.changes = year_changes(result.metrics, older, newer)
    return result


def year_changes(metrics: Sequence[MetricRow], older: int, newer: int) -> list[Change]:
    """What the newer plan added, dropped, raised or lowered against the older one."""
    changes = []
    for row in metrics:
        before, after = row.goals[older], row.goals[newer]
        if before is None and after is None:
            continue
        if before is None:
            changes.append(Change(row.metric, "added", None, after))
        elif after is None:
            changes.append(Change(row.metric, "dropped", before, None))
        else:
            old, new = normalised(before)[0], normalised(after)[0]
            kind = "raised" if new > old else "lowered" if new < old else "same"
            changes.append(Change(row.metric, kind, before, after))
    return changes


def path_checks(five_year: ComparedPlan, annual: ComparedPlan) -> list[PathCheck]:
    """Each five-year indicator with a baseline and a target year, at the annual plan's year."""
    year = annual.year
    if year is None:
        return []
    rows = side_by_side([five_year, annual])
    checks = []
    for row in rows:
        goal, own = row.goals
        if goal is None or goal.baseline is None or goal.baseline_year is None or goal.direction != "level":
            continue
        target_year = goal.year or (five_year.period[1] if five_year.period else None)
        if target_year is None or target_year <= goal.baseline_year:
            continue
        target = normalised(goal)[0]
        baseline = goal.baseline * scale_of(goal)[0]  # printed in the goal's own unit
        share = min(1.0, max(0.0, (year - goal.baseline_year) / (target_year - goal.baseline_year)))
        expected = baseline + (target - baseline) * share
        checks.append(PathCheck(goal.metric, baseline, goal.baseline_year, target, target_year, year,
                                round(expected, 2), own, normalised(goal)[2]))
    return checks
