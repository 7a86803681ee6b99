"""Today's date: EDUPLAN_TODAY, else the clock file kept beside the database, else the real
local date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from eduplan.tracking import clock

REAL = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)  # 2026-12-04 in Beijing

# EDUPLAN_TODAY, what the clock file holds (None: no file), today; the database is "sqlite:1:2"
CASES = [
    ("", None, date(2026, 12, 4)),
    ("", "2025-09-30\nsqlite:1:2\n", date(2025, 9, 30)),
    ("2025-06-30", "2025-09-30\nsqlite:1:2\n", date(2025, 6, 30)),
    ("2025-06-30", None, date(2025, 6, 30)),
    ("", "not a date", date(2026, 12, 4)),
    # a file written for another database at this path (the demo's, deleted or restored over)
    ("", "2025-09-30\nsqlite:1:3\n", date(2026, 12, 4)),
    ("", "2025-09-30\n", date(2026, 12, 4)),
]


@pytest.mark.parametrize(("setting", "content", "expected"), CASES)
def test_today(settings, tmp_path, monkeypatch, setting, content, expected):
    settings.EDUPLAN_TODAY = setting
    monkeypatch.setattr(timezone, "now", lambda: REAL)
    path = tmp_path / "eduplan.sqlite3.today"
    monkeypatch.setattr(clock, "clock_file", lambda: path)
    monkeypatch.setattr(clock, "database_identity", lambda: "sqlite:1:2")
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert clock.today() == expected


def test_fixing_the_database_date_is_read_back(settings, tmp_path, monkeypatch):
    settings.EDUPLAN_TODAY = ""
    path = tmp_path / "demo.sqlite3.today"
    monkeypatch.setattr(clock, "clock_file", lambda: path)
    monkeypatch.setattr(clock, "database_identity", lambda: "sqlite:1:2")
    assert clock.fix_database_today(date(2025, 9, 30)) == path
    assert clock.today() == date(2025, 9, 30)


def test_a_test_database_in_memory_has_no_clock_file(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps the clock file in the data folder")
    assert clock.clock_file() is None
