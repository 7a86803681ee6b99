"""Reporting progress through the API: the service's checks, codes and effects, unchanged."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eduplan.indicators.models import DataValue
from eduplan.tracking.models import Assignment, Evidence, ProgressReport

PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n"


def post_report(client, world, **values):
    body = {"period": "2025-06", "state": "in_progress", "percent": 50, "narrative": "体育节已举办"} | values
    return client.post(f"/api/assignments/{world.assignment(world.task_a).pk}/reports", body,
                       content_type="application/json")


def test_a_done_report_counts_on_the_dashboard_and_closes_the_assignment(world, api):
    school = api("school_a")
    before = school.get("/api/dashboard").json()["by_status"]["done"]
    response = post_report(school, world, state="done", percent=100)
    assert response.status_code == 201
    assert (response.json()["state"], response.json()["percent"]) == ("done", 100)
    assert school.get("/api/dashboard").json()["by_status"]["done"] == before + 1
    assert api("admin").get("/api/dashboard").json()["by_status"]["done"] == 1
    assert Assignment.objects.get(task=world.task_a).closed_at is not None


def test_a_report_on_a_closed_assignment_is_refused_with_e406(world, api):
    school = api("school_a")
    post_report(school, world, state="done", percent=100)
    response = post_report(school, world, percent=100)
    assert (response.status_code, response.json()["code"]) == (400, "E406")
    assert "task is closed" in response.json()["message"]
    assert ProgressReport.objects.count() == 1


# A service's check is a 400 with its code; what the schema already refuses is a 422 (E506).
# fmt: off
BAD = [
    ({"percent": 150}, 400, "E408"), ({"percent": -1}, 400, "E408"), ({"percent": "六十"}, 400, "E408"),
    ({"period": "2025-13"}, 400, "E409"), ({"narrative": "  "}, 400, "E415"),
    ({"actuals": {"999999": 1}}, 400, "E508"),
    ({"state": "finished"}, 422, "E506"), ({"percent": None}, 422, "E506"),
    ({"narrative": "a\x00b"}, 422, "E506"), ({"actuals": {str(2**63): 1}}, 422, "E506"),
]
# fmt: on


@pytest.mark.parametrize(("values", "status", "code"), BAD, ids=[f"{c}-{next(iter(v))}" for v, _, c in BAD])
def test_a_bad_report_is_refused_with_its_code_and_stores_nothing(world, api, values, status, code):
    response = post_report(api("school_a"), world, **values)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e400"])
def test_an_actual_that_is_no_finite_number_is_refused_with_e412(world, api, value):
    target = world.task_a.targets.get(metric="举办区级学生体育赛事")
    response = post_report(api("school_a"), world, actuals={str(target.pk): value})
    assert (response.status_code, response.json()["code"]) == (400, "E412")
    assert not ProgressReport.objects.exists()


def test_actuals_are_stored_against_the_tasks_targets(world, api):
    target = world.task_a.targets.get(metric="举办区级学生体育赛事")
    response = post_report(api("school_a"), world, actuals={str(target.pk): "8"})
    assert response.json()["actuals"] == [{"target_id": target.pk, "value": 8.0}]
    assert DataValue.objects.get(element__target=target).value == 8
    detail = api("school_a").get(f"/api/tasks/{world.task_a.pk}").json()
    assert {t["id"]: t["latest_actual"] for t in detail["targets"]}[target.pk] == 8
    assert detail["reports"][0]["narrative"] == "体育节已举办"


def test_a_reports_answer_is_the_report_as_read_back_and_as_a_retry_gets_it(world, api):
    targets = list(world.task_a.targets.filter(indicator__isnull=True).order_by("-pk"))
    assert len(targets) > 1  # so that the order matters
    school = api("school_a")
    url = f"/api/assignments/{world.assignment(world.task_a).pk}/reports"
    body = json.dumps({"period": "2025-06", "state": "in_progress", "percent": 50, "narrative": "体育节已举办",
                       "actuals": {str(t.pk): i + 1 for i, t in enumerate(targets)}})  # sent in falling id order
    first = school.post(url, body, content_type="application/json", headers={"Idempotency-Key": "retry-0001"})
    retry = school.post(url, body, content_type="application/json", headers={"Idempotency-Key": "retry-0001"})
    assert (first.status_code, retry.status_code) == (201, 201)
    read_back = school.get(f"/api/tasks/{world.task_a.pk}").json()["reports"]
    assert first.json() == retry.json() == read_back[0]
    assert [a["target_id"] for a in first.json()["actuals"]] == sorted(t.pk for t in targets)


def test_a_target_of_another_task_is_refused(world, api):
    other = world.task_b.targets.first() or world.task_dept.targets.first()
    response = post_report(api("school_a"), world, actuals={str(other.pk): 1})
    assert (response.status_code, response.json()["code"]) == (400, "E508")


def test_a_partner_department_may_report_on_the_task_it_helps_with(world, api):
    url = f"/api/assignments/{world.assignment(world.task_dept).pk}/reports"
    body = {"period": "2025-06", "percent": 30, "narrative": "配合完成场地核查"}
    response = api("tiwei").post(url, body, content_type="application/json")
    assert (response.status_code, response.json()["unit"]["name"]) == (201, "体卫艺科")


def test_evidence_files_go_with_the_multipart_variant(world, api):
    target = world.task_a.targets.get(metric="举办区级学生体育赛事")
    response = api("school_a").post(
        f"/api/assignments/{world.assignment(world.task_a).pk}/reports/with-files",
        {"period": "2025-06", "percent": "60", "narrative": "见附件", "actuals": json.dumps({target.pk: 9}),
         "files": [SimpleUploadedFile("总结.pdf", PDF), SimpleUploadedFile("名单.txt", "一年级".encode())]})
    assert response.status_code == 201, response.content
    assert sorted(e["name"] for e in response.json()["evidence"]) == ["名单.txt", "总结.pdf"]
    assert response.json()["actuals"] == [{"target_id": target.pk, "value": 9.0}]


def test_a_disguised_evidence_file_is_refused_with_e403(world, api):
    response = api("school_a").post(
        f"/api/assignments/{world.assignment(world.task_a).pk}/reports/with-files",
        {"period": "2025-06", "percent": "60", "narrative": "见附件", "files": [SimpleUploadedFile("a.pdf", b"MZ")]})
    assert (response.status_code, response.json()["code"]) == (400, "E403")
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()


def test_a_fractional_percent_is_refused_with_e408(world, api):
    response = post_report(api("school_a"), world, percent=12.5)
    assert (response.status_code, response.json()["code"]) == (400, "E408")


def test_a_body_that_is_not_json_answers_400_e506(world, api):
    response = api("school_a").post(f"/api/assignments/{world.assignment(world.task_a).pk}/reports", "{oops",
                                    content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (400, "E506")
