"""Write a 任务分解表 (task breakdown table) skeleton: one worksheet per plan.

Each plan's sections become merged band rows and each task (innermost numbered heading)
one row with its measures and quantified targets; the 牵头单位/配合单位/完成时限/备注
columns stay empty for the bureau's staff to fill in. The sheet is laid out to print on
A4 landscape, one page wide, with the column header on every page.

``task_rows`` holds the choice of rows and is independent of openpyxl, so the web app can
show the same breakdown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from eduplan.errors import EduplanError, Errors
from eduplan.plan.model import Blank, Measure, ParsedSource, Plan, Target
from eduplan.plan.render_markdown import heading_paths, printed_label

# ---------------------------------------------------------------- choosing the rows

RowKind = Literal["section", "group", "task", "intro"]


@dataclass
class TaskRow:
    """One row of the breakdown.

    kind: "section" a level-1 heading shown as a band (holds no content itself);
    "group" a numbered heading with sub-items, e.g. "(一)" above "1." "2.";
    "task" an innermost numbered heading; "intro" content under a section (or before
    any heading) that sits outside every task, shown without label or title.
    """

    kind: RowKind
    label: str  # normalised, as in Heading.label; "" for intro rows
    title: str
    path: list[str]  # label path, comparable with Measure.under
    start: int  # offset in the source, to order and to place content
    measures: list[Measure] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    blanks: list[Blank] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.measures or self.targets or self.blanks)


def task_rows(plan: Plan) -> list[TaskRow]:
    """The rows of the plan's 任务分解表, in document order, with content attached.

    Level-1 headings are sections whenever the plan has anything below them; a plan that
    has only sections (一、二、…) gets one task row per section instead, so the table is
    never empty. Measures, targets and blanks go to the row whose path is the longest
    prefix of their ``under``.
    """
    rows = _outline_rows(plan)
    _attach_content(rows, plan)
    # Intro rows were placeholders for content that might sit outside the tasks.
    return [row for row in rows if row.kind != "intro" or not row.is_empty]


def _outline_rows(plan: Plan) -> list[TaskRow]:
    headings = plan.headings
    paths = heading_paths(headings)
    has_children = [
        i + 1 < len(paths) and len(paths[i + 1]) > len(paths[i]) for i in range(len(paths))
    ]
    only_sections = all(h.level == 1 for h in headings)
    rows = [TaskRow("intro", "", "", [], plan.start)]  # for content before the first heading
    for heading, path, parent in zip(headings, paths, has_children, strict=True):
        if heading.level == 1 and not only_sections:
            rows.append(TaskRow("section", heading.label, heading.title, path, heading.start))
            rows.append(TaskRow("intro", "", "", path, heading.start))
        else:
            kind: RowKind = "group" if parent else "task"
            rows.append(TaskRow(kind, heading.label, heading.title, path, heading.start))
    return rows


def _attach_content(rows: list[TaskRow], plan: Plan) -> None:
    holders: dict[tuple[str, ...], list[TaskRow]] = {}
    for row in rows:
        if row.kind != "section":  # a section's content goes to the intro row after it
            holders.setdefault(tuple(row.path), []).append(row)
    for measure in plan.measures:
        _holder(holders, measure.under, measure.start).measures.append(measure)
    for target in plan.targets:
        _holder(holders, target.under, target.start).targets.append(target)
    for blank in plan.blanks:
        _holder(holders, blank.under, blank.start).blanks.append(blank)


def _holder(holders: dict[tuple[str, ...], list[TaskRow]], under: Sequence[str], start: int) -> TaskRow:
    """The row for content under ``under``: the longest matching path, then by position.

    Damaged documents can repeat a label ("3." twice under one section); among rows with
    the same path the content belongs to the last one that starts before it.
    """
    for length in range(len(under), -1, -1):
        candidates = holders.get(tuple(under[:length]))
        if candidates:
            before = [row for row in candidates if row.start <= start]
            return before[-1] if before else candidates[0]
    raise AssertionError("the root intro row always matches")  # pragma: no cover


# ---------------------------------------------------------------- sheet names

SHEET_NAME_MAX = 31
_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_RESERVED_SHEET_NAMES = {"history"}  # Excel keeps "History" for change tracking


def sheet_names(plans: Sequence[Plan]) -> list[str]:
    """Valid, unique (case-insensitively, as Excel compares) sheet names, one per plan."""
    taken = set(_RESERVED_SHEET_NAMES)
    names = []
    for number, plan in enumerate(plans, start=1):
        name = _unique(_clean_sheet_name(plan.title, number), taken)
        taken.add(name.casefold())
        names.append(name)
    return names


def _clean_sheet_name(title: str | None, number: int) -> str:
    name = _FORBIDDEN_IN_SHEET_NAME.sub("_", " ".join((title or "").split()))
    name = name.strip("'")  # Excel rejects a name that starts or ends with an apostrophe
    name = _truncate(name, SHEET_NAME_MAX).strip("' ")
    return name or f"计划{number}"


def _unique(name: str, taken: set[str]) -> str:
    candidate, counter = name, 1
    while candidate.casefold() in taken:
        counter += 1
        suffix = f"({counter})"
        candidate = _truncate(name, SHEET_NAME_MAX - len(suffix)).rstrip("' ") + suffix
    return candidate


def _truncate(text: str, limit: int) -> str:
    # Excel counts UTF-16 code units, so a character outside the BMP counts twice.
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return text[:index]
    return text


# ---------------------------------------------------------------- layout

COLUMNS = ("序号", "重点任务", "具体措施", "量化目标", "牵头单位", "配合单位", "完成时限", "备注")
# Widths in Excel character units; a Chinese character takes about two of them at 11pt.
COLUMN_WIDTHS = (6, 22, 60, 30, 14, 18, 12, 10)
TITLE_ROW, HEADER_ROW, FIRST_BODY_ROW = 1, 2, 3
CELL_TEXT_MAX = 32767  # Excel's limit for one cell
TRUNCATED_MARK = "……（内容过长，已截断）"

FONT_NAME = "宋体"
TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True)
HEADER_FONT = Font(name=FONT_NAME, size=11, bold=True)
BODY_FONT = Font(name=FONT_NAME, size=11)
BOLD_FONT = Font(name=FONT_NAME, size=11, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
SECTION_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
WRAP_TOP_CENTER = Alignment(wrap_text=True, vertical="top", horizontal="center")
CENTERED = Alignment(wrap_text=True, vertical="center", horizontal="center")


def sheet_title(plan: Plan | None) -> str:
    return f"{plan.title if plan and plan.title else ''}任务分解表"


def row_cells(row: TaskRow) -> list[str]:
    """The eight cell texts of a non-section row; the staff columns stay empty."""
    measures = "\n".join(m.text for m in row.measures)
    targets = "\n".join(t.quote for t in row.targets)
    return [row.label, row.title, measures, targets, "", "", "", ""]


def cell_text(text: str) -> str:
    # Control characters from PDFs make openpyxl refuse the value; overlong text makes
    # Excel call the file corrupt.
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > CELL_TEXT_MAX:
        text = text[: CELL_TEXT_MAX - len(TRUNCATED_MARK)] + TRUNCATED_MARK
    return text


# What a spreadsheet may take for the start of a formula when the cell is typed, pasted or
# exported to CSV: text starting so is kept as text (formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def keep_as_text(cell: Cell) -> Cell:
    """A text cell stays text: a string (openpyxl would store "=…" as a formula) marked with
    Excel's quote prefix (the hidden "'"), so editing it keeps it text too. The value itself is
    unchanged, so it reads back exactly as written."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def put_cell(ws: Worksheet, row: int, column: int, text: str) -> Cell:
    """``text`` as a bordered, wrapped body cell: document text, never a formula."""
    cell = keep_as_text(ws.cell(row=row, column=column, value=cell_text(text) or None))
    cell.font = BODY_FONT
    cell.alignment = WRAP_TOP
    cell.border = BORDER
    return cell


def merge_band(ws: Worksheet, row: int, text: str, font: Font, alignment: Alignment,
               fill: PatternFill | None = None, border: bool = True, width: int = len(COLUMNS)) -> None:
    """``text`` in one row merged across the first ``width`` columns."""
    for column in range(1, width + 1):
        cell = put_cell(ws, row, column, text if column == 1 else "")
        cell.font, cell.alignment = font, alignment
        if fill is not None:
            cell.fill = fill
        if not border:
            cell.border = Border()
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def write_title(ws: Worksheet, title: str, width: int = len(COLUMNS)) -> None:
    merge_band(ws, TITLE_ROW, title, TITLE_FONT, CENTERED, border=False, width=width)
    # Excel does not grow merged rows to fit, so give the large title room.
    ws.row_dimensions[TITLE_ROW].height = 36


def write_header(ws: Worksheet, columns: Sequence[str] = COLUMNS) -> None:
    for column, name in enumerate(columns, start=1):
        cell = put_cell(ws, HEADER_ROW, column, name)
        cell.font, cell.alignment, cell.fill = HEADER_FONT, CENTERED, HEADER_FILL
    ws.row_dimensions[HEADER_ROW].height = 24


def _write_row(ws: Worksheet, number: int, row: TaskRow) -> None:
    if row.kind == "section":
        text = printed_label(row.label) + row.title
        merge_band(ws, number, text, BOLD_FONT, WRAP_TOP, fill=SECTION_FILL)
        return
    for column, text in enumerate(row_cells(row), start=1):
        cell = put_cell(ws, number, column, text)
        if column == 1:
            cell.alignment = WRAP_TOP_CENTER
        if row.kind == "group" and column <= 2:
            cell.font = BOLD_FONT
    # No explicit height: Excel sizes rows with wrapped text itself when it opens the file.


def _set_layout(ws: Worksheet) -> None:
    for column, width in enumerate(COLUMN_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = ws.cell(row=FIRST_BODY_ROW, column=1)
    print_setup(ws, HEADER_ROW)


def print_setup(ws: Worksheet, header_row: int, *, fit_width: bool = True) -> None:
    """A4 landscape, one page wide (unless ``fit_width`` is False), ``header_row`` on every
    page, a page-number footer; shared by the breakdown table and the 工作台账."""
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4  # the class's: write-only sheets lack the names
    ws.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    if fit_width:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3  # keep the page-number footer off the table
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def fill_sheet(ws: Worksheet, plan: Plan | None) -> None:
    """Lay one plan's breakdown out on ``ws``; ``None`` gives an empty skeleton."""
    write_title(ws, sheet_title(plan))
    write_header(ws)
    rows = task_rows(plan) if plan is not None else []
    for number, row in enumerate(rows, start=FIRST_BODY_ROW):
        _write_row(ws, number, row)
    _set_layout(ws)


def build_workbook(parsed: ParsedSource) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    if not parsed.plans:
        # A workbook needs a sheet; an empty skeleton is still useful to fill by hand.
        fill_sheet(workbook.create_sheet("任务分解表"), None)
        return workbook
    for plan, name in zip(parsed.plans, sheet_names(parsed.plans), strict=True):
        fill_sheet(workbook.create_sheet(name), plan)
    return workbook


def write_task_table(parsed: ParsedSource, path: Path) -> None:
    """Write the 任务分解表 workbook for every plan in ``parsed`` to ``path``."""
    workbook = build_workbook(parsed)
    try:
        workbook.save(path)
    except OSError as exc:
        raise EduplanError(Errors.E301, path=path, reason=exc.strerror or exc) from exc

