"""One access helper per object: every view, API endpoint and service goes through these.

A task is visible to a scope when its plan belongs to a bureau within the scope (the bureau
office, leaders at bureau level) or when the task is assigned to a unit within it, as lead
or partner. Writing needs the matching capability (report, assign, import) as well.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from eduplan.orgs.access import Scope, scope_for

from .models import Assignment, Plan, Task


def assigned_within(path: str) -> Q:
    """Tasks with an assignment led or partnered by the unit at ``path`` or a unit below it."""
    inner = Assignment.objects.filter(task=OuterRef("pk")).filter(
        Q(lead_unit__path__startswith=path) | Q(partner_units__path__startswith=path))
    return Q(Exists(inner))


def visible_tasks(scope: Scope) -> QuerySet[Task]:
    tasks = Task.objects.filter(removed_in_version__isnull=True)
    if not scope.can_read:
        return tasks.none()
    if scope.everything:
        return tasks
    path = scope.unit_path
    return tasks.filter(Q(plan__bureau__path__startswith=path) | assigned_within(path))


def visible_plans(scope: Scope) -> QuerySet[Plan]:
    if not scope.can_read:
        return Plan.objects.none()
    if scope.everything:
        return Plan.objects.all()
    path = scope.unit_path
    assigned = Task.objects.filter(plan=OuterRef("pk")).filter(assigned_within(path))
    return Plan.objects.filter(Q(bureau__path__startswith=path) | Q(Exists(assigned)))


def visible_assignments(scope: Scope) -> QuerySet[Assignment]:
    assignments = Assignment.objects.filter(task__removed_in_version__isnull=True)
    if not scope.can_read:
        return assignments.none()
    if scope.everything:
        return assignments
    path = scope.unit_path
    partner = Assignment.objects.filter(pk=OuterRef("pk"), partner_units__path__startswith=path)
    return assignments.filter(Q(task__plan__bureau__path__startswith=path) | Q(lead_unit__path__startswith=path)
                              | Q(Exists(partner)))


def get_task_for_user(user, pk: int) -> Task:
    """The task if the user may see it; 404 otherwise (no hint that it exists)."""
    try:
        return visible_tasks(scope_for(user)).select_related("plan", "section").get(pk=pk)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404("任务不存在或无权查看") from None


def get_plan_for_user(user, pk: int) -> Plan:
    try:
        return visible_plans(scope_for(user)).get(pk=pk)
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise Http404("计划不存在或无权查看") from None


def reportable_assignments(user, task: Task) -> list[Assignment]:
    """The task's assignments this user may report progress on: own unit leads or partners."""
    scope = scope_for(user)
    if not scope.can_report:
        return []
    result = []
    for assignment in task.assignments.select_related("lead_unit").prefetch_related("partner_units"):
        units = [assignment.lead_unit, *assignment.partner_units.all()]
        if any(scope.covers(unit) for unit in units):
            result.append(assignment)
    return result


def get_assignment_for_report(user, pk: int) -> Assignment:
    """An assignment the user may report on; 404 if invisible, 403 if visible but read-only."""
    scope = scope_for(user)
    try:
        assignment = visible_assignments(scope).select_related("task", "task__plan", "lead_unit").get(pk=pk)
    except (Assignment.DoesNotExist, ValueError, TypeError):
        raise Http404("任务不存在或无权查看") from None
    if assignment not in reportable_assignments(user, assignment.task):
        raise PermissionDenied("您没有填报该任务进展的权限")
    return assignment


def check_can_assign(user, task: Task) -> Scope:
    """Admins assign anything in their bureau; a unit manager re-assigns within its own unit."""
    scope = scope_for(user)
    if not scope.can_assign:
        raise PermissionDenied("您没有分派任务的权限")
    if scope.covers(task.plan.bureau):
        return scope
    if any(scope.covers(a.lead_unit) for a in task.assignments.select_related("lead_unit")):
        return scope
    raise PermissionDenied("该任务不在您的管理范围内")
