"""The dashboard's figures, the same as the web page shows."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from eduplan.dashboard.summary import dashboard_for
from eduplan.orgs.access import scope_for
from eduplan.tracking import clock
from eduplan.tracking.access import get_plan_for_user, visible_tasks
from eduplan.tracking.trends import state_trends

from ..auth import current_user
from ..schemas import READ_ERRORS, DashboardOut, TrendFilters, TrendsOut

router = Router(tags=["dashboard 总览"])


@router.get("/dashboard", response={200: DashboardOut, **READ_ERRORS},
            summary="总览：按状态、预警灯、部分、牵头单位统计 / figures by status, light, section, unit")
def dashboard(request: HttpRequest) -> dict:
    tasks = visible_tasks(scope_for(current_user(request)))  # dashboard_for selects what it needs
    return dashboard_for(tasks, clock.today()).to_dict()


@router.get("/trends", response={200: TrendsOut, **READ_ERRORS},
            summary="状态趋势：各月末按状态、预警灯统计 / tasks per status and light at each month's end")
def trends(request: HttpRequest, filters: Query[TrendFilters]) -> dict:
    user = current_user(request)
    tasks = visible_tasks(scope_for(user))
    if filters.plan is not None:
        tasks = tasks.filter(plan=get_plan_for_user(user, filters.plan))
    return state_trends(tasks, clock.today()).to_dict()

