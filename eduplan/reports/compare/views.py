"""The plan comparison page: tick 2–20 plans the user may see, pick the reference, and read
the coverage by theme, the aligned tasks, what each plan lacks and the targets side by side;
the same comparison downloads as an .xlsx workbook (``eduplan.compare.report_xlsx``)."""

from __future__ import annotations

import tempfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from eduplan.compare.report_xlsx import write_comparison_xlsx
from eduplan.errors import EduplanError
from eduplan.orgs.access import Scope, scope_for
from eduplan.tracking import clock
from eduplan.tracking.access import visible_plans

from .page import MAX_PLANS, compare_stored, comparison_page, plans_for_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _reader_scope(request: HttpRequest) -> Scope:
    scope = scope_for(request.user)
    if not scope.can_read:
        raise PermissionDenied("您没有查看计划的权限")
    return scope


def _form_context(request: HttpRequest) -> dict:
    scope = _reader_scope(request)
    return {"nav": "compare", "most": MAX_PLANS, "chosen": set(request.GET.getlist("plan")),
            "reference": request.GET.get("reference", ""), "query": request.GET.urlencode(),
            "plans": list(visible_plans(scope).select_related("bureau").defer("source_text"))}


@login_required
@require_GET
def plan_compare(request: HttpRequest) -> HttpResponse:
    context = _form_context(request)
    if not context["chosen"] and not context["reference"]:
        return render(request, "reports/compare.html", context)
    try:
        plans = plans_for_user(request.user, request.GET.getlist("plan"), context["reference"])
    except EduplanError as exc:
        return render(request, "reports/compare.html", {**context, "error": str(exc)}, status=400)
    page = comparison_page(plans, scope_for(request.user))
    return render(request, "reports/compare.html", {**context, "page": page, "svg": mark_safe(page.svg)})


@login_required
@require_GET
def plan_compare_xlsx(request: HttpRequest) -> HttpResponse:
    _reader_scope(request)
    try:
        plans = plans_for_user(request.user, request.GET.getlist("plan"), request.GET.get("reference", ""))
    except EduplanError as exc:
        return render(request, "reports/compare.html", {**_form_context(request), "error": str(exc)}, status=400)
    _, comparison = compare_stored(plans)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_comparison_xlsx(comparison, handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"计划对比_{clock.today():%Y%m%d}.xlsx",
                        content_type=XLSX)
