"""The status trend as inline SVG drawn on the server, after ``indicators.charts``: no script,
no library, nothing loaded from elsewhere; colours are SVG attributes (the pages allow no
inline styles) and every text is escaped. One stacked column per month (tasks by status) and a
line for the red lights; the page puts a table of the same numbers beside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from eduplan.indicators.charts import Scale, nice_ticks, tick_text
from eduplan.periods import Period
from eduplan.tracking.status import Status
from eduplan.tracking.trends import STATUS_STACK, Tally

WIDTH, HEIGHT = 520, 290
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 50, 40
GRID, INK, RED_LINE = "#d8dee6", "#56606b", "#7a0019"
COLOURS = {Status.DONE: "#2e7d32", Status.ON_TRACK: "#1d4e89", Status.NOT_STARTED: "#b8c1cc",
           Status.LAGGING: "#c28a00", Status.OVERDUE: "#c62828"}


def _num(value: float) -> str:
    return f"{value:.1f}"


def _text(x: float, y: float, text: str, *, anchor: str = "middle", size: int = 12, fill: str = INK) -> str:
    return (f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{fill}">{escape(text)}</text>')


def month_tick(period: str, first: bool) -> str:
    """"3月", with the year on the first column and on each January."""
    parsed = Period.parse(period)
    return f"{parsed.year}年{parsed.index}月" if first or parsed.index == 1 else f"{parsed.index}月"


def describe(months: Sequence[str], tallies: Sequence[Tally]) -> str:
    """The chart's numbers in words, for screen readers."""
    parts = []
    for period, tally in zip(months, tallies, strict=True):
        counts = "，".join(f"{s.label}{tally.count(s)}" for s in STATUS_STACK if tally.count(s))
        parts.append(f"{Period.parse(period).label}：{counts or '无任务'}，红灯{tally.red}")
    return "；".join(parts) + "。"


def _legend() -> list[str]:
    parts, left = [], LEFT
    for status in reversed(STATUS_STACK):
        parts.append(f'<rect x="{left}" y="12" width="12" height="12" fill="{COLOURS[status]}"/>')
        parts.append(_text(left + 16, 22, status.label, anchor="start"))
        left += 28 + 13 * len(status.label)
    parts.append(f'<line x1="{left}" x2="{left + 20}" y1="18" y2="18" stroke="{RED_LINE}" stroke-width="2"/>')
    parts.append(f'<circle cx="{left + 10}" cy="18" r="3.5" fill="#ffffff" stroke="{RED_LINE}" stroke-width="2"/>')
    parts.append(_text(left + 26, 22, "红灯", anchor="start"))
    return parts


def trend_svg(months: Sequence[str], tallies: Sequence[Tally], *, title: str, element_id: str) -> str:
    """Tasks by status per month end, with the red lights as a line ("" with no months)."""
    if not months:
        return ""
    ident = re.sub(r"[^A-Za-z0-9_-]", "-", element_id)
    ticks = [t for t in nice_ticks(0, max(max(t.total for t in tallies), 1)) if t == int(t)]
    ticks = ticks if len(ticks) > 1 else [0, 1]
    y = Scale(0, ticks[-1], HEIGHT - BOTTOM, TOP)
    slot = (WIDTH - LEFT - RIGHT) / len(months)
    bar = min(slot * 0.62, 48)
    parts = [
        f'<svg role="img" aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" focusable="false" class="trend-chart">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(describe(months, tallies))}</desc>',
    ]
    for tick in ticks:
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_num(y(tick))}" y2="{_num(y(tick))}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(_text(LEFT - 6, y(tick) + 4, tick_text(tick), anchor="end"))
    parts.append(_text(LEFT - 6, TOP - 10, "（项）", anchor="end"))
    bottom = HEIGHT - BOTTOM
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{bottom}" y2="{bottom}" stroke="{INK}" stroke-width="1"/>')
    label_every = max(1, round(len(months) / 12))  # keep month labels from running into each other
    red_points = []
    for index, (period, tally) in enumerate(zip(months, tallies, strict=True)):
        middle = LEFT + slot * (index + 0.5)
        base = 0
        for status in STATUS_STACK:
            count = tally.count(status)
            if not count:
                continue
            top, low = y(base + count), y(base)
            parts.append(f'<rect x="{_num(middle - bar / 2)}" y="{_num(top)}" width="{_num(bar)}" '
                         f'height="{_num(low - top)}" fill="{COLOURS[status]}" data-status="{status.value}">'
                         f'<title>{escape(Period.parse(period).label)} {status.label} {count} 项</title></rect>')
            base += count
        if index % label_every == 0 or index == len(months) - 1:
            parts.append(_text(middle, bottom + 18, month_tick(period, index == 0)))
        red_points.append((middle, y(tally.red), f"{Period.parse(period).label} 红灯 {tally.red} 项"))
    if len(red_points) > 1:
        line = " ".join(f"{_num(x)},{_num(v)}" for x, v, _ in red_points)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{RED_LINE}" stroke-width="2"/>')
    for x, v, label in red_points:
        parts.append(f'<circle cx="{_num(x)}" cy="{_num(v)}" r="3.5" fill="#ffffff" stroke="{RED_LINE}" '
                     f'stroke-width="2" data-series="red"><title>{escape(label)}</title></circle>')
    parts += _legend()
    parts.append("</svg>")
    return "".join(parts)
