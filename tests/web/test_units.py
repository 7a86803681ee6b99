"""A page per unit, seen through each persona's eyes; the dashboard's unit table and the
links to unit pages; the trend page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from eduplan.orgs.services import create_user
from eduplan.tracking.assigning import assign_task
from eduplan.tracking.progress import submit_report
from eduplan.tracking.setup import setup_bureau
from tests.world import PASSWORD


def unit_url(world, name: str) -> str:
    return reverse("unit-detail", args=[world.unit(name).pk])


# fmt: off
SEES = [
    # persona, unit, status
    ("admin",    "基础教育科", 200), ("admin", "青禾第一教育集团", 200), ("admin", "青禾区滨江小学", 200),
    ("leader",   "体卫艺科", 200), ("leader", "青禾区实验小学", 200),
    ("jijiao",   "基础教育科", 200), ("jijiao", "体卫艺科", 404), ("jijiao", "青禾区实验小学", 404),
    ("tiwei",    "体卫艺科", 200), ("tiwei", "基础教育科", 404),  # a partner sees the task, not the lead's page
    ("school_a", "青禾区实验小学", 200), ("school_a", "青禾区滨江小学", 404),
    ("school_a", "青禾第一教育集团", 404),  # its own group stands above it
    ("school_a", "基础教育科", 404),
    ("admin",    "澜江市青禾区教育局", 404),  # the bureau has the dashboard, not a unit page
]
# fmt: on


@pytest.mark.parametrize(("persona", "unit", "status"), SEES, ids=[f"{p}-{u}" for p, u, _ in SEES])
def test_who_opens_which_unit_page(world, as_user, persona, unit, status):
    assert as_user(persona).get(unit_url(world, unit)).status_code == status


def test_another_bureaus_admin_gets_nothing(world, client):
    other = setup_bureau("澜江市禾丰区教育局")
    client.force_login(create_user("other_admin", PASSWORD, role="admin", unit=other))
    assert client.get(unit_url(world, "基础教育科")).status_code == 404
    assert client.get(reverse("unit-detail", args=[999999])).status_code == 404


def test_a_department_page_lists_what_it_leads_and_partners_in(world, as_user):
    lead = as_user("admin").get(unit_url(world, "基础教育科")).content.decode()
    assert world.task_dept.title in lead and "<td class=\"nowrap\">牵头</td>" in lead
    partner = as_user("tiwei").get(unit_url(world, "体卫艺科")).content.decode()
    assert world.task_dept.title in partner and "<td class=\"nowrap\">配合</td>" in partner
    assert world.task_a.title not in partner


def test_a_page_shows_lateness_and_the_latest_report(world, as_user):
    assignment = world.assignment(world.task_a)
    submit_report(assignment, user=world.users["school_a"], period="2025-05", percent=20, state="in_progress",
                  narrative="体育课程开齐开足，正在排课。")
    page = as_user("school_a").get(unit_url(world, "青禾区实验小学")).content.decode()
    assert "落后序时进度 29 个百分点" in page  # 49% elapsed by 30 June, 20% reported
    assert "体育课程开齐开足，正在排课。" in page and "2025年5月" in page
    assign_task(world.task_a, user=world.users["admin"], lead_unit=world.unit("青禾区实验小学"),
                start_date=assignment.start_date, deadline=assignment.start_date.replace(month=6, day=20))
    page = as_user("school_a").get(unit_url(world, "青禾区实验小学")).content.decode()
    assert "逾期 10 天" in page


def test_a_group_page_lists_its_schools_with_their_figures(world, as_user):
    page = as_user("leader").get(unit_url(world, "青禾第一教育集团")).content.decode()
    assert "所属学校" in page
    link = f'<a href="{unit_url(world, "青禾区实验小学")}">青禾区实验小学</a>'
    row = re.search(r"<tr>\s*<td>" + re.escape(link) + r".*?</tr>", page, re.S)
    assert row is not None
    numbers = re.findall(r'<td class="num">(\d+)</td>', row.group(0))
    assert numbers[:2] == ["1", "0"]  # one task, none done
    assert "青禾区滨江小学" not in page  # the other group's school


def test_the_dashboard_lists_departments_then_groups_and_schools_in_tree_order(world, as_user):
    page = as_user("admin").get(reverse("dashboard")).content.decode()
    table = page[page.index("各牵头单位完成情况"):page.index("预警任务")]
    order = [table.index(text) for text in ("科室/直属单位", "基础教育科", "集团/学区与学校", "青禾区实验小学",
                                            "青禾区滨江小学")]
    assert order == sorted(order)
    assert f'href="{unit_url(world, "基础教育科")}"' in table
    assert "indent-1" in table  # a school under its group


def test_task_pages_link_the_units_the_reader_may_open(world, as_user):
    url = reverse("task-detail", args=[world.task_dept.pk])
    admin = as_user("admin").get(url).content.decode()
    assert f'href="{unit_url(world, "基础教育科")}"' in admin and f'href="{unit_url(world, "体卫艺科")}"' in admin
    partner = as_user("tiwei").get(url).content.decode()
    assert f'href="{unit_url(world, "体卫艺科")}"' in partner
    assert f'href="{unit_url(world, "基础教育科")}"' not in partner  # it would answer 404


def test_the_trend_page_draws_a_chart_beside_its_table(world, as_user):
    client = as_user("admin")
    page = client.get(reverse("trends")).content.decode()
    assert page.count("<svg") == 1 and "data-status=" in page and 'data-series="red"' in page
    assert "<caption class=\"sr-only\">各月末任务状态与红灯数</caption>" in page
    assert "2025年6月" in page
    data = client.get(reverse("trends") + "?format=json").json()
    assert [m["period"] for m in data["months"]][-1] == "2025-06"
    assert data["months"][-1]["total"] == 28


@pytest.mark.parametrize(("persona", "total"), [("admin", 28), ("leader", 28), ("school_a", 1), ("tiwei", 1)])
def test_the_trend_page_is_scoped(world, as_user, persona, total):
    data = as_user(persona).get(reverse("trends") + "?format=json").json()
    assert data["months"][-1]["total"] == total


def test_the_trend_page_charts_one_unit(world, as_user):
    unit = world.unit("基础教育科")
    page = as_user("admin").get(reverse("trends") + f"?unit={unit.pk}").content.decode()
    assert "基础教育科 · 各月任务状态" in page


@pytest.mark.parametrize("page", ["dashboard", "trends"])
def test_unit_tables_link_only_the_pages_the_reader_may_open(world, as_user, page):
    html = as_user("tiwei").get(reverse(page)).content.decode()
    assert "基础教育科" in html  # it leads the task 体卫艺科 partners in …
    assert f'href="{unit_url(world, "基础教育科")}"' not in html  # … but its page is not 体卫艺科's to open


def test_a_partner_row_names_the_lead_without_a_dead_link(world, as_user):
    html = as_user("tiwei").get(unit_url(world, "体卫艺科")).content.decode()
    assert "牵头：基础教育科" in html


# (page, how the school's group shows above it)
GROUP_HEADINGS = [
    ("dashboard", '<td colspan="5" class="group-name">青禾第一教育集团</td>'),
    ("trends", "青禾第一教育集团"),
]


@pytest.mark.parametrize(("page", "heading"), GROUP_HEADINGS, ids=[page for page, _ in GROUP_HEADINGS])
def test_a_school_sees_its_group_as_a_heading_without_a_link(world, as_user, page, heading):
    html = as_user("school_a").get(reverse(page)).content.decode()
    assert heading in html
    assert f'href="{unit_url(world, "青禾第一教育集团")}"' not in html
    assert f'href="{unit_url(world, "青禾区实验小学")}"' in html
