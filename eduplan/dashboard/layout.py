"""How the dashboard's pages lay out units and plans: units under band headings (departments,
then groups and schools in the org tree's order), and which plan a page opens on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest

from eduplan.caching import cached_structure
from eduplan.orgs.access import Scope
from eduplan.orgs.models import OrgUnit
from eduplan.tracking.access import get_plan_for_user, tasks_of_plan
from eduplan.tracking.current import ALL_PLANS, current_plan
from eduplan.tracking.models import Plan, Task
from eduplan.tracking.status import Light
from eduplan.tracking.units import depth_below_bureau, tree_key

from .summary import Group
from .templatetags.unit_links import unit_url

BAND_TITLES = {0: "科室/直属单位", 1: "集团/学区与学校", 2: "其他单位", 3: ""}


def plan_choice(request: HttpRequest, scope: Scope, today: date) -> str | None:
    """As the dashboard: no ?plan= means the current plan, "all" every plan."""
    chosen = request.GET.get("plan", "")
    if chosen == ALL_PLANS:
        return None
    if chosen:
        return chosen
    current = current_plan(scope, today)
    return str(current.pk) if current else None


def tasks_shown(request: HttpRequest, scope: Scope, today: date) -> tuple[QuerySet[Task], Plan | None]:
    """The visible tasks of the plan a dashboard page shows (``plan_choice``), and that plan.

    Which plan it is follows the plans and the assignments alone, so it stays cached until the
    structure of the scope's bureaus changes: a department or a school finds its plans through
    its assignments, two queries that a page would otherwise pay on each visit, and again after
    each progress report. An unknown or hidden ``?plan=`` is a 404 every time."""
    def plan_shown() -> Plan | None:
        plan_id = plan_choice(request, scope, today)
        return get_plan_for_user(request.user, plan_id, with_text=False) if plan_id else None

    chosen = request.GET.get("plan", "")
    plan = cached_structure("plan-shown", (scope.key, chosen, today), plan_shown, scope.bureau_ids)
    return tasks_of_plan(scope, plan), plan


@dataclass(frozen=True)
class GroupRow:
    """One section's or lead unit's completion as a dashboard table shows it, a value that
    ``fragments.render_row`` renders once per content."""

    name: str
    link: str  # the unit's page; "" for a section, 未分派, or a unit the reader may not open
    depth: int  # indentation below the bureau
    total: int
    done: int
    done_share: int
    average_percent: int
    green: int
    yellow: int
    red: int
    bars: tuple[tuple[str, float, int, str], ...]  # (light, width %, count, label) per light with tasks


def group_row(group: Group, reader: Scope, depth: int = 0) -> GroupRow:
    """``group``'s row, with the width of its green/yellow/red parts of a stacked bar."""
    counts = {light: group.lights.get(light, 0) for light in Light}
    bars = tuple((light.value, round(100 * count / group.total, 1) if group.total else 0, count, light.label)
                 for light, count in counts.items() if count)
    return GroupRow(name=group.unit.name if group.unit else group.name, link=unit_url(reader, group.unit), depth=depth,
                    total=group.total, done=group.done, done_share=group.done_share,
                    average_percent=group.average_percent, green=counts[Light.GREEN], yellow=counts[Light.YELLOW],
                    red=counts[Light.RED], bars=bars)


def unit_bands(groups: list[Group], reader: Scope) -> list[tuple[str, list[dict]]]:
    """The dashboard's lead-unit rows under band headings: departments, then groups and schools
    in the org tree's order, 未分派 last on its own. Each entry holds its ``unit`` and either
    ``cells`` (a ``GroupRow``) or ``heading`` (a group named above its schools)."""
    bands: dict[int, list[tuple[tuple, dict]]] = {}
    for group in groups:
        depth = depth_below_bureau(group.unit) if group.unit else 0
        key = tree_key(group.unit) if group.unit else (3,)
        bands.setdefault(key[0], []).append((key, {"unit": group.unit, "cells": group_row(group, reader, depth)}))
    return [(BAND_TITLES[b], with_group_headings([row for _, row in sorted(items, key=lambda item: item[0])]))
            for b, items in sorted(bands.items())]


def with_group_headings(rows: list[dict]) -> list[dict]:
    """``rows`` (each with its "unit", in tree order) with a heading row for each group whose
    schools are listed but which has no row of its own, so an indented school has its group above."""
    listed = {row["unit"].pk for row in rows if row.get("unit")}
    # A unit right under its bureau has the bureau above it, never a group: no query for them.
    parent_ids = {row["unit"].parent_id for row in rows
                  if row.get("unit") and row["unit"].parent_id not in listed and depth_below_bureau(row["unit"]) > 0}
    groups = OrgUnit.objects.filter(pk__in=parent_ids, kind=OrgUnit.Kind.GROUP).in_bulk() if parent_ids else {}
    result: list[dict] = []
    for row in rows:
        unit = row.get("unit")
        group = groups.pop(unit.parent_id, None) if unit is not None else None
        if group is not None:
            result.append({"heading": True, "unit": group, "name": group.name, "depth": 0})
        result.append(row)
    return result
