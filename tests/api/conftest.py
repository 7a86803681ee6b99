"""API clients for the test world's personas: ``api("school_a").get("/api/tasks")``."""

from __future__ import annotations

import pytest
from django.test import Client

from eduplan.api.models import ApiToken


@pytest.fixture
def api(world):
    """A test client sending ``Authorization: Bearer`` with a fresh token of that persona."""

    def client_for(persona: str) -> Client:
        token = ApiToken.issue(world.users[persona])
        return Client(headers={"Authorization": f"Bearer {token}"})

    return client_for


@pytest.fixture
def anonymous(db) -> Client:
    return Client()
