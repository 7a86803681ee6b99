"""The indicator pages (指标监测): each indicator's figure for a unit, one indicator's series,
chart and figures per unit below, and the binding of plan targets to indicators.

The figures pages are cached whole until something other than progress changes in the
bureaus the user sees (a figure, a binding, a catalogue edit; ``caching.cached_structure``):
they show figures and the targets bound to them, never a task's progress, so the reports that
come in all day leave them cached. Their content holds nothing of one request (no form token,
no message).

Thin: every view starts with an access helper (``access.readable_unit``, the scope), asks
``monitoring`` for the figures and ``charts`` for the picture, and only hands them to a
template. Units travel as ``?unit=<id>``, never by name.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from eduplan.caching import cached_structure
from eduplan.errors import Errors
from eduplan.orgs.access import Refused, Scope, scope_for
from eduplan.periods import Period

from . import charts, monitoring
from .access import readable_unit
from .binding import bind
from .models import Indicator


def _period(request: HttpRequest) -> str | None:
    """The ``?period=`` asked for, as a period key; None (the newest) when absent or unreadable."""
    key = request.GET.get("period", "").strip()
    if not key:
        return None
    if not Period.is_key(key):
        messages.error(request, Errors.E704.render(value=key[:20]))
        return None
    return Period.parse(key).key


def _periods(keys: list[str]) -> list[tuple[str, str]]:
    return [(key, monitoring.period_label(key)) for key in keys]


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    unit = readable_unit(request.user, request.GET.get("unit"))
    scope = scope_for(request.user)
    period = _period(request)

    def content() -> str:
        overview = monitoring.overview(scope, unit, period)
        return render_to_string("indicators/_indicator_list_content.html", {
            "unit": unit, "period": period, "rows": overview.rows, "periods": _periods(overview.periods),
            "trail": monitoring.trail(scope, unit), "below": monitoring.units_below(unit), "scope": scope,
        })

    html = cached_structure("indicator-list-html", (scope.key, unit.pk, period), content, scope.bureau_ids)
    return render(request, "indicators/indicator_list.html", {"content": mark_safe(html), "nav": "indicators"})


@login_required
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = readable_unit(request.user, request.GET.get("unit"))
    indicator = get_object_or_404(monitoring.catalogue_for(unit), code=code)
    scope = scope_for(request.user)
    period, chosen = _period(request), request.GET.get("target")

    def content() -> str:
        page = monitoring.detail(scope, indicator, unit, period, chosen)
        chart = charts.indicator_chart(indicator, unit, page.figures.values(),
                                       page.charted.target if page.charted else None)
        return render_to_string("indicators/_indicator_detail_content.html", {
            "page": page, "indicator": indicator, "unit": unit, "periods": _periods(page.periods),
            "period_label": monitoring.period_label(page.period), "trail": monitoring.trail(scope, unit),
            "chart": chart, "chart_rows": chart.rows(), "scope": scope,
            "svg": mark_safe(charts.svg(chart, element_id=f"chart-{indicator.pk}", unit_label=indicator.unit_label)),
        })

    html = cached_structure("indicator-detail-html", (scope.key, indicator.pk, unit.pk, period, chosen), content,
                            scope.bureau_ids)
    return render(request, "indicators/indicator_detail.html", {
        "content": mark_safe(html), "indicator": indicator, "unit": unit, "nav": "indicators"})


def _binding_scope(request: HttpRequest) -> Scope:
    scope = scope_for(request.user)
    if not scope.can_import:
        raise Refused(Errors.E730)
    return scope


@login_required
def indicator_bindings(request: HttpRequest) -> HttpResponse:
    scope = _binding_scope(request)
    indicators = list(monitoring.catalogue_for(scope.unit))
    if request.method == "POST":
        return _bind_from_form(request, scope, indicators)
    return render(request, "indicators/indicator_bindings.html", {
        "rows": monitoring.binding_rows(scope, indicators), "indicators": indicators, "nav": "indicators",
    })


def _bind_from_form(request: HttpRequest, scope: Scope, indicators: list[Indicator]) -> HttpResponse:
    target = monitoring.bindable_target(scope, request.POST.get("target"))
    back = redirect(f"{reverse('indicator-bindings')}#target-{target.pk}")
    chosen = request.POST.get("indicator", "").strip()
    indicator = next((i for i in indicators if str(i.pk) == chosen), None)
    if chosen and indicator is None:
        messages.error(request, Errors.E713.render(indicator=chosen[:40]))
        return back
    if (indicator.pk if indicator else None) == target.indicator_id:
        messages.info(request, f"“{target.metric}”的指标绑定没有改动")
        return back
    bind(target, indicator, user=request.user)
    if indicator is None:
        messages.success(request, f"已取消“{target.metric}”的指标绑定，实际值改由责任单位填报："
                                  f"{monitoring.target_actual(target)}")
    else:
        messages.success(request, f"已将“{target.metric}”绑定到指标“{indicator.name}”，实际值："
                                  f"{monitoring.target_actual(target)}")
    return back
