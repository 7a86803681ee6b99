"""Who may read, enter and review school data: one helper per question, all on the org scope.

A school's reporter enters its own forms only; a department, bureau or city reads every unit
below it; a bureau admin or unit manager reviews the forms of units below it (never its own).
"""

from __future__ import annotations

from django.http import Http404

from eduplan.errors import Errors
from eduplan.orgs.access import Refused, scope_for
from eduplan.orgs.models import OrgUnit


def readable_unit(user, unit_id: int | str | None) -> OrgUnit:
    """A unit whose figures the user may read (their own unit when none is named); 404 for
    anything outside their scope, so ids of other districts tell nothing."""
    scope = scope_for(user)
    if not scope.can_read:
        raise Http404
    if unit_id in (None, ""):
        if scope.unit is None:
            unit = OrgUnit.objects.filter(parent=None).order_by("path").first()
            if unit is None:
                raise Http404
            return unit
        return scope.unit
    try:
        unit = OrgUnit.objects.get(pk=int(unit_id))
    except (OrgUnit.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not scope.covers(unit):
        raise Http404
    return unit


def check_may_enter(user, unit: OrgUnit) -> None:
    """May the user fill in ``unit``'s forms? (Refused, E411, if not.)"""
    scope = scope_for(user)
    if not (scope.can_report and scope.covers(unit)):
        raise Refused(Errors.E411, unit=unit.name)


def may_review(user, unit: OrgUnit) -> bool:
    scope = scope_for(user)
    if not (scope.can_assign and scope.covers(unit)):
        return False
    return scope.everything or (scope.unit is not None and scope.unit.pk != unit.pk)


def check_may_review(user, unit: OrgUnit) -> None:
    if not may_review(user, unit):
        raise Refused(Errors.E411, unit=unit.name)
