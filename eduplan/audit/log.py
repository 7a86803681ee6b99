"""Record changes: ``snapshot`` an object before changing it, ``record`` after."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import connections, models
from django.db.models import F

from .models import AuditEntry, ChangeCounter


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(_plain(v) for v in value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The object's concrete field values (and many-to-many names) as JSON-ready data."""
    out: dict[str, Any] = {}
    meta = obj._meta
    for field in meta.concrete_fields:
        if fields is None or field.name in fields:
            value = getattr(obj, field.name, None)
            out[field.name] = _plain(value)
    if obj.pk is not None:
        for field in meta.many_to_many:
            if fields is None or field.name in fields:
                out[field.name] = _plain(list(getattr(obj, field.name).all()))
    return out


def record(user, action: str, obj: models.Model, before: dict[str, Any] | None = None,
           after: dict[str, Any] | None = None) -> AuditEntry:
    """Write one audit entry with only the fields that changed."""
    before = before or {}
    after = after if after is not None else snapshot(obj)
    keys = sorted(set(before) | set(after))
    changes = {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}
    _count_change(bureau_of(obj), structural=action not in PROGRESS_ACTIONS)
    return AuditEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        model=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes,
    )


def history(obj: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(model=obj._meta.label_lower, object_id=str(obj.pk)).select_related("user")


INSTALLATION = 0  # the counter for changes that belong to no single bureau
# Progress only: these leave a bureau's units, plans, tasks and who works on what as they were,
# and judge the stored states of the tasks they touch before they commit (``tracking.state_store``),
# so they do not move its structure counter. Any other action does, figures entered included.
PROGRESS_ACTIONS = frozenset({"progress.report", "milestone.mark"})


def bureau_of(obj: models.Model) -> int | None:
    """The id of the bureau whose data ``obj`` is, if the model says (``owning_bureau_id``)."""
    return getattr(obj, "owning_bureau_id", None)


def data_version(bureau_ids: tuple[int, ...] | None = None) -> tuple[tuple[int, int], ...]:
    """Grows with every committed change to these bureaus' data (all bureaus when None), and
    with every change that belongs to no bureau: a cache key part for figures computed from
    the data."""
    if bureau_ids is not None:
        return _counters((INSTALLATION, *bureau_ids))
    return tuple(ChangeCounter.objects.order_by("scope").values_list("scope", "value"))


def structure_version(bureau_ids: tuple[int, ...] | None = None) -> tuple[tuple[int, int], ...]:
    """Like ``data_version``, but unmoved by ``PROGRESS_ACTIONS``: a cache key part for what
    follows the bureaus' structure and figures alone (which plan a page opens on, a filter's
    choices, the indicator pages), kept while reports come in. A bureau's structure counter is
    the row of its negated id."""
    if bureau_ids is not None:
        return _counters((INSTALLATION, *(-bureau_id for bureau_id in bureau_ids)))
    return tuple(ChangeCounter.objects.filter(scope__lte=INSTALLATION).order_by("scope").values_list("scope", "value"))


# The counters the current request has read (None for a scope without a row yet), so that it
# reads them once: ``caching`` asks for the data and the structure versions two or three times
# a page. Set when a request starts, dropped when it ends (``apps``) or counts a change of its
# own (``_bump``); None outside requests, where every call reads.
_read_this_request: ContextVar[dict[int, int | None] | None] = ContextVar("eduplan_counters_read", default=None)


def begin_request(**kwargs: object) -> None:
    _read_this_request.set({})


def end_request(**kwargs: object) -> None:
    _read_this_request.set(None)


def _counters(scopes: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    """(scope, value) of these counters, by scope. In a request, a bureau's data and structure
    counters are read together, once: values read before a page is computed are never newer
    than what it computes, which is all a cache key needs."""
    read = _read_this_request.get()
    if read is not None and all(scope in read for scope in scopes):
        return tuple((scope, read[scope]) for scope in sorted(scopes) if read[scope] is not None)
    wanted = tuple(sorted(set(scopes) | {-scope for scope in scopes})) if read is not None else scopes
    values = _read_counters(wanted)
    if read is not None:
        read.update({scope: values.get(scope) for scope in wanted})
    return tuple((scope, values[scope]) for scope in sorted(scopes) if scope in values)


def _read_counters(scopes: tuple[int, ...]) -> dict[int, int]:
    """In SQL of our own: building the ORM's query took longer than the database's answer."""
    placeholders = ", ".join(["%s"] * len(scopes))
    with connections[ChangeCounter.objects.db].cursor() as cursor:
        cursor.execute(f"SELECT scope, value FROM {ChangeCounter._meta.db_table} "  # the scopes go as parameters
                       f"WHERE scope IN ({placeholders})", scopes)
        return dict(cursor.fetchall())


def count_change(bureau_id: int | None = None) -> None:
    """Count a change that writes no audit entry of its own (figures following a unit that
    moved): cached figures of that bureau (of every bureau for None) are computed again."""
    _count_change(bureau_id)


def _count_change(bureau_id: int | None, structural: bool = True) -> None:
    if bureau_id is None:
        _bump(INSTALLATION)  # read by every bureau's data and structure versions
        return
    _bump(bureau_id)
    if structural:
        _bump(-bureau_id)


def _bump(scope: int) -> None:
    # A request that counts a change of its own reads the counters every time from then on:
    # what it read inside its transaction must not be kept past a rollback.
    _read_this_request.set(None)
    if not ChangeCounter.objects.filter(scope=scope).update(value=F("value") + 1):
        ChangeCounter.objects.get_or_create(scope=scope)
        ChangeCounter.objects.filter(scope=scope).update(value=F("value") + 1)
