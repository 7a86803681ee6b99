"""Export → edit with openpyxl as a person would → import: exactly the intended changes, or
nothing and a precise list of problems."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from openpyxl.utils.datetime import to_excel

from eduplan.audit.models import AuditEntry
from eduplan.demo_data import EXAMPLE_PLAN
from eduplan.errors import EduplanError
from eduplan.orgs.models import OrgUnit
from eduplan.reports.breakdown import export as bx
from eduplan.reports.breakdown.importing import apply_breakdown, parse_date, read_breakdown
from eduplan.tracking.assigning import assign_task
from eduplan.tracking.importing import import_parsed, read_upload
from eduplan.tracking.models import Assignment, Measure, Milestone, Task
from tests.world import TODAY

from .conftest import END_OF_PLAN, Edit, assignment_state, insert_row


def problems_of(reading) -> list[tuple[str, int, str, str]]:
    """(sheet, row, column letter, error code) of every problem."""
    return [(p.sheet, p.row, p.column_letter, p.message[1:5]) for p in reading.problems]


def read_and_apply(world, path):
    reading = read_breakdown(path, world.plan)
    assert reading.problems == []
    return reading, apply_breakdown(reading, user=world.users["admin"], today=TODAY)


# ---------------------------------------------------------------- nothing changed

def test_an_unchanged_file_changes_nothing(world, exported):
    before, audits = assignment_state(world.plan), AuditEntry.objects.count()
    reading, result = read_and_apply(world, exported)
    assert reading.changes == [] and reading.notes == []
    assert reading.unchanged == world.plan.tasks.count()
    assert result.assignments == [] and result.created == []
    assert assignment_state(world.plan) == before
    assert AuditEntry.objects.count() == audits


def test_a_file_saved_again_with_resorted_rows_and_blank_rows_changes_nothing(world, edit):
    ws = edit.ws
    rows = [[c.value for c in ws[r]] for r in range(3, ws.max_row + 1)]
    for cell_range in list(ws.merged_cells.ranges):
        if cell_range.min_row > 2:
            ws.unmerge_cells(str(cell_range))
    rows.reverse()  # a person sorted the table the other way round
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            ws.cell(3 + offset * 2, column).value = value
            ws.cell(4 + offset * 2, column).value = None  # and every other row blank
    reading = read_breakdown(edit.save(), world.plan)
    assert reading.problems == [] and reading.changes == []
    assert reading.unchanged == world.plan.tasks.count()


# ---------------------------------------------------------------- the intended changes

def test_changed_cells_and_a_hand_added_task_become_exactly_those_changes(world, edit):
    dept, a, b = world.task_dept, world.task_a, world.task_b
    unassigned = world.plan.tasks.filter(assignments__isnull=True).order_by("order").first()
    edit[f"T{a.pk}", bx.LEAD] = "青禾区滨江小学"  # a lead unit
    edit[f"T{b.pk}", bx.DEADLINE] = datetime(2025, 10, 31)  # a deadline
    edit[f"T{dept.pk}", bx.OWNER] = "jijiao_tb"  # an owner
    edit[f"T{dept.pk}", bx.PARTNERS] = "体卫艺科、 德育科"  # partners, with a stray space
    edit[f"T{unassigned.pk}", bx.LEAD] = " 办公室 "
    edit[f"T{unassigned.pk}", bx.DEADLINE] = "2025/9/30"
    section_two = dept.section  # a hand row at the end of section 三 (the section of task_dept)
    last_of_section = max((r for k, r in edit.rows.items()
                           if Task.objects.get(pk=int(k[1:].split("-")[0])).section_id == section_two.pk))
    insert_row(edit.ws, last_of_section + 1)
    new_row = last_of_section + 1
    edit.ws.cell(new_row, bx.TITLE).value = "建设青禾区智慧托育服务平台"
    edit.ws.cell(new_row, bx.MEASURES).value = "1.完成平台需求调研。\n2.上线试运行。"
    edit.ws.cell(new_row, bx.LEAD).value = "基础教育科"
    edit.ws.cell(new_row, bx.PARTNERS).value = "信息中心"
    edit.ws.cell(new_row, bx.DEADLINE).value = "2025年11月30日"
    path = edit.save()

    before, audits = assignment_state(world.plan), AuditEntry.objects.count()
    tasks_before = set(world.plan.tasks.values_list("pk", flat=True))
    reading, result = read_and_apply(world, path)

    created = Task.objects.exclude(pk__in=tasks_before).get()
    assert created.title == "建设青禾区智慧托育服务平台"
    assert created.section == section_two
    highest = max(int(t.number.split("/")[1]) for t in section_two.tasks.exclude(pk=created.pk))
    assert created.number == f"{section_two.label}/{highest + 1}" and created.label == str(highest + 1)
    assert [m.text for m in created.measures.all()] == ["完成平台需求调研。", "上线试运行。"]
    ordered = list(world.plan.tasks.order_by("order"))
    in_section = [t for t in ordered if t.section_id == section_two.pk]
    assert in_section[-1] == created  # placed at the end of its section, before the next one
    assert ordered.index(created) == ordered.index(in_section[-2]) + 1

    expected = dict(before)
    expected[(a.pk, None)] = ("青禾区滨江小学", (), None, END_OF_PLAN)
    expected[(b.pk, None)] = (before[(b.pk, None)][0], (), None, date(2025, 10, 31))
    expected[(dept.pk, None)] = ("基础教育科", ("体卫艺科", "德育科"), "jijiao_tb", END_OF_PLAN)
    expected[(unassigned.pk, None)] = ("办公室", (), None, date(2025, 9, 30))
    expected[(created.pk, None)] = ("基础教育科", ("信息中心",), None, date(2025, 11, 30))
    assert assignment_state(world.plan) == {k: (v[0], tuple(sorted(v[1])), v[2], v[3]) for k, v in expected.items()}
    # One audit entry per changed assignment, one for the new task: nothing for the unchanged rows.
    assert AuditEntry.objects.count() - audits == 6
    assert AuditEntry.objects.filter(action="task.create", object_id=str(created.pk)).count() == 1
    assert len(result.assignments) == 5 and result.created == [created]
    assert result.unchanged == world.plan.tasks.count() - 5
    new = world.assignment(created)
    assert new.suggestion == "按任务分解表导入" and new.start_date == date(2025, 1, 1)


def test_the_reading_lists_each_change_for_people(world, edit):
    a = world.task_a
    edit[f"T{a.pk}", bx.LEAD] = "青禾区滨江小学"
    edit[f"T{a.pk}", bx.TITLE] = a.title + "（改）"
    reading = read_breakdown(edit.save(), world.plan)
    [change] = reading.changes
    assert change.kind == "assign" and change.task == a and change.key == f"T{a.pk}"
    assert change.details == ["牵头单位：青禾区实验小学 → 青禾区滨江小学"]
    assert change.row == edit.rows[f"T{a.pk}"]
    assert len(reading.notes) == 1 and "不会保存" in reading.notes[0]


def test_a_measure_row_changes_that_measure_only(world, tmp_path):
    task = world.task_dept
    measure = task.measures.all()[2]
    assign_task(task, user=world.users["admin"], lead_unit=world.unit("德育科"), measure=measure, today=TODAY)
    path = tmp_path / "split.xlsx"
    bx.write_breakdown(world.plan, path)
    edit = Edit(path)
    edit[f"T{task.pk}-M{measure.pk}", bx.DEADLINE] = "2025-08-31"
    before = assignment_state(world.plan)
    read_and_apply(world, edit.save())
    after = assignment_state(world.plan)
    assert after[(task.pk, measure.pk)][3] == date(2025, 8, 31)
    assert {k: v for k, v in after.items() if k != (task.pk, measure.pk)} == \
        {k: v for k, v in before.items() if k != (task.pk, measure.pk)}


def test_a_hand_added_task_without_a_unit_is_created_unassigned(world, edit):
    row = edit.ws.max_row + 1  # at the very end: under the last section band
    edit.ws.cell(row, bx.TITLE).value = "开展校园安全隐患“回头看”"
    reading, result = read_and_apply(world, edit.save())
    [task] = result.created
    assert task.section == world.plan.sections.order_by("order").last()
    assert not task.assignments.exists() and result.assignments == []


def test_two_hand_added_tasks_in_one_section_get_consecutive_numbers(world, edit):
    row = edit.ws.max_row + 1
    edit.ws.cell(row, bx.TITLE).value = "新任务甲"
    edit.ws.cell(row + 1, bx.TITLE).value = "新任务乙"
    reading = read_breakdown(edit.save(), world.plan)
    first, second = (c.number for c in reading.new_tasks)
    assert int(second.split("/")[1]) == int(first.split("/")[1]) + 1
    _reading, result = read_and_apply(world, edit.path.with_name("edited.xlsx"))
    assert [t.number for t in result.created] == [first, second]


# ---------------------------------------------------------------- broken cells: nothing saved

def other_plan(world):
    upload = SimpleUploadedFile(EXAMPLE_PLAN.name, EXAMPLE_PLAN.read_bytes())
    return import_parsed(read_upload(EXAMPLE_PLAN), bureau=world.bureau, user=world.users["admin"],
                         source_file=upload).plans[0]


def test_broken_cells_are_listed_precisely_and_nothing_is_saved(world, edit):
    dept, a, b = world.task_dept, world.task_a, world.task_b
    stranger = other_plan(world).tasks.first()
    edit[f"T{a.pk}", bx.LEAD] = "青禾区滨江小学"  # a good change, but the file has problems
    edit[f"T{b.pk}", bx.LEAD] = "不存在的科"
    edit[f"T{dept.pk}", bx.DEADLINE] = "下个月"
    rows = edit.rows
    dept_row, b_row = rows[f"T{dept.pk}"], rows[f"T{b.pk}"]
    edit[f"T{a.pk}", bx.KEY] = f"T{stranger.pk}"  # a key of another plan's task
    a_row = rows[f"T{a.pk}"]
    path = edit.save()

    sheet = world.plan.title
    before, audits = assignment_state(world.plan), AuditEntry.objects.count()
    reading = read_breakdown(path, world.plan)
    assert problems_of(reading) == sorted([
        (sheet, a_row, "J", "E618"),
        (sheet, b_row, "E", "E605"),
        (sheet, dept_row, "H", "E613"),
    ], key=lambda p: p[1])
    by_row = {p.row: p for p in reading.problems}
    assert by_row[b_row].column_name == "牵头单位" and "不存在的科" in by_row[b_row].message
    assert by_row[dept_row].column_name == "完成时限" and "下个月" in by_row[dept_row].message
    assert str(by_row[b_row]).startswith(f"工作表“{sheet}”第 {b_row} 行 E 列（牵头单位）：[E605]")
    with pytest.raises(EduplanError) as caught:
        apply_breakdown(reading, user=world.users["admin"], today=TODAY)
    assert caught.value.code == "E629"
    assert assignment_state(world.plan) == before
    assert AuditEntry.objects.count() == audits


def test_keys_that_match_no_task_of_this_plan(world, edit):
    a, b, dept = world.task_a, world.task_b, world.task_dept
    rows = edit.rows
    Task.objects.filter(pk=b.pk).update(removed_in_version=2)  # deleted in a revision
    edit[f"T{a.pk}", bx.KEY] = "T999999"
    edit[f"T{dept.pk}", bx.KEY] = "任务11"  # typed over
    reading = read_breakdown(edit.save(), world.plan)
    codes = {p.row: (p.column_letter, p.message[1:5]) for p in reading.problems}
    assert codes == {rows[f"T{a.pk}"]: ("J", "E618"), rows[f"T{b.pk}"]: ("J", "E619"),
                     rows[f"T{dept.pk}"]: ("J", "E617")}


def test_duplicate_keys_are_reported_on_every_copy(world, edit):
    a = world.task_a
    original, row = edit.rows[f"T{a.pk}"], edit.ws.max_row + 1
    for column in range(1, bx.KEY + 1):
        edit.ws.cell(row, column).value = edit.ws.cell(original, column).value  # a person copied the row
    reading = read_breakdown(edit.save(), world.plan)
    assert [(p.row, p.column_letter, p.message[1:5]) for p in reading.problems] == \
        [(original, "J", "E621"), (row, "J", "E621")]
    assert f"{original}、{row}" in reading.problems[0].message


def test_an_emptied_task_title_is_a_problem_not_a_deletion(world, edit):
    edit[f"T{world.task_a.pk}", bx.TITLE] = None
    reading = read_breakdown(edit.save(), world.plan)
    assert [(p.column_name, p.message[1:5]) for p in reading.problems] == [("重点任务", "E622")]


@pytest.mark.parametrize(("column", "value", "code"), [
    (bx.LEAD, "基础教育科、德育科", "E608"),  # two lead units
    (bx.LEAD, None, "E624"),  # unassigning through the table
    (bx.OWNER, "nobody", "E609"),
    (bx.OWNER, "school_a", "E612"),  # not in the lead or partner units
    (bx.OWNER, "jijiao、tiwei", "E611"),
    (bx.PARTNERS, "体卫艺科、外星科", "E605"),
    (bx.DEADLINE, "2026-03-01", "E614"),  # after the plan's year
    (bx.DEADLINE, "2024-12-31", "E614"),
])
def test_one_bad_cell_one_problem(world, edit, column, value, code):
    edit[f"T{world.task_dept.pk}", column] = value
    reading = read_breakdown(edit.save(), world.plan)
    assert [(p.row, p.column_letter, p.message[1:5]) for p in reading.problems] == \
        [(edit.rows[f"T{world.task_dept.pk}"], "EFGH"[column - bx.LEAD], code)]


def test_an_unassigned_row_with_a_deadline_but_no_lead_unit(world, edit):
    unassigned = world.plan.tasks.filter(assignments__isnull=True).first()
    edit[f"T{unassigned.pk}", bx.DEADLINE] = "2025-10-31"
    reading = read_breakdown(edit.save(), world.plan)
    assert [(p.column_name, p.message[1:5]) for p in reading.problems] == [("牵头单位", "E623")]


def test_an_inactive_unit_is_refused_as_a_new_choice_but_kept_where_it_is(world, edit):
    OrgUnit.objects.filter(name="体卫艺科").update(active=False)
    edit[f"T{world.task_a.pk}", bx.PARTNERS] = "体卫艺科"
    reading = read_breakdown(edit.save(), world.plan)
    # task_dept keeps 体卫艺科 as its partner unchanged: no problem there.
    assert [(p.row, p.message[1:5]) for p in reading.problems] == [(edit.rows[f"T{world.task_a.pk}"], "E607")]


def test_a_deadline_before_a_milestone_is_refused(world, edit):
    assignment = world.assignment(world.task_dept)
    Milestone.objects.create(assignment=assignment, title="完成选址", due=date(2025, 11, 15))
    edit[f"T{world.task_dept.pk}", bx.DEADLINE] = "2025-10-31"
    reading = read_breakdown(edit.save(), world.plan)
    assert [p.message[1:5] for p in reading.problems] == ["E616"]


def test_hand_rows_that_cannot_be_placed(world, edit):
    edit.ws.cell(edit.ws.max_row + 1, bx.LEAD).value = "办公室"  # a unit but no task
    row = edit.ws.max_row + 1
    edit.ws.cell(row, bx.SEQ).value = "九、新增的部分"  # a band for a section the plan lacks
    edit.ws.cell(row + 1, bx.TITLE).value = "新任务"
    edit.ws.cell(row + 2, bx.TITLE).value = world.task_b.title  # a key deleted by mistake
    reading = read_breakdown(edit.save(), world.plan)
    assert [(p.row, p.column_name, p.message[1:5]) for p in reading.problems] == [
        (row - 1, "重点任务", "E627"), (row, "序号", "E625"), (row + 2, "重点任务", "E628")]


def test_a_note_on_a_band_row_keeps_it_a_band(world, edit):
    section = world.task_dept.section
    band = next(r for r in range(3, edit.ws.max_row + 1)
                if edit.ws.cell(r, 1).value == f"{section.label}、{section.title}")
    for cell_range in list(edit.ws.merged_cells.ranges):
        if cell_range.min_row == band:
            edit.ws.unmerge_cells(str(cell_range))
    edit.ws.cell(band, bx.NOTE).value = "本部分由分管领导牵头"
    insert_row(edit.ws, band + 1)
    edit.ws.cell(band + 1, bx.TITLE).value = "新任务放在本部分开头"
    [change] = read_breakdown(edit.save(), world.plan).changes
    assert change.section == section


def test_a_new_row_above_every_section_band(world, edit):
    insert_row(edit.ws, 3)
    edit.ws.cell(3, bx.TITLE).value = "放在最前面的新任务"
    reading = read_breakdown(edit.save(), world.plan)
    assert [(p.row, p.message[1:5]) for p in reading.problems] == [(3, "E626")]


# ---------------------------------------------------------------- what Excel and WPS hand over

@pytest.mark.parametrize(("value", "number_format", "expected"), [
    (datetime(2025, 10, 31), "yyyy-mm-dd", date(2025, 10, 31)),
    (datetime(2025, 10, 31, 17, 30), "yyyy-mm-dd hh:mm", date(2025, 10, 31)),
    (date(2025, 10, 31), "yyyy/m/d", date(2025, 10, 31)),
    (to_excel(datetime(2025, 10, 31)), "General", date(2025, 10, 31)),  # a serial number
    ("45961", "@", date(2025, 10, 31)),  # the serial as text
    ("2025-10-31", "@", date(2025, 10, 31)),
    ("2025/10/31", "@", date(2025, 10, 31)),
    ("2025.10.31", "@", date(2025, 10, 31)),
    ("2025年10月31日", "@", date(2025, 10, 31)),
    (" 2025 年 10 月 31 日 ", "@", date(2025, 10, 31)),
    ("２０２５－１０－３１", "@", date(2025, 10, 31)),  # full-width, as Chinese IMEs type it
    ("20251031", "@", date(2025, 10, 31)),
    ("2025-10-31 00:00:00", "@", date(2025, 10, 31)),
    ("2025年10月底", "@", date(2025, 10, 31)),
    ("2025年9月", "@", date(2025, 9, 30)),
    ("10月底前", "@", date(2025, 10, 31)),  # the plan covers one year
    ("2025年底", "@", date(2025, 12, 31)),
    (None, "General", END_OF_PLAN),  # empty: the end of the plan period
])
def test_deadlines_in_the_forms_people_type(world, edit, value, number_format, expected):
    key = f"T{world.task_dept.pk}"
    edit[key, bx.DEADLINE] = value
    edit.ws.cell(edit.rows[key], bx.DEADLINE).number_format = number_format
    reading = read_breakdown(edit.save(), world.plan)
    assert reading.problems == []
    if expected == END_OF_PLAN:
        assert reading.changes == []  # it already ends on 31 December
    else:
        [change] = reading.changes
        assert change.deadline == expected


@pytest.mark.parametrize("value", ["下个月", "2025-02-30", "31/10/2025", "明年", "13月底", "0", True])
def test_text_that_is_not_a_date(value):
    with pytest.raises(ValueError):
        parse_date(value, plan_years=(2025, 2025))


def test_a_1904_workbook_serial_is_read_in_its_own_epoch(world, edit):
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    edit.workbook.epoch = CALENDAR_MAC_1904
    key = f"T{world.task_dept.pk}"
    edit[key, bx.DEADLINE] = to_excel(datetime(2025, 10, 31), CALENDAR_MAC_1904)
    edit.ws.cell(edit.rows[key], bx.DEADLINE).number_format = "General"
    [change] = read_breakdown(edit.save(), world.plan).changes
    assert change.deadline == date(2025, 10, 31)


@pytest.mark.parametrize("text", ["德育科，体卫艺科", "德育科,体卫艺科", "德育科；体卫艺科", "德育科\n体卫艺科",
                                  "德育科 体卫艺科", "德育科、、体卫艺科、", "德育科;体卫艺科"])
def test_partner_lists_in_every_separator(world, edit, text):
    edit[f"T{world.task_a.pk}", bx.PARTNERS] = text
    [change] = read_breakdown(edit.save(), world.plan).changes
    assert sorted(u.name for u in change.partner_units) == ["体卫艺科", "德育科"]


@pytest.mark.parametrize("text", ["jijiao_tb", "JIJIAO_TB", " jijiao_tb ", "填报员（jijiao_tb）", "张三(jijiao_tb)"])
def test_owners_by_username_or_label(world, edit, text):
    edit[f"T{world.task_dept.pk}", bx.OWNER] = text
    [change] = read_breakdown(edit.save(), world.plan).changes
    assert change.owner == world.users["jijiao_tb"]


def test_owners_by_display_name(world, edit):
    user = world.users["jijiao_tb"]
    user.first_name = "王芳"
    user.save()
    edit[f"T{world.task_dept.pk}", bx.OWNER] = "王 芳"
    [change] = read_breakdown(edit.save(), world.plan).changes
    assert change.owner == user


def test_moved_and_renamed_columns_and_rows_above_the_header(world, edit):
    ws = edit.ws
    ws.cell(2, bx.LEAD).value = "牵头责任单位"  # a synonym
    ws.cell(2, bx.DEADLINE).value = "时限要求"
    ws.insert_cols(1)  # a column people added in front
    ws.insert_rows(1)  # and a line above everything
    ws.cell(1, 1).value = "附件1"
    ws.cell(3, 1).value = "自编号"
    for row in range(4, ws.max_row + 1):
        if ws.cell(row, bx.KEY + 1).value == f"T{world.task_a.pk}":
            ws.cell(row, bx.LEAD + 1).value = "青禾区滨江小学"
            edited = row
    reading = read_breakdown(edit.save(), world.plan)
    assert reading.problems == []
    [change] = reading.changes
    assert change.lead_unit.name == "青禾区滨江小学" and change.row == edited


def test_a_missing_deadline_column_keeps_the_deadlines(world, edit):
    Assignment.objects.filter(pk=world.assignment(world.task_a).pk).update(deadline=date(2025, 9, 1))
    edit.ws.delete_cols(bx.DEADLINE)
    reading = read_breakdown(edit.save(), world.plan)
    assert reading.problems == [] and reading.changes == []


# ---------------------------------------------------------------- not a breakdown table

def test_a_sheet_without_the_key_column_is_one_problem(world, tmp_path):
    wb = Workbook()
    wb.active.append(["序号", "重点任务", "牵头单位", "完成时限"])
    wb.active.append(["1", "某项任务", "办公室", "2025-10-31"])
    wb.save(tmp_path / "plain.xlsx")
    reading = read_breakdown(tmp_path / "plain.xlsx", world.plan)
    assert [(p.row, p.column_letter, p.message[1:5]) for p in reading.problems] == [(1, "", "E604")]
    assert reading.changes == []


@pytest.mark.parametrize(("content", "code"), [
    (b"not an excel file at all", "E602"),
    (None, "E603"),  # a workbook with no breakdown table in it
])
def test_files_that_are_not_breakdown_tables(world, tmp_path, content, code):
    path = tmp_path / "file.xlsx"
    if content is None:
        wb = Workbook()
        wb.active.append(["姓名", "电话"])
        wb.save(path)
    else:
        path.write_bytes(content)
    with pytest.raises(EduplanError) as caught:
        read_breakdown(path, world.plan)
    assert caught.value.code == code


def test_a_broken_xlsx_is_one_error(world, exported, tmp_path):
    import zipfile

    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(exported) as source, zipfile.ZipFile(broken, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            out.writestr(item, data[: len(data) // 2] if item.filename.endswith("sheet1.xml") else data)
    with pytest.raises(EduplanError) as caught:
        read_breakdown(broken, world.plan)
    assert caught.value.code == "E601"


# ---------------------------------------------------------------- who may apply

def test_only_someone_who_may_assign_the_whole_plan_can_apply(world, edit):
    edit[f"T{world.task_a.pk}", bx.LEAD] = "青禾区滨江小学"
    reading = read_breakdown(edit.save(), world.plan)
    for persona in ("jijiao", "school_a", "leader"):
        with pytest.raises(PermissionDenied):
            apply_breakdown(reading, user=world.users[persona], today=TODAY)
    assert world.assignment(world.task_a).lead_unit.name == "青禾区实验小学"


def test_a_failure_half_way_rolls_everything_back(world, edit, monkeypatch):
    from eduplan.reports.breakdown import importing

    edit[f"T{world.task_a.pk}", bx.LEAD] = "青禾区滨江小学"
    edit[f"T{world.task_b.pk}", bx.LEAD] = "青禾区实验小学"
    edit.ws.cell(edit.ws.max_row + 1, bx.TITLE).value = "新任务"
    reading = read_breakdown(edit.save(), world.plan)
    calls = []
    real = importing.assign_task

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise EduplanError(importing.Errors.E405, unit="测试")
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "assign_task", failing)
    before, audits, tasks = assignment_state(world.plan), AuditEntry.objects.count(), Task.objects.count()
    with pytest.raises(EduplanError):
        apply_breakdown(reading, user=world.users["admin"], today=TODAY)
    assert assignment_state(world.plan) == before
    assert (AuditEntry.objects.count(), Task.objects.count(), Measure.objects.filter(task__title="新任务").count()) \
        == (audits, tasks, 0)
