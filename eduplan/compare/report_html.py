"""The comparison as one self-contained HTML page, in Simplified Chinese: the same sections as the
workbook, with the theme coverage also drawn as an inline SVG bar chart.

The page is a file people download, mail and open offline: its CSS is inline, it loads
nothing and runs no script. Every text from a plan is escaped (``html.escape``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from . import report
from .align import MATCH_BAR
from .comparison import Comparison
from .items import Item
from .targets import normalised

STYLE = """
body { font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "SimSun", sans-serif;
       color: #222; margin: 0; background: #fff; line-height: 1.5; }
main { max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 24px; margin: 8px 0 4px; }
h2 { font-size: 19px; border-bottom: 2px solid #1d4e89; padding-bottom: 4px; margin-top: 32px; }
h3 { font-size: 16px; margin: 20px 0 6px; }
nav a { margin-right: 14px; color: #1d4e89; }
.note { color: #56606b; font-size: 13px; }
.wide { overflow-x: auto; }
table { border-collapse: collapse; margin: 8px 0; font-size: 14px; }
th, td { border: 1px solid #999; padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: #d9d9d9; }
td.num { text-align: right; white-space: nowrap; }
.lack { background: #f8cbad; }
.gain { background: #e2efda; }
.muted { color: #8a8f96; }
.nowrap { white-space: nowrap; }
small { color: #56606b; }
figure { margin: 8px 0 16px; }
@media print { nav { display: none; } .wide { overflow: visible; } h2 { break-after: avoid; } }
"""

# Ten colours told apart in print and by most colour-blind readers; more plans reuse them.
COLOURS = ("#1d4e89", "#e15759", "#59a14f", "#f28e2b", "#76b7b2", "#b07aa1", "#edc948", "#9c755f",
           "#ff9da7", "#bab0ac")
CHART_WIDTH, CHART_LEFT, CHART_RIGHT, LEGEND_LINE = 720, 120, 40, 18
CHANGE_CLASSES = {"added": "gain", "raised": "gain", "dropped": "lack", "lowered": "lack"}
SECTION_IDS = {report.COVERAGE: "coverage", report.ALIGNMENT: "alignment", report.LACKS: "lacks",
               report.METRICS: "metrics", report.CHANGES: "changes", report.PATH: "path"}


def e(text: object) -> str:
    return escape(str(text))


def _cell(text: object, tag: str = "td", css: str = "", attrs: str = "") -> str:
    klass = f' class="{css}"' if css else ""
    return f"<{tag}{klass}{attrs}>{e(text)}</{tag}>"


def _table(header: Iterable[str], rows: Iterable[str]) -> str:
    head = "".join(_cell(text, "th") for text in header)
    return f'<div class="wide"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _section(title: str, body: str, note: str = "") -> str:
    lead = f'<p class="note">{e(note)}</p>' if note else ""
    return f'<section id="{SECTION_IDS[title]}"><h2>{e(title)}</h2>{lead}{body}</section>'


# ---------------------------------------------------------------- the chart


def _step(most: int) -> int:
    return next(step for step in (1, 2, 5, 10, 20, 50, 100, 200, 500) if most / step <= 6)


def coverage_svg(rows: Sequence[report.CoverageRow], names: Sequence[str]) -> str:
    """One group of horizontal bars per theme, one bar per plan, with a legend above."""
    if not rows:
        return ""
    bar = max(3, min(14, 60 // len(names)))
    group = bar * len(names) + 8
    top = LEGEND_LINE * len(names) + 10
    height = top + group * len(rows) + 24
    most = max(max(row.counts) for row in rows)
    step = _step(most)
    ceiling = -(-most // step) * step
    span = CHART_WIDTH - CHART_LEFT - CHART_RIGHT

    def x(value: float) -> float:
        return CHART_LEFT + span * value / ceiling

    parts = [f'<svg role="img" aria-labelledby="chart-title" viewBox="0 0 {CHART_WIDTH} {height}" width="100%" '
             f'style="max-width:{CHART_WIDTH}px">', '<title id="chart-title">各计划按主题的任务数</title>']
    for column, name in enumerate(names):
        y = 4 + column * LEGEND_LINE
        parts.append(f'<rect x="{CHART_LEFT}" y="{y}" width="14" height="10" fill="{COLOURS[column % len(COLOURS)]}"/>'
                     f'<text x="{CHART_LEFT + 20}" y="{y + 10}" font-size="12">{e(name)}</text>')
    bottom = height - 20
    for tick in range(0, ceiling + 1, step):
        parts.append(f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top}" y2="{bottom}" stroke="#d8dee6"/>'
                     f'<text x="{x(tick):.1f}" y="{bottom + 15}" font-size="11" text-anchor="middle">{tick}</text>')
    for index, row in enumerate(rows):
        y0 = top + index * group + 4
        parts.append(f'<text x="{CHART_LEFT - 6}" y="{y0 + bar * len(names) / 2 + 4:.1f}" font-size="12" '
                     f'text-anchor="end">{e(row.theme)}</text>')
        for column, count in enumerate(row.counts):
            label = f"{names[column]}：{row.theme} {count} 项"
            parts.append(f'<rect x="{CHART_LEFT}" y="{y0 + column * bar}" width="{x(count) - CHART_LEFT:.1f}" '
                         f'height="{bar - 1}" fill="{COLOURS[column % len(COLOURS)]}"><title>{e(label)}</title></rect>')
    parts.append(f'<line x1="{CHART_LEFT}" x2="{CHART_LEFT}" y1="{top}" y2="{bottom}" stroke="#56606b"/></svg>')
    return "".join(parts)


# ---------------------------------------------------------------- the sections


def _plans(comparison: Comparison) -> str:
    rows = []
    for column, plan in enumerate(comparison.plans):
        facts = report.plan_facts(plan, column)
        rows.append("<tr>" + "".join(_cell(v, css="num" if isinstance(v, int) else "") for v in facts) + "</tr>")
    return f'<section id="plans"><h2>对比计划</h2>{_table(report.PLAN_COLUMNS, rows)}</section>'


def _coverage(comparison: Comparison, names: list[str]) -> str:
    lines = report.coverage_rows(comparison)
    rows = []
    for line in lines:
        cells = [_cell(report.LACK, css="num lack") if lacking else _cell(count, css="num")
                 for count, lacking in zip(line.counts, line.lacking, strict=True)]
        rows.append(f"<tr>{_cell(line.theme)}{''.join(cells)}</tr>")
    rows.append("<tr>" + _cell("任务总数", "th") + "".join(_cell(len(p.items), css="num") for p in comparison.plans)
                + "</tr>")
    chart = f"<figure>{coverage_svg(lines, names)}</figure>" if lines else ""
    return _section(report.COVERAGE, chart + _table(["主题", *names], rows),
                    "各计划按主题的任务数。“缺”：参照计划有该主题的任务，本计划没有。")


def _alignment(comparison: Comparison, names: list[str]) -> str:
    others = names[1:]
    rows = []
    for line in report.aligned_rows(comparison):
        span = f' rowspan="{max(1, len(others))}"'
        lead = _cell(report.task_text(line.item), attrs=span) + _cell(line.theme, attrs=span)
        for index, partner in enumerate(line.partners or [None]):
            cells = lead if index == 0 else ""
            if partner is None:
                cells += _cell("—") * 4
            elif partner.item is None:
                cells += _cell(others[index]) + _cell("（无对应任务）", css="muted lack") + _cell("") + _cell("")
            else:
                cells += (_cell(others[index]) + _cell(report.task_text(partner.item))
                          + _cell(f"{partner.score:.2f}", css="num") + _cell(report.joined(partner.shared)))
            rows.append(f"<tr>{cells}</tr>")
    return _section(report.ALIGNMENT, _table(["参照任务", "主题", "计划", "对应任务", "相似度", "共同词"], rows),
                    f"参照计划（{comparison.reference.name}）的每项任务在其他计划中最接近的任务；"
                    f"相似度 0–1，低于 {MATCH_BAR:g} 视为没有对应任务。")


def _items(items: Sequence[Item], empty: str) -> str:
    if not items:
        return f'<p class="muted">{e(empty)}</p>'
    return "<ul>" + "".join(f"<li>{e(report.task_text(item))}</li>" for item in items) + "</ul>"


def _lacks(comparison: Comparison) -> str:
    parts = []
    for lacks in report.lacks(comparison):
        themes = report.joined(lacks.themes) or "无"
        parts.append(f"<h3>{e(lacks.plan.name)}</h3>"
                     f'<p>缺少的主题：<span class="{"lack" if lacks.themes else ""}">{e(themes)}</span></p>'
                     f"<p>参照计划中没有对应任务的（{len(lacks.missing)} 项）：</p>{_items(lacks.missing, '无')}"
                     f"<p>本计划独有的任务（{len(lacks.own)} 项）：</p>{_items(lacks.own, '无')}")
    return _section(report.LACKS, "".join(parts), f"与参照计划（{comparison.reference.name}）相比。")


def _metrics(comparison: Comparison, names: list[str]) -> str:
    rows = []
    for line in report.metric_lines(comparison):
        cells = []
        for column, goal in enumerate(line.goals):
            if goal is None:
                cells.append(_cell("—", css="muted"))
                continue
            value, base = report.normalised_value(goal), normalised(goal)[2]
            shown = e(line.shown(column))
            if goal.unit != base:  # a scaled unit (万元, 亿元): the value in the base unit too
                number = report.number(value) if isinstance(value, float) else value
                shown += f"<br><small>= {e(number)}{e(base)}</small>"
            cells.append(f"<td>{shown}</td>")
        rows.append(f"<tr>{_cell(line.metric)}{_cell(line.direction, css='nowrap')}{''.join(cells)}</tr>")
    if not rows:
        return _section(report.METRICS, '<p class="muted">各计划都没有可对比的量化目标。</p>')
    return _section(report.METRICS, _table(["指标", "方向", *names], rows),
                    "同一指标在各计划中的量化目标（按原文写法；单位带“万”“亿”的另附换算值）。")


def _changes(comparison: Comparison) -> str:
    older, newer = report.older_newer(comparison)
    rows = [f"<tr>{_cell(c.metric)}"
            f"{_cell(report.CHANGE_NAMES.get(c.kind, c.kind), css=CHANGE_CLASSES.get(c.kind, ''))}"
            f"{_cell(report.goal_text(c.before))}{_cell(report.goal_text(c.after))}</tr>"
            for c in report.ordered_changes(comparison)]
    header = ["指标", "变化", f"{older.name}（{report.year_text(older)}）", f"{newer.name}（{report.year_text(newer)}）"]
    return _section(report.CHANGES, _table(header, rows), f"{newer.name}相对{older.name}新增、取消、提高或降低的目标。")


def _path(comparison: Comparison) -> str:
    year = comparison.path[0].year
    rows = []
    for check in comparison.path:
        behind = report.behind_text(check)
        unit = report.path_unit(comparison, check)
        rows.append(f"<tr>{_cell(check.metric)}"
                    f"{_cell(f'{report.number(check.baseline)}{unit}（{check.baseline_year}年）', css='num')}"
                    f"{_cell(f'{report.number(check.target)}{unit}（{check.target_year}年）', css='num')}"
                    f"{_cell(f'{report.number(check.expected)}{unit}', css='num')}"
                    f"{_cell(report.goal_text(check.annual))}"
                    f"{_cell(behind, css='lack' if behind == '是' else '')}</tr>")
    header = ["五年规划指标", "基期值", "目标值", f"{year}年应达到", "年度计划目标", "落后于路径？"]
    return _section(report.PATH, _table(header, rows),
                    f"从基期值到目标值按直线推进，{year}年应达到的水平，与年度计划自身的目标相比。")


def comparison_html(comparison: Comparison) -> str:
    """The whole report page."""
    names = [report.plan_label(plan, column) for column, plan in enumerate(comparison.plans)]
    sections = [_coverage(comparison, names), _alignment(comparison, names), _lacks(comparison),
                _metrics(comparison, names)]
    if comparison.changes:
        sections.append(_changes(comparison))
    if comparison.path:
        sections.append(_path(comparison))
    shown = [title for title in SECTION_IDS if title != report.CHANGES or comparison.changes]
    shown = [title for title in shown if title != report.PATH or comparison.path]
    nav = "".join(f'<a href="#{SECTION_IDS[title]}">{e(title)}</a>' for title in shown)
    return ("<!DOCTYPE html>\n"
            '<html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>计划对比报告：{e(comparison.reference.name)}</title><style>{STYLE}</style></head>"
            f"<body><main><h1>计划对比报告</h1>"
            f'<p class="note">参照计划：{e(comparison.reference.name)}；共 {len(comparison.plans)} 个计划。</p>'
            f"<nav>{nav}</nav>{_plans(comparison)}{''.join(sections)}</main></body></html>\n")
