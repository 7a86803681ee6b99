"""The dashboard (工作台): the figures of ``dashboard.summary`` for the user's scope, as a page
or, with ``?format=json``, as the same figures in JSON."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from eduplan.orgs.access import scope_for
from eduplan.tracking import clock
from eduplan.tracking.access import get_plan_for_user, visible_plans, visible_tasks
from eduplan.tracking.status import Light, Status

from .summary import Group, Summary, dashboard_for


def _group_rows(groups: list[Group]) -> list[dict]:
    """Each group's figures with the width of its green/yellow/red parts of a stacked bar."""
    rows = []
    for group in groups:
        row = group.to_dict()
        row["widths"] = [(light.value, round(100 * group.lights.get(light, 0) / group.total, 1) if group.total else 0,
                          group.lights.get(light, 0), light.label) for light in Light]
        rows.append(row)
    return rows


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
    tasks = visible_tasks(scope)
    plan = None
    if request.GET.get("plan"):
        plan = get_plan_for_user(request.user, request.GET["plan"])
        tasks = tasks.filter(plan=plan)
    summary = dashboard_for(tasks, clock.today())
    if request.GET.get("format") == "json":
        return JsonResponse(summary.to_dict(), json_dumps_params={"ensure_ascii": False})
    return render(request, "dashboard/dashboard.html", {
        "summary": summary, "cards": _cards(summary), "plan": plan, "plans": visible_plans(scope),
        "sections": _group_rows(summary.by_section), "departments": _group_rows(summary.by_department),
        "plan_query": f"plan={plan.pk}&" if plan else "", "nav": "dashboard",
    })
