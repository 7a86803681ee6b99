"""The OpenAPI description, and the guarantee that nothing in it answers without credentials."""

import re

import pytest
from django.test import Client

PUBLIC = {("/api/login", "post")}
EXPECTED = {
    ("/api/login", "post"), ("/api/logout", "post"), ("/api/me", "get"), ("/api/units", "get"),
    ("/api/plans", "get"), ("/api/plans/{plan_id}", "get"), ("/api/plans/import", "post"),
    ("/api/tasks", "get"), ("/api/tasks/{task_id}", "get"), ("/api/tasks/{task_id}/assignment", "put"),
    ("/api/assignments/{assignment_id}/reports", "post"), ("/api/dashboard", "get"), ("/api/trends", "get"),
}
METHODS = {"get", "post", "put", "patch", "delete"}


def operations() -> set[tuple[str, str]]:
    document = Client().get("/api/openapi.json").json()
    return {(path, method) for path, item in document["paths"].items() for method in item if method in METHODS}


def test_the_openapi_document_is_json_and_lists_every_endpoint(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "eduplan API"
    assert operations() >= EXPECTED


def test_no_docs_page_is_served_since_it_would_load_from_a_cdn(db):
    assert Client().get("/api/docs").status_code == 404


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic eDp5"}],
                         ids=["nothing", "unknown token", "other scheme"])
def test_every_operation_but_login_answers_401_without_credentials(world, headers):
    client = Client(enforce_csrf_checks=True, headers=headers)  # no session: 401, not a CSRF 403
    answers = {}
    for path, method in operations() - PUBLIC:
        response = getattr(client, method)(re.sub(r"\{\w+\}", str(world.task_a.pk), path))
        answers[method.upper(), path] = (response.status_code, response.json().get("code"))
    assert answers == dict.fromkeys(answers, (401, "E501"))
