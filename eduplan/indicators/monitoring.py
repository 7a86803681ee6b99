"""What the indicator pages (指标监测) show: each indicator's figure for a unit, its series, its
figure per unit below, and the plan targets bound to it.

Every figure comes from ``compute`` and every target actual from ``tracking.warnings``; this
module only picks and words them. Units are keyed by id throughout, never by name: two
schools of one name in two districts stay two rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from eduplan.errors import Errors
from eduplan.orgs.access import Scope
from eduplan.orgs.models import OrgUnit
from eduplan.periods import Period
from eduplan.tracking import display
from eduplan.tracking.access import visible_tasks
from eduplan.tracking.models import Target
from eduplan.tracking.warnings import latest_actuals, target_check

from .actuals import Actual
from .binding import suggest
from .compute import Figure, by_unit_below, series
from .models import Indicator

# ---------------------------------------------------------------- words for numbers


def period_label(key: str | None) -> str:
    return Period.parse(key).label if key else "—"


def reading(indicator: Indicator, value: float | None) -> str:
    """A figure as the page shows it: rounded to the indicator's decimals, with its unit."""
    if value is None:
        return "—"
    return f"{value:.{indicator.decimals}f}{indicator.unit_label}"


def amount(value: float | None) -> str:
    """A numerator or denominator (a count of people, places …)."""
    return display.number(round(value, 2) if value is not None else None)


def latest(figures: dict[str, Figure]) -> Figure | None:
    """The newest figure with a value (``figures`` is chronological)."""
    with_value = [f for f in figures.values() if f.value is not None]
    return with_value[-1] if with_value else None


def chronological(keys: Iterable[str]) -> list[str]:
    return sorted(set(keys), key=lambda key: Period.parse(key).sort_key)


# ---------------------------------------------------------------- what a unit may see


def catalogue_for(unit: OrgUnit | None) -> QuerySet[Indicator]:
    """The shared catalogue and the indicators of the authorities above and within ``unit``."""
    if unit is None:
        return Indicator.objects.all()
    above = [int(pk) for pk in unit.path.strip("/").split("/") if pk]
    return Indicator.objects.filter(Q(bureau__isnull=True) | Q(bureau_id__in=above)
                                    | Q(bureau__path__startswith=unit.path))


def units_below(unit: OrgUnit) -> list[OrgUnit]:
    """The units one level down that can have figures (departments report none)."""
    return list(OrgUnit.objects.filter(parent=unit, active=True).exclude(kind=OrgUnit.Kind.DEPARTMENT)
                .order_by("kind", "name", "pk"))


def trail(scope: Scope, unit: OrgUnit) -> list[OrgUnit]:
    """The units from the top of the user's scope down to ``unit`` (a breadcrumb trail)."""
    ids = [int(pk) for pk in unit.path.strip("/").split("/") if pk]
    units = OrgUnit.objects.in_bulk(ids)
    return [units[pk] for pk in ids if pk in units and scope.covers(units[pk])]


def figures_of(indicator: Indicator, unit: OrgUnit) -> tuple[dict[str, Figure], str]:
    """The indicator's series for the unit, or no figures and the reason its formula is wrong."""
    try:
        return series(indicator, unit), ""
    except ValueError as err:
        return {}, Errors.E712.render(detail=str(err))


# ---------------------------------------------------------------- plan targets


@dataclass(frozen=True)
class TargetRow:
    target: Target
    goal: str
    actual: str
    actual_period: str
    met: bool | None

    @property
    def verdict(self) -> str:
        return {True: "已达成", False: "未达成"}.get(self.met, "无法判断")

    @property
    def css(self) -> str:
        return {True: "status-done", False: "status-overdue"}.get(self.met, "status-not_started")


def bound_targets(scope: Scope, indicator_ids: Iterable[int]) -> list[Target]:
    """The live targets of the user's visible tasks that are bound to these indicators."""
    return list(Target.objects.filter(task__in=visible_tasks(scope), indicator_id__in=list(indicator_ids),
                                      removed_in_version__isnull=True)
                .select_related("task", "task__plan", "task__plan__bureau", "indicator")
                .defer("task__plan__source_text")
                .order_by("-task__plan__imported_at", "task__plan_id", "task__order", "order", "pk"))


def actual_text(target: Target, actual: Actual | None) -> str:
    if actual is None:
        return "—"
    if target.indicator_id is not None:
        return reading(target.indicator, actual.value)
    return f"{display.number(actual.value)}{target.unit}"


def target_rows(targets: Sequence[Target]) -> list[TargetRow]:
    actuals = latest_actuals(targets)
    return [TargetRow(t, display.goal(t), actual_text(t, actuals.get(t.pk)),
                      period_label(actuals[t.pk].period) if t.pk in actuals else "",
                      target_check(t, actuals).result) for t in targets]


def rows_by_indicator(rows: Iterable[TargetRow]) -> dict[int, list[TargetRow]]:
    grouped: dict[int, list[TargetRow]] = {}
    for row in rows:
        grouped.setdefault(row.target.indicator_id, []).append(row)
    return grouped


# ---------------------------------------------------------------- the list page


class FigureWords:
    """A figure in the page's words; a row has ``indicator`` and ``figure`` (None: no figure)."""

    indicator: Indicator
    figure: Figure | None

    @property
    def value(self) -> str:
        return reading(self.indicator, self.figure.value if self.figure else None)

    @property
    def numerator(self) -> str:
        return amount(self.figure.numerator if self.figure else None)

    @property
    def denominator(self) -> str:
        return amount(self.figure.denominator if self.figure else None)

    @property
    def units(self) -> int:
        return self.figure.units if self.figure else 0

    @property
    def period(self) -> str:
        return period_label(self.figure.period if self.figure else None)


@dataclass(frozen=True)
class IndicatorRow(FigureWords):
    indicator: Indicator
    figure: Figure | None
    targets: list[TargetRow]
    problem: str = ""


@dataclass(frozen=True)
class Overview:
    rows: list[IndicatorRow]
    periods: list[str]  # every period with figures, for the period picker


def overview(scope: Scope, unit: OrgUnit, period: str | None) -> Overview:
    """Each indicator's figure for ``unit`` in ``period`` (its newest when None), with the
    targets bound to it."""
    indicators = list(catalogue_for(unit))
    targets = rows_by_indicator(target_rows(bound_targets(scope, [i.pk for i in indicators])))
    rows, periods = [], set()
    for indicator in indicators:
        figures, problem = figures_of(indicator, unit)
        periods.update(key for key, f in figures.items() if f.value is not None)
        figure = latest(figures) if period is None else figures.get(period)
        rows.append(IndicatorRow(indicator, figure, targets.get(indicator.pk, []), problem))
    return Overview(rows, chronological(periods))


# ---------------------------------------------------------------- the detail page


@dataclass(frozen=True)
class UnitFigure(FigureWords):
    """One row of a figures table: a unit (or a period) and its figure."""

    indicator: Indicator
    figure: Figure | None
    unit: OrgUnit | None = None


def child_rows(indicator: Indicator, unit: OrgUnit, period: str | None) -> list[UnitFigure]:
    """The figure of each unit one level below ``unit`` in ``period``, keyed by unit id: the
    current children, and any unit that held figures there then (a school since moved)."""
    figures = by_unit_below(indicator, unit, period) if period else {}
    children = units_below(unit)
    known = {child.pk for child in children}
    former = OrgUnit.objects.in_bulk([pk for pk in figures if pk not in known])
    return [UnitFigure(indicator, figures.get(child.pk), child) for child in [*children, *former.values()]]


def chart_target(targets: Sequence[TargetRow], unit: OrgUnit, chosen: str | None) -> TargetRow | None:
    """The target the chart draws: the one asked for, else the first of a plan of the unit's
    own authority or one above it."""
    if chosen:
        return next((row for row in targets if str(row.target.pk) == chosen), None)
    return next((row for row in targets if unit.path.startswith(row.target.task.plan.bureau.path)), None)


@dataclass(frozen=True)
class Detail:
    indicator: Indicator
    unit: OrgUnit
    figures: dict[str, Figure]  # the unit's series, chronological
    period: str | None  # the period of the table below
    children: list[UnitFigure]
    targets: list[TargetRow]
    charted: TargetRow | None
    problem: str

    @property
    def series_rows(self) -> list[UnitFigure]:
        return [UnitFigure(self.indicator, f) for f in self.figures.values() if f.value is not None]

    @property
    def periods(self) -> list[str]:
        return [f.period for f in self.figures.values() if f.value is not None]


def detail(scope: Scope, indicator: Indicator, unit: OrgUnit, period: str | None, chosen: str | None) -> Detail:
    figures, problem = figures_of(indicator, unit)
    newest = latest(figures)
    shown = period or (newest.period if newest else None)
    children = child_rows(indicator, unit, shown) if not problem else []
    targets = target_rows(bound_targets(scope, [indicator.pk]))
    return Detail(indicator, unit, figures, shown, children, targets, chart_target(targets, unit, chosen), problem)


# ---------------------------------------------------------------- the bindings page


@dataclass(frozen=True)
class BindingRow:
    target: Target
    goal: str
    suggestion: Indicator | None
    actual: str
    actual_period: str

    @property
    def selected_id(self) -> int | None:
        if self.target.indicator_id is not None:
            return self.target.indicator_id
        return self.suggestion.pk if self.suggestion else None

    @property
    def state(self) -> str:
        if self.target.indicator_id is not None:
            return "已绑定"
        return "建议" if self.suggestion else "未绑定"


def bindable_targets(scope: Scope) -> QuerySet[Target]:
    """The live targets of the plans a bureau admin may change."""
    if not scope.can_import:
        return Target.objects.none()
    return (Target.objects.filter(task__in=visible_tasks(scope), removed_in_version__isnull=True)
            .select_related("task", "task__plan", "indicator").defer("task__plan__source_text")
            .order_by("-task__plan__imported_at", "task__plan_id", "task__order", "order", "pk"))


def bindable_target(scope: Scope, pk: object) -> Target:
    try:
        return bindable_targets(scope).get(pk=int(str(pk)))
    except (Target.DoesNotExist, ValueError):
        raise Http404("目标不存在或无权修改") from None


def binding_rows(scope: Scope, indicators: Sequence[Indicator]) -> list[BindingRow]:
    targets = list(bindable_targets(scope))
    actuals = latest_actuals(targets)
    return [BindingRow(t, display.goal(t), None if t.indicator_id else suggest(t.metric, indicators),
                       actual_text(t, actuals.get(t.pk)),
                       period_label(actuals[t.pk].period) if t.pk in actuals else "")
            for t in targets]


def target_actual(target: Target) -> str:
    """The target's actual in words, after its binding changed: "90.0%（2025年春季学期）"."""
    actual = latest_actuals([target]).get(target.pk)
    if actual is None:
        return "暂无实际值"
    return f"{actual_text(target, actual)}（{period_label(actual.period)}）"
