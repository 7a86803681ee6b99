"""The suite runs on the database the environment names (scripts/test.sh runs it on both)."""

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_suite_runs_on_the_named_database():
    expected = "postgresql" if os.environ.get("EDUPLAN_DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
