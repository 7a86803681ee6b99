"""The 工作台账 (progress ledger) as an .xlsx workbook.

Sheet "工作台账": one row per assignment (the whole task, or one measure of a split task;
an unassigned task gets one row of its own), with its status and light judged by
``tracking.status`` as on the dashboard, the latest report, and one column per reporting
period with that period's percent and a short narrative. The 预警 column is coloured by
conditional formatting rules, so a light edited in Excel recolours itself.

Sheet "汇总": the dashboard's figures (``dashboard.summary.summarize``), by lead unit and
by section.

Built for city-scale exports (12,000 assignments × 12 periods): the reports come in one
``values_list`` query, the workbook is written in openpyxl's write-only mode (rows stream to
disk), every cell takes a prebuilt style, and ``progress(done, total)`` is called every
few hundred rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.styles.named_styles import NamedStyleList
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList

from eduplan.dashboard.summary import UNASSIGNED, Group, Summary, summarize
from eduplan.errors import EduplanError, Errors
from eduplan.plan.render_xlsx import (
    BODY_FONT,
    BOLD_FONT,
    BORDER,
    CENTERED,
    HEADER_FILL,
    HEADER_FONT,
    TITLE_FONT,
    WRAP_TOP,
    WRAP_TOP_CENTER,
    cell_text,
    keep_as_text,
    print_setup,
)
from eduplan.reports.bulletin.facts import heading
from eduplan.tracking.clock import local_date
from eduplan.tracking.models import Assignment, Measure, ProgressReport, Target, Task
from eduplan.tracking.progress import period_label
from eduplan.tracking.status import Light, Status, Thresholds, Verdict
from eduplan.tracking.warnings import (
    TaskState,
    assignment_verdict,
    for_states,
    latest_actuals,
    task_states,
    thresholds_for,
)

Progress = Callable[[int, int], None]

LEDGER_SHEET = "工作台账"
SUMMARY_SHEET = "汇总"
TITLE_ROW, HEADER_ROW, FIRST_BODY_ROW = 1, 2, 3

# (header, width in Excel character units); a Chinese character takes about two.
MAIN_COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 5), ("重点任务", 32), ("牵头单位", 14), ("配合单位", 16), ("责任人", 8), ("完成时限", 11),
    ("状态", 11), ("预警", 5), ("进度", 6), ("最新进展", 32), ("最近填报", 11),
)
PLAN_COLUMN = ("所属计划", 16)  # only when the ledger spans several plans
PERIOD_WIDTH = 20
PARTNERS_SHOWN = 8  # more partner units than this are summarised as "等N个单位"
NARRATIVE_MAX = 300  # characters of the latest narrative
PERIOD_NARRATIVE_MAX = 16  # characters of a period's narrative: two lines in its column
PROGRESS_EVERY = 250  # rows between progress calls

LIGHT_FILLS = {  # the fills of the conditional formatting rules, Excel's own "good/neutral/bad" colours
    Light.RED: PatternFill(start_color="FFC7CE", end_color="FFC7CE", fill_type="solid"),
    Light.YELLOW: PatternFill(start_color="FFEB9C", end_color="FFEB9C", fill_type="solid"),
    Light.GREEN: PatternFill(start_color="C6EFCE", end_color="C6EFCE", fill_type="solid"),
}
LIGHT_FONTS = {Light.RED: Font(color="9C0006"), Light.YELLOW: Font(color="9C5700"), Light.GREEN: Font(color="006100")}
PERCENT_FORMAT = '0"%"'  # whole percents stored as numbers: they sort and filter, and typing 60 means 60%
DATE_FORMAT = "yyyy-mm-dd"
NOTE_FONT = Font(name=BODY_FONT.name, size=10, italic=True, color="595959")

LINE_HEIGHT = 15.0  # points per line of 11 pt text, with the leading of CJK fonts



@dataclass(frozen=True)
class LedgerRow:
    """One row of the ledger, independent of openpyxl (tests and other outputs use it)."""

    plan: str
    task: str
    lead: str
    partners: str
    owner: str
    deadline: date | None
    status: Status
    light: Light
    percent: int
    latest: str
    reported_on: date | None
    periods: dict[str, str]


# ---------------------------------------------------------------- gathering the data

def _partners(names: Sequence[str]) -> str:
    if len(names) <= PARTNERS_SHOWN:
        return "、".join(names)
    return "、".join(names[:PARTNERS_SHOWN]) + f"等{len(names)}个单位"


_BREAKS = "，。；、,;：:！？!?"


def _short(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut after a clause where one ends late enough, so a
    number is not cut in half ("已完成阶段工作约8…")."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    cut = max(head.rfind(mark) for mark in _BREAKS)
    if cut >= limit // 2:
        head = head[:cut]
    elif head[-1:].isdigit() and text[len(head)] in "0123456789.%":
        head = head.rstrip("0123456789.")  # whole numbers or none
    return head.rstrip(_BREAKS + " ") + "…"


def _ordered_tasks(tasks: QuerySet[Task]) -> list[Task]:
    return list(for_states(tasks)
                .order_by("plan_id", "order", "id"))


def _reports(task_ids: list[int]) -> tuple[dict[int, dict[str, tuple[int, str, str]]], dict[int, str]]:
    """Per assignment: the newest report of each period, and the newest narrative overall."""
    by_period: dict[int, dict[str, tuple[int, str, str]]] = defaultdict(dict)
    latest: dict[int, str] = {}
    rows = (ProgressReport.objects.filter(assignment__task_id__in=task_ids)
            .order_by("assignment_id", "created_at", "id")
            .values_list("assignment_id", "period", "percent", "state", "narrative"))
    for assignment_id, period, percent, state, narrative in rows.iterator(chunk_size=5000):
        by_period[assignment_id][period] = (percent, state, narrative)
        latest[assignment_id] = narrative
    return by_period, latest


def _period_text(percent: int, state: str, narrative: str) -> str:
    done = "（已完成）" if state == ProgressReport.State.DONE else ""
    blocked = "（遇到困难）" if state == ProgressReport.State.BLOCKED else ""
    return f"{percent}%{done}{blocked} {_short(narrative, PERIOD_NARRATIVE_MAX)}".strip()


def _assignment_verdicts(states: Sequence[TaskState], today: date) -> dict[int, Verdict]:
    """The verdict of each assignment of a split task (a single assignment's is its task's)."""
    split = [s for s in states if len(s.assignments) > 1]
    if not split:
        return {}
    targets: dict[int, list[Target]] = defaultdict(list)
    for target in (Target.objects.filter(task_id__in=[s.task.pk for s in split], removed_in_version__isnull=True)
                   .select_related("indicator")):
        targets[target.task_id].append(target)
    actuals = latest_actuals(t for ts in targets.values() for t in ts)
    thresholds: dict[int, Thresholds] = {}
    verdicts = {}
    for state in split:
        bureau = state.task.plan.bureau
        if bureau.pk not in thresholds:
            thresholds[bureau.pk] = thresholds_for(bureau)
        for a in state.assignments:
            verdicts[a.pk] = assignment_verdict(a, targets[state.task.pk], actuals, today, thresholds[bureau.pk])
    return verdicts


def ledger_rows(states: Sequence[TaskState], today: date, periods: Sequence[str] | None = None,
                ) -> tuple[list[str], Iterable[LedgerRow]]:
    """The period columns and the rows (a generator, so a big ledger streams)."""
    task_ids = [s.task.pk for s in states]
    by_period, latest = _reports(task_ids)
    if periods is None:
        periods = sorted({p for reports in by_period.values() for p in reports})
    periods = list(periods)
    owners = {pk: first or username for pk, first, username in Assignment.objects.filter(
        task_id__in=task_ids, owner__isnull=False).values_list("pk", "owner__first_name", "owner__username")}
    measures = {pk: (order, text) for pk, order, text in Measure.objects.filter(
        task_id__in=task_ids, assignments__isnull=False).values_list("pk", "order", "text")}
    verdicts = _assignment_verdicts(states, today)

    def rows() -> Iterable[LedgerRow]:
        for state in states:
            task = state.task
            task_title = heading(task)
            if not state.assignments:
                yield LedgerRow(task.plan.title, task_title, UNASSIGNED, "", "", None, state.verdict.status,
                                state.verdict.light, 0, "", None, {})
                continue
            ordered = sorted(state.assignments,
                             key=lambda a: (a.measure_id is not None, measures.get(a.measure_id, (0, ""))[0], a.pk))
            for a in ordered:
                verdict = verdicts.get(a.pk, state.verdict)
                title = task_title
                if a.measure_id is not None:
                    title = f"{task_title}\n【措施】{measures.get(a.measure_id, (0, ''))[1]}"
                reports = by_period.get(a.pk, {})
                yield LedgerRow(
                    plan=task.plan.title, task=title, lead=a.lead_unit.name,
                    partners=_partners([u.name for u in a.partner_units.all()]),
                    owner=owners.get(a.pk, ""), deadline=a.deadline, status=verdict.status, light=verdict.light,
                    percent=a.latest_percent, latest=_short(latest.get(a.pk, ""), NARRATIVE_MAX),
                    reported_on=local_date(a.latest_report_at),
                    periods={p: _period_text(*reports[p]) for p in periods if p in reports})

    return periods, rows()


# ---------------------------------------------------------------- writing cells

class _Styles:
    """Prototype cells whose style arrays are copied onto every new cell: much faster than
    setting font, border and alignment one by one on 250,000 cells."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self._protos: dict[str, WriteOnlyCell] = {}
        self.add("text", BODY_FONT, WRAP_TOP)
        self.add("center", BODY_FONT, WRAP_TOP_CENTER)
        self.add("percent", BODY_FONT, WRAP_TOP_CENTER, PERCENT_FORMAT)
        self.add("date", BODY_FONT, WRAP_TOP_CENTER, DATE_FORMAT)
        self.add("header", HEADER_FONT, CENTERED, fill=HEADER_FILL)
        self.add("bold", BOLD_FONT, WRAP_TOP)
        self.add("number", BODY_FONT, Alignment(vertical="top", horizontal="right"))
        self.add("title", TITLE_FONT, Alignment(horizontal="left", vertical="center"), border=False)
        self.add("section", BOLD_FONT, Alignment(vertical="center"), border=False)
        self.add("note", NOTE_FONT, Alignment(vertical="top", wrap_text=False), border=False)
        for light in Light:
            self.add(f"light-{light.value}", BODY_FONT, WRAP_TOP_CENTER)

    def add(self, name: str, font: Font, alignment: Alignment, number_format: str | None = None, *,
            fill: PatternFill | None = None, border: bool = True) -> None:
        proto = WriteOnlyCell(self.ws)
        proto.font, proto.alignment = font, alignment
        if border:
            proto.border = BORDER
        if fill is not None:
            proto.fill = fill
        if number_format:
            proto.number_format = number_format
        self._protos[name] = proto

    def cell(self, value: object, style: str = "text") -> WriteOnlyCell:
        if isinstance(value, str):
            value = cell_text(value) or None
        cell = WriteOnlyCell(self.ws, value=value)
        cell._style = copy(self._protos[style]._style)
        return keep_as_text(cell)  # report text, never a formula


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def _write_ledger_sheet(ws, rows: Iterable[LedgerRow], periods: list[str], *, title: str, several_plans: bool,
                        total: int, progress: Progress | None) -> int:
    columns = list(MAIN_COLUMNS)
    if several_plans:
        columns.insert(1, PLAN_COLUMN)
    columns += [(period_label(p), PERIOD_WIDTH) for p in periods]
    for index, (_, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    frozen_columns = 3 if several_plans else 2
    ws.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{FIRST_BODY_ROW}"
    styles = _Styles(ws)

    ws.row_dimensions[TITLE_ROW].height = 30  # must precede the rows in write-only mode
    ws.row_dimensions[HEADER_ROW].height = 22
    _print_layout(ws)  # so must the page setup: a write-only sheet writes its properties first
    # Not merged: a left-aligned title runs on into the empty cells, and sorting or filtering
    # the sheet never meets a merged range.
    ws.append([styles.cell(title, "title")])
    ws.append([styles.cell(name, "header") for name, _ in columns])

    light_column = [name for name, _ in columns].index("预警") + 1
    widths = [width for _, width in columns]
    number = 0
    for number, row in enumerate(rows, start=1):
        cells = [styles.cell(number, "center")]
        if several_plans:
            cells.append(styles.cell(row.plan))
        cells += [
            styles.cell(row.task), styles.cell(row.lead), styles.cell(row.partners), styles.cell(row.owner),
            styles.cell(row.deadline, "date"), styles.cell(row.status.label, "center"),
            styles.cell(row.light.label, f"light-{row.light.value}"), styles.cell(row.percent, "percent"),
            styles.cell(row.latest), styles.cell(row.reported_on, "date"),
        ]
        cells += [styles.cell(row.periods.get(p, "")) for p in periods]
        ws.row_dimensions[FIRST_BODY_ROW + number - 1].height = _row_height(cells, widths)
        ws.append(cells)
        if number % PROGRESS_EVERY == 0:
            _report(progress, number, total)

    last_row = FIRST_BODY_ROW + number - 1
    last_column = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{max(last_row, HEADER_ROW)}"
    if number:
        letter = get_column_letter(light_column)
        cells = f"{letter}{FIRST_BODY_ROW}:{letter}{last_row}"
        for light in (Light.RED, Light.YELLOW, Light.GREEN):
            ws.conditional_formatting.add(cells, CellIsRule(operator="equal", formula=[f'"{light.label}"'],
                                                            fill=LIGHT_FILLS[light], font=LIGHT_FONTS[light]))
    return number


def _text_lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` units wide (a CJK character takes two)."""
    room = max(1.0, width - 1.2)
    lines = 0
    for part in text.split("\n"):
        units = sum(2 if ord(ch) > 0x2E7F else 1.1 for ch in part)
        lines += max(1, -int(-units // room))
    return lines


def _row_height(cells: Sequence[WriteOnlyCell], widths: Sequence[float]) -> float | None:
    """A height that shows every line of the row's wrapped text. Excel would fit rows itself
    when a file opens, LibreOffice does not, and a printed ledger must show all the text;
    None (the default height) for one-line rows."""
    lines = 1
    for cell, width in zip(cells, widths, strict=False):
        value = cell.value
        if isinstance(value, str) and (len(value) * 2 > width - 1.2 or "\n" in value):
            lines = max(lines, _text_lines(value, width))
    return None if lines == 1 else round(lines * LINE_HEIGHT + 3, 1)


def _print_layout(ws) -> None:
    """A4 landscape, every column one page wide, the header row on every page: a ledger
    split across pages by columns needs the sheets laid side by side to be read."""
    print_setup(ws, HEADER_ROW, fit_width=True)
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


# ---------------------------------------------------------------- the summary sheet

SUMMARY_COLUMNS = ("名称", "任务数", *(s.label for s in Status), "完成率", "平均进度", "红灯", "黄灯", "绿灯")
SUMMARY_WIDTHS = (40, 8, 8, 11, 8, 8, 8, 8, 9, 7, 7, 7)


def group_cells(group: Group) -> list[object]:
    """A summary row: the group's figures as ``summarize`` counted them."""
    return [group.name, group.total, *(group.statuses.get(s, 0) for s in Status), group.done_share,
            group.average_percent, *(group.lights.get(light, 0) for light in (Light.RED, Light.YELLOW, Light.GREEN))]


def _write_summary_sheet(ws, summary: Summary, *, title: str) -> None:
    for index, width in enumerate(SUMMARY_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    styles = _Styles(ws)
    styles.add("light-head-red", HEADER_FONT, CENTERED, fill=LIGHT_FILLS[Light.RED])
    styles.add("light-head-yellow", HEADER_FONT, CENTERED, fill=LIGHT_FILLS[Light.YELLOW])
    styles.add("light-head-green", HEADER_FONT, CENTERED, fill=LIGHT_FILLS[Light.GREEN])
    ws.row_dimensions[1].height = 30
    print_setup(ws, 1)  # before the first row, as on the ledger sheet
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.append([styles.cell(title, "title")] + [styles.cell(None, "title") for _ in SUMMARY_COLUMNS[1:]])
    ws.merged_cells.add(f"A1:{get_column_letter(len(SUMMARY_COLUMNS))}1")
    rows = [1]  # the last row written (write-only sheets do not say)

    def header(first: str) -> None:
        light_styles = {"红灯": "light-head-red", "黄灯": "light-head-yellow", "绿灯": "light-head-green"}
        ws.append([styles.cell(first if i == 0 else name, light_styles.get(name, "header"))
                   for i, name in enumerate(SUMMARY_COLUMNS)])
        rows[0] += 1

    def body(values: list[object], style: str = "text") -> None:
        cells = [styles.cell(values[0], style)]
        for column, value in enumerate(values[1:], start=2):
            fmt = "percent" if SUMMARY_COLUMNS[column - 1] in ("完成率", "平均进度") else "center"
            cells.append(styles.cell(value, fmt))
        rows[0] += 1
        ws.row_dimensions[rows[0]].height = _row_height(cells, SUMMARY_WIDTHS)
        ws.append(cells)

    def band(text: str) -> None:
        ws.append([])
        ws.append([styles.cell(text, "section")])
        rows[0] += 2

    total = Group("合计")
    total.total = summary.total
    total.done = summary.by_status.get(Status.DONE, 0)
    total.statuses.update(summary.by_status)
    total.lights.update(summary.by_light)
    total.percent_sum = sum(g.percent_sum for g in summary.by_section)

    band("一、总体情况")
    header("范围")
    body(group_cells(total), "bold")
    band("二、按牵头单位")
    header("牵头单位")
    for group in summary.by_department:
        body(group_cells(group))
    band("三、按部分")
    header("部分")
    for group in summary.by_section:
        body(group_cells(group))
    ws.append([])
    for note in ("说明：按任务统计，状态与预警同工作台。一项任务分给多个单位牵头时分别计入各单位，状态取该任务最不利的判定；",
                 "完成率 = 已完成任务数 ÷ 任务数；平均进度按各任务最新填报进度计算（已完成计 100%）。"):
        ws.append([styles.cell(note, "note")])


# ---------------------------------------------------------------- the workbook

def _use_default_font(workbook: Workbook, font: Font) -> None:
    """Make ``font`` the workbook's default (the Normal style's) font instead of Calibri.

    Excel and LibreOffice measure column widths in digits of the default font; with 宋体 the
    widths come out the same wherever the file is opened, where Calibri would be replaced by
    a wider font on machines that lack it. (openpyxl has no public call for this; its
    version is pinned.)
    """
    workbook._fonts = IndexedList([font])
    workbook._named_styles = NamedStyleList()
    workbook.add_named_style(NamedStyle(name="Normal", font=copy(font), builtinId=0))


def ledger_title(tasks: Sequence[Task], today: date) -> str:
    plans = {t.plan.title: None for t in tasks}
    name = next(iter(plans)) if len(plans) == 1 else "教育工作要点"
    return f"{name}工作台账（截至{today.year}年{today.month}月{today.day}日）"


def write_ledger(tasks: QuerySet[Task], target: str | Path | BinaryIO, *, today: date,
                 periods: Sequence[str] | None = None, progress: Progress | None = None) -> int:
    """Write the ledger of ``tasks`` (already scoped by the caller) to a path or binary
    stream; returns the number of ledger rows. ``periods`` ("2025-01", …) chooses the
    period columns (default: every period with a report); ``progress(done, total)`` is
    called with the rows written so far."""
    task_list = _ordered_tasks(tasks)
    states = task_states(task_list, today)
    total = sum(max(1, len(s.assignments)) for s in states)
    _report(progress, 0, total)
    summary = summarize(states, today, warning_limit=0)
    period_list, rows = ledger_rows(states, today, periods)
    several_plans = len({t.plan_id for t in task_list}) > 1
    title = ledger_title(task_list, today) if task_list else f"工作台账（截至{today.year}年{today.month}月{today.day}日）"

    workbook = Workbook(write_only=True)
    _use_default_font(workbook, BODY_FONT)
    ledger = workbook.create_sheet(LEDGER_SHEET)
    count = _write_ledger_sheet(ledger, rows, period_list, title=title, several_plans=several_plans, total=total,
                                progress=progress)
    _write_summary_sheet(workbook.create_sheet(SUMMARY_SHEET), summary, title=title.replace("工作台账", "工作台账汇总"))
    try:
        workbook.save(target)
    except OSError as exc:
        raise EduplanError(Errors.E301, path=target, reason=exc.strerror or exc) from exc
    _report(progress, total, total)
    return count
