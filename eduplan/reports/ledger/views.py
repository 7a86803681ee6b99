"""The 工作台账 download: the tasks the user may see (optionally one plan's), as .xlsx.

Every signed-in user with a role may download, each with the tasks of their own scope
(``visible_tasks``): the bureau office and leaders get the whole bureau, a department or a
school its own assignments.
"""

from __future__ import annotations

import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_GET

from eduplan.orgs.access import scope_for
from eduplan.tracking import clock
from eduplan.tracking.access import tasks_in_view

from .build import write_ledger

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def ledger_export(request: HttpRequest) -> FileResponse:
    scope = scope_for(request.user)
    if not scope.can_read:
        raise PermissionDenied("您没有查看任务的权限")
    tasks, plan = tasks_in_view(request.user, request.GET.get("plan"))
    today = clock.today()
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_ledger(tasks, handle, today=today)
    handle.seek(0)
    name = f"{plan.title}工作台账" if plan else "工作台账"
    return FileResponse(handle, as_attachment=True, filename=f"{name}_{today:%Y%m%d}.xlsx", content_type=XLSX)
