"""The county's 自评 pack: the per-school resource table as xlsx, and a summary as docx in the
layout of the bureau's other documents (the 督查通报's GB/T 9704 page, fonts and tables).

Both are written from one ``assess.CountyResult`` and the checklist: no figure is computed here.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from eduplan.plan.render_xlsx import (
    BORDER,
    CENTERED,
    HEADER_FILL,
    HEADER_FONT,
    TITLE_FONT,
    merge_band,
    print_setup,
)
from eduplan.reports.bulletin import document as layout
from eduplan.reports.bulletin.document import Block

from .assess import MEASURES, CountyResult, SchoolResult, Stage, StageResult
from .checklist import ITEMS, PARTS, RECOGNITION, recognition_rate

SHORT_FILL = PatternFill("solid", fgColor="FDE4E4")
NEAR_FILL = PatternFill("solid", fgColor="FFF4D6")
BODY = Font(name="宋体", size=11)


@dataclass(frozen=True)
class ChecklistLine:
    code: str
    part: str
    text: str
    status: str  # the label
    evidence: str


def _fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def school_row(result: SchoolResult) -> list[object]:
    school = result.school
    values: list[object] = [school.name + ("（按学生数分摊）" if school.split else ""), int(school.students)]
    values += [round(r.value, 2) for r in result.readings]
    values += [result.met_count, "达标" if result.passes else "未达标",
               "；".join(f"{r.measure.short}{r.gap_text}" for r in result.readings if not r.met)]
    return values


HEADERS = ["学校", "学生数", *(f"{m.name}（{m.unit}）" for m in MEASURES), "达标项数", "结论", "差距"]


def resource_table(county_name: str, year: str, result: CountyResult) -> bytes:
    """One sheet per 学段: a row per school, the county value and CV under it; then the exclusions."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for stage_result in result.stages:
        _stage_sheet(workbook.create_sheet(stage_result.stage.label), county_name, year, stage_result)
    ws = workbook.create_sheet("不参评学校")
    for column, text in enumerate(["学校", "原因"], 1):
        cell = ws.cell(row=1, column=column, value=text)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
    for number, excluded in enumerate(result.excluded, 2):
        ws.cell(row=number, column=1, value=excluded.school.name).border = BORDER
        ws.cell(row=number, column=2, value=excluded.reason).border = BORDER
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 30, 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _stage_sheet(ws, county_name: str, year: str, result: StageResult) -> None:
    width = len(HEADERS)
    merge_band(ws, 1, f"{county_name}{year}年义务教育学校资源配置情况（{result.stage.label}）", TITLE_FONT, CENTERED,
               border=False, width=width)
    for column, text in enumerate(HEADERS, 1):
        cell = ws.cell(row=2, column=column, value=text)
        cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, CENTERED, BORDER
    ws.row_dimensions[2].height = 60
    row = 3
    for school in result.schools:
        for column, value in enumerate(school_row(school), 1):
            cell = ws.cell(row=row, column=column, value=value)
            cell.font, cell.border = BODY, BORDER
            if 3 <= column < 3 + len(MEASURES):
                reading = school.readings[column - 3]
                cell.number_format = "#,##0.00"
                if not reading.met:
                    cell.fill = NEAR_FILL if reading.near else SHORT_FILL
        row += 1
    standards = result.schools[0].standards if result.schools else (None,) * len(MEASURES)
    for label, values in (("县域值", [v.county_value for v in result.variations]),
                          ("差异系数", [v.cv for v in result.variations]), ("标准", list(standards))):
        ws.cell(row=row, column=1, value=label).font = HEADER_FONT
        for column, value in enumerate(values, 3):
            cell = ws.cell(row=row, column=column, value=None if value is None else round(value, 4))
            cell.border, cell.font = BORDER, BODY
        row += 1
    ws.cell(row=row, column=1, value=f"差异系数标准：≤ {result.variations[0].bar:g}").font = BODY
    ws.column_dimensions["A"].width = 30
    for column in range(2, width + 1):
        ws.column_dimensions[get_column_letter(column)].width = 12
    ws.column_dimensions[get_column_letter(width)].width = 50
    for line in ws.iter_rows(min_row=3, max_row=row):
        for cell in line:
            cell.alignment = Alignment(vertical="center", wrap_text=cell.column == width)
    ws.freeze_panes = "B3"
    print_setup(ws, 2)


# ---------------------------------------------------------------- the summary docx


def _stage_paragraphs(result: StageResult) -> list[str]:
    if not result.schools:
        return [f"本县（区）{result.stage.label}阶段没有参评学校。"]
    passing = sum(r.passes for r in result.schools)
    met_cv = sum(v.meets for v in result.variations)
    composite = result.composite_cv
    text = (f"{result.stage.label}阶段参评学校{len(result.schools)}所，在校生{result.students:,.0f}人。"
            f"按“七项指标至少6项达到标准、其余不低于标准的85%”衡量，达到要求的学校{passing}所"
            f"{'，全部达到要求' if passing == len(result.schools) else f'，未达到要求的{len(result.schools) - passing}所'}。"
            f"七项指标中差异系数不大于{result.variations[0].bar:g}的{met_cv}项")
    text += f"，综合差异系数{composite:.3f}。" if composite is not None else "。"
    return [text]


def _cv_table(result: StageResult) -> layout.Table:
    rows = []
    for v in result.variations:
        top = "、".join(c.name for c in v.contributions[:2] if c.share > 0)
        rows.append([v.measure.name, _fmt(v.county_value), _fmt(v.cv, 3), "达到" if v.meets else "未达到", top or "—"])
    return layout.Table(caption=f"{result.stage.label}资源配置指标差异系数", align=["l", "c", "c", "c", "l"],
                        headers=["指标", "县域值", "差异系数", f"≤{result.variations[0].bar:g}", "差异主要来自"],
                        widths_mm=[56, 22, 22, 18, 38], rows=rows)


def _gap_table(results: Sequence[StageResult]) -> layout.Table:
    rows = []
    for stage_result in results:
        for r in stage_result.schools:
            gaps = "；".join(f"{x.measure.short}{x.gap_text}" for x in r.readings if not x.met)
            if gaps:
                rows.append([r.school.name, stage_result.stage.label, f"{r.met_count}/7", gaps])
    return layout.Table(caption="未达标准的指标及差距", align=["l", "c", "c", "l"], headers=["学校", "学段", "达标项", "差距"],
                        widths_mm=[40, 14, 16, 86], rows=rows or [["—", "—", "—", "各校七项指标均已达到标准"]])


def summary_docx(county_name: str, year: str, result: CountyResult, checklist: Sequence[ChecklistLine],
                 survey: tuple[int | None, int | None], day: date) -> bytes:
    title = f"{county_name}{year}年县域义务教育优质均衡发展自评报告"
    issuer = county_name if county_name.endswith("教育局") else f"{county_name}教育局"
    blocks = [Block("title", title), Block("h1", "一、资源配置")]
    for stage in Stage:
        stage_result = result.stage(stage)
        blocks += [Block("p", text) for text in _stage_paragraphs(stage_result)]
        if stage_result.schools:
            blocks.append(Block("table", table=_cv_table(stage_result)))
    blocks.append(Block("table", table=_gap_table(result.stages)))
    if result.excluded:
        blocks.append(Block("p", "不参加资源配置评估的学校：" + "；".join(f"{e.school.name}（{e.reason}）"
                                                               for e in result.excluded) + "。"))
    for number, part in zip("二三四", PARTS, strict=True):
        blocks.append(Block("h1", f"{number}、{part}"))
        lines = [c for c in checklist if c.part == part]
        if part == RECOGNITION:
            rate = recognition_rate(*survey)
            blocks.append(Block("p", "尚未开展满意度调查。" if rate is None else
                                f"调查{survey[0]:,}人，满意{survey[1]:,}人，社会认可度{rate:.1%}"
                                f"（标准不低于85%），{'达到要求' if rate >= 0.85 - 1e-9 else '未达到要求'}。"))
            continue
        met = sum(c.status == "达到要求" for c in lines)
        blocks.append(Block("p", f"共{len(lines)}项，达到要求{met}项，其余{len(lines) - met}项待核实或未达到。"))
        blocks.append(Block("table", table=layout.Table(
            caption="", headers=["序号", "项目", "状态", "佐证"], align=["c", "l", "c", "l"], widths_mm=[14, 78, 20, 44],
            rows=[[c.code, c.text, c.status, c.evidence or "—"] for c in lines])))
    blocks.append(Block("signature", lines=[issuer, layout.chinese_date(day)]))
    buffer = io.BytesIO()
    layout.write_blocks(blocks, buffer, title=title, issuer=issuer)
    return buffer.getvalue()


def checklist_lines(entries: dict[str, object]) -> list[ChecklistLine]:
    """Every checklist item with the county's entry for it (pending where there is none)."""
    lines = []
    for item in ITEMS:
        entry = entries.get(item.code)
        status = entry.get_status_display() if entry is not None else "待核实"  # type: ignore[attr-defined]
        evidence = entry.evidence if entry is not None else ""  # type: ignore[attr-defined]
        lines.append(ChecklistLine(item.code, item.part, item.text, status, evidence))
    return lines
