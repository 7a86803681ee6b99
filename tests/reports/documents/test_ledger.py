"""The 工作台账: one row per assignment with its judged status, the period history, the light
column coloured by conditional formatting, and a summary sheet equal to the dashboard's."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from eduplan.dashboard.summary import summarize
from eduplan.reports.ledger.build import (
    LEDGER_SHEET,
    MAIN_COLUMNS,
    SUMMARY_COLUMNS,
    SUMMARY_SHEET,
    group_cells,
    write_ledger,
)
from eduplan.tracking.assigning import assign_task
from eduplan.tracking.models import Task
from eduplan.tracking.progress import submit_report
from eduplan.tracking.warnings import task_states
from tests.world import TODAY

HEADERS = [name for name, _ in MAIN_COLUMNS]


def export(tasks, **kwargs):
    buffer = io.BytesIO()
    count = write_ledger(tasks, buffer, today=TODAY, **kwargs)
    buffer.seek(0)
    return count, load_workbook(buffer)


def rows_by_task(ws) -> dict[str, dict]:
    header = [c.value for c in ws[2]]
    rows = {}
    for values in ws.iter_rows(min_row=3, values_only=True):
        row = dict(zip(header, values, strict=True))
        rows[row["重点任务"]] = row
    return rows


def plan_tasks(world):
    return Task.objects.filter(plan=world.plan)


def test_one_row_per_task_with_status_light_and_latest_report(reported):
    count, wb = export(plan_tasks(reported))
    assert wb.sheetnames == [LEDGER_SHEET, SUMMARY_SHEET]
    ws = wb[LEDGER_SHEET]
    assert [c.value for c in ws[2]] == HEADERS + ["2025年5月", "2025年6月"]
    assert count == 28 and ws.max_row == 2 + 28
    assert ws["A1"].value == "澜江市青禾区2025年教育工作要点工作台账（截至2025年6月30日）"
    rows = rows_by_task(ws)
    a = rows["7. 加强学校体育工作"]
    assert (a["牵头单位"], a["状态"], a["预警"], a["进度"]) == ("青禾区实验小学", "按进度推进", "黄", 60)
    assert a["完成时限"].date() == date(2025, 12, 31)
    assert a["最新进展"] == "完成体质健康测试，组织春季运动会。"
    # A period shows its percent and the narrative's start, cut after a clause.
    assert a["2025年5月"] == "40% 制定学校体育工作方案…"
    assert a["2025年6月"] == "60% 完成体质健康测试…"
    b = rows["9. 加强美育和劳动教育"]
    assert (b["状态"], b["预警"], b["进度"], b["2025年5月"]) == ("滞后", "红", 10, None)
    dept = rows["11. 扩大优质普惠学前教育资源供给"]
    assert (dept["状态"], dept["预警"], dept["配合单位"]) == ("已完成", "绿", "体卫艺科")
    assert dept["2025年6月"].startswith("100%（已完成）")
    unassigned = rows["1. 深化党的创新理论武装"]
    assert (unassigned["牵头单位"], unassigned["状态"], unassigned["进度"]) == ("未分派", "未启动", 0)


def test_statuses_are_the_dashboards(reported):
    tasks = list(plan_tasks(reported).select_related("plan", "section").order_by("order"))
    states = task_states(tasks, TODAY)
    _, wb = export(plan_tasks(reported))
    ws = wb[LEDGER_SHEET]
    ledger = [(r[HEADERS.index("状态")], r[HEADERS.index("预警")]) for r in ws.iter_rows(min_row=3, values_only=True)]
    assert ledger == [(s.verdict.status.label, s.verdict.light.label) for s in states]


def test_the_light_column_is_coloured_by_conditional_formatting_rules(reported):
    _, wb = export(plan_tasks(reported))
    ws = wb[LEDGER_SHEET]
    column = "H"
    assert ws[f"{column}2"].value == "预警"
    rules = {}
    for cf in ws.conditional_formatting:
        assert str(cf.sqref) == f"{column}3:{column}30"
        for rule in cf.rules:
            rules[rule.formula[0]] = rule.dxf.fill.fgColor.rgb
    assert set(rules) == {'"红"', '"黄"', '"绿"'}
    assert rules['"红"'].endswith("FFC7CE") and rules['"绿"'].endswith("C6EFCE")


def test_layout_freezes_filters_and_prints_a4_landscape_with_the_header_repeated(reported):
    _, wb = export(plan_tasks(reported))
    ws = wb[LEDGER_SHEET]
    assert ws.freeze_panes == "C3"
    assert ws.auto_filter.ref == "A2:M30"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.print_title_rows == "$2:$2" and not ws.col_breaks.brk
    # one page wide, as many tall as needed (a write-only sheet must be told before its rows)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert wb[SUMMARY_SHEET].sheet_properties.pageSetUpPr.fitToPage
    assert ws["I3"].number_format == '0"%"' and ws["F3"].number_format == "yyyy-mm-dd"
    assert not ws.merged_cells.ranges
    assert ws["A1"].alignment.horizontal == "left"


def test_the_summary_sheet_shows_summarize_figures(reported):
    tasks = list(plan_tasks(reported).select_related("plan", "section").order_by("plan_id", "order"))
    summary = summarize(task_states(tasks, TODAY), TODAY)
    _, wb = export(plan_tasks(reported))
    ws = wb[SUMMARY_SHEET]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[3] == ["范围", *SUMMARY_COLUMNS[1:]]
    total = rows[4]
    assert total[:7] == ["合计", 28, 25, 1, 1, 0, 1]
    assert total[9:] == [summary.by_light.get(k, 0) for k in ("red", "yellow", "green")]
    by_name = {r[0]: r for r in rows[5:] if r[0]}
    for group in [*summary.by_department, *summary.by_section]:
        assert by_name[group.name] == group_cells(group)
    assert by_name["青禾区滨江小学"][:7] == ["青禾区滨江小学", 1, 0, 0, 1, 0, 0]


def test_a_split_task_gets_a_row_per_measure_judged_on_its_own(reported):
    world = reported
    task = Task.objects.get(plan=world.plan, number="二/8")
    first, second = list(task.measures.order_by("order"))[:2]
    admin = world.users["admin"]
    one = assign_task(task, user=admin, lead_unit=world.unit("青禾区实验小学"), measure=first, today=TODAY)
    assign_task(task, user=admin, lead_unit=world.unit("青禾区滨江小学"), measure=second, today=TODAY)
    submit_report(one, user=world.users["school_a"], period="2025-06", percent=100, state="done", narrative="完成")
    _, wb = export(plan_tasks(world))
    ws = wb[LEDGER_SHEET]
    rows = [r for r in ws.iter_rows(min_row=3, values_only=True) if r[1].startswith("8. 守护学生身心健康")]
    assert len(rows) == 2
    assert rows[0][1] == f"8. 守护学生身心健康\n【措施】{first.text}"
    assert (rows[0][2], rows[0][6]) == ("青禾区实验小学", "已完成")
    assert (rows[1][2], rows[1][6]) == ("青禾区滨江小学", "未启动")


@pytest.mark.parametrize(("text", "short"), [
    ("按计划推进，已完成阶段工作约80%。", "按计划推进，已完成阶段工作约…"),  # never "约8…"
    ("完成1200个学位建设中的800个学位", "完成1200个学位建设中的…"),
    ("已完成全部工作", "已完成全部工作"),
])
def test_period_narratives_are_cut_without_splitting_numbers(text, short):
    from eduplan.reports.ledger.build import PERIOD_NARRATIVE_MAX, _short

    assert _short(text, PERIOD_NARRATIVE_MAX) == short


def test_chosen_periods_and_progress_calls(reported):
    calls = []
    count, wb = export(plan_tasks(reported), periods=["2025-06"], progress=lambda done, total: calls.append((done, total)))
    assert [c.value for c in wb[LEDGER_SHEET][2]][-1] == "2025年6月"
    assert calls[0] == (0, 28) and calls[-1] == (28, 28)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_report_text_that_looks_like_a_formula_stays_text(reported):
    submit_report(reported.assignment(reported.task_b), user=reported.users["school_b"], period="2025-06",
                  percent=20, state="in_progress", narrative="=HYPERLINK(\"http://x\")")
    _, wb = export(plan_tasks(reported))
    cell = next(r for r in wb[LEDGER_SHEET].iter_rows(min_row=3) if r[1].value == "9. 加强美育和劳动教育")[9]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"


@pytest.mark.parametrize("persona", ["school_b", "tiwei"])
def test_the_ledger_of_a_unit_holds_only_its_tasks(reported, persona):
    from eduplan.orgs.access import scope_for
    from eduplan.tracking.access import visible_tasks

    count, wb = export(visible_tasks(scope_for(reported.users[persona])))
    titles = set(rows_by_task(wb[LEDGER_SHEET]))
    expected = {"school_b": {"9. 加强美育和劳动教育"}, "tiwei": {"11. 扩大优质普惠学前教育资源供给"}}[persona]
    assert titles == expected and count == 1


def test_an_empty_scope_gives_a_valid_empty_ledger(db):
    count, wb = export(Task.objects.none())
    assert count == 0
    assert wb[LEDGER_SHEET].max_row == 2
    assert [r[0] for r in wb[SUMMARY_SHEET].iter_rows(values_only=True)][4] == "合计"
