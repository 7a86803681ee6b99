"""The actual value of a plan target, from the one store of figures.

A target bound to an indicator takes the indicator's figure for the plan's bureau (its
schools' data, summed up the tree); any other target takes the newest figure its owners
typed with their progress reports, kept as a data value of the target's own element at the
plan's bureau. Tracking (status, warnings), the API and the bulletin all ask here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.db import transaction

from eduplan.errors import EduplanError, Errors
from eduplan.orgs.models import OrgUnit
from eduplan.periods import Period

from .compute import series
from .models import DataElement, DataValue, Indicator
from .values import NewValue, store_values


class TargetLike(Protocol):
    pk: int
    metric: str
    unit: str
    indicator_id: int | None
    actual_element_id: int | None


@dataclass(frozen=True)
class Actual:
    value: float
    period: str
    computed: bool  # from the schools' data (a bound indicator), not typed by an owner
    # The same indicator a year before ``period``: what "较上年下降1个百分点" is measured from
    # when the plan printed no baseline (bound targets only).
    a_year_before: float | None = None


def _began_by(period: str, until: str | None) -> bool:
    """Whether a figure for ``period`` may count in a picture taken at the end of ``until``."""
    return until is None or Period.parse(period).start <= Period.parse(until).end


def target_actuals(targets: Iterable[tuple[TargetLike, OrgUnit]], until: str | None = None) -> dict[int, Actual]:
    """Each target's newest actual (of periods begun by the end of ``until``), keyed by target id;
    targets without one are left out. ``targets`` pairs each target with its plan's bureau."""
    pairs = list(targets)
    actuals: dict[int, Actual] = {}
    typed = {t.actual_element_id: t.pk for t, _ in pairs if t.indicator_id is None and t.actual_element_id}
    newest: dict[int, tuple] = {}
    for element_id, period, value, entered in (DataValue.objects.filter(element_id__in=list(typed))
                                               .values_list("element_id", "period", "value", "entered_at")):
        if not _began_by(period, until):
            continue
        rank = (Period.parse(period).sort_key, entered)
        if element_id not in newest or rank > newest[element_id][0]:
            newest[element_id] = (rank, value, period)
    for element_id, (_, value, period) in newest.items():
        actuals[typed[element_id]] = Actual(value, period, computed=False)
    bound: dict[tuple[int, int], list[int]] = defaultdict(list)
    bureaus: dict[int, OrgUnit] = {}
    for target, bureau in pairs:
        if target.indicator_id is not None:
            bound[(target.indicator_id, bureau.pk)].append(target.pk)
            bureaus[bureau.pk] = bureau
    indicators = Indicator.objects.in_bulk({indicator_id for indicator_id, _ in bound})
    for (indicator_id, bureau_id), target_ids in bound.items():
        try:
            every = series(indicators[indicator_id], bureaus[bureau_id])
        except ValueError:
            continue  # a formula naming an element that is gone: no actual, the indicator page says why
        figures = [f for f in every.values() if f.value is not None and _began_by(f.period, until)]
        if figures:
            latest = figures[-1]  # series is chronological
            before = every.get(Period.parse(latest.period).same_time_last_year().key)
            for target_id in target_ids:
                actuals[target_id] = Actual(latest.value, latest.period, computed=True,
                                            a_year_before=before.value if before else None)
    return actuals


def element_for_target(target, bureau: OrgUnit) -> DataElement:
    """The target's own element, made on its first typed actual."""
    if target.actual_element_id:
        return target.actual_element
    element = DataElement.objects.create(
        code=f"target_{target.pk}", name=f"目标实际值：{target.metric}"[:100], unit_label=(target.unit or "")[:20],
        value_type=DataElement.ValueType.NUMBER, reported_by=DataElement.ReportedBy.AUTHORITY,
        minimum=-1e15, bureau=bureau, for_target=True)
    target.actual_element = element
    target.save(update_fields=["actual_element"])
    return element


@transaction.atomic
def store_typed_actuals(typed: Iterable[tuple[object, object]], *, bureau: OrgUnit, period: str, user,
                        report=None) -> list[DataValue]:
    """Figures an owner typed for targets with a report: data values of each target's own
    element at the plan's bureau. A target bound to an indicator takes no typed figure (E716)."""
    values = []
    for target, value in typed:
        if target.indicator_id is not None:
            raise EduplanError(Errors.E716, target=target.metric)
        values.append(NewValue(element_for_target(target, bureau), bureau, period, value))
    return store_values(values, user=user, source="report", report=report)
