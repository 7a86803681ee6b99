"""Indicator charts as inline SVG, drawn on the server: no script, no library, nothing loaded
from anywhere (pages allow only their own files, and intranet installs have no internet).

A chart shows the figure per period as a line with points and, for a bound target, its
baseline, the level it asks for in its year and the straight path between them (dashed):
where the figure should stand each year (``binding.expected_level``). Every text is escaped;
the colours are SVG attributes, since the pages allow no inline styles. The page puts a table
of the same numbers beside it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from html import escape

from eduplan.orgs.models import OrgUnit
from eduplan.periods import Period
from eduplan.tracking import display
from eduplan.tracking.models import Target

from .binding import Goal, expected_level, goal_of
from .compute import Figure
from .models import Indicator
from .monitoring import reading

WIDTH, HEIGHT = 560, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 20, 44, 36
ACTUAL, GOAL, GRID, INK = "#1d4e89", "#b35c00", "#d8dee6", "#56606b"
LABELLED_POINTS = 12  # with more points than this the values stay in the tooltips and the table


@dataclass(frozen=True)
class Mark:
    when: float  # in years: 2025.5 is the middle of 2025
    value: float
    period: str  # "2025年春季学期"
    text: str  # the value as the page shows it: "90.0%", "≥96%"

    @property
    def label(self) -> str:
        return f"{self.period}：{self.text}"


@dataclass(frozen=True)
class Chart:
    title: str
    desc: str
    actual: tuple[Mark, ...]
    expected: tuple[Mark, ...] = ()
    baseline: Mark | None = None
    target: Mark | None = None

    @property
    def marks(self) -> list[Mark]:
        return [*self.actual, *self.expected, *(m for m in (self.baseline, self.target) if m)]

    def rows(self) -> list[tuple[str, str, str]]:
        """The same numbers as a table: (series, period, value)."""
        rows = [("实际值", m.period, m.text) for m in self.actual]
        rows += [("基线", m.period, m.text) for m in (self.baseline,) if m]
        rows += [("序时期望", m.period, m.text) for m in self.expected]
        rows += [("目标", m.period, m.text) for m in (self.target,) if m]
        return rows


# ---------------------------------------------------------------- from figures and a target


def when(period: Period) -> float:
    """The middle of a period, in years."""
    return period.year + (period.index - 0.5) * period.kind.months / 12


def actual_marks(indicator: Indicator, figures: Iterable[Figure]) -> tuple[Mark, ...]:
    return tuple(Mark(when(Period.parse(f.period)), f.value, Period.parse(f.period).label, reading(indicator, f.value))
                 for f in figures if f.value is not None)


def goal_for_chart(target: Target) -> Goal:
    """The target's goal, in the plan's last year when the target names none."""
    goal = goal_of(target)
    return goal if goal.year else replace(goal, year=target.task.plan.period_end)


def goal_marks(indicator: Indicator, target: Target) -> tuple[Mark | None, Mark | None, tuple[Mark, ...]]:
    """The baseline, the target level in its year, and the expected level each year between."""
    goal = goal_for_chart(target)
    baseline = level = None
    if goal.baseline is not None and goal.baseline_year:
        baseline = Mark(goal.baseline_year + 0.5, goal.baseline, f"{goal.baseline_year}年（基线）",
                        reading(indicator, goal.baseline))
    if goal.level is not None and goal.year:
        level = Mark(goal.year + 0.5, goal.level, f"{goal.year}年（目标）", display.goal(target))
    if baseline is None or level is None or goal.year <= goal.baseline_year:
        return baseline, level, ()
    path = tuple(Mark(year + 0.5, expected_level(goal, year), f"{year}年（序时期望）",
                      reading(indicator, expected_level(goal, year)))
                 for year in range(goal.baseline_year, goal.year + 1))
    return baseline, level, path


def indicator_chart(indicator: Indicator, unit: OrgUnit, figures: Iterable[Figure],
                    target: Target | None = None) -> Chart:
    actual = actual_marks(indicator, figures)
    title = f"{unit.name} · {indicator.name}"
    desc = f"{unit.name}“{indicator.name}”各期实际值：" + ("；".join(m.label for m in actual) or "暂无数据") + "。"
    if target is None:
        return Chart(title, desc, actual)
    baseline, level, path = goal_marks(indicator, target)
    desc += f"计划目标“{target.metric}”：" + "；".join(m.label for m in (baseline, level) if m) + "。"
    return Chart(title, desc, actual, path, baseline, level)


# ---------------------------------------------------------------- scales


@dataclass(frozen=True)
class Scale:
    low: float
    high: float
    start: float  # where ``low`` is drawn
    end: float

    def __call__(self, value: float) -> float:
        return self.start + (value - self.low) / (self.high - self.low) * (self.end - self.start)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values from at or below ``low`` to at or above ``high``, about ``count`` steps."""
    if high - low < 1e-9:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw - 1e-12)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def tick_text(value: float) -> str:
    return f"{value:g}"


def year_range(marks: Sequence[Mark]) -> range:
    return range(math.floor(min(m.when for m in marks)), math.floor(max(m.when for m in marks)) + 1)


# ---------------------------------------------------------------- drawing


def _num(value: float) -> str:
    return f"{value:.1f}"


def _text(x: float, y: float, text: str, *, anchor: str = "middle", size: int = 12, fill: str = INK) -> str:
    return (f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{fill}">{escape(text)}</text>')


def _y_axis(ticks: Sequence[float], y: Scale, unit_label: str) -> list[str]:
    parts = []
    for tick in ticks:
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_num(y(tick))}" y2="{_num(y(tick))}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(_text(LEFT - 6, y(tick) + 4, tick_text(tick), anchor="end"))
    if unit_label:
        parts.append(_text(LEFT - 6, TOP - 10, f"（{unit_label}）", anchor="end"))
    return parts


def _x_axis(years: range, x: Scale) -> list[str]:
    bottom = HEIGHT - BOTTOM
    parts = [f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{bottom}" y2="{bottom}" stroke="{INK}" stroke-width="1"/>']
    for year in years:
        parts.append(f'<line x1="{_num(x(year))}" x2="{_num(x(year))}" y1="{bottom}" y2="{bottom + 4}" '
                     f'stroke="{INK}" stroke-width="1"/>')
        parts.append(_text(x(year + 0.5), bottom + 18, f"{year}年"))
    return parts


def _points(marks: Sequence[Mark], x: Scale, y: Scale) -> str:
    return " ".join(f"{_num(x(m.when))},{_num(y(m.value))}" for m in marks)


def _line(marks: Sequence[Mark], x: Scale, y: Scale, colour: str, dashed: bool = False) -> list[str]:
    if len(marks) < 2:
        return []
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    return [f'<polyline points="{_points(marks, x, y)}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>']


def _dot(mark: Mark, x: Scale, y: Scale, *, fill: str, stroke: str) -> str:
    return (f'<circle cx="{_num(x(mark.when))}" cy="{_num(y(mark.value))}" r="4.5" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="2"><title>{escape(mark.label)}</title></circle>')


def _diamond(mark: Mark, x: Scale, y: Scale) -> str:
    cx, cy = x(mark.when), y(mark.value)
    corners = f"M{_num(cx)} {_num(cy - 7)} L{_num(cx + 7)} {_num(cy)} L{_num(cx)} {_num(cy + 7)} L{_num(cx - 7)} {_num(cy)} Z"
    return f'<path d="{corners}" fill="{GOAL}"><title>{escape(mark.label)}</title></path>'


def _actual(chart: Chart, x: Scale, y: Scale) -> list[str]:
    parts = _line(chart.actual, x, y, ACTUAL)
    for mark in chart.actual:
        parts.append(_dot(mark, x, y, fill=ACTUAL, stroke=ACTUAL))
        if len(chart.actual) <= LABELLED_POINTS:
            parts.append(_text(x(mark.when), y(mark.value) - 9, mark.text, size=11, fill=ACTUAL))
    return parts


def _goal(chart: Chart, x: Scale, y: Scale) -> list[str]:
    parts = _line(chart.expected, x, y, GOAL, dashed=True)
    if chart.baseline:
        parts.append(_dot(chart.baseline, x, y, fill="#ffffff", stroke=GOAL))
    if chart.target:
        parts.append(_diamond(chart.target, x, y))
    return parts


def _legend(chart: Chart) -> list[str]:
    items = [("actual", "实际值")]
    if chart.expected:
        items.append(("expected", "序时期望路径"))
    if chart.baseline:
        items.append(("baseline", "基线"))
    if chart.target:
        items.append(("target", "目标"))
    parts, left = [], LEFT
    for kind, label in items:
        parts.append(_legend_key(kind, left, 14))
        parts.append(_text(left + 26, 18, label, anchor="start"))
        left += 40 + 13 * len(label)
    return parts


def _legend_key(kind: str, left: float, middle: float) -> str:
    if kind in ("actual", "expected"):
        colour, dash = (ACTUAL, "") if kind == "actual" else (GOAL, ' stroke-dasharray="6 4"')
        return (f'<line x1="{left}" x2="{left + 20}" y1="{middle}" y2="{middle}" stroke="{colour}" '
                f'stroke-width="2"{dash}/>')
    if kind == "baseline":
        return f'<circle cx="{left + 10}" cy="{middle}" r="4.5" fill="#ffffff" stroke="{GOAL}" stroke-width="2"/>'
    return f'<path d="M{left + 10} {middle - 7} L{left + 17} {middle} L{left + 10} {middle + 7} L{left + 3} {middle} Z" fill="{GOAL}"/>'


def svg(chart: Chart, *, element_id: str, unit_label: str = "") -> str:
    """The chart as an ``<svg>`` element to put inside a page ("" when there is nothing to draw)."""
    marks = chart.marks
    if not marks:
        return ""
    ident = re.sub(r"[^A-Za-z0-9_-]", "-", element_id)
    ticks = nice_ticks(min(m.value for m in marks), max(m.value for m in marks))
    years = year_range(marks)
    x = Scale(years.start, years.stop, LEFT, WIDTH - RIGHT)
    y = Scale(ticks[0], ticks[-1], HEIGHT - BOTTOM, TOP)
    return "".join([
        f'<svg role="img" aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" focusable="false">',
        f'<title id="{ident}-title">{escape(chart.title)}</title>',
        f'<desc id="{ident}-desc">{escape(chart.desc)}</desc>',
        *_y_axis(ticks, y, unit_label), *_x_axis(years, x), *_goal(chart, x, y), *_actual(chart, x, y),
        *_legend(chart),
        "</svg>",
    ])
