"""One year's figures of a county's schools from the sheet a bureau keeps from its statistics
returns: one row per school, one column per figure, headers in words ("小学在校生数（人）",
"教学仪器设备值（万元）"), schools by 学校标识码 or by name.

Every cell is checked first (the school, the user's right to enter its form, each figure
through ``collecting.check_form``); with any problem ``SheetRefused`` lists them all, each at
its cell, and nothing is written. Otherwise each school's form is submitted
(``collecting.submit``, source "xlsx") in one transaction: the figures are data values of the
indicators catalogue with their audit entries, as from the web form.

The checks of the figures and of forms already submitted, the problems and the all-or-nothing
submission are those of the data set templates (``eduplan.indicators.spreadsheet``); what
differs is the sheet itself: the bureau's own layout, found by its headers in words, and its
schools named or coded instead of the template's unit ids. A name two schools of the county
share is a problem (the 学校标识码 tells them apart), and so is a code no school has, even when
the name beside it matches: a mistyped code is never quietly read as the name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from eduplan.errors import EduplanError, Errors
from eduplan.indicators import collecting
from eduplan.indicators.access import check_may_enter
from eduplan.indicators.models import DataSet
from eduplan.indicators.spreadsheet import (
    Checker,
    Columns,
    FilledRow,
    TemplateRefused,
    TypedRow,
    cell_text,
    submit_all,
)
from eduplan.orgs.access import Refused
from eduplan.orgs.models import OrgUnit
from eduplan.plan.safezip import open_workbook
from eduplan.tracking import clock

from .service import DATA_SET

HEADER_SEARCH_ROWS = 12
MAX_ROWS = 5000
MAX_COLUMNS = 80
TOTAL_ROWS = ("合计", "总计", "小计", "全县", "全区")
NAME_HEADERS = ("学校名称", "单位名称", "学校")
CODE_HEADERS = ("学校标识码", "学校代码", "标识码")  # matched against the unit's 代码 (OrgUnit.code)
# element code → the words a statistics sheet heads its column with (units in brackets dropped)
ALIASES = {
    "students_primary": ("小学在校生数", "小学学生数", "小学在校生"),
    "students_junior": ("初中在校生数", "初中学生数", "初中在校生"),
    "teachers_above_qualification": ("高于规定学历教师数", "高于规定学历的教师数", "高学历教师数"),
    "backbone_teachers": ("县级以上骨干教师数", "县级及以上骨干教师数", "骨干教师数"),
    "pe_arts_teachers": ("体育、艺术（美术、音乐）专任教师数", "体育艺术专任教师数", "体育、艺术专任教师数",
                         "体艺专任教师数"),
    "teaching_area": ("教学及辅助用房面积", "教学及辅助用房"),
    "sports_area": ("体育运动场馆面积", "体育运动场馆"),
    "equipment_value": ("教学仪器设备值", "教学仪器设备资产值"),
    "multimedia_rooms": ("网络多媒体教室数", "网络多媒体教室"),
}
_BRACKETS = re.compile(r"[（(]([^（）()]*)[）)]\s*$")


class SheetRefused(TemplateRefused):
    """Problems, each at its cell; nothing was written."""

    ERROR = Errors.E824


@dataclass(frozen=True)
class Column:
    number: int  # 1-based
    code: str  # element code
    scale: float  # 10000 for a column in 万元


@dataclass(frozen=True)
class Layout:
    header_row: int  # 1-based
    name_column: int | None
    code_column: int | None
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class ImportResult:
    submitted: int
    unchanged: int


def _words(text: str) -> tuple[str, str]:
    """A header's words without spaces and its bracketed unit: ("教学仪器设备值", "万元")."""
    flat = re.sub(r"\s+", "", text)
    match = _BRACKETS.search(flat)
    if match and match.start() > 0:
        return flat[:match.start()], match.group(1)
    return flat, ""


def find_layout(rows: Sequence[tuple[Any, ...]], label: str) -> Layout:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        heads = [_words(cell_text(v)) for v in row]
        names = [i for i, (w, _) in enumerate(heads, 1) if w in NAME_HEADERS]
        codes = [i for i, (w, _) in enumerate(heads, 1) if w in CODE_HEADERS]
        if not (names or codes):
            continue
        columns = []
        for number, (words, unit) in enumerate(heads, 1):
            code = next((c for c, aliases in ALIASES.items() if words in {_words(a)[0] for a in aliases}), None)
            if code:
                columns.append(Column(number, code, 10000.0 if unit == "万元" else 1.0))
        found = {c.code for c in columns}
        missing = [ALIASES[code][0] for code in ALIASES if code not in found]
        if missing:
            raise EduplanError(Errors.E821, missing="、".join(missing))
        return Layout(index + 1, names[0] if names else None, codes[0] if codes else None, tuple(columns))
    raise EduplanError(Errors.E820, name=label)


def _sheet_rows(source: str | Path | bytes | BinaryIO, label: str) -> list[tuple[Any, ...]]:
    workbook = open_workbook(source, label, Errors.E742)
    try:
        rows = []
        for row in workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True):
            rows.append(row)
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise EduplanError(Errors.E748, name=label, limit=MAX_ROWS)
        return rows
    finally:
        workbook.close()


def _scaled(text: str, scale: float) -> str:
    """A figure in 万元 as 元; text that is no number is left for the form's own check."""
    if scale == 1 or not text:
        return text
    try:
        return f"{float(text.replace(',', '')) * scale:.2f}".rstrip("0").rstrip(".")
    except ValueError:
        return text


class _Checker(Checker):
    """The template import's checks, the school found by its 学校标识码 or its name."""

    def __init__(self, county: OrgUnit, data_set: DataSet, year: str, user, layout: Layout) -> None:
        super().__init__(data_set, county, year, user,
                         Columns({c.code: c.number for c in layout.columns}, first_row=layout.header_row + 1))
        self.layout = layout
        schools = list(OrgUnit.objects.filter(path__startswith=county.path, kind=OrgUnit.Kind.SCHOOL))
        self.by_name: dict[str, list[OrgUnit]] = defaultdict(list)
        self.by_code: dict[str, list[OrgUnit]] = defaultdict(list)
        for school in schools:
            self.by_name[school.name].append(school)
            if school.code:
                self.by_code[school.code].append(school)
        self.load(schools)

    def school(self, number: int, row: tuple[Any, ...]) -> OrgUnit | None:
        layout = self.layout
        code = cell_text(row[layout.code_column - 1]) if layout.code_column and layout.code_column <= len(row) else ""
        name = cell_text(row[layout.name_column - 1]) if layout.name_column and layout.name_column <= len(row) else ""
        if code:
            column, found = layout.code_column, self.by_code.get(code, [])
            unknown, ambiguous = Errors.E832, Errors.E833
        else:
            column, found = layout.name_column or layout.code_column, self.by_name.get(name, []) if name else []
            unknown, ambiguous = Errors.E822, Errors.E831
        assert column is not None  # a layout has a name column, a code column or both
        if len(found) != 1:
            error = ambiguous if found else unknown
            self.add(number, column, error.render(value=(code or name)[:40], count=len(found)))
            return None
        unit = found[0]
        try:
            check_may_enter(self.user, unit)
        except Refused:
            self.add(number, column, Errors.E411.render(unit=unit.name))
            return None
        if not collecting.reports(self.data_set, unit):
            self.add(number, column, Errors.E707.render(unit=unit.name, data_set=self.data_set.name))
            return None
        if unit.pk in self.seen:
            self.add(number, column, Errors.E823.render(unit=unit.name, first=self.seen[unit.pk]))
            return None
        self.seen[unit.pk] = number
        return unit


def is_total_row(name: str) -> bool:
    return any(name.replace(" ", "").startswith(word) for word in TOTAL_ROWS)


def read_sheet(source: str | Path | bytes | BinaryIO, county: OrgUnit, year: str, user, *,
               name: str | None = None) -> ImportResult:
    """Check the whole sheet, then submit every school's form in one transaction; ``SheetRefused``
    (E824, every problem at its cell) and nothing written if anything is wrong."""
    data_set = DataSet.objects.get(code=DATA_SET)
    year = collecting.check_period_for(data_set, year, clock.today())
    label = name or (Path(source).name if isinstance(source, str | Path) else "上传的文件")
    rows = _sheet_rows(source, label)
    layout = find_layout(rows, label)
    checker = _Checker(county, data_set, year, user, layout)
    to_submit: list[FilledRow] = []
    unchanged = 0
    for number, row in enumerate(rows[layout.header_row:], start=layout.header_row + 1):
        typed = {c.code: _scaled(cell_text(row[c.number - 1]) if c.number <= len(row) else "", c.scale)
                 for c in layout.columns}
        label_cell = cell_text(row[(layout.name_column or layout.code_column or 1) - 1]) if row else ""
        if not any(typed.values()) or is_total_row(label_cell):
            continue  # a blank row, or the return's own total
        unit = checker.school(number, row)
        typed_row = TypedRow(number, label_cell, typed)  # the school's cell where a template has its unit id
        numbers = checker.figures(typed_row)
        if unit is None or numbers is None:
            continue
        if checker.unchanged(typed_row, unit, numbers):
            unchanged += 1
        else:
            to_submit.append(FilledRow(number, unit, typed))
    if checker.problems:
        raise SheetRefused(checker.problems)
    try:
        submit_all(data_set, year, user, to_submit, lambda done: None)
    except TemplateRefused as refused:  # a form submitted by someone else since the check
        raise SheetRefused(refused.problems) from None
    return ImportResult(submitted=len(to_submit), unchanged=unchanged)
