"""The comparison as a workbook: one sheet per section (主题覆盖, 任务对照, 各计划缺项, 目标对照,
and when there is something to show 年度变化 and 五年规划进度), then the plans compared.

The look is the 任务分解表's (``eduplan.plan.render_xlsx``): a merged title, a grey header,
宋体, thin borders, A4 landscape with the header on every page. Every text cell goes through
its guard (``put_cell``), so document text never becomes a formula; counts, scores and values
are numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from typing import IO

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from eduplan.plan.render_xlsx import (
    BODY_FONT,
    BORDER,
    CENTERED,
    HEADER_FILL,
    HEADER_FONT,
    HEADER_ROW,
    WRAP_TOP,
    print_setup,
    put_cell,
    write_title,
)

from . import report
from .comparison import Comparison

LACK_FILL = PatternFill("solid", fgColor="F8CBAD")  # 缺, behind the path, dropped
GAIN_FILL = PatternFill("solid", fgColor="E2EFDA")  # added, raised
Value = str | int | float | None


def put(ws: Worksheet, row: int, column: int, value: Value, fill: PatternFill | None = None) -> Cell:
    """A body cell: text through the formula guard, numbers as numbers."""
    if isinstance(value, int | float):
        cell = ws.cell(row=row, column=column, value=value)
        cell.font, cell.alignment, cell.border = BODY_FONT, WRAP_TOP, BORDER
        if isinstance(value, float) and not value.is_integer():
            cell.number_format = "0.###"
    else:
        cell = put_cell(ws, row, column, value or "")
    if fill is not None:
        cell.fill = fill
    return cell


def _header_cell(ws: Worksheet, row: int, column: int, text: str) -> None:
    cell = put_cell(ws, row, column, text)
    cell.font, cell.alignment, cell.fill = HEADER_FONT, CENTERED, HEADER_FILL


def _sheet(workbook: Workbook, name: str, title: str, columns: Sequence[str], widths: Sequence[int]) -> Worksheet:
    """A sheet with its title, a one-row header and column widths; the body starts at row 3."""
    ws = workbook.create_sheet(name)
    write_title(ws, title, width=len(columns))
    for column, text in enumerate(columns, start=1):
        _header_cell(ws, HEADER_ROW, column, text)
    _layout(ws, widths, header_rows=1)
    return ws


def _grouped_sheet(workbook: Workbook, name: str, title: str, fixed: Sequence[tuple[str, int]],
                   groups: Sequence[str], sub: Sequence[tuple[str, int]]) -> Worksheet:
    """A sheet whose header has two rows: the fixed columns, then per group (a plan) its columns
    under the group's name; the body starts at row 4."""
    ws = workbook.create_sheet(name)
    width = len(fixed) + len(groups) * len(sub)
    write_title(ws, title, width=width)
    for column, (text, _) in enumerate(fixed, start=1):
        _header_cell(ws, HEADER_ROW, column, text)
        _header_cell(ws, HEADER_ROW + 1, column, "")
        ws.merge_cells(start_row=HEADER_ROW, start_column=column, end_row=HEADER_ROW + 1, end_column=column)
    for index, group in enumerate(groups):
        first = len(fixed) + index * len(sub) + 1
        for offset, (text, _) in enumerate(sub):
            _header_cell(ws, HEADER_ROW, first + offset, group if offset == 0 else "")
            _header_cell(ws, HEADER_ROW + 1, first + offset, text)
        ws.merge_cells(start_row=HEADER_ROW, start_column=first, end_row=HEADER_ROW, end_column=first + len(sub) - 1)
    widths = [w for _, w in fixed] + [w for _, w in sub] * len(groups)
    _layout(ws, widths, header_rows=2, frozen_columns=len(fixed))
    return ws


def _layout(ws: Worksheet, widths: Sequence[int], *, header_rows: int, frozen_columns: int = 1) -> None:
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = ws.cell(row=HEADER_ROW + header_rows, column=frozen_columns + 1)
    print_setup(ws, HEADER_ROW, fit_width=len(widths) <= 12)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + header_rows - 1}"


def _names(comparison: Comparison) -> list[str]:
    return [report.plan_label(plan, column) for column, plan in enumerate(comparison.plans)]


# ---------------------------------------------------------------- the sheets


def coverage_sheet(workbook: Workbook, comparison: Comparison) -> None:
    names = _names(comparison)
    ws = _sheet(workbook, report.COVERAGE, "各计划按主题的任务数（“缺”：参照计划有该主题的任务，本计划没有）",
                ["主题", *names], [14, *[16] * len(names)])
    row = HEADER_ROW + 1
    for line in report.coverage_rows(comparison):
        put(ws, row, 1, line.theme)
        for column, (count, lacking) in enumerate(zip(line.counts, line.lacking, strict=True), start=2):
            put(ws, row, column, report.LACK if lacking else count, LACK_FILL if lacking else None)
        row += 1
    put(ws, row, 1, "任务总数")
    for column, plan in enumerate(comparison.plans, start=2):
        put(ws, row, column, len(plan.items))


def alignment_sheet(workbook: Workbook, comparison: Comparison) -> None:
    ws = _grouped_sheet(workbook, report.ALIGNMENT,
                        f"参照计划（{comparison.reference.name}）各项任务在其他计划中的对应任务",
                        [("编号", 8), ("参照任务", 30), ("主题", 12)], _names(comparison)[1:],
                        [("编号", 8), ("对应任务", 30), ("相似度", 8), ("共同词", 20)])
    for row, line in enumerate(report.aligned_rows(comparison), start=HEADER_ROW + 2):
        put(ws, row, 1, line.item.number)
        put(ws, row, 2, line.item.title)
        put(ws, row, 3, line.theme)
        for index, partner in enumerate(line.partners):
            first = 4 + index * 4
            if partner.item is None:
                for offset in range(4):
                    put(ws, row, first + offset, None)  # no partner: blank
                continue
            put(ws, row, first, partner.item.number)
            put(ws, row, first + 1, partner.item.title)
            put(ws, row, first + 2, partner.score)
            put(ws, row, first + 3, report.joined(partner.shared))


def lacks_sheet(workbook: Workbook, comparison: Comparison) -> None:
    ws = _sheet(workbook, report.LACKS, f"各计划相对参照计划（{comparison.reference.name}）的缺项",
                ["计划", "缺项", "编号", "内容"], [30, 18, 10, 50])
    row = HEADER_ROW + 1
    for lacks in report.lacks(comparison):
        lines: list[tuple[str, str, str]] = [("缺少的主题", "", theme) for theme in lacks.themes]
        lines += [("参照任务无对应", item.number, item.title) for item in lacks.missing]
        lines += [("本计划独有的任务", item.number, item.title) for item in lacks.own]
        for kind, number, text in lines or [("无缺项", "", "")]:
            put(ws, row, 1, lacks.plan.name)
            put(ws, row, 2, kind, LACK_FILL if kind != "本计划独有的任务" and kind != "无缺项" else None)
            put(ws, row, 3, number)
            put(ws, row, 4, text)
            row += 1


def metrics_sheet(workbook: Workbook, comparison: Comparison) -> None:
    ws = _grouped_sheet(workbook, report.METRICS, "同一指标在各计划中的量化目标（换算值：换算为单位列的基本单位）",
                        [("指标", 30), ("方向", 8), ("单位", 8)], _names(comparison),
                        [("目标", 16), ("换算值", 12)])
    for row, line in enumerate(report.metric_lines(comparison), start=HEADER_ROW + 2):
        put(ws, row, 1, line.metric)
        put(ws, row, 2, line.direction)
        put(ws, row, 3, line.unit)
        for column, goal in enumerate(line.goals):
            put(ws, row, 4 + 2 * column, line.shown(column) if goal else None)
            put(ws, row, 5 + 2 * column, report.normalised_value(goal))


CHANGE_FILLS = {"added": GAIN_FILL, "raised": GAIN_FILL, "dropped": LACK_FILL, "lowered": LACK_FILL}


def changes_sheet(workbook: Workbook, comparison: Comparison) -> None:
    older, newer = report.older_newer(comparison)
    ws = _sheet(workbook, report.CHANGES, f"{newer.name}相对{older.name}的目标变化",
                ["指标", "变化", f"{older.name}（{report.year_text(older)}）", f"{newer.name}（{report.year_text(newer)}）"],
                [30, 8, 20, 20])
    for row, change in enumerate(report.ordered_changes(comparison), start=HEADER_ROW + 1):
        put(ws, row, 1, change.metric)
        put(ws, row, 2, report.CHANGE_NAMES.get(change.kind, change.kind), CHANGE_FILLS.get(change.kind))
        put(ws, row, 3, report.goal_text(change.before) if change.before else None)
        put(ws, row, 4, report.goal_text(change.after) if change.after else None)


def path_sheet(workbook: Workbook, comparison: Comparison) -> None:
    year = comparison.path[0].year
    ws = _sheet(workbook, report.PATH, f"五年规划指标在{year}年的进度：从基期值到目标值按直线推进应达到的水平，与年度计划自身的目标",
                ["五年规划指标", "单位", "基期值", "基期年", "目标值", "目标年", f"{year}年应达到", "年度计划目标",
                 "落后于路径？"], [30, 8, 10, 8, 10, 8, 12, 20, 10])
    for row, check in enumerate(comparison.path, start=HEADER_ROW + 1):
        behind = report.behind_text(check)
        values: list[Value] = [check.metric, report.path_unit(comparison, check), check.baseline, check.baseline_year,
                               check.target, check.target_year, check.expected,
                               report.goal_text(check.annual) if check.annual else None, behind]
        for column, value in enumerate(values, start=1):
            put(ws, row, column, value, LACK_FILL if column == len(values) and behind == "是" else None)


def plans_sheet(workbook: Workbook, comparison: Comparison) -> None:
    ws = _sheet(workbook, "对比计划", "参与对比的计划（第一个为参照）", report.PLAN_COLUMNS, [40, 14, 12, 8, 10])
    for row, plan in enumerate(comparison.plans, start=HEADER_ROW + 1):
        for column, value in enumerate(report.plan_facts(plan, row - HEADER_ROW - 1), start=1):
            put(ws, row, column, value)


def build_comparison_workbook(comparison: Comparison) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    coverage_sheet(workbook, comparison)
    alignment_sheet(workbook, comparison)
    lacks_sheet(workbook, comparison)
    metrics_sheet(workbook, comparison)
    if comparison.changes:
        changes_sheet(workbook, comparison)
    if comparison.path:
        path_sheet(workbook, comparison)
    plans_sheet(workbook, comparison)
    return workbook


def write_comparison_xlsx(comparison: Comparison, path_or_buffer: str | PathLike[str] | IO[bytes]) -> None:
    """Write the comparison workbook to a path or a binary file object."""
    build_comparison_workbook(comparison).save(path_or_buffer)
