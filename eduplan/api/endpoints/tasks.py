"""Tasks: a filtered, paged list with status and light; one task in full; assigning it."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router

from eduplan.caching import cached
from eduplan.errors import EduplanError, Errors
from eduplan.orgs.access import scope_for
from eduplan.orgs.models import OrgUnit
from eduplan.tracking import clock, state_store
from eduplan.tracking.access import (
    assigned_within,
    check_can_assign,
    get_task_for_user,
    reportable_assignments,
    visible_tasks,
)
from eduplan.tracking.assigning import assign_task, find_owner, find_unit
from eduplan.tracking.filters import search_tasks
from eduplan.tracking.models import Assignment, ProgressReport, Task
from eduplan.tracking.warnings import ListedTask, for_states, latest_actuals, task_states

from ..auth import current_user
from ..schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    AssignIn,
    AssignmentOut,
    PathId,
    TaskDetailOut,
    TaskFilters,
    TaskPageOut,
)
from .account import units_in_scope
from .plans import SPAN_FIELDS

router = Router(tags=["tasks 任务"])


def unit_ref(unit: OrgUnit) -> dict:
    return {"id": unit.pk, "name": unit.name}


def task_item(task: ListedTask) -> dict:
    verdict = task.verdict
    return {
        "id": task.pk, "number": task.number, "title": task.title, "plan_id": task.plan_id,
        "section": dict(zip(("id", "label", "title"), task.section, strict=True)) if task.section else None,
        "lead_units": [{"id": lead.unit_id, "name": lead.unit_name} for lead in task.leads],
        "deadline": max((lead.deadline for lead in task.leads), default=None),
        "percent": task.percent, "status": verdict.status, "status_label": verdict.status.label,
        "light": verdict.light, "reasons": list(verdict.reasons),
    }


def filtered_tasks(request: HttpRequest, filters: TaskFilters) -> QuerySet[Task]:
    tasks = visible_tasks(scope_for(current_user(request)))
    if filters.plan is not None:
        tasks = tasks.filter(plan_id=filters.plan)
    if filters.section is not None:
        tasks = tasks.filter(section_id=filters.section)
    if filters.unit is not None:
        unit = units_in_scope(request).filter(pk=filters.unit).first()
        if unit is None:
            raise EduplanError(Errors.E405, unit=filters.unit)
        tasks = tasks.filter(assigned_within(unit.path))
    if filters.q:
        tasks = search_tasks(tasks, filters.q)
    return for_states(tasks).order_by("plan_id", "order", "id")


@router.get("/tasks", response={200: TaskPageOut, **READ_ERRORS},
            summary="任务列表（可筛选、分页） / tasks, filtered and paged")
def list_tasks(request: HttpRequest, filters: Query[TaskFilters]) -> TaskPageOut:
    """The same page for everyone with the same role and unit, until the data changes. It is
    kept validated: ninja only serializes a ``TaskPageOut`` it is given, and validating the
    page's fifty tasks again was a third of a request served from the cache."""
    scope = scope_for(current_user(request))
    return cached("api-tasks", (scope.key, filters.model_dump_json()),
                  lambda: TaskPageOut.model_validate(_task_page(request, filters)), scope.bureau_ids)


def _task_page(request: HttpRequest, filters: TaskFilters) -> dict:
    """Status and light are read from the stored states (``state_store``): filtered, counted
    and paged in SQL; only the returned page is loaded as tasks."""
    tasks = filtered_tasks(request, filters)
    state_store.ensure_current(tasks, clock.today(), scope_for(current_user(request)))
    tasks = state_store.with_state(tasks, filters.status.value if filters.status else "",
                                   filters.light.value if filters.light else "")
    window = slice(filters.offset, filters.offset + filters.limit)
    return {"count": tasks.count(), "limit": filters.limit, "offset": filters.offset,
            "items": [task_item(task) for task in state_store.listed_tasks(state_store.listing(tasks)[window])]}


def assignment_out(assignment: Assignment, reportable: set[int]) -> dict:
    return {
        "id": assignment.pk, "task_id": assignment.task_id, "measure_id": assignment.measure_id,
        "lead_unit": unit_ref(assignment.lead_unit),
        "partner_units": [unit_ref(u) for u in assignment.partner_units.all()],
        "owner": assignment.owner.get_username() if assignment.owner else None,
        "start_date": assignment.start_date, "deadline": assignment.deadline,
        "suggestion": assignment.suggestion, "closed_at": assignment.closed_at,
        "latest_percent": assignment.latest_percent, "latest_state": assignment.latest_state,
        "latest_report_at": assignment.latest_report_at, "can_report": assignment.pk in reportable,
        "milestones": [{"id": m.pk, "due": m.due, "title": m.title, "done": m.done} for m in assignment.milestones.all()],
    }


def report_out(report: ProgressReport) -> dict:
    return {
        "id": report.pk, "assignment_id": report.assignment_id, "period": report.period,
        "state": report.state, "state_label": report.get_state_display(), "percent": report.percent,
        "narrative": report.narrative, "unit": unit_ref(report.unit),
        "created_by": report.created_by.get_username(), "created_at": report.created_at,
        "evidence": [{"id": e.pk, "name": e.original_name, "size": e.size, "sha256": e.sha256}
                     for e in report.evidence.all()],
        # By target: PostgreSQL's jsonb keeps no order, and a report read back must answer the same.
        "actuals": sorted(({"target_id": int(pk), "value": value} for pk, value in report.typed_actuals.items()),
                          key=lambda actual: actual["target_id"]),
    }


@router.get("/tasks/{int:task_id}", response={200: TaskDetailOut, **READ_ERRORS},
            summary="任务详情：措施、目标、分派、进展 / a task with measures, targets, assignments, reports")
def get_task(request: HttpRequest, task_id: PathId) -> dict:
    user = current_user(request)
    task = get_task_for_user(user, task_id)
    state = task_states([task], clock.today())[0]
    targets = list(task.targets.filter(removed_in_version__isnull=True).select_related("indicator"))
    actuals = latest_actuals(targets)
    reportable = {a.pk for a in reportable_assignments(user, task)}
    reports = (ProgressReport.objects.filter(assignment__task=task).select_related("unit", "created_by")
               .prefetch_related("evidence"))
    return task_item(ListedTask.of(state)) | {
        "plan_title": task.plan.title, "expected": state.verdict.expected,
        "measures": list(task.measures.filter(removed_in_version__isnull=True)
                         .values("id", "text", "order", "start", "end")),
        "targets": [{name: getattr(t, name) for name in SPAN_FIELDS} | {"latest_actual": actuals[t.pk].value if t.pk in actuals else None}
                    for t in targets],
        "assignments": [assignment_out(a, reportable) for a in
                        task.assignments.select_related("lead_unit", "owner").prefetch_related("partner_units")],
        "reports": [report_out(r) for r in reports],
    }


@router.put("/tasks/{int:task_id}/assignment", response={200: AssignmentOut, **WRITE_ERRORS},
            summary="分派任务（管理员、单位负责人） / assign a task (admins, unit managers)")
def put_assignment(request: HttpRequest, task_id: PathId, body: AssignIn) -> dict:
    """Sets the whole assignment: units not listed stop being partners; no owner clears it."""
    user = current_user(request)
    task = get_task_for_user(user, task_id)
    check_can_assign(user, task)  # refuse before saying anything about units or users
    bureau = task.plan.bureau
    owner = find_owner(body.owner, bureau) if body.owner else None
    measure = None
    if body.measure is not None:
        measure = task.measures.filter(pk=body.measure, removed_in_version__isnull=True).first()
        if measure is None:
            raise EduplanError(Errors.E421, measure=body.measure)
    milestones = None if body.milestones is None else [(m.due, m.title) for m in body.milestones]
    assignment = assign_task(
        task, user=user, lead_unit=find_unit(str(body.lead_unit), bureau),
        partner_units=[find_unit(str(u), bureau) for u in body.partner_units], owner=owner,
        start_date=body.start_date, deadline=body.deadline, measure=measure, milestones=milestones,
        today=clock.today())
    reportable = {a.pk for a in reportable_assignments(user, task)}
    return assignment_out(assignment, reportable)
