"""Escalation steps and colours by days overdue, with a bureau's thresholds."""

from __future__ import annotations

import pytest

from eduplan.supervision.escalation import Step, escalate

# fmt: off
CASES = [
    # days overdue, urge after, supervise after → step, colour
    (-10, 1, 15, Step.ASSIGNED,   "blue"),    # not yet due: 交办
    (0,   1, 15, Step.ASSIGNED,   "blue"),    # due today
    (1,   1, 15, Step.URGED,      "yellow"),  # a day late: 催办
    (14,  1, 15, Step.URGED,      "yellow"),
    (15,  1, 15, Step.SUPERVISED, "red"),     # 督办
    (90,  1, 15, Step.SUPERVISED, "red"),
    (3,   5, 10, Step.ASSIGNED,   "blue"),    # a bureau that waits 5 days before urging
    (5,   5, 10, Step.URGED,      "yellow"),
    (10,  5, 10, Step.SUPERVISED, "red"),
    (1,   0, 0,  Step.SUPERVISED, "red"),     # zeros mean "from the first day overdue"
]
# fmt: on


@pytest.mark.parametrize(("days", "urge", "supervise", "step", "colour"), CASES,
                         ids=[f"{c[0]}d-{c[1]}/{c[2]}-{c[3].label}" for c in CASES])
def test_step_and_colour_follow_days_overdue(days, urge, supervise, step, colour):
    result = escalate(days, urge_after=urge, supervise_after=supervise)
    assert (result, result.colour) == (step, colour)


def test_labels_read_as_the_bureau_writes_them():
    assert [s.label for s in Step] == ["交办", "催办", "督办"]
    assert [s.colour_label for s in Step] == ["蓝", "黄", "红"]
