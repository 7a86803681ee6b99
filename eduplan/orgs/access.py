"""What a user may see and change, decided in one place.

Roles: admin (the bureau office) sees and changes everything in its bureau; a unit manager
and a reporter act for their unit and everything below it (a manager may also assign within
it, a reporter may only report); a viewer (leaders) reads its unit's subtree and writes
nothing. A user without a membership (and not a superuser) sees nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

from eduplan.errors import EduplanError, Errors

from .models import Membership, OrgUnit

Role = Membership.Role


class Refused(EduplanError, PermissionDenied):
    """An ``EduplanError`` that refuses the caller rather than the input: the API answers 403
    with its own code; a page shows it as any other message. (Kept out of eduplan.errors,
    which the parser imports without Django.)"""


@dataclass(frozen=True)
class Scope:
    role: str | None  # None: no access at all
    unit: OrgUnit | None  # the unit the role applies to (and below); None with superuser = all

    @property
    def everything(self) -> bool:
        return self.role == Role.ADMIN and self.unit is None

    @property
    def can_read(self) -> bool:
        return self.role is not None

    @property
    def can_report(self) -> bool:
        return self.role in (Role.ADMIN, Role.MANAGER, Role.REPORTER)

    @property
    def can_assign(self) -> bool:
        return self.role in (Role.ADMIN, Role.MANAGER)

    @property
    def can_import(self) -> bool:
        return self.role == Role.ADMIN

    def covers(self, unit: OrgUnit | None) -> bool:
        """Whether ``unit`` lies within this scope."""
        if self.role is None or unit is None:
            return self.everything
        return self.everything or (self.unit is not None and unit.path.startswith(self.unit.path))

    @property
    def key(self) -> str:
        """Who sees the same data: a role at a unit."""
        return f"{self.role}:{self.unit.pk if self.unit else 'all'}"

    @cached_property
    def bureau_ids(self) -> tuple[int, ...] | None:
        """The authorities whose data this scope sees (a city's: itself and its districts);
        None for all of them."""
        if self.everything or self.unit is None or self.unit.owning_bureau_id is None:
            return None
        return tuple(self.unit.authorities_within())

    @property
    def whole_authority(self) -> bool:
        """The scope sits at an authority (a bureau, a city): it sees that authority's plans
        and everything below, not only what is assigned to it."""
        return self.unit is not None and self.unit.is_authority

    @property
    def unit_path(self) -> str:
        return "" if self.everything or self.unit is None else self.unit.path


NO_ACCESS = Scope(None, None)


def scope_for(user: AbstractBaseUser | AnonymousUser) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    cached = getattr(user, "_eduplan_scope", None)  # one lookup per request
    if cached is None:
        cached = user._eduplan_scope = _load_scope(user)
    return cached


def check_unit_placement(user: AbstractBaseUser, unit: OrgUnit, parent: OrgUnit | None) -> None:
    """May ``user`` put ``unit`` (new, or edited) under ``parent``?

    A superuser may put it anywhere, at the root too (a new bureau). Anyone else only below a
    unit of their own scope: a unit without a parent would be a bureau outside every bureau
    admin's reach. An existing root (the admin's own bureau) may stay where it is.
    """
    if user.is_superuser:
        return
    scope = scope_for(user)
    if unit.pk is not None and scope.covers(unit) and OrgUnit.objects.filter(pk=unit.pk, parent=parent).exists():
        return  # where it already is (an admin's own bureau stays under its city, or at the root)
    if parent is None:
        raise Refused(Errors.E457)
    if not scope.covers(parent):
        raise Refused(Errors.E458, unit=parent.name)


def _load_scope(user: AbstractBaseUser) -> Scope:
    membership = _membership_of(user)
    if membership is None:
        return Scope(Role.ADMIN, None) if user.is_superuser else NO_ACCESS
    user.membership = membership  # the page header names it: no second query
    if membership.role == Role.ADMIN:
        # The bureau office acts for its whole bureau, whatever unit it was filed under.
        return Scope(Role.ADMIN, membership.unit.bureau())
    return Scope(membership.role, membership.unit)


def _membership_of(user: AbstractBaseUser) -> Membership | None:
    """The user's membership with its unit: already loaded when the user was read with them
    (``orgs.backends.MemberBackend``, the API's token check), else one query."""
    if "membership" in user._state.fields_cache:
        membership = user._state.fields_cache["membership"]
        if membership is None or "unit" in membership._state.fields_cache:
            return membership
    return Membership.objects.select_related("unit").filter(user=user).first()
