"""Figures and page parts cached until the data changes.

Every change in eduplan goes through a service that writes an audit entry, and writing one
bumps its bureau's change counter in the same transaction (``audit.log.data_version``): a key
that contains the counters of the bureaus a page shows can never serve figures older than
their latest committed change, and a change in one bureau leaves the others' pages cached.
The clock's date is part of the key as well, since statuses follow the date.

What no progress report can change is kept with ``cached_structure`` instead: a bureau's
structure (its units, plans, tasks and who works on what) and its figures (the indicators'
data values). Its counter (``audit.log.structure_version``) moves with every change but the
progress actions (``audit.log.PROGRESS_ACTIONS``: reports and milestones), so it outlives the
reports that come in all day; a figure a report carries is stored as a data value, which moves it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from eduplan.audit.log import data_version, structure_version
from eduplan.tracking.clock import today

T = TypeVar("T")
CACHE_SECONDS = 600


def cached(kind: str, parts: tuple, compute: Callable[[], T], bureau_ids: tuple[int, ...] | None,
           seconds: int = CACHE_SECONDS) -> T:
    """``compute()``, or its result from the last call with the same parts while the data of
    ``bureau_ids`` (every bureau when None) has not changed."""
    return _cached(kind, (parts, data_version(bureau_ids)), compute, seconds)


def cached_structure(kind: str, parts: tuple, compute: Callable[[], T], bureau_ids: tuple[int, ...] | None,
                     seconds: int = CACHE_SECONDS) -> T:
    """``compute()``, or its result from the last call with the same parts while nothing but
    progress has changed in ``bureau_ids`` (every bureau when None): only for what no progress
    report or milestone can change, such as the structure and the figures."""
    return _cached(kind, (parts, structure_version(bureau_ids)), compute, seconds)


def _cached(kind: str, parts: tuple, compute: Callable[[], T], seconds: int) -> T:
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()
    key = f"eduplan:{kind}:{digest}:{today()}"
    return cache.get_or_set(key, compute, seconds)
