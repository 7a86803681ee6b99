"""Indicators: each indicator's figures for a unit, per period and per unit below (the same
``indicators.compute`` figures the 指标监测 pages show)."""

from __future__ import annotations

from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from eduplan.errors import EduplanError, Errors
from eduplan.indicators.access import readable_unit
from eduplan.indicators.compute import Figure, by_unit_below, series
from eduplan.indicators.models import Indicator
from eduplan.indicators.monitoring import catalogue_for
from eduplan.orgs.models import OrgUnit

from ..auth import current_user
from ..schemas import MAX_ID, READ_ERRORS, about

router = Router(tags=["indicators 指标"])


class FigureOut(Schema):
    period: str = about("期间 / period key (2025, 2025S1, 2025Q3, 2025-06)")
    value: float | None = about("指标值 / the indicator's value")
    numerator: float | None
    denominator: float | None
    units: int = about("计入的单位数 / units whose figures are in it")


class IndicatorOut(Schema):
    code: str
    name: str
    unit_label: str
    better: str = about("higher / lower / 空")
    latest: FigureOut | None = about("最新一期 / the newest figure with a value")


class UnitFigureOut(Schema):
    unit_id: int
    unit_name: str
    figure: FigureOut


class IndicatorDetailOut(IndicatorOut):
    unit_id: int
    series: list[FigureOut]
    below: list[UnitFigureOut] = about("下一级单位（最新一期） / each unit one level down, newest period")


class UnitQuery(Schema):
    unit: Annotated[int, Field(ge=1, le=MAX_ID)] | None = about("单位编号，默认本人单位 / unit id", None)


def _figure(figure: Figure) -> dict:
    return {"period": figure.period, "value": figure.value, "numerator": figure.numerator,
            "denominator": figure.denominator, "units": figure.units}


def _series(indicator: Indicator, unit: OrgUnit) -> dict[str, Figure]:
    try:
        return series(indicator, unit)
    except ValueError as err:
        raise EduplanError(Errors.E712, detail=str(err)) from None


def _summary(indicator: Indicator, figures: dict[str, Figure]) -> dict:
    with_value = [f for f in figures.values() if f.value is not None]
    return {"code": indicator.code, "name": indicator.name, "unit_label": indicator.unit_label,
            "better": indicator.better, "latest": _figure(with_value[-1]) if with_value else None}


@router.get("/indicators", response={200: list[IndicatorOut], **READ_ERRORS},
            summary="指标及其最新值 / indicators with their newest figure for a unit")
def list_indicators(request: HttpRequest, query: Query[UnitQuery]) -> list[dict]:
    unit = readable_unit(current_user(request), query.unit)
    return [_summary(indicator, _series(indicator, unit)) for indicator in catalogue_for(unit)]


@router.get("/indicators/{code}", response={200: IndicatorDetailOut, **READ_ERRORS},
            summary="一个指标：各期数值与下一级单位 / one indicator: figures per period and per unit below")
def get_indicator(request: HttpRequest, code: Annotated[str, Field(max_length=60)],
                  query: Query[UnitQuery]) -> dict:
    unit = readable_unit(current_user(request), query.unit)
    indicator = catalogue_for(unit).filter(code=code).first()
    if indicator is None:
        raise Http404
    figures = _series(indicator, unit)
    summary = _summary(indicator, figures)
    below: list[dict] = []
    if summary["latest"] is not None:
        by_unit = by_unit_below(indicator, unit, summary["latest"]["period"])
        names = OrgUnit.objects.in_bulk(list(by_unit))
        below = [{"unit_id": pk, "unit_name": names[pk].name, "figure": _figure(figure)}
                 for pk, figure in sorted(by_unit.items()) if pk in names]
    return summary | {"unit_id": unit.pk, "series": [_figure(f) for f in figures.values()], "below": below}
