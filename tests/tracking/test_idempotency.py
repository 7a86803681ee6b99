"""A progress report posted twice with the same idempotency key (a retry, a double click, the
back button) is stored once; the second post answers with the first report."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from eduplan.api.models import ApiToken
from eduplan.tracking.models import ProgressReport

REPORT = {"period": "2025-06", "state": "in_progress", "percent": 40, "narrative": "已开展体育节"}


def api_post(world, persona: str, task, body: dict, key: str | None):
    token = ApiToken.issue(world.users[persona])
    headers = {"Authorization": f"Bearer {token}"} | ({"Idempotency-Key": key} if key is not None else {})
    return Client(headers=headers).post(f"/api/assignments/{world.assignment(task).pk}/reports", body,
                                        content_type="application/json")


# first post's state, second post's key, how many reports, whether the second answers the first
# fmt: off
API_DOUBLE_POSTS = [
    ("in_progress", "same", 1, True),
    ("done", "same", 1, True),            # the first closed the task: the retry still gets it, not E406
    ("in_progress", "other", 2, False),
    ("in_progress", None, 2, False),      # no key: two posts are two reports, as before
]
# fmt: on


@pytest.mark.parametrize(("state", "second_key", "count", "same"), API_DOUBLE_POSTS)
def test_an_api_retry_with_the_same_key_returns_the_first_report(world, state, second_key, count, same):
    body = REPORT | {"state": state}
    first = api_post(world, "school_a", world.task_a, body, "retry-1" if second_key else None)
    second_body = body | {"state": "in_progress"}
    second = api_post(world, "school_a", world.task_a, second_body,
                      {"same": "retry-1", "other": "retry-2", None: None}[second_key])
    assert first.status_code == 201 and second.status_code == 201, second.content
    assert (second.json()["id"] == first.json()["id"]) is same
    assert ProgressReport.objects.count() == count


def test_a_key_is_per_user(world):
    api_post(world, "jijiao_tb", world.task_dept, REPORT, "k-1")
    api_post(world, "tiwei", world.task_dept, REPORT, "k-1")
    assert ProgressReport.objects.count() == 2


# fmt: off
BAD_KEYS = [
    ("k" * 65, 422, "E506"),           # too long for the header's schema
    ("has space", 422, "E506"),        # visible ASCII only
    ("", 422, "E506"),
]
# fmt: on


@pytest.mark.parametrize(("key", "status", "code"), BAD_KEYS)
def test_a_malformed_key_is_refused(world, key, status, code):
    response = api_post(world, "school_a", world.task_a, REPORT, key)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert not ProgressReport.objects.exists()


def test_a_key_used_on_another_assignment_is_refused_with_e455(world):
    api_post(world, "admin", world.task_a, REPORT, "k-1")
    response = api_post(world, "admin", world.task_b, REPORT, "k-1")
    assert (response.status_code, response.json()["code"]) == (400, "E455")
    assert ProgressReport.objects.count() == 1


# ---------------------------------------------------------------- the form

@pytest.mark.parametrize("state", ["in_progress", "done"])
def test_the_form_posted_twice_stores_one_report(world, as_user, state):
    client = as_user("school_a")
    url = reverse("report-progress", args=[world.assignment(world.task_a).pk])
    page = client.get(url)
    key = page.context["form"].initial["idempotency_key"]
    assert f'name="idempotency_key" value="{key}"' in page.content.decode()
    data = {"period": "2025-06", "state": state, "percent": "60", "narrative": "已开齐体育课程。", "idempotency_key": key}
    responses = [client.post(url, data), client.post(url, data)]
    assert [r.status_code for r in responses] == [302, 302]
    assert ProgressReport.objects.count() == 1
    assert client.get(url).context["form"].initial["idempotency_key"] != key  # a fresh form, a fresh key


# fmt: off
SERVICE_KEYS = [
    (None, None), ("", None), ("abc-123_XYZ.~", "abc-123_XYZ.~"), ("k" * 64, "k" * 64),
    ("k" * 65, "E454"), ("has space", "E454"), ("键", "E454"), ("a\x00b", "E454"),
]
# fmt: on


@pytest.mark.parametrize(("value", "expected"), SERVICE_KEYS)
def test_the_service_checks_the_key_for_every_caller(value, expected):
    from eduplan.errors import EduplanError
    from eduplan.tracking.progress import check_idempotency_key

    if expected == "E454":
        with pytest.raises(EduplanError) as refused:
            check_idempotency_key(value)
        assert refused.value.code == "E454"
    else:
        assert check_idempotency_key(value) == expected
