"""The one period type: keys, labels, calendar, order."""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.periods import Period, PeriodKind

# fmt: off
# (key, kind, label, first day, last day)
PERIODS = [
    ("2025",    PeriodKind.YEAR,     "2025年",         date(2025, 1, 1), date(2025, 12, 31)),
    ("2025S1",  PeriodKind.SEMESTER, "2025年春季学期", date(2025, 1, 1), date(2025, 6, 30)),
    ("2025S2",  PeriodKind.SEMESTER, "2025年秋季学期", date(2025, 7, 1), date(2025, 12, 31)),
    ("2025Q3",  PeriodKind.QUARTER,  "2025年第三季度", date(2025, 7, 1), date(2025, 9, 30)),
    ("2024-02", PeriodKind.MONTH,    "2024年2月",      date(2024, 2, 1), date(2024, 2, 29)),
    ("2025-12", PeriodKind.MONTH,    "2025年12月",     date(2025, 12, 1), date(2025, 12, 31)),
]
# fmt: on


@pytest.mark.parametrize(("key", "kind", "label", "start", "end"), PERIODS, ids=[p[0] for p in PERIODS])
def test_a_period_key(key, kind, label, start, end):
    period = Period.parse(key)
    assert (period.kind, period.label, period.start, period.end, period.key) == (kind, label, start, end, key)


@pytest.mark.parametrize("key", ["2025-13", "2025-6", "2025S3", "2025Q0", "25", "2025H1", "", "二〇二五"])
def test_not_a_period(key):
    with pytest.raises(ValueError):
        Period.parse(key)
    assert not Period.is_key(key)


@pytest.mark.parametrize(("key", "following", "before", "a_year_ago"), [
    ("2025-12", "2026-01", "2025-11", "2024-12"), ("2025S1", "2025S2", "2024S2", "2024S1"),
    ("2025Q1", "2025Q2", "2024Q4", "2024Q1"), ("2025", "2026", "2024", "2024"),
])
def test_neighbours(key, following, before, a_year_ago):
    period = Period.parse(key)
    assert (period.next().key, period.previous().key, period.same_time_last_year().key) == (following, before, a_year_ago)


def test_nesting_order_and_spans():
    assert Period.parse("2025-05").within(Period.parse("2025Q2"))
    assert Period.parse("2025Q2").within(Period.parse("2025S1"))
    assert not Period.parse("2025Q3").within(Period.parse("2025S1"))
    keys = ["2025-01", "2025Q1", "2024", "2025", "2025S1"]
    assert sorted(keys, key=lambda k: Period.parse(k).sort_key) == ["2024", "2025", "2025S1", "2025Q1", "2025-01"]
    assert [p.key for p in Period.span(Period.parse("2025-11"), Period.parse("2026-02"))] == [
        "2025-11", "2025-12", "2026-01", "2026-02"]
    assert Period.of("quarter", date(2025, 8, 15)).key == "2025Q3"


@pytest.mark.parametrize("key", ["0001", "1899", "3000"])
def test_a_year_outside_the_calendar_is_no_key_either(key):
    assert not Period.is_key(key)
