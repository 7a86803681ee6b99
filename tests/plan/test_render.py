"""Markdown outline and 任务分解表 workbook, on a hand-built two-plan source (青禾区, fictional)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from eduplan.errors import EduplanError
from eduplan.plan.model import Blank, Heading, Measure, ParsedSource, Plan, Target
from eduplan.plan.render_markdown import heading_paths, printed_label, render_markdown
from eduplan.plan.render_xlsx import sheet_names, task_rows, write_task_table

ANNUAL = """青禾区教育局2025年工作要点
一、总体要求
坚持立德树人根本任务。
二、重点任务
1.推进学前教育普惠发展
新增学前教育学位1200个。普惠性幼儿园覆盖率达到95%以上。
2.加强教师队伍建设
培训教师1至2万人次。
3.提升课后服务|延时服务质量
课后服务覆盖率不低于××%。作业公示|抽查率达到100%。
"""

FIVE_YEAR = """青禾区“十四五”教育发展规划
一、发展目标
（一）基础教育
1.义务教育
巩固率保持在99%以上。
2.高中教育
新建高中2所。
"""

HEADER = ["序号", "重点任务", "具体措施", "量化目标", "牵头单位", "配合单位", "完成时限", "备注"]


class SourceBuilder:
    """Builds model objects whose offsets really index the text, as the parser's do."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cursor = 0

    def span(self, piece: str) -> tuple[int, int]:
        start = self.text.index(piece, self.cursor)
        self.cursor = start
        return start, start + len(piece)

    def heading(self, level: int, label: str, title: str, line: str) -> Heading:
        return Heading(level, label, title, *self.span(line))

    def measure(self, under: list[str], text: str) -> Measure:
        return Measure(under, text, *self.span(text))

    def target(self, under: list[str], metric: str, direction: str, comparator: str,
               value: float | list[float], unit: str, quote: str) -> Target:
        start, end = self.span(quote)
        return Target(under, metric, direction, comparator, value, unit, quote, start, end)  # type: ignore[arg-type]

    def blank(self, under: list[str], quote: str) -> Blank:
        return Blank(under, quote, *self.span(quote))


def annual_plan(b: SourceBuilder, offset: int) -> Plan:
    plan = Plan("青禾区教育局2025年工作要点", "青禾区", (2025, 2025), "annual", "青禾区教育局",
                offset, offset + len(ANNUAL))
    plan.headings = [
        b.heading(1, "一", "总体要求", "一、总体要求"),
    ]
    plan.measures.append(b.measure(["一"], "坚持立德树人根本任务。"))
    plan.headings.append(b.heading(1, "二", "重点任务", "二、重点任务"))
    plan.headings.append(b.heading(2, "1", "推进学前教育普惠发展", "1.推进学前教育普惠发展"))
    plan.measures.append(b.measure(["二", "1"], "新增学前教育学位1200个。"))
    plan.targets.append(b.target(["二", "1"], "新增学前教育学位", "increase_by", "=", 1200, "个",
                                 "新增学前教育学位1200个"))
    plan.measures.append(b.measure(["二", "1"], "普惠性幼儿园覆盖率达到95%以上。"))
    plan.targets.append(b.target(["二", "1"], "普惠性幼儿园覆盖率", "level", ">=", 95, "%",
                                 "普惠性幼儿园覆盖率达到95%以上"))
    plan.headings.append(b.heading(2, "2", "加强教师队伍建设", "2.加强教师队伍建设"))
    plan.measures.append(b.measure(["二", "2"], "培训教师1至2万人次。"))
    plan.targets.append(b.target(["二", "2"], "培训教师", "level", "range", [1, 2], "万人次",
                                 "培训教师1至2万人次"))
    plan.headings.append(b.heading(2, "3", "提升课后服务|延时服务质量", "3.提升课后服务|延时服务质量"))
    plan.measures.append(b.measure(["二", "3"], "课后服务覆盖率不低于××%。"))
    plan.blanks.append(b.blank(["二", "3"], "××"))
    plan.measures.append(b.measure(["二", "3"], "作业公示|抽查率达到100%。"))
    plan.targets.append(b.target(["二", "3"], "作业公示|抽查率", "level", "=", 100, "%",
                                 "作业公示|抽查率达到100%"))
    return plan


def five_year_plan(b: SourceBuilder, offset: int) -> Plan:
    plan = Plan("青禾区“十四五”教育发展规划", "青禾区", (2021, 2025), "five_year", None,
                offset, offset + len(FIVE_YEAR))
    plan.headings = [
        b.heading(1, "一", "发展目标", "一、发展目标"),
        b.heading(2, "(一)", "基础教育", "（一）基础教育"),
        b.heading(3, "1", "义务教育", "1.义务教育"),
    ]
    plan.measures.append(b.measure(["一", "(一)", "1"], "巩固率保持在99%以上。"))
    plan.targets.append(b.target(["一", "(一)", "1"], "巩固率", "level", ">=", 99, "%", "巩固率保持在99%以上"))
    plan.headings.append(b.heading(3, "2", "高中教育", "2.高中教育"))
    plan.measures.append(b.measure(["一", "(一)", "2"], "新建高中2所。"))
    plan.targets.append(b.target(["一", "(一)", "2"], "新建高中", "increase_by", "=", 2, "所", "新建高中2所"))
    return plan


@pytest.fixture
def parsed() -> ParsedSource:
    text = ANNUAL + FIVE_YEAR
    builder = SourceBuilder(text)
    plans = [annual_plan(builder, 0), five_year_plan(builder, len(ANNUAL))]
    return ParsedSource("青禾区.txt", text, plans)


def test_fixture_offsets_index_the_text(parsed: ParsedSource) -> None:
    for plan in parsed.plans:
        for item in [*plan.measures, *plan.targets, *plan.blanks]:
            quote = item.text if isinstance(item, Measure) else item.quote
            assert parsed.text[item.start:item.end] == quote


# ---------------------------------------------------------------- outline helpers


@pytest.mark.parametrize(("label", "printed"), [
    ("一", "一、"), ("十二", "十二、"), ("(一)", "（一）"), ("8", "8."), ("(1)", "(1)"), ("①", "①"),
])
def test_printed_label(label: str, printed: str) -> None:
    assert printed_label(label) == printed


def test_heading_paths_follow_levels_and_match_under(parsed: ParsedSource) -> None:
    assert heading_paths(parsed.plans[1].headings) == [
        ["一"], ["一", "(一)"], ["一", "(一)", "1"], ["一", "(一)", "2"],
    ]
    skipping = [Heading(1, "一", "", 0, 1), Heading(3, "1", "", 2, 3), Heading(1, "二", "", 4, 5)]
    assert heading_paths(skipping) == [["一"], ["一", "1"], ["二"]]


# ---------------------------------------------------------------- markdown


def test_markdown_title_and_metadata(parsed: ParsedSource) -> None:
    md = render_markdown(parsed)
    assert md.startswith("# 青禾区教育局2025年工作要点\n")
    assert "地区：青禾区 · 期间：2025 · 类型：年度工作要点 · 发文单位：青禾区教育局" in md
    assert "地区：青禾区 · 期间：2021—2025 · 类型：五年规划 · 发文单位：—" in md


def test_markdown_outline_labels_and_nesting(parsed: ParsedSource) -> None:
    lines = render_markdown(parsed).splitlines()
    for line in [
        "- **一、** 总体要求",
        "- **二、** 重点任务",
        "  - **1.** 推进学前教育普惠发展",
        "  - **2.** 加强教师队伍建设",
        "- **一、** 发展目标",
        "  - **（一）** 基础教育",
        "    - **1.** 义务教育",
        "    - **2.** 高中教育",
    ]:
        assert line in lines


def test_markdown_targets_table(parsed: ParsedSource) -> None:
    lines = render_markdown(parsed).splitlines()
    assert lines.count("| 所属条目 | 指标 | 方向 | 比较 | 目标值 | 单位 | 原文 |") == 2
    assert "| 二 › 1 | 新增学前教育学位 | 增加 | = | 1200 | 个 | 新增学前教育学位1200个 |" in lines
    assert "| 二 › 1 | 普惠性幼儿园覆盖率 | 达到 | ≥ | 95 | % | 普惠性幼儿园覆盖率达到95%以上 |" in lines
    assert "| 二 › 2 | 培训教师 | 达到 | 区间 | 1–2 | 万人次 | 培训教师1至2万人次 |" in lines
    assert "| 一 › （一） › 2 | 新建高中 | 增加 | = | 2 | 所 | 新建高中2所 |" in lines


def test_markdown_escapes_pipes_in_cells(parsed: ParsedSource) -> None:
    lines = render_markdown(parsed).splitlines()
    row = next(line for line in lines if "抽查率" in line and line.startswith("|"))
    assert row == "| 二 › 3 | 作业公示\\|抽查率 | 达到 | = | 100 | % | 作业公示\\|抽查率达到100% |"
    assert len(re.findall(r"(?<!\\)\|", row)) == 8  # still seven cells
    assert "  - **3.** 提升课后服务|延时服务质量" in lines  # outside tables a pipe is harmless


def test_markdown_escapes_markdown_syntax_in_titles() -> None:
    plan = Plan("*重要*工作_要点", None, None, "other", None, 0, 0,
                headings=[Heading(1, "一", "[试点]<项目>", 0, 0)])
    md = render_markdown(ParsedSource("<text>", "", [plan]))
    assert "# \\*重要\\*工作\\_要点" in md
    assert "- **一、** \\[试点\\]\\<项目\\>" in md
    assert "类型：其他" in md


def test_markdown_blanks_list(parsed: ParsedSource) -> None:
    md = render_markdown(parsed)
    assert md.count("## 模板空缺") == 1  # only the annual plan has one
    assert "- 二 › 3：“××”" in md.splitlines()


def test_markdown_plans_in_order_separated_by_rule(parsed: ParsedSource) -> None:
    md = render_markdown(parsed)
    first, second = md.split("\n---\n")
    assert "青禾区教育局2025年工作要点" in first and "十四五" not in first
    assert second.lstrip().startswith("# 青禾区“十四五”教育发展规划")


def test_markdown_untitled_and_empty() -> None:
    untitled = Plan(None, None, None, "other", None, 0, 0)
    md = render_markdown(ParsedSource("<text>", "", [untitled]))
    assert md.startswith("# （无标题）\n")
    assert "未识别到量化目标" in md and "模板空缺" not in md
    assert "未识别到工作计划" in render_markdown(ParsedSource("a.txt", "", []))


# ---------------------------------------------------------------- task rows


def test_task_rows_sections_tasks_and_content(parsed: ParsedSource) -> None:
    rows = task_rows(parsed.plans[0])
    assert [(r.kind, r.label) for r in rows] == [
        ("section", "一"), ("intro", ""), ("section", "二"), ("task", "1"), ("task", "2"), ("task", "3"),
    ]
    assert [m.text for m in rows[1].measures] == ["坚持立德树人根本任务。"]
    assert [t.quote for t in rows[3].targets] == ["新增学前教育学位1200个", "普惠性幼儿园覆盖率达到95%以上"]
    assert [b.quote for b in rows[5].blanks] == ["××"]


def test_task_rows_group_heading_above_items(parsed: ParsedSource) -> None:
    rows = task_rows(parsed.plans[1])
    assert [(r.kind, r.path) for r in rows] == [
        ("section", ["一"]), ("group", ["一", "(一)"]),
        ("task", ["一", "(一)", "1"]), ("task", ["一", "(一)", "2"]),
    ]
    assert [m.text for m in rows[3].measures] == ["新建高中2所。"]


def test_task_rows_only_sections_gives_one_row_each() -> None:
    plan = Plan("青禾区工作要点", None, None, "annual", None, 0, 30, headings=[
        Heading(1, "一", "总体要求", 0, 5), Heading(1, "二", "主要任务", 10, 15),
    ], measures=[Measure(["二"], "办好人民满意的教育。", 16, 26)])
    rows = task_rows(plan)
    assert [(r.kind, r.label, r.title) for r in rows] == [("task", "一", "总体要求"), ("task", "二", "主要任务")]
    assert [m.text for m in rows[1].measures] == ["办好人民满意的教育。"]


def test_task_rows_repeated_label_goes_by_position() -> None:
    plan = Plan(None, None, None, "other", None, 0, 100, headings=[
        Heading(2, "3", "甲", 0, 3), Heading(2, "3", "乙", 50, 53),
    ], measures=[Measure(["3"], "前", 10, 11), Measure(["3"], "后", 60, 61), Measure(["9"], "外", 70, 71)])
    rows = task_rows(plan)
    assert [(r.kind, r.title, [m.text for m in r.measures]) for r in rows] == [
        ("intro", "", ["外"]), ("task", "甲", ["前"]), ("task", "乙", ["后"]),
    ]


# ---------------------------------------------------------------- xlsx


def values(ws: Worksheet, row: int) -> list[object]:
    return [ws.cell(row=row, column=c).value for c in range(1, 9)]


def row_with_label(ws: Worksheet, label: str) -> int:
    return next(r for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=1).value == label)


@pytest.fixture
def workbook_path(parsed: ParsedSource, tmp_path: Path) -> Path:
    path = tmp_path / "任务分解表.xlsx"
    write_task_table(parsed, path)
    return path


def test_xlsx_one_sheet_per_plan(workbook_path: Path) -> None:
    wb = load_workbook(workbook_path)
    assert wb.sheetnames == ["青禾区教育局2025年工作要点", "青禾区“十四五”教育发展规划"]


def test_xlsx_title_and_header(workbook_path: Path) -> None:
    ws = load_workbook(workbook_path).worksheets[0]
    assert ws["A1"].value == "青禾区教育局2025年工作要点任务分解表"
    assert "A1:H1" in {str(r) for r in ws.merged_cells.ranges}
    assert values(ws, 2) == HEADER
    assert ws["A2"].font.b


def test_xlsx_section_rows_merged_bold_filled(workbook_path: Path) -> None:
    ws = load_workbook(workbook_path).worksheets[0]
    merged = {str(r) for r in ws.merged_cells.ranges}
    for text in ["一、总体要求", "二、重点任务"]:
        row = next(r for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=1).value == text)
        assert f"A{row}:H{row}" in merged
        assert ws.cell(row=row, column=1).font.b
        assert ws.cell(row=row, column=1).fill.fill_type == "solid"


def test_xlsx_task_rows_hold_measures_and_targets(workbook_path: Path) -> None:
    ws = load_workbook(workbook_path).worksheets[0]
    row = row_with_label(ws, "1")
    assert values(ws, row) == [
        "1", "推进学前教育普惠发展", "新增学前教育学位1200个。\n普惠性幼儿园覆盖率达到95%以上。",
        "新增学前教育学位1200个\n普惠性幼儿园覆盖率达到95%以上", None, None, None, None,
    ]
    assert values(ws, row_with_label(ws, "2"))[1:4] == ["加强教师队伍建设", "培训教师1至2万人次。", "培训教师1至2万人次"]
    # Content of a section without items sits on an unlabelled row under the section band.
    intro = next(r for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=3).value == "坚持立德树人根本任务。")
    assert ws.cell(row=intro - 1, column=1).value == "一、总体要求"
    assert ws.cell(row=intro, column=1).value is None


def test_xlsx_group_and_nested_tasks(workbook_path: Path) -> None:
    ws = load_workbook(workbook_path).worksheets[1]
    assert values(ws, 3)[0] == "一、发展目标"
    assert values(ws, 4)[:2] == ["(一)", "基础教育"]
    assert values(ws, 5)[:4] == ["1", "义务教育", "巩固率保持在99%以上。", "巩固率保持在99%以上"]
    assert values(ws, 6)[:4] == ["2", "高中教育", "新建高中2所。", "新建高中2所"]
    assert ws.max_row == 6


def test_xlsx_cell_formatting(workbook_path: Path) -> None:
    ws = load_workbook(workbook_path).worksheets[0]
    cell = ws.cell(row=row_with_label(ws, "1"), column=3)
    assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
    assert cell.border.left.style == cell.border.bottom.style == "thin"
    assert cell.font.name in {"宋体", "仿宋"} and cell.font.sz == 11
    widths = [ws.column_dimensions[c].width for c in "ABCDEFGH"]
    assert widths[2] >= 50 and widths[0] <= 8 and all(w >= 6 for w in widths)


def test_xlsx_print_setup(workbook_path: Path) -> None:
    for ws in load_workbook(workbook_path).worksheets:
        assert ws.freeze_panes == "A3"
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
        assert ws.print_title_rows.replace("$", "") == "2:2"


def test_xlsx_sheet_names_valid_and_unique(tmp_path: Path) -> None:
    titles = ["青禾区工作要点", "青禾区工作要点", None, None, "a/b:c*d?[e]\\f", "'引号'", "history",
              "青禾区教育局关于印发《青禾区2025年教育工作要点》的通知（全文）"]
    plans = [Plan(t, None, None, "other", None, 0, 0, headings=[Heading(1, "一", "总体", 0, 0)]) for t in titles]
    names = sheet_names(plans)
    assert len(names) == len(plans)
    assert len({n.casefold() for n in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= 31
        assert not re.search(r"[\[\]:*?/\\]", name)
        assert not name.startswith("'") and not name.endswith("'")
        assert name.casefold() != "history"
    assert names[:4] == ["青禾区工作要点", "青禾区工作要点(2)", "计划3", "计划4"]
    path = tmp_path / "names.xlsx"
    write_task_table(ParsedSource("<text>", "", plans), path)
    assert load_workbook(path).sheetnames == names


def test_xlsx_only_sections_plan_exports_section_rows(tmp_path: Path) -> None:
    plan = Plan("青禾区工作要点", None, None, "annual", None, 0, 0, headings=[
        Heading(1, "一", "总体要求", 0, 0), Heading(1, "二", "主要任务", 0, 0),
    ])
    path = tmp_path / "sections.xlsx"
    write_task_table(ParsedSource("<text>", "", [plan]), path)
    ws = load_workbook(path).active
    assert [values(ws, r)[:2] for r in range(3, ws.max_row + 1)] == [["一", "总体要求"], ["二", "主要任务"]]


def test_xlsx_keeps_document_text_as_text(tmp_path: Path) -> None:
    plan = Plan(None, None, None, "other", None, 0, 0, headings=[Heading(2, "1", "=SUM(A1:A2)", 0, 0)],
                measures=[Measure(["1"], "控制字符\x07已去除", 0, 0)])
    path = tmp_path / "text.xlsx"
    write_task_table(ParsedSource("<text>", "", [plan]), path)
    ws = load_workbook(path).active
    assert ws["A1"].value == "任务分解表"
    assert ws["B3"].value == "=SUM(A1:A2)" and ws["B3"].data_type == "s"
    assert ws["C3"].value == "控制字符已去除"


def test_xlsx_no_plans_still_writes_a_skeleton(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    write_task_table(ParsedSource("<text>", "", []), path)
    ws = load_workbook(path).active
    assert values(ws, 2) == HEADER


def test_xlsx_unwritable_path_is_a_coded_error(parsed: ParsedSource, tmp_path: Path) -> None:
    with pytest.raises(EduplanError) as caught:
        write_task_table(parsed, tmp_path / "missing-dir" / "out.xlsx")
    assert caught.value.code == "E301"
