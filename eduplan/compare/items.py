"""What a comparison reads of a plan: its tasks (numbered items, with their measures' text)
and its quantified targets, from a parsed file or from stored plans alike."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from eduplan.plan.model import Plan
from eduplan.plan.render_xlsx import task_rows


@dataclass(frozen=True)
class Goal:
    """A quantified target as comparisons need it."""

    metric: str
    direction: str  # level, increase_by, decrease_by
    comparator: str
    value: float
    value_high: float | None
    unit: str
    baseline: float | None = None
    baseline_year: int | None = None
    year: int | None = None
    quote: str = ""


@dataclass(frozen=True)
class Item:
    """A task of a plan: its number ("三/(二)/5"), title, and the text under it."""

    number: str
    title: str
    text: str
    goals: tuple[Goal, ...] = ()

    @property
    def words(self) -> str:
        """What similarity and themes read: the title, then the measures."""
        return f"{self.title}。{self.text}"


@dataclass(frozen=True)
class ComparedPlan:
    name: str  # how reports call it: the title, else the file name
    kind: str  # annual, five_year, other
    period: tuple[int, int] | None
    items: tuple[Item, ...]
    goals: tuple[Goal, ...] = field(default=())  # every target, items' ones and the rest

    @property
    def year(self) -> int | None:
        return self.period[0] if self.period else None


def _goal(target) -> Goal:
    low, high = (target.value if isinstance(target.value, list) else (target.value, None))
    baseline = target.baseline
    return Goal(target.metric, target.direction, target.comparator, float(low),
                float(high) if high is not None else None, target.unit,
                float(baseline.value) if baseline and baseline.value is not None else None,
                baseline.year if baseline else None, target.year, target.quote)


# Sections that set the scene rather than hand out work: a five-year plan's review of the last
# period, the situation it faces, its guiding thought, principles and goals. Their numbered
# items repeat the tasks' topics, so they would take partners that belong to real tasks.
# The title must open with one of these words and be short: "全面完成十四五规划目标" or
# "抢抓发展机遇，推进…" hand out work and stay.
_PREAMBLE = re.compile(r"(“十[一二三四五六七八九]五”|十[一二三四五六七八九]五|[〇一二三四五六七八九零\d]{4}年?)?(时期)?"
                       r"(发展基础|发展环境|发展现状|发展成就|主要成就|工作回顾|回顾|面临的?形势|形势与挑战|机遇与挑战|"
                       r"指导思想|基本原则|总体要求|总体思路|发展目标|主要目标|总体目标)")


# … or end with one, after the period and subject it is about: "“十三五”期间教育发展的主要成就",
# "某镇教育发展现状", "上年目标完成情况".
# Only compound terms: a bare 现状 or 挑战 ends work too ("改变…落后现状", "应对新挑战").
_PREAMBLE_END = re.compile(r"(发展的?基础|发展的?环境|发展的?现状|主要成就|发展成就|工作回顾|指导思想|基本原则|"
                           r"总体要求|总体思路|发展目标|主要目标|总体目标|目标完成情况)[:：]?$")


def is_preamble(section_title: str) -> bool:
    title = section_title.strip()
    if "任务" in title:
        return False
    return (bool(_PREAMBLE.match(title)) and len(title) <= 16) or (
        bool(_PREAMBLE_END.search(title)) and len(title) <= 24)


def work_only(items: list[tuple[str, Item]]) -> tuple[Item, ...]:
    """The items of a plan (each with its section's title) without those under preamble
    sections — unless nothing would be left."""
    kept = tuple(item for section, item in items if not is_preamble(section))
    return kept or tuple(item for _, item in items)


def from_parsed(plan: Plan, name: str | None = None) -> ComparedPlan:
    """A parsed plan's tasks: the innermost numbered headings (a plan of sections only: its
    sections), each with the text of its measures and its targets; tasks under preamble
    sections (review, situation, principles, goals) left out."""
    sections = {h.label: h.title for h in plan.headings if h.level == 1}
    rows = [row for row in task_rows(plan) if row.kind == "task"]
    items = work_only([(sections.get(row.path[0], "") if len(row.path) > 1 else "",
                        Item("/".join(row.path), row.title, "".join(m.text for m in row.measures),
                             tuple(_goal(t) for t in row.targets))) for row in rows])
    return ComparedPlan(name or plan.title or "（无标题）", str(plan.kind), plan.period, items,
                        tuple(_goal(t) for t in plan.targets))
