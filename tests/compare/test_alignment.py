"""The aligner against a hand-made key (tests/compare/alignment_key.py) on the real plans in
../shared: top-1 accuracy per pair of plans and overall, strict (the key's partner only) and
lenient (any answer the key also accepts)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from eduplan.compare.align import Space
from eduplan.compare.items import ComparedPlan, from_parsed
from eduplan.plan.pipeline import parse_text

from ..conftest import SEEDS, SHARED
from .alignment_key import PAIRS, Row

DEVSET_DOCS = SHARED / "eval" / "devset" / "docs"


def _path(name: str) -> Path:
    return SEEDS / name if (SEEDS / name).exists() else DEVSET_DOCS / name


@cache
def _plan(name: str) -> ComparedPlan:
    path = _path(name)
    if not path.exists():
        pytest.skip(f"plan not found: {path}")
    return from_parsed(parse_text(path.read_text(encoding="utf-8")).plans[0], name)


@cache
def _answers(a: str, b: str) -> dict[str, str | None]:
    """Task number in ``a`` → the number of its best partner in ``b`` (None: no partner)."""
    left, right = _plan(a), _plan(b)
    pairs = Space([left, right]).align(0, 1)
    return {item.number: (right.items[pair.right].number if pair else None)
            for item, pair in zip(left.items, pairs, strict=True)}


def _misses(rows: list[Row], lenient: bool = False) -> list[tuple[Row, str | None]]:
    misses = []
    for row in rows:
        answer = _answers(row.a, row.b)[row.task_a]
        accepted = {row.partner, *row.also} if lenient else {row.partner}
        if answer not in accepted:
            misses.append((row, answer))
    return misses


# (pair, least strict top-1 accuracy, least lenient): the figures measured with align.py's
# pivoted length, theme and title bonuses and MATCH_BAR 0.08 (strict / lenient: 1.000/1.000,
# .926/.926, .833/.917, .741/.815, .957/.957; all 125 rows .888/.920; before them, plain
# cosine: .958/.958, .889/.889, .750/.917, .556/.667, .957/.957; all .816/.872), less about
# one row, so that a regression fails. ``pytest -s -k top1`` prints the figures and the misses.
FLOORS = [
    ("annual A → annual B", 0.95, 0.95),
    ("annual B → annual A", 0.88, 0.88),
    ("annual A → five-year", 0.79, 0.87),
    ("annual B → five-year", 0.70, 0.77),
    ("devset excerpts", 0.91, 0.91),
    ("all", 0.88, 0.91),
]


@pytest.mark.parametrize(("pair", "strict", "lenient"), FLOORS, ids=[f[0] for f in FLOORS])
def test_top1_accuracy(pair: str, strict: float, lenient: float) -> None:
    rows = [row for rows in PAIRS.values() for row in rows] if pair == "all" else PAIRS[pair]
    missed, missed_lenient = _misses(rows), _misses(rows, lenient=True)
    found = (1 - len(missed) / len(rows), 1 - len(missed_lenient) / len(rows))
    print(pair, f"strict {found[0]:.3f} lenient {found[1]:.3f}",
          *(f"\n  miss {r.task_a} → {a} (key {r.partner}; {r.why})" for r, a in missed))
    assert found[0] >= strict and found[1] >= lenient, found


def test_key_names_real_tasks() -> None:
    for rows in PAIRS.values():
        for row in rows:
            numbers_a = [item.number for item in _plan(row.a).items]
            numbers_b = {item.number for item in _plan(row.b).items}
            assert numbers_a.count(row.task_a) == 1, row
            assert {row.partner, *row.also} - {None} <= numbers_b, row
