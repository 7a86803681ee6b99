"""Indicator tables whose cells were flattened one per line.

    主要目标 / 2020年 / 2025年 / 学前教育三年毛入园率(%) / 85 / >90 / …

Year cells make the header; then each row is a metric cell followed by one value per year
column (baseline first, target last). Row numbers and 预期性/约束性 cells are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .document import Passage, PlanBlock, PlanDocument
from .model import Baseline, Target
from .numerals import tidy

# A value column's header: a year ("2025年", "2020年(基期)") or a word for baseline or target.
_YEAR_CELL = re.compile(r"^(?:((?:19|20)\d\d)\s*年?(?:\(.{0,8}\)|[\u4e00-\u9fff]{0,5})|基期值?|基准值|现状值?|目标值|预期目标)$")
_VALUE_CELL = re.compile(r"^(?P<cmp>>=|<=|≥|≤|>|<|约)?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>%|‰)?\s*(?P<tail>以上|以下|左右)?$")
_SKIP_CELL = re.compile(r"^(?:预期性|约束性|属性|序号|\d{1,2})$")
_UNIT_IN_METRIC = re.compile(r"\((?P<unit>[^()]{1,6})\)$")
_COMPARATORS = {">=": ">=", "≥": ">=", "<=": "<=", "≤": "<=", ">": ">", "<": "<", "约": "~"}
_TAIL_COMPARATORS = {"以上": ">=", "以下": "<=", "左右": "~"}
_METRIC_MAX_LEN = 40


@dataclass
class _Row:
    metric_line: int
    values: list[tuple[int, re.Match[str]]] = field(default_factory=list)  # (line, match)


def extract_table_targets(doc: PlanDocument) -> PlanDocument:
    for plan in doc.plans:
        whole_lines = [p for p in plan.passages if p.begin == 0 and not p.is_title and p.heading is not None]
        years: list[int | None] = []
        row: _Row | None = None
        for p in whole_lines:
            if p.review:
                continue
            text = doc.lines[p.line].text
            if header := _YEAR_CELL.match(text):
                year = int(header.group(1)) if header.group(1) else None
                years = years + [year] if row is None else [year]
                row = None
                continue
            if not years:
                continue
            value = _VALUE_CELL.match(text)
            if value and row is not None:
                if len(row.values) < len(years):
                    row.values.append((p.line, value))
                    if len(row.values) == len(years):
                        plan.targets.append(_target(doc, plan, p, row, years))
                continue
            if _SKIP_CELL.match(text) or value:
                continue
            if len(text) <= _METRIC_MAX_LEN and "。" not in text:
                row = _Row(p.line)
            else:
                years, row = [], None  # running text again: the table is over
    return doc


def _target(doc: PlanDocument, plan: PlanBlock, p: Passage, row: _Row, years: list[int | None]) -> Target:
    metric_line = doc.lines[row.metric_line]
    metric = metric_line.text
    unit_match = _UNIT_IN_METRIC.search(metric)
    target_line, target = row.values[-1]
    unit = unit_match.group("unit") if unit_match else (target.group("unit") or "")
    if unit_match:
        metric = metric[:unit_match.start()]
    if not unit and re.search(r"率|比例|占比", metric):
        unit = "%"
    comparator = _COMPARATORS.get(target.group("cmp") or "") or _TAIL_COMPARATORS.get(target.group("tail") or "", "=")
    baseline = None
    if len(row.values) > 1:
        baseline = Baseline(years[0], tidy(float(row.values[0][1].group("num"))))
    start = metric_line.start
    end = doc.lines[target_line].end
    due = years[-1] if plan.period is None or years[-1] != plan.period[1] else None
    due = due if isinstance(due, int) else None
    return Target(
        under=plan.under(p.heading), metric=metric, direction="level", comparator=comparator,  # type: ignore[arg-type]
        value=tidy(float(target.group("num"))), unit=unit, quote=doc.quote(start, end),
        start=start, end=end, baseline=baseline, year=due,
    )
