"""Plans: list, structure with source spans, and importing a plan file (admins)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from ninja import File, Form, Router, Status, UploadedFile

from eduplan.errors import EduplanError, Errors
from eduplan.orgs.access import Scope, scope_for
from eduplan.orgs.models import OrgUnit
from eduplan.tracking.access import get_plan_for_user, visible_plans, visible_tasks
from eduplan.tracking.importing import TEMP_IMPORT_PREFIX, import_parsed, read_upload
from eduplan.tracking.models import Plan, Target
from eduplan.tracking.progress import check_size

from ..auth import current_user
from ..schemas import READ_ERRORS, WRITE_ERRORS, ImportForm, ImportOut, PathId, PlanDetailOut, PlanOut

router = Router(tags=["plans 计划"])

PLAN_FIELDS = ("id", "title", "kind", "region", "period_start", "period_end", "issuer", "source_name",
               "version", "bureau_id", "imported_at")
SPAN_FIELDS = ("id", "metric", "direction", "comparator", "value", "value_high", "unit", "quote",
               "baseline_value", "baseline_year", "year", "start", "end")


def _with_counts(plans: QuerySet[Plan], scope) -> QuerySet[Plan]:
    """Each plan with the number of its tasks this scope sees (as the plan list page shows)."""
    visible = visible_tasks(scope).filter(plan=OuterRef("pk")).order_by().values("plan")
    return plans.annotate(task_count=Coalesce(Subquery(visible.annotate(n=Count("pk")).values("n")), 0))


def plan_out(plan: Plan) -> dict:
    return {name: getattr(plan, name) for name in PLAN_FIELDS} | {"task_count": plan.task_count}


@router.get("/plans", response={200: list[PlanOut], **READ_ERRORS}, summary="计划列表 / plans")
def list_plans(request: HttpRequest) -> list[dict]:
    scope = scope_for(current_user(request))
    plans = _with_counts(visible_plans(scope), scope)
    return [plan_out(plan) for plan in plans]


@router.get("/plans/{int:plan_id}", response={200: PlanDetailOut, **READ_ERRORS},
            summary="计划结构：部分、任务、量化目标及其在原文中的位置 / a plan's structure with source spans")
def get_plan(request: HttpRequest, plan_id: PathId) -> dict:
    user = current_user(request)
    plan = get_plan_for_user(user, plan_id)
    plan.task_count = visible_tasks(scope_for(user)).filter(plan=plan).count()
    current = Target.objects.filter(removed_in_version__isnull=True)
    tasks = (visible_tasks(scope_for(user)).filter(plan=plan).order_by("order")
             .prefetch_related(Prefetch("targets", queryset=current)))
    return plan_out(plan) | {
        "sections": list(plan.sections.values("id", "label", "title", "order", "start", "end")),
        "tasks": [{
            "id": t.pk, "number": t.number, "label": t.label, "title": t.title, "section_id": t.section_id,
            "start": t.start, "end": t.end, "content_end": t.content_end,
            "targets": [{name: getattr(target, name) for name in SPAN_FIELDS} for target in t.targets.all()],
        } for t in tasks],
    }


@router.post("/plans/import", response={201: ImportOut, **WRITE_ERRORS},
             summary="导入计划文件（管理员） / import a plan file (admins)")
def import_plan(request: HttpRequest, file: File[UploadedFile], form: Form[ImportForm]) -> Status:
    """A .txt .docx .html .htm or .pdf file. ``bureau`` (superusers only) picks the bureau; ``replaces``
    imports the file as a new version of that plan and lists what changed."""
    user = current_user(request)
    scope = scope_for(user)
    if not scope.can_import:
        raise PermissionDenied("只有局办公室管理员可以导入计划")
    owner = _bureau_for(user, scope, form.bureau)
    revised = None
    if form.replaces is not None:
        revised = visible_plans(scope).filter(pk=form.replaces, bureau=owner).first()
        if revised is None:
            raise EduplanError(Errors.E418, plan=form.replaces)
    name = Path(file.name or "").name or "plan.txt"
    check_size(file)
    with tempfile.TemporaryDirectory(prefix=TEMP_IMPORT_PREFIX) as folder:
        path = Path(folder) / name
        with path.open("wb") as out:
            for chunk in file.chunks():
                out.write(chunk)
        parsed = read_upload(path, name)  # errors name the upload, not the temporary file
    result = import_parsed(parsed, bureau=owner, user=user, source_file=file, replaces=revised)
    return Status(201, {
        "plans": [{"id": p.pk, "title": p.title, "version": p.version,
                   "tasks": p.tasks.filter(removed_in_version__isnull=True).count()} for p in result.plans],
        "changes": [vars(change) for change in result.changes],
    })


def _bureau_for(user: AbstractBaseUser, scope: Scope, bureau_id: int | None) -> OrgUnit:
    """The admin's own bureau; a superuser may name another (or must, when there are several)."""
    bureaus = OrgUnit.objects.filter(kind=OrgUnit.Kind.BUREAU)
    if bureau_id is None:
        if scope.unit is not None:
            return scope.unit
        only = list(bureaus[:2])
        if len(only) == 1:
            return only[0]
        raise EduplanError(Errors.E405, unit="（请指定 bureau / bureau is required）")
    found = bureaus.filter(pk=bureau_id).first()
    if found is None:
        raise EduplanError(Errors.E405, unit=bureau_id)
    if not (user.is_superuser or scope.covers(found)):
        raise PermissionDenied("只能向本教育局导入计划")
    return found
