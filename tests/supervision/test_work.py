"""The shared reading of assigned work: a task's assignment and a rectification alike."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from eduplan.supervision.work import days_overdue, is_stale, verdict
from eduplan.tracking.status import Light, Status

from .conftest import photo


def test_one_rule_judges_tasks_and_rectifications(world, finding):
    today = date(2025, 6, 30)
    assignment = world.assignment(world.task_a)
    rect = finding.rectification
    assert verdict(assignment, today).status == Status.NOT_STARTED  # a year-long task at mid-year
    judged = verdict(rect, today)
    assert (judged.status, judged.light) == (Status.OVERDUE, Light.RED)
    assert judged.reasons[0] == "已超过完成时限 2025-06-20 10 天"
    assert (days_overdue(assignment, today), days_overdue(rect, today)) == (0, 10)


@pytest.mark.parametrize(("last", "days", "stale"), [
    (date(2025, 6, 29), 30, False), (date(2025, 5, 31), 30, True), (date(2025, 5, 31), 31, False)])
def test_stale_means_no_report_for_n_days(world, finding, last, days, stale):
    rect = finding.rectification
    rect.start_date = date(2025, 5, 1)
    rect.latest_report_at = timezone.make_aware(datetime(last.year, last.month, last.day, 12))
    assert is_stale(rect, date(2025, 6, 30), days) is stale


def test_closed_work_is_neither_overdue_nor_stale(world, finding):
    from eduplan.supervision.services import report_rectification, review_rectification

    rect = finding.rectification
    report_rectification(rect, user=world.users["school_a"], narrative="已整改", done=True, files=[photo()])
    review_rectification(rect, user=world.users["admin"], approve=True)
    assert days_overdue(rect, date(2025, 12, 31)) == 0
    assert not is_stale(rect, date(2025, 12, 31), 1)
    assert verdict(rect, date(2025, 12, 31)).status == Status.DONE
