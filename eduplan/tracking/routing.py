"""Suggest a task's lead unit, and say why: from the bureau's keyword rules, and from the
bureau's own past assignments.

Keyword rules: a rule scores the distinct keywords found in the task's text, longer keywords
counting more (so "食品安全" outweighs "安全") and keywords in the task's title three times (the
title says what the task is about; measures mention neighbouring work); ties go to the higher
priority, then the earlier rule.

Learning: a task worded like one the bureau assigned before (the character-bigram TF-IDF
cosine of ``compare.align``, title counted three times) goes to the unit that has that task
now; among equally close ones, the latest assigned. Only whole-task assignments teach (a task
split by measure says nothing about the whole), and only to active units of the bureau.

Precedence, since a rule and a past task may disagree:
- a past task at ``FOLLOW_BAR`` or closer is nearly the same work, and the bureau's own choice
  for it beats a generic keyword (a bureau that moved 课后服务 to another department should not
  be sent back by the seed rule every year);
- otherwise a matching rule wins: its keywords are the bureau's stated policy, a loose
  resemblance is not;
- a past task between ``LEARN_BAR`` and ``FOLLOW_BAR`` is used when no rule matches;
- when both point at the same unit, the reason names both.
No rule and no past task close enough, no suggestion: a guess with no reason would only mislead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from eduplan.compare.align import Space
from eduplan.compare.items import ComparedPlan, Item
from eduplan.orgs.models import OrgUnit

from .models import Assignment, Measure, RoutingRule, Task

TITLE_WEIGHT = 3
# Cosines measured on real plans: unrelated tasks of one plan stay below 0.15; the same work
# worded by another bureau scores 0.2–0.35; a task carried over to next year's plan higher.
LEARN_BAR = 0.2
FOLLOW_BAR = 0.4
MAX_PRECEDENTS = 1000  # the newest teach; years of a district's plans, and the assign page stays quick


@dataclass(frozen=True)
class Precedent:
    """A task the bureau assigned before, with who has it now."""

    task_id: int
    plan_title: str
    title: str
    text: str
    lead_unit: OrgUnit
    partner_units: tuple[OrgUnit, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    rule: RoutingRule | None
    matched: tuple[str, ...] = ()
    score: int = 0
    precedent: Precedent | None = None
    similarity: float = 0.0
    shared: tuple[str, ...] = field(default=(), compare=False)

    @property
    def lead_unit(self) -> OrgUnit:
        if self.precedent is not None:
            return self.precedent.lead_unit
        assert self.rule is not None
        return self.rule.lead_unit

    def partner_units(self) -> list[OrgUnit]:
        """The partners to propose with the lead (read from the database for a rule)."""
        if self.precedent is not None:
            return [u for u in self.precedent.partner_units if u.active]
        assert self.rule is not None
        return list(self.rule.partner_units.all())

    @property
    def learned(self) -> bool:
        return self.precedent is not None

    @property
    def reason(self) -> str:
        parts = []
        if self.precedent is not None:
            title = self.precedent.title if len(self.precedent.title) <= 40 else self.precedent.title[:39] + "…"
            parts.append(f"参照《{self.precedent.plan_title}》中的任务“{title}”（相似度 {self.similarity:.2f}）")
        if self.rule is not None and self.matched:
            parts.append(f"匹配关键词：{'、'.join(self.matched)}（规则 #{self.rule.pk}）")
        return "；".join(parts)


def score_rule(rule: RoutingRule, text: str, title: str = "") -> tuple[int, tuple[str, ...]]:
    found = [k for k in rule.keyword_list() if k in text or k in title]
    # "健康" inside "体质健康" is one finding, not two.
    matched = tuple(k for k in found if not any(k != other and k in other for other in found))
    return sum(len(k) * (TITLE_WEIGHT if k in title else 1) for k in matched), matched


def suggest_lead(text: str, rules: Iterable[RoutingRule], title: str = "") -> Suggestion | None:
    """The best keyword rule for a task's text, None when no rule matches."""
    best: Suggestion | None = None
    for rule in rules:
        if not rule.active:
            continue
        score, matched = score_rule(rule, text, title)
        if score and (best is None or (score, rule.priority) > (best.score, best.rule.priority)):
            best = Suggestion(rule, matched, score)
    return best


# ---------------------------------------------------------------- learning from past assignments


@dataclass(frozen=True)
class Wording:
    """What similarity reads of a task: its id (to skip itself), title and measures."""

    task_id: int | None
    title: str
    text: str


def closest(wordings: Sequence[Wording], precedents: Sequence[Precedent],
            bar: float = LEARN_BAR) -> list[tuple[Precedent, float, tuple[str, ...]] | None]:
    """For each wording, the most similar precedent at ``bar`` or above (ties: the earlier
    in ``precedents``, which come newest first), never the task itself."""
    if not wordings or not precedents:
        return [None] * len(wordings)
    left = ComparedPlan("new", "other", None, tuple(Item("", w.title, w.text) for w in wordings))
    right = ComparedPlan("past", "other", None, tuple(Item("", p.title, p.text) for p in precedents))
    space = Space([left, right])
    result: list[tuple[Precedent, float, tuple[str, ...]] | None] = []
    for index, (wording, sums) in enumerate(zip(wordings, space.scores(0, 1), strict=True)):
        candidates = [(score, -position) for position, score in sums.items()
                      if precedents[position].task_id != wording.task_id and score >= bar]
        if not candidates:
            result.append(None)
            continue
        score, negated = max(candidates)  # the closest; at equal scores the newest
        shared = space.shared_words(left.items[index], right.items[-negated], most=3)
        result.append((precedents[-negated], round(score, 3), shared))
    return result


def _same_unit(a: OrgUnit, b: OrgUnit) -> bool:
    return a.pk == b.pk if a.pk is not None else a is b


def combine(rule: Suggestion | None, learned: tuple[Precedent, float, tuple[str, ...]] | None) -> Suggestion | None:
    """The module's precedence between a keyword rule and the closest past task."""
    if learned is None:
        return rule
    precedent, similarity, shared = learned
    from_past = Suggestion(None, precedent=precedent, similarity=similarity, shared=shared)
    if rule is None:
        return from_past
    if _same_unit(rule.lead_unit, precedent.lead_unit):
        return replace(rule, precedent=precedent, similarity=similarity, shared=shared)
    return from_past if similarity >= FOLLOW_BAR else rule


def precedents_for(bureau: OrgUnit, limit: int = MAX_PRECEDENTS) -> list[Precedent]:
    """The bureau's whole-task assignments to its active units, newest first (a task a
    revised plan dropped teaches nothing)."""
    assignments = list(
        Assignment.objects.filter(task__plan__bureau=bureau, measure__isnull=True, lead_unit__active=True,
                                  lead_unit__owning_bureau=bureau, task__removed_in_version__isnull=True)
        .select_related("task", "task__plan", "lead_unit").defer("task__plan__source_text")
        .prefetch_related("partner_units").order_by("-task__plan__imported_at", "-task__plan_id", "-id")[:limit])
    texts: dict[int, list[str]] = defaultdict(list)
    for task_id, text in (Measure.objects.filter(task_id__in=[a.task_id for a in assignments],
                                                 removed_in_version__isnull=True)
                          .order_by("task_id", "order").values_list("task_id", "text")):
        texts[task_id].append(text)
    return [Precedent(a.task_id, a.task.plan.title, a.task.title, "".join(texts[a.task_id]), a.lead_unit,
                      tuple(a.partner_units.all())) for a in assignments]


def _wording(task: Task) -> Wording:
    return Wording(task.pk, task.title, "\n".join(m.text for m in task.measures.all() if m.removed_in_version is None))


def suggest_all(wordings: Sequence[Wording], rules: Iterable[RoutingRule],
                precedents: Sequence[Precedent] = ()) -> list[Suggestion | None]:
    """Each wording's suggestion: its best rule and its closest past task, by the precedence above."""
    rules = list(rules)
    learned = closest(wordings, precedents)
    return [combine(suggest_lead(w.text, rules, title=w.title), match)
            for w, match in zip(wordings, learned, strict=True)]


def suggest_for_tasks(tasks: Sequence[Task], rules: Iterable[RoutingRule],
                      precedents: Sequence[Precedent] = ()) -> dict[int, Suggestion | None]:
    """Each stored task's suggestion, from its title and current measures."""
    suggestions = suggest_all([_wording(task) for task in tasks], rules, precedents)
    return {task.pk: s for task, s in zip(tasks, suggestions, strict=True)}


def suggest_for_task(task: Task, rules: Iterable[RoutingRule], precedents: Sequence[Precedent] = ()
                     ) -> Suggestion | None:
    """The suggestion for one stored task."""
    return suggest_for_tasks([task], rules, precedents)[task.pk]
