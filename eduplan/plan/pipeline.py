"""The parser as a pipeline of small named stages over one ``PlanDocument``.

Each stage is a plain ``doc -> doc`` function; ``STAGES`` lists them in order with what each
needs and fills in, checked once at import so a reordering that breaks a dependency fails
loudly. ``parse_text`` runs them all and turns the result into the public model.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .blanks import find_blanks
from .clean import clean_lines
from .document import HeadingNode, PlanBlock, PlanDocument
from .metadata import read_metadata
from .model import Heading, ParsedSource, Plan
from .structure import (
    assign_levels,
    collect_measures,
    collect_passages,
    find_headings,
    find_issuer,
    split_plans,
)
from .tables import extract_table_targets
from .targets import extract_targets

Stage = Callable[[PlanDocument], PlanDocument]


@dataclass(frozen=True)
class StageInfo:
    name: str
    run: Stage
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


STAGES: tuple[StageInfo, ...] = (
    StageInfo("find_headings", find_headings, ("lines",), ("heading_at",)),
    StageInfo("split_plans", split_plans, ("heading_at",), ("plans",)),
    StageInfo("assign_levels", assign_levels, ("plans",), ("levels",)),
    StageInfo("find_issuer", find_issuer, ("plans",), ("issuer",)),
    StageInfo("read_metadata", read_metadata, ("plans", "issuer"), ("metadata",)),
    StageInfo("collect_passages", collect_passages, ("plans", "issuer"), ("passages",)),
    StageInfo("collect_measures", collect_measures, ("passages", "levels"), ("measures",)),
    StageInfo("extract_targets", extract_targets, ("passages", "levels", "metadata"), ("targets",)),
    StageInfo("extract_table_targets", extract_table_targets, ("passages", "levels", "metadata"), ("targets",)),
    StageInfo("find_blanks", find_blanks, ("passages", "levels"), ("blanks",)),
)


def _check_order(stages: tuple[StageInfo, ...]) -> None:
    available = {"lines"}
    for stage in stages:
        missing = set(stage.requires) - available
        if missing:
            raise RuntimeError(f"stage {stage.name} runs before what it needs: {sorted(missing)}")
        available |= set(stage.assigns)


_check_order(STAGES)


def run_stages(doc: PlanDocument) -> PlanDocument:
    for stage in STAGES:
        doc = stage.run(doc)
    return doc


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while parsing. A parse makes a great many small objects
    and no reference cycles, so the collector's repeated passes over them (about a twentieth
    of the time) find nothing; reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_text(text: str, source: str = "<text>") -> ParsedSource:
    """Parse plan text held in memory. Never raises on any str; an empty text has no plans."""
    with no_cycle_collection():
        doc = PlanDocument(source=source, original=text, lines=clean_lines(text))
        if not doc.lines:
            return ParsedSource(source=source, text=text, plans=[])
        run_stages(doc)
        return ParsedSource(source=source, text=text, plans=[_to_plan(doc, block) for block in doc.plans])


def _to_plan(doc: PlanDocument, block: PlanBlock) -> Plan:
    first = doc.lines[block.first_line].start if block.first_line < len(doc.lines) else 0
    last = doc.lines[block.last_line - 1].end if block.last_line > block.first_line else first
    return Plan(
        title=block.title, region=block.region, period=block.period, kind=block.kind,  # type: ignore[arg-type]
        issuer=block.issuer, start=first, end=last,
        headings=[_heading(doc, h) for h in block.headings],
        measures=block.measures, targets=sorted(block.targets, key=lambda t: t.start), blanks=block.blanks,
    )


def _heading(doc: PlanDocument, h: HeadingNode) -> Heading:
    line = doc.lines[h.line]
    start, end = line.span(0, h.match.title_end)
    title = line.printed(doc.original, h.match.title_begin, h.match.title_end)
    damaged = h.match.damaged or h.match.number is None
    split = h.line in doc.split_lines
    return Heading(level=h.level, label=h.label, title=title, start=start, end=end, damaged=damaged or split,
                   confidence=heading_confidence(h, damaged, split))


def heading_confidence(h: HeadingNode, damaged: bool, split: bool) -> float:
    """A label repaired, found inside a line, or a title cut before body words is less sure
    than a label that starts its own line with a title ended by punctuation."""
    confidence = 1.0
    if damaged:
        confidence -= 0.3
    if split:
        confidence -= 0.15
    if h.match.cut == "cue":
        confidence -= 0.2
    if not h.match.looks_strong:
        confidence -= 0.1
    return round(max(confidence, 0.1), 2)
