"""Parser speed: the sample plans (seeds and devset) repeated to at least 5 MB of text, parsed
in one process; then the same text as one 50,000-character line against the same characters
in their lines, to show no stage is quadratic in a line's length.

    python bench/parse_speed.py [--runs 5] [--mb 5] [--seeds ../shared/seeds] [--devset ../shared/eval/devset/docs]

Prints chars/s as the median of the runs, and where the time goes (median per stage). Pin it
to one core with `taskset -c 0` to measure one core.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

from eduplan.plan.clean import clean_lines
from eduplan.plan.document import PlanDocument
from eduplan.plan.pipeline import STAGES, no_cycle_collection

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"
DEFAULT_DEVSET = ROOT.parent / "shared" / "eval" / "devset" / "docs"
LONG_LINE = 50_000
EXAMPLE = ROOT / "eduplan" / "examples" / "qinghe_2025_annual.txt"


def corpus(seeds: Path, devset: Path, megabytes: float) -> str:
    files = sorted(seeds.glob("*.txt")) + sorted(devset.glob("*.txt")) or [EXAMPLE]
    unit = "\n".join(f.read_text(encoding="utf-8") for f in files) + "\n"
    copies = int(megabytes * 1024 * 1024 // len(unit.encode("utf-8"))) + 1
    return unit * copies


def timed_parse(text: str) -> dict[str, float]:
    with no_cycle_collection():  # as parse_text does
        return _timed_stages(text)


def _timed_stages(text: str) -> dict[str, float]:
    times: dict[str, float] = {}
    start = time.perf_counter()
    doc = PlanDocument(source="bench", original=text, lines=clean_lines(text))
    times["clean_lines"] = time.perf_counter() - start
    for stage in STAGES:
        t0 = time.perf_counter()
        doc = stage.run(doc)
        times[stage.name] = time.perf_counter() - t0
    times["total"] = time.perf_counter() - start
    return times


def reference_pass(text: str) -> float:
    """One regex pass over the text: a yardstick measured in the same run, for the ratio."""
    start = time.perf_counter()
    sum(1 for _ in _REFERENCE.finditer(text))
    return time.perf_counter() - start


_REFERENCE = re.compile(r"\d+(?:\.\d+)?[个所名项%]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mb", type=float, default=5.0)
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    args = parser.parse_args()
    text = corpus(args.seeds, args.devset, args.mb)
    runs = [timed_parse(text) for _ in range(args.runs)]
    reference = statistics.median(reference_pass(text) for _ in range(args.runs))
    total = statistics.median(r["total"] for r in runs)
    print(f"text: {len(text):,} chars ({len(text.encode('utf-8')) / 1048576:.1f} MB UTF-8), runs: {args.runs}")
    print(f"median {total:.2f} s  →  {len(text) / total:,.0f} chars/s "
          f"(min {min(r['total'] for r in runs):.2f} s, max {max(r['total'] for r in runs):.2f} s)")
    print(f"reference (one regex pass): {reference:.3f} s; the parser takes {total / reference:.1f}× that")
    for name in runs[0]:
        if name != "total":
            share = statistics.median(r[name] for r in runs)
            print(f"  {name:24} {share:6.3f} s  {100 * share / total:5.1f}%")
    long_line_check(text, args.runs)


def long_line_check(text: str, runs: int) -> None:
    """The same characters as one long line and in their own lines: per-character speed."""
    lines = text[:LONG_LINE * 3]
    single = lines.replace("\n", "")[:LONG_LINE]
    lines = lines[:len(single) + lines[:len(single) * 2].count("\n")]
    one = statistics.median(timed_parse(single)["total"] for _ in range(runs))
    many = statistics.median(timed_parse(lines)["total"] for _ in range(runs))
    print(f"one line of {len(single):,} chars: {len(single) / one:,.0f} chars/s; "
          f"the same text in lines: {len(lines) / many:,.0f} chars/s (ratio {(len(single) / one) / (len(lines) / many):.2f})")


if __name__ == "__main__":
    main()
