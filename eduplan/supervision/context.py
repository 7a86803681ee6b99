"""Template context: the unread inbox count for the top bar."""

from __future__ import annotations

from django.http import HttpRequest

from .inbox import unread_count


def inbox(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": unread_count(user)}
