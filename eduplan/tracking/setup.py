"""A new bureau, ready to track: departments, keyword routing rules, warning thresholds."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from eduplan.orgs.defaults import DEFAULT_DEPARTMENTS, DEFAULT_ROUTING
from eduplan.orgs.models import OrgUnit
from eduplan.orgs.services import create_bureau

from .models import RoutingRule, WarningSettings


@transaction.atomic
def setup_bureau(name: str, *, departments: Iterable[str] = DEFAULT_DEPARTMENTS,
                 routing: Iterable[tuple[str, str, tuple[str, ...]]] = DEFAULT_ROUTING, user=None) -> OrgUnit:
    """The bureau with its departments, the seed routing rules and default thresholds."""
    bureau = create_bureau(name, departments=departments, user=user)
    units = {unit.name: unit for unit in bureau.children.all()}
    for keywords, lead, partners in routing:
        if lead not in units:
            continue
        rule = RoutingRule.objects.create(bureau=bureau, keywords=keywords, lead_unit=units[lead])
        rule.partner_units.set([units[p] for p in partners if p in units])
    WarningSettings.objects.create(bureau=bureau)
    return bureau
