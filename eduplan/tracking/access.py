"""One access helper per object: every view, API endpoint and service goes through these.

A task is visible to a scope when its plan belongs to a bureau within the scope (the bureau
office, leaders at bureau level) or when the task is assigned to a unit within it, as lead
or partner. Writing needs the matching capability (report, assign, import) as well.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from eduplan.errors import Errors
from eduplan.orgs.access import Refused, Scope, scope_for
from eduplan.orgs.models import OrgUnit

from .models import Assignment, Plan, Task


def assigned_within(path: str) -> Q:
    """Tasks with an assignment led or partnered by the unit at ``path`` or a unit below it.

    Two uncorrelated ``IN`` lists rather than an ``EXISTS`` per task: the database finds the
    few assignments of those units once, instead of probing them for every task in the city
    (on SQLite 2.3 → 0.9 ms for a school's tasks, and a page asks four to six times)."""
    units = OrgUnit.objects.filter(path__startswith=path).values("pk")
    led = Assignment.objects.filter(lead_unit__in=units).values("task_id")
    partnered = Assignment.objects.filter(partner_units__in=units).values("task_id")
    return Q(pk__in=led) | Q(pk__in=partnered)


def _whole_bureau(scope: Scope) -> bool:
    """A scope at an authority (a bureau, or a city above its districts) sees the plans of
    every authority within it. Below an authority, a unit sees only what is assigned to it: a
    plan's bureau always lies above a department or a school, and assignments never leave
    their plan's bureau (``assigning.assign_task`` checks), so each case needs only one of the
    two tests — an OR of both makes the database scan every assignment in the city."""
    return scope.whole_authority


def visible_tasks(scope: Scope) -> QuerySet[Task]:
    tasks = Task.objects.filter(removed_in_version__isnull=True)
    if not scope.can_read:
        return tasks.none()
    if scope.everything:
        return tasks
    if _whole_bureau(scope):
        return tasks.filter(plan__bureau__path__startswith=scope.unit_path)
    return tasks.filter(assigned_within(scope.unit_path))


def visible_plans(scope: Scope) -> QuerySet[Plan]:
    if not scope.can_read:
        return Plan.objects.none()
    if scope.everything:
        return Plan.objects.all()
    if _whole_bureau(scope):
        return Plan.objects.filter(bureau__path__startswith=scope.unit_path)
    assigned = Task.objects.filter(removed_in_version__isnull=True).filter(assigned_within(scope.unit_path))
    return Plan.objects.filter(pk__in=assigned.values("plan_id"))


def visible_assignments(scope: Scope) -> QuerySet[Assignment]:
    assignments = Assignment.objects.filter(task__removed_in_version__isnull=True)
    if not scope.can_read:
        return assignments.none()
    if scope.everything:
        return assignments
    path = scope.unit_path
    if _whole_bureau(scope):
        return assignments.filter(task__plan__bureau__path__startswith=path)
    # An assignment is visible with its task: to the units that lead or partner in any part of it.
    return assignments.filter(task__in=Task.objects.filter(assigned_within(path)).values("pk"))


def tasks_in_view(user, plan_id: str | None) -> tuple[QuerySet[Task], Plan | None]:
    """The user's visible tasks, narrowed to one plan when a page asks for ``?plan=``."""
    if not plan_id:
        return visible_tasks(scope_for(user)), None
    plan = get_plan_for_user(user, plan_id, with_text=False)
    return tasks_of_plan(scope_for(user), plan), plan


def tasks_of_plan(scope: Scope, plan: Plan | None) -> QuerySet[Task]:
    """The scope's visible tasks of ``plan``, a plan already checked visible; all of them when None."""
    tasks = visible_tasks(scope)
    return tasks if plan is None else tasks.filter(plan=plan)


def get_task_for_user(user, pk: int) -> Task:
    """The task if the user may see it; 404 otherwise (no hint that it exists)."""
    try:
        return visible_tasks(scope_for(user)).select_related("plan", "section").get(pk=pk)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404("任务不存在或无权查看") from None


def get_plan_for_user(user, pk: int, *, with_text: bool = True) -> Plan:
    """The plan if ``user`` may see it, else 404; without its source text (tens of KB, read
    only by the plan's own pages) when ``with_text`` is False."""
    plans = visible_plans(scope_for(user))
    try:
        return (plans if with_text else plans.defer("source_text")).get(pk=pk)
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise Http404("计划不存在或无权查看") from None


def reportable_assignments(user, task: Task) -> list[Assignment]:
    """The task's assignments this user may report progress on: own unit leads or partners."""
    scope = scope_for(user)
    if not scope.can_report:
        return []
    return [assignment for assignment in task.assignments.select_related("lead_unit").prefetch_related("partner_units")
            if _reports_on(scope, assignment)]


def _reports_on(scope: Scope, assignment: Assignment) -> bool:
    """Does the scope (of a user who may report) cover the assignment's lead or a partner unit?"""
    return any(scope.covers(unit) for unit in (assignment.lead_unit, *assignment.partner_units.all()))


def get_assignment_for_report(user, pk: int) -> Assignment:
    """An assignment the user may report on; 404 if invisible, 403 if visible but read-only."""
    scope = scope_for(user)
    try:
        assignment = visible_assignments(scope).select_related("task", "task__plan", "lead_unit").get(pk=pk)
    except (Assignment.DoesNotExist, ValueError, TypeError):
        raise Http404("任务不存在或无权查看") from None
    # The rule of ``reportable_assignments``, for this assignment alone.
    if not (scope.can_report and _reports_on(scope, assignment)):
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


def check_can_change(user, assignment: Assignment) -> Scope:
    """May the user change this assignment (re-assign, reopen, tick milestones as assigner)?

    The bureau office may change any; a unit manager only an assignment its unit leads, so
    a manager cannot take over another unit's part of a task split by measure.
    """
    scope = check_can_assign(user, assignment.task)
    if scope.covers(assignment.task.plan.bureau) or scope.covers(assignment.lead_unit):
        return scope
    raise PermissionDenied("该分派不在您的管理范围内")


def check_can_close(user, assignment: Assignment) -> None:
    """May the user close (办结) this assignment, i.e. report it done?

    Closing ends everyone's reporting on it, so it is the lead unit's call (or an assigner's,
    as ``check_can_change``): a partner unit reports on its share but cannot close the lead's.
    The caller has already checked that the user may report on it.
    """
    if scope_for(user).covers(assignment.lead_unit):
        return
    try:
        check_can_change(user, assignment)
    except PermissionDenied:
        raise Refused(Errors.E456, task=str(assignment.task)) from None


def may_close(user, assignment: Assignment) -> bool:
    """``check_can_close`` as a yes or no, for what a page offers."""
    try:
        check_can_close(user, assignment)
    except PermissionDenied:
        return False
    return True


def check_can_correct(user, bureau) -> Scope:
    """Only the bureau office (an admin covering the plan's bureau) corrects what was read of a plan."""
    scope = scope_for(user)
    if not (scope.can_import and scope.covers(bureau)):
        raise Refused(Errors.E477)
    return scope


def may_correct(user, bureau) -> bool:
    """``check_can_correct`` as a yes or no, for what a page offers."""
    try:
        check_can_correct(user, bureau)
    except PermissionDenied:
        return False
    return True
