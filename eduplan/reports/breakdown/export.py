"""Write a plan's 任务分解表 (task breakdown table) as an xlsx workbook people edit and send back.

Layout (one sheet per plan, laid out by ``eduplan.plan.render_xlsx``'s helpers):

- row 1 the title, row 2 the header (repeated on every printed page), then per section a
  band row and one row per task; a task split by measure gets one more row per measure-level
  assignment right under it (序号 "5-2", 重点任务 repeated in grey, 具体措施 the measure).
- columns 序号 · 重点任务 · 具体措施/工作内容 · 量化目标 · 牵头单位 · 配合单位 · 责任人 ·
  完成时限 · 备注, then 任务编号: the row's key, ``T<task id>`` or ``T<task id>-M<measure id>``.
  The key column is grey, outside the print area and is what the import matches rows by, so
  people may re-sort rows, insert rows and edit every other cell.
- drop-downs: 牵头单位 and 责任人 from ranges on a hidden "单位" sheet (an inline list is capped
  at 255 characters by Excel), 完成时限 a date within the plan's years; real Excel dates.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from django.db.models import Prefetch, QuerySet
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from eduplan.errors import EduplanError, Errors
from eduplan.orgs.models import OrgUnit
from eduplan.plan.render_markdown import printed_label
from eduplan.plan.render_xlsx import (
    BOLD_FONT,
    FIRST_BODY_ROW,
    FONT_NAME,
    HEADER_ROW,
    SECTION_FILL,
    WRAP_TOP,
    WRAP_TOP_CENTER,
    cell_text,
    keep_as_text,
    merge_band,
    print_setup,
    put_cell,
    sheet_names,
    write_header,
    write_title,
)
from eduplan.tracking import clock
from eduplan.tracking.assigning import assignable_units, default_period, possible_owners
from eduplan.tracking.models import Assignment, Measure, Plan, Section, Target, Task

Progress = Callable[[int, int], None]

# ---------------------------------------------------------------- the columns

SEQ, TITLE, MEASURES, TARGETS, LEAD, PARTNERS, OWNER, DEADLINE, NOTE, KEY = range(1, 11)
COLUMNS = ("序号", "重点任务", "具体措施/工作内容", "量化目标", "牵头单位", "配合单位", "责任人", "完成时限",
           "备注", "任务编号（请勿修改）")
# Excel character units; a Chinese character takes about two at 11pt. The printed part
# (A:I) is 160 units, which fits A4 landscape at about 80%.
WIDTHS = (7, 20, 46, 24, 14, 16, 12, 12, 9, 11)
PRINTED = NOTE  # the key column is for the importer, not for paper
MAX_ROW = 1048576  # the last row of a sheet in Excel and LibreOffice
PARTNER_SEPARATOR = "、"
DATE_FORMAT = "yyyy-mm-dd"
LISTS_SHEET = "单位"  # hidden: the drop-down lists
UNITS_NAME, OWNERS_NAME = "eduplan_units", "eduplan_owners"
SPARE_ROWS = 200  # drop-downs also cover this many empty rows, for rows added at the end
GREY_FONT = Font(name=FONT_NAME, size=11, color="808080")
KEY_FONT = Font(name=FONT_NAME, size=9, color="808080")
KEY_ALIGNMENT = Alignment(vertical="top", horizontal="center")
LINE_HEIGHT = 14.25  # points per line of 11pt 宋体, Excel's own row height for it
MAX_ROW_HEIGHT = 409  # Excel's limit


def task_key(task_id: int, measure_id: int | None = None) -> str:
    """The stable key of a breakdown row: "T12" for a task, "T12-M45" for one of its measures."""
    return f"T{task_id}" if measure_id is None else f"T{task_id}-M{measure_id}"


def person_label(user) -> str:
    """How a person is written in the 责任人 column: "张三（zhangsan）", or the username alone."""
    name = user.get_full_name().strip()
    username = user.get_username()
    return f"{name}（{username}）" if name and name != username else username


def breakdown_filename(plan: Plan) -> str:
    return f"{plan.title}任务分解表.xlsx"


# ---------------------------------------------------------------- what goes in

def unit_choices(bureau: OrgUnit) -> list[OrgUnit]:
    """The units a task can go to, as the assignment form offers them."""
    return list(assignable_units(bureau))


def owner_choices(bureau: OrgUnit) -> list:
    """Everyone who can own a task, as the assignment form offers them."""
    return list(possible_owners(bureau))


@dataclass
class _Row:
    kind: str  # "section", "task", "measure"
    section: Section | None = None
    task: Task | None = None
    measure: Measure | None = None
    assignment: Assignment | None = None
    seq: str = ""


def _load_tasks(plan: Plan, tasks: Iterable[Task] | QuerySet[Task] | None) -> list[Task]:
    if tasks is None:
        chosen = Task.objects.filter(plan=plan)
    elif isinstance(tasks, QuerySet):
        chosen = tasks.filter(plan=plan)
    else:
        chosen = Task.objects.filter(plan=plan, pk__in=[t.pk for t in tasks])
    assignments = (Assignment.objects.select_related("lead_unit", "owner", "measure")
                   .prefetch_related("partner_units").order_by("id"))
    return list(chosen.filter(removed_in_version__isnull=True).order_by("order", "id").select_related("section")
                .prefetch_related(
                    Prefetch("measures", Measure.objects.filter(removed_in_version__isnull=True), "current_measures"),
                    Prefetch("targets", Target.objects.filter(removed_in_version__isnull=True), "current_targets"),
                    Prefetch("assignments", assignments, "all_assignments")))


def _short_number(task: Task) -> str:
    """The 序号 cell: the task's number below its section, "5" or "20(1)"."""
    parts = task.number.split("/") if task.number else [task.label]
    if task.section_id is not None and len(parts) > 1:
        parts = parts[1:]
    return "".join(parts) or task.label


def breakdown_rows(plan: Plan, tasks: list[Task]) -> list[_Row]:
    """Section bands (only those with tasks), task rows, measure rows, in plan order."""
    by_section: dict[int | None, list[Task]] = {}
    for task in tasks:
        by_section.setdefault(task.section_id, []).append(task)
    rows: list[_Row] = []
    sections = [(None, by_section.get(None, []))] + [(s, by_section.get(s.pk, [])) for s in plan.sections.all()]
    for section, section_tasks in sections:
        if not section_tasks:
            continue
        if section is not None:
            rows.append(_Row("section", section=section))
        for task in section_tasks:
            whole = next((a for a in task.all_assignments if a.measure_id is None), None)
            seq = _short_number(task)
            rows.append(_Row("task", section, task, assignment=whole, seq=seq))
            measures = {m.pk: index for index, m in enumerate(task.current_measures, start=1)}
            split = [a for a in task.all_assignments if a.measure_id in measures]
            for assignment in sorted(split, key=lambda a: measures[a.measure_id]):
                rows.append(_Row("measure", section, task, assignment.measure, assignment,
                                 seq=f"{seq}-{measures[assignment.measure_id]}"))
    return rows


# ---------------------------------------------------------------- writing

def text_units(text: str) -> float:
    """Width of ``text`` in Excel character units: a Chinese character takes about two."""
    return sum(2.1 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in text)


def fitted_height(cells: Sequence[tuple[str, float]]) -> float | None:
    """A row height (points) that shows every (text, column width) cell wrapped in full.

    Neither Excel nor LibreOffice reliably grows a wrapped row of a generated file when it
    opens it, so the height is set from an estimate; None when one line is enough.
    """
    lines = 1
    for text, width in cells:
        usable = max(width - 1, 1)
        lines = max(lines, sum(max(1, math.ceil(text_units(part) / usable)) for part in text.split("\n")))
    return None if lines == 1 else min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 4)


def _assignment_cells(ws: Worksheet, number: int, assignment: Assignment | None) -> None:
    lead = partners = owner = note = ""
    deadline: date | None = None
    if assignment is not None:
        lead = assignment.lead_unit.name
        partners = PARTNER_SEPARATOR.join(u.name for u in sorted(assignment.partner_units.all(),
                                                                 key=lambda u: u.path))
        owner = person_label(assignment.owner) if assignment.owner else ""
        deadline = assignment.deadline
        if assignment.closed_at:
            note = f"已办结（{clock.local_date(assignment.closed_at).isoformat()}）"
    put_cell(ws, number, LEAD, lead)
    put_cell(ws, number, PARTNERS, partners)
    put_cell(ws, number, OWNER, owner)
    cell = put_cell(ws, number, DEADLINE, "")
    if deadline is not None:
        cell.value = deadline
        cell.number_format = DATE_FORMAT
    cell.alignment = WRAP_TOP_CENTER
    put_cell(ws, number, NOTE, note)


def _key_cell(ws: Worksheet, number: int, key: str) -> None:
    cell = put_cell(ws, number, KEY, key)
    cell.font, cell.alignment = KEY_FONT, KEY_ALIGNMENT


def _write_row(ws: Worksheet, number: int, row: _Row) -> None:
    if row.kind == "section":
        assert row.section is not None
        text = printed_label(row.section.label) + row.section.title
        merge_band(ws, number, text, BOLD_FONT, WRAP_TOP, fill=SECTION_FILL, width=PRINTED)
        _key_cell(ws, number, "")
        height = fitted_height([(text, sum(WIDTHS[:PRINTED]))])
        if height is not None:
            ws.row_dimensions[number].height = height
        return
    task = row.task
    assert task is not None
    put_cell(ws, number, SEQ, row.seq).alignment = WRAP_TOP_CENTER
    title = put_cell(ws, number, TITLE, task.title)
    if row.kind == "task":
        put_cell(ws, number, MEASURES, "\n".join(m.text for m in task.current_measures))
        put_cell(ws, number, TARGETS, "\n".join(t.quote for t in task.current_targets))
        key = task_key(task.pk)
    else:
        assert row.measure is not None
        title.font = GREY_FONT  # the task's title again: this row is one of its measures
        put_cell(ws, number, MEASURES, row.measure.text)
        put_cell(ws, number, TARGETS, "")
        key = task_key(task.pk, row.measure.pk)
    _assignment_cells(ws, number, row.assignment)
    _key_cell(ws, number, key)
    _fit_row(ws, number)


def _fit_row(ws: Worksheet, number: int) -> None:
    cells = [(str(ws.cell(row=number, column=index).value or ""), WIDTHS[index - 1])
             for index in (SEQ, TITLE, MEASURES, TARGETS, LEAD, PARTNERS, OWNER, NOTE)]
    height = fitted_height(cells)
    if height is not None:
        ws.row_dimensions[number].height = height


def _write_lists(workbook: Workbook, units: list[OrgUnit], owners: list) -> tuple[bool, bool]:
    """The hidden sheet behind the drop-downs; returns whether each list has entries."""
    ws = workbook.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    ws["A1"], ws["B1"] = "单位", "责任人"
    # Names are what people typed in the admin: "=HYPERLINK(…)" is a unit's name, not a formula.
    for row, unit in enumerate(units, start=2):
        keep_as_text(ws.cell(row=row, column=1, value=cell_text(unit.name)))
    for row, user in enumerate(owners, start=2):
        keep_as_text(ws.cell(row=row, column=2, value=cell_text(person_label(user))))
    sheet = quote_sheetname(LISTS_SHEET)
    if units:
        workbook.defined_names.add(DefinedName(UNITS_NAME, attr_text=f"{sheet}!$A$2:$A${len(units) + 1}"))
    if owners:
        workbook.defined_names.add(DefinedName(OWNERS_NAME, attr_text=f"{sheet}!$B$2:$B${len(owners) + 1}"))
    ws.column_dimensions["A"].width = ws.column_dimensions["B"].width = 30
    return bool(units), bool(owners)


def _validations(ws: Worksheet, plan: Plan, last_row: int, *, units: bool, owners: bool, today: date) -> None:
    def column(index: int) -> str:
        letter = get_column_letter(index)
        return f"{letter}{FIRST_BODY_ROW}:{letter}{last_row + SPARE_ROWS}"

    first, last = default_period(plan, today)
    checks = []
    if units:
        checks.append((LEAD, DataValidation(
            type="list", formula1=UNITS_NAME, allow_blank=True, errorStyle="stop", errorTitle="未知的单位",
            error="请从下拉列表中选择本局的单位", promptTitle="牵头单位", prompt="从下拉列表中选择一个单位")))
    checks.append((PARTNERS, DataValidation(
        allow_blank=True, promptTitle="配合单位", prompt="可填多个单位，用顿号“、”分隔；单位名称须与牵头单位列表中的一致")))
    if owners:
        checks.append((OWNER, DataValidation(
            type="list", formula1=OWNERS_NAME, allow_blank=True, errorStyle="stop", errorTitle="未知的责任人",
            error="请从下拉列表中选择责任人", promptTitle="责任人", prompt="可留空；须是牵头单位或配合单位的人员")))
    checks.append((DEADLINE, DataValidation(
        type="date", operator="between", formula1=f"DATE({first.year},{first.month},{first.day})",
        formula2=f"DATE({last.year},{last.month},{last.day})", allow_blank=True, errorStyle="stop",
        errorTitle="日期不对", error=f"请填写 {first} 至 {last} 之间的日期，例如 {last}",
        promptTitle="完成时限", prompt=f"日期，如 {last}；须在 {first} 至 {last} 之间")))
    for index, check in checks:
        check.showErrorMessage = check.type is not None
        check.showInputMessage = True
        ws.add_data_validation(check)
        check.add(column(index))


def _layout(ws: Worksheet, plan: Plan, last_row: int, today: date) -> None:
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = ws.cell(row=FIRST_BODY_ROW, column=1)
    print_setup(ws, HEADER_ROW)
    # Columns A:I to the sheet's last row, so rows people add at the end print too; the key
    # column does not. Written as a cell range: openpyxl cannot read back a whole-column area
    # ("$A:$I") and warns on every file it opens.
    ws.print_area = f"A1:{get_column_letter(PRINTED)}{MAX_ROW}"
    ws.oddHeader.right.text = f"第 {plan.version} 版　导出于 {today.isoformat()}"
    ws.oddHeader.right.size = 9
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(KEY)}{max(last_row, HEADER_ROW)}"


def build_breakdown(plan: Plan, *, tasks: Iterable[Task] | QuerySet[Task] | None = None,
                    progress: Progress | None = None, today: date | None = None,
                    with_people: bool = True) -> Workbook:
    """The workbook of ``plan``'s breakdown table, with ``tasks`` (default: all current tasks).

    ``with_people``: list the bureau's people for the 责任人 drop-down — only for those who
    assign, since the list names everyone in the bureau.
    """
    today = today or clock.today()
    chosen = _load_tasks(plan, tasks)
    total = len(chosen)
    step = max(1, total // 50)
    if progress:
        progress(0, total)
    workbook = Workbook()
    ws = workbook.active
    name = sheet_names([plan])[0]  # only .title is read, which the stored plan has too
    ws.title = "任务分解表" if name == LISTS_SHEET else name
    write_title(ws, f"{plan.title}任务分解表", width=PRINTED)
    write_header(ws, COLUMNS)
    ws.row_dimensions[HEADER_ROW].height = 30  # the key's header wraps onto two lines
    header_key = ws.cell(row=HEADER_ROW, column=KEY)
    header_key.font = Font(name=FONT_NAME, size=9, bold=True, color="808080")
    number = HEADER_ROW
    done = 0
    for number, row in enumerate(breakdown_rows(plan, chosen), start=FIRST_BODY_ROW):
        _write_row(ws, number, row)
        if row.kind == "task":
            done += 1
            if progress and (done % step == 0 or done == total):
                progress(done, total)
    people = owner_choices(plan.bureau) if with_people else []
    units, owners = _write_lists(workbook, unit_choices(plan.bureau), people)
    _validations(ws, plan, number, units=units, owners=owners, today=today)
    _layout(ws, plan, number, today)
    return workbook


def write_breakdown(plan: Plan, target: str | Path | BinaryIO, *, tasks: Iterable[Task] | QuerySet[Task] | None = None,
                    progress: Progress | None = None, with_people: bool = True) -> None:
    """Write ``plan``'s 任务分解表 to ``target`` (a path or a binary stream).

    ``tasks`` limits the rows (the web page passes the tasks the user may see);
    ``progress(done, total)`` is called as task rows are written, last with ``(total, total)``.
    """
    workbook = build_breakdown(plan, tasks=tasks, progress=progress, with_people=with_people)
    try:
        workbook.save(target)
    except OSError as exc:
        raise EduplanError(Errors.E301, path=target, reason=exc.strerror or exc) from exc
