"""Today's date, fixed by the EDUPLAN_TODAY setting for demos, tests and benchmarks."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone


def today() -> date:
    fixed = getattr(settings, "EDUPLAN_TODAY", "")
    return date.fromisoformat(fixed) if fixed else timezone.localdate()
