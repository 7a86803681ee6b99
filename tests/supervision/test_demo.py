"""The demo's supervision data: one round whose findings stand at every step."""

from __future__ import annotations

from collections import Counter
from datetime import date

from eduplan.demo_data import stamped_on
from eduplan.supervision.demo import add_supervision_demo
from eduplan.supervision.models import Finding, Message, Rectification
from eduplan.supervision.services import escalation_of, rules_for


def test_the_demo_round_shows_every_step(world):
    day = date(2025, 9, 30)
    with stamped_on(day):
        add_supervision_demo(world.bureau, world.users["admin"], day)
    states = Counter(Rectification.objects.values_list("state", flat=True))
    assert states == {"closed": 1, "submitted": 1, "open": 3}
    rules = rules_for(world.bureau)
    steps = {f.school.name: escalation_of(f.rectification, day, rules) for f in Finding.objects.all()
             if f.rectification.state == "open"}
    assert {name: s.step.label for name, s in steps.items()} == {
        "青禾区滨江小学": "催办", "青禾区第一中学": "督办", "青禾区育才学校": "交办"}
    assert Message.objects.filter(recipient=world.users["school_b"], kind="escalation").exists()
