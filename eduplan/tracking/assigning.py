"""Assign tasks to units: the one place that checks and records who does what by when."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Case, IntegerField, QuerySet, Value, When

from eduplan.audit.log import record, snapshot
from eduplan.errors import EduplanError, Errors
from eduplan.orgs.models import AUTHORITY_KINDS, OrgUnit

from . import clock
from .access import check_can_assign, check_can_change
from .models import Assignment, Measure, Milestone, Plan, RoutingRule, Task
from .routing import Suggestion, precedents_for, suggest_for_tasks
from .state_store import keeping_states

_KIND_ORDER = Case(When(kind=OrgUnit.Kind.DEPARTMENT, then=Value(0)), When(kind=OrgUnit.Kind.GROUP, then=Value(1)),
                   default=Value(2), output_field=IntegerField())


def assignable_units(bureau: OrgUnit | None) -> QuerySet[OrgUnit]:
    """Where a task can go: the bureau's own active departments, then groups, then schools
    (every bureau's, for a superuser's ``None``); a city's tasks stay with the city's own units."""
    units = OrgUnit.objects.filter(active=True).exclude(kind__in=AUTHORITY_KINDS)
    if bureau is not None:
        units = units.filter(owning_bureau=bureau)
    return units.annotate(kind_order=_KIND_ORDER).order_by("kind_order", "path")


def possible_owners(bureau: OrgUnit):
    """Who can own a task: the active users of the bureau's units, by unit."""
    return (get_user_model().objects.filter(is_active=True, membership__unit__path__startswith=bureau.path)
            .select_related("membership__unit").order_by("membership__unit__path", "username"))


def default_period(plan: Plan, today: date) -> tuple[date, date]:
    """A task runs over the plan's years unless told otherwise: 1 Jan to 31 Dec."""
    first = plan.period_start or today.year
    last = plan.period_end or first
    return date(first, 1, 1), date(last, 12, 31)


def suggestions_for(tasks: Sequence[Task], bureau: OrgUnit) -> dict[int, Suggestion | None]:
    rules = list(RoutingRule.objects.filter(bureau=bureau, active=True).select_related("lead_unit")
                 .prefetch_related("partner_units"))
    return suggest_for_tasks(tasks, rules, precedents_for(bureau))


def _check_unit(unit: OrgUnit, bureau: OrgUnit) -> None:
    """Work stays with the plan's own bureau: a city's plan does not reach into a district's units."""
    if unit.owning_bureau_id != bureau.pk or unit.is_authority:
        raise EduplanError(Errors.E405, unit=unit.name)


def assign_task(task: Task, *, user, lead_unit: OrgUnit, partner_units: Iterable[OrgUnit] = (),
                owner=None, deadline: date | None = None, start_date: date | None = None,
                measure: Measure | None = None, suggestion: str = "", today: date | None = None,
                milestones: Sequence[tuple[date, str]] | None = None) -> Assignment:
    """Create or change the assignment of a task (or of one of its measures, to split it).

    ``milestones`` (due date, title), when given, replace the assignment's milestones; one
    already marked done keeps its mark if its title stays.
    """
    if measure is not None and measure.task_id != task.pk:
        raise EduplanError(Errors.E421, measure=measure.pk)
    scope = check_can_assign(user, task)
    if task.is_removed:
        raise EduplanError(Errors.E407, task=str(task))
    bureau = task.plan.bureau
    partners = [u for u in partner_units if u.pk != lead_unit.pk]
    for unit in (lead_unit, *partners):
        _check_unit(unit, bureau)
    if not scope.covers(lead_unit):
        raise EduplanError(Errors.E411, unit=lead_unit.name)
    default_start, default_deadline = default_period(task.plan, today or clock.today())
    start_date = start_date or default_start
    deadline = deadline or default_deadline
    if deadline < start_date:
        raise EduplanError(Errors.E410, deadline=deadline, start=start_date)
    if owner is not None and not belongs(owner, [lead_unit, *partners]):
        raise EduplanError(Errors.E416, user=owner.get_username())
    for due, title in milestones or ():
        if not start_date <= due <= deadline:
            raise EduplanError(Errors.E422, title=title, due=due, start=start_date, deadline=deadline)
    with keeping_states():  # atomic; the touched tasks' stored states are judged again in it
        assignment = Assignment.objects.select_for_update().filter(task=task, measure=measure).first()
        if assignment is not None:
            check_can_change(user, assignment)  # a manager may not take over another unit's part
        before = snapshot(assignment) if assignment else {}
        if assignment:
            before["milestones"] = [f"{m.due} {m.title}" for m in assignment.milestones.all()]
        if assignment is None:
            assignment = Assignment(task=task, measure=measure)
        assignment.lead_unit = lead_unit
        assignment.owner = owner
        assignment.start_date, assignment.deadline = start_date, deadline
        assignment.suggestion = suggestion[:300]
        assignment.save()
        assignment.partner_units.set(partners)
        if milestones is not None:
            _replace_milestones(assignment, milestones)
        after = snapshot(assignment)
        after["milestones"] = [f"{due} {title}" for due, title in milestones or ()] if milestones is not None \
            else before.get("milestones", [])
        record(user, "task.assign", assignment, before, after)
    return assignment


def _replace_milestones(assignment: Assignment, milestones: Sequence[tuple[date, str]]) -> None:
    done = set(assignment.milestones.filter(done=True).values_list("title", flat=True))
    assignment.milestones.all().delete()
    Milestone.objects.bulk_create(Milestone(assignment=assignment, due=due, title=title[:200], done=title in done)
                                  for due, title in sorted(milestones))


def mark_milestone(milestone: Milestone, *, user, done: bool) -> None:
    """Tick a milestone off (or back on); the caller checked the user may report on it."""
    before = {"done": milestone.done}
    with keeping_states():  # atomic; the touched tasks' stored states are judged again in it
        milestone.done = done
        milestone.save(update_fields=["done"])
        record(user, "milestone.mark", milestone, before, {"done": done})


def belongs(user, units: Sequence[OrgUnit]) -> bool:
    """The user's unit is one of ``units`` or below one of them."""
    membership = getattr(user, "membership", None)
    return membership is not None and any(membership.unit.path.startswith(u.path) for u in units)


def bulk_assign(tasks: Sequence[Task], *, user, lead_unit: OrgUnit | None = None,
                deadline: date | None = None, today: date | None = None) -> list[Assignment]:
    """Assign many tasks in one transaction: to ``lead_unit``, or each to its suggestion.

    Tasks with no suggestion (and no unit given) are left as they are.
    """
    if not tasks:
        return []
    suggestions = suggestions_for(tasks, tasks[0].plan.bureau) if lead_unit is None else {}
    done = []
    with keeping_states():  # atomic; the touched tasks' stored states are judged again in it
        for task in tasks:
            if lead_unit is not None:
                done.append(assign_task(task, user=user, lead_unit=lead_unit, deadline=deadline, today=today))
                continue
            suggestion = suggestions.get(task.pk)
            if suggestion is None:
                continue
            done.append(assign_task(task, user=user, lead_unit=suggestion.lead_unit,
                                    partner_units=suggestion.partner_units(), deadline=deadline,
                                    suggestion=suggestion.reason, today=today))
    return done


MAX_ID = 2**31 - 1  # a larger number is no id, and would overflow the database's integers


def find_unit(name_or_id: str, bureau: OrgUnit) -> OrgUnit:
    """An org unit of the bureau by id or exact name (for the CLI and API)."""
    units = OrgUnit.objects.filter(owning_bureau=bureau)
    number = int(name_or_id) if name_or_id.isascii() and name_or_id.isdigit() else None
    unit = (units.filter(pk=number).first() if number is not None and 0 < number <= MAX_ID else None) \
        or units.filter(name=name_or_id).first()
    if unit is None:
        raise EduplanError(Errors.E405, unit=name_or_id)
    return unit


def find_owner(username: str, bureau: OrgUnit):
    """An active user of the bureau by username (for the CLI and API). Someone of another
    bureau is as unknown as no one: the answer tells nothing about other bureaus' people."""
    owner = possible_owners(bureau).filter(username=username).first()
    if owner is None:
        raise EduplanError(Errors.E609, user=username)
    return owner
