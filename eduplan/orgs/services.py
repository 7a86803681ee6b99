"""Setting up a bureau: its departments, routing rules, warning thresholds and users."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from eduplan.audit.log import record, snapshot

from .defaults import DEFAULT_DEPARTMENTS
from .models import Membership, OrgUnit


@transaction.atomic
def create_bureau(name: str, *, departments: Iterable[str] = DEFAULT_DEPARTMENTS, user=None) -> OrgUnit:
    """A bureau with its departments (``tracking.setup.setup_bureau`` adds rules and thresholds)."""
    bureau = OrgUnit.objects.create(name=name, kind=OrgUnit.Kind.BUREAU)
    for department in departments:
        OrgUnit.objects.create(name=department, kind=OrgUnit.Kind.DEPARTMENT, parent=bureau)
    record(user, "unit.create", bureau, {}, snapshot(bureau))
    return bureau


def add_unit(name: str, *, parent: OrgUnit, kind: str, school_level: str = "", ownership: str = "",
             user=None) -> OrgUnit:
    unit = OrgUnit(name=name, parent=parent, kind=kind, school_level=school_level, ownership=ownership)
    unit.full_clean()
    unit.save()
    record(user, "unit.create", unit, {}, snapshot(unit))
    return unit


BUREAU_OFFICE_GROUP = "局办公室管理员"
# What the bureau office edits in Django's admin (always within its own bureau, see ScopedAdmin).
BUREAU_OFFICE_PERMISSIONS = (
    ("orgs", "orgunit"), ("orgs", "membership"), ("auth", "user"),
    ("tracking", "routingrule"), ("tracking", "warningsettings"), ("reports", "theme"),
)


def bureau_office_group() -> Group:
    group, created = Group.objects.get_or_create(name=BUREAU_OFFICE_GROUP)
    if created:
        grant_bureau_office_permissions(group)
    return group


def grant_bureau_office_permissions(group: Group) -> None:
    """Give the group every permission the bureau office needs (adding what a newer version
    brought: run after each migrate, see ``OrgsConfig``)."""
    for app_label, model in BUREAU_OFFICE_PERMISSIONS:
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label,
                                                         content_type__model=model))
    group.permissions.add(*Permission.objects.filter(codename="view_auditentry"))


def create_user(username: str, password: str, *, role: str, unit: OrgUnit, display_name: str = "",
                actor=None):
    """A user with a hashed password and one role in one unit."""
    with transaction.atomic():
        user = get_user_model().objects.create_user(username=username, password=password,
                                                    first_name=display_name[:150])
        if role == Membership.Role.ADMIN:
            user.is_staff = True  # the bureau office edits org units, users and rules in the admin
            user.save(update_fields=["is_staff"])
            user.groups.add(bureau_office_group())
        Membership.objects.create(user=user, unit=unit, role=role)
        record(actor, "user.create", user, {}, {"username": username, "role": role, "unit": unit.name})
    return user
