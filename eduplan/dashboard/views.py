"""The dashboard (工作台): the figures of ``dashboard.summary`` for the user's scope, as a page
or, with ``?format=json``, as the same figures in JSON."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from eduplan.audit.log import data_version
from eduplan.orgs.access import Scope, scope_for
from eduplan.tracking import clock
from eduplan.tracking.access import get_plan_for_user, visible_plans, visible_tasks
from eduplan.tracking.models import Plan
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


CACHE_SECONDS = 600


def cache_key(kind: str, scope: Scope, plan: Plan | None, today: date) -> str:
    """Figures depend on who looks (role and unit), the plan, the day and the data; any
    change to the data is audited, so the newest audit entry stands for the data."""
    unit = scope.unit.pk if scope.unit else "all"
    return f"dashboard:{kind}:{scope.role}:{unit}:{plan.pk if plan else 'all'}:{today}:{data_version()}"


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    tasks = visible_tasks(scope)
    plan = None
    if request.GET.get("plan"):
        plan = get_plan_for_user(request.user, request.GET["plan"])
        tasks = tasks.filter(plan=plan)
    today = clock.today()
    if request.GET.get("format") == "json":
        figures = cache.get_or_set(cache_key("json", scope, plan, today),
                                   lambda: dashboard_for(tasks, today).to_dict(), CACHE_SECONDS)
        return JsonResponse(figures, json_dumps_params={"ensure_ascii": False})
    key = cache_key("html", scope, plan, today)
    content = cache.get(key)
    if content is None:
        summary = dashboard_for(tasks, today)
        # The cached part holds no per-request data (no CSRF token): the page around it does.
        content = render_to_string("dashboard/_content.html", {
            "summary": summary, "cards": _cards(summary), "plan": plan, "scope": scope,
            "plans": visible_plans(scope).only("id", "title"),
            "sections": _group_rows(summary.by_section), "departments": _group_rows(summary.by_department),
            "plan_query": f"plan={plan.pk}&" if plan else "",
        })
        cache.set(key, content, CACHE_SECONDS)
    return render(request, "dashboard/dashboard.html", {"content": mark_safe(content), "nav": "dashboard"})
