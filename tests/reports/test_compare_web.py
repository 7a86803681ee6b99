"""The plan comparison page: the bundled example plan imported into two districts under a
city, compared through the eyes of the city, the districts and a school."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from eduplan.compare.themes import Taxonomy
from eduplan.demo_data import EXAMPLE_PLAN
from eduplan.orgs.models import Membership, OrgUnit
from eduplan.orgs.services import create_user
from eduplan.reports.compare.stored import compared_plan, taxonomy_for
from eduplan.reports.models import Theme
from eduplan.tracking.importing import import_parsed, read_upload
from eduplan.tracking.models import Plan, Target
from eduplan.tracking.setup import setup_bureau
from tests.world import PASSWORD

PHYSICAL = "7.加强学校体育工作"


@pytest.fixture
def districts(world):
    """The world's district and 溪南区 under one city, each with the example plan."""
    city = OrgUnit.objects.create(name="澜江市教育局", kind=OrgUnit.Kind.CITY)
    world.bureau.parent = city
    world.bureau.save()
    other = setup_bureau("澜江市溪南区教育局")
    other.parent = city
    other.save()
    other_admin = create_user("xinan_admin", PASSWORD, role=Membership.Role.ADMIN, unit=other)
    upload = SimpleUploadedFile(EXAMPLE_PLAN.name, EXAMPLE_PLAN.read_bytes())
    other_plan = import_parsed(read_upload(EXAMPLE_PLAN), bureau=other, user=other_admin,
                               source_file=upload).plans[0]
    world.users["city_leader"] = create_user("city_leader", PASSWORD, role=Membership.Role.VIEWER, unit=city)
    world.users["xinan_admin"] = other_admin
    return {"city": city, "other": other, "other_plan": other_plan}


def url(*plans: Plan, reference: Plan | None = None) -> str:
    query = "&".join(f"plan={plan.pk}" for plan in plans)
    if reference is not None:
        query += f"&reference={reference.pk}"
    return f"{reverse('plan-compare')}?{query}"


def html(response) -> str:
    return response.content.decode()


def svg_of(response) -> str:
    return re.search(r"<svg.*?</svg>", html(response), re.S).group(0)


def test_the_form_lists_the_plans_the_user_may_see(world, districts, as_user):
    page = html(as_user("city_leader").get(reverse("plan-compare")))
    assert page.count('name="plan"') == 2 and "澜江市溪南区教育局" in page
    assert 'aria-current="page">对比</a>' in page
    assert html(as_user("admin").get(reverse("plan-compare"))).count('name="plan"') == 1


def test_a_city_viewer_compares_both_districts_task_by_task(world, districts, as_user):
    response = as_user("city_leader").get(url(world.plan, districts["other_plan"]))
    assert response.status_code == 200
    page = response.context["page"]
    assert [c.name for c in page.columns] == [f"{world.plan.title}（澜江市青禾区教育局）",
                                               f"{world.plan.title}（澜江市溪南区教育局）"]
    assert len(page.aligned) == world.plan.tasks.count()
    for row in page.aligned:
        (partner,) = row.partners
        assert partner.task.number == row.task.number and partner.task.title == row.task.title
        assert partner.score == pytest.approx(1.0, abs=1e-3) and partner.shared
    (lacks,) = page.lacks
    assert lacks.themes == [] and lacks.missing == [] and lacks.own == []
    assert page.metrics and all(line.cells[0] == line.cells[1] for line in page.metrics)
    assert f'href="{reverse("task-detail", args=[world.task_a.pk])}"' in html(response)


def test_the_matrix_shows_each_theme_with_the_counts_of_both_plans(world, districts, as_user):
    response = as_user("city_leader").get(url(world.plan, districts["other_plan"]))
    coverage = dict(response.context["page"].coverage)
    assert coverage["体育"] == [(1, False), (1, False)]
    assert {"党建", "学前", "教师队伍", "安全稳定"} <= set(coverage)
    assert sum(count for count, _ in (cells[0] for cells in coverage.values())) == world.plan.tasks.count()
    page = html(response)
    assert "<th scope=\"row\">体育</th>" in page and "<th scope=\"row\">学前</th>" in page


# fmt: off
# (who, which plans, status)
WHO_COMPARES = [
    ("city_leader", ("world", "other"), 200),   # 市教育局：两个区的计划都能看到
    ("admin",       ("world", "other"), 404),   # 青禾区看不到溪南区的计划
    ("xinan_admin", ("world", "other"), 404),   # 溪南区看不到青禾区的计划
    ("school_a",    ("world", "other"), 404),   # 学校只看到本区分派给它任务的计划
    ("school_a",    ("other", "world"), 404),   # 作为参照也不行
]
# fmt: on


@pytest.mark.parametrize(("who", "which", "status"), WHO_COMPARES)
def test_plans_the_user_cannot_see_are_not_found(world, districts, as_user, who, which, status):
    plans = {"world": world.plan, "other": districts["other_plan"]}
    assert as_user(who).get(url(*(plans[name] for name in which))).status_code == status


def test_a_school_opens_only_its_own_tasks_from_the_page(world, districts, as_user):
    second = import_parsed(read_upload(EXAMPLE_PLAN), bureau=world.bureau, user=world.users["admin"],
                           source_file=SimpleUploadedFile(EXAMPLE_PLAN.name, EXAMPLE_PLAN.read_bytes())).plans[0]
    second.tasks.filter(title=world.task_a.title).first().assignments.create(
        lead_unit=world.unit("青禾区实验小学"), start_date="2025-01-01", deadline="2025-12-31")
    response = as_user("school_a").get(url(world.plan, second))
    assert response.status_code == 200
    linked = {row.task.pk for row in response.context["page"].aligned if row.task.linked}
    assert linked == {world.task_a.pk}


# fmt: off
# (query, code): 2 to 20 plans
COUNTS = [
    ("plan={a}",                            "E360"),  # 只选了一个
    ("reference={a}",                       "E360"),  # 只选了参照计划
    ("plan={a}&plan={a}",                   "E360"),  # 同一个计划选两次
    ("plan={a}&reference={a}",              "E360"),  # 参照就是勾选的那一个
    ("&".join(f"plan={n}" for n in range(1000, 1021)), "E361"),  # 21 个
]
# fmt: on


@pytest.mark.parametrize(("query", "code"), COUNTS)
def test_fewer_than_two_or_more_than_twenty_plans_say_so_in_one_line(world, as_user, query, code):
    response = as_user("admin").get(f"{reverse('plan-compare')}?{query.format(a=world.plan.pk)}")
    assert response.status_code == 400
    (message,) = re.findall(r'<div class="form-error" role="alert">(.*?)</div>', html(response))
    assert message.startswith(f"[{code}] ")


@pytest.mark.parametrize("other", ["abc", "99999999999999999999", "0", "-3"])
def test_a_plan_id_that_is_no_id_is_not_found(world, as_user, other):
    assert as_user("admin").get(f"{reverse('plan-compare')}?plan={world.plan.pk}&plan={other}").status_code == 404
    assert as_user("admin").get(f"{reverse('plan-compare-xlsx')}?plan={world.plan.pk}&plan={other}").status_code == 404


def test_a_five_year_plans_targets_under_its_goals_section_reach_the_path(world):
    from eduplan.reports.compare.stored import load
    from eduplan.tracking.models import Section

    section = world.plan.sections.order_by("order").first()
    Section.objects.filter(pk=section.pk).update(title="发展目标")  # its tasks become preamble
    stored = load(Plan.objects.get(pk=world.plan.pk))
    under = Target.objects.filter(task__section=section, removed_in_version__isnull=True).count()
    assert under and len(stored.compared.goals) == Target.objects.filter(
        task__plan=world.plan, removed_in_version__isnull=True).count()


def test_the_reference_goes_first_whichever_box_comes_first(world, districts, as_user):
    other = districts["other_plan"]
    response = as_user("city_leader").get(url(world.plan, other, reference=other))
    assert [c.plan.pk for c in response.context["page"].columns] == [other.pk, world.plan.pk]
    assert response.context["page"].columns[0].reference


def test_the_reference_bureaus_own_themes_decide_a_tasks_theme(world, districts, as_user):
    Theme.objects.create(bureau=world.bureau, name="强身健体", words="体育、体质，运动", order=1)
    Theme.objects.create(bureau=world.bureau, name="立德树人", words="德育、思政", order=2)
    client = as_user("city_leader")
    own = client.get(url(world.plan, districts["other_plan"])).context["page"]
    physical = next(row for row in own.aligned if row.task.title == PHYSICAL[2:])
    assert physical.theme.theme == "强身健体" and set(physical.theme.words) >= {"体育", "体质", "运动"}
    assert set(dict(own.coverage)) <= {"强身健体", "立德树人", "其他"}
    assert "强身健体" in svg_of(client.get(url(world.plan, districts["other_plan"])))
    theirs = client.get(url(world.plan, districts["other_plan"], reference=districts["other_plan"]))
    physical = next(row for row in theirs.context["page"].aligned if row.task.title == PHYSICAL[2:])
    assert physical.theme.theme == "体育"  # 溪南区 keeps the built-in list


def test_the_chart_loads_nothing_and_escapes_theme_names(world, districts, as_user):
    Theme.objects.create(bureau=world.bureau, name='<b onclick="x()">体育</b>', words="体育")
    svg = svg_of(as_user("city_leader").get(url(world.plan, districts["other_plan"])))
    assert svg.startswith("<svg role=\"img\"") and "<rect" in svg
    assert not re.search(r"https?:|href|url\(|<script|style=|<image", svg)
    assert "&lt;b onclick=&quot;x()&quot;&gt;" in svg and "<b " not in svg


def test_year_changes_show_what_the_newer_plan_raised(world, districts, as_user):
    other = districts["other_plan"]
    Plan.objects.filter(pk=other.pk).update(period_start=2024, period_end=2024)
    Target.objects.filter(task__plan=other, metric__startswith="全区中小学生国家学生体质健康").update(value=94)
    page = as_user("city_leader").get(url(world.plan, other)).context["page"]
    older, newer = page.change_columns
    assert (older.plan.pk, newer.plan.pk) == (other.pk, world.plan.pk)
    kinds = {change.metric: change.kind for change in page.changes}
    raised = [metric for metric, kind in kinds.items() if kind == "raised"]
    assert len(raised) == 1 and raised[0].startswith("全区中小学生国家学生体质健康")
    assert set(kinds.values()) == {"raised", "same"}


def test_an_annual_plan_against_a_five_year_plan_shows_the_path(world, districts, as_user):
    five = districts["other_plan"]
    Plan.objects.filter(pk=five.pk).update(kind=Plan.Kind.FIVE_YEAR, period_start=2021, period_end=2030)
    Target.objects.filter(task__plan=five, metric__startswith="全区中小学生国家学生体质健康").update(
        baseline_value=90, baseline_year=2020, year=None)
    response = as_user("city_leader").get(url(five, world.plan))
    (line,) = response.context["page"].path
    assert (line.expected, line.year, line.behind) == ("93%", 2025, False)
    assert "五年规划序时进度" in html(response) and "达到序时路径" in html(response)


def test_a_stored_plan_reads_its_current_tasks_in_three_queries(world, django_assert_num_queries):
    removed = world.plan.tasks.order_by("order")[2]
    removed.removed_in_version = 2
    removed.save()
    with django_assert_num_queries(3):
        plan = compared_plan(world.plan)
    assert len(plan.items) == world.plan.tasks.count() - 1
    assert removed.title not in {item.title for item in plan.items}
    physical = next(item for item in plan.items if item.title == PHYSICAL[2:])
    assert physical.number and "大课间" in physical.text
    assert {goal.unit for goal in physical.goals} >= {"%"} and plan.goals and plan.year == 2025


def test_a_bureau_without_themes_compares_with_the_built_in_list(world):
    assert taxonomy_for(world.bureau) == Taxonomy.default()
    Theme.objects.create(bureau=world.bureau, name="体育", words="体育、 体质 ,运动")
    assert taxonomy_for(world.bureau).themes == (("体育", ("体育", "体质", "运动")),)


def test_a_bureau_admin_edits_only_its_own_themes(world, districts, as_user):
    Theme.objects.create(bureau=world.bureau, name="青禾主题", words="体育")
    Theme.objects.create(bureau=districts["other"], name="溪南主题", words="体育")
    page = html(as_user("admin").get(reverse("admin:reports_theme_changelist")))
    assert "青禾主题" in page and "溪南主题" not in page


def test_the_comparison_downloads_as_a_workbook(world, districts, as_user):
    client = as_user("city_leader")
    page = html(client.get(url(world.plan, districts["other_plan"])))
    link = re.search(r'href="(/compare/xlsx/\?[^"]+)"', page).group(1).replace("&amp;", "&")
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "主题覆盖" in workbook.sheetnames
    text = {cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row}
    assert f"{world.plan.title}（澜江市溪南区教育局）" in " ".join(str(t) for t in text if t)


# fmt: off
# (who, query, status): the download checks what the page checks
DOWNLOADS = [
    ("school_a", "plan={a}&plan={b}", 404),  # 看不到溪南区的计划
    ("admin",    "plan={a}",          400),  # 只选了一个
]
# fmt: on


@pytest.mark.parametrize(("who", "query", "status"), DOWNLOADS)
def test_the_download_refuses_what_the_page_refuses(world, districts, as_user, who, query, status):
    query = query.format(a=world.plan.pk, b=districts["other_plan"].pk)
    assert as_user(who).get(f"{reverse('plan-compare-xlsx')}?{query}").status_code == status


def test_the_page_reads_a_fixed_number_of_queries_per_plan(world, districts, as_user):
    third = import_parsed(read_upload(EXAMPLE_PLAN), bureau=districts["other"], user=world.users["xinan_admin"],
                          source_file=SimpleUploadedFile(EXAMPLE_PLAN.name, EXAMPLE_PLAN.read_bytes())).plans[0]
    client = as_user("city_leader")
    client.get(url(world.plan, districts["other_plan"]))  # the first request of a session reads more
    counts = []
    for plans in ((world.plan, districts["other_plan"]), (world.plan, districts["other_plan"], third)):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(*plans)).status_code == 200
        counts.append(len(queries))
    assert counts[1] - counts[0] == 3  # a plan's tasks, measures and targets


def test_anonymous_visitors_sign_in_first(client):
    for name in ("plan-compare", "plan-compare-xlsx"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]
