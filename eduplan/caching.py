"""Figures and page parts cached until the data changes.

Every change in eduplan goes through a service that writes an audit entry, and writing one
bumps a change counter in the same transaction (``audit.log.data_version``): a key that
contains the counter can never serve figures older than the latest committed change. The clock's date is part of the key as well, since
statuses follow the date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from eduplan.audit.log import data_version
from eduplan.tracking.clock import today

T = TypeVar("T")
CACHE_SECONDS = 600


def cached(kind: str, parts: tuple, compute: Callable[[], T], seconds: int = CACHE_SECONDS) -> T:
    """``compute()``, or its result from the last call with the same parts and data."""
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()
    key = f"eduplan:{kind}:{digest}:{today()}:{data_version()}"
    return cache.get_or_set(key, compute, seconds)
