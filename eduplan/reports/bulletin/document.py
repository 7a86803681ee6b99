"""The 督查通报 as a Word document, laid out after GB/T 9704 (党政机关公文格式).

Two steps: ``bulletin_blocks`` turns the facts into the document's text, block by block
(headings, paragraphs, tables), and ``write_bulletin`` lays the blocks out with python-docx.
Every sentence is a fixed frame filled with counts, names and reasons from ``BulletinFacts``;
a sentence whose figures are zero or missing is left out rather than padded, and nothing
judges the units beyond the numbers (the units named are those with the most lagging tasks,
or with all their tasks done).

Layout: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; masthead and title in
方正小标宋简体, body in 仿宋_GB2312 三号 (16 pt) with a fixed 28.95 pt line pitch (22 lines a
page) and a two-character first-line indent; level-1 headings 黑体, level-2 楷体_GB2312;
tables in 仿宋 12 pt with the header row repeated and no row split across pages; page
numbers "— 1 —" in 宋体 四号, outside edge (right on odd pages, left on even pages); issuer
and date at the end, the date four characters from the right margin. The East Asian font of
every run is set in ``w:eastAsia``; where a font is missing, Word and LibreOffice substitute.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO, Literal

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from eduplan.errors import EduplanError, Errors
from eduplan.tracking.progress import period_label
from eduplan.tracking.status import Light, Status

from .facts import BulletinFacts, round1

# Fonts of GB/T 9704 as Chinese offices have them installed.
XBS = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
RED = RGBColor(0xE6, 0x00, 0x12)

BODY_SIZE = 16  # 三号
TABLE_SIZE = 12  # 小四
LINE_PITCH = 28.95  # 22 lines on the 225 mm of text height
TEXT_WIDTH_MM = 210 - 28 - 26  # 156 mm
LANDSCAPE_WIDTH_MM = 297 - 37 - 35  # 225 mm: attachments print across the page, margins turned with it
DEFAULT_ADDRESSEES = "机关各科室、局属各单位、各学校"
INLINE_GAPS = 3  # targets named in the text; the rest are in attachment 2
INLINE_UNITS = 5  # lead units named in the text

BlockKind = Literal["masthead", "title", "addressees", "h1", "h2", "p", "table", "note", "attachments",
                    "signature", "attachment"]


@dataclass
class Table:
    caption: str
    headers: list[str]
    widths_mm: list[float]  # add up to TEXT_WIDTH_MM
    rows: list[list[str]]
    align: list[str]  # "l" or "c" per column
    footnote: str = ""


@dataclass
class Block:
    kind: BlockKind
    text: str = ""
    table: Table | None = None
    lines: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- wording

NUMERALS = "一二三四五六七八九十"


def default_title(plan) -> str:
    return f"关于{plan.title}落实情况的督查通报"


def default_issuer(plan) -> str:
    return f"{plan.bureau.name}办公室"


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _pct(value: float) -> str:
    return f"{value:.1f}%"


def _plan_ref(facts: BulletinFacts, *, first: bool = False) -> str:
    """The plan as the text names it: in full at the first mention, abbreviated after."""
    if len(facts.plans) == 1:
        full, short = f"《{facts.plans[0]}》", facts.plan_short()
        if first:
            return full + (f"（以下简称{short}）" if short != full else "")
        return short
    return "、".join(f"《{p}》" for p in facts.plans[:3]) + (f"等{len(facts.plans)}个计划" if len(facts.plans) > 3
                                                           else "")


def _units_with_counts(items: Sequence[tuple[str, int]], limit: int = INLINE_UNITS) -> str:
    named = "、".join(f"{name}（{count}项）" for name, count in items[:limit])
    return named + ("等" if len(items) > limit else "")


STATUS_PHRASES = {
    Status.DONE: "已完成{n}项",
    Status.ON_TRACK: "按序时进度推进{n}项",
    Status.LAGGING: "滞后序时进度{n}项",
    Status.OVERDUE: "超过完成时限未完成{n}项",
    Status.NOT_STARTED: "尚未启动{n}项",
}


def overall_paragraphs(facts: BulletinFacts) -> list[str]:
    ref = _plan_ref(facts)
    paragraphs = []
    assigned = facts.total - facts.unassigned
    first = f"{ref}共确定重点任务{facts.total}项"
    if assigned and facts.assignments != assigned:
        first += f"，已分派的{assigned}项任务分解为{facts.assignments}项具体工作，由{facts.lead_units}个单位牵头"
    elif assigned:
        first += f"，已分派的{assigned}项任务由{facts.lead_units}个单位牵头"
    if facts.unassigned:
        first += f"，尚有{facts.unassigned}项未分派" if assigned else "，均未分派"
    paragraphs.append(first + "。")

    parts = [STATUS_PHRASES[s].format(n=facts.count(s)) + f"，占{_pct(facts.shares[s])}"
             for s in facts.by_status if facts.count(s)]
    status_text = f"截至{chinese_date(facts.as_of)}，" + "；".join(parts) + "。"
    if not facts.count(Status.LAGGING) and not facts.count(Status.OVERDUE):
        status_text += "没有滞后或逾期的任务。"
    lights = [(light, facts.by_light.get(light, 0)) for light in (Light.RED, Light.YELLOW, Light.GREEN)]
    shown = [(light, n) for light, n in lights if n]
    if len(shown) > 1:
        status_text += "从预警情况看，" + "、".join(f"{light.label}灯{n}项" for light, n in shown) + "。"
    elif shown:
        status_text += f"从预警情况看，{facts.total}项任务均为{shown[0][0].label}灯。"
    paragraphs.append(status_text)

    if facts.due_reports:
        text = (f"{facts.period_label}应报送进展的工作{facts.due_reports}项，已报送{facts.reported}项，"
                f"报送率{_pct(facts.report_rate)}。")
        paragraphs.append(text)
    if facts.targets_total:
        reported = facts.targets_met + facts.targets_missed
        text = f"{ref}确定的量化目标共{facts.targets_total}项"
        if reported and facts.targets_missed and facts.targets_met:
            text += f"，已报送实际值{reported}项，其中达到目标值{facts.targets_met}项、未达到{facts.targets_missed}项"
        elif reported:
            text += f"，已报送实际值{reported}项，" + ("均达到目标值" if facts.targets_met else "均未达到目标值")
        if facts.targets_unreported:
            text += f"；尚有{facts.targets_unreported}项未报送实际值"
        paragraphs.append(text + "。")
    good = facts.count(Status.DONE) + facts.count(Status.ON_TRACK)
    if good:
        share = round1(facts.shares[Status.DONE] + facts.shares[Status.ON_TRACK])
        paragraphs.append(f"总体看，已完成和按序时进度推进的任务共{good}项，占任务总数的{_pct(share)}。")
    return paragraphs


MAX_UNIT_ROWS = 30  # beyond this many lead units, the schools' rows go to an attachment


def split_schools(facts: BulletinFacts) -> bool:
    """Whether table 1 lists only departments and the schools get an attachment of their own."""
    return len(facts.departments) > MAX_UNIT_ROWS and any(d.is_school for d in facts.departments) \
        and not all(d.is_school for d in facts.departments)


def _unit_rows(units) -> list[list[str]]:
    return [[str(index), row.name, str(row.total), str(row.statuses[Status.DONE]), str(row.statuses[Status.ON_TRACK]),
             str(row.statuses[Status.LAGGING]), str(row.statuses[Status.OVERDUE]), str(row.statuses[Status.NOT_STARTED]),
             _pct(row.done_share)] for index, row in enumerate(units, start=1)]


UNIT_HEADERS = ["序号", "牵头单位", "任务数", "已完成", "按序时推进", "滞后", "逾期", "未启动", "完成率"]


def school_table(facts: BulletinFacts) -> Table:
    rows = _unit_rows([d for d in facts.departments if d.is_school])
    return Table("学校牵头任务落实情况", ["序号", "学校", *UNIT_HEADERS[2:]], [14, 80, 19, 19, 19, 15, 15, 19, 25],
                 rows, list("clccccccc"))


def department_table(facts: BulletinFacts, school_attachment: int = 0) -> Table:
    units = [d for d in facts.departments if not d.is_school] if split_schools(facts) else facts.departments
    rows = _unit_rows(units)
    done = facts.count(Status.DONE)
    rows.append(["", "合计", str(facts.total), str(done), str(facts.count(Status.ON_TRACK)),
                 str(facts.count(Status.LAGGING)), str(facts.count(Status.OVERDUE)),
                 str(facts.count(Status.NOT_STARTED)), _pct(round1(100 * done / facts.total) if facts.total else 0)])
    footnote = ""
    if sum(r.total for r in facts.departments) != facts.total - facts.unassigned:
        footnote = "注：一项任务由多个单位牵头的，分别计入各牵头单位，状态取该任务最不利的判定；合计栏按任务计。"
    if facts.unassigned:  # not a unit, so no row: the total says where those tasks are
        footnote = (footnote or "注：") + f"合计栏含尚未分派牵头单位的{facts.unassigned}项任务。"
    if school_attachment:
        schools = sum(1 for d in facts.departments if d.is_school)
        footnote = (footnote or "注：合计栏按任务计。") + f"{schools}所学校牵头的任务见附件{school_attachment}。"
    return Table("表1  各牵头单位任务落实情况", UNIT_HEADERS, [12, 38, 16, 16, 16, 12, 12, 16, 18], rows,
                 list("clccccccc"), footnote)


def department_paragraphs(facts: BulletinFacts) -> list[str]:
    paragraphs = ["各牵头单位任务落实情况见表1。"]
    all_done = [d.name for d in facts.departments if d.total and d.done == d.total]
    if all_done:
        paragraphs[0] += "、".join(all_done[:INLINE_UNITS]) + ("等" if len(all_done) > INLINE_UNITS else "") + \
            f"{'共' + str(len(all_done)) + '个单位' if len(all_done) > 1 else ''}牵头的任务已全部完成。"
    else:
        most_done = sorted((d for d in facts.departments if d.done), key=lambda d: (-d.done, -d.done_share, d.name))
        if most_done:
            items = [(d.name, d.done) for d in most_done]
            paragraphs[0] += f"已完成任务较多的单位是{_units_with_counts(items, 3)}。"
    return paragraphs


def _lagging_sentence(facts: BulletinFacts) -> str:
    lagging, overdue = facts.count(Status.LAGGING), facts.count(Status.OVERDUE)
    parts = [p for p in (f"滞后序时进度的任务{lagging}项" if lagging else "",
                         f"超过完成时限仍未完成的任务{overdue}项" if overdue else "") if p]
    units = facts.flagged_units()
    text = f"截至{chinese_date(facts.as_of)}，" + "、".join(parts)
    if units:
        text += f"，涉及{len(units)}个牵头单位，其中{_units_with_counts(units)}"
    if facts.flagged_unassigned:
        text += f"{'；另有' if units else '，其中'}{facts.flagged_unassigned}项尚未分派牵头单位"
    text += "。"
    worst = [t for t in facts.flagged if t.status == Status.LAGGING]
    if worst:
        top = worst[0]
        text += (f"落后序时进度最多的是“{top.heading}”（{_who(top)}），"
                 f"实际进度{top.percent}%，序时进度{top.expected}%。")
    overdue_tasks = [t for t in facts.flagged if t.status == Status.OVERDUE and t.deadline]
    if overdue_tasks:
        longest = min(overdue_tasks, key=lambda t: t.deadline)
        days = (facts.as_of - longest.deadline).days
        text += (f"超过完成时限最久的是“{longest.heading}”（{_who(longest)}），"
                 f"完成时限为{chinese_date(longest.deadline)}，已超过{days}天，实际进度{longest.percent}%。")
    return text + "具体任务见附件1。"


def _who(task) -> str:
    return f"{'、'.join(task.lead_units)}牵头" if task.lead_units else "尚未分派"


def _targets_sentence(facts: BulletinFacts, attachment: int) -> str:
    reported = facts.targets_met + facts.targets_missed
    text = f"已报送实际值的{reported}项量化目标中，{facts.targets_missed}项未达到目标值"
    named = [f"“{g.metric}”（{g.task_heading}）目标{g.goal}，最新实际值{g.actual_text}，相差{g.gap_text}"
             for g in facts.target_gaps[:INLINE_GAPS]]
    if named:
        text += "，差距较大的有：" + "；".join(named)
    return text + f"。具体目标见附件{attachment}。"


def requirements(facts: BulletinFacts, issuer: str) -> list[str]:
    items = []
    units = facts.flagged_units()
    if units:
        who = "、".join(n for n, _ in units[:INLINE_UNITS]) + ("等" if len(units) > INLINE_UNITS else "")
        led = len(facts.flagged) - facts.flagged_unassigned
        items.append(f"加快推进{facts.flagged_kinds()}任务。{who}要对照序时进度，逐项分析所牵头的"
                     f"{led}项{facts.flagged_kinds()}任务的原因，倒排时间节点，明确整改措施，"
                     "确保尽快完成。")
    if facts.unassigned:  # nobody leads these: the office hands them out, no unit is told off
        flagged = f"（其中{facts.flagged_unassigned}项已{facts.flagged_kinds()}）" if facts.flagged_unassigned else ""
        items.append(f"尽快分派任务。尚有{facts.unassigned}项任务未明确牵头单位{flagged}，请局办公室尽快提出分派意见，"
                     "明确牵头单位和完成时限。")
    if facts.targets_missed:
        items.append(f"紧盯量化目标。对尚未达到目标值的{facts.targets_missed}项量化目标，相关单位要加强跟踪调度，"
                     "确保目标如期实现。")
    missing_reports = facts.due_reports - facts.reported
    if missing_reports > 0 or facts.targets_unreported:
        parts = []
        if missing_reports > 0:
            parts.append(f"{facts.period_label}尚未报送进展的{missing_reports}项工作")
        if facts.targets_unreported:
            parts.append(f"尚未报送实际值的{facts.targets_unreported}项量化目标")
        items.append("及时准确报送进展。各单位要按时报送工作进展和量化目标实际值，" + "和".join(parts) + "要在下一报告期内补报。")
    if not items:
        items.append("持续抓好落实。各单位要对照年度任务和序时进度，继续推进各项工作，确保全面完成。")
    paragraphs = [f"{NUMERALS[i]}是{text}" for i, text in enumerate(items)]
    if facts.flagged:
        paragraphs.append(f"{issuer}将对{facts.flagged_kinds()}任务进行重点督查，持续跟踪推进情况。")
    return paragraphs


def flagged_table(facts: BulletinFacts) -> Table:
    rows = []
    for index, task in enumerate(facts.flagged, start=1):
        # The progress columns say what "序时进度 X%，实际进度 Y%" says.
        reasons = [r for r in task.reasons if not r.startswith("序时进度 ")]
        plan = f"（{task.plan}）" if len(facts.plans) > 1 else ""
        units = "、".join(task.lead_units[:3]) + (f"等{len(task.lead_units)}个单位" if len(task.lead_units) > 3 else "")
        if not task.lead_units:
            units, reasons = "—", ["尚未分派牵头单位", *reasons]
        rows.append([str(index), task.heading + plan, units, task.status.label, table_date(task.deadline, facts.as_of),
                     f"{task.percent}%", f"{task.expected}%", "；".join(reasons) or "—"])
    return Table(f"{facts.flagged_kinds().replace('、', '和')}任务清单",
                 ["序号", "重点任务", "牵头单位", "状态", "完成时限", "实际进度", "序时进度", "说明"],
                 [12, 52, 32, 13, 24, 21, 21, 50], rows, list("cllccccl"))


def table_date(day: date | None, as_of: date) -> str:
    """"12月31日" within the bulletin's year, the full date otherwise."""
    if day is None:
        return "—"
    return f"{day.month}月{day.day}日" if day.year == as_of.year else chinese_date(day)


def gaps_table(facts: BulletinFacts) -> Table:
    rows = [[str(i), g.task_heading, g.metric, g.goal, g.actual_text, g.gap_text, period_label(g.period)]
            for i, g in enumerate(facts.target_gaps, start=1)]
    return Table("未达到目标值的量化目标清单", ["序号", "重点任务", "量化目标", "目标值", "最新实际值", "差距",
                                          "报送期"],
                 [12, 50, 56, 24, 26, 30, 27], rows, list("cllcccc"))


def bulletin_blocks(facts: BulletinFacts, *, title: str, issuer: str, number: str | None = None,
                    day: date | None = None, addressees: str = DEFAULT_ADDRESSEES) -> list[Block]:
    """The bulletin's text, block by block, in reading order."""
    day = day or facts.as_of
    blocks = [Block("masthead", "督查通报", lines=[number or "", issuer, chinese_date(day)]),
              Block("title", title)]
    if addressees:
        blocks.append(Block("addressees", addressees.rstrip("：:") + "："))
    blocks.append(Block("p", f"为推动{_plan_ref(facts, first=True)}各项任务落实，{issuer}根据各责任单位报送的"
                             f"{facts.period_label}工作进展和量化目标实际值，对重点任务落实情况进行了督查。任务状态按序时进度判定，即以已过去的时间占"
                             "完成时限的比例作为应完成的进度。现将有关情况通报如下。"))
    heading = 0

    def h1(text: str) -> None:
        nonlocal heading
        blocks.append(Block("h1", f"{NUMERALS[heading]}、{text}"))
        heading += 1

    h1("总体情况")
    blocks += [Block("p", text) for text in overall_paragraphs(facts)]
    attachments = []
    if split_schools(facts):
        table = school_table(facts)
        attachments.append((table.caption, table))
    h1("各单位落实情况")
    blocks += [Block("p", text) for text in department_paragraphs(facts)]
    blocks.append(Block("table", table=department_table(facts, len(attachments))))

    h1("存在的问题")
    problems = 0
    if facts.flagged:
        table = flagged_table(facts)
        attachments.append((table.caption, table))
        blocks.append(Block("h2", f"（{NUMERALS[problems]}）部分任务进度滞后"))
        blocks.append(Block("p", _lagging_sentence(facts)))
        problems += 1
    if facts.targets_missed:
        attachments.append(("未达到目标值的量化目标清单", gaps_table(facts)))
        blocks.append(Block("h2", f"（{NUMERALS[problems]}）部分量化目标尚未达到"))
        blocks.append(Block("p", _targets_sentence(facts, len(attachments))))
        problems += 1
    missing = facts.due_reports - facts.reported
    if missing > 0 or facts.count(Status.NOT_STARTED):
        blocks.append(Block("h2", f"（{NUMERALS[problems]}）进展报送不够及时"))
        parts = []
        if missing > 0:
            parts.append(f"{facts.period_label}应报送进展的{facts.due_reports}项工作中，有{missing}项尚未报送")
        if facts.count(Status.NOT_STARTED):
            text = f"{facts.count(Status.NOT_STARTED)}项任务尚未启动（未报送任何进展）"
            if facts.not_started_unassigned:
                text += f"，其中{facts.not_started_unassigned}项尚未分派"
            parts.append(text)
        blocks.append(Block("p", "；".join(parts) + "。"))
        problems += 1
    if not problems:
        blocks.append(Block("p", "本期督查未发现滞后、逾期任务和未达到目标值的量化目标。"))
    h1("下一步工作要求")
    blocks += [Block("p", text) for text in requirements(facts, issuer)]
    if attachments:
        blocks.append(Block("attachments", lines=[name for name, _ in attachments]))
    blocks.append(Block("signature", lines=[issuer, chinese_date(day)]))
    for index, (name, table) in enumerate(attachments, start=1):
        table.caption = ""
        blocks.append(Block("attachment", f"附件{index}" if len(attachments) > 1 else "附件", lines=[name],
                            table=table))
    return blocks


def bulletin_text(blocks: Sequence[Block]) -> str:
    """All the words of the blocks, tables included, one block a line (for tests and previews)."""
    lines = []
    for block in blocks:
        lines += [block.text, *block.lines] if block.text or block.lines else []
        if block.table is not None:
            lines += [block.table.caption, " ".join(block.table.headers)]
            lines += [" ".join(row) for row in block.table.rows]
            lines.append(block.table.footnote)
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------- layout

def _fonts(element, name: str) -> None:
    """Set every script's font of an rPr-bearing element (style or run) to ``name``."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Text without the control characters XML cannot hold (PDF imports bring some)."""
    return _NOT_XML.sub("", text)


def _run(paragraph, text: str, font: str = FANGSONG, size: float = BODY_SIZE, *, bold: bool = False,
         color: RGBColor | None = None, spacing: float | None = None):
    run = paragraph.add_run(_xml_text(text))
    _fonts(run._r, font)
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    if spacing is not None:  # character spacing in points
        sp = OxmlElement("w:spacing")
        sp.set(qn("w:val"), str(int(spacing * 20)))
        run._r.get_or_add_rPr().append(sp)
    return run


def _format(paragraph, *, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars: float = 2, line: float = LINE_PITCH,
            size: float = BODY_SIZE, left_chars: float = 0, right_chars: float = 0, keep_next: bool = False):
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Pt(indent_chars * size) if indent_chars else Pt(0)
    fmt.left_indent = Pt(left_chars * size) if left_chars else None
    fmt.right_indent = Pt(right_chars * size) if right_chars else None
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = True
    if keep_next:
        fmt.keep_with_next = True
    return paragraph


def _text_width(text: str, size: float) -> float:
    """Printed width in points: CJK characters a full em, ASCII half."""
    return sum(size if ord(ch) > 0x2E7F else size / 2 for ch in text)


def _page_number_field(paragraph) -> None:
    _run(paragraph, "— ", SONGTI, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = _run(paragraph, "", SONGTI, 14)
        if kind is not None:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    _run(paragraph, " —", SONGTI, 14)


def _setup_document(doc, *, title: str, issuer: str) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(24)  # the page number sits about 7 mm below the text
    doc.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    _format(odd, align=WD_ALIGN_PARAGRAPH.RIGHT, indent_chars=0, line=20, size=14, right_chars=1)
    _page_number_field(odd)
    even = section.even_page_footer.paragraphs[0]
    _format(even, align=WD_ALIGN_PARAGRAPH.LEFT, indent_chars=0, line=20, size=14, left_chars=1)
    _page_number_field(even)
    normal = doc.styles["Normal"]
    _fonts(normal.element, FANGSONG)
    normal.font.size = Pt(BODY_SIZE)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:  # no theme fonts and Chinese as the East Asian language
        for fonts in defaults.iter(qn("w:rFonts")):
            for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(theme), None)
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(attr), FANGSONG)
        for lang in defaults.iter(qn("w:lang")):
            lang.set(qn("w:val"), "zh-CN")
            lang.set(qn("w:eastAsia"), "zh-CN")
    doc.core_properties.title = title
    doc.core_properties.author = issuer
    doc.core_properties.language = "zh-CN"


def _bottom_rule(paragraph, color: str = "E60012", size_eighths: int = 12) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(size_eighths)), ("w:space", "6"), ("w:color", color)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _masthead(doc, block: Block) -> None:
    number, issuer, day = block.lines
    p = _format(doc.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER, indent_chars=0, line=60, size=36)
    _run(p, block.text, XBS, 36, color=RED, spacing=8)
    p = _format(doc.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER, indent_chars=0)
    if number:
        _run(p, number)
    # Issuer on the left, date on the right, one line, above the red rule.
    p = _format(doc.add_paragraph(), align=WD_ALIGN_PARAGRAPH.LEFT, indent_chars=0)
    tabs = p.paragraph_format.tab_stops
    tabs.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    _run(p, f"{issuer}\t{day}")
    _bottom_rule(p)


def _title(doc, text: str) -> None:
    _format(doc.add_paragraph(), indent_chars=0)  # one blank line below the red rule
    p = _format(doc.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER, indent_chars=0, line=35, size=22)
    _run(p, text, XBS, 22)
    _format(doc.add_paragraph(), indent_chars=0)  # one blank line before the addressees


def _cell_margins(table, top: float = 0.8, bottom: float = 0.8, side: float = 1.2) -> None:
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for edge, value in (("top", top), ("left", side), ("bottom", bottom), ("right", side)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(Mm(value).twips))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.append(margins)


def _row_flags(row, *, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if header:
        el = OxmlElement("w:tblHeader")
        el.set(qn("w:val"), "true")
        tr_pr.append(el)
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _table(doc, table: Table) -> None:
    if table.caption:
        p = _format(doc.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER, indent_chars=0, keep_next=True)
        _run(p, table.caption, HEITI, 14)
    grid = doc.add_table(rows=1 + len(table.rows), cols=len(table.headers))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    grid._tbl.tblPr.append(layout)
    _cell_margins(grid)
    for column, width in zip(grid.columns, table.widths_mm, strict=True):
        column.width = Mm(width)
    # Cells of a kind share their formatting: the first of each column is formatted through
    # python-docx, the rest get copies of its XML (ten times faster for a 300-row list).
    prototypes: dict[tuple[int, bool, bool], tuple] = {}
    for index, row in enumerate(grid.rows):
        header = index == 0
        _row_flags(row, header=header)
        values = table.headers if header else table.rows[index - 1]
        bold = not header and len(values) > 1 and values[1] == "合计"
        for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            key = (column, header, bold)
            if key in prototypes:
                _copy_cell(cell, value, *prototypes[key])
                continue
            cell.width = Mm(table.widths_mm[column])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = cell.paragraphs[0]
            centred = header or table.align[column] == "c"
            _format(p, align=WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT, indent_chars=0,
                    line=TABLE_SIZE * 1.5, size=TABLE_SIZE)
            run = _run(p, value, HEITI if header else FANGSONG, TABLE_SIZE, bold=bold)
            prototypes[key] = (cell._tc.tcPr, p._p.pPr, run._r.rPr)
    if table.footnote:
        p = _format(doc.add_paragraph(), indent_chars=0, line=22, size=TABLE_SIZE)
        _run(p, table.footnote, FANGSONG, TABLE_SIZE)


def _copy_cell(cell, text: str, tc_pr, p_pr, r_pr) -> None:
    """Fill ``cell`` with ``text`` formatted as a prototype cell (copies of its properties)."""
    tc = cell._tc
    if tc.tcPr is not None:
        tc.remove(tc.tcPr)
    tc.insert(0, deepcopy(tc_pr))
    p = tc.p_lst[0]
    p.insert(0, deepcopy(p_pr))
    run = OxmlElement("w:r")
    run.append(deepcopy(r_pr))
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = _xml_text(text)
    run.append(t)
    p.append(run)


def _attachment_notes(doc, names: list[str]) -> None:
    _format(doc.add_paragraph(), indent_chars=0)  # a blank line after the body
    for index, name in enumerate(names, start=1):
        if len(names) == 1:
            p = _format(doc.add_paragraph(), indent_chars=2)
            _run(p, f"附件：{name}")
            return
        if index == 1:
            p = _format(doc.add_paragraph(), indent_chars=2)
            _run(p, f"附件：{index}.{name}")
        else:  # aligned under the first item's number
            p = _format(doc.add_paragraph(), indent_chars=0, left_chars=5)
            _run(p, f"{index}.{name}")


def _signature(doc, issuer: str, day: str) -> None:
    for _ in range(2):
        _format(doc.add_paragraph(), indent_chars=0)
    date_right = 4 * BODY_SIZE  # 成文日期右空四字
    date_centre = date_right + _text_width(day, BODY_SIZE) / 2
    issuer_right = max(0.0, date_centre - _text_width(issuer, BODY_SIZE) / 2)  # centred over the date
    p = _format(doc.add_paragraph(), align=WD_ALIGN_PARAGRAPH.RIGHT, indent_chars=0, right_chars=issuer_right / BODY_SIZE)
    _run(p, issuer)
    p = _format(doc.add_paragraph(), align=WD_ALIGN_PARAGRAPH.RIGHT, indent_chars=0, right_chars=4)
    _run(p, day)


def _landscape_section(doc) -> None:
    """A new section for the attachments, turned landscape; the margins turn with the page."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin, section.right_margin = Mm(37), Mm(35)
    section.top_margin, section.bottom_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(15)


def _attachment(doc, block: Block, first: bool) -> None:
    if first:
        _landscape_section(doc)
        p = _format(doc.add_paragraph(), align=WD_ALIGN_PARAGRAPH.LEFT, indent_chars=0)
    else:
        p = _format(doc.add_paragraph(), align=WD_ALIGN_PARAGRAPH.LEFT, indent_chars=0)
        p.paragraph_format.page_break_before = True
    _run(p, block.text, HEITI)
    p = _format(doc.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER, indent_chars=0, line=35, size=22,
                keep_next=True)
    _run(p, block.lines[0], XBS, 22)
    _format(doc.add_paragraph(), indent_chars=0, line=14, keep_next=True)
    assert block.table is not None
    if block.table.rows:
        _table(doc, block.table)


def write_bulletin(facts: BulletinFacts, target: str | Path | BinaryIO, *, title: str, issuer: str,
                   number: str | None = None, date: date | None = None,  # noqa: A002 - the brief's name
                   addressees: str = DEFAULT_ADDRESSEES) -> list[Block]:
    """Write the bulletin as .docx to a path or binary stream; returns its blocks."""
    if facts.total == 0:
        raise EduplanError(Errors.E633)
    blocks = bulletin_blocks(facts, title=title, issuer=issuer, number=number, day=date, addressees=addressees)
    write_blocks(blocks, target, title=title, issuer=issuer)
    return blocks


def write_blocks(blocks: Sequence[Block], target: str | Path | BinaryIO, *, title: str, issuer: str) -> None:
    """Lay blocks out as an official document (GB/T 9704 page, fonts, tables, signature,
    attachments): the 督查通报 and every other notice eduplan writes."""
    doc = Document()
    _setup_document(doc, title=title, issuer=issuer)
    attachments_started = False
    for block in blocks:
        if block.kind == "masthead":
            _masthead(doc, block)
        elif block.kind == "title":
            _title(doc, block.text)
        elif block.kind == "addressees":
            _run(_format(doc.add_paragraph(), indent_chars=0), block.text)
        elif block.kind == "h1":
            _run(_format(doc.add_paragraph(), keep_next=True), block.text, HEITI)
        elif block.kind == "h2":
            _run(_format(doc.add_paragraph(), keep_next=True), block.text, KAITI)
        elif block.kind == "p":
            _run(_format(doc.add_paragraph()), block.text)
        elif block.kind == "table":
            assert block.table is not None
            _table(doc, block.table)
        elif block.kind == "attachments":
            _attachment_notes(doc, block.lines)
        elif block.kind == "signature":
            _signature(doc, *block.lines)
        elif block.kind == "attachment":
            _attachment(doc, block, first=not attachments_started)
            attachments_started = True
    try:
        doc.save(target)
    except OSError as exc:
        raise EduplanError(Errors.E301, path=target, reason=exc.strerror or exc) from exc
