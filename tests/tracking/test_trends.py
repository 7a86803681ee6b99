"""Status month by month, over a hand-built plan with known dates (the clock at 2025-06-30).

The plan's tasks:
  march    基础教育科, 1 Jan – 31 Mar, reported 50% for February
  april    体卫艺科, the year, reported 30% for February and done for April
  july     青禾区实验小学, 1 Jul – 31 Dec: not begun by the end of June
  nobody   unassigned: judged over the plan's year
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eduplan.dashboard.summary import dashboard_for
from eduplan.tracking.assigning import assign_task
from eduplan.tracking.models import Plan, Task
from eduplan.tracking.progress import submit_report
from eduplan.tracking.status import Light, Status
from eduplan.tracking.trends import month_range, state_trends
from tests.world import TODAY

S, L = Status, Light


@pytest.fixture
def plan(world) -> Plan:
    admin = world.users["admin"]
    plan = Plan.objects.create(bureau=world.bureau, title="手工计划", kind=Plan.Kind.ANNUAL, period_start=2025,
                               period_end=2025, source_name="hand.txt", source_text="")
    tasks = {key: Task.objects.create(plan=plan, title=title, order=order)
             for order, (key, title) in enumerate([("march", "三月底前完成的任务"), ("april", "四月报告完成的任务"),
                                                   ("july", "下半年开始的任务"), ("nobody", "尚未分派的任务")])}

    def assign(key: str, unit: str, start: date, deadline: date):
        return assign_task(tasks[key], user=admin, lead_unit=world.unit(unit), start_date=start, deadline=deadline,
                           today=TODAY)

    def report(assignment, period: str, percent: int, state: str = "in_progress") -> None:
        submit_report(assignment, user=admin, period=period, percent=percent, state=state, narrative="进展")

    march = assign("march", "基础教育科", date(2025, 1, 1), date(2025, 3, 31))
    report(march, "2025-02", 50)
    april = assign("april", "体卫艺科", date(2025, 1, 1), date(2025, 12, 31))
    report(april, "2025-02", 30)
    report(april, "2025-04", 100, "done")
    assign("july", "青禾区实验小学", date(2025, 7, 1), date(2025, 12, 31))
    plan.hand_tasks = tasks
    return plan


# fmt: off
MONTHS = [
    # task, month, status, light — why
    ("march",  "2025-01", S.NOT_STARTED, L.RED),     # the February report does not count in January; 34% elapsed
    ("march",  "2025-02", S.LAGGING,     L.YELLOW),  # 50% reported, 65% elapsed
    ("march",  "2025-03", S.LAGGING,     L.RED),     # the deadline day itself: not yet overdue, 100% expected
    ("march",  "2025-04", S.OVERDUE,     L.RED),     # deadline passed in that month
    ("march",  "2025-06", S.OVERDUE,     L.RED),
    ("april",  "2025-01", S.NOT_STARTED, L.GREEN),   # 8% elapsed, within the yellow gap
    ("april",  "2025-03", S.ON_TRACK,    L.GREEN),   # February's 30% still holds in March
    ("april",  "2025-04", S.DONE,        L.GREEN),
    ("april",  "2025-06", S.DONE,        L.GREEN),
    ("july",   "2025-06", S.NOT_STARTED, L.GREEN),   # before its start
    ("nobody", "2025-02", S.NOT_STARTED, L.YELLOW),  # the plan's year: 16% elapsed
    ("nobody", "2025-04", S.NOT_STARTED, L.RED),     # 33% elapsed
]
# fmt: on


@pytest.mark.parametrize(("key", "month", "status", "light"), MONTHS, ids=[f"{m[0]}-{m[1]}" for m in MONTHS])
def test_a_task_as_of_each_month_end(plan, key, month, status, light):
    trends = state_trends(Task.objects.filter(pk=plan.hand_tasks[key].pk), TODAY)
    tally = trends.overall[trends.months.index(month)]
    assert (tally.total, tally.count(status), tally.lights[light]) == (1, 1, 1), tally


def test_the_months_run_from_the_plans_first_month_to_today(plan):
    trends = state_trends(plan.tasks.all(), TODAY)
    assert trends.months == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    assert trends.as_of[0] == date(2025, 1, 31) and trends.as_of[-1] == TODAY


def test_the_current_month_is_the_dashboards_picture(world, plan):
    for tasks in (plan.tasks.all(), world.plan.tasks.all()):
        trends, summary = state_trends(tasks, TODAY), dashboard_for(tasks, TODAY)
        last = trends.overall[-1]
        assert {s: last.count(s) for s in Status} == {s: summary.by_status.get(s, 0) for s in Status}
        assert {x: last.lights.get(x, 0) for x in Light} == {x: summary.by_light.get(x, 0) for x in Light}


def test_each_lead_unit_gets_its_own_row_departments_first(plan):
    trends = state_trends(plan.tasks.all(), TODAY)
    assert [u.name for u in trends.units] == ["基础教育科", "体卫艺科", "青禾区实验小学", "未分派"]
    jijiao = trends.units[0].months
    assert [t.count(Status.OVERDUE) for t in jijiao] == [0, 0, 0, 1, 1, 1]
    assert [t.red for t in jijiao] == [1, 0, 1, 1, 1, 1]
    assert [t.flagged for t in trends.units[1].months] == [0] * 6


def test_a_unit_narrows_to_what_it_leads_or_partners_in(world, plan):
    trends = state_trends(plan.tasks.all(), TODAY, unit=world.unit("体卫艺科"))
    assert [t.total for t in trends.overall] == [1] * 6
    assert trends.overall[-1].count(Status.DONE) == 1


def test_reports_are_read_once_whatever_the_months(world):
    tasks = world.plan.tasks.all()
    with CaptureQueriesContext(connection) as six_months:
        state_trends(tasks, TODAY)
    with CaptureQueriesContext(connection) as twelve_months:
        state_trends(tasks, date(2025, 12, 31))
    # Only the per-month target actuals may grow with the months, one query each at most.
    assert len(twelve_months) - len(six_months) <= 6
    assert len(six_months) <= 20


def test_a_long_plan_shows_the_latest_months():
    assert month_range(date(2021, 1, 1), date(2025, 6, 30))[-1] == "2025-06"
    assert len(month_range(date(2021, 1, 1), date(2025, 6, 30))) == 24
    assert month_range(date(2025, 11, 5), date(2026, 2, 1)) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert month_range(date(2025, 7, 1), date(2025, 6, 30)) == []


def test_the_json_twin_has_the_same_figures(world, plan):
    data = state_trends(plan.tasks.all(), TODAY).to_dict()
    april = next(m for m in data["months"] if m["period"] == "2025-04")
    assert april["by_status"]["overdue"] == 1 and april["by_status"]["done"] == 1
    assert data["units"][-1]["unit_id"] is None


@pytest.mark.parametrize("month", ["2025-02", "2025-04", "2025-06"])
def test_a_past_month_agrees_with_the_bulletin_of_that_month(world, plan, month):
    from eduplan.reports.bulletin.facts import bulletin_facts

    tasks = plan.tasks.all()
    trends = state_trends(tasks, TODAY)
    facts = bulletin_facts(tasks, today=TODAY, period=month)
    tally = trends.overall[trends.months.index(month)]
    assert {s: tally.count(s) for s in Status} == {s: facts.by_status.get(s, 0) for s in Status}
    assert tally.red == facts.by_light[Light.RED]
