"""Each persona sees and changes only what its role and unit allow: 404 outside, 403 read-only."""

import pytest

from eduplan.tracking.models import Assignment, ProgressReport

REPORT = {"period": "2025-06", "state": "in_progress", "percent": 40, "narrative": "已开展体育节"}


def report_url(world, task) -> str:
    return f"/api/assignments/{world.assignment(task).pk}/reports"


def assign(client, task, **body):
    return client.put(f"/api/tasks/{task.pk}/assignment", body, content_type="application/json")


def test_a_school_cannot_see_another_schools_task(world, api):
    response = api("school_a").get(f"/api/tasks/{world.task_b.pk}")
    assert (response.status_code, response.json()["code"]) == (404, "E505")


def test_a_school_cannot_report_on_another_schools_assignment(world, api):
    response = api("school_a").post(report_url(world, world.task_b), REPORT, content_type="application/json")
    assert response.status_code == 404
    assert not ProgressReport.objects.exists()


def test_a_schools_task_list_holds_only_its_own_tasks(world, api):
    page = api("school_a").get("/api/tasks").json()
    assert (page["count"], [t["id"] for t in page["items"]]) == (1, [world.task_a.pk])


@pytest.mark.parametrize(("persona", "count"), [("admin", 28), ("leader", 28), ("jijiao", 1), ("tiwei", 1),
                                                ("school_b", 1)])
def test_each_persona_lists_the_tasks_within_its_scope(world, api, persona, count):
    assert api(persona).get("/api/tasks").json()["count"] == count


def test_a_school_sees_only_its_own_subtree_of_units(world, api):
    assert [u["name"] for u in api("school_a").get("/api/units").json()] == ["青禾区实验小学"]


def test_the_leader_reads_everything_but_may_not_report_or_assign(world, api):
    leader = api("leader")
    assert leader.get(f"/api/tasks/{world.task_b.pk}").status_code == 200
    response = leader.post(report_url(world, world.task_a), REPORT, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (403, "E504")
    assert assign(leader, world.task_a, lead_unit="基础教育科").status_code == 403
    assert not ProgressReport.objects.exists()


def test_a_reporter_may_not_assign_even_within_its_unit(world, api):
    response = assign(api("jijiao_tb"), world.task_dept, lead_unit="基础教育科")
    assert (response.status_code, response.json()["code"]) == (403, "E504")


def test_the_admin_assigns_by_unit_names_and_owner(world, api):
    response = assign(api("admin"), world.task_b, lead_unit="青禾区实验小学", partner_units=["体卫艺科"],
                      owner="school_a", deadline="2025-10-31")
    assert response.status_code == 200
    body = response.json()
    assert (body["lead_unit"]["name"], [u["name"] for u in body["partner_units"]]) == ("青禾区实验小学", ["体卫艺科"])
    assert (body["owner"], body["deadline"]) == ("school_a", "2025-10-31")
    assert world.assignment(world.task_b).lead_unit.name == "青禾区实验小学"


def test_the_admin_assigns_by_unit_id(world, api):
    unit = world.unit("体卫艺科")
    assert assign(api("admin"), world.task_a, lead_unit=unit.pk).json()["lead_unit"]["id"] == unit.pk


@pytest.mark.parametrize("body", [{"lead_unit": "火星小学"}, {"lead_unit": "基础教育科", "partner_units": ["火星小学"]},
                                  {"lead_unit": 999999}])
def test_an_unknown_unit_is_refused_with_e405_and_nothing_changes(world, api, body):
    before = list(Assignment.objects.values_list("id", "lead_unit_id", "deadline"))
    response = assign(api("admin"), world.task_a, **body)
    assert (response.status_code, response.json()["code"]) == (400, "E405")
    assert "火星小学" in response.json()["message"] or "999999" in response.json()["message"]
    assert list(Assignment.objects.values_list("id", "lead_unit_id", "deadline")) == before


def test_a_manager_may_not_hand_a_task_to_a_unit_outside_its_own(world, api):
    response = assign(api("jijiao"), world.task_dept, lead_unit="体卫艺科")
    assert (response.status_code, response.json()["code"]) == (400, "E411")


def test_an_owner_outside_the_units_is_refused(world, api):
    response = assign(api("admin"), world.task_a, lead_unit="青禾区实验小学", owner="school_b")
    assert (response.status_code, response.json()["code"]) == (400, "E416")


# The owner is looked up in the task's bureau only: someone of another bureau is as unknown as
# no one (E609), so the answer tells nothing about who works elsewhere; within the bureau,
# someone outside the task's units is E416.
# fmt: off
OWNERS = [
    ("school_a", 200, None),
    ("school_b", 400, "E416"),
    ("yunling_teacher", 400, "E609"),
    ("yunling_admin", 400, "E609"),
    ("nobody_at_all", 400, "E609"),
]
# fmt: on


@pytest.mark.parametrize(("owner", "status", "code"), OWNERS, ids=[o for o, _, _ in OWNERS])
def test_the_owner_lookup_stays_within_the_tasks_bureau(world, api, owner, status, code):
    from eduplan.orgs.services import create_user
    from eduplan.tracking.setup import setup_bureau

    other = setup_bureau("澜江市云岭区教育局")
    create_user("yunling_teacher", "x-Pass-2025", role="reporter", unit=other.children.first())
    create_user("yunling_admin", "x-Pass-2025", role="admin", unit=other)
    response = assign(api("admin"), world.task_a, lead_unit="青禾区实验小学", owner=owner)
    assert (response.status_code, response.json().get("code")) == (status, code)
    if code == "E609":
        assert response.json()["message"] == f"[E609] 未知的责任人“{owner}” / unknown person '{owner}'"
