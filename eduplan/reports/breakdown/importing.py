"""Read a 任务分解表 back after people edited it in Excel or WPS, and apply it.

``read_breakdown`` only reads: it finds the header row (columns may have been moved, and the
usual synonyms are accepted), matches every row to a task by its key (``T12``, ``T12-M45``),
checks each cell against the database and returns the intended changes together with
*every* problem found, cell by cell. ``apply_breakdown`` refuses a reading with problems;
otherwise it makes all the changes in one transaction, through ``assign_task``.

Rules:
- a row with a key changes the assignment of that task (or of that measure) when its 牵头单位,
  配合单位, 责任人 or 完成时限 differ from what is stored; an unchanged row writes nothing;
  other columns (序号, 重点任务, 具体措施, 量化目标, 备注) are not imported: the plan text stays
  as imported, and edits of the task text are listed as notes;
- a row without a key but with 重点任务 is a new task, placed in the section of the band
  row above it, numbered with the next free number in that section ("二/11"), its 具体措施
  lines stored as measures, and assigned if it names a 牵头单位;
- an empty 完成时限 means the end of the plan period, as on the assignment page; a missing
  column means "leave that field as it is".
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO, Literal
from xml.etree import ElementTree

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from eduplan.audit.log import record
from eduplan.errors import EduplanError, Errors
from eduplan.orgs.access import scope_for
from eduplan.orgs.models import OrgUnit
from eduplan.plan.safezip import open_workbook
from eduplan.tracking import clock
from eduplan.tracking.assigning import assign_task, belongs, default_period
from eduplan.tracking.models import Assignment, Measure, Plan, Section, Task

from .export import (
    COLUMNS,
    DEADLINE,
    KEY,
    LEAD,
    MEASURES,
    NOTE,
    OWNER,
    PARTNERS,
    SEQ,
    TARGETS,
    TITLE,
    person_label,
)

HEADER_SEARCH_ROWS = 20  # the header may sit a few rows down if people added lines above it
FROM_TABLE = "按任务分解表导入"

# Header texts accepted for each column (after removing spaces and anything in brackets).
HEADERS: dict[int, tuple[str, ...]] = {
    KEY: ("任务编号", "系统编号"),
    SEQ: ("序号",),
    TITLE: ("重点任务", "重点工作任务", "目标任务", "目标与任务", "工作任务", "任务"),
    MEASURES: ("具体措施/工作内容", "具体措施", "工作内容", "工作措施", "主要措施"),
    TARGETS: ("量化目标", "目标值", "量化指标"),
    LEAD: ("牵头单位", "牵头责任单位", "主要责任单位", "牵头科室", "责任科室", "责任股室"),
    PARTNERS: ("配合单位", "协同配合单位", "协同单位", "配合科室"),
    OWNER: ("责任人",),
    DEADLINE: ("完成时限", "时限要求", "完成时间", "时间节点"),
    NOTE: ("备注",),
}
COLUMN_NAMES = {index: COLUMNS[index - 1].split("（")[0] for index in HEADERS}
_BRACKETS = re.compile(r"[（(【\[].*?[）)】\]]")
_INVISIBLE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")
_SEPARATORS = re.compile(r"[、，,;；\n\r]+")
_KEY = re.compile(r"^T(\d+)(?:-M(\d+))?$")
_SECTION_BAND = re.compile(r"^\s*([一二三四五六七八九十百零〇]+)\s*[、.．]\s*(.*)$", re.S)
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_MONTH_END = re.compile(r"^(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*月(?:底|末)?前?$|^(\d{4})\s*[-/.]\s*(\d{1,2})$")
_YEAR_END = re.compile(r"^(\d{4})\s*年(?:底|末)前?$")
_USER_IN_BRACKETS = re.compile(r"^(.*?)[（(]\s*([^（）()]+?)\s*[）)]$")
_LINE_MARK = re.compile(r"^\s*(?:[-•·●▪]|\d+[.、．]|[（(]\d+[）)])\s*")


# ---------------------------------------------------------------- results

@dataclass(frozen=True)
class CellProblem:
    sheet: str
    row: int
    column_letter: str
    column_name: str
    message: str

    def __str__(self) -> str:
        where = f"{self.column_letter} 列（{self.column_name}）" if self.column_letter else "表头"
        return f"工作表“{self.sheet}”第 {self.row} 行 {where}：{self.message}"


@dataclass
class RowChange:
    """One row's intended change: a new or changed assignment, or a new task."""

    sheet: str
    row: int
    kind: Literal["assign", "new_task"]
    number: str
    title: str
    task: Task | None = None
    measure: Measure | None = None
    assignment: Assignment | None = None  # the current one, if any
    lead_unit: OrgUnit | None = None  # None: a new task left unassigned
    partner_units: list[OrgUnit] = field(default_factory=list)
    owner: Any = None
    deadline: date | None = None
    start_date: date | None = None
    section: Section | None = None  # new tasks
    label: str = ""  # new tasks
    measures: list[str] = field(default_factory=list)  # new tasks
    details: list[str] = field(default_factory=list)  # "牵头单位：甲 → 乙", for people

    @property
    def key(self) -> str:
        if self.task is None:
            return ""
        return f"T{self.task.pk}" + (f"-M{self.measure.pk}" if self.measure else "")


@dataclass
class BreakdownReading:
    plan: Plan
    name: str
    sheets: list[str] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    changes: list[RowChange] = field(default_factory=list)
    unchanged: int = 0  # rows matched to a task whose assignment stays as it is
    notes: list[str] = field(default_factory=list)  # edits that are not imported

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def new_tasks(self) -> list[RowChange]:
        return [c for c in self.changes if c.kind == "new_task"]


@dataclass
class BreakdownResult:
    assignments: list[Assignment] = field(default_factory=list)
    created: list[Task] = field(default_factory=list)
    unchanged: int = 0


# ---------------------------------------------------------------- cell values

def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFC", str(value)).strip()


def _squeeze(text: str) -> str:
    """For comparing names: full-width forms folded (NFKC), all spaces removed."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def _header_name(value: Any) -> str:
    return _BRACKETS.sub("", _squeeze(_text(value)))


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)) if 1 <= month <= 12 else date(year, 13, 1)


def parse_date(value: Any, *, epoch: datetime | None = None, plan_years: tuple[int, int] | None = None) -> date | None:
    """A date as Excel or WPS may hand it over; None for an empty cell; ValueError if it is not one.

    Accepted: date cells, Excel serial numbers (also as text), "2025-10-31", "2025/10/31",
    "2025.10.31", "2025年10月31日", "20251031"; "2025年10月底", "2025-10" and "2025年10月" as the
    month's last day, "2025年底" as 31 December; "10月底前" only when the plan covers one year.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return _serial(value, epoch)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = re.sub(r"\s+", " ", text)
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return _serial(float(text), epoch)
    if re.fullmatch(r"\d{8}", text):
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    match = _DATE_TEXT.match(text)
    if match:
        return date(int(match[1]), int(match[2]), int(match[3]))
    match = _MONTH_END.match(text)
    if match:
        if match[3]:
            return _month_end(int(match[3]), int(match[4]))
        if match[1]:
            return _month_end(int(match[1]), int(match[2]))
        if plan_years and plan_years[0] == plan_years[1]:
            return _month_end(plan_years[0], int(match[2]))
        raise ValueError(text)
    match = _YEAR_END.match(text)
    if match:
        return date(int(match[1]), 12, 31)
    raise ValueError(text)


def _serial(number: float, epoch: datetime | None) -> date:
    if not 1 <= number < 2958466:  # Excel's dates run from 1900-01-01 to 9999-12-31
        raise ValueError(number)
    converted = from_excel(number, epoch) if epoch is not None else from_excel(number)
    return converted.date() if isinstance(converted, datetime) else converted


# ---------------------------------------------------------------- what the database knows

class _Directory:
    """Units and people of the bureau, and the plan's tasks, looked up by what people type."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        bureau = plan.bureau
        self.units: dict[str, list[OrgUnit]] = defaultdict(list)
        for unit in OrgUnit.objects.filter(owning_bureau=bureau).exclude(pk=bureau.pk):
            self.units[_squeeze(unit.name)].append(unit)
        users = list(get_user_model().objects.filter(membership__unit__path__startswith=bureau.path)
                     .select_related("membership__unit"))
        self.by_username = {u.get_username(): u for u in users}
        self.by_folded_username: dict[str, list] = defaultdict(list)
        self.by_name: dict[str, list] = defaultdict(list)
        for user in users:
            self.by_folded_username[_squeeze(user.get_username()).casefold()].append(user)
            name = _squeeze(user.get_full_name())
            if name:
                self.by_name[name].append(user)
        self.tasks = {t.pk: t for t in Task.objects.filter(plan=plan).select_related("section")}
        self.measures = {m.pk: m for m in Measure.objects.filter(task__plan=plan)}
        self.assignments = {(a.task_id, a.measure_id): a for a in Assignment.objects.filter(task__plan=plan)
                            .select_related("lead_unit", "owner").prefetch_related("partner_units", "milestones")}
        self.sections = {s.label: s for s in plan.sections.all()}
        self.period = default_period(plan, clock.today())
        first, last = self.period
        self.years = (first.year, last.year)
        self.titles = {_squeeze(t.title): t for t in self.tasks.values() if not t.is_removed}

    def users_named(self, text: str) -> list:
        """People a 责任人 cell can mean: username, "姓名（username）", or an unambiguous name."""
        exact = self.by_username.get(text.strip())
        if exact is not None:
            return [exact]
        squeezed = _squeeze(text)
        match = _USER_IN_BRACKETS.match(squeezed)
        if match:
            inner = self.by_username.get(match[2]) or next(iter(self.by_folded_username.get(match[2].casefold(), [])),
                                                           None)
            if inner is not None:
                return [inner]
        return self.by_folded_username.get(squeezed.casefold()) or self.by_name.get(squeezed, [])


# ---------------------------------------------------------------- reading

@dataclass
class _Sheet:
    title: str
    header_row: int
    columns: dict[int, int]  # our column (SEQ…KEY) → the sheet's column number


def _find_header(ws) -> _Sheet | None:
    for number, values in enumerate(ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True), start=1):
        found: dict[int, int] = {}
        for position, value in enumerate(values, start=1):
            name = _header_name(value)
            if not name:
                continue
            for ours, accepted in HEADERS.items():
                if ours not in found and name in {_squeeze(a) for a in accepted}:
                    found[ours] = position
                    break
        if TITLE in found and (KEY in found or len(found) >= 3):
            return _Sheet(ws.title, number, found)
    return None


def read_breakdown(source: str | Path | BinaryIO, plan: Plan, *, name: str | None = None) -> BreakdownReading:
    """Read and check an edited breakdown table of ``plan``; writes nothing.

    Raises EduplanError when the file is not a readable xlsx or holds no breakdown table;
    every other problem is collected in ``.problems``, one per cell.
    """
    name = name or (Path(source).name if isinstance(source, str | Path) else getattr(source, "name", "") or "上传的文件")
    workbook = open_workbook(source, name, Errors.E602)
    try:
        reading = BreakdownReading(plan, name)
        directory = _Directory(plan)
        sheets = []
        for ws in workbook.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            ws.reset_dimensions()  # some writers store a wrong used range
            found = _find_header(ws)
            if found is not None:
                sheets.append((ws, found))
        if not sheets:
            raise EduplanError(Errors.E603, name=name)
        reader = _Reader(reading, directory, workbook.epoch)
        for ws, sheet in sheets:
            reading.sheets.append(sheet.title)
            if KEY not in sheet.columns:
                reading.problems.append(CellProblem(sheet.title, sheet.header_row, "", "任务编号",
                                                    Errors.E604.render(column="任务编号")))
                continue
            try:
                reader.read_sheet(ws, sheet)  # a read-only sheet is parsed as it is read
            except ElementTree.ParseError as exc:  # the parts are checked and stored, but may not be XML
                raise EduplanError(Errors.E601, name=name, reason=type(exc).__name__) from exc
        reader.finish()
    finally:
        workbook.close()
    return reading


class _Reader:
    def __init__(self, reading: BreakdownReading, directory: _Directory, epoch) -> None:
        self.reading = reading
        self.dir = directory
        self.epoch = epoch
        self.seen: dict[str, list[tuple[str, int]]] = defaultdict(list)  # key → (sheet, row)
        self.pending: list[tuple[str, RowChange | None]] = []  # (key, change or None when unchanged)
        self.taken_labels: dict[int | None, set[str]] = defaultdict(set)  # new tasks' labels, per section
        self.layouts: dict[str, _Sheet] = {}

    # -------- problems

    def problem(self, sheet: _Sheet, row: int, column: int, error: Errors, *, position: int | None = None,
                **values: object) -> None:
        position = position or sheet.columns.get(column)
        letter = get_column_letter(position) if position else ""
        self.reading.problems.append(CellProblem(sheet.title, row, letter, COLUMN_NAMES[column],
                                                 error.render(**values)))

    # -------- rows

    def read_sheet(self, ws, sheet: _Sheet) -> None:
        self.layouts[sheet.title] = sheet
        section: Section | None = None
        band_known = True
        for number, values in enumerate(ws.iter_rows(min_row=sheet.header_row + 1, values_only=True),
                                        start=sheet.header_row + 1):
            cells = {ours: values[pos - 1] if pos - 1 < len(values) else None for ours, pos in sheet.columns.items()}
            texts = {ours: _text(v) for ours, v in cells.items()}
            key = _squeeze(texts.get(KEY, "")).upper()
            if not any(texts.values()):
                continue
            if not key:
                band = self.band(values, texts)
                if band is not None:
                    label, text, position = band
                    section = self.dir.sections.get(label)
                    band_known = section is not None
                    if section is None:
                        reverse = {pos: ours for ours, pos in sheet.columns.items()}
                        self.problem(sheet, number, reverse.get(position, SEQ), Errors.E625, position=position,
                                     text=text[:40])
                    continue
                if texts.get(TITLE):
                    self.new_task(sheet, number, cells, texts, section, band_known)
                elif any(texts.get(c) for c in (MEASURES, TARGETS, LEAD, PARTNERS, OWNER, DEADLINE)):
                    self.problem(sheet, number, TITLE, Errors.E627)
                continue  # a row with only 序号 or 备注 is a person's note: not ours
            self.keyed_row(sheet, number, key, cells, texts)

    @staticmethod
    def band(values: tuple, texts: dict[int, str]) -> tuple[str, str, int] | None:
        """(label, text, column) of a section band row: "二、…" alone on its row, or in 序号 with
        no 重点任务 (a note in 备注 does not make it a task)."""
        filled = [(position, _text(v)) for position, v in enumerate(values, start=1) if _text(v)]
        if not filled or (len(filled) > 1 and texts.get(TITLE)):
            return None
        position, text = filled[0]
        match = _SECTION_BAND.match(text)
        if match is None or (len(filled) > 1 and text != texts.get(SEQ)):
            return None
        return match[1], text, position

    def keyed_row(self, sheet: _Sheet, number: int, key: str, cells: dict, texts: dict) -> None:
        match = _KEY.match(key)
        if not match:
            self.problem(sheet, number, KEY, Errors.E617, key=texts[KEY][:30])
            return
        self.seen[key].append((sheet.title, number))
        task = self.dir.tasks.get(int(match[1]))
        if task is None:
            self.problem(sheet, number, KEY, Errors.E618, key=key)
            return
        if task.is_removed:
            self.problem(sheet, number, KEY, Errors.E619, key=key, version=task.removed_in_version)
            return
        measure = None
        if match[2]:
            measure = self.dir.measures.get(int(match[2]))
            if measure is None or measure.task_id != task.pk or measure.removed_in_version is not None:
                self.problem(sheet, number, KEY, Errors.E620, key=key)
                return
        if TITLE in sheet.columns and not texts.get(TITLE):
            self.problem(sheet, number, TITLE, Errors.E622)
            return
        if texts.get(TITLE) and _squeeze(texts[TITLE]) != _squeeze(task.title):
            self.reading.notes.append(f"工作表“{sheet.title}”第 {number} 行：“重点任务”的文字改动不会保存"
                                      f"（{key} 仍为“{task.title}”；任务内容以计划原文为准）")
        current = self.dir.assignments.get((task.pk, measure.pk if measure else None))
        change = self.assignment_change(sheet, number, cells, texts, current, task)
        if change is not None:
            change.kind, change.task, change.measure = "assign", task, measure
            change.number, change.title = task.number, task.title
        self.pending.append((key, change))

    def new_task(self, sheet: _Sheet, number: int, cells: dict, texts: dict, section: Section | None,
                 band_known: bool) -> None:
        title = " ".join(texts[TITLE].split())[:500]
        same = self.dir.titles.get(_squeeze(title))
        if same is not None:
            self.problem(sheet, number, TITLE, Errors.E628, key=f"T{same.pk}", title=same.title[:30])
            return
        if section is None and self.dir.sections:
            if band_known:  # under an unknown band the band row has its problem already
                self.problem(sheet, number, TITLE, Errors.E626)
            return
        change = self.assignment_change(sheet, number, cells, texts, None, None)
        if change is None:  # nothing wrong and nothing to assign: an unassigned new task
            change = RowChange(sheet.title, number, "new_task", "", title)
        change.kind, change.title, change.section = "new_task", title, section
        change.label = next_label(self.dir.plan, section, self.taken_labels[section.pk if section else None])
        change.number = f"{section.label}/{change.label}" if section else change.label
        change.measures = [m for m in (_LINE_MARK.sub("", line).strip() for line in texts.get(MEASURES, "").split("\n"))
                           if m]
        change.details.insert(0, f"新增任务，归入“{section}”" if section else "新增任务")
        self.pending.append(("", change))

    # -------- the assignment fields of one row

    def assignment_change(self, sheet: _Sheet, number: int, cells: dict, texts: dict,
                          current: Assignment | None, task: Task | None) -> RowChange | None:
        """The row's intended assignment; None when it equals ``current`` or a row has problems."""
        before = len(self.reading.problems)
        columns = sheet.columns
        lead = self.lead_unit(sheet, number, texts.get(LEAD, ""), current) if LEAD in columns else \
            (current.lead_unit if current else None)
        if PARTNERS in columns:
            partners = self.partner_units(sheet, number, texts.get(PARTNERS, ""), current)
        else:
            partners = list(current.partner_units.all()) if current else []
        if OWNER in columns:
            owner = self.owner(sheet, number, texts.get(OWNER, ""), current)
        else:
            owner = current.owner if current else None
        deadline = self.deadline(sheet, number, cells.get(DEADLINE)) if DEADLINE in columns else \
            (current.deadline if current else None)
        if len(self.reading.problems) > before:
            return None
        if lead is None:
            if current is not None:
                self.problem(sheet, number, LEAD, Errors.E624, unit=current.lead_unit.name)
            elif partners or owner is not None or (DEADLINE in columns and texts.get(DEADLINE)):
                self.problem(sheet, number, LEAD, Errors.E623)
            return None
        partners = sorted({u.pk: u for u in partners if u.pk != lead.pk}.values(), key=lambda u: u.path)
        first, last = self.dir.period
        start = current.start_date if current else first
        deadline = deadline or last
        changed_deadline = current is None or deadline != current.deadline
        if changed_deadline and not first <= deadline <= last:
            self.problem(sheet, number, DEADLINE, Errors.E614, deadline=deadline, start=first, end=last)
        elif deadline < start:
            self.problem(sheet, number, DEADLINE, Errors.E615, deadline=deadline, start=start)
        elif current is not None and changed_deadline:
            for milestone in current.milestones.all():
                if milestone.due > deadline:
                    self.problem(sheet, number, DEADLINE, Errors.E616, title=milestone.title[:30], due=milestone.due,
                                 deadline=deadline)
                    break
        if owner is not None and not belongs(owner, [lead, *partners]):
            self.problem(sheet, number, OWNER, Errors.E612, user=person_label(owner))
        if len(self.reading.problems) > before:
            return None
        details = _differences(current, lead, partners, owner, deadline)
        if current is not None and not details:
            return None
        return RowChange(sheet.title, number, "assign", "", "", task=task, assignment=current, lead_unit=lead,
                         partner_units=partners, owner=owner, deadline=deadline, start_date=start, details=details)

    def units_named(self, sheet: _Sheet, number: int, column: int, text: str,
                    current: Iterable[OrgUnit]) -> OrgUnit | None:
        """The unit ``text`` names, or None after recording why not."""
        candidates = self.dir.units.get(_squeeze(text), [])
        kept = [u for u in candidates if u in current]
        if kept:
            return kept[0]  # what is stored stays, even if the unit was renamed twice or closed since
        active = [u for u in candidates if u.active]
        if len(active) == 1:
            return active[0]
        if not candidates:
            self.problem(sheet, number, column, Errors.E605, unit=text)
        elif not active:
            self.problem(sheet, number, column, Errors.E607, unit=text)
        else:
            self.problem(sheet, number, column, Errors.E606, unit=text, count=len(active))
        return None

    def lead_unit(self, sheet: _Sheet, number: int, text: str, current: Assignment | None) -> OrgUnit | None:
        if not text:
            return None
        names = self.split_names(text)
        if len(names) > 1:
            self.problem(sheet, number, LEAD, Errors.E608, value=text)
            return None
        return self.units_named(sheet, number, LEAD, names[0] if names else text,
                                [current.lead_unit] if current else [])

    def partner_units(self, sheet: _Sheet, number: int, text: str, current: Assignment | None) -> list[OrgUnit]:
        had = list(current.partner_units.all()) if current else []
        found = []
        for name in self.split_names(text):
            unit = self.units_named(sheet, number, PARTNERS, name, had)
            if unit is not None:
                found.append(unit)
        return found

    def split_names(self, text: str) -> list[str]:
        """Unit names separated by 、，,;； or newlines; by spaces only if every piece is a unit."""
        names = [n.strip() for n in _SEPARATORS.split(text) if n.strip()]
        result = []
        for name in names:
            pieces = name.split()
            if len(pieces) > 1 and _squeeze(name) not in self.dir.units \
                    and all(_squeeze(p) in self.dir.units for p in pieces):
                result.extend(pieces)
            else:
                result.append(name)
        return result

    def owner(self, sheet: _Sheet, number: int, text: str, current: Assignment | None):
        if not text:
            return None
        if len([n for n in _SEPARATORS.split(text) if n.strip()]) > 1:
            self.problem(sheet, number, OWNER, Errors.E611, value=text)
            return None
        users = self.dir.users_named(text)
        if current is not None and current.owner is not None and current.owner in users:
            return current.owner  # unchanged, even if the person has since left
        users = [u for u in users if u.is_active]
        if len(users) == 1:
            return users[0]
        if users:
            self.problem(sheet, number, OWNER, Errors.E610, user=text, count=len(users))
        else:
            self.problem(sheet, number, OWNER, Errors.E609, user=text)
        return None

    def deadline(self, sheet: _Sheet, number: int, value: Any) -> date | None:
        try:
            return parse_date(value, epoch=self.epoch, plan_years=self.dir.years)
        except (ValueError, OverflowError):
            self.problem(sheet, number, DEADLINE, Errors.E613, value=_text(value)[:40])
            return None

    # -------- after every sheet

    def finish(self) -> None:
        duplicates = {key: places for key, places in self.seen.items() if len(places) > 1}
        for key, places in duplicates.items():
            rows = "、".join(str(row) for _sheet, row in places)
            for sheet_title, row in places:
                self.problem(self.layouts[sheet_title], row, KEY, Errors.E621, key=key, rows=rows)
        for key, change in self.pending:
            if key in duplicates:
                continue
            if change is None:
                self.reading.unchanged += 1
            else:
                self.reading.changes.append(change)
        order = {title: index for index, title in enumerate(self.reading.sheets)}
        self.reading.problems.sort(key=lambda p: (order.get(p.sheet, 0), p.row, len(p.column_letter),
                                                  p.column_letter))


def _names(units: Iterable[OrgUnit]) -> str:
    return "、".join(u.name for u in units) or "（无）"


def _differences(current: Assignment | None, lead: OrgUnit, partners: list[OrgUnit], owner, deadline: date) -> list[str]:
    """What changes, in words; empty when the row says what is stored."""
    if current is None:
        details = [f"牵头单位：{lead.name}"]
        if partners:
            details.append(f"配合单位：{_names(partners)}")
        if owner is not None:
            details.append(f"责任人：{person_label(owner)}")
        details.append(f"完成时限：{deadline}")
        return details
    details = []
    if current.lead_unit_id != lead.pk:
        details.append(f"牵头单位：{current.lead_unit.name} → {lead.name}")
    had = sorted(current.partner_units.all(), key=lambda u: u.path)
    if {u.pk for u in had} - {lead.pk} != {u.pk for u in partners}:
        details.append(f"配合单位：{_names(had)} → {_names(partners)}")
    if current.owner_id != (owner.pk if owner is not None else None):
        old = person_label(current.owner) if current.owner else "（无）"
        details.append(f"责任人：{old} → {person_label(owner) if owner is not None else '（无）'}")
    if current.deadline != deadline:
        details.append(f"完成时限：{current.deadline} → {deadline}")
    return details


# ---------------------------------------------------------------- new tasks

def next_label(plan: Plan, section: Section | None, taken: set[str]) -> str:
    """The next free number in ``section`` ("11" after "二/10"), skipping ``taken``; reserves it."""
    tasks = Task.objects.filter(plan=plan, section=section) if section else Task.objects.filter(plan=plan,
                                                                                              section__isnull=True)
    numbers = set(Task.objects.filter(plan=plan).values_list("number", flat=True))
    highest = 0
    for number in tasks.values_list("number", flat=True):
        parts = number.split("/")
        head = parts[1] if section is not None and len(parts) > 1 else parts[0]
        if head.isdigit():
            highest = max(highest, int(head))
    for label in taken:
        highest = max(highest, int(label))
    candidate = highest + 1
    prefix = f"{section.label}/" if section else ""
    while f"{prefix}{candidate}" in numbers:
        candidate += 1
    taken.add(str(candidate))
    return str(candidate)


def _create_task(change: RowChange, plan: Plan, user) -> Task:
    section = change.section
    siblings = Task.objects.filter(plan=plan, section=section) if section else Task.objects.filter(plan=plan)
    last = siblings.order_by("-order").values_list("order", flat=True).first()
    if last is None:
        last = section.order if section else -1
    order = last + 1
    # Make room: everything after the section's last task moves down one place.
    Task.objects.filter(plan=plan, order__gte=order).update(order=F("order") + 1)
    Section.objects.filter(plan=plan, order__gte=order).update(order=F("order") + 1)
    label = next_label(plan, section, set())
    task = Task.objects.create(plan=plan, section=section, label=label,
                               number=(f"{section.label}/{label}" if section else label)[:60],
                               title=change.title or "（无标题）", order=order)
    Measure.objects.bulk_create(Measure(task=task, text=text, order=index) for index, text in enumerate(change.measures))
    record(user, "task.create", task, {}, {"number": task.number, "title": task.title,
                                           "section": str(section) if section else "", "source": FROM_TABLE})
    return task


# ---------------------------------------------------------------- applying

def apply_breakdown(reading: BreakdownReading, *, user, today: date | None = None) -> BreakdownResult:
    """Make the reading's changes in one transaction; nothing at all if it has problems."""
    if reading.problems:
        raise EduplanError(Errors.E629, count=len(reading.problems))
    plan = reading.plan
    scope = scope_for(user)
    if not (scope.can_assign and scope.covers(plan.bureau)):
        raise PermissionDenied("只有可以分派本计划全部任务的管理员才能导入任务分解表")
    result = BreakdownResult(unchanged=reading.unchanged)
    with transaction.atomic():
        Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one import of a plan at a time
        for change in reading.changes:
            task = change.task
            if change.kind == "new_task":
                task = _create_task(change, plan, user)
                result.created.append(task)
                if change.lead_unit is None:
                    continue
            assert task is not None and change.lead_unit is not None
            current = change.assignment
            same_lead = current is not None and current.lead_unit_id == change.lead_unit.pk
            result.assignments.append(assign_task(
                task, user=user, lead_unit=change.lead_unit, partner_units=change.partner_units, owner=change.owner,
                deadline=change.deadline, start_date=change.start_date, measure=change.measure,
                suggestion=current.suggestion if same_lead else FROM_TABLE, today=today))
    return result
