"""Aligning tasks across plans: which task of one plan is about what a task of another is.

Similarity is the cosine of character-bigram TF-IDF vectors over a task's title (counted
three times) and its measures: no word segmentation is needed, and on real plans this found
the right partner more often than embeddings did (../shared/research/deps-nlp.md). The idf
is taken over every task of the plans being compared, so words every plan repeats (加强, 推进,
工作) weigh little. Each pair reports the words both sides share, as found in the first.

``align`` ranks partners by that cosine adjusted for what plans are like (measured against
tests/compare/alignment_key.py; each kept because it helped without hurting any pair of plans):

- a long partner is not penalised as much as plain cosine does (pivoted length normalisation):
  a five-year task is broader than an annual one and its text longer, so it spreads its weight
  over more bigrams, and of two close candidates the broader is the better match more often;
- a small bonus when both tasks fall in the same theme of the taxonomy (themes.py), which reads
  the words of a topic (学前/幼儿园/托育…) rather than bigrams;
- a small bonus for the cosine of the titles alone: the title says what the work is, the
  measures add detail a partner may word differently.

``scores`` stays the plain cosine: routing (tracking/routing.py) calibrated its bars on it.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .items import ComparedPlan, Item
from .themes import OTHER, Taxonomy, ThemeMatch

TITLE_WEIGHT = 3
# Below this score two tasks are not taken as the same work.
MATCH_BAR = 0.08
# Pivoted length normalisation of the partner (Singhal et al. 1996): its norm counts as
# SLOPE × its own + (1 − SLOPE) × the mean norm, so a longer task than usual loses less
# (a shorter one is left as plain cosine has it).
PIVOT_SLOPE = 0.9
# Added to the score when both tasks have the same theme (OTHER never counts).
THEME_BONUS = 0.02
# Times the cosine of the two titles alone, added to the score.
TITLE_BONUS = 0.02
_NOT_WORD = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")


def _bigrams(text: str) -> list[str]:
    bigrams = []
    for run in _NOT_WORD.split(text):
        bigrams.extend(run[i:i + 2] for i in range(len(run) - 1))
    return bigrams


def _counts(item: Item) -> Counter:
    counts = Counter(_bigrams(item.text))
    for bigram in _bigrams(item.title):
        counts[bigram] += TITLE_WEIGHT
    return counts


@dataclass(frozen=True)
class Pair:
    left: int  # index of the task in the first plan
    right: int  # … and in the second
    score: float  # similarity, 0–1 (``Space.match_scores``)
    shared: tuple[str, ...]  # words both share, the weightiest first


def _idf(counts: Sequence[Counter]) -> dict[str, float]:
    frequency: Counter = Counter()
    for c in counts:
        frequency.update(c.keys())
    return {bigram: math.log((1 + len(counts)) / (1 + df)) + 1 for bigram, df in frequency.items()}


def _weights(counts: Counter, idf: dict[str, float]) -> tuple[dict[str, float], float]:
    """The unit vector and the norm it had."""
    weights = {bigram: (1 + math.log(n)) * idf[bigram] for bigram, n in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {bigram: w / (norm or 1.0) for bigram, w in weights.items()}, norm


class Space:
    """The TF-IDF space of a set of plans: one unit vector per task."""

    def __init__(self, plans: Sequence[ComparedPlan],
                 themes: Sequence[Sequence[ThemeMatch]] | None = None) -> None:
        """``themes``: each task's theme, per plan, when the caller has them already."""
        self.plans = list(plans)
        counts = [[_counts(item) for item in plan.items] for plan in self.plans]
        self.idf = _idf([c for plan_counts in counts for c in plan_counts])
        weighted = [[_weights(c, self.idf) for c in plan_counts] for plan_counts in counts]
        self.vectors = [[vector for vector, _ in plan] for plan in weighted]
        self.norms = [[norm for _, norm in plan] for plan in weighted]
        every = [norm for plan in self.norms for norm in plan]
        self.pivot = sum(every) / len(every) if every else 1.0
        self._themes = [[match.theme for match in plan] for plan in themes] if themes is not None else None
        self._titles: list[list[dict[str, float]]] | None = None
        self._index: dict[int, dict[str, list[tuple[int, float]]]] = {}

    def _theme_names(self) -> list[list[str]]:
        if self._themes is None:
            taxonomy = Taxonomy.default()
            self._themes = [[taxonomy.classify(item).theme for item in plan.items] for plan in self.plans]
        return self._themes

    def _title_vectors(self) -> list[list[dict[str, float]]]:
        if self._titles is None:
            counts = [[Counter(_bigrams(item.title)) for item in plan.items] for plan in self.plans]
            idf = _idf([c for plan_counts in counts for c in plan_counts])
            self._titles = [[_weights(c, idf)[0] for c in plan_counts] for plan_counts in counts]
        return self._titles

    def _postings(self, plan: int) -> dict[str, list[tuple[int, float]]]:
        if plan not in self._index:
            index: dict[str, list[tuple[int, float]]] = defaultdict(list)
            for position, vector in enumerate(self.vectors[plan]):
                for bigram, weight in vector.items():
                    index[bigram].append((position, weight))
            self._index[plan] = index
        return self._index[plan]

    def scores(self, left: int, right: int) -> list[dict[int, float]]:
        """For each task of plan ``left``, its cosine with every task of plan ``right`` it
        shares a bigram with."""
        postings = self._postings(right)
        result = []
        for vector in self.vectors[left]:
            sums: dict[int, float] = defaultdict(float)
            for bigram, weight in vector.items():
                for position, other in postings.get(bigram, ()):
                    sums[position] += weight * other
            result.append(sums)
        return result

    def match_scores(self, left: int, right: int) -> list[dict[int, float]]:
        """What ``align`` ranks by: for each task of plan ``left``, its score with every task of
        plan ``right`` it shares a bigram with (the module's docstring says what is added).
        Several tasks of ``left`` may take one partner: a five-year task spans several annual
        ones, and even two annual plans split their work differently."""
        themes = self._theme_names()
        titles = self._title_vectors()
        # cosine × norm / pivoted norm: the partner's pivoted length instead of its own; only
        # a longer partner than usual is lifted, so that a task and its copy still score 1
        stretch = [max(1.0, norm / ((1 - PIVOT_SLOPE) * self.pivot + PIVOT_SLOPE * norm)) if norm else 1.0
                   for norm in self.norms[right]]
        result = []
        for position, sums in enumerate(self.scores(left, right)):
            theme, title = themes[left][position], titles[left][position]
            adjusted = {}
            for partner, cosine in sums.items():
                score = cosine * stretch[partner]
                if theme != OTHER and theme == themes[right][partner]:
                    score += THEME_BONUS
                other = titles[right][partner]
                score += TITLE_BONUS * sum(w * other.get(bigram, 0.0) for bigram, w in title.items())
                adjusted[partner] = score
            result.append(adjusted)
        return result

    def align(self, left: int, right: int, bar: float = MATCH_BAR) -> list[Pair | None]:
        """For each task of plan ``left``, its best partner in plan ``right`` (None below the bar)."""
        pairs: list[Pair | None] = []
        for position, sums in enumerate(self.match_scores(left, right)):
            if not sums:
                pairs.append(None)
                continue
            partner, score = max(sums.items(), key=lambda kv: (kv[1], -kv[0]))
            if score < bar:
                pairs.append(None)
                continue
            pairs.append(Pair(position, partner, round(min(score, 1.0), 3),
                              self.shared_words(self.plans[left].items[position], self.plans[right].items[partner])))
        return pairs

    def shared_words(self, a: Item, b: Item, most: int = 5) -> tuple[str, ...]:
        """Runs of ``a``'s text made of bigrams ``b`` has too, the rarest first."""
        theirs = set(_bigrams(b.words))
        runs: dict[str, float] = {}
        for run in _NOT_WORD.split(a.words):
            start = None
            for i in range(len(run)):
                inside = i + 1 < len(run) and run[i:i + 2] in theirs
                if inside and start is None:
                    start = i
                if not inside and start is not None:
                    word = run[start:i + 1]
                    runs[word] = max(runs.get(word, 0.0), sum(self.idf.get(word[j:j + 2], 0.0)
                                                              for j in range(len(word) - 1)))
                    start = None
        ranked = sorted(runs, key=lambda w: (-runs[w], w))
        kept: list[str] = []
        for word in ranked:
            if not any(word in longer for longer in kept):
                kept.append(word)
            if len(kept) == most:
                break
        return tuple(kept)
