"""The parser against every answer key: the three seed plans in ../shared it was first written
against, the 18 real excerpts of the devset (rules were written on some, checked on the
others), and our own fictional held-out excerpts (tests/plan/heldout). Thresholds are the ones
the parser is held to on plans nobody here has seen."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from eduplan.plan import parse_text
from eduplan.plan.readers import read_source

from ..conftest import GOLD, SHARED

DEVSET = SHARED / "eval" / "devset"
HELDOUT = Path(__file__).parent / "heldout"


def _score(docs: list[Path], gold: Path, out: Path) -> dict:
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    assert spec and spec.loader
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    for path in docs:
        parsed = parse_text(read_source(path), source=path.name)
        (out / f"{path.stem}.json").write_text(json.dumps(parsed.to_dict(), ensure_ascii=False), encoding="utf-8")
    return scorer.score(gold, out)["summary"]


# (answer keys, headings, targets, blanks, metadata): the least F1 / accuracy accepted
THRESHOLDS = [
    ("seeds", 0.98, 0.98, 0.98, 0.98),
    ("devset", 0.95, 0.85, 0.80, 0.90),
    ("heldout", 0.95, 0.85, 0.80, 0.90),
]


@pytest.mark.parametrize(("keys", "headings", "targets", "blanks", "metadata"), THRESHOLDS, ids=[t[0] for t in THRESHOLDS])
def test_answer_keys(keys: str, headings: float, targets: float, blanks: float, metadata: float, tmp_path: Path) -> None:
    if keys == "seeds":
        docs, gold = sorted((SHARED / "seeds").glob("*.txt")), GOLD
    else:
        folder = DEVSET if keys == "devset" else HELDOUT
        docs, gold = sorted((folder / "docs").glob("*.*")), folder / "gold"
    assert docs, f"no documents for {keys}"
    summary = _score(docs, gold, tmp_path)
    found = (summary["headings"]["f1"], summary["targets"]["f1"], summary["blanks"]["f1"], summary["metadata_accuracy"])
    print(keys, found)
    assert all(f >= least for f, least in zip(found, (headings, targets, blanks, metadata), strict=True)), found
    assert summary["plans"]["f1"] == 1.0
