"""The task list: filters by unit, school, status, section, plan, keyword and light; pages of 50."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eduplan.tracking.models import Task
from eduplan.tracking.progress import submit_report


def listed(client, **query) -> list[int]:
    response = client.get(reverse("task-list"), query)
    assert response.status_code == 200
    return [int(pk) for pk in re.findall(r'<td class="task-title"><a href="/tasks/(\d+)/"', response.content.decode())]


# fmt: off
FILTERS = [
    # query (unit names are looked up), tasks expected (world attributes)
    ({"unit": "基础教育科"},        ["task_dept"]),
    ({"unit": "体卫艺科"},          ["task_dept"]),          # as partner
    ({"unit": "青禾第一教育集团"},   ["task_a"]),             # the school below the group
    ({"school": "青禾区滨江小学"},   ["task_b"]),
    ({"q": "大课间"},              ["task_a"]),              # a word of a measure, not of the title
    ({"q": "美育和劳动"},           ["task_b"]),
]
# fmt: on


@pytest.mark.parametrize(("query", "expected"), FILTERS)
def test_filters_narrow_the_list(world, as_user, query, expected):
    query = {k: (world.unit(v).pk if k in ("unit", "school") else v) for k, v in query.items()}
    assert listed(as_user("admin"), **query) == [getattr(world, name).pk for name in expected]


def test_status_and_light_filters_use_the_computed_verdict(world, as_user):
    client = as_user("admin")
    submit_report(world.assignment(world.task_a), user=world.users["school_a"], period="2025-06", percent=100,
                  state="done", narrative="完成")
    assert listed(client, status="done") == [world.task_a.pk]
    assert world.task_a.pk not in listed(client, light="red")
    assert len(listed(client, status="not_started")) == 27


def test_section_and_plan_filters(world, as_user):
    section = world.task_a.section
    ids = listed(as_user("admin"), section=section.pk, plan=world.plan.pk)
    assert ids == list(section.tasks.order_by("order").values_list("pk", flat=True))
    assert world.task_a.pk in ids and world.task_dept.pk not in ids


def test_a_reporter_lists_only_the_tasks_of_his_unit(world, as_user):
    assert listed(as_user("school_a")) == [world.task_a.pk]
    assert listed(as_user("school_a"), school=world.unit("青禾区滨江小学").pk) == []


def test_an_invalid_filter_is_ignored_with_a_note(world, as_user):
    response = as_user("admin").get(reverse("task-list"), {"status": "nonsense"})
    assert "筛选条件有误" in response.content.decode()
    assert len(listed(as_user("admin"), status="nonsense")) == 28


def test_thousands_of_tasks_are_paged_by_fifty_with_a_constant_number_of_queries(world, as_user):
    Task.objects.bulk_create([Task(plan=world.plan, section=world.task_a.section, number=f"X/{i}",
                                   title=f"批量任务{i}", order=1000 + i) for i in range(2000)])
    client = as_user("admin")
    # bulk_create sends no signal: the first read finds 2,000 tasks without a stored state and
    # judges them in one bulk refresh (its upsert goes in batches of ~120 rows on SQLite).
    listed(client)
    with CaptureQueriesContext(connection) as queries:
        first = listed(client, page=1)
    assert len(first) == 50
    assert len(queries) < 25  # a constant: the same for 50 or 5,000 tasks
    response = client.get(reverse("task-list"), {"page": 3, "q": "批量任务"})
    page = response.content.decode()
    assert "第 3 / 40 页" in page
    assert "?page=4&amp;q=%E6%89%B9%E9%87%8F%E4%BB%BB%E5%8A%A1" in page or "q=%E6%89%B9%E9%87%8F%E4%BB%BB%E5%8A%A1&amp;page=4" in page
    with CaptureQueriesContext(connection) as queries:
        assert len(listed(client, light="red", page=2)) == 50
    assert len(queries) < 25  # a constant: the same for 50 or 5,000 tasks


# fmt: off
OPTIONS = [
    # field, option label expected (the world has one plan; schools and departments apart)
    ("unit",    "基础教育科"),
    ("unit",    "青禾第一教育集团"),
    ("school",  "青禾区滨江小学"),
    ("plan",    "澜江市青禾区2025年教育工作要点"),
    ("section", "二、"),                   # a section reads "label、title" while one plan is shown
    ("status",  "按进度推进"),
    ("light",   "红灯"),
]
# fmt: on


@pytest.mark.parametrize(("field", "label"), OPTIONS)
def test_each_filter_lists_its_options(world, as_user, field, label):
    page = as_user("admin").get(reverse("task-list")).content.decode()
    select = re.search(rf'<select[^>]*name="{field}"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert label in select
    assert select.startswith('<option value="" selected>全部</option>')


def test_a_chosen_filter_stays_selected(world, as_user):
    school = world.unit("青禾区滨江小学")
    page = as_user("admin").get(reverse("task-list"), {"school": school.pk, "status": "lagging"}).content.decode()
    assert f'<option value="{school.pk}" selected>青禾区滨江小学</option>' in page
    assert '<option value="lagging" selected>' in page
    assert "青禾区滨江小学" not in re.search(r'name="unit"[^>]*>(.*?)</select>', page, re.S).group(1)
