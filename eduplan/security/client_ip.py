"""The client's address, as django-axes and the password-reset limit see it.

Behind a reverse proxy every request comes from the proxy's address, so a lockout keyed on it
would lock out everyone. ``EDUPLAN_TRUSTED_PROXY_HEADER`` (e.g. ``X-Forwarded-For``) names the
header the proxy sets and ``EDUPLAN_TRUSTED_PROXY_COUNT`` how many proxies append to it. The
header is honoured only when configured: a client talking to the app directly could write
anything in it.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client; used as ``AXES_CLIENT_IP_CALLABLE``."""
    remote = request.META.get("REMOTE_ADDR") or None
    header = settings.EDUPLAN_TRUSTED_PROXY_HEADER
    if not header:
        return remote
    value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    hops = [hop.strip() for hop in value.split(",") if hop.strip()]
    count = settings.EDUPLAN_TRUSTED_PROXY_COUNT
    # Each trusted proxy appends the address it saw: the client is the count-th entry from the
    # right. Entries further left were written by the client and prove nothing.
    if len(hops) < count:
        return remote  # the request did not pass through all the proxies
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
