"""Template context: the signed-in user's scope, so templates show only allowed actions."""

from django.http import HttpRequest

from .access import scope_for


def current_role(request: HttpRequest) -> dict:
    return {"scope": scope_for(request.user)} if hasattr(request, "user") else {}
