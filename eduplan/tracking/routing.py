"""Suggest a task's lead department from the bureau's keyword rules, and say why.

A rule scores the number of distinct keywords found in the task text, longer keywords
counting more (so "食品安全" outweighs "安全"); ties go to the higher priority, then the
earlier rule. No match, no suggestion: a guess with no reason would only mislead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .models import RoutingRule


@dataclass(frozen=True)
class Suggestion:
    rule: RoutingRule
    matched: tuple[str, ...]
    score: int

    @property
    def reason(self) -> str:
        return f"匹配关键词：{'、'.join(self.matched)}（规则 #{self.rule.pk}）"


def score_rule(rule: RoutingRule, text: str) -> tuple[int, tuple[str, ...]]:
    matched = tuple(k for k in rule.keyword_list() if k in text)
    return sum(len(k) for k in matched), matched


def suggest_lead(text: str, rules: Iterable[RoutingRule]) -> Suggestion | None:
    best: Suggestion | None = None
    for rule in rules:
        if not rule.active:
            continue
        score, matched = score_rule(rule, text)
        if score and (best is None or (score, rule.priority) > (best.score, best.rule.priority)):
            best = Suggestion(rule, matched, score)
    return best


def task_text(task) -> str:
    """The text routing looks at: the task title, then its measures."""
    return "\n".join([task.title, *(m.text for m in task.measures.all())])
