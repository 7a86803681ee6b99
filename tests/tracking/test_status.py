"""Status and warning light with a fixed clock: one row per case."""

from datetime import date

import pytest

from eduplan.tracking.status import (
    Light,
    Progress,
    Status,
    TargetCheck,
    Thresholds,
    achieved,
    better_of_metric,
    expected_percent,
    judge,
    meets,
    worst,
)

YEAR = (date(2025, 1, 1), date(2025, 12, 31))
JUNE_30 = date(2025, 6, 30)  # 181 of 365 days: 序时进度 49%

# fmt: off
CASES = [
    # id, progress, today, status, light
    ("nothing reported early in the year",  Progress(*YEAR), date(2025, 1, 20), Status.NOT_STARTED, Light.GREEN),
    ("nothing reported at mid-year",        Progress(*YEAR), JUNE_30, Status.NOT_STARTED, Light.RED),
    ("nothing reported, 15 points behind",  Progress(*YEAR), date(2025, 2, 24), Status.NOT_STARTED, Light.YELLOW),
    ("on time at mid-year",                 Progress(*YEAR, percent=50, reported=True), JUNE_30, Status.ON_TRACK, Light.GREEN),
    ("ahead of time",                       Progress(*YEAR, percent=90, reported=True), JUNE_30, Status.ON_TRACK, Light.GREEN),
    ("9 points behind is still on track",   Progress(*YEAR, percent=40, reported=True), JUNE_30, Status.ON_TRACK, Light.GREEN),
    ("10 points behind is lagging",         Progress(*YEAR, percent=39, reported=True), JUNE_30, Status.LAGGING, Light.YELLOW),
    ("30 points behind is red",             Progress(*YEAR, percent=19, reported=True), JUNE_30, Status.LAGGING, Light.RED),
    ("reported 0% is lagging, not unstarted", Progress(*YEAR, percent=0, reported=True), JUNE_30, Status.LAGGING, Light.RED),
    ("done early",                          Progress(*YEAR, percent=100, reported=True), JUNE_30, Status.DONE, Light.GREEN),
    ("done by state at 80%",                Progress(*YEAR, percent=80, reported=True, done=True), JUNE_30, Status.DONE, Light.GREEN),
    ("past the deadline",                   Progress(*YEAR, percent=95, reported=True), date(2026, 1, 1), Status.OVERDUE, Light.RED),
    ("done after the deadline is done",     Progress(*YEAR, percent=100, reported=True), date(2026, 3, 1), Status.DONE, Light.GREEN),
    ("on the deadline day, not overdue",    Progress(*YEAR, percent=100, reported=True), date(2025, 12, 31), Status.DONE, Light.GREEN),
    ("due soon while on track",             Progress(*YEAR, percent=95, reported=True), date(2025, 12, 20), Status.ON_TRACK, Light.YELLOW),
    ("before the start",                    Progress(date(2025, 7, 1), date(2025, 12, 31)), JUNE_30, Status.NOT_STARTED, Light.GREEN),
    ("target missed on a done task",        Progress(*YEAR, percent=100, reported=True,
                                                     targets=(TargetCheck("合格率", ">=", 95, 93),)), JUNE_30, Status.LAGGING, Light.YELLOW),
    ("target met on a done task",           Progress(*YEAR, percent=100, reported=True,
                                                     targets=(TargetCheck("合格率", ">=", 95, 96),)), JUNE_30, Status.DONE, Light.GREEN),
    ("target missed on a green task",       Progress(*YEAR, percent=60, reported=True,
                                                     targets=(TargetCheck("近视率", "<=", 50, 52),)), JUNE_30, Status.ON_TRACK, Light.YELLOW),
    ("target missed and overdue",           Progress(*YEAR, percent=100, reported=True,
                                                     targets=(TargetCheck("学位", "=", 1530, 1200),)), date(2026, 1, 5), Status.OVERDUE, Light.RED),
    ("target without an actual is ignored", Progress(*YEAR, percent=100, reported=True,
                                                     targets=(TargetCheck("学位", "=", 1530, None),)), JUNE_30, Status.DONE, Light.GREEN),
]
# fmt: on


@pytest.mark.parametrize(("progress", "today", "status", "light"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_judge(progress, today, status, light):
    verdict = judge(progress, today)
    assert (verdict.status, verdict.light) == (status, light), verdict.reasons


def test_thresholds_are_the_bureaus_own():
    progress = Progress(*YEAR, percent=39, reported=True)
    assert judge(progress, JUNE_30, Thresholds(yellow_gap=20, red_gap=40)).status == Status.ON_TRACK
    assert judge(progress, JUNE_30, Thresholds(yellow_gap=5, red_gap=8)).light == Light.RED


@pytest.mark.parametrize(("today", "expected"), [
    (date(2024, 12, 31), 0), (date(2025, 1, 1), 0), (JUNE_30, 49), (date(2025, 12, 31), 100), (date(2026, 6, 1), 100),
])
def test_expected_percent_is_the_elapsed_share(today, expected):
    assert expected_percent(*YEAR, today) == expected


# fmt: off
# Judging a target: (case, actual, comparator, value, high, direction, baseline, better, result)
JUDGING = [
    ("at least, reached",                       95,   ">=", 95,   None, "level", None, "", True),
    ("at least, just short",                    94.9, ">=", 95,   None, "level", None, "", False),
    ("at most, on the line",                    5,    "<=", 5,    None, "level", None, "", True),
    ("below, equal is not below",               6,    "<",  6,    None, "level", None, "", False),
    ("a range, inside",                         50,   "range", 40, 60,  "level", None, "", True),
    ("a range, above with no direction",        61,   "range", 40, 60,  "level", None, "", False),
    ("a range, above when higher is better",    61,   "range", 40, 60,  "level", None, "higher", True),
    ("build N, more built is met",              1600, "=",  1530, None, "level", None, "higher", True),
    ("build N, fewer built is missed",          1500, "=",  1530, None, "level", None, "higher", False),
    ("= with no direction is not 'at least'",   1600, "=",  1530, None, "level", None, "", False),
    ("= with no direction, equal as printed",   40.04, "=", 40,   None, "level", None, "", True),
    ("= for lower-is-better: above is missed",  52,   "=",  50,   None, "level", None, "lower", False),
    ("= for lower-is-better: below is met",     48,   "=",  50,   None, "level", None, "lower", True),
    ("about: within 5% either way",             38.5, "~",  40,   None, "level", None, "", True),
    ("about: 10% off is missed",                44,   "~",  40,   None, "level", None, "", False),
    ("about, higher is better: 3% short is met", 38.8, "~", 40,   None, "level", None, "higher", True),
    ("raise by 5 points from 90: 95.5 is met",  95.5, "=",  5,    None, "increase_by", 90, "", True),
    ("raise by 5 points from 90: 94 is missed", 94,   "=",  5,    None, "increase_by", 90, "", False),
    ("drop 0.5 points from 52: 51.4 is met",    51.4, "=",  0.5,  None, "decrease_by", 52, "lower", True),
    ("drop 0.5 points from 52: 51.8 is missed", 51.8, "=",  0.5,  None, "decrease_by", 52, "lower", False),
    ("drop 0.5-1 points: 0.6 is met",           51.4, "range", 0.5, 1,  "decrease_by", 52, "", True),
    ("drop 0.5-1 points: a rise is missed",     52.3, "range", 0.5, 1,  "decrease_by", 52, "", False),
    ("a change without a baseline: not judged", 51.4, "=",  0.5,  None, "decrease_by", None, "", None),
]
# fmt: on


@pytest.mark.parametrize(("actual", "comparator", "value", "high", "direction", "baseline", "better", "result"),
                         [c[1:] for c in JUDGING], ids=[c[0] for c in JUDGING])
def test_judging_a_target(actual, comparator, value, high, direction, baseline, better, result):
    assert achieved(actual, comparator, value, high, direction=direction, baseline=baseline, better=better) is result
    assert meets(actual, comparator, value, high, direction=direction, baseline=baseline, better=better) is (
        result is True)


@pytest.mark.parametrize(("metric", "better"), [
    ("小学生近视率", "lower"), ("56人以上大班额", "lower"), ("学生体质健康测试合格率", "higher"),
    ("新增学前教育学位", "higher"), ("区级体育竞赛", ""),
])
def test_which_way_is_better_for_a_metric(metric, better):
    assert better_of_metric(metric) == better


def test_a_missed_change_says_what_changed():
    check = TargetCheck("近视率", "=", 0.5, 51.8, direction="decrease_by", baseline=52)
    verdict = judge(Progress(*YEAR, percent=100, reported=True, done=True, targets=(check,)), JUNE_30)
    assert verdict.status == Status.LAGGING
    assert "较基线 52 下降 0.2，目标下降 0.5" in verdict.reasons[1]


def test_reasons_say_why_in_chinese():
    verdict = judge(Progress(*YEAR, percent=19, reported=True), JUNE_30)
    assert verdict.reasons == ("序时进度 49%，实际进度 19%", "落后序时进度 30 个百分点")
    overdue = judge(Progress(*YEAR, percent=50, reported=True), date(2026, 1, 3))
    assert overdue.reasons[0] == "已超过完成时限 2025-12-31 3 天"


def test_a_split_task_shows_its_worst_part():
    done = judge(Progress(*YEAR, percent=100, reported=True), JUNE_30)
    lagging = judge(Progress(*YEAR, percent=30, reported=True), JUNE_30)
    assert worst([done, lagging]) is lagging
    assert worst([done, done]).status == Status.DONE
    assert worst([]) is None


def test_a_missed_milestone_turns_green_into_yellow():
    progress = Progress(*YEAR, percent=55, reported=True, missed_milestones=("2025-05-31 方案印发",))
    verdict = judge(progress, JUNE_30)
    assert (verdict.status, verdict.light) == (Status.ON_TRACK, Light.YELLOW)
    assert verdict.reasons[-1] == "时间节点已过未完成：2025-05-31 方案印发"
