"""Signing in with Django's own model backend, the user read with its membership."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MemberBackend(ModelBackend):
    """``ModelBackend`` whose signed-in user comes with its membership and unit in the same
    query: every page asks for the user's scope (``orgs.access.scope_for``), which read them
    in a second query on each request."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("membership__unit")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
