"""Plans through the API: reading their structure, and importing a file as the bureau office."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from eduplan.api.models import ApiToken
from eduplan.tracking.models import Plan
from tests.conftest import EXAMPLE_PLAN


def upload(name: str = EXAMPLE_PLAN.name, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, EXAMPLE_PLAN.read_bytes() if content is None else content)


def test_the_admin_imports_the_example_plan(world, api):
    response = api("admin").post("/api/plans/import", {"file": upload()})
    assert response.status_code == 201
    imported = response.json()["plans"]
    assert [(p["title"], p["tasks"], p["version"]) for p in imported] == [(world.plan.title, 28, 1)]
    assert Plan.objects.count() == 2
    assert Plan.objects.get(pk=imported[0]["id"]).bureau == world.bureau


@pytest.mark.parametrize(("name", "content", "code"), [("空.txt", b"", "E102"), ("plan.exe", b"MZ\x90", "E103"),
                                                        ("说明.txt", "这里没有任何任务。".encode(), "E404")])
def test_a_file_that_is_not_a_plan_answers_400_and_imports_nothing(world, api, name, content, code):
    response = api("admin").post("/api/plans/import", {"file": upload(name, content)})
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert name in response.json()["message"] and "/tmp" not in response.json()["message"]
    assert Plan.objects.count() == 1


def test_an_oversized_file_is_refused_with_e401(world, api, settings):
    settings.EDUPLAN_MAX_UPLOAD_BYTES = 1024
    response = api("admin").post("/api/plans/import", {"file": upload()})
    assert (response.status_code, response.json()["code"]) == (400, "E401")
    assert Plan.objects.count() == 1


@pytest.mark.parametrize("persona", ["leader", "jijiao", "school_a"])
def test_only_the_admin_may_import(world, api, persona):
    assert api(persona).post("/api/plans/import", {"file": upload()}).status_code == 403
    assert Plan.objects.count() == 1


def test_a_revision_keeps_the_plan_and_lists_the_changes(world, api):
    revised = EXAMPLE_PLAN.read_text(encoding="utf-8").replace("加强学校体育工作", "全面加强学校体育工作")
    response = api("admin").post("/api/plans/import", {"file": upload(content=revised.encode()),
                                                      "replaces": world.plan.pk})
    assert response.status_code == 201
    assert response.json()["plans"][0] == {"id": world.plan.pk, "title": world.plan.title, "version": 2, "tasks": 28}
    changed = [c for c in response.json()["changes"] if c["kind"] != "unchanged"]
    assert [(c["kind"], c["title"]) for c in changed] == [("changed", "全面加强学校体育工作")]


def test_revising_an_unknown_plan_is_refused_with_e418(world, api):
    response = api("admin").post("/api/plans/import", {"file": upload(), "replaces": 999999})
    assert (response.status_code, response.json()["code"]) == (400, "E418")


def test_a_plan_shows_sections_and_the_tasks_the_reader_may_see_with_spans(world, api):
    plan = api("school_a").get(f"/api/plans/{world.plan.pk}").json()
    assert len(plan["sections"]) == 6
    assert [t["id"] for t in plan["tasks"]] == [world.task_a.pk]
    target = plan["tasks"][0]["targets"][0]
    assert world.plan.source_text[target["start"]:target["end"]] == target["quote"]


def test_the_plan_list_is_scoped(world, api):
    assert [p["id"] for p in api("leader").get("/api/plans").json()] == [world.plan.pk]
    assert api("school_a").get(f"/api/plans/{world.plan.pk + 1}").status_code == 404


def test_a_superuser_names_the_bureau_to_import_into(world):
    root = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client = Client(headers={"Authorization": f"Bearer {ApiToken.issue(root)}"})
    response = client.post("/api/plans/import", {"file": upload(), "bureau": world.bureau.pk})
    assert response.status_code == 201
    assert Plan.objects.get(pk=response.json()["plans"][0]["id"]).bureau == world.bureau
    response = client.post("/api/plans/import", {"file": upload(), "bureau": world.unit("体卫艺科").pk})
    assert (response.status_code, response.json()["code"]) == (400, "E405")


@pytest.mark.parametrize(("persona", "count"), [("admin", 28), ("school_a", 1), ("jijiao", 1)])
def test_plan_task_counts_are_what_the_caller_sees(world, api, persona, count):
    assert [p["task_count"] for p in api(persona).get("/api/plans").json()] == [count]
    assert api(persona).get(f"/api/plans/{world.plan.pk}").json()["task_count"] == count
