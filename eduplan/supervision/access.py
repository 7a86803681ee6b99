"""Who sees and does what in supervision, decided here and nowhere else.

- The bureau's supervision staff (role admin at the bureau) run rounds, record findings,
  sign rectifications off and adjust scores, within their own bureau.
- A school (or a department given a rectification) sees only the findings at it or
  assigned to it, and reports on those rectifications (manager or reporter role).
- Viewers (leaders) read everything within their unit; a viewer at the bureau reads all.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from eduplan.errors import Errors
from eduplan.orgs.access import Refused, Scope, scope_for
from eduplan.orgs.models import Membership, OrgUnit

from .models import Finding, Rectification, Round


def is_staff(scope: Scope) -> bool:
    """Bureau supervision staff: the admin role (a superuser included)."""
    return scope.role == Membership.Role.ADMIN


def check_staff(user, bureau: OrgUnit | None, action: str) -> Scope:
    scope = scope_for(user)
    if not is_staff(scope) or (bureau is not None and not scope.covers(bureau)):
        raise Refused(Errors.E860, action=action)
    return scope


def visible_rounds(scope: Scope) -> QuerySet[Round]:
    rounds = Round.objects.all()
    if not scope.can_read:
        return rounds.none()
    if scope.everything:
        return rounds
    if scope.whole_authority:
        return rounds.filter(bureau__path__startswith=scope.unit_path)
    # A school sees a round only through its own findings.
    return rounds.filter(pk__in=visible_findings(scope).values("round_id"))


def visible_findings(scope: Scope) -> QuerySet[Finding]:
    findings = Finding.objects.select_related("round__bureau", "school", "rectification", "item")
    if not scope.can_read:
        return findings.none()
    if scope.everything:
        return findings
    path = scope.unit_path
    if scope.whole_authority:
        return findings.filter(round__bureau__path__startswith=path)
    return findings.filter(Q(school__path__startswith=path) | Q(rectification__assignee_unit__path__startswith=path))


def get_round_for_user(user, pk: int) -> Round:
    try:
        return visible_rounds(scope_for(user)).select_related("bureau").get(pk=pk)
    except (Round.DoesNotExist, ValueError, TypeError):
        raise Http404("督导轮次不存在或无权查看") from None


def get_finding_for_user(user, pk: int) -> Finding:
    try:
        return visible_findings(scope_for(user)).get(pk=pk)
    except (Finding.DoesNotExist, ValueError, TypeError):
        raise Http404("问题不存在或无权查看") from None


def may_rectify(user, rectification: Rectification) -> bool:
    """The assignee unit (or a unit above it, short of leaders) reports on its rectification."""
    scope = scope_for(user)
    return scope.can_report and scope.covers(rectification.assignee_unit)


def check_can_rectify(user, rectification: Rectification) -> None:
    if not may_rectify(user, rectification):
        raise Refused(Errors.E426, reason="只有整改责任单位可以填报整改情况")


def may_review(user, rectification: Rectification) -> bool:
    scope = scope_for(user)
    return is_staff(scope) and scope.covers(rectification.finding.round.bureau)


def visible_units(scope: Scope) -> QuerySet[OrgUnit]:
    """Units whose appraisal this scope may read: its own subtree."""
    if not scope.can_read:
        return OrgUnit.objects.none()
    if scope.everything:
        return OrgUnit.objects.all()
    return OrgUnit.objects.filter(path__startswith=scope.unit_path)
