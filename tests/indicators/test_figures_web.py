"""The indicator pages (指标监测): figures per unit and period, drill-down by unit id, the
SVG chart, and binding plan targets to indicators."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from eduplan.indicators.charts import nice_ticks, when
from eduplan.indicators.models import DataElement, Indicator
from eduplan.indicators.values import NewValue, store_values
from eduplan.orgs.models import Membership, OrgUnit
from eduplan.orgs.services import create_user
from eduplan.periods import Period
from eduplan.tracking.models import Target
from eduplan.tracking.progress import submit_report
from eduplan.tracking.warnings import latest_actuals
from tests.world import PASSWORD

# fmt: off
# school, tested, passed, good (体质健康测试人数, 合格人数, 优良人数) for 2025S1
FITNESS = [
    ("青禾区实验小学", 100, 90, 60),
    ("青禾区滨江小学", 50,  45, 40),
]
# fmt: on


def put(world, unit: OrgUnit, period: str, **figures: float) -> None:
    elements = {e.code: e for e in DataElement.objects.filter(code__in=figures)}
    store_values([NewValue(elements[code], unit, period, value) for code, value in figures.items()],
                 user=world.users["admin"], source="form")


def put_fitness(world, unit: OrgUnit, tested: int, passed: int, good: int, period: str = "2025S1") -> None:
    put(world, unit, period, fitness_tested=tested, fitness_passed=passed, fitness_good=good)


@pytest.fixture
def fitness(world):
    for name, tested, passed, good in FITNESS:
        put_fitness(world, world.unit(name), tested, passed, good)
    return world


def list_page(client, **query) -> str:
    response = client.get(reverse("indicator-list"), query)
    assert response.status_code == 200
    return response.content.decode()


def detail_page(client, code: str = "fitness_pass_rate", **query) -> str:
    response = client.get(reverse("indicator-detail", args=[code]), query)
    assert response.status_code == 200
    return response.content.decode()


def row_of(page: str, text: str) -> str:
    """The table row that holds ``text``."""
    rows = [row for row in re.findall(r"<tr[^>]*>.*?</tr>", page, flags=re.S) if text in row]
    assert rows, f"no row with {text!r}"
    return rows[0]


def rows_of(page: str, text: str) -> list[str]:
    return [row for row in re.findall(r"<tr[^>]*>.*?</tr>", page, flags=re.S) if text in row]


def section_of(page: str, heading: str) -> str:
    """The part of the page under the ``<h2>`` that holds ``heading``, to the next one."""
    parts = re.split(r"<h2>", page)
    found = [part for part in parts if part.split("</h2>")[0].find(heading) >= 0]
    assert found, f"no section {heading!r}"
    return found[0]


def series_row(page: str, period_label: str) -> str:
    return row_of(section_of(page, "各期数据"), period_label)


def svg_of(page: str) -> str:
    match = re.search(r"<svg.*?</svg>", page, flags=re.S)
    assert match, "no chart on the page"
    return match.group(0)


def fitness_target(world) -> Target:
    return world.task_a.targets.get(metric__contains="体质健康标准测试合格率")


# ---------------------------------------------------------------- the list page

# fmt: off
DISTRICT_LIST = [
    # indicator name,        shown value, numerator / denominator
    ("学生体质健康测试合格率", "90.0%",     "135 / 150"),   # (90+45)/(100+50)
    ("学生体质健康优良率",     "66.7%",     "100 / 150"),   # (60+40)/(100+50)
]
# fmt: on


@pytest.mark.parametrize(("name", "value", "parts"), DISTRICT_LIST)
def test_the_list_shows_the_districts_figures_summed_then_divided(fitness, as_user, name, value, parts):
    row = row_of(list_page(as_user("admin")), name)
    assert f"<b>{value}</b>" in row
    assert parts in row
    assert "2025年春季学期" in row
    assert re.search(r'<td class="num hide-narrow">2</td>', row)  # two schools in it


def test_an_indicator_without_data_shows_a_dash(fitness, as_user):
    row = row_of(list_page(as_user("admin")), "学生总体近视率")
    assert "<b>—</b>" in row


def test_the_list_shows_the_targets_bound_to_an_indicator_and_whether_met(fitness, as_user):
    target = fitness_target(fitness)
    Target.objects.filter(pk=target.pk).update(indicator=Indicator.objects.get(code="fitness_pass_rate"))
    row = row_of(list_page(as_user("admin")), "学生体质健康测试合格率")
    assert target.metric in row
    assert "≥96%" in row
    assert "未达成" in row  # 90.0% < 96%


def test_a_period_asked_for_shows_that_periods_figures(fitness, as_user):
    put_fitness(fitness, fitness.unit("青禾区实验小学"), 100, 80, 50, period="2024S2")
    page = list_page(as_user("admin"), period="2024S2")
    assert "<b>80.0%</b>" in row_of(page, "学生体质健康测试合格率")
    assert "<b>90.0%</b>" in row_of(list_page(as_user("admin")), "学生体质健康测试合格率")


def test_an_unreadable_period_says_so_and_shows_the_newest(fitness, as_user):
    page = list_page(as_user("admin"), period="2025年上")
    assert "[E704]" in page
    assert "<b>90.0%</b>" in row_of(page, "学生体质健康测试合格率")


# ---------------------------------------------------------------- the detail page


def test_the_detail_shows_the_series_and_each_unit_below(fitness, as_user):
    put_fitness(fitness, fitness.unit("青禾区实验小学"), 100, 80, 50, period="2024S2")
    page = detail_page(as_user("admin"))
    assert "<b>80.0%</b>" in series_row(page, "2024年秋季学期")
    assert "<b>90.0%</b>" in series_row(page, "2025年春季学期")
    group = fitness.unit("青禾第一教育集团")
    assert f'href="?unit={group.pk}&amp;period=2025S1"' in page
    assert "<b>90.0%</b>" in row_of(page, "青禾第二教育集团")


def test_a_group_drills_down_to_its_schools(fitness, as_user):
    group = fitness.unit("青禾第二教育集团")
    page = detail_page(as_user("admin"), code="fitness_good_rate", unit=group.pk)
    assert "<b>80.0%</b>" in row_of(page, "青禾区滨江小学")  # 40/50
    assert "<b>—</b>" in row_of(page, "青禾区育才学校")


def test_an_unknown_indicator_is_not_found(world, as_user):
    assert as_user("admin").get(reverse("indicator-detail", args=["no_such_indicator"])).status_code == 404


# ---------------------------------------------------------------- whose eyes


def test_a_school_sees_its_own_figures(fitness, as_user):
    page = list_page(as_user("school_a"))
    assert "青禾区实验小学" in page
    assert "<b>60.0%</b>" in row_of(page, "学生体质健康优良率")  # its own 60/100, not the district's


@pytest.mark.parametrize("url_name", ["indicator-list", "indicator-detail"])
def test_a_school_may_not_read_another_schools_figures(fitness, as_user, url_name):
    args = ["fitness_pass_rate"] if url_name == "indicator-detail" else []
    other = fitness.unit("青禾区滨江小学")
    response = as_user("school_a").get(reverse(url_name, args=args), {"unit": other.pk})
    assert response.status_code == 404


@pytest.fixture
def city(world):
    """A city above the district, and a second district with a school of the same name; the
    figures are entered after the district joined the city (a figure stays where its unit was)."""
    city = OrgUnit.objects.create(name="澜江市教育局", kind=OrgUnit.Kind.CITY)
    world.bureau.parent = city
    world.bureau.save()
    north = OrgUnit.objects.create(name="澜江市山北区教育局", kind=OrgUnit.Kind.BUREAU, parent=city)
    twin = OrgUnit.objects.create(name="青禾区实验小学", kind=OrgUnit.Kind.SCHOOL, parent=north,
                                  school_level="primary", ownership="public")
    for name, tested, passed, good in FITNESS:
        put_fitness(world, world.unit(name), tested, passed, good)
    put_fitness(world, twin, 200, 150, 100)
    viewer = create_user("city_leader", PASSWORD, role=Membership.Role.VIEWER, unit=city)
    return viewer, north, twin


def test_a_city_sees_each_district_as_its_own_row(city, client):
    viewer, _, _ = city
    client.force_login(viewer)
    page = detail_page(client)
    assert "<b>90.0%</b>" in row_of(page, "澜江市青禾区教育局")
    assert "<b>75.0%</b>" in row_of(page, "澜江市山北区教育局")  # 150/200
    assert "<b>81.4%</b>" in series_row(page, "2025年春季学期")  # (135+150)/(150+200)


def test_two_schools_of_one_name_stay_two(city, client, world):
    viewer, north, twin = city
    client.force_login(viewer)
    here = detail_page(client, unit=world.unit("青禾区实验小学").pk)
    there = detail_page(client, unit=twin.pk)
    assert "<b>90.0%</b>" in series_row(here, "2025年春季学期")
    assert "<b>75.0%</b>" in series_row(there, "2025年春季学期")
    assert len(rows_of(detail_page(client, unit=north.pk), "青禾区实验小学")) == 1


# ---------------------------------------------------------------- binding targets


def test_the_bindings_page_suggests_an_indicator_for_a_target(fitness, as_user):
    page = as_user("admin").get(reverse("indicator-bindings")).content.decode()
    row = row_of(page, f'id="target-{fitness_target(fitness).pk}"')
    assert "建议" in row
    pass_rate = Indicator.objects.get(code="fitness_pass_rate")
    assert f'<option value="{pass_rate.pk}" selected>' in row


def test_binding_a_target_makes_its_actual_the_indicators_figure(fitness, as_user):
    target = fitness_target(fitness)
    assert target.pk not in latest_actuals([target])
    pass_rate = Indicator.objects.get(code="fitness_pass_rate")
    client = as_user("admin")
    response = client.post(reverse("indicator-bindings"), {"target": target.pk, "indicator": pass_rate.pk})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.indicator == pass_rate
    actual = latest_actuals([target])[target.pk]
    assert (round(actual.value, 1), actual.period, actual.computed) == (90.0, "2025S1", True)
    page = client.get(response["Location"]).content.decode()
    assert "实际值：90.0%（2025年春季学期）" in page
    assert "90.0%" in row_of(page, f'id="target-{target.pk}"')
    task_page = client.get(reverse("task-detail", args=[fitness.task_a.pk])).content.decode()
    assert "90%" in row_of(task_page, target.metric)


def test_clearing_a_binding_unbinds_the_target(fitness, as_user):
    target = fitness_target(fitness)
    Target.objects.filter(pk=target.pk).update(indicator=Indicator.objects.get(code="fitness_pass_rate"))
    as_user("admin").post(reverse("indicator-bindings"), {"target": target.pk, "indicator": ""})
    target.refresh_from_db()
    assert target.indicator is None


def test_an_unknown_indicator_is_refused(fitness, as_user):
    target = fitness_target(fitness)
    response = as_user("admin").post(reverse("indicator-bindings"), {"target": target.pk, "indicator": "99999"},
                                     follow=True)
    assert "[E713]" in response.content.decode()
    target.refresh_from_db()
    assert target.indicator is None


@pytest.mark.parametrize("persona", ["leader", "jijiao", "school_a"])
def test_only_the_bureau_admin_binds_targets(fitness, as_user, persona):
    target = fitness_target(fitness)
    client = as_user(persona)
    refused = client.get(reverse("indicator-bindings"))
    assert refused.status_code == 403
    assert "[E730]" in refused.content.decode()
    pass_rate = Indicator.objects.get(code="fitness_pass_rate")
    response = client.post(reverse("indicator-bindings"), {"target": target.pk, "indicator": pass_rate.pk})
    assert response.status_code in (403, 404)
    target.refresh_from_db()
    assert target.indicator is None


# ---------------------------------------------------------------- the chart


def test_the_chart_draws_the_targets_path_from_its_baseline(fitness, as_user):
    target = fitness_target(fitness)
    Target.objects.filter(pk=target.pk).update(indicator=Indicator.objects.get(code="fitness_pass_rate"),
                                               baseline_value=88, baseline_year=2023, year=2025)
    page = detail_page(as_user("admin"))
    svg = svg_of(page)
    assert 'stroke-dasharray="6 4"' in svg  # the expected path
    assert "<title>2025年（目标）：≥96%</title>" in svg
    assert "92.0%" in row_of(page, "2024年（序时期望）")  # halfway from 88 to 96
    assert "88.0%" in row_of(page, "2023年（基线）")


def test_the_chart_escapes_names_and_loads_nothing_from_outside(fitness, as_user):
    odd = OrgUnit.objects.create(name='青禾"<b>实验</b>&小学', kind=OrgUnit.Kind.SCHOOL, parent=fitness.bureau,
                                 school_level="primary", ownership="public")
    put_fitness(fitness, odd, 10, 9, 5)
    page = detail_page(as_user("admin"), unit=odd.pk)
    svg = svg_of(page)
    assert "<b>" not in svg
    assert "&lt;b&gt;实验&lt;/b&gt;&amp;小学" in svg
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert not re.search(r"https?:|//|href|xlink", svg)
    assert not re.search(r'(src|href)="(https?:)?//', page)


# fmt: off
PERIOD_POSITIONS = [
    # period,   middle of it, in years
    ("2025",    2025.5),
    ("2025S1",  2025.25),
    ("2025S2",  2025.75),
    ("2025Q3",  2025.625),
    ("2025-06", 2025 + 5.5 / 12),
]
TICKS = [
    # low, high, ticks
    (88,   96,   [88, 90, 92, 94, 96]),
    (0.3,  0.9,  [0.2, 0.4, 0.6, 0.8, 1.0]),
    (90,   90,   [80, 85, 90, 95, 100]),        # one value: a band around it
    (0,    1230, [0, 250, 500, 750, 1000, 1250]),
]
# fmt: on


@pytest.mark.parametrize(("key", "expected"), PERIOD_POSITIONS)
def test_a_period_is_drawn_at_its_middle(key, expected):
    assert when(Period.parse(key)) == pytest.approx(expected)


@pytest.mark.parametrize(("low", "high", "expected"), TICKS)
def test_the_value_axis_has_round_ticks(low, high, expected):
    assert nice_ticks(low, high) == pytest.approx(expected)


def test_the_pages_come_from_the_cache_until_a_figure_changes(fitness, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user("leader")
    with CaptureQueriesContext(connection) as first:
        list_page(client)
    with CaptureQueriesContext(connection) as second:
        assert "90.0%" in row_of(list_page(client), "学生体质健康测试合格率")
    assert len(second) < len(first) / 2  # served from the cache
    submit_report(fitness.assignment(fitness.task_a), user=fitness.users["school_a"], period="2025-06", percent=40,
                  state="in_progress", narrative="推进中")
    with CaptureQueriesContext(connection) as after_report:
        list_page(client)
    assert len(after_report) == len(second)  # progress shows on no figures page: still from the cache
    put_fitness(fitness, fitness.unit("青禾区滨江小学"), 100, 100, 80)  # a figure changes in the district
    assert "95.0%" in row_of(list_page(client), "学生体质健康测试合格率")  # (90 + 100) / (100 + 100)
    assert "95.0%" in series_row(detail_page(client), "2025年春季学期")
