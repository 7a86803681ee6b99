"""Escalation steps and colours by days overdue, with a bureau's thresholds."""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.supervision.escalation import Step, escalate
from eduplan.supervision.exports import ledger_rows
from eduplan.supervision.reminders import escalate_all
from eduplan.supervision.services import escalation_of, report_rectification, review_rectification, rules_for

from .conftest import photo

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


# fmt: off
STATES = [
    # how far the rectification got → its step on 2025-06-30 (10 days overdue), the ledger's cell, announced
    ("open",      "催办",   "催办",   1),
    ("submitted", None,     "待审核", 0),  # the unit has done its part: nothing to urge while the bureau reviews
    ("closed",    None,     "—",      0),
]
# fmt: on


@pytest.mark.parametrize(("state", "step", "cell", "announced"), STATES, ids=[s[0] for s in STATES])
def test_one_rule_for_lists_exports_and_notices(world, finding, state, step, cell, announced):
    rect = finding.rectification
    if state != "open":
        report_rectification(rect, user=world.users["school_a"], narrative="已清理", done=True, files=[photo()])
    if state == "closed":
        review_rectification(rect, user=world.users["admin"], approve=True)
    rect.refresh_from_db()
    today = date(2025, 6, 30)
    escalation = escalation_of(rect, today, rules_for(world.bureau))
    assert (escalation.step.label if escalation else None) == step
    finding.rectification = rect
    assert ledger_rows([finding], {rect.pk: escalation})[0][10] == cell
    assert escalate_all(today) == announced
