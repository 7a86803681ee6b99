"""The one object the parsing stages pass along, and the pieces they fill in."""

from __future__ import annotations

from dataclasses import dataclass, field

from .headings import HeadingMatch
from .lines import Line
from .model import Blank, Measure, Target


@dataclass
class HeadingNode:
    line: int  # index into PlanDocument.lines
    style: str
    number: int
    match: HeadingMatch
    level: int = 0
    label: str = ""
    path: tuple[str, ...] = ()
    review: bool = False  # inside a look back at past results: no commitments here


@dataclass
class Passage:
    """A stretch of body text on one line, under one heading (or the preamble)."""

    line: int
    begin: int
    end: int
    heading: int | None  # index into PlanBlock.headings; None before the first heading
    is_title: bool = False  # a run-in heading's own words: may state a target, is no measure
    review: bool = False  # looks back at past results: its numbers are no commitments


@dataclass
class PlanBlock:
    """One plan inside the source text: a range of lines and what was found in it."""

    first_line: int
    last_line: int  # exclusive
    title_line: int | None = None
    issuer_line: int | None = None
    headings: list[HeadingNode] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    blanks: list[Blank] = field(default_factory=list)
    title: str | None = None
    region: str | None = None
    period: tuple[int, int] | None = None
    kind: str = "other"
    issuer: str | None = None

    def under(self, heading: int | None) -> list[str]:
        return list(self.headings[heading].path) if heading is not None else []


@dataclass
class PlanDocument:
    source: str
    original: str
    lines: list[Line] = field(default_factory=list)
    # Heading candidates per line index, before plans are split and levels assigned.
    heading_at: dict[int, HeadingNode] = field(default_factory=dict)
    # Lines that began inside another line: their heading lost its line break.
    split_lines: set[int] = field(default_factory=set)
    plans: list[PlanBlock] = field(default_factory=list)

    def quote(self, start: int, end: int) -> str:
        return self.original[start:end]
