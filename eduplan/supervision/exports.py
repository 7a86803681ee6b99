"""Supervision's files: the 问题清单/整改台账 and the appraisal sheet (xlsx), the 督导通报 (docx).

The workbooks use the cell helpers of the 任务分解表 (``plan.render_xlsx``: fonts, borders,
text kept as text, A4 landscape with the header row on every page). The 督导通报 is laid out
by the 督查通报's own layout code (``reports.bulletin.document``): the same masthead, title,
fonts, tables and signature, filled with the round's facts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import BinaryIO

from django.db.models import OuterRef, Subquery
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from eduplan.errors import EduplanError, Errors
from eduplan.plan.render_xlsx import (
    FIRST_BODY_ROW,
    HEADER_ROW,
    WRAP_TOP_CENTER,
    print_setup,
    put_cell,
    write_header,
    write_title,
)
from eduplan.reports.bulletin import document as layout
from eduplan.reports.bulletin.document import Block, Table, chinese_date
from eduplan.tracking.clock import local_date

from .escalation import Escalation
from .models import Finding, Rectification, RectificationReport, Round
from .scoring import Sheet, points_text

STEP_FILLS = {"blue": PatternFill("solid", fgColor="DDEBF7"), "yellow": PatternFill("solid", fgColor="FFEB9C"),
              "red": PatternFill("solid", fgColor="FFC7CE")}
STEP_FONTS = {"blue": Font(name="宋体", size=11, color="1F4E79"), "yellow": Font(name="宋体", size=11, color="9C5700"),
              "red": Font(name="宋体", size=11, color="9C0006")}

LEDGER_COLUMNS = ("序号", "督导轮次", "学校", "检查项目", "问题描述", "严重程度", "发现日期", "整改责任单位",
                  "整改时限", "整改状态", "督办等级", "逾期天数", "最新整改情况", "销号日期", "审核人")
LEDGER_WIDTHS = (6, 18, 16, 22, 36, 8, 11, 14, 11, 9, 9, 8, 30, 11, 10)


def _layout(ws, widths: Sequence[int]) -> None:
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = ws.cell(row=FIRST_BODY_ROW, column=1)
    print_setup(ws, HEADER_ROW)


def _save(workbook: Workbook, target: str | Path | BinaryIO) -> None:
    try:
        workbook.save(target)
    except OSError as exc:
        raise EduplanError(Errors.E301, path=target, reason=exc.strerror or exc) from exc


def step_label(rect: Rectification, step: Escalation | None) -> str:
    """The 督办等级 cell: the step, "待审核" while the bureau reviews (no step then), else "—"."""
    if step is not None:
        return step.step.label
    return rect.get_state_display() if rect.state == Rectification.State.SUBMITTED else "—"


def latest_narratives(rectification_ids: Sequence[int]) -> dict[int, str]:
    """Each rectification's newest report text, read in one query for the whole ledger."""
    newest = (RectificationReport.objects.filter(rectification=OuterRef("pk")).order_by("-created_at", "-id")
              .values("narrative")[:1])
    return {pk: text for pk, text in Rectification.objects.filter(pk__in=list(rectification_ids))
            .annotate(latest=Subquery(newest)).values_list("pk", "latest") if text is not None}


def ledger_rows(findings: Sequence[Finding], escalations: dict[int, Escalation | None]) -> list[list[str]]:
    rows = []
    narratives = latest_narratives([finding.rectification.pk for finding in findings])
    for number, finding in enumerate(findings, start=1):
        rect: Rectification = finding.rectification
        step = escalations.get(rect.pk)
        closed_on = local_date(rect.closed_at)  # the local day, as the pages show it, not the UTC one
        rows.append([str(number), finding.round.title, finding.school.name, finding.item.text if finding.item else "",
                     finding.description, finding.get_severity_display(), f"{finding.found_on:%Y-%m-%d}",
                     rect.assignee_unit.name, f"{rect.deadline:%Y-%m-%d}", rect.get_state_display(),
                     step_label(rect, step), str(step.days_overdue) if step and step.days_overdue else "",
                     narratives.get(rect.pk, ""), f"{closed_on:%Y-%m-%d}" if closed_on else "",
                     (rect.closed_by.first_name or rect.closed_by.username) if rect.closed_by else ""])
    return rows


def write_ledger(findings: Sequence[Finding], escalations: dict[int, Escalation | None],
                 target: str | Path | BinaryIO, *, title: str) -> int:
    """问题清单 and 整改台账 in one sheet, a 汇总 sheet by school; returns the rows written."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "问题清单"
    write_title(ws, title, width=len(LEDGER_COLUMNS))
    write_header(ws, LEDGER_COLUMNS)
    rows = ledger_rows(findings, escalations)
    for offset, values in enumerate(rows):
        row = FIRST_BODY_ROW + offset
        for column, text in enumerate(values, start=1):
            cell = put_cell(ws, row, column, text)
            if column in (1, 6, 7, 9, 10, 11, 12, 14):
                cell.alignment = WRAP_TOP_CENTER
        rect = findings[offset].rectification
        step = escalations.get(rect.pk)
        if step is not None:  # the 督办等级 cell in its colour
            cell = ws.cell(row=row, column=11)
            cell.fill, cell.font = STEP_FILLS[step.step.colour], STEP_FONTS[step.step.colour]
    _layout(ws, LEDGER_WIDTHS)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(LEDGER_COLUMNS))}{HEADER_ROW + max(len(rows), 1)}"
    _summary_sheet(workbook, findings)
    _save(workbook, target)
    return len(rows)


SUMMARY_COLUMNS = ("学校", "问题数", "一般", "较重", "重大", "已销号", "待审核", "整改中", "销号率")


def summary_rows(findings: Sequence[Finding]) -> list[list[str]]:
    schools: dict[str, Counter] = {}
    for finding in findings:
        counts = schools.setdefault(finding.school.name, Counter())
        counts["total"] += 1
        counts[finding.severity] += 1
        counts[finding.rectification.state] += 1
    rows = []
    for name, c in schools.items():
        share = f"{100 * c['closed'] / c['total']:.1f}%" if c["total"] else "—"
        rows.append([name, str(c["total"]), str(c["minor"]), str(c["serious"]), str(c["critical"]),
                     str(c["closed"]), str(c["submitted"]), str(c["open"]), share])
    return rows


def _summary_sheet(workbook: Workbook, findings: Sequence[Finding]) -> None:
    ws = workbook.create_sheet("汇总")
    write_title(ws, "整改情况汇总", width=len(SUMMARY_COLUMNS))
    write_header(ws, SUMMARY_COLUMNS)
    for offset, values in enumerate(summary_rows(findings)):
        for column, text in enumerate(values, start=1):
            put_cell(ws, FIRST_BODY_ROW + offset, column, text)
    _layout(ws, (22, 8, 8, 8, 8, 8, 8, 8, 9))


# ---------------------------------------------------------------- appraisal

APPRAISAL_COLUMNS = ("序号", "考核项目", "分值", "说明")


def write_appraisal(sheets: Sequence[Sheet], target: str | Path | BinaryIO, *, year: int) -> None:
    """A 汇总 sheet (one row per unit) and one sheet per unit with its lines and their details."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "汇总"
    columns = ("序号", "单位", "基础分", "加分", "扣分", "考核人调整", "总分", "等次")
    write_title(ws, f"{year}年度目标管理考核得分汇总", width=len(columns))
    write_header(ws, columns)
    for offset, sheet in enumerate(sheets):
        plus = sum((line.points for line in sheet.lines if line.code == "on_time"), start=type(sheet.base)(0))
        minus = sum((line.points for line in sheet.lines if line.code in ("late", "missing", "unfinished")),
                    start=type(sheet.base)(0))
        adjusted = sheet.total - sheet.computed_total
        values = [str(offset + 1), sheet.unit, points_text(sheet.base), points_text(plus), points_text(minus),
                  points_text(adjusted), points_text(sheet.total), sheet.grade]
        for column, text in enumerate(values, start=1):
            put_cell(ws, FIRST_BODY_ROW + offset, column, text)
    _layout(ws, (6, 24, 8, 8, 8, 10, 8, 16))
    taken: set[str] = {"汇总"}
    for sheet in sheets:
        name = _sheet_name(sheet.unit, taken)
        unit_ws = workbook.create_sheet(name)
        write_title(unit_ws, f"{sheet.unit}{year}年度目标管理考核评分表", width=len(APPRAISAL_COLUMNS))
        write_header(unit_ws, APPRAISAL_COLUMNS)
        rows = [["", "基础分", points_text(sheet.base), ""]]
        rows += [["", line.text, points_text(line.points), "\n".join(line.details)] for line in sheet.lines]
        rows.append(["", "总分", points_text(sheet.total), sheet.grade])
        for offset, values in enumerate(rows):
            values[0] = str(offset + 1)
            for column, text in enumerate(values, start=1):
                put_cell(unit_ws, FIRST_BODY_ROW + offset, column, text)
        _layout(unit_ws, (6, 40, 8, 60))
    _save(workbook, target)


def _sheet_name(unit: str, taken: set[str]) -> str:
    base = "".join(ch for ch in unit if ch not in "[]:*?/\\")[:28] or "单位"
    name, number = base, 2
    while name in taken:
        name, number = f"{base[:26]}{number}", number + 1
    taken.add(name)
    return name


# ---------------------------------------------------------------- 督导通报

def notice_blocks(round_: Round, findings: Sequence[Finding], escalations: dict[int, Escalation | None], *,
                  issuer: str, day: date, number: str = "") -> list[Block]:
    """The notice's text, block by block, in the order of the 督查通报."""
    kind = round_.get_kind_display()
    severities = Counter(f.severity for f in findings)
    states = Counter(f.rectification.state for f in findings)
    schools = list(round_.schools.order_by("path"))
    with_findings = {f.school_id for f in findings}
    blocks = [Block("masthead", f"{kind}通报", lines=[number, issuer, chinese_date(day)]),
              Block("title", f"关于{round_.title}情况的通报"),
              Block("addressees", "各学校、局属各单位：")]
    blocks.append(Block("p", f"{chinese_date(round_.start_date)}至{chinese_date(round_.end_date)}，{issuer}组织开展了"
                             f"{round_.title}，对照{round_.items.count()}项检查内容，对{len(schools)}所学校进行了{kind}。"
                             "现将有关情况通报如下。"))
    blocks.append(Block("h1", "一、基本情况"))
    text = f"本次{kind}共发现问题{len(findings)}个，涉及{len(with_findings)}所学校"
    parts = [f"{label}{severities[code]}个" for code, label in Finding.Severity.choices if severities[code]]
    if parts:
        text += "，其中" + "、".join(parts)
    blocks.append(Block("p", text + "。" + (f"{len(schools) - len(with_findings)}所学校未发现问题。"
                                              if len(schools) > len(with_findings) else "")))
    blocks.append(Block("h1", "二、发现的主要问题"))
    categories = Counter((f.item.category or f.item.text) if f.item else "其他" for f in findings)
    for index, (category, count) in enumerate(categories.most_common(5)):
        examples = [f for f in findings if ((f.item.category or f.item.text) if f.item else "其他") == category]
        names = "、".join(dict.fromkeys(f.school.name for f in examples))
        blocks.append(Block("h2", f"（{layout.NUMERALS[index]}）{category}方面（{count}个）"))
        blocks.append(Block("p", f"{names}：{examples[0].description.rstrip('。')}等。"))
    if not findings:
        blocks.append(Block("p", f"本次{kind}未发现问题。"))
    blocks.append(Block("h1", "三、整改情况"))
    closed, open_, submitted = states["closed"], states["open"], states["submitted"]
    text = f"截至{chinese_date(day)}，已整改销号{closed}个，待审核{submitted}个，正在整改{open_}个"
    overdue = [f for f in findings if (e := escalations.get(f.rectification.pk)) and e.days_overdue]
    if overdue:
        supervised = [f for f in overdue if escalations[f.rectification.pk].step.value == "supervised"]
        text += f"；逾期未完成整改{len(overdue)}个" + (f"，其中已督办{len(supervised)}个" if supervised else "")
    blocks.append(Block("p", text + "。"))
    blocks.append(Block("h1", "四、工作要求"))
    demands = ["各学校要对照问题清单逐项整改，明确责任人和整改时限，整改完成后及时上传佐证材料申请销号。",
               "对逾期未完成整改的问题，将按照交办、催办、督办程序逐级督促，并纳入年度目标管理考核。"]
    if severities["critical"]:
        demands.insert(0, "对重大问题，相关学校要立即采取管控措施，确保师生安全，整改到位前不得放松。")
    blocks += [Block("p", f"{layout.NUMERALS[i]}是{text}") for i, text in enumerate(demands)]
    table = Table("", ["序号", "学校", "问题描述", "严重程度", "整改时限", "整改状态", "督办等级"],
                  [12, 42, 85, 22, 24, 20, 20],
                  [[str(i), f.school.name, f.description, f.get_severity_display(),
                    layout.table_date(f.rectification.deadline, day), f.rectification.get_state_display(),
                    step_label(f.rectification, escalations.get(f.rectification.pk))]
                   for i, f in enumerate(findings, start=1)], list("cllcccc"))
    blocks.append(Block("attachments", lines=["问题清单"]))
    blocks.append(Block("signature", lines=[issuer, chinese_date(day)]))
    blocks.append(Block("attachment", "附件", lines=["问题清单"], table=table))
    return blocks


