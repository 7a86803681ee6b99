"""``{% unit_link reader unit %}``: a unit's name, linked to its page when the reader (a user,
or the ``Scope`` a cached page part was made for) may open it; a link to a page that answers
404 would only puzzle."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from eduplan.orgs.access import Scope, scope_for
from eduplan.orgs.models import OrgUnit
from eduplan.tracking.units import UNIT_KINDS

register = template.Library()


def may_open(reader, unit: OrgUnit | None) -> bool:
    scope = reader if isinstance(reader, Scope) else scope_for(reader)
    return unit is not None and unit.kind in UNIT_KINDS and scope.covers(unit)


def unit_url(reader, unit: OrgUnit | None) -> str:
    """The unit's page, or "" when there is none the reader may open."""
    return _unit_page(get_script_prefix(), unit.pk) if may_open(reader, unit) else ""


@lru_cache(maxsize=8192)
def _unit_page(script_prefix: str, unit_id: int) -> str:
    # Remembered: a dashboard links some sixty units, and reversing each cost a tenth of its page.
    return reverse("unit-detail", args=[unit_id])


@register.simple_tag
def unit_link(reader, unit: OrgUnit | None, text: str = "") -> SafeString:
    if unit is None:
        return format_html("{}", text)
    if url := unit_url(reader, unit):
        return format_html('<a href="{}">{}</a>', url, text or unit.name)
    return format_html("{}", text or unit.name)


@register.filter
def opens(unit: OrgUnit | None, reader) -> bool:
    """``{% if row.unit|opens:scope %}``: whether the reader may open the unit's page."""
    return may_open(reader, unit)
