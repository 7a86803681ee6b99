"""Indicator tables that arrive flattened: one cell per line, or one row per line with its
cells separated by " | ", tabs or runs of spaces.

    主要指标 / 2020年 / 2025年 / 学前教育三年毛入园率(%) / 85 / >90 / …
    序号 | 指标 | 单位 | 2020年 | 2025年 | 属性
    1 | 义务教育巩固率 | % | 98.5 | 99 | 约束性

Year cells make the header (a caption may stand before it, even before the first heading);
then each row is a metric cell followed by one value per year column (baseline first, target
last). Row numbers, attribute cells (预期性/约束性) and a unit column are read as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .document import Passage, PlanBlock, PlanDocument
from .lines import Line
from .model import Baseline, Target
from .numerals import tidy

# A value column's header: a year ("2025年", "2020年(基期)") or a word for baseline or target.
_YEAR_CELL = re.compile(
    r"^(?:((?:19|20)\d\d)\s*年?(?:\(.{0,8}\)|[\u4e00-\u9fff]{0,5})|基期值?|基准值|基数|现状值?|目标值|预期目标|规划目标)$"
)
_CELL_UNIT = r"%|‰|[万亿]?(?:人次|平方米|个|所|人|名|元|年|次|间|项|册|台)"  # a unit a table cell may hold
_VALUE_CELL = re.compile(
    rf"^(?P<cmp>>=|<=|≥|≤|>|<|约|不低于|不少于|不超过|超过)?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>{_CELL_UNIT})?"
    r"\s*(?P<tail>以上|以下|以内|左右)?(?:\(.{0,12}\))?$"
)
_EMPTY_CELL = re.compile(r"^(?:[—–\-－/／]{1,2}|无|空)$")  # no figure for that year (a new indicator)
_SKIP_CELL = re.compile(r"^(?:预期性|约束性|属性|序号|指标|指标名称|类别|单位|备注|\d{1,2})$")
_UNIT_CELL = re.compile(rf"^(?:{_CELL_UNIT})$")
_UNIT_IN_METRIC = re.compile(r"\((?P<unit>[^()]{1,6})\)$")
_CELL_SEPARATOR = re.compile(r"\s*[|｜\t]\s*| ")
_ROW_PREFIX = re.compile(r"^(?:其中[:：]?|\d{1,2}[.、]?)")
_COMPARATORS = {">=": ">=", "≥": ">=", "不低于": ">=", "不少于": ">=", "超过": ">", "<=": "<=", "≤": "<=",
                "不超过": "<=", ">": ">", "<": "<", "约": "~"}
_TAIL_COMPARATORS = {"以上": ">=", "以下": "<=", "以内": "<=", "左右": "~"}
_METRIC_MAX_LEN = 40


@dataclass
class _Cell:
    text: str
    line: int
    start: int  # original offsets
    end: int


@dataclass
class _Row:
    metric: _Cell
    unit: str = ""
    values: list[tuple[_Cell, re.Match[str] | None]] = field(default_factory=list)  # None: an empty cell


def extract_table_targets(doc: PlanDocument) -> PlanDocument:
    for plan in doc.plans:
        years: list[int | None] = []
        row: _Row | None = None
        for p in plan.passages:
            if p.begin != 0 or p.is_title or p.review:
                continue
            for cell in _cells(doc, p):
                text = cell.text
                if header := _YEAR_CELL.match(text):
                    year = int(header.group(1)) if header.group(1) else None
                    years = years + [year] if row is None else [year]
                    row = None
                    continue
                if not years:
                    continue
                value = _VALUE_CELL.match(text)
                if row is not None and _UNIT_CELL.match(text) and not row.values:
                    row.unit = text
                    continue
                if (value or _EMPTY_CELL.match(text)) and row is not None:
                    if len(row.values) < len(years):
                        row.values.append((cell, value))
                        if len(row.values) == len(years):
                            _add(plan, _targets(doc, plan, p, row, years))
                    continue
                if _SKIP_CELL.match(text) or value:
                    continue
                if len(text) <= _METRIC_MAX_LEN and "。" not in text:
                    row = _Row(cell)
                else:
                    years, row = [], None  # running text again: the table is over
    return doc


def _add(plan: PlanBlock, row_targets: list[Target]) -> None:
    """Add a row's targets in place of what the sentence reader found inside that row."""
    if not row_targets:
        return
    start, end = min(t.start for t in row_targets), max(t.end for t in row_targets)
    plan.targets = [t for t in plan.targets if not (start <= t.start and t.end <= end)]
    plan.targets.extend(row_targets)


def _cells(doc: PlanDocument, p: Passage) -> list[_Cell]:
    """The cells of a passage: split at " | ", at tabs and at runs of spaces (Word, web tables
    and PDF text extraction leave them). The analysis text dropped most whitespace; its soft
    breaks, and the one space kept between ASCII words, remember where it stood."""
    line = doc.lines[p.line]
    text = line.text
    cuts: list[tuple[int, int]] = []  # (analysis begin, end) of each separator
    for m in _CELL_SEPARATOR.finditer(text, p.begin, p.end):
        if m.group().strip() or _wide_gap(doc, line, m.start(), m.end()):
            cuts.append(m.span())
    for b in line.breaks_between(p.begin, p.end):
        if _wide_gap(doc, line, b, b):
            cuts.append((b, b))
    cuts.sort()
    cells = []
    at = p.begin
    for begin, end in [*cuts, (p.end, p.end)]:
        if begin > at:
            start, stop = line.span(at, begin)
            cells.append(_Cell(text[at:begin].strip(), p.line, start, stop))
        at = max(at, end)
    return cells


def _wide_gap(doc: PlanDocument, line: Line, begin: int, end: int) -> bool:
    """Does the original hold a tab, an ideographic space or two spaces between the analysis
    characters at ``begin - 1`` and ``end``? One plain space separates words, not cells."""
    if begin == 0 or end >= len(line.text):
        return False
    gap = doc.original[line.to_original(begin - 1) + 1:line.to_original(end)]
    return "\t" in gap or "\u3000" in gap or "  " in gap


def _targets(doc: PlanDocument, plan: PlanBlock, p: Passage, row: _Row, years: list[int | None]) -> list[Target]:
    """A row's targets: its last value, with its first as the baseline (2025 | 2030 in a
    five-year plan); or every value when each column is a year of the plan's own (a three-year
    plan's 2026 | 2027 | 2028 milestones). An empty cell (—) holds no figure."""
    filled = [(k, cell, match) for k, (cell, match) in enumerate(row.values) if match is not None]
    if not filled or filled[-1][0] != len(years) - 1:
        return []  # no figure in the target column
    metric = _ROW_PREFIX.sub("", row.metric.text)
    unit_match = _UNIT_IN_METRIC.search(metric)
    unit = unit_match.group("unit") if unit_match else (row.unit or filled[-1][2].group("unit") or "")
    if unit_match:
        metric = metric[:unit_match.start()]
    multiplier = {"万": 10_000, "亿": 100_000_000}.get(unit[:1], 1)
    unit = unit[1:] if multiplier > 1 else unit
    if not unit and re.search(r"率|比例|占比", metric):
        unit = "%"

    def in_period(year: int | None) -> bool:
        return plan.period is not None and isinstance(year, int) and plan.period[0] <= year <= plan.period[1]

    # Milestones when three or more columns are all years of the plan itself; else the first
    # is the baseline, the last the target (2026 | 2030 in a 2026–2030 plan: now and then).
    milestones = len(filled) > 2 and all(in_period(years[k]) for k, _, _ in filled)
    baseline = None
    first_k, _, first = filled[0]
    if len(filled) > 1 and not milestones:
        baseline = Baseline(years[first_k], tidy(float(first.group("num")) * multiplier))
    found = []
    for k, cell, match in filled:
        if k != len(years) - 1 and not milestones:
            continue
        comparator = _COMPARATORS.get(match.group("cmp") or "") or _TAIL_COMPARATORS.get(match.group("tail") or "", "=")
        start, end = row.metric.start, cell.end
        due = years[k] if plan.period is None or years[k] != plan.period[1] else None
        found.append(Target(
            under=plan.under(p.heading), metric=metric, direction="level", comparator=comparator,  # type: ignore[arg-type]
            value=tidy(float(match.group("num")) * multiplier), unit=unit, quote=doc.quote(start, end),
            start=start, end=end, baseline=baseline, year=due if isinstance(due, int) else None, confidence=0.9,
        ))
    return found
