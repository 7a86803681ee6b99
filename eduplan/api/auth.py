"""Who is calling: a bearer token (scripts) or the browser's session (with its CSRF token).

Either way ``request.auth`` is the user; every endpoint then asks ``scope_for(user)`` and the
tracking access helpers what that user may see and do.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from .models import ApiToken, hash_key

TOUCH_EVERY = timedelta(minutes=5)  # how stale ``last_used_at`` may get: saves a write per request


class CsrfFailed(HttpError):
    def __init__(self) -> None:
        super().__init__(403, "CSRF check failed")


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``, a token from ``POST /api/login``."""

    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser | None:
        if not token:
            return None
        now = timezone.now()
        row = (ApiToken.objects.select_related("user__membership__unit")  # the scope needs them: no second query
               .filter(key_hash=hash_key(token), expires_at__gt=now).first())
        if row is None or not row.user.is_active:
            return None
        if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.api_token = row  # type: ignore[attr-defined]  # for logout
        request.user = row.user
        return row.user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; unsafe methods need the CSRF token, as Django's forms do.

    Unlike ninja's ``django_auth`` a request without a session is simply not authenticated
    (401), not refused for its missing CSRF token (403).
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> AbstractBaseUser | None:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def _get_key(self, request: HttpRequest) -> str | None:
        if check_csrf(request) is not None:
            raise CsrfFailed()
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> AbstractBaseUser | None:
        return request.user if request.user.is_authenticated else None


def current_user(request: HttpRequest) -> AbstractBaseUser:
    """The authenticated caller of an endpoint."""
    return request.auth  # type: ignore[attr-defined]
