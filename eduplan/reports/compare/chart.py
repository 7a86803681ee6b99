"""The coverage matrix as a bar chart in inline SVG, drawn on the server like the indicator
charts (``eduplan.indicators.charts``): one group of bars per theme, one bar per plan, every
text escaped, colours as attributes (the pages allow no inline styles), nothing loaded."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from eduplan.indicators.charts import GRID, INK, Scale, _num, _text, nice_ticks, tick_text

WIDTH = 640
LEFT, RIGHT, TOP, BOTTOM = 120, 24, 12, 30
LEGEND_LINE = 18
GROUP_GAP = 10
LABEL_CHARS = 8  # longer theme names are cut on the axis, whole in the tooltip
NAME_CHARS = 30
# Ten colours told apart in print and by most colour-blind readers (Tableau 10); more plans reuse them.
COLOURS = ("#1d4e89", "#e15759", "#59a14f", "#f28e2b", "#76b7b2", "#b07aa1", "#edc948", "#9c755f",
           "#ff9da7", "#bab0ac")


def cut(text: str, most: int) -> str:
    """At most ``most`` characters, the last an ellipsis when cut."""
    return text if len(text) <= most else text[:most - 1] + "…"


def bar_height(plans: int) -> int:
    return max(3, min(14, 60 // max(plans, 1)))


def coverage_svg(coverage: dict[str, list[int]], names: Sequence[str], *, element_id: str) -> str:
    """Themes any plan has a task in, with each plan's count ("" when no plan has a task)."""
    rows = [(theme, counts) for theme, counts in coverage.items() if any(counts)]
    if not rows:
        return ""
    ident = re.sub(r"[^A-Za-z0-9_-]", "-", element_id)
    bar = bar_height(len(names))
    group = bar * len(names) + GROUP_GAP
    legend = LEGEND_LINE * len(names) + 6
    top = TOP + legend
    height = top + group * len(rows) + BOTTOM
    ticks = nice_ticks(0, max(5, *(max(counts) for _, counts in rows)))  # whole-number steps
    x = Scale(ticks[0], ticks[-1], LEFT, WIDTH - RIGHT)
    parts = [
        f'<svg role="img" aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" focusable="false">',
        f'<title id="{ident}-title">各计划按主题的任务数</title>',
        f'<desc id="{ident}-desc">{escape(_description(rows, names))}</desc>',
    ]
    parts += _legend(names)
    parts += _grid(ticks, x, top, height - BOTTOM)
    for row, (theme, counts) in enumerate(rows):
        y0 = top + row * group + GROUP_GAP / 2
        parts.append(f'<text x="{LEFT - 8}" y="{_num(y0 + bar * len(names) / 2 + 4)}" text-anchor="end" '
                     f'font-size="12" fill="{INK}"><title>{escape(theme)}</title>{escape(cut(theme, LABEL_CHARS))}'
                     f'</text>')
        for column, count in enumerate(counts):
            y = y0 + column * bar
            label = f"{names[column]}：{theme} {count} 项"
            parts.append(f'<rect x="{LEFT}" y="{_num(y)}" width="{_num(x(count) - LEFT)}" height="{bar - 1}" '
                         f'fill="{COLOURS[column % len(COLOURS)]}"><title>{escape(label)}</title></rect>')
            if bar >= 10 and count:
                parts.append(_text(x(count) + 4, y + bar - 2, str(count), anchor="start", size=10))
    parts.append("</svg>")
    return "".join(parts)


def _description(rows: Sequence[tuple[str, list[int]]], names: Sequence[str]) -> str:
    lines = [f"{theme}：" + "，".join(f"{names[i]} {n} 项" for i, n in enumerate(counts)) for theme, counts in rows]
    return "；".join(lines) + "。"


def _legend(names: Sequence[str]) -> list[str]:
    parts = []
    for column, name in enumerate(names):
        y = TOP + column * LEGEND_LINE
        parts.append(f'<rect x="{LEFT}" y="{y + 3}" width="14" height="10" '
                     f'fill="{COLOURS[column % len(COLOURS)]}"/>')
        parts.append(_text(LEFT + 20, y + 12, cut(name, NAME_CHARS), anchor="start"))
    return parts


def _grid(ticks: Sequence[float], x: Scale, top: float, bottom: float) -> list[str]:
    parts = []
    for tick in ticks:
        parts.append(f'<line x1="{_num(x(tick))}" x2="{_num(x(tick))}" y1="{_num(top)}" y2="{_num(bottom)}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(_text(x(tick), bottom + 16, tick_text(tick)))
    parts.append(f'<line x1="{LEFT}" x2="{LEFT}" y1="{_num(top)}" y2="{_num(bottom)}" stroke="{INK}" '
                 f'stroke-width="1"/>')
    return parts
