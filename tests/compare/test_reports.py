"""The comparison reports (xlsx and html) and ``eduplan compare``, on small made-up plans."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from eduplan.cli import main
from eduplan.compare.comparison import Comparison, compare
from eduplan.compare.items import from_parsed
from eduplan.compare.report_html import comparison_html
from eduplan.compare.report_xlsx import write_comparison_xlsx
from eduplan.errors import EduplanError
from eduplan.plan import parse_text

# Fictional plans of a fictional district, written for these tests.
OLD = """松溪区2024年教育工作要点
一、加强党的建设
1.强化基层党组织建设。深化学校党组织领导的校长负责制，开展党支部标准化建设。
2.推进清廉学校建设。开展廉洁教育进校园活动。
二、发展学前教育
3.扩大普惠性学前教育资源。新增普惠性学前学位600个，学前教育毛入园率达到95%以上。
三、提升体育美育水平
4.加强学校体育工作。开齐开足体育课，学生体质健康合格率达到92%以上。
5.丰富艺术教育活动。举办全区中小学生艺术节，组建合唱团和书法社团。
四、建设高素质教师队伍
6.实施名师培养工程。培养区级骨干教师120名。
"""
NEW = """松溪区2025年教育工作要点
一、加强党的建设
1.强化基层党组织建设。深化学校党组织领导的校长负责制，推进党支部标准化建设。
二、发展学前教育
2.扩大普惠性学前教育资源<script>alert(1)</script>。新增普惠性学前学位800个，学前教育毛入园率达到96%以上。
三、提升体育水平
3.加强学校体育工作。开齐开足体育课，学生体质健康合格率达到93%以上。
四、推进教育数字化
4.建设智慧校园。建成智慧校园示范校10所。
"""
FIVE_YEAR = """松溪区教育事业发展“十四五”规划
一、发展目标
1.主要发展指标。到2025年，基本建成高质量教育体系。
主要指标
2020年
2025年
学前教育毛入园率(%)
90
98
二、主要任务
2.扩大普惠性学前教育资源。新建公办幼儿园，增加普惠性学前学位。
"""
ANNUAL_2023 = """松溪区2023年教育工作要点
一、发展学前教育
1.扩大普惠性学前教育资源。新建公办幼儿园，学前教育毛入园率达到93%以上。
"""


def comparison_of(*texts: str, names: tuple[str | None, ...] = ()) -> Comparison:
    plans = [parse_text(text).plans[0] for text in texts]
    return compare([from_parsed(plan, name) for plan, name in zip(plans, names or (None,) * len(plans), strict=True)])


def workbook_of(comparison: Comparison) -> Workbook:
    buffer = io.BytesIO()
    write_comparison_xlsx(comparison, buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


def rows_of(sheet: Worksheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def test_workbook_has_one_sheet_per_section() -> None:
    workbook = workbook_of(comparison_of(OLD, NEW))
    assert workbook.sheetnames == ["主题覆盖", "任务对照", "各计划缺项", "目标对照", "年度变化", "对比计划"]


def test_coverage_marks_a_theme_the_plan_lacks() -> None:
    rows = rows_of(workbook_of(comparison_of(OLD, NEW))["主题覆盖"])
    assert rows[1] == ("主题", "松溪区2024年教育工作要点（参照）", "松溪区2025年教育工作要点")
    assert ("美育", 1, "缺") in rows
    assert ("体育", 1, 1) in rows
    assert rows[-1] == ("任务总数", 6, 4)


def test_alignment_gives_partner_score_and_shared_words_and_leaves_no_partner_blank() -> None:
    rows = rows_of(workbook_of(comparison_of(OLD, NEW))["任务对照"])
    sport = next(row for row in rows if row[1] == "加强学校体育工作")
    assert sport[:5] == ("三/4", "加强学校体育工作", "体育", "三/3", "加强学校体育工作")
    assert sport[5] > 0.9 and "开齐开足体育课" in sport[6]
    art = next(row for row in rows if row[1] == "丰富艺术教育活动")
    assert art[3:] == (None, None, None, None)


def test_lacks_list_themes_and_tasks_without_partner() -> None:
    rows = rows_of(workbook_of(comparison_of(OLD, NEW))["各计划缺项"])
    assert ("松溪区2025年教育工作要点", "缺少的主题", None, "美育") in rows
    assert ("松溪区2025年教育工作要点", "参照任务无对应", "四/6", "实施名师培养工程") in rows
    assert ("松溪区2025年教育工作要点", "本计划独有的任务", "四/4", "建设智慧校园") in rows


def test_targets_show_the_goal_as_printed_and_the_value() -> None:
    rows = rows_of(workbook_of(comparison_of(OLD, NEW))["目标对照"])
    assert ("学前教育毛入园率", "达到", "%", "≥95%", 95, "≥96%", 96) in rows


def test_year_changes_are_listed_added_dropped_raised() -> None:
    rows = rows_of(workbook_of(comparison_of(OLD, NEW))["年度变化"])
    assert ("建成智慧校园示范校", "新增", None, "10所") in rows
    assert ("培养区级骨干教师", "取消", "120名", None) in rows
    assert ("学前教育毛入园率", "提高", "≥95%", "≥96%") in rows


def test_five_year_progress_sheet_checks_the_annual_target_against_the_path() -> None:
    workbook = workbook_of(comparison_of(FIVE_YEAR, ANNUAL_2023))
    assert "年度变化" not in workbook.sheetnames
    rows = rows_of(workbook["五年规划进度"])
    assert ("学前教育毛入园率", "%", 90, 2020, 98, 2025, 94.8, "≥93%", "是") in rows


def test_text_that_looks_like_a_formula_stays_text() -> None:
    sheet = workbook_of(comparison_of(OLD, NEW, names=("=1+2", None)))["主题覆盖"]
    cell = sheet.cell(row=2, column=2)
    assert cell.value == "=1+2（参照）" and cell.data_type == "s"


def test_html_has_every_section_escapes_text_and_loads_nothing() -> None:
    page = comparison_html(comparison_of(OLD, NEW))
    for title in ("主题覆盖", "任务对照", "各计划缺项", "目标对照", "年度变化"):
        assert f"<h2>{title}</h2>" in page
    assert "<svg" in page and "各计划按主题的任务数" in page
    assert "扩大普惠性学前教育资源&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page
    assert "http://" not in page and "https://" not in page


def test_html_shows_the_five_year_path() -> None:
    page = comparison_html(comparison_of(FIVE_YEAR, ANNUAL_2023))
    assert "<h2>五年规划进度</h2>" in page and "94.8%" in page
    assert re.search(r'<td class="lack">是</td>', page)


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("suffix", [".xlsx", ".html"])
def test_cli_writes_the_report_in_the_format_of_its_suffix(tmp_path: Path, suffix: str) -> None:
    (tmp_path / "old.txt").write_text(OLD, encoding="utf-8")
    (tmp_path / "new.txt").write_text(NEW, encoding="utf-8")
    out = tmp_path / f"report{suffix}"
    result = _run("compare", str(tmp_path / "old.txt"), str(tmp_path / "new.txt"), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "参照 / reference：松溪区2024年教育工作要点" in result.stdout
    if suffix == ".xlsx":
        assert load_workbook(out).sheetnames[0] == "主题覆盖"
    else:
        assert "<h2>任务对照</h2>" in out.read_text(encoding="utf-8")


def test_cli_takes_each_plan_of_a_file_holding_several(tmp_path: Path) -> None:
    (tmp_path / "both.txt").write_text(OLD + "\n" + NEW, encoding="utf-8")
    result = _run("compare", str(tmp_path / "both.txt"), "--out", str(tmp_path / "report.html"))
    assert result.exit_code == 0, result.output
    assert "2 个计划" in result.stdout


@pytest.mark.parametrize(("name", "code"), [("report.html", "E350"), ("report.csv", "E351")])
def test_cli_refuses_one_plan_or_an_unknown_format_with_one_coded_line(tmp_path: Path, name: str, code: str) -> None:
    (tmp_path / "old.txt").write_text(OLD, encoding="utf-8")
    result = _run("compare", str(tmp_path / "old.txt"), "--out", str(tmp_path / name))
    assert result.exit_code == 1
    assert isinstance(result.exception, EduplanError) and result.exception.code == code
    assert "\n" not in str(result.exception)
    assert not (tmp_path / name).exists()
