"""The bulletin's figures: counts as the dashboard's for the current period, the state at the end
of an earlier period, the lagging list with lead units and reasons, and targets behind."""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.errors import EduplanError
from eduplan.reports.bulletin.facts import bulletin_facts, percent_shares
from eduplan.tracking.models import Task
from eduplan.tracking.status import Light, Status, shortfall
from tests.world import TODAY

S = Status


def facts_for(world, period=None, **kwargs):
    return bulletin_facts(Task.objects.filter(plan=world.plan), today=TODAY, period=period, **kwargs)


@pytest.mark.parametrize(("period", "as_of", "counts", "due", "filed"), [
    # period → the day it is judged on, counts (done, on track, lagging, overdue, not started), reports due/filed
    ("2025-06", date(2025, 6, 30), (1, 1, 1, 0, 25), 3, 3),
    (None, date(2025, 6, 30), (1, 1, 1, 0, 25), 3, 3),  # default: the clock's month
    ("2025-05", date(2025, 5, 31), (0, 1, 0, 0, 27), 3, 1),  # only task_a had reported by May
    ("2025-03", date(2025, 3, 31), (0, 0, 0, 0, 28), 3, 0),
])
def test_the_state_at_the_end_of_each_period(reported, period, as_of, counts, due, filed):
    facts = facts_for(reported, period)
    assert facts.as_of == as_of
    assert tuple(facts.by_status[s] for s in (S.DONE, S.ON_TRACK, S.LAGGING, S.OVERDUE, S.NOT_STARTED)) == counts
    assert facts.total == 28 == sum(facts.by_status.values()) == sum(facts.by_light.values())
    assert (facts.due_reports, facts.reported) == (due, filed)
    assert (facts.assignments, facts.lead_units, facts.unassigned, facts.not_started_unassigned) == (3, 3, 25, 25)


def test_the_current_period_matches_the_dashboard(reported, as_user):
    data = as_user("admin").get(f"/?format=json&plan={reported.plan.pk}").json()
    facts = facts_for(reported)
    assert {s.value: n for s, n in facts.by_status.items()} == data["by_status"]
    assert {light.value: n for light, n in facts.by_light.items()} == data["by_light"]
    # The dashboard lists 未分派 as a group; the bulletin counts those tasks apart, not as a unit.
    assert [(d.name, d.total, d.done) for d in facts.departments] == \
        [(g["name"], g["total"], g["done"]) for g in data["by_department"] if g["name"] != "未分派"]
    assert facts.unassigned == next(g["total"] for g in data["by_department"] if g["name"] == "未分派")


def test_shares_have_one_decimal_and_can_be_made_to_add_up_to_100(reported):
    plain = facts_for(reported)
    assert [plain.shares[s] for s in (S.DONE, S.ON_TRACK, S.LAGGING, S.OVERDUE, S.NOT_STARTED)] == \
        [3.6, 3.6, 3.6, 0.0, 89.3]  # 100.1 when each is rounded
    adjusted = facts_for(reported, sum_to_100=True)
    assert adjusted.shares[S.NOT_STARTED] == 89.2
    assert round(sum(adjusted.shares.values()), 1) == 100.0


@pytest.mark.parametrize(("counts", "total", "sum_to_100", "expected"), [
    ([17, 10, 24, 9, 162], 222, True, [7.7, 4.5, 10.8, 4.1, 72.9]),  # 金寨县 2025, as printed
    ([17, 10, 24, 9, 162], 222, False, [7.7, 4.5, 10.8, 4.1, 73.0]),
    ([1, 1, 1], 3, True, [33.4, 33.3, 33.3]),
    ([1, 1, 1], 3, False, [33.3, 33.3, 33.3]),
    ([1, 7], 8, False, [12.5, 87.5]),  # halves round up
    ([0, 0], 0, True, [0.0, 0.0]),
])
def test_percent_shares(counts, total, sum_to_100, expected):
    assert percent_shares(counts, total, sum_to_100=sum_to_100) == expected


def test_lagging_tasks_come_with_lead_units_and_reasons(reported):
    facts = facts_for(reported)
    assert len(facts.flagged) == 1
    task = facts.flagged[0]
    assert (task.heading, task.lead_units, task.status, task.percent, task.expected) == \
        ("9. 加强美育和劳动教育", ("青禾区滨江小学",), S.LAGGING, 10, 49)
    assert task.deadline == date(2025, 12, 31)
    assert "落后序时进度 39 个百分点" in task.reasons
    assert facts.flagged_units() == [("青禾区滨江小学", 1)]


def test_overdue_tasks_come_first(reported):
    assignment = reported.assignment(reported.task_a)
    assignment.deadline = date(2025, 5, 31)
    assignment.save(update_fields=["deadline"])
    facts = facts_for(reported)
    assert [(t.heading, t.status) for t in facts.flagged] == [
        ("7. 加强学校体育工作", S.OVERDUE), ("9. 加强美育和劳动教育", S.LAGGING)]
    assert facts.flagged[0].reasons[0] == "已超过完成时限 2025-05-31 30 天"
    assert facts.by_light[Light.RED] >= 2


def test_targets_met_missed_and_not_reported(reported):
    facts = facts_for(reported)
    assert (facts.targets_total, facts.targets_met, facts.targets_missed, facts.targets_unreported) == (36, 1, 1, 34)
    gap = facts.target_gaps[0]
    assert gap.metric.startswith("全区中小学生国家学生体质健康标准测试合格率")
    assert (gap.goal, gap.actual_text, gap.gap_text, gap.period) == ("≥96%", "94%", "2个百分点", "2025-06")
    before = facts_for(reported, "2025-05")  # the actuals came with the June report
    assert (before.targets_met, before.targets_missed, before.targets_unreported) == (0, 0, 36)


@pytest.mark.parametrize(("comparator", "value", "actual", "high", "expected"), [
    (">=", 96, 94, None, 2), ("<=", 45, 48, None, 3), ("=", 1200, 900, None, 300), (">=", 96, 97, None, 0),
    ("range", 1, 3, 2, 1), ("range", 1, 0.5, 2, 0.5), ("range", 1, 1.5, 2, 0),
])
def test_shortfall_in_the_targets_unit(comparator, value, actual, high, expected):
    assert shortfall(actual, comparator, value, high, better="higher" if comparator == "=" else "") == expected


def test_no_tasks_no_bulletin(db):
    with pytest.raises(EduplanError) as error:
        bulletin_facts(Task.objects.none(), today=TODAY)
    assert error.value.code == "E633"


@pytest.mark.parametrize(("period", "code"), [("2025-6", "E409"), ("2025-13", "E409"), ("2025-07", "E634")])
def test_a_malformed_or_future_period_is_refused(reported, period, code):
    with pytest.raises(EduplanError) as error:
        facts_for(reported, period)
    assert error.value.code == code
