"""django-axes with two limits: per username and address, and per address across usernames.

axes compares the largest count of its lockout parameters against one limit. The per-user
limit is small (5) so one person mistyping locks only themselves; a guesser trying many
usernames from one address needs a larger limit of its own (``EDUPLAN_LOGIN_ADDRESS_FAILURE_LIMIT``),
or it would never be stopped by a per-user count.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class AddressLimitHandler(AxesDatabaseHandler):
    """``AXES_HANDLER``: the per user+address count, raised to the limit once the address's
    failures across all usernames reach the per-address limit."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return failures
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        from_address = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
        if from_address >= settings.EDUPLAN_LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures
