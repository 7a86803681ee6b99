"""Stored plans and themes as the comparison library reads them (``eduplan.compare``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from eduplan.compare.items import ComparedPlan, Goal, Item, work_only
from eduplan.compare.themes import Taxonomy
from eduplan.orgs.models import OrgUnit
from eduplan.reports.models import Theme
from eduplan.tracking.models import Measure, Plan, Target, Task


@dataclass(frozen=True)
class StoredPlan:
    plan: Plan
    compared: ComparedPlan
    task_ids: tuple[int, ...]  # the task behind each item, in the same order


def goal(target: Target) -> Goal:
    return Goal(target.metric, target.direction, target.comparator, target.value, target.value_high, target.unit,
                target.baseline_value, target.baseline_year, target.year, target.quote)


def _current_tasks(plan: Plan) -> list[Task]:
    """The plan's current tasks in order, their current measures and targets: three queries."""
    return list(plan.tasks.filter(removed_in_version__isnull=True).order_by("order", "id").select_related("section")
                .prefetch_related(
        Prefetch("measures", queryset=Measure.objects.filter(removed_in_version__isnull=True).order_by("order", "id")),
        Prefetch("targets", queryset=Target.objects.filter(removed_in_version__isnull=True).order_by("order", "id")),
    ))


def load(plan: Plan, name: str | None = None) -> StoredPlan:
    every = _current_tasks(plan)
    pairs = [(task.section.title if task.section else "",
              Item(task.number or task.label, task.title, "".join(m.text for m in task.measures.all()),
                   tuple(goal(t) for t in task.targets.all()))) for task in every]
    items = work_only(pairs)
    kept = {id(item) for item in items}
    tasks = [task for task, (_, item) in zip(every, pairs, strict=True) if id(item) in kept]
    period = None
    if plan.period_start:
        period = (plan.period_start, plan.period_end or plan.period_start)
    # Every target, those of tasks left out as preamble too: a five-year plan's indicator table
    # sits under its goals section.
    compared = ComparedPlan(name or plan.title, plan.kind, period, items,
                            tuple(g for _, item in pairs for g in item.goals))
    return StoredPlan(plan, compared, tuple(task.pk for task in tasks))


def compared_plan(plan: Plan) -> ComparedPlan:
    """The stored plan's current tasks (each with its measures' text and its targets as goals)."""
    return load(plan).compared


def taxonomy_for(bureau: OrgUnit) -> Taxonomy:
    """The bureau's own themes if it keeps any, else the built-in list."""
    rows = list(Theme.objects.filter(bureau=bureau).order_by("order", "id"))
    if not rows:
        return Taxonomy.default()
    return Taxonomy.from_rows((theme.name, theme.word_list()) for theme in rows)
