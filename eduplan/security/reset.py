"""The password-reset form: links built from the configured site URL, requests throttled.

Django builds the link in the e-mail from the request's Host header unless told otherwise;
with ``EDUPLAN_SITE_URL`` set, a forged Host header cannot point the link at someone else's
server. Without it the Host header is used, but only the names in ALLOWED_HOSTS get that far.
"""

from __future__ import annotations

import hashlib
import logging
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import PasswordResetView
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseRedirect

from .client_ip import client_ip

log = logging.getLogger(__name__)

RATE_LIMIT_CACHE = "ratelimit"
WINDOW_SECONDS = 3600


def allow(scope: str, subject: str, limit: int, window: int = WINDOW_SECONDS) -> bool:
    """Count one request for ``subject``; False once more than ``limit`` came in this window."""
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]  # any subject makes a safe cache key
    key = f"{scope}:{digest}:{int(time.time() // window)}"
    cache = caches[RATE_LIMIT_CACHE]
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count <= limit


class ThrottledPasswordResetView(PasswordResetView):
    """At most ``EDUPLAN_PASSWORD_RESET_PER_ADDRESS`` requests an hour from one address and
    ``EDUPLAN_PASSWORD_RESET_PER_EMAIL`` for one e-mail address; beyond that nothing is sent,
    and the answer is the same page as always, so it tells nothing about the accounts."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        address = client_ip(self.request) or "unknown"
        email = form.cleaned_data["email"].strip().lower()
        # Count both, whatever the first says: a flood from one address also spends its targets' quota.
        by_address = allow("reset-address", address, settings.EDUPLAN_PASSWORD_RESET_PER_ADDRESS)
        by_email = allow("reset-email", email, settings.EDUPLAN_PASSWORD_RESET_PER_EMAIL)
        if not (by_address and by_email):
            log.warning("password reset throttled (address %s)", address)
            return HttpResponseRedirect(self.get_success_url())
        site = settings.EDUPLAN_SITE_URL
        if site:
            parts = urlsplit(site)
            save = form.save

            def save_for_site(**options: object) -> None:
                save(**{**options, "domain_override": parts.netloc, "use_https": parts.scheme == "https"})

            form.save = save_for_site  # type: ignore[method-assign]
        return super().form_valid(form)
