"""The 督查通报 .docx, read back with python-docx: page, fonts, headings, tables, page numbers,
signature; and its words: every count and percent in the text is one of the facts."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from eduplan.reports.bulletin.document import bulletin_blocks, bulletin_text, write_bulletin
from eduplan.reports.bulletin.facts import bulletin_facts
from eduplan.tracking.models import Task
from eduplan.tracking.status import Status
from tests.world import TODAY

TITLE = "关于澜江市青禾区2025年教育工作要点落实情况的督查通报"
ISSUER = "澜江市青禾区教育局办公室"


@pytest.fixture
def facts(reported):
    return bulletin_facts(Task.objects.filter(plan=reported.plan), today=TODAY, period="2025-06")


def build(facts, **kwargs):
    buffer = io.BytesIO()
    blocks = write_bulletin(facts, buffer, title=TITLE, issuer=ISSUER, number="第1期", **kwargs)
    buffer.seek(0)
    return blocks, Document(buffer)


def east_asia(run) -> str:
    return run._r.rPr.rFonts.get(qn("w:eastAsia"))


def paragraph(doc, text: str):
    return next(p for p in doc.paragraphs if p.text.startswith(text))


def test_the_page_is_a4_with_the_official_margins(facts):
    _, doc = build(facts)
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]


def test_masthead_title_and_addressees(facts):
    _, doc = build(facts)
    masthead = paragraph(doc, "督查通报")
    assert east_asia(masthead.runs[0]) == "方正小标宋简体" and masthead.runs[0].font.color.rgb is not None
    assert paragraph(doc, "第1期").alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert paragraph(doc, ISSUER).text == f"{ISSUER}\t2025年6月30日"
    title = paragraph(doc, TITLE)
    assert title.text == TITLE and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert (east_asia(title.runs[0]), title.runs[0].font.size) == ("方正小标宋简体", Pt(22))
    assert paragraph(doc, "机关各科室").text == "机关各科室、局属各单位、各学校："
    assert doc.core_properties.title == TITLE


def test_body_headings_and_fonts(facts):
    _, doc = build(facts)
    body = paragraph(doc, "《工作要点》共确定重点任务28项")
    fmt = body.paragraph_format
    assert (fmt.first_line_indent, fmt.line_spacing_rule, fmt.line_spacing) == \
        (Pt(32), WD_LINE_SPACING.EXACTLY, Pt(28.95))
    assert {(east_asia(r), r.font.size) for r in body.runs} == {("仿宋_GB2312", Pt(16))}
    h1 = [p for p in doc.paragraphs if re.match("^[一二三四五]、", p.text)]
    assert [p.text for p in h1] == ["一、总体情况", "二、各单位落实情况", "三、存在的问题", "四、下一步工作要求"]
    assert all(east_asia(p.runs[0]) == "黑体" and p.runs[0].font.size == Pt(16) for p in h1)
    h2 = [p for p in doc.paragraphs if re.match("^（[一二三]）", p.text)]
    assert [p.text for p in h2] == ["（一）部分任务进度滞后", "（二）部分量化目标尚未达到", "（三）进展报送不够及时"]
    assert all(east_asia(p.runs[0]) == "楷体_GB2312" for p in h2)
    requirements = [p.text for p in doc.paragraphs if re.match("^[一二三]是", p.text)]
    assert [r[:2] for r in requirements] == ["一是", "二是", "三是"]
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312" and normal.get(qn("w:eastAsiaTheme")) is None


def test_tables_repeat_their_header_and_never_split_a_row(facts):
    _, doc = build(facts)
    assert len(doc.tables) == 3  # 表1, 附件1, 附件2
    departments, flagged, gaps = doc.tables
    assert [c.text for c in departments.rows[0].cells] == \
        ["序号", "牵头单位", "任务数", "已完成", "按序时推进", "滞后", "逾期", "未启动", "完成率"]
    assert [c.text for c in departments.rows[-1].cells][1:4] == ["合计", "28", "1"]
    assert [c.text for c in flagged.rows[1].cells][1:4] == ["9. 加强美育和劳动教育", "青禾区滨江小学", "滞后"]
    assert [c.text for c in gaps.rows[1].cells][3:6] == ["≥96%", "94%", "2个百分点"]
    for table in doc.tables:
        first = table.rows[0]._tr.trPr
        assert first.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
        runs = [r for row in table.rows[1:] for cell in row.cells for p in cell.paragraphs for r in p.runs]
        assert {(east_asia(r), r.font.size) for r in runs} == {("仿宋_GB2312", Pt(12))}
    assert round(sum(c.width.mm for c in departments.rows[0].cells)) == 156


def test_page_numbers_in_the_footer_outside_edge(facts):
    _, doc = build(facts)
    section = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for footer, align in ((odd, WD_ALIGN_PARAGRAPH.RIGHT), (even, WD_ALIGN_PARAGRAPH.LEFT)):
        assert footer.alignment == align
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        assert "PAGE" in "".join(t.text for t in footer._p.iter(qn("w:instrText")))


def test_signature_and_attachments(facts):
    _, doc = build(facts, date=date(2025, 7, 3))
    texts = [p.text for p in doc.paragraphs]
    assert "附件：1.滞后任务清单" in texts and "2.未达到目标值的量化目标清单" in texts
    signed = texts.index("2025年7月3日")
    assert texts[signed - 1] == ISSUER
    assert doc.paragraphs[signed].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert doc.paragraphs[signed].paragraph_format.right_indent == Pt(64)  # 右空四字
    assert "附件1" in texts and "附件2" in texts
    attachments = doc.sections[1]
    assert attachments.orientation == WD_ORIENT.LANDSCAPE and round(attachments.page_width.mm) == 297


def test_numbers_in_the_text_all_come_from_the_facts(facts):
    text = bulletin_text(bulletin_blocks(facts, title=TITLE, issuer=ISSUER))
    counts = {facts.total, facts.assignments, facts.lead_units, facts.unassigned, facts.not_started_unassigned,
              facts.due_reports, facts.reported, facts.due_reports - facts.reported, len(facts.flagged),
              facts.targets_total, facts.targets_met, facts.targets_missed, facts.targets_unreported,
              facts.targets_met + facts.targets_missed, *facts.by_status.values(), *facts.by_light.values(),
              facts.count(Status.DONE) + facts.count(Status.ON_TRACK), *(n for _, n in facts.flagged_units())}
    prose = text.split("表1")[0] + text.split("三、存在的问题")[1].split("附件")[0]
    for number in re.findall(r"(\d+)项", prose):
        assert int(number) in counts, number
    shares = {*facts.shares.values(), facts.report_rate,
              round(facts.shares[Status.DONE] + facts.shares[Status.ON_TRACK], 1)}
    for number in re.findall(r"(\d+\.\d)%", prose):
        assert float(number) in shares, number
    assert "共确定重点任务28项" in text
    assert "已完成1项，占3.6%；按序时进度推进1项，占3.6%；滞后序时进度1项，占3.6%；尚未启动25项，占89.3%" in text
    assert "2025年6月应报送进展的工作3项，已报送3项，报送率100.0%" in text
    assert "已报送实际值2项，其中达到目标值1项、未达到1项；尚有34项未报送实际值" in text
    assert "落后序时进度最多的是“9. 加强美育和劳动教育”（青禾区滨江小学牵头），实际进度10%，序时进度49%" in text
    assert "目标≥96%，最新实际值94%，相差2个百分点" in text


def test_the_sum_to_100_option_changes_only_the_largest_share(reported):
    facts = bulletin_facts(Task.objects.filter(plan=reported.plan), today=TODAY, period="2025-06", sum_to_100=True)
    text = bulletin_text(bulletin_blocks(facts, title=TITLE, issuer=ISSUER))
    assert "尚未启动25项，占89.2%" in text


def test_a_quiet_period_says_so_without_inventing_problems(world):
    from eduplan.tracking.progress import submit_report

    for task, user in ((world.task_a, "school_a"), (world.task_b, "school_b"), (world.task_dept, "jijiao_tb")):
        submit_report(world.assignment(task), user=world.users[user], period="2025-06", percent=100, state="done",
                      narrative="完成")
    tasks = Task.objects.filter(pk__in=[world.task_a.pk, world.task_b.pk, world.task_dept.pk])
    facts = bulletin_facts(tasks, today=TODAY, period="2025-06")
    text = bulletin_text(bulletin_blocks(facts, title=TITLE, issuer=ISSUER))
    assert "已完成3项，占100.0%。没有滞后或逾期的任务。从预警情况看，3项任务均为绿灯。" in text
    assert "本期督查未发现" in text
    assert "滞后任务清单" not in text and "附件" not in text
    assert "一是及时准确报送进展。各单位要按时报送工作进展和量化目标实际值，尚未报送实际值的10项量化目标要在下一报告期内补报。" in text
    assert "重点督查" not in text


def test_many_school_leads_go_to_an_attachment_of_their_own(facts):
    import dataclasses

    from eduplan.reports.bulletin.facts import DepartmentRow

    def unit(name, school):
        return DepartmentRow(name, 1, {s: int(s == Status.DONE) for s in Status}, 1, 100.0, {}, is_school=school)

    many = dataclasses.replace(facts, departments=[unit(f"科室{i}", False) for i in range(5)]
                               + [unit(f"第{i}小学", True) for i in range(40)])
    blocks = bulletin_blocks(many, title=TITLE, issuer=ISSUER)
    table1 = next(b.table for b in blocks if b.kind == "table")
    assert [row[1] for row in table1.rows] == [f"科室{i}" for i in range(5)] + ["合计"]
    assert table1.footnote.endswith("40所学校牵头的任务见附件1。")
    attachments = [b for b in blocks if b.kind == "attachment"]
    assert [(b.text, b.lines[0]) for b in attachments][0] == ("附件1", "学校牵头任务落实情况")
    assert len(attachments[0].table.rows) == 40
