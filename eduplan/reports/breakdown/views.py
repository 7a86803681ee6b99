"""The 任务分解表 pages: download a plan's table, upload it back after editing.

Upload in two steps without a session: the file is kept under
MEDIA_ROOT/breakdown-pending/<uuid>-u<user id>.xlsx between checking and confirming (only
its uploader can reach it) and deleted on confirm, cancel or failure; files left behind by a
killed request are removed after a day, at the next upload. The file is read again on
confirm, against the database as it is then.
"""

from __future__ import annotations

import uuid
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from eduplan.errors import EduplanError, Errors
from eduplan.orgs.access import scope_for
from eduplan.tracking import clock
from eduplan.tracking.access import get_plan_for_user, visible_tasks
from eduplan.tracking.forms import XlsxUploadForm
from eduplan.tracking.importing import remove_stale_files, remove_stale_temp_uploads
from eduplan.tracking.models import Plan

from .export import breakdown_filename, write_breakdown
from .importing import BreakdownReading, apply_breakdown, read_breakdown

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PENDING_DIR = "breakdown-pending"
PENDING_MAX_AGE = 24 * 3600  # seconds


@login_required
def breakdown_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's table with the tasks this user may see."""
    plan = get_plan_for_user(request.user, pk)
    scope = scope_for(request.user)
    buffer = BytesIO()
    write_breakdown(plan, buffer, tasks=visible_tasks(scope).filter(plan=plan),
                    with_people=scope.can_assign and scope.covers(plan.bureau))
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=breakdown_filename(plan), content_type=XLSX)


# ---------------------------------------------------------------- importing

class BreakdownUploadForm(XlsxUploadForm):
    label = "任务分解表（.xlsx）"
    help_text = "先下载本计划的任务分解表，在 Excel 或 WPS 中修改后保存为 .xlsx 再上传"
    not_xlsx = Errors.E602


def _import_plan(request: HttpRequest, pk: int) -> Plan:
    """The plan, if this user may assign every task in it (the bureau office); 403 otherwise."""
    plan = get_plan_for_user(request.user, pk)
    scope = scope_for(request.user)
    if not (scope.can_assign and scope.covers(plan.bureau)):
        raise PermissionDenied("只有局办公室管理员可以导入任务分解表")
    return plan


def _pending_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / PENDING_DIR


def _pending_path(token: uuid.UUID, user) -> Path:
    return _pending_dir() / f"{token}-u{user.pk}.xlsx"


def _store(upload, user) -> uuid.UUID:
    folder = _pending_dir()
    folder.mkdir(parents=True, exist_ok=True)
    # Anyone's: a file a day old belongs to an import that was abandoned or killed.
    remove_stale_files(folder, PENDING_MAX_AGE)
    remove_stale_temp_uploads(PENDING_MAX_AGE)
    token = uuid.uuid4()
    path = _pending_path(token, user)
    try:
        with open(path, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return token


def _problems_page(request: HttpRequest, plan: Plan, form: BreakdownUploadForm, reading: BreakdownReading,
                   ) -> HttpResponse:
    return render(request, "reports/breakdown_import.html", {
        "plan": plan, "form": form, "reading": reading, "nav": "plans"})


@login_required
def breakdown_import(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _import_plan(request, pk)
    form = BreakdownUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = Path(upload.name).name
        token = _store(upload, request.user)
        path = _pending_path(token, request.user)
        try:
            reading = read_breakdown(path, plan, name=name)
        except EduplanError as err:
            path.unlink(missing_ok=True)
            form.add_error("file", str(err))
        except BaseException:  # a bug or an interrupted request leaves no file behind either
            path.unlink(missing_ok=True)
            raise
        else:
            if not reading.ok:
                path.unlink(missing_ok=True)
                return _problems_page(request, plan, BreakdownUploadForm(), reading)
            if not reading.changes:
                path.unlink(missing_ok=True)
                messages.info(request, f"“{name}”与系统中的分派一致（{reading.unchanged} 行），没有需要保存的改动")
                return redirect("plan-detail", pk=plan.pk)
            return redirect(_review_url(plan, token, name))
    return render(request, "reports/breakdown_import.html", {"plan": plan, "form": form, "nav": "plans"})


def _review_url(plan: Plan, token: uuid.UUID, name: str) -> str:
    return reverse("breakdown-import-review", args=[plan.pk, token]) + "?" + urlencode({"name": name})


@login_required
def breakdown_import_review(request: HttpRequest, pk: int, token: uuid.UUID) -> HttpResponse:
    plan = _import_plan(request, pk)
    path = _pending_path(token, request.user)
    if not path.is_file():
        raise Http404("待确认的任务分解表不存在或已处理")
    name = (request.POST.get("name") or request.GET.get("name") or "任务分解表.xlsx")[:200]
    if request.method == "POST" and request.POST.get("action") == "cancel":
        path.unlink(missing_ok=True)
        messages.info(request, f"已取消导入“{name}”，没有做任何改动")
        return redirect("plan-detail", pk=plan.pk)
    try:
        reading = read_breakdown(path, plan, name=name)
    except EduplanError as err:
        path.unlink(missing_ok=True)
        messages.error(request, str(err))
        return redirect("breakdown-import", pk=plan.pk)
    if not reading.ok:  # the database changed since the upload
        path.unlink(missing_ok=True)
        return _problems_page(request, plan, BreakdownUploadForm(), reading)
    if request.method == "POST" and request.POST.get("action") == "confirm":
        try:
            result = apply_breakdown(reading, user=request.user, today=clock.today())
        except EduplanError as err:
            messages.error(request, str(err))
        else:
            path.unlink(missing_ok=True)
            changed = len(result.assignments) - sum(1 for c in reading.new_tasks if c.lead_unit is not None)
            messages.success(request, f"已导入“{name}”：修改分派 {changed} 项，新增任务 {len(result.created)} 项，"
                                      f"其余 {result.unchanged} 行没有变化")
            return redirect("plan-detail", pk=plan.pk)
    return render(request, "reports/breakdown_review.html", {
        "plan": plan, "reading": reading, "name": name, "nav": "plans"})
