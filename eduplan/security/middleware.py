"""Idle sessions end, signed-in pages are never stored, and pages load only from the app."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

SEEN_KEY = "_eduplan_seen"  # session key: when this session last slid its expiry forward

# Everything from the app itself: the pages use no inline script or style (eduplan/static/eduplan/app.js
# sets the progress bars' widths), and intranet installs have nothing outside to load anyway.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",  # the admin's icons and the browser's own form widgets use data: URLs
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class IdleSessionMiddleware:
    """Slide a signed-in session's expiry forward while it is used.

    The session lives ``SESSION_COOKIE_AGE`` (the idle timeout) from its last save; saving on
    every request would cost a database write each time, so the expiry moves at most once every
    ``EDUPLAN_SESSION_REFRESH_SECONDS``: a session ends between timeout − refresh and timeout
    after its last use.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get(SEEN_KEY, 0) >= settings.EDUPLAN_SESSION_REFRESH_SECONDS:
                session[SEEN_KEY] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """A Content-Security-Policy on every answer; ``no-store`` on answers to signed-in users and
    on the API's, so a shared office computer's browser cache keeps no copy of their pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Whether the request came signed in: after logout request.user is anonymous, but the
        # answer still belongs to the signed-in page that asked.
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # Every API answer too: it is one caller's data, and the login's answer holds a token
        # although the caller is anonymous before and after it.
        if signed_in or (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            add_never_cache_headers(response)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
