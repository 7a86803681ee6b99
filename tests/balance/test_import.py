"""One year's figures from the bureau's own statistics sheet: matched by school name or code,
checked cell by cell, saved all or nothing through the data forms (with their audit)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from eduplan.audit.models import AuditEntry
from eduplan.balance.importing import SheetRefused, read_sheet
from eduplan.errors import EduplanError
from eduplan.indicators.models import DataValue, Submission

HEADER = ["序号", "学校名称", "小学在校生数（人）", "初中在校生数（人）", "高于规定学历教师数（人）",
          "县级以上骨干教师数（人）", "体育、艺术（美术、音乐）专任教师数（人）", "教学及辅助用房面积（㎡）",
          "体育运动场馆面积（㎡）", "教学仪器设备值（万元）", "网络多媒体教室数（间）"]
ROWS = [
    [1, "青禾区实验小学", 1000, 0, 50, 12, 10, 5000, 8000, 220, 25],
    [2, "青禾区滨江小学", 800, 0, 30, 6, 6, 3200, 5000, 150.5, 16],
    [None, "合计", 1800, 0, 80, 18, 16, 8200, 13000, 370.5, 41],
]


def sheet(rows=ROWS, header=HEADER) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.append(["2023年义务教育学校办学条件统计表"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def stored(county, name, year="2023"):
    return dict(DataValue.objects.filter(unit=county.unit(name), period=year).values_list("element__code", "value"))


def test_a_clean_sheet_submits_each_school_and_skips_the_total(county):
    done = read_sheet(sheet(), county.bureau, "2023", county.users["county"])
    assert (done.submitted, done.unchanged) == (2, 0)
    figures = stored(county, "青禾区滨江小学")
    assert figures["equipment_value"] == 1_505_000 and figures["backbone_teachers"] == 6  # 万元 read as 元
    assert Submission.objects.get(unit=county.unit("青禾区滨江小学"), period="2023").state == "submitted"
    assert set(DataValue.objects.filter(period="2023").values_list("source", flat=True)) == {"xlsx"}
    audited = [e.changes for e in AuditEntry.objects.filter(action="value.store")]
    assert any(c.get("period", [None, None])[1] == "2023" and c["source"][1] == "xlsx" for c in audited)


def test_every_problem_is_listed_at_its_cell_and_nothing_is_saved(county):
    rows = [[1, "青禾区实验小学", 1000, 0, 50, "十二", 10, 5000, 8000, 220, 25],
            [2, "青禾区不存在小学", 800, 0, 30, 6, 6, 3200, 5000, 150, 16],
            [3, "青禾区实验小学", 1000, 0, 50, 12, 10, 5000, 8000, 220, 25],
            [4, "青禾区滨江小学", 800, 0, 30, 6, 6, None, 5000, 150, 16]]
    with pytest.raises(SheetRefused) as refused:
        read_sheet(sheet(rows), county.bureau, "2023", county.users["county"])
    cells = [(p.cell, p.message[:6]) for p in refused.value.problems]
    assert cells == [("F3", "[E701]"), ("B4", "[E822]"), ("B5", "[E823]"), ("H6", "[E705]")]
    assert not DataValue.objects.filter(period="2023").exists()


def test_a_sheet_without_a_figure_column_is_refused_whole(county):
    with pytest.raises(EduplanError, match=r"\[E821\].*网络多媒体教室数"):
        read_sheet(sheet([r[:-1] for r in ROWS], HEADER[:-1]), county.bureau, "2023", county.users["county"])
    with pytest.raises(EduplanError, match=r"\[E820\]"):
        read_sheet(sheet(ROWS, ["名称", *HEADER[2:]]), county.bureau, "2023", county.users["county"])


def test_a_submitted_form_is_left_alone_when_unchanged_and_refused_when_changed(county):
    from .conftest import FIGURES

    same = [[1, "青禾区实验小学", *FIGURES["青禾区实验小学"][:7], FIGURES["青禾区实验小学"][7] / 10000,
             FIGURES["青禾区实验小学"][8]]]
    assert read_sheet(sheet(same), county.bureau, "2025", county.users["county"]).unchanged == 1
    changed = [[*same[0][:5], 13, *same[0][6:]]]
    with pytest.raises(SheetRefused) as refused:
        read_sheet(sheet(changed), county.bureau, "2025", county.users["county"])
    assert [(p.cell, p.message[:6]) for p in refused.value.problems] == [("F3", "[E708]")]


def test_a_school_of_another_county_is_unknown_here(county):
    rows = [[1, "东湖县中心小学", 500, 0, 25, 5, 5, 2500, 4000, 100, 12]]
    with pytest.raises(SheetRefused) as refused:
        read_sheet(sheet(rows), county.bureau, "2023", county.users["county"])
    assert refused.value.problems[0].message.startswith("[E822]")


def test_the_county_admin_uploads_on_the_page_and_sees_the_problems(signed_in, county):
    url = reverse("balance-upload", args=[county.bureau.pk])
    client = signed_in("county")
    bad = [[1, "青禾区实验小学", 1000, 0, 50, -1, 10, 5000, 8000, 220, 25]]
    response = client.post(url, {"year": "2023", "file": _upload(sheet(bad))})
    assert response.status_code == 400 and "F3" in response.content.decode()
    response = client.post(url, {"year": "2023", "file": _upload(sheet())}, follow=True)
    assert "已导入 2 所学校的 2023 年数据" in response.content.decode()
    assert stored(county, "青禾区实验小学")["students_primary"] == 1000


@pytest.mark.parametrize("year, error, shown", [
    ("²²²²", "E704", "2025"), ("二〇二三", "E704", "2025"), ("1899", "E704", "2025"), ("", "E704", "2025"),
    ("2023S1", "E711", "2025"),  # back on the newest year with figures
    ("2999", "E715", "2999"),  # a year, not yet begun: back on its (empty) page
])
def test_an_upload_for_a_year_that_is_none_is_refused_whole(signed_in, county, year, error, shown):
    url = reverse("balance-upload", args=[county.bureau.pk])
    response = signed_in("county").post(url, {"year": year, "file": _upload(sheet())}, follow=True)
    assert response.status_code == 200 and f"[{error}]" in response.content.decode()
    assert response.context["year"] == shown
    assert not DataValue.objects.filter(period__in=["2023", "2999"]).exists()


def test_only_the_county_admin_may_upload(signed_in, county):
    url = reverse("balance-upload", args=[county.bureau.pk])
    assert signed_in("leader").post(url, {"year": "2023", "file": _upload(sheet())}).status_code == 403
    assert signed_in("school_a").post(url, {"year": "2023", "file": _upload(sheet())}).status_code == 404
    assert not DataValue.objects.filter(period="2023").exists()


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("统计表.xlsx", content)


def test_schools_are_matched_by_their_code_before_their_name(county):
    school = county.unit("青禾区滨江小学")
    school.code = "3301020001"
    school.save()
    header = ["学校标识码", "学校名称（简称）", *HEADER[2:]]
    rows = [["3301020001", "滨江小学", 800, 0, 30, 6, 6, 3200, 5000, 150, 16]]
    assert read_sheet(sheet(rows, header), county.bureau, "2023", county.users["county"]).submitted == 1
    assert stored(county, "青禾区滨江小学")["students_primary"] == 800


CODED = ["学校标识码", "学校名称", *HEADER[2:]]
FIGURES_ROW = [800, 0, 30, 6, 6, 3200, 5000, 150, 16]


@pytest.fixture
def two_binjiang(county):
    """A second 青禾区滨江小学 in a 学区 of the same county: the name no longer tells them apart."""
    from eduplan.orgs.services import add_unit

    first = county.unit("青禾区滨江小学")
    group = add_unit("青禾区城东学区", parent=county.bureau, kind="group")
    second = add_unit("青禾区滨江小学", parent=group, kind="school", school_level="primary", ownership="public")
    first.code, second.code = "3301020001", "3301020009"
    first.save()
    second.save()
    return first, second


@pytest.mark.parametrize("code, name, expected", [
    ("", "青禾区滨江小学", ("B3", "[E831]")),  # two schools of that name: the code is asked for
    ("3301029999", "青禾区滨江小学", ("A3", "[E832]")),  # a code no school has
    ("3301029999", "青禾区实验小学", ("A3", "[E832]")),  # ... even when the name beside it is one school's
    ("", "青禾区不存在小学", ("B3", "[E822]")),
])
def test_a_school_the_row_does_not_single_out_is_a_problem_at_its_cell(county, two_binjiang, code, name, expected):
    with pytest.raises(SheetRefused) as refused:
        read_sheet(sheet([[code, name, *FIGURES_ROW]], CODED), county.bureau, "2023", county.users["county"])
    assert [(p.cell, p.message[:6]) for p in refused.value.problems] == [expected]
    assert name[:8] in refused.value.problems[0].message or code in refused.value.problems[0].message
    assert not DataValue.objects.filter(period="2023").exists()


def test_a_code_two_schools_share_is_a_problem(county, two_binjiang):
    first, second = two_binjiang
    second.code = first.code
    second.save()
    with pytest.raises(SheetRefused) as refused:
        read_sheet(sheet([[first.code, "青禾区滨江小学", *FIGURES_ROW]], CODED), county.bureau, "2023",
                   county.users["county"])
    assert [(p.cell, p.message[:6]) for p in refused.value.problems] == [("A3", "[E833]")]
    assert "2 所学校" in refused.value.problems[0].message


def test_the_code_tells_two_schools_of_one_name_apart(county, two_binjiang):
    first, second = two_binjiang
    rows = [[second.code, "青禾区滨江小学", *FIGURES_ROW], [first.code, "青禾区滨江小学", 700, *FIGURES_ROW[1:]]]
    assert read_sheet(sheet(rows, CODED), county.bureau, "2023", county.users["county"]).submitted == 2
    students = dict(DataValue.objects.filter(period="2023", element__code="students_primary")
                    .values_list("unit_id", "value"))
    assert students == {second.pk: 800, first.pk: 700}


def test_the_refusal_names_the_sheet_not_a_template(county):
    with pytest.raises(SheetRefused) as refused:
        read_sheet(sheet([[1, "青禾区不存在小学", *FIGURES_ROW]]), county.bureau, "2023", county.users["county"])
    assert str(refused.value).startswith("[E824] 表中有 1 处问题") and "B3：[E822]" in str(refused.value)
