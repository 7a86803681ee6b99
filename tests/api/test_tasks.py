"""The task list: filters, paging and per-task status; one task in detail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eduplan.tracking.progress import submit_report


def ids(page: dict) -> list[int]:
    return [item["id"] for item in page["items"]]


def test_the_list_pages_through_all_tasks_in_plan_order(world, api):
    admin = api("admin")
    first, second = admin.get("/api/tasks?limit=20").json(), admin.get("/api/tasks?limit=20&offset=20").json()
    assert (first["count"], len(first["items"]), len(second["items"])) == (28, 20, 8)
    assert ids(first) + ids(second) == list(world.plan.tasks.order_by("order").values_list("id", flat=True))


def test_an_item_carries_its_units_deadline_and_light(world, api):
    item = api("admin").get("/api/tasks?q=加强学校体育").json()["items"][0]
    assert item | {"reasons": []} == {
        "id": world.task_a.pk, "number": world.task_a.number, "title": "加强学校体育工作", "plan_id": world.plan.pk,
        "section": {"id": world.task_a.section_id, "label": "二", "title": world.task_a.section.title},
        "lead_units": [{"id": world.unit("青禾区实验小学").pk, "name": "青禾区实验小学"}],
        "deadline": "2025-12-31", "percent": 0, "status": "not_started", "status_label": "未启动",
        "light": "red", "reasons": []}
    assert item["reasons"]


def filter_world(world):
    submit_report(world.assignment(world.task_a), user=world.users["school_a"], period="2025-06", percent=100,
                  state="done", narrative="完成")
    submit_report(world.assignment(world.task_dept), user=world.users["jijiao"], period="2025-06", percent=45,
                  state="in_progress", narrative="推进中")


# fmt: off
FILTERS = [
    ("status=done", lambda w: [w.task_a]),
    ("status=on_track", lambda w: [w.task_dept]),
    ("light=green&unit={unit}", lambda w: [w.task_a]),
    ("unit={bureau}", lambda w: [w.task_a, w.task_b, w.task_dept]),  # assigned within: lead or partner
    ("unit={tiwei}", lambda w: [w.task_dept]),                       # a partner
    ("section={section}", lambda w: list(w.task_a.section.tasks.order_by("order"))),
    ("q=学前", lambda w: [w.task_dept, w.plan.tasks.get(title="办好特殊教育和专门教育")]),  # a title, a measure
    ("q=二/9", lambda w: [w.task_b]),
]
# fmt: on


@pytest.mark.parametrize(("query", "expected"), FILTERS, ids=[q for q, _ in FILTERS])
def test_filters_narrow_the_list(world, api, query, expected):
    filter_world(world)
    query = query.format(unit=world.unit("青禾区实验小学").pk, bureau=world.bureau.pk, tiwei=world.unit("体卫艺科").pk,
                         section=world.task_a.section_id)
    page = api("admin").get(f"/api/tasks?{query}&plan={world.plan.pk}").json()
    assert ids(page) == [t.pk for t in expected(world)]
    assert page["count"] == len(expected(world))


def test_a_status_filter_pages_after_filtering(world, api):
    page = api("admin").get("/api/tasks?status=not_started&limit=5&offset=25").json()
    assert (page["count"], len(page["items"])) == (28, 3)


@pytest.mark.parametrize("query", ["status=finished", "light=blue", "limit=0", "limit=501", "offset=-1", "plan=x"])
def test_a_bad_filter_answers_422_e506(world, api, query):
    response = api("admin").get(f"/api/tasks?{query}")
    assert (response.status_code, response.json()["code"]) == (422, "E506")


def test_a_unit_outside_the_scope_cannot_be_filtered_on(world, api):
    response = api("school_a").get(f"/api/tasks?unit={world.unit('青禾区滨江小学').pk}")
    assert (response.status_code, response.json()["code"]) == (400, "E405")


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_a_page_costs_the_same_queries_whatever_its_size(world, api):
    admin = api("admin")
    admin.get("/api/me")  # the token's first use is recorded once
    admin.get("/api/tasks?limit=1")  # and the scope's states are made current once a day
    assert queries(admin, "/api/tasks?limit=12") == queries(admin, "/api/tasks?limit=500") <= 11
    assert queries(admin, "/api/tasks?light=red&limit=12") == queries(admin, "/api/tasks?light=red&limit=500")


def test_the_detail_has_measures_targets_assignments_and_reports(world, api):
    submit_report(world.assignment(world.task_dept), user=world.users["tiwei"], period="2025-05", percent=20,
                  state="in_progress", narrative="场地核查")
    task = api("tiwei").get(f"/api/tasks/{world.task_dept.pk}").json()
    assert len(task["measures"]) == world.task_dept.measures.count()
    assert len(task["targets"]) == world.task_dept.targets.count()
    [assignment] = task["assignments"]
    assert (assignment["lead_unit"]["name"], assignment["partner_units"][0]["name"]) == ("基础教育科", "体卫艺科")
    assert (assignment["latest_percent"], assignment["can_report"]) == (20, True)
    assert [(r["period"], r["unit"]["name"], r["created_by"]) for r in task["reports"]] == [("2025-05", "体卫艺科", "tiwei")]
    assert task["expected"] == 49
    assert api("leader").get(f"/api/tasks/{world.task_dept.pk}").json()["assignments"][0]["can_report"] is False


def test_a_task_is_split_by_measure_with_milestones(world, api):
    task = world.task_dept
    measure = task.measures.order_by("order")[2]
    response = api("admin").put(f"/api/tasks/{task.pk}/assignment", {
        "lead_unit": "计划财务科", "measure": measure.pk, "deadline": "2025-10-31",
        "milestones": [{"due": "2025-05-31", "title": "完成选址"}]}, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["measure_id"] == measure.pk
    assert [(m["due"], m["title"], m["done"]) for m in body["milestones"]] == [("2025-05-31", "完成选址", False)]
    assert task.assignments.count() == 2


def test_a_measure_of_another_task_is_refused(world, api):
    other = world.task_a.measures.first()
    response = api("admin").put(f"/api/tasks/{world.task_dept.pk}/assignment", {
        "lead_unit": "计划财务科", "measure": other.pk}, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "E421"
    assert world.task_dept.assignments.count() == 1


def test_the_cached_list_follows_a_change_and_stays_per_scope(world, api):
    extra = world.plan.tasks.get(title="办好特殊教育和专门教育")
    school_a, school_b = api("school_a"), api("school_b")
    assert [t["id"] for t in school_a.get("/api/tasks").json()["items"]] == [world.task_a.pk]
    assert [t["id"] for t in school_b.get("/api/tasks").json()["items"]] == [world.task_b.pk]
    response = api("admin").put(f"/api/tasks/{extra.pk}/assignment", {"lead_unit": "青禾区实验小学"},
                                content_type="application/json")
    assert response.status_code == 200
    assert {t["id"] for t in school_a.get("/api/tasks").json()["items"]} == {world.task_a.pk, extra.pk}
