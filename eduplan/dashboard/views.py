"""The dashboard (工作台): the figures of ``dashboard.summary`` for the user's scope, as a page
or, with ``?format=json``, as the same figures in JSON."""

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
from eduplan.tracking.rows import TaskRow
from eduplan.tracking.status import Light, Status

from .layout import group_row, tasks_shown, unit_bands
from .summary import Summary, dashboard_for


def _cards(summary: Summary) -> list[dict]:
    cards = [{"label": "任务总数", "value": summary.total, "css": "", "query": ""}]
    cards += [{"label": status.label, "value": summary.by_status.get(status, 0), "css": f"stat-{status.value}",
               "query": f"status={status.value}"} for status in Status]
    cards += [{"label": f"{light.label}灯预警", "value": summary.by_light.get(light, 0), "css": f"stat-{light.value}",
               "query": f"light={light.value}"} for light in (Light.RED, Light.YELLOW)]
    return cards


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    today = clock.today()
    tasks, plan = tasks_shown(request, scope, today)
    parts = (scope.key, plan.pk if plan else None)
    if request.GET.get("format") == "json":
        figures = cached("dashboard-json", parts, lambda: dashboard_for(tasks, today, scope=scope).to_dict(),
                         scope.bureau_ids)
        return JsonResponse(figures, json_dumps_params={"ensure_ascii": False})

    def content() -> str:
        summary = dashboard_for(tasks, today, scope=scope)
        # The cached part holds nothing of one request (no CSRF token): the page around it does.
        return render_to_string("dashboard/_content.html", {
            "summary": summary, "cards": _cards(summary), "plan": plan, "scope": scope,
            "plans": visible_plans(scope).only("id", "title"),
            "sections": [group_row(group, scope) for group in summary.by_section],
            "departments": unit_bands(summary.by_department, scope),
            "warnings": [TaskRow.of(task) for task in summary.warnings],
            "overdue": [TaskRow.of(task) for task in summary.overdue],
            "plan_query": f"plan={plan.pk}&" if plan else "",
        })

    return render(request, "dashboard/dashboard.html",
                  {"content": mark_safe(cached("dashboard-html", parts, content, scope.bureau_ids)), "nav": "dashboard"})
