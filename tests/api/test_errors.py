"""Every error under /api/ is JSON with a stable code, and numbers out of range are a 422, never a 500."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from eduplan.api import failures
from eduplan.tracking.models import Assignment, ProgressReport

BAD_NUMBERS = [2**63, -1, 10**30]


def is_error(response) -> bool:
    body = json.loads(response.content)
    return (response["Content-Type"].startswith("application/json")
            and isinstance(body.get("code"), str) and isinstance(body.get("message"), str))


def ids(world) -> dict[str, int]:
    return {"task": world.task_a.pk, "assignment": world.assignment(world.task_a).pk}


# (method, URL, JSON body); {n} is the bad number. A path's negative number matches no route: 404.
# fmt: off
BOUNDED = [
    ("get", "/api/tasks/{n}", None),
    ("get", "/api/plans/{n}", None),
    ("put", "/api/tasks/{n}/assignment", {"lead_unit": "基础教育科"}),
    ("post", "/api/assignments/{n}/reports", {"period": "2025-06", "percent": 10, "narrative": "x"}),
    ("get", "/api/tasks?plan={n}", None),
    ("get", "/api/tasks?unit={n}", None),
    ("get", "/api/tasks?section={n}", None),
    ("get", "/api/tasks?offset={n}", None),
    ("get", "/api/tasks?limit={n}", None),
    ("put", "/api/tasks/{task}/assignment", {"lead_unit": "{n}"}),
    ("put", "/api/tasks/{task}/assignment", {"lead_unit": "基础教育科", "partner_units": ["{n}"]}),
    ("put", "/api/tasks/{task}/assignment", {"lead_unit": "基础教育科", "measure": "{n}"}),
    ("post", "/api/assignments/{assignment}/reports",
     {"period": "2025-06", "percent": 10, "narrative": "x", "actuals": {"{n}": 1}}),
]
# fmt: on


def fill(value, n: int, known: dict[str, int]):
    """The row's template with the bad number (as a JSON number where it stands alone) and real ids."""
    if isinstance(value, str):
        if value == "{n}":
            return n
        return value.format(n=n, **known)
    if isinstance(value, list):
        return [fill(v, n, known) for v in value]
    if isinstance(value, dict):
        return {fill(k, n, known) if k != "{n}" else str(n): fill(v, n, known) for k, v in value.items()}
    return value


@pytest.mark.parametrize("n", BAD_NUMBERS)
@pytest.mark.parametrize(("method", "url", "body"), BOUNDED, ids=[f"{m} {u} {b or ''}" for m, u, b in BOUNDED])
def test_a_number_out_of_range_is_a_json_422_not_a_500(world, api, method, url, body, n):
    before = (Assignment.objects.count(), ProgressReport.objects.count())
    client = api("admin")
    known = ids(world)
    kwargs = {"data": fill(body, n, known), "content_type": "application/json"} if body is not None else {}
    response = getattr(client, method)(fill(url, n, known), **kwargs)
    in_path = url.startswith(("/api/tasks/{n}", "/api/plans/{n}", "/api/assignments/{n}"))
    expected = 404 if in_path and n < 0 else 422
    assert (response.status_code, response.json()["code"]) == (expected, "E450" if expected == 404 else "E506")
    assert is_error(response)
    assert (Assignment.objects.count(), ProgressReport.objects.count()) == before


@pytest.mark.parametrize("name", [str(2**63), str(10**30), "²", "0"])
def test_a_unit_named_by_a_huge_or_odd_number_is_unknown(world, api, name):
    response = api("admin").put(f"/api/tasks/{world.task_a.pk}/assignment", {"lead_unit": name},
                                content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (400, "E405")


def crash(*args, **kwargs):
    raise RuntimeError("a bug")


# (persona, method, URL, body, status, code); persona None: no credentials
# fmt: off
ERRORS = [
    ("admin", "get", "/api/nowhere", None, 404, "E450"),
    ("admin", "post", "/api/nowhere/deeper", {}, 404, "E450"),
    ("admin", "get", "/api/tasks/-5", None, 404, "E450"),
    ("admin", "get", "/api/tasks/999999", None, 404, "E505"),
    ("admin", "delete", "/api/tasks", None, 405, "E451"),
    ("admin", "patch", "/api/tasks/{task}", {}, 405, "E451"),
    (None, "get", "/api/tasks", None, 401, "E501"),
    ("leader", "put", "/api/tasks/{task}/assignment", {"lead_unit": "基础教育科"}, 403, "E504"),
    ("admin", "post", "/api/assignments/{assignment}/reports", "{oops", 400, "E506"),
    ("admin", "get", "/api/tasks?limit=0", None, 422, "E506"),
    ("admin", "get", "/api/dashboard", None, 500, "E452"),
]
# fmt: on


@pytest.mark.parametrize(("persona", "method", "url", "body", "status", "code"), ERRORS,
                         ids=[f"{s}-{m} {u}" for _, m, u, _, s, _ in ERRORS])
def test_every_api_error_is_json_with_its_code(world, api, anonymous, monkeypatch, persona, method, url, body,
                                               status, code):
    monkeypatch.setattr("eduplan.api.endpoints.dashboard.dashboard_for", crash)  # the 500 row's bug
    client = api(persona) if persona else anonymous
    kwargs = {"data": body, "content_type": "application/json"} if body is not None else {}
    response = getattr(client, method)(url.format(**ids(world)), **kwargs)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert is_error(response)


# Django's own error pages (errors outside any endpoint): JSON under /api/, Django's page elsewhere.
# fmt: off
HANDLERS = [
    (failures.handler400, 400, "E453"), (failures.handler403, 403, "E504"),
    (failures.handler404, 404, "E450"), (failures.handler500, 500, "E452"),
]
# fmt: on


@pytest.mark.parametrize(("handler", "status", "code"), HANDLERS, ids=[h.__name__ for h, _, _ in HANDLERS])
def test_djangos_error_views_answer_json_under_api_only(db, handler, status, code):
    factory = RequestFactory()
    args = () if handler is failures.handler500 else (Exception("x"),)
    api_response = handler(factory.get("/api/anything"), *args)
    assert (api_response.status_code, api_response["Content-Type"]) == (status, "application/json")
    assert is_error(api_response) and json.loads(api_response.content)["code"] == code
    page = handler(factory.get("/tasks/"), *args)
    assert page.status_code == status and not page["Content-Type"].startswith("application/json")


def test_a_body_over_djangos_limit_is_a_json_400(world, api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"period": "2025-06", "percent": 10, "narrative": "长" * 2000}
    response = api("school_a").post(f"/api/assignments/{world.assignment(world.task_a).pk}/reports", body,
                                    content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (400, "E453")
    assert is_error(response) and not ProgressReport.objects.exists()
