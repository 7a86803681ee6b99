"""The exported 任务分解表: what people see, what Excel needs, and how fast it is written."""

from __future__ import annotations

import time
import warnings
import zipfile
from datetime import date, datetime
from xml.dom import minidom

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import quote_sheetname

from eduplan.orgs.models import OrgUnit
from eduplan.reports.breakdown import export as bx
from eduplan.reports.breakdown.importing import read_breakdown
from eduplan.reports.breakdown.views import XLSX
from eduplan.tracking.assigning import assign_task
from eduplan.tracking.models import Assignment, Measure, Plan, Section, Target, Task
from tests.world import TODAY

from .conftest import key_rows

HEADER = ["序号", "重点任务", "具体措施/工作内容", "量化目标", "牵头单位", "配合单位", "责任人", "完成时限", "备注",
          "任务编号（请勿修改）"]


def load(path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the file opens without a warning (its print area is a cell range)
        return load_workbook(path)


def test_the_sheet_has_title_header_sections_and_one_row_per_task(world, exported):
    ws = load(exported).worksheets[0]
    assert ws.title == world.plan.title
    assert ws["A1"].value == f"{world.plan.title}任务分解表"
    assert "A1:I1" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == HEADER
    bands = [ws.cell(r, 1).value for r in range(3, ws.max_row + 1) if f"A{r}:I{r}" in
             {str(m) for m in ws.merged_cells.ranges}]
    assert bands == [f"{s.label}、{s.title}" for s in world.plan.sections.all() if s.tasks.exists()]
    keys = key_rows(ws)
    tasks = list(world.plan.tasks.filter(removed_in_version__isnull=True))
    assert set(keys) == {f"T{t.pk}" for t in tasks}
    row = keys[f"T{world.task_dept.pk}"]
    assert ws.cell(row, bx.TITLE).value == world.task_dept.title
    assert ws.cell(row, bx.LEAD).value == "基础教育科"
    assert ws.cell(row, bx.PARTNERS).value == "体卫艺科"
    measures = ws.cell(row, bx.MEASURES).value.split("\n")
    assert measures == [m.text for m in world.task_dept.measures.all()]


def test_deadlines_are_real_dates_and_unassigned_rows_are_empty(world, exported):
    ws = load(exported).worksheets[0]
    keys = key_rows(ws)
    cell = ws.cell(keys[f"T{world.task_a.pk}"], bx.DEADLINE)
    assert cell.value == datetime(2025, 12, 31)
    assert cell.number_format == "yyyy-mm-dd"
    unassigned = world.plan.tasks.exclude(assignments__isnull=False).first()
    row = keys[f"T{unassigned.pk}"]
    assert [ws.cell(row, c).value for c in (bx.LEAD, bx.PARTNERS, bx.OWNER, bx.DEADLINE)] == [None] * 4


def test_the_file_is_well_formed_and_opens_back(exported):
    with zipfile.ZipFile(exported) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                minidom.parseString(archive.read(name))  # raises on malformed XML
        workbook_xml = archive.read("xl/workbook.xml").decode()
    assert 'name="_xlnm.Print_Area" localSheetId="0"' in workbook_xml
    assert "!$A$1:$I$1048576</definedName>" in workbook_xml  # the key column is not printed
    assert 'name="_xlnm.Print_Titles" localSheetId="0"' in workbook_xml
    workbook = load(exported)
    assert [ws.title for ws in workbook.worksheets][1] == "单位"
    assert workbook["单位"].sheet_state == "hidden"


def test_print_setup_freeze_and_validations(world, exported):
    workbook = load(exported)
    ws = workbook.worksheets[0]
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$2:$2"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.page_setup.fitToWidth == 1
    checks = {str(dv.sqref).split(":")[0][0]: dv for dv in ws.data_validations.dataValidation}
    lead, owner, deadline = checks["E"], checks["G"], checks["H"]
    assert (lead.type, lead.formula1, lead.showErrorMessage) == ("list", "eduplan_units", True)
    assert (owner.type, owner.formula1) == ("list", "eduplan_owners")
    assert (deadline.type, deadline.operator) == ("date", "between")
    assert (deadline.formula1, deadline.formula2) == ("DATE(2025,1,1)", "DATE(2025,12,31)")
    assert str(lead.sqref).endswith(str(ws.max_row + bx.SPARE_ROWS))  # rows added at the end are covered
    units = workbook.defined_names["eduplan_units"].attr_text
    listed = [c.value for c in workbook["单位"]["A"][1:]]
    assert units == f"'单位'!$A$2:$A${len(listed) + 1}"
    expected = OrgUnit.objects.filter(path__startswith=world.bureau.path, active=True).exclude(kind="bureau")
    assert sorted(listed) == sorted(u.name for u in expected)
    kinds = [OrgUnit.objects.get(name=name).kind for name in listed]
    assert kinds == sorted(kinds, key=["department", "group", "school"].index)  # departments first
    assert "jijiao" in [c.value for c in workbook["单位"]["B"][1:]]


def test_rows_of_long_text_get_room_and_the_title_row_does_not(world, exported):
    ws = load(exported).worksheets[0]
    row = key_rows(ws)[f"T{world.task_dept.pk}"]
    assert ws.row_dimensions[row].height >= 7 * bx.LINE_HEIGHT  # seven measures, each on its own line at least
    assert bx.fitted_height([("短", 10)]) is None
    assert bx.fitted_height([("字" * 5000, 10)]) == bx.MAX_ROW_HEIGHT


def test_a_task_split_by_measure_gets_one_row_per_measure_assignment(world, tmp_path):
    task = world.task_dept
    second = task.measures.all()[1]
    assign_task(task, user=world.users["admin"], lead_unit=world.unit("德育科"), measure=second,
                deadline=date(2025, 9, 30), today=TODAY)
    path = tmp_path / "split.xlsx"
    bx.write_breakdown(world.plan, path)
    ws = load(path).worksheets[0]
    keys = key_rows(ws)
    row = keys[f"T{task.pk}-M{second.pk}"]
    assert row == keys[f"T{task.pk}"] + 1
    assert ws.cell(row, bx.SEQ).value == f"{task.label}-2"
    assert ws.cell(row, bx.TITLE).value == task.title
    assert ws.cell(row, bx.MEASURES).value == second.text
    assert ws.cell(row, bx.LEAD).value == "德育科"
    assert ws.cell(row, bx.DEADLINE).value == datetime(2025, 9, 30)


def test_control_characters_and_formula_like_titles_stay_text(world, tmp_path):
    task = world.task_b
    Task.objects.filter(pk=task.pk).update(title="=SUM(A1)\x07加强美育")
    path = tmp_path / "odd.xlsx"
    bx.write_breakdown(world.plan, path)
    ws = load(path).worksheets[0]
    cell = ws.cell(key_rows(ws)[f"T{task.pk}"], bx.TITLE)
    assert cell.value == "=SUM(A1)加强美育"
    assert cell.data_type == "s"


def test_only_the_given_tasks_are_written(world, tmp_path):
    path = tmp_path / "some.xlsx"
    bx.write_breakdown(world.plan, path, tasks=[world.task_a, world.task_b])
    ws = load(path).worksheets[0]
    assert set(key_rows(ws)) == {f"T{world.task_a.pk}", f"T{world.task_b.pk}"}
    bands = [ws.cell(r, 1).value for r in range(3, ws.max_row + 1) if ws.cell(r, bx.KEY).value is None]
    assert bands == [f"{world.task_a.section.label}、{world.task_a.section.title}"]  # both in section 二


def big_plan(world, tasks: int = 2000) -> Plan:
    """A plan of ``tasks`` tasks in 20 sections, each with 4 measures, a target and an assignment."""
    plan = Plan.objects.create(bureau=world.bureau, title="青禾区教育发展大计划", source_name="big.txt",
                               source_text="", period_start=2025, period_end=2025)
    per = tasks // 20
    sections = Section.objects.bulk_create(Section(plan=plan, label="一二三四五六七八九十"[i % 10] * (1 + i // 10),
                                                   title=f"第{i + 1}部分", order=i * (per + 1)) for i in range(20))
    rows = Task.objects.bulk_create(
        Task(plan=plan, section=sections[i // per], label=str(i + 1), number=f"{sections[i // per].label}/{i + 1}",
             title=f"推进第{i + 1}项重点工作，提升教育服务质量", order=(i // per) * (per + 1) + i % per + 1)
        for i in range(tasks))
    Measure.objects.bulk_create(Measure(task=t, text=f"措施{j + 1}：完善工作机制，细化责任分工，按月调度推进。",
                                        order=j) for t in rows for j in range(4))
    Target.objects.bulk_create(Target(task=t, metric="覆盖率", value=95, unit="%", quote="覆盖率达到95%以上")
                               for t in rows)
    lead = world.unit("基础教育科")
    Assignment.objects.bulk_create(Assignment(task=t, lead_unit=lead, start_date=date(2025, 1, 1),
                                              deadline=date(2025, 12, 31)) for t in rows)
    return plan


def test_a_plan_of_2000_tasks_exports_with_progress(world, tmp_path):
    plan = big_plan(world)
    calls = []
    path = tmp_path / "big.xlsx"
    started = time.perf_counter()
    bx.write_breakdown(plan, path, progress=lambda done, total: calls.append((done, total)))
    seconds = time.perf_counter() - started
    assert calls[0] == (0, 2000)
    assert calls[-1] == (2000, 2000)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    started = time.perf_counter()
    reading = read_breakdown(path, plan)
    read_seconds = time.perf_counter() - started
    assert reading.ok and reading.unchanged == 2000 and not reading.changes
    print(f"\n2000 tasks: export {seconds:.2f} s, {path.stat().st_size // 1024} KB; read back {read_seconds:.2f} s")


@pytest.mark.parametrize("persona", ["admin", "leader"])
def test_the_web_download_is_an_xlsx_named_after_the_plan(world, as_user, persona, tmp_path):
    response = as_user(persona).get(reverse("breakdown-export", args=[world.plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''" in response["Content-Disposition"]
    path = tmp_path / "download.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    assert len(key_rows(load(path).worksheets[0])) == world.plan.tasks.count()


def test_a_school_downloads_only_its_own_tasks(world, as_user, tmp_path):
    response = as_user("school_a").get(reverse("breakdown-export", args=[world.plan.pk]))
    assert response.status_code == 200
    path = tmp_path / "school.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    ws = load(path).worksheets[0]
    assert set(key_rows(ws)) == {f"T{world.task_a.pk}"}
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert world.task_b.title not in text


def test_a_plan_the_user_cannot_see_is_404(world, as_user):
    other = Plan.objects.create(bureau=OrgUnit.objects.create(name="别的区教育局", kind="bureau"), title="别处的计划",
                                source_name="x.txt", source_text="")
    assert as_user("admin").get(reverse("breakdown-export", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("with_people", [True, False])
def test_opening_the_file_raises_no_print_area_warning(world, tmp_path, with_people):
    path = tmp_path / "t.xlsx"
    bx.write_breakdown(world.plan, path, with_people=with_people)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ws = load_workbook(path).worksheets[0]
    assert [str(w.message) for w in caught] == []
    assert ws.print_area == f"{quote_sheetname(ws.title)}!$A$1:$I$1048576"
