"""Indicator figures from data values: the one computation behind every indicator number.

Aggregation sums the parts, then divides: a district's 公办园在园幼儿占比 is the sum of its
kindergartens' 公办 children over the sum of all their children, never an average of
percentages. Each figure is one SQL query, whatever the size of the tree.

What counts (each rule has a case in tests/indicators/test_compute.py):
- a unit's figures count toward a period only when it reported every school-level element of
  the formula for that period: a school that gave its tested students but not how many
  passed would drag a pass rate down, so it is left out of both sides (and of ``units``);
- figures an authority reports itself (a district's 3–5-year-old population) are summed as
  they stand;
- a figure belongs to the unit's place in the tree when it was entered (``DataValue.unit_path``):
  a school moved to another district keeps its past figures with the district it was in;
- a school that opened mid-year simply has no figures before it reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection

from eduplan.caching import cached_structure
from eduplan.orgs.models import OrgUnit
from eduplan.periods import Period

from .formula import parse_sum, ratio
from .models import DataElement, DataValue, Indicator


@dataclass(frozen=True)
class Figure:
    """An indicator for one unit (and everything below it) and one period."""

    period: str
    numerator: float | None
    denominator: float | None
    value: float | None
    units: int  # units whose figures are in it


@dataclass(frozen=True)
class Formula:
    """An indicator's formula with element codes resolved to ids."""

    numerator: dict[int, int]  # element id → +1 / -1
    denominator: dict[int, int]
    has_denominator: bool
    factor: float
    school_elements: frozenset[int]

    @property
    def element_ids(self) -> list[int]:
        return sorted(set(self.numerator) | set(self.denominator))


def formula_of(indicator: Indicator) -> Formula:
    """The indicator's formula; ValueError when it names an element that does not exist.
    Resolved once per indicator object (a page asks for each indicator several times)."""
    known = getattr(indicator, "_eduplan_formula", None)
    if known is not None and known[0] == (indicator.numerator, indicator.denominator, indicator.factor):
        return known[1]
    resolved = _resolve(indicator)
    indicator._eduplan_formula = ((indicator.numerator, indicator.denominator, indicator.factor), resolved)
    return resolved


def _resolve(indicator: Indicator) -> Formula:
    numerator_terms = parse_sum(indicator.numerator)
    denominator_terms = parse_sum(indicator.denominator) if indicator.denominator.strip() else ()
    wanted = {code for _, code in (*numerator_terms, *denominator_terms)}
    elements = {e.code: e for e in DataElement.objects.filter(code__in=wanted)}
    missing = sorted(wanted - set(elements))
    if missing:
        raise ValueError(f"指标“{indicator.name}”引用了不存在的数据项：{'、'.join(missing)}")
    return Formula(
        numerator={elements[code].pk: sign for sign, code in numerator_terms},
        denominator={elements[code].pk: sign for sign, code in denominator_terms},
        has_denominator=bool(denominator_terms),
        factor=indicator.factor,
        school_elements=frozenset(e.pk for e in elements.values()
                                  if e.reported_by == DataElement.ReportedBy.SCHOOL),
    )


def _coefficients(terms: dict[int, int]) -> str:
    if not terms:
        return "0"
    whens = " ".join(f"WHEN {int(pk)} THEN {int(sign)}" for pk, sign in terms.items())
    return f"CASE element_id {whens} ELSE 0 END"


def _within(unit: OrgUnit) -> tuple[str, object]:
    """The filter for figures of ``unit`` and below: a school's are its own wherever it stood
    when they were entered; a unit with units below is everything entered under its path."""
    if unit.kind == OrgUnit.Kind.SCHOOL:
        return "unit_id = %s", unit.pk
    return "unit_path LIKE %s", unit.path + "%"


def _per_unit_sql(formula: Formula, periods: list[str] | None) -> tuple[str, list, str]:
    """Each unit's numerator and denominator per period, complete units only. ``reported``
    counts rows, which is counting elements: a unit has one value per element and period
    (and a plain sum lets PostgreSQL hash instead of sorting for DISTINCT)."""
    table = DataValue._meta.db_table
    ids = ",".join(str(int(pk)) for pk in formula.element_ids)
    school_ids = ",".join(str(int(pk)) for pk in sorted(formula.school_elements)) or "NULL"
    params: list = []
    period_filter = ""
    if periods is not None:
        period_filter = f"AND period IN ({','.join(['%s'] * len(periods))})"
        params.extend(periods)
    sql = f"""
        SELECT unit_id, unit_path, period,
               SUM(value * {_coefficients(formula.numerator)}) AS num,
               SUM(value * {_coefficients(formula.denominator)}) AS den,
               SUM(CASE WHEN element_id IN ({school_ids}) THEN 1 ELSE 0 END) AS reported
        FROM {table}
        WHERE element_id IN ({ids}) {period_filter} AND {{within}}
        GROUP BY unit_id, unit_path, period
    """
    complete = f"(reported = {len(formula.school_elements)} OR reported = 0)"
    return sql, [*params], complete


def _figure(formula: Formula, period: str, numerator: float | None, denominator: float | None,
            units: int) -> Figure:
    if not units:
        return Figure(period, None, None, None, 0)
    denominator = denominator if formula.has_denominator else None
    return Figure(period, numerator, denominator, ratio(numerator, denominator, formula.factor), units)


def series(indicator: Indicator, unit: OrgUnit, periods: Iterable[str] | None = None,
           formula: Formula | None = None) -> dict[str, Figure]:
    """The indicator for ``unit`` and everything below it, per period (every period with
    figures when ``periods`` is None), in chronological order.

    Kept in the page cache until a figure changes in one of the authorities within ``unit``
    (each stored value moves its authority's counter, ``caching.cached_structure``; progress
    reports do not) or the formula is edited: the same district figures serve every page,
    person and target actual that asks."""
    wanted = None if periods is None else list(dict.fromkeys(periods))
    if wanted == []:
        return {}
    parts = (indicator.pk, indicator.numerator, indicator.denominator, indicator.factor, unit.pk, unit.path,
             None if wanted is None else tuple(wanted))
    return cached_structure("indicator-series", parts, lambda: _series(indicator, unit, wanted, formula),
                            tuple(unit.authorities_within()))


def _series(indicator: Indicator, unit: OrgUnit, wanted: list[str] | None,
            formula: Formula | None) -> dict[str, Figure]:
    formula = formula or formula_of(indicator)
    inner, params, complete = _per_unit_sql(formula, wanted)
    within, place = _within(unit)
    sql = f"SELECT period, SUM(num), SUM(den), COUNT(*) FROM ({inner.format(within=within)}) per_unit " \
          f"WHERE {complete} GROUP BY period"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, place])
        rows = cursor.fetchall()
    figures = {period: _figure(formula, period, num, den, count) for period, num, den, count in rows}
    keys = wanted if wanted is not None else sorted(figures, key=lambda key: Period.parse(key).sort_key)
    return {key: figures.get(key) or Figure(key, None, None, None, 0) for key in keys}


def figure(indicator: Indicator, unit: OrgUnit, period: str, formula: Formula | None = None) -> Figure:
    return series(indicator, unit, [period], formula)[period]


def by_unit_below(indicator: Indicator, unit: OrgUnit, period: str, *, depth: int | None = 1,
                  formula: Formula | None = None) -> dict[int, Figure]:
    """The indicator per unit below ``unit`` for one period: its children (``depth`` 1: a
    city's districts, a district's groups and schools), or every unit that reported figures
    itself (``depth`` None: each school). Keyed by unit id, never by name."""
    formula = formula or formula_of(indicator)
    inner, params, complete = _per_unit_sql(formula, [period])
    within, place = _within(unit)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT unit_id, unit_path, num, den FROM ({inner.format(within=within)}) per_unit "
                       f"WHERE {complete}", [*params, place])
        rows = cursor.fetchall()
    sums: dict[int, list[float]] = {}
    levels = unit.path.count("/") - 1
    for unit_id, path, num, den in rows:
        if depth is None:
            key = unit_id
        else:
            parts = path.strip("/").split("/")
            if len(parts) <= levels:
                continue  # the unit's own figures (a district's population) belong to no child
            key = int(parts[levels + depth - 1]) if len(parts) >= levels + depth else unit_id
        total = sums.setdefault(key, [0.0, 0.0, 0])
        total[0] += num or 0
        total[1] += den or 0
        total[2] += 1
    return {key: _figure(formula, period, num, den, count) for key, (num, den, count) in sums.items()}
