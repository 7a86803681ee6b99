"""The OpenAPI description says what the API checks: schemathesis generates requests from it
(as a bureau admin with a bearer token) and finds no 5xx and no answer outside its schema.

In-process, through Django's WSGI handler, in the test's transaction; a fixed number of
derandomized examples per operation, so every run sends the same requests.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from eduplan.api.models import ApiToken

# Logging in and out is the sign-in code's business: random passwords would lock the account,
# and a logout would revoke the token every later request sends.
NOT_FUZZED = ["/api/login", "/api/logout"]


@pytest.fixture(autouse=True)
def in_process(world):
    """Requests outside Django's test client: keep the test's connection (and transaction) open."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(world) -> str:
    return ApiToken.issue(world.users["admin"])


# The description needs no database: it is read once, when the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application()).exclude(path=NOT_FUZZED)


def errors_are_json(ctx, response, case) -> None:
    """Beyond the schema: every error, documented or not, is JSON with a code and a message."""
    if response.status_code < 400:
        return
    content_type = {name.lower(): values for name, values in response.headers.items()}.get("content-type", [""])
    assert content_type[0].startswith("application/json"), content_type
    body = response.json()
    assert isinstance(body.get("code"), str) and isinstance(body.get("message"), str), body


@schema.parametrize()
@settings(max_examples=25, derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_its_schema_says(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"},
                           checks=[not_a_server_error, response_schema_conformance, errors_are_json])
