"""A data set as a spreadsheet: one xlsx template for many units at once, and its import.

``template(data_set, unit, period)`` writes one sheet:

- row 1 the data set's name, row 2 the period and the unit the template covers;
- row 3, hidden: the data set's code, the period key, then each element's code over its
  column (the import finds its columns by these codes, so columns may be moved);
- row 4 the header: 单位编号 · 单位名称 · one column per element ("名称（单位）") · 报送状态;
- then one row per unit expected to report (``collecting.expected_units``), its figures
  prefilled with the values stored. The 单位编号 column is narrow, grey and locked (the sheet
  is protected without a password; only the figure cells of forms still open are unlocked):
  the import matches rows by it.

``read_template(file, data_set, unit, period, user)`` checks every row and cell first (the
unit ids, the user's right to enter each unit's form, every figure through
``collecting.check_form``), collecting each problem with its cell ("D7：…"); with any
problem it raises ``TemplateRefused`` and writes nothing. Otherwise every filled row is
submitted (``collecting.submit``, source "xlsx") in one transaction. Rows left blank are
schools that have not filled in yet, not errors.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from eduplan.errors import EduplanError, Errors
from eduplan.orgs.access import Refused, scope_for
from eduplan.orgs.models import OrgUnit
from eduplan.periods import Period
from eduplan.plan.render_xlsx import (
    BORDER,
    CENTERED,
    FONT_NAME,
    HEADER_FILL,
    HEADER_FONT,
    TITLE_FONT,
    merge_band,
    print_setup,
    put_cell,
)
from eduplan.plan.safezip import open_workbook
from eduplan.tracking import clock

from . import collecting
from .access import check_may_enter
from .models import DataElement, DataSet, DataValue, Submission

Progress = Callable[[int, int], None]

# ---------------------------------------------------------------- the layout

TITLE_ROW, INFO_ROW, CODE_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3, 4, 5
ID_COLUMN, NAME_COLUMN, FIRST_ELEMENT_COLUMN = 1, 2, 3
ID_HEADER, NAME_HEADER, STATE_HEADER = "单位编号", "单位名称", "报送状态"
ID_WIDTH, NAME_WIDTH, ELEMENT_WIDTH, STATE_WIDTH = 7, 30, 14, 10
CODE_SEARCH_ROWS = 10  # the code row is looked for this far down, in case rows were inserted above
MAX_ROWS = 10_000  # data rows: a city's schools fit many times over
MAX_COLUMNS = 200  # read no further right: a data set has tens of elements
GREY_FONT = Font(name=FONT_NAME, size=9, color="808080")
NUMBER_FONT = Font(name=FONT_NAME, size=11)
LOCKED_FONT = Font(name=FONT_NAME, size=11, color="808080")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
RIGHT = Alignment(horizontal="right", vertical="center")
LOCKED_STATES = (Submission.State.SUBMITTED, Submission.State.ACCEPTED)
XLSX_SOURCE = "xlsx"


def template_filename(data_set: DataSet, unit: OrgUnit, period: str) -> str:
    return f"{data_set.name}_{period}_{unit.name}.xlsx".replace("/", "_")


def header_text(element: DataElement) -> str:
    return f"{element.name}（{element.unit_label}）" if element.unit_label else element.name


# ---------------------------------------------------------------- writing the template

def template(data_set: DataSet, unit: OrgUnit, period: str) -> bytes:
    """The xlsx template of ``data_set`` for ``period``: one row per unit within ``unit``
    expected to report it, with the figures already stored."""
    period = collecting.check_period_for(data_set, period, clock.today())
    elements = list(data_set.elements.order_by("id"))
    units = collecting.expected_units(data_set, unit, period)
    workbook = Workbook()
    ws = workbook.active
    ws.title = "填报表"
    _write_heading(ws, data_set, unit, period, elements)
    stored = _stored_values(elements, units, period)
    states = _states(data_set, units, period)
    for number, row_unit in enumerate(units, start=FIRST_ROW):
        _write_unit_row(ws, number, row_unit, elements, stored, states.get(row_unit.pk))
    _validations(ws, elements, FIRST_ROW + max(len(units), 1) - 1)
    _layout(ws, len(elements))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_heading(ws: Worksheet, data_set: DataSet, unit: OrgUnit, period: str,
                   elements: Sequence[DataElement]) -> None:
    width = len(elements) + 3
    merge_band(ws, TITLE_ROW, data_set.name, TITLE_FONT, CENTERED, border=False, width=width)
    ws.row_dimensions[TITLE_ROW].height = 30
    info = f"期间：{Period.parse(period).label}（{period}）    填报范围：{unit.name}    请勿修改“{ID_HEADER}”列和表头"
    merge_band(ws, INFO_ROW, info, NUMBER_FONT, Alignment(vertical="center"), border=False, width=width)
    put_cell(ws, CODE_ROW, ID_COLUMN, data_set.code)
    put_cell(ws, CODE_ROW, NAME_COLUMN, period)
    for column, element in enumerate(elements, start=FIRST_ELEMENT_COLUMN):
        put_cell(ws, CODE_ROW, column, element.code)
    ws.row_dimensions[CODE_ROW].hidden = True
    headers = [ID_HEADER, NAME_HEADER, *(header_text(e) for e in elements), STATE_HEADER]
    for column, text in enumerate(headers, start=1):
        cell = put_cell(ws, HEADER_ROW, column, text)
        cell.font, cell.alignment, cell.fill = HEADER_FONT, CENTERED, HEADER_FILL
    ws.row_dimensions[HEADER_ROW].height = 45


def _stored_values(elements: Sequence[DataElement], units: Sequence[OrgUnit], period: str,
                   ) -> dict[tuple[int, str], float]:
    rows = DataValue.objects.filter(element__in=elements, unit__in=units, period=period)
    return {(unit_id, code): value for unit_id, code, value in rows.values_list("unit_id", "element__code", "value")}


def _states(data_set: DataSet, units: Sequence[OrgUnit], period: str) -> dict[int, str]:
    rows = Submission.objects.filter(data_set=data_set, unit__in=units, period=period)
    return dict(rows.values_list("unit_id", "state"))


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def _write_unit_row(ws: Worksheet, number: int, unit: OrgUnit, elements: Sequence[DataElement],
                    stored: dict[tuple[int, str], float], state: str | None) -> None:
    locked = state in LOCKED_STATES
    id_cell = ws.cell(row=number, column=ID_COLUMN, value=unit.pk)
    id_cell.font, id_cell.border, id_cell.alignment = GREY_FONT, BORDER, RIGHT
    put_cell(ws, number, NAME_COLUMN, unit.name)  # a name typed in the admin: text, never a formula
    for column, element in enumerate(elements, start=FIRST_ELEMENT_COLUMN):
        value = stored.get((unit.pk, element.code))
        cell = ws.cell(row=number, column=column, value=None if value is None else _number(value))
        cell.border, cell.font = BORDER, LOCKED_FONT if locked else NUMBER_FONT
        cell.number_format = "0" if element.value_type == DataElement.ValueType.INTEGER else "General"
        if locked:
            cell.fill = LOCKED_FILL
        else:
            cell.protection = Protection(locked=False)
    label = Submission.State(state).label if state else "未填报"
    state_cell = put_cell(ws, number, FIRST_ELEMENT_COLUMN + len(elements), label)
    state_cell.font = GREY_FONT


def _validations(ws: Worksheet, elements: Sequence[DataElement], last_row: int) -> None:
    """Excel refuses a figure that is not a number of the right kind, or out of range, as it
    is typed; the import checks again (a file may come from elsewhere)."""
    for column, element in enumerate(elements, start=FIRST_ELEMENT_COLUMN):
        whole = element.value_type == DataElement.ValueType.INTEGER
        low = f"{element.minimum:g}"
        bounds = ({"operator": "between", "formula1": low, "formula2": f"{element.maximum:g}"}
                  if element.maximum is not None else {"operator": "greaterThanOrEqual", "formula1": low})
        rule = DataValidation(type="whole" if whole else "decimal", allow_blank=True, errorStyle="stop",
                              errorTitle="数值有误", error=_rule_text(element, whole), **bounds)
        rule.add(f"{get_column_letter(column)}{FIRST_ROW}:{get_column_letter(column)}{last_row}")
        ws.add_data_validation(rule)


def _rule_text(element: DataElement, whole: bool) -> str:
    high = "" if element.maximum is None else f"，不大于 {element.maximum:g}"
    return f"{element.name}应为{'整数' if whole else '数值'}，不小于 {element.minimum:g}{high}"[:225]


def _layout(ws: Worksheet, element_count: int) -> None:
    ws.column_dimensions[get_column_letter(ID_COLUMN)].width = ID_WIDTH
    ws.column_dimensions[get_column_letter(NAME_COLUMN)].width = NAME_WIDTH
    for column in range(FIRST_ELEMENT_COLUMN, FIRST_ELEMENT_COLUMN + element_count):
        ws.column_dimensions[get_column_letter(column)].width = ELEMENT_WIDTH
    ws.column_dimensions[get_column_letter(FIRST_ELEMENT_COLUMN + element_count)].width = STATE_WIDTH
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=FIRST_ELEMENT_COLUMN)
    print_setup(ws, HEADER_ROW)
    # Locked: the ids, names and header (the import reads them); no password, so anyone who
    # must can lift it, and columns and rows may still be resized.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


# ---------------------------------------------------------------- reading a filled template

@dataclass(frozen=True)
class CellProblem:
    cell: str  # "D7"; "" for the sheet as a whole
    message: str  # one line, with its code

    def __str__(self) -> str:
        return f"{self.cell}：{self.message}" if self.cell else self.message


class TemplateRefused(EduplanError):
    """A filled template with problems: every problem, each at its cell; nothing was written."""

    SHOWN = 3  # problems quoted in the one-line message
    ERROR = Errors.E749  # the one-line message; an import of another sheet layout sets its own

    def __init__(self, problems: list[CellProblem]) -> None:
        self.problems = problems
        first = "；".join(str(p) for p in problems[:self.SHOWN])
        more = "……" if len(problems) > self.SHOWN else ""
        super().__init__(self.ERROR, count=len(problems), first=first + more)


@dataclass(frozen=True)
class ImportResult:
    submitted: int  # units whose form was submitted
    unchanged: int  # forms already submitted with the same figures, left as they were
    blank: int  # rows not filled in, skipped


@dataclass(frozen=True)
class TypedRow:
    number: int  # the sheet's row number
    unit_id: str  # as typed in the 单位编号 column
    typed: dict[str, str]  # element code → the cell as text


@dataclass
class FilledRow:
    number: int  # the sheet's row number
    unit: OrgUnit
    typed: dict[str, str]  # element code → the cell as text


@dataclass(frozen=True)
class Columns:
    by_code: dict[str, int]  # element code → the sheet's column number (1-based)
    first_row: int  # the sheet's row number of the first unit row


def read_template(file: str | Path | bytes | BinaryIO, data_set: DataSet, unit: OrgUnit, period: str, user,
                  progress: Progress | None = None, *, name: str | None = None) -> ImportResult:
    """Check a filled template of ``data_set``, ``period`` and ``unit`` cell by cell, then
    submit every filled row in one transaction; ``TemplateRefused`` (E749, every problem with
    its cell) and nothing written if anything is wrong."""
    period = collecting.check_period_for(data_set, period, clock.today())
    label = name or (Path(file).name if isinstance(file, str | Path) else "上传的文件")
    values = _sheet_values(file, label)
    columns = _find_columns(values, data_set, period, label)
    filled, blank = _filled_rows(values, columns)
    report = progress or (lambda done, total: None)
    total = 2 * len(filled)
    checker = Checker(data_set, unit, period, user, columns)
    to_submit = checker.check(filled, lambda done: report(done, total))
    if checker.problems:
        raise TemplateRefused(checker.problems)
    submit_all(data_set, period, user, to_submit, lambda done: report(len(filled) + done, total))
    report(total, total)
    return ImportResult(submitted=len(to_submit), unchanged=len(filled) - len(to_submit), blank=blank)


def _sheet_values(source: str | Path | bytes | BinaryIO, label: str) -> list[tuple[Any, ...]]:
    """The rows of the first sheet that is a template (each a tuple of values)."""
    workbook = open_workbook(source, label, Errors.E742)
    try:
        for ws in workbook.worksheets:
            rows = _template_rows(ws, label)
            if rows is not None:
                return rows
    finally:
        workbook.close()
    raise EduplanError(Errors.E740, name=label)


def _template_rows(ws, label: str) -> list[tuple[Any, ...]] | None:
    """The sheet's rows if it has a template's code row near the top; None if not. Columns
    and rows are capped: a sheet's stated size may be anything."""
    rows: list[tuple[Any, ...]] = []
    for row in ws.iter_rows(max_col=MAX_COLUMNS, values_only=True):
        rows.append(row)
        if len(rows) == CODE_SEARCH_ROWS and _code_row(rows) is None:
            return None
        if len(rows) > FIRST_ROW + MAX_ROWS:
            raise EduplanError(Errors.E748, name=label, limit=MAX_ROWS)
    return rows if _code_row(rows) is not None else None


def cell_text(value: Any) -> str:
    """A cell's value as the text a form would hold: 120.0 is "120", a date is not a number."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _code_row(rows: Sequence[tuple[Any, ...]]) -> int | None:
    """The index of the hidden code row: the data set code over the unit ids, a period key
    next to it."""
    for index, row in enumerate(rows[:CODE_SEARCH_ROWS]):
        cells = [cell_text(v) for v in row[:2]]
        if len(cells) == 2 and cells[0] and Period.is_key(cells[1]) and \
                DataSet.objects.filter(code=cells[0]).exists():
            return index
    return None


def _find_columns(rows: list[tuple[Any, ...]], data_set: DataSet, period: str, label: str) -> Columns:
    index = _code_row(rows)
    if index is None:
        raise EduplanError(Errors.E740, name=label)
    codes = [cell_text(v) for v in rows[index]]
    if codes[0] != data_set.code or Period.parse(codes[1]).key != period:
        found = DataSet.objects.get(code=codes[0])
        raise EduplanError(Errors.E741, found=found.name, found_period=codes[1], data_set=data_set.name,
                           period=period)
    by_code = {code: column for column, code in enumerate(codes, start=1)
               if column >= FIRST_ELEMENT_COLUMN and code}
    _check_columns(data_set, by_code)
    return Columns(by_code, first_row=index + 3)  # below the code row and the header


def _check_columns(data_set: DataSet, by_code: dict[str, int]) -> None:
    """Every element of the data set has its column, and no column is of another element."""
    wanted = dict(data_set.elements.values_list("code", "name"))
    missing = [name for code, name in wanted.items() if code not in by_code]
    extra = [code for code in by_code if code not in wanted]
    if missing or extra:
        parts = ["缺少" + "、".join(missing)] if missing else []
        parts += ["多出" + "、".join(extra)] if extra else []
        raise EduplanError(Errors.E747, data_set=data_set.name, detail="；".join(parts))


def _filled_rows(rows: list[tuple[Any, ...]], columns: Columns) -> tuple[list[TypedRow], int]:
    """Every row with a figure in it; and how many unit rows have none (not filled in yet)."""
    filled, blank = [], 0
    for number, row in enumerate(rows[columns.first_row - 1:], start=columns.first_row):
        typed = {code: cell_text(row[column - 1]) if column <= len(row) else ""
                 for code, column in columns.by_code.items()}
        unit_id = cell_text(row[ID_COLUMN - 1]) if row else ""
        if any(typed.values()):
            filled.append(TypedRow(number, unit_id, typed))
        elif unit_id:
            blank += 1
    return filled, blank


class Checker:
    """Checks the filled rows one by one, collecting every problem with its cell."""

    def __init__(self, data_set: DataSet, unit: OrgUnit, period: str, user, columns: Columns) -> None:
        self.data_set, self.unit, self.period, self.user, self.columns = data_set, unit, period, user, columns
        self.scope = scope_for(user)
        self.elements = {e.code: e for e in data_set.elements.all()}
        self.problems: list[CellProblem] = []
        self.seen: dict[int, int] = {}  # unit id → the first row it was on
        self.states: dict[int, str] = {}  # unit id → its form's state
        self.stored: dict[tuple[int, str], float] = {}

    def check(self, rows: Sequence[TypedRow], advance: Callable[[int], None]) -> list[FilledRow]:
        units = OrgUnit.objects.in_bulk({_unit_id(r.unit_id) for r in rows} - {None})
        self.load(list(units.values()))
        to_submit = []
        for done, row in enumerate(rows, start=1):
            unit = self.row_unit(row, units)
            numbers = self.figures(row)  # checked whatever the unit: every problem in one go
            if unit is not None and numbers is not None and not self.unchanged(row, unit, numbers):
                to_submit.append(FilledRow(row.number, unit, row.typed))
            advance(done)
        return to_submit

    def load(self, units: Sequence[OrgUnit]) -> None:
        """The forms' states and stored figures of ``units``, which ``unchanged`` compares with."""
        self.states = _states(self.data_set, units, self.period)
        self.stored = _stored_values(list(self.elements.values()), units, self.period)

    def add(self, row: int, column: int, message: str) -> None:
        self.problems.append(CellProblem(f"{get_column_letter(column)}{row}", message))

    def row_unit(self, row: TypedRow, units: dict[int, OrgUnit]) -> OrgUnit | None:
        """The row's unit, if the user may enter its form here; a problem at its id if not."""
        unit = units.get(_unit_id(row.unit_id))
        message = self.unit_problem(row, unit)
        if message:
            self.add(row.number, ID_COLUMN, message)
            return None
        assert unit is not None
        self.seen[unit.pk] = row.number
        return unit

    def unit_problem(self, row: TypedRow, unit: OrgUnit | None) -> str:
        if not row.unit_id:
            return Errors.E744.render()
        if unit is None or not self.scope.covers(unit):
            # A unit outside the user's scope is as unknown as no unit: ids tell nothing.
            return Errors.E743.render(value=row.unit_id[:20])
        refused = _entry_refused(self.user, unit)
        if refused:
            return refused
        if not unit.path.startswith(self.unit.path):
            return Errors.E746.render(unit=unit.name, scope=self.unit.name)
        if not collecting.reports(self.data_set, unit):
            return Errors.E707.render(unit=unit.name, data_set=self.data_set.name)
        if unit.pk in self.seen:
            return Errors.E745.render(unit=unit.name, first=self.seen[unit.pk])
        return ""

    def figures(self, row: TypedRow) -> dict[str, float] | None:
        """The row's figures as numbers, or None with a problem at each wrong cell."""
        numbers, problems = collecting.check_form(self.data_set, row.typed)
        for problem in problems:
            self.add(row.number, self.columns.by_code.get(problem.element, ID_COLUMN), problem.message)
        return None if problems else numbers

    def unchanged(self, row: TypedRow, unit: OrgUnit, numbers: dict[str, float]) -> bool:
        """A form already submitted (or accepted) is left alone when its figures are the same
        as stored; a changed figure there is a problem (E708: it must be sent back first)."""
        if self.states.get(unit.pk) not in LOCKED_STATES:
            return False
        for code, number in numbers.items():
            if number != self.stored.get((unit.pk, code)):
                self.add(row.number, self.columns.by_code[code],
                         Errors.E708.render(data_set=self.data_set.name, period=self.period))
                return False
        return True


def _unit_id(text: str) -> int | None:
    """The id typed in the 单位编号 column, if it can be one (no number too big for the database)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def _entry_refused(user, unit: OrgUnit) -> str:
    """Why the user may not enter ``unit``'s form ("" if they may); the unit is one they can read."""
    try:
        check_may_enter(user, unit)
    except Refused:
        return Errors.E411.render(unit=unit.name)
    return ""


@transaction.atomic
def submit_all(data_set: DataSet, period: str, user, rows: Sequence[FilledRow],
                advance: Callable[[int], None]) -> None:
    """Submit every row, or none: a form that changed since it was checked (submitted by
    someone else meanwhile) rolls the whole upload back."""
    for done, row in enumerate(rows, start=1):
        try:
            collecting.submit(data_set, row.unit, period, row.typed, user=user, source=XLSX_SOURCE)
        except collecting.FormRefused as refused:
            raise TemplateRefused([CellProblem(f"A{row.number}", p.message) for p in refused.problems]) from None
        except EduplanError as error:
            raise TemplateRefused([CellProblem(f"A{row.number}", str(error))]) from None
        advance(done)
