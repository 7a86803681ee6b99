"""状态趋势: tasks by status and light at each month's end, for the reader's scope (and one lead
unit with ``?unit=``), as a server-drawn chart with its table, or as JSON with ``?format=json``.
The figures are ``tracking.trends.state_trends``'s; this module only lays them out."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from eduplan.caching import cached
from eduplan.orgs.access import scope_for
from eduplan.tracking import clock
from eduplan.tracking.access import visible_plans
from eduplan.tracking.current import ALL_PLANS
from eduplan.tracking.status import Status
from eduplan.tracking.trends import STATUS_STACK, Trends, UnitTrend, state_trends
from eduplan.tracking.units import band, depth_below_bureau

from .layout import BAND_TITLES, tasks_shown, with_group_headings
from .trend_chart import month_tick, trend_svg


def _unit_bands(units: list[UnitTrend]) -> list[tuple[str, list[UnitTrend]]]:
    """The units under band headings, in the order ``state_trends`` gives (未分派 last, alone)."""
    bands: dict[int, list[UnitTrend]] = {}
    for row in units:
        bands.setdefault(band(row.unit) if row.unit else 3, []).append(row)
    return [(BAND_TITLES[b], rows) for b, rows in sorted(bands.items())]


def _month_rows(trends: Trends, tallies) -> list[dict]:
    return [{"label": trends.month_label(i), "as_of": trends.as_of[i], "tally": tally,
             "counts": [tally.count(s) for s in reversed(STATUS_STACK)]}
            for i, tally in enumerate(tallies)]


@login_required
def trends(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    today = clock.today()
    tasks, plan = tasks_shown(request, scope, today)
    unit_id = request.GET.get("unit", "")
    parts = (scope.key, plan.pk if plan else None, unit_id)
    if request.GET.get("format") == "json":
        figures = cached("trends-json", parts, lambda: state_trends(tasks, today).to_dict(), scope.bureau_ids)
        return JsonResponse(figures, json_dumps_params={"ensure_ascii": False})

    def content() -> str:
        figures = state_trends(tasks, today)
        # ?unit= picks a row of the same figures: what it leads, as the table counts it.
        chosen = next((u for u in figures.units if u.unit and str(u.unit.pk) == unit_id), None)
        tallies = chosen.months if chosen else figures.overall
        name = chosen.name if chosen else (plan.title if plan else "全部计划")
        return render_to_string("dashboard/_trends_content.html", {
            "trends": figures, "plan": plan, "chosen": chosen, "scope": scope,
            "plans": visible_plans(scope).only("id", "title"),
            "svg": mark_safe(trend_svg(figures.months, tallies, title=f"{name} · 各月任务状态",
                                       element_id="trend")),
            "statuses": [s for s in reversed(STATUS_STACK)], "month_rows": _month_rows(figures, tallies),
            "month_ticks": [month_tick(m, i == 0) for i, m in enumerate(figures.months)],
            "bands": [(title, with_group_headings([{"trend": row, "unit": row.unit, "name": row.name,
                                                    "depth": depth_below_bureau(row.unit) if row.unit else 0}
                                                   for row in rows]))
                      for title, rows in _unit_bands(figures.units)],
            "plan_query": f"plan={plan.pk}&" if plan else f"plan={ALL_PLANS}&",
            "overdue": Status.OVERDUE,
        })

    return render(request, "dashboard/trends.html",
                  {"content": mark_safe(cached("trends-html", parts, content, scope.bureau_ids)), "nav": "dashboard"})
