"""Aligning tasks across plans: which task of one plan is about what a task of another is.

Similarity is the cosine of character-bigram TF-IDF vectors over a task's title (counted
three times) and its measures: no word segmentation is needed, and on real plans this found
the right partner more often than embeddings did (../shared/research/deps-nlp.md). The idf
is taken over every task of the plans being compared, so words every plan repeats (加强, 推进,
工作) weigh little. Each pair reports the words both sides share, as found in the first.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .items import ComparedPlan, Item

TITLE_WEIGHT = 3
# Below this cosine two tasks are not taken as the same work.
MATCH_BAR = 0.08
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
    score: float  # cosine, 0–1
    shared: tuple[str, ...]  # words both share, the weightiest first


class Space:
    """The TF-IDF space of a set of plans: one unit vector per task."""

    def __init__(self, plans: Sequence[ComparedPlan]) -> None:
        self.plans = list(plans)
        counts = [[_counts(item) for item in plan.items] for plan in self.plans]
        documents = sum(len(c) for c in counts)
        frequency: Counter = Counter()
        for plan_counts in counts:
            for c in plan_counts:
                frequency.update(c.keys())
        self.idf = {bigram: math.log((1 + documents) / (1 + df)) + 1 for bigram, df in frequency.items()}
        self.vectors = [[self._unit(c) for c in plan_counts] for plan_counts in counts]
        self._index: dict[int, dict[str, list[tuple[int, float]]]] = {}

    def _unit(self, counts: Counter) -> dict[str, float]:
        weights = {bigram: (1 + math.log(n)) * self.idf[bigram] for bigram, n in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {bigram: w / norm for bigram, w in weights.items()}

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

    def align(self, left: int, right: int, bar: float = MATCH_BAR) -> list[Pair | None]:
        """For each task of plan ``left``, its best partner in plan ``right`` (None below the bar)."""
        pairs: list[Pair | None] = []
        for position, sums in enumerate(self.scores(left, right)):
            if not sums:
                pairs.append(None)
                continue
            partner, score = max(sums.items(), key=lambda kv: (kv[1], -kv[0]))
            if score < bar:
                pairs.append(None)
                continue
            pairs.append(Pair(position, partner, round(score, 3),
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
