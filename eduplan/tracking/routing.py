"""Suggest a task's lead department from the bureau's keyword rules, and say why.

A rule scores the distinct keywords found in the task's text, longer keywords counting more
(so "食品安全" outweighs "安全") and keywords in the task's title three times (the title says what
the task is about; measures mention neighbouring work); ties go to the higher priority,
then the earlier rule. No match, no suggestion: a guess with no reason would only mislead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .models import RoutingRule

TITLE_WEIGHT = 3


@dataclass(frozen=True)
class Suggestion:
    rule: RoutingRule
    matched: tuple[str, ...]
    score: int

    @property
    def reason(self) -> str:
        return f"匹配关键词：{'、'.join(self.matched)}（规则 #{self.rule.pk}）"


def score_rule(rule: RoutingRule, text: str, title: str = "") -> tuple[int, tuple[str, ...]]:
    found = [k for k in rule.keyword_list() if k in text or k in title]
    # "健康" inside "体质健康" is one finding, not two.
    matched = tuple(k for k in found if not any(k != other and k in other for other in found))
    return sum(len(k) * (TITLE_WEIGHT if k in title else 1) for k in matched), matched


def suggest_lead(text: str, rules: Iterable[RoutingRule], title: str = "") -> Suggestion | None:
    best: Suggestion | None = None
    for rule in rules:
        if not rule.active:
            continue
        score, matched = score_rule(rule, text, title)
        if score and (best is None or (score, rule.priority) > (best.score, best.rule.priority)):
            best = Suggestion(rule, matched, score)
    return best


def suggest_for_task(task, rules: Iterable[RoutingRule]) -> Suggestion | None:
    """The suggestion for a stored task, from its title and current measures."""
    body = "\n".join(m.text for m in task.measures.all() if m.removed_in_version is None)
    return suggest_lead(body, rules, title=task.title)
