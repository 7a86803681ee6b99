"""Writing data values: every figure a form, an xlsx upload, a progress report or the API
stores goes through ``store_values``, which checks it, writes it and records the change."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr

from eduplan.audit.log import count_change, record
from eduplan.errors import EduplanError, Errors
from eduplan.orgs.models import OrgUnit
from eduplan.periods import Period

from .models import DataElement, DataValue

# No school figure comes near this (a city's budget in 元 is ~1e11); sums of many stay finite.
MAX_FIGURE = 1e15


@dataclass(frozen=True)
class NewValue:
    element: DataElement
    unit: OrgUnit
    period: str
    value: object  # as typed: a number, or text such as "1,530" or "95%"


def read_number(text: object, element: DataElement) -> float:
    """A typed figure as a number, checked against the element's type and range (E70x)."""
    raw = str(text).strip().replace(",", "").replace("，", "").rstrip("%")
    try:
        number = float(raw)
    except ValueError:
        raise EduplanError(Errors.E701, value=str(text)[:40], element=element.name) from None
    if not math.isfinite(number) or abs(number) > MAX_FIGURE:
        raise EduplanError(Errors.E701, value=str(text)[:40], element=element.name)
    if element.value_type == DataElement.ValueType.INTEGER and not number.is_integer():
        raise EduplanError(Errors.E702, value=str(text)[:40], element=element.name)
    if number < element.minimum or (element.maximum is not None and number > element.maximum):
        high = "" if element.maximum is None else f"{element.maximum:g}"
        raise EduplanError(Errors.E703, value=f"{number:g}", element=element.name, low=f"{element.minimum:g}",
                           high=high or "∞")
    return number


def check_period(key: str) -> str:
    try:
        return Period.parse(key).key
    except ValueError:
        raise EduplanError(Errors.E704, value=str(key)[:20]) from None


def _path_for(unit: OrgUnit, period: str) -> str:
    """Where a new figure of ``unit`` for ``period`` belongs: with the unit's other figures of
    that period if it has any (a correction after a move stays with them), else where the
    unit stands now."""
    earlier = DataValue.objects.filter(unit=unit, period=period).values_list("unit_path", flat=True).first()
    return earlier or unit.path


def _authority_of_path(path: str) -> int | None:
    """The authority whose figures a path files under: the deepest authority on it."""
    ids = [int(part) for part in path.strip("/").split("/") if part]
    owners = dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "owning_bureau_id"))
    for pk in reversed(ids):
        if owners.get(pk) == pk:
            return pk
    return None


def follow_moved_unit(sender, *, unit: OrgUnit, old_path: str, new_path: str, old_owning_bureau_id: int | None,
                      **kwargs) -> None:
    """Figures stay with the authority they were entered under. A unit that moves within its
    authority (a school into another group) takes its figures along, and so does a whole
    authority (a district placed under a city); a school that moves to another district
    leaves its past figures with the district it was in."""
    if not (unit.is_authority or unit.owning_bureau_id == old_owning_bureau_id):
        return
    if DataValue.objects.filter(unit_path__startswith=old_path).update(
            unit_path=Concat(Value(new_path), Substr("unit_path", len(old_path) + 1))):
        count_change()  # figures moved between units' pages: cached roll-ups are computed again


@transaction.atomic
def store_values(values: Iterable[NewValue], *, user, source: str, report=None) -> list[DataValue]:
    """Check every value first, then write them all (one transaction): a figure already stored
    for the same element, unit and period is replaced, and the audit log keeps the old one."""
    checked = [(v, check_period(v.period), read_number(v.value, v.element)) for v in values]
    stored = []
    for new, period, number in checked:
        row = DataValue.objects.filter(element=new.element, unit=new.unit, period=period).first()
        before = {"value": row.value} if row else {}
        if row is None:
            row = DataValue(element=new.element, unit=new.unit, period=period, unit_path=_path_for(new.unit, period))
        elif row.value == number and report is None:
            stored.append(row)
            continue
        row.value = number
        row.source = source
        row.report = report
        row.entered_by = user if getattr(user, "is_authenticated", False) else None
        row.save()
        if not row.unit_path.startswith(new.unit.path):
            # Filed with the district the unit was in for that period (``_path_for``): that
            # district's figures change, not only those of the district the unit is in now.
            count_change(_authority_of_path(row.unit_path))
        record(user, "value.store", row, before,
               {"value": number, "element": new.element.code, "unit": new.unit.name, "period": period,
                "source": source})
        stored.append(row)
    return stored
