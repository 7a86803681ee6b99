"""Comparison speed: 20 district-size annual plans (~25–30 tasks each) compared at once, the
first as the reference; the goal is under 2 s.

    python bench/compare_speed.py [--runs 7] [--plans 20] [--seeds ../shared/seeds] [--devset ../shared/eval/devset/docs]

The sample plans of district size are the two annual seeds and the bundled example plan; the
devset files are excerpts of 0–9 tasks, too small to count. The rest of the 20 are synthetic
variants of those three, made here (``variant``): another district's name in the title, the
tasks of each section shuffled and renumbered, about a third of the tasks losing a sentence,
and the amounts perturbed. Prints the median of the runs for ``compare()`` alone, for
parse + compare (the text already in memory), and for writing each report; then the same for
every sample file as it is (seeds, devset excerpts and the example) as a second set.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from eduplan.compare.comparison import compare
from eduplan.compare.files import plans_from_sources
from eduplan.compare.items import ComparedPlan
from eduplan.compare.report_html import comparison_html
from eduplan.compare.report_xlsx import write_comparison_xlsx
from eduplan.plan import parse_text
from eduplan.plan.readers import read_source

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"
DEFAULT_DEVSET = ROOT.parent / "shared" / "eval" / "devset" / "docs"
EXAMPLE = ROOT / "eduplan" / "examples" / "qinghe_2025_annual.txt"
DISTRICTS = ("禾丰区", "云岭区", "澄湖区", "石门县", "桂渚县", "梧溪区", "青屿区", "柳塘县", "雁栖区", "松岗区",
             "兰汀县", "枫林区", "南浦区", "月湾县", "金沙区", "白鹭区", "平川县", "栖霞湾区", "竹溪县", "汀兰区")
DISTRICT_SIZE = range(20, 36)  # tasks: what counts as a district's annual plan here

_SECTION = re.compile(r"^[一二三四五六七八九十]+、")
_TASK = re.compile(r"^\s*(?:\[bookmark:[^\]]*\])?(\d+)([.、．])")  # Word's bookmarks left in the seeds
_AMOUNT = re.compile(r"(?<![\d.])(\d+)(?=(?:个|所|名|人|项|%|万))")


def variant(text: str, district: str, rng: random.Random) -> str:
    """A made-up district's plan from a real one: see the module's docstring."""
    title, *lines = text.splitlines()
    year = re.search(r"20\d\d年", title)
    title = f"{district}{year.group(0) if year else ''}教育工作要点"
    sections: list[list[list[str]]] = [[[]]]  # section → blocks (a task line and what follows) → lines
    for line in lines:
        if _SECTION.match(line):
            sections.append([[line]])
        elif _TASK.match(line):
            sections[-1].append([line])
        else:
            sections[-1][-1].append(line)
    number, out = 0, [title]
    for section in sections:
        head, tasks = section[0], section[1:]
        rng.shuffle(tasks)
        out += head
        for block in tasks:
            number += 1
            first = _TASK.sub(lambda m, n=number: f"{n}{m.group(2)}", block[0])
            sentences = first.split("。")
            if len(sentences) > 3 and rng.random() < 0.33:
                del sentences[rng.randrange(2, len(sentences) - 1)]
            out += ["。".join(sentences), *block[1:]]
    return _AMOUNT.sub(lambda m: str(max(1, round(int(m.group(1)) * rng.uniform(0.8, 1.2)))), "\n".join(out))


def district_plans(seeds: Path, count: int, seed: int) -> tuple[list[tuple[str, str]], int]:
    """(name, text) of ``count`` district-size plans, and how many of them are real samples."""
    samples = []
    for path in [*sorted(seeds.glob("*.txt")), EXAMPLE]:
        text = read_source(path)
        parsed = parse_text(text, source=path.name)
        if len(parsed.plans) == 1 and parsed.plans[0].kind == "annual" and \
                len(plans_from_sources([(path.name, parsed)])[0].items) in DISTRICT_SIZE:
            samples.append((path.name, text))
    rng = random.Random(seed)
    plans = samples[:count]
    for index in range(count - len(plans)):
        name, text = samples[index % len(samples)]
        plans.append((f"{DISTRICTS[index % len(DISTRICTS)]}（{name}）", variant(text, DISTRICTS[index % len(DISTRICTS)], rng)))
    return plans, len(samples[:count])


def parse_all(texts: list[tuple[str, str]]) -> list[ComparedPlan]:
    return plans_from_sources([(name, parse_text(text, source=name)) for name, text in texts])


def median_time(work: Callable[[], object], runs: int) -> tuple[float, float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def report(label: str, texts: list[tuple[str, str]], runs: int) -> None:
    plans = parse_all(texts)
    comparison = compare(plans)
    tasks = [len(plan.items) for plan in plans]
    print(f"\n{label}: {len(plans)} plans, {sum(tasks)} tasks ({min(tasks)}–{max(tasks)} each), "
          f"{sum(len(p.goals) for p in plans)} targets, {len(comparison.metrics)} metric rows; runs: {runs}")
    for name, work in [
        ("compare() alone", lambda: compare(plans)),
        ("parse + compare", lambda: compare(parse_all(texts))),
        ("xlsx report (writing only)", lambda: write_comparison_xlsx(comparison, io.BytesIO())),
        ("html report (writing only)", lambda: comparison_html(comparison)),
    ]:
        median, low, high = median_time(work, runs)
        print(f"  {name:28} median {median * 1000:7.0f} ms   (min {low * 1000:.0f}, max {high * 1000:.0f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--plans", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    args = parser.parse_args()
    texts, real = district_plans(args.seeds, args.plans, args.seed)
    report(f"District-size plans ({real} samples + {len(texts) - real} synthetic variants)", texts, args.runs)
    files = [*sorted(args.seeds.glob("*.txt")), *sorted(args.devset.glob("*.txt")), EXAMPLE]
    report("Every sample file as it is (seeds, devset excerpts, example)",
           [(path.name, read_source(path)) for path in files], args.runs)


if __name__ == "__main__":
    main()
