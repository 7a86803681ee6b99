"""What the comparison page shows, built from stored plans: the plans chosen (each a column,
the reference first), the coverage by theme with its chart, each reference task with its
partners, what each plan lacks, targets side by side, year changes and the five-year path.

The words and numbers are the comparison report's (``eduplan.compare.report``), so the page
and the .xlsx download say the same things; the page adds what only it has: links to the
tasks the viewer may open."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.http import Http404

from eduplan.compare import report
from eduplan.compare.comparison import Comparison, PathCheck, compare
from eduplan.compare.items import ComparedPlan
from eduplan.compare.themes import ThemeMatch
from eduplan.errors import EduplanError, Errors
from eduplan.orgs.access import Scope, scope_for
from eduplan.tracking.access import visible_plans, visible_tasks
from eduplan.tracking.assigning import MAX_ID
from eduplan.tracking.models import Plan

from .chart import coverage_svg, cut
from .stored import StoredPlan, load, taxonomy_for

MIN_PLANS, MAX_PLANS = 2, 20
SHARED_CHARS = 20  # a shared run longer than this is cut on the page (identical tasks share whole clauses)


def plans_for_user(user, ids: Sequence[str], reference: str | None = None) -> list[Plan]:
    """The plans chosen, the reference first (else the first chosen): 2 to 20 of them, each
    one the user may see (404 otherwise, with no hint which exists)."""
    try:
        wanted = list(dict.fromkeys(int(value) for value in [*([reference] if reference else []), *ids]))
    except (TypeError, ValueError):
        raise Http404("计划不存在或无权查看") from None
    if any(not 0 < pk <= MAX_ID for pk in wanted):
        raise Http404("计划不存在或无权查看")
    if len(wanted) < MIN_PLANS:
        raise EduplanError(Errors.E360, count=len(wanted))
    if len(wanted) > MAX_PLANS:
        raise EduplanError(Errors.E361, count=len(wanted), most=MAX_PLANS)
    found = {plan.pk: plan for plan in visible_plans(scope_for(user)).filter(pk__in=wanted)
             .select_related("bureau").defer("source_text")}
    if len(found) != len(wanted):
        raise Http404("计划不存在或无权查看")
    return [found[pk] for pk in wanted]


def _names(plans: Sequence[Plan]) -> list[str]:
    """Each plan's title, with its bureau where two plans share a title."""
    titles = [plan.title for plan in plans]
    return [f"{plan.title}（{plan.bureau.name}）" if titles.count(plan.title) > 1 else plan.title for plan in plans]


def compare_stored(plans: Sequence[Plan]) -> tuple[list[StoredPlan], Comparison]:
    """The stored plans compared, the first as the reference, with its bureau's themes."""
    stored = [load(plan, name) for plan, name in zip(plans, _names(plans), strict=True)]
    return stored, compare([s.compared for s in stored], taxonomy_for(plans[0].bureau))


@dataclass(frozen=True)
class Column:
    plan: Plan
    name: str
    reference: bool


@dataclass(frozen=True)
class TaskRef:
    pk: int
    number: str
    title: str
    linked: bool  # the user may open the task's page (a school sees only its own tasks)


@dataclass(frozen=True)
class Partner:
    column: Column
    task: TaskRef | None  # None: no task of that plan is about the same work
    score: float | None
    shared: tuple[str, ...]


@dataclass(frozen=True)
class AlignedTask:
    task: TaskRef
    theme: ThemeMatch
    partners: list[Partner]


@dataclass(frozen=True)
class Lacks:
    column: Column
    themes: list[str]  # the reference has tasks in them, this plan none
    missing: list[TaskRef]  # the reference's tasks with no partner here
    own: list[TaskRef]  # this plan's tasks no reference task took


@dataclass(frozen=True)
class MetricLine:
    metric: str
    cells: list[tuple[str, str]]  # per plan: the goal as the plan prints it (or "—"), its quote


@dataclass(frozen=True)
class ChangeLine:
    metric: str
    kind: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class PathLine:
    metric: str
    baseline: str
    target: str
    year: int
    expected: str
    annual: str
    behind: bool | None


@dataclass
class ComparisonPage:
    columns: list[Column]
    comparison: Comparison
    svg: str
    coverage: list[tuple[str, list[tuple[int, bool]]]]  # theme, per plan (count, lacking)
    aligned: list[AlignedTask]
    lacks: list[Lacks]
    metrics: list[MetricLine]
    changes: list[ChangeLine]
    change_columns: tuple[Column, Column] | None  # older, newer
    path: list[PathLine]


class _Builder:
    """Turns a comparison of stored plans into the page's rows."""

    def __init__(self, stored: list[StoredPlan], comparison: Comparison, openable: set[int]) -> None:
        self.stored, self.comparison, self.openable = stored, comparison, openable
        self.columns = [Column(s.plan, s.compared.name, index == 0) for index, s in enumerate(stored)]

    def task(self, column: int, index: int) -> TaskRef:
        item, pk = self.stored[column].compared.items[index], self.stored[column].task_ids[index]
        return TaskRef(pk, item.number, item.title, pk in self.openable)

    def aligned(self) -> list[AlignedTask]:
        rows = []
        for index, theme in enumerate(self.comparison.themes[0]):
            partners = []
            for column in range(1, len(self.columns)):
                pair = self.comparison.alignments[column][index]
                if pair is None:
                    partners.append(Partner(self.columns[column], None, None, ()))
                else:
                    partners.append(Partner(self.columns[column], self.task(column, pair.right), pair.score,
                                            tuple(cut(word, SHARED_CHARS) for word in pair.shared)))
            rows.append(AlignedTask(self.task(0, index), theme, partners))
        return rows

    def lacks(self, column: int) -> Lacks:
        missing = [self.task(0, i) for i, pair in enumerate(self.comparison.alignments[column]) if pair is None]
        own = [self.task(column, i) for i in self.comparison.unmatched[column]]
        return Lacks(self.columns[column], self.comparison.lacking_themes(column), missing, own)

    def column_of(self, plan: ComparedPlan) -> Column:
        return next(c for c, p in zip(self.columns, self.comparison.plans, strict=True) if p is plan)

    def change_columns(self) -> tuple[Column, Column] | None:
        if not self.comparison.changes:
            return None
        older, newer = report.older_newer(self.comparison)
        return self.column_of(older), self.column_of(newer)

    def page(self) -> ComparisonPage:
        comparison = self.comparison
        return ComparisonPage(
            columns=self.columns, comparison=comparison,
            svg=coverage_svg(comparison.coverage, [c.name for c in self.columns], element_id="compare-coverage"),
            coverage=[(row.theme, list(zip(row.counts, row.lacking, strict=True)))
                      for row in report.coverage_rows(comparison)],
            aligned=self.aligned(),
            lacks=[self.lacks(column) for column in range(1, len(self.columns))],
            metrics=[MetricLine(line.metric, [(line.shown(column), goal.quote if goal else "")
                                              for column, goal in enumerate(line.goals)])
                     for line in report.metric_lines(comparison)],
            changes=[ChangeLine(change.metric, change.kind, report.CHANGE_NAMES.get(change.kind, change.kind),
                                report.goal_text(change.before), report.goal_text(change.after))
                     for change in report.ordered_changes(comparison)],
            change_columns=self.change_columns(),
            path=[self.path_line(check) for check in comparison.path],
        )

    def path_line(self, check: PathCheck) -> PathLine:
        unit = report.path_unit(self.comparison, check)
        return PathLine(check.metric, f"{report.number(check.baseline)}{unit}（{check.baseline_year}年）",
                        f"{report.number(check.target)}{unit}（{check.target_year}年）", check.year,
                        f"{report.number(check.expected)}{unit}", report.goal_text(check.annual),
                        check.annual_behind_path)


def comparison_page(plans: Sequence[Plan], scope: Scope) -> ComparisonPage:
    """Compare stored plans (the first is the reference) with the reference's bureau's themes.
    Every current task of a plan counts, as the plan's text shows them all; links go only to
    the tasks the scope may open."""
    stored, comparison = compare_stored(plans)
    openable = set(visible_tasks(scope).filter(plan__in=plans).values_list("pk", flat=True))
    return _Builder(stored, comparison, openable).page()
