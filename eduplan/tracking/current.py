"""Which plan a page opens on: the current plan of a scope.

A bureau keeps old plans beside this year's (a 2018 plan imported for comparison); figures over
all of them would judge every old task overdue. Pages that show one plan's work (the dashboard,
the 督查通报) therefore open on the plan whose period holds today, else on the latest annual
plan, and offer the others (and all plans together) to choose.
"""

from __future__ import annotations

from datetime import date

from eduplan.orgs.access import Scope

from . import clock
from .access import visible_plans
from .models import Plan

ALL_PLANS = "all"  # the ?plan= value that asks for every plan together


def _rank(plan: Plan, year: int) -> tuple:
    """Sort key, best first: a plan whose years hold ``year``, then an annual plan, the
    shortest period, the latest year, the latest import."""
    start, end = plan.period_start, plan.period_end or plan.period_start
    holds = start is not None and start <= year <= (end or start)
    span = (end - start) if start is not None and end is not None else 99
    return (not holds, plan.kind != Plan.Kind.ANNUAL, span if holds else 0, -(end or 0),
            -plan.imported_at.timestamp(), -plan.pk)


def current_plan(scope: Scope, today: date | None = None) -> Plan | None:
    """The plan of ``scope`` whose period holds ``today`` (an annual plan before a five-year
    one), else the latest annual plan, else the latest plan; None when the scope has none.

    A scope that reads several authorities (a city over its districts) opens on its own
    authority's plan; with none of its own it opens on all plans together, never on
    whichever district imported last."""
    year = (today or clock.today()).year
    plans = list(visible_plans(scope).only("id", "kind", "period_start", "period_end", "imported_at", "bureau_id"))
    if scope.bureau_ids is not None and len(scope.bureau_ids) > 1:
        plans = [plan for plan in plans if plan.bureau_id == scope.unit.owning_bureau_id]  # type: ignore[union-attr]
    if not plans:
        return None
    return min(plans, key=lambda plan: _rank(plan, year))
