"""Template context: the unread inbox count for the top bar."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .inbox import unread_count


def inbox(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Counted only when a template shows it: a page's cached part is rendered with the request
    # too, and would otherwise count the inbox a second time for nothing.
    return {"inbox_unread": SimpleLazyObject(lambda: unread_count(user))}
