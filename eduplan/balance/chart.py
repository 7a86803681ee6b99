"""The path to 达标 as inline SVG drawn on the server: each indicator's 差异系数 per year
for one 学段, against the bar (dashed). Like the indicator charts: no script, colours as SVG
attributes, every text escaped; the page puts the same numbers in a table beside it."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from eduplan.indicators.charts import Scale, nice_ticks, tick_text

from .assess import MEASURES, CountyResult, Stage

WIDTH, HEIGHT = 620, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 150, 24, 36
INK, GRID, BAR = "#56606b", "#d8dee6", "#c62828"
COLOURS = ("#1d4e89", "#2e7d32", "#b35c00", "#6a1b9a", "#00838f", "#8d6e63", "#c2185b")


def _n(value: float) -> str:
    return f"{value:.1f}"


def _text(x: float, y: float, text: str, *, anchor: str = "middle", fill: str = INK, size: int = 13) -> str:
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{size}" fill="{fill}">{escape(text)}</text>'


def cv_rows(results: Mapping[str, CountyResult], stage: Stage) -> list[tuple[str, list[str]]]:
    """The chart's numbers as a table: (indicator, the CV of each year as text)."""
    years = sorted(results)
    rows = []
    for measure in MEASURES:
        cells = []
        for year in years:
            cv = results[year].stage(stage).variation(measure.code).cv
            cells.append("—" if cv is None else f"{cv:.3f}")
        rows.append((measure.short, cells))
    return rows


def svg(results: Mapping[str, CountyResult], stage: Stage, *, element_id: str, title: str) -> str:
    """"" when no year has a CV for this 学段."""
    years = sorted(results)
    series = []
    for measure, colour in zip(MEASURES, COLOURS, strict=True):
        points = [(int(y), results[y].stage(stage).variation(measure.code).cv) for y in years]
        series.append((measure, colour, [(y, cv) for y, cv in points if cv is not None]))
    values = [cv for _, _, points in series for _, cv in points]
    if not values:
        return ""
    bar = results[years[-1]].stage(stage).variations[0].bar
    ticks = nice_ticks(0, max(values + [bar]) * 1.1)
    first, last = int(years[0]), int(years[-1])
    x = Scale(first - 0.5, last + 0.5, LEFT, WIDTH - RIGHT)
    y = Scale(ticks[0], ticks[-1], HEIGHT - BOTTOM, TOP)
    parts = [f'<svg role="img" aria-labelledby="{element_id}-t" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
             f'focusable="false"><title id="{element_id}-t">{escape(title)}</title>']
    for tick in ticks:
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_n(y(tick))}" y2="{_n(y(tick))}" stroke="{GRID}"/>')
        parts.append(_text(LEFT - 6, y(tick) + 4, tick_text(tick), anchor="end"))
    for year in range(first, last + 1):
        parts.append(_text(x(year), HEIGHT - BOTTOM + 18, f"{year}年"))
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_n(y(bar))}" y2="{_n(y(bar))}" stroke="{BAR}" '
                 f'stroke-width="2" stroke-dasharray="6 4"/>')
    parts.append(_text(LEFT + 4, y(bar) - 6, f"标准：差异系数 ≤ {bar:g}", anchor="start", fill=BAR))
    for row, (measure, colour, points) in enumerate(series):
        if len(points) > 1:
            line = " ".join(f"{_n(x(yr))},{_n(y(cv))}" for yr, cv in points)
            parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for yr, cv in points:
            parts.append(f'<circle cx="{_n(x(yr))}" cy="{_n(y(cv))}" r="3.5" fill="{colour}">'
                         f'<title>{escape(f"{yr}年 {measure.short}：{cv:.3f}")}</title></circle>')
        legend_y = TOP + 26 + row * 20
        parts.append(f'<line x1="{WIDTH - RIGHT + 8}" x2="{WIDTH - RIGHT + 26}" y1="{legend_y}" y2="{legend_y}" '
                     f'stroke="{colour}" stroke-width="2"/>')
        parts.append(_text(WIDTH - RIGHT + 30, legend_y + 4, measure.short, anchor="start", size=12))
    parts.append("</svg>")
    return "".join(parts)
