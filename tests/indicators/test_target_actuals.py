"""A target's actual comes from one store: a bound indicator over the schools' data, or the
figures owners type (data values of the target's own element); judging uses it."""

from __future__ import annotations

import pytest

from eduplan.errors import EduplanError
from eduplan.indicators.binding import bind, expected_level, goal_of, suggest
from eduplan.indicators.models import DataElement, Indicator
from eduplan.indicators.values import NewValue, store_values
from eduplan.tracking.progress import ActualInput, submit_report
from eduplan.tracking.warnings import latest_actuals, target_check, task_states
from tests.world import TODAY


def pass_rate_target(world):
    return world.task_a.targets.get(metric__endswith="合格率")


def school_figures(world, tested_passed):
    elements = {e.code: e for e in DataElement.objects.filter(code__in=["fitness_tested", "fitness_passed"])}
    rows = []
    for name, (tested, passed) in tested_passed.items():
        unit = world.unit(name)
        rows += [NewValue(elements["fitness_tested"], unit, "2025", tested),
                 NewValue(elements["fitness_passed"], unit, "2025", passed)]
    store_values(rows, user=None, source="form")


def test_a_bound_target_takes_its_actual_from_the_schools_data(world):
    target = pass_rate_target(world)
    bind(target, Indicator.objects.get(code="fitness_pass_rate"), user=world.users["admin"])
    school_figures(world, {"青禾区实验小学": (400, 372), "青禾区滨江小学": (100, 98)})
    actual = latest_actuals([target])[target.pk]
    assert (actual.value, actual.period, actual.computed) == (pytest.approx(94.0), "2025", True)
    assert target_check(target, {target.pk: actual}).missed  # the plan asks for ≥ 95%


def test_a_typed_actual_is_a_data_value_of_the_targets_own_element(world):
    target = pass_rate_target(world)
    submit_report(world.assignment(world.task_a), user=world.users["school_a"], period="2025-06", percent=50,
                  state="in_progress", narrative="体测已完成", actuals=[ActualInput(target, "96")])
    target.refresh_from_db()
    value = target.actual_element.values.get()
    assert (value.unit, value.period, value.value, value.source) == (world.bureau, "2025-06", 96.0, "report")
    assert latest_actuals([target])[target.pk].computed is False


def test_a_bound_target_takes_no_typed_actual(world):
    target = pass_rate_target(world)
    bind(target, Indicator.objects.get(code="fitness_pass_rate"), user=world.users["admin"])
    with pytest.raises(EduplanError) as caught:
        submit_report(world.assignment(world.task_a), user=world.users["school_a"], period="2025-06", percent=50,
                      state="in_progress", narrative="体测已完成", actuals=[ActualInput(target, "96")])
    assert caught.value.code == "E716"


def test_the_task_state_follows_the_bound_figure(world):
    target = pass_rate_target(world)
    bind(target, Indicator.objects.get(code="fitness_pass_rate"), user=world.users["admin"])
    school_figures(world, {"青禾区实验小学": (100, 80)})
    reasons = task_states([world.task_a], TODAY)[0].verdict.reasons
    assert any("目标未达成" in r and "80" in r for r in reasons)
    school_figures(world, {"青禾区实验小学": (100, 99)})
    reasons = task_states([world.task_a], TODAY)[0].verdict.reasons
    assert not any("目标未达成" in r for r in reasons)


@pytest.mark.parametrize(("metric", "code"), [
    ("全区中小学生国家学生体质健康标准测试合格率", "fitness_pass_rate"),
    ("学生总体近视率", "myopia_rate"),
    ("普惠性幼儿园覆盖率", "kg_inclusive_coverage"),
    ("公办园在园幼儿占比", "kg_public_share"),
    ("新增学前教育学位", "new_places"),
    ("区级体育竞赛", None),
])
def test_a_binding_is_suggested_from_the_metric_text(db, metric, code):
    found = suggest(metric)
    assert (found.code if found else None) == code


@pytest.mark.parametrize(("direction", "value", "baseline", "year", "expected"), [
    ("level", 95, 85, 2023, 90.0),          # 2021 → 2025, halfway in 2023
    ("decrease_by", 5, 55, 2025, 50.0),     # a change lands on baseline − 5
    ("increase_by", 8, 80, 2020, 80.0),     # before the path starts: the baseline
    ("level", 95, None, 2023, None),        # no baseline, no path
])
def test_the_expected_path_from_baseline_to_target(direction, value, baseline, year, expected):
    class Target:
        pass

    target = Target()
    target.direction, target.value, target.baseline_value = direction, value, baseline
    target.baseline_year, target.year = 2021, 2025
    assert expected_level(goal_of(target), year) == expected


def test_a_change_on_last_year_is_judged_against_last_years_figure(world):
    # "总体近视率较上年下降0.5-1个百分点": no baseline printed; the bound indicator's 2024 figure is it.
    target = world.task_a.plan.tasks.get(targets__metric__contains="近视率").targets.get(metric__contains="近视率")
    bind(target, Indicator.objects.get(code="myopia_rate"), user=world.users["admin"])
    elements = {e.code: e for e in DataElement.objects.filter(code__in=["vision_screened", "myopic"])}
    school = world.unit("青禾区实验小学")

    def screening(year, myopic):
        store_values([NewValue(elements["vision_screened"], school, year, 1000),
                      NewValue(elements["myopic"], school, year, myopic)], user=None, source="form")

    screening("2024", 520)
    screening("2025", 512)  # 52.0% → 51.2%: down 0.8 points
    check = target_check(target, latest_actuals([target]))
    assert (check.baseline, check.result) == (52.0, True)
    screening("2025", 518)  # down 0.2 points: missed
    assert target_check(target, latest_actuals([target])).result is False


def test_a_broken_formula_leaves_the_target_without_an_actual_instead_of_failing(world):
    target = pass_rate_target(world)
    broken = Indicator.objects.create(code="broken", name="坏指标", numerator="gone_element")
    bind(target, broken, user=world.users["admin"])
    assert target.pk not in latest_actuals([target])
    assert task_states([world.task_a], TODAY)  # the task list still renders


@pytest.mark.parametrize("typed", ["1e308", "-1e16", "inf"])
def test_a_figure_too_large_to_be_real_is_refused(db, typed):
    from eduplan.indicators.values import read_number

    element = DataElement.objects.get(code="new_places")
    with pytest.raises(EduplanError) as caught:
        read_number(typed, element)
    assert caught.value.code in ("E701", "E703")
