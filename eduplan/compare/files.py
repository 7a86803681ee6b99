"""Plans to compare, read from files: every plan of every file, in order (the first is the
reference), each named by its title, with its file's name where two plans share a title."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from eduplan.errors import EduplanError, Errors
from eduplan.plan import ParsedSource, read_plan

from .items import ComparedPlan, from_parsed

MIN_PLANS = 2


def plans_from_sources(sources: Sequence[tuple[str, ParsedSource]]) -> list[ComparedPlan]:
    """(file name, parsed file) → the plans, named for reports."""
    found = [(name, plan) for name, parsed in sources for plan in parsed.plans]
    titles = Counter(plan.title or name for name, plan in found)
    named = []
    for name, plan in found:
        title = plan.title or name
        named.append(from_parsed(plan, f"{title}（{name}）" if titles[title] > 1 else title))
    return named


def read_plans(paths: Sequence[Path]) -> list[ComparedPlan]:
    """Parse each file (any type ``eduplan parse`` reads); at least two plans in all (E350)."""
    plans = plans_from_sources([(path.name, read_plan(path)) for path in paths])
    if len(plans) < MIN_PLANS:
        raise EduplanError(Errors.E350, count=len(plans), paths="、".join(str(p) for p in paths))
    return plans
