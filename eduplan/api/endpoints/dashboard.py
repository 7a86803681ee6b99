"""The dashboard's figures, the same as the web page shows."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from eduplan.dashboard.summary import dashboard_for
from eduplan.orgs.access import scope_for
from eduplan.tracking import clock
from eduplan.tracking.access import visible_tasks

from ..auth import current_user
from ..schemas import READ_ERRORS, DashboardOut

router = Router(tags=["dashboard 总览"])


@router.get("/dashboard", response={200: DashboardOut, **READ_ERRORS},
            summary="总览：按状态、预警灯、部分、牵头单位统计 / figures by status, light, section, unit")
def dashboard(request: HttpRequest) -> dict:
    tasks = visible_tasks(scope_for(current_user(request)))  # dashboard_for selects what it needs
    return dashboard_for(tasks, clock.today()).to_dict()
