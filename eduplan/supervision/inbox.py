"""The in-app inbox: messages to users, once per key, read on the page or mailed out."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from eduplan.orgs.models import Membership, OrgUnit

from .models import Message


def unit_people(unit: OrgUnit) -> QuerySet:
    """Who acts for a unit: its active managers and reporters (not leaders, who only read)."""
    return get_user_model().objects.filter(
        is_active=True, membership__unit=unit,
        membership__role__in=[Membership.Role.MANAGER, Membership.Role.REPORTER]).order_by("username")


def bureau_staff(bureau: OrgUnit) -> QuerySet:
    """The bureau office's admins: supervision staff who review and sign off. A city's are
    those of its own units, not the admins of the districts below it."""
    return get_user_model().objects.filter(
        is_active=True, membership__role=Membership.Role.ADMIN,
        membership__unit__owning_bureau=bureau).order_by("username")


def notify(users: Iterable, *, kind: str, title: str, body: str = "", link: str = "", key: str) -> list[Message]:
    """One message per user; a user who already has a message with ``key`` gets no second."""
    created = []
    for user in users:
        if Message.objects.filter(recipient=user, key=key).exists():
            continue
        try:
            with transaction.atomic():  # a concurrent run may have written it first
                created.append(Message.objects.create(recipient=user, kind=kind, title=title[:200], body=body,
                                                      link=link[:300], key=key[:120]))
        except IntegrityError:
            continue
    return created


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's messages read: the ones named, or all of them."""
    messages = Message.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        messages = messages.filter(pk__in=list(ids))
    return messages.update(read_at=timezone.now())
