"""The 优质均衡 pages through each persona's eyes: a school sees its own row only, the county
bureau all its schools, a city all its counties; another county sees nothing of this one."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from eduplan.audit.models import AuditEntry
from eduplan.balance.models import ChecklistEntry, ProvinceStandard
from eduplan.tracking import clock

from .conftest import FIGURES


def page(client, unit=None, **query):
    params = {"unit": unit.pk} if unit is not None else {}
    return client.get(reverse("balance"), params | query)


def test_a_school_sees_its_own_row_only(signed_in, county):
    response = page(signed_in("school_a"))
    text = response.content.decode()
    assert response.status_code == 200 and response.context["school"].name == "青禾区实验小学"
    assert "青禾区实验小学" in text and "青禾区滨江小学" not in text and "差异系数" not in text.replace("差异系数按", "")
    assert [stage.value for stage, _ in response.context["rows"]] == ["primary"]


@pytest.mark.parametrize("who, target", [("school_a", "bureau"), ("school_a", "青禾区滨江小学"),
                                         ("other", "bureau"), ("leader", "city")])
def test_units_outside_the_scope_are_not_found(signed_in, county, who, target):
    unit = getattr(county, target) if target in ("bureau", "city") else county.unit(target)
    assert page(signed_in(who), unit).status_code == 404


def test_a_school_cannot_download_the_county_pack(signed_in, county):
    client = signed_in("school_a")
    assert client.get(reverse("balance-resources", args=[county.bureau.pk, "2025"])).status_code == 404
    assert client.get(reverse("balance-summary", args=[county.bureau.pk, "2025"])).status_code == 404


def test_the_county_sees_every_school_and_each_cv(signed_in, county):
    response = page(signed_in("leader"))
    assert response.context["county"] == county.bureau and response.context["year"] == "2025"
    result = response.context["result"]
    primary = result.stage(result.stages[0].stage)
    assert sorted(r.school.name for r in primary.schools) == ["青禾区实验小学", "青禾区滨江小学", "青禾区育才学校"]
    junior = result.stages[1]
    assert sorted(r.school.name for r in junior.schools) == ["青禾区第一中学", "青禾区育才学校"]
    # 育才学校 600 + 300 students: two thirds of its 4800 ㎡ to 小学 → 5.33 ㎡ per student
    assert primary.result(county.unit("青禾区育才学校").pk).reading("teaching_area").value == pytest.approx(3200 / 600)
    # 小学 county value: (5000 + 3200 + 3200) ㎡ / 2400 students
    assert primary.variation("teaching_area").county_value == pytest.approx(11400 / 2400)
    text = response.content.decode()
    assert "还差 2 名骨干教师" in text  # 滨江小学: 8 needed for 800 students, 6 reported
    assert "<svg" in text and "优质均衡</a>" in text and "不参评和未填报的学校" in text
    assert "青禾区特殊教育学校：特殊教育学校不参加资源配置评估" in text


def test_the_what_if_shows_the_cv_after_adding_teachers(signed_in, county):
    binjiang = county.unit("青禾区滨江小学")
    response = page(signed_in("county"), wi_school=binjiang.pk, wi_code="backbone_teachers", wi_amount="2")
    (row,) = response.context["what_if"]["rows"]
    assert row["before"].met_count + 1 == row["after"].met_count
    assert row["cv_after"] < row["cv_before"]


@pytest.mark.parametrize("amount", ["两名", "nan", "NaN", "-nan", "inf", "-Infinity", "1e400", "2e12", "²"])
def test_a_what_if_amount_that_is_no_finite_number_is_said(signed_in, county, amount):
    binjiang = county.unit("青禾区滨江小学")
    bad = page(signed_in("county"), wi_school=binjiang.pk, wi_code="backbone_teachers", wi_amount=amount)
    assert bad.status_code == 200 and bad.context["what_if"] is None and "[E825]" in bad.content.decode()


def test_the_city_sees_its_counties(signed_in, county):
    response = page(signed_in("city"))
    assert sorted(row["county"].name for row in response.context["rows"]) == ["澜江市东湖县教育局", "澜江市青禾区教育局"]
    assert page(signed_in("city"), county.bureau).status_code == 200
    assert page(signed_in("city"), county.unit("青禾区实验小学")).status_code == 200


def test_a_province_standard_changes_the_verdict(signed_in, county):
    ProvinceStandard.objects.create(province=county.province, stage="primary", indicator="backbone_teachers", value=2)
    result = page(signed_in("county")).context["result"]
    reading = result.stages[0].result(county.unit("青禾区实验小学").pk).reading("backbone_teachers")
    assert reading.standard == 2 and reading.gap_text == "还差 8 名骨干教师"


def test_the_pack_downloads_as_xlsx_and_docx(signed_in, county):
    client = signed_in("county")
    sheet = client.get(reverse("balance-resources", args=[county.bureau.pk, "2025"]))
    assert sheet["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert "2025%E5%B9%B4" in sheet["Content-Disposition"]  # 2025年, the name percent-encoded
    workbook = load_workbook(io.BytesIO(b"".join(sheet.streaming_content)))
    assert workbook.sheetnames == ["小学", "初中", "不参评学校"]
    names = [row[0].value for row in workbook["小学"].iter_rows(min_row=3, max_row=5)]
    assert names == ["青禾区实验小学", "青禾区滨江小学", "青禾区育才学校（按学生数分摊）"]
    summary = client.get(reverse("balance-summary", args=[county.bureau.pk, "2025"]))
    assert summary["Content-Disposition"].startswith("attachment;")
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(summary.streaming_content))).paragraphs)
    assert "优质均衡发展自评报告" in text and "一、资源配置" in text and "四、社会认可度" in text


def test_the_county_admin_records_a_checklist_item_and_the_survey(signed_in, county):
    client = signed_in("county")
    url = reverse("balance-checklist", args=[county.bureau.pk, "2025"])
    client.post(url, {"item": "G05", "status": "met", "evidence": "2025年秋季学期班额统计表"})
    client.post(url, {"item": "R1", "status": "pending", "surveyed": "1200", "satisfied": "1032"})
    entries = {e.item: e for e in ChecklistEntry.objects.filter(county=county.bureau)}
    assert entries["G05"].status == "met" and entries["R1"].status == "met"  # 86 %: the rate decides
    assert AuditEntry.objects.filter(action="balance.checklist").count() == 2
    response = client.post(url, {"item": "R1", "status": "met", "surveyed": "100", "satisfied": "101"}, follow=True)
    assert "[E828]" in response.content.decode()
    refused = signed_in("leader").post(url, {"item": "G05", "status": "not_met"})
    assert refused.status_code == 403 and ChecklistEntry.objects.get(item="G05").status == "met"


BAD_YEARS = ["二〇二五", "²²²²", "²⁰²⁵", "0000", "1899", "2025S1", "2025-06", "20251", "abcd"]


@pytest.mark.parametrize("year", BAD_YEARS)
@pytest.mark.parametrize("who", ["county", "city", "school_a"])  # the county, area and school pages
def test_a_bad_year_is_said_not_guessed(signed_in, county, who, year):
    response = page(signed_in(who), year=year)
    assert response.status_code == 200 and "[E826]" in response.content.decode()
    # the newest year with figures; the city page (no figures of its own to go by) this year
    assert response.context["year"] == ("2025" if who != "city" else str(clock.today().year))


def test_a_year_in_other_digits_is_read_as_that_year(signed_in, county):
    response = page(signed_in("county"), year="٢٠٢٤")  # Arabic-Indic digits: a year all the same
    assert response.context["year"] == "2024" and "[E826]" not in response.content.decode()


@pytest.mark.parametrize("year", BAD_YEARS)
@pytest.mark.parametrize("name, method", [("balance-resources", "get"), ("balance-summary", "get"),
                                          ("balance-checklist", "post")])
def test_a_bad_year_in_an_address_is_a_400_with_the_reason(signed_in, county, name, method, year):
    client = signed_in("county")
    response = getattr(client, method)(reverse(name, args=[county.bureau.pk, year]), {"item": "G05", "status": "met"})
    assert response.status_code == 400 and "[E826]" in response.content.decode()
    assert not ChecklistEntry.objects.exists()


@pytest.mark.parametrize("field, typed", [("surveyed", "²"), ("surveyed", "-1"), ("surveyed", "1234567890"),
                                          ("satisfied", "²"), ("satisfied", "1e3"), ("satisfied", "½")])
def test_a_count_that_is_no_whole_number_is_said(signed_in, county, field, typed):
    url = reverse("balance-checklist", args=[county.bureau.pk, "2025"])
    counts = {"surveyed": "1200", "satisfied": "1032"} | {field: typed}
    response = signed_in("county").post(url, {"item": "R1", "status": "met", **counts}, follow=True)
    label = {"surveyed": "调查人数", "satisfied": "满意人数"}[field]
    assert response.status_code == 200 and "[E701]" in response.content.decode()
    assert label in response.content.decode() and not ChecklistEntry.objects.exists()


def test_a_count_in_full_width_digits_is_read(signed_in, county):
    url = reverse("balance-checklist", args=[county.bureau.pk, "2025"])
    signed_in("county").post(url, {"item": "R1", "status": "met", "surveyed": "１２００", "satisfied": "1032"})
    assert ChecklistEntry.objects.get(item="R1").surveyed == 1200


def test_the_figures_load_in_a_fixed_number_of_queries(county, django_assert_max_num_queries):
    # counties, standards, element ids, figures, schools, 教学点 marks: whatever the number of schools
    from eduplan.balance import service

    with django_assert_max_num_queries(6):
        data = service.load(county.city)
    assert sorted(data[county.bureau.pk].years) == ["2024", "2025"]
    assert len(data[county.bureau.pk].years["2025"]) == len(FIGURES)


def test_a_school_with_figures_under_two_paths_of_its_county_is_one_school_with_all_of_them(county):
    # One school and year with some figures filed under one unit path and some under another of
    # the same county (a move within the county between two filings): one row, nothing lost.
    from eduplan.balance import service
    from eduplan.indicators.models import DataValue
    from eduplan.orgs.services import add_unit

    school = county.unit("青禾区实验小学")
    group = add_unit("青禾区城西学区", parent=county.bureau, kind="group")
    DataValue.objects.filter(unit=school, period="2025", element__code__in=["students_primary", "backbone_teachers"]) \
        .update(unit_path=f"{group.path}{school.pk}/")
    assert DataValue.objects.filter(unit=school, period="2025").values("unit_path").distinct().count() == 2
    for unit in (county.bureau, county.city):
        (row,) = [s for s in service.load(unit, ["2025"])[county.bureau.pk].years["2025"] if s.id == school.pk]
        assert (row.primary_students, row.resources.backbone_teachers, row.resources.teaching_area) == (1000, 12, 5000)


def test_the_demo_figures_show_a_path_to_the_standard(db):
    from eduplan.balance import service
    from eduplan.balance.demo import add_demo_figures
    from eduplan.demo_data import build_org_tree
    from eduplan.orgs.services import create_user

    bureau = build_org_tree()
    admin = create_user("office", "x-Balance-2025", role="admin", unit=bureau)
    assert add_demo_figures(bureau, admin) == 3 * 4  # three years, four schools of compulsory education
    results = service.county_data(bureau).results()
    assert sorted(results) == ["2023", "2024", "2025"]
    first, last = results["2023"].stage(results["2023"].stages[0].stage), results["2025"].stages[0]
    assert not first.passes and last.schools_pass
    assert last.variation("backbone_teachers").cv < first.variation("backbone_teachers").cv


def test_a_small_teaching_point_is_listed_with_its_reason(signed_in, county):
    from eduplan.indicators.collecting import submit
    from eduplan.indicators.models import DataSet
    from eduplan.orgs.services import add_unit

    point = add_unit("青禾区石桥教学点", parent=county.bureau, kind="school", school_level="primary",
                     ownership="public")
    submit(DataSet.objects.get(code="balance_year"), point, "2025",
           {"students_primary": "31", "students_junior": "0", "teachers_above_qualification": "2",
            "backbone_teachers": "0", "pe_arts_teachers": "0", "teaching_area": "120", "sports_area": "200",
            "equipment_value": "40000", "multimedia_rooms": "1"}, user=county.users["county"])
    text = page(signed_in("county")).content.decode()
    assert "青禾区石桥教学点：在校生不足50人的教学点不参加评估" in text


def test_a_department_has_no_assessment_page(county, client):
    from eduplan.orgs.models import Membership
    from eduplan.orgs.services import create_user

    user = create_user("jijiao", "x-Balance-2025", role=Membership.Role.MANAGER, unit=county.unit("基础教育科"))
    client.force_login(user)
    response = page(client)
    assert response.status_code == 403 and "[E830]" in response.content.decode()
