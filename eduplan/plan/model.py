"""The structured plan: what the parser finds, each fact tied to its span in the source text.

Offsets (``start``/``end``) always index the original text as read from the file, so a
quote is ``source_text[start:end]``. ``to_dict`` gives the JSON of ../eval/SCHEMA.md with
extra fields (offsets, measures) that the schema allows; ``from_dict`` reads it back (the
import keeps a parsed upload as JSON between the review and the confirmation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# Below this, a heading or target is listed first on the import review page for a person to check.
CONFIDENT = 0.9

Direction = Literal["level", "increase_by", "decrease_by"]
Comparator = Literal["=", ">=", "<=", ">", "<", "~", "range"]
PlanKind = Literal["annual", "five_year", "other"]
Number = int | float


@dataclass
class Heading:
    level: int
    label: str  # normalised: "一", "(一)", "8", "(1)", "①"
    title: str  # as printed, without label and trailing punctuation
    start: int  # span of the whole heading line (label included)
    end: int
    damaged: bool = False  # label repaired (lost parenthesis, missing line break)
    confidence: float = 1.0  # how sure the parser is: < CONFIDENT means a person should check it

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"level": self.level, "label": self.label, "title": self.title,
                               "start": self.start, "end": self.end, "confidence": self.confidence}
        if self.damaged:
            out["damaged"] = True
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Heading:
        return cls(data["level"], data["label"], data["title"], data["start"], data["end"],
                   damaged=data.get("damaged", False), confidence=data.get("confidence", 1.0))


@dataclass
class Measure:
    """One sentence of work under a numbered heading."""

    under: list[str]
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"under": self.under, "text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Measure:
        return cls(list(data["under"]), data["text"], data["start"], data["end"])


@dataclass
class Baseline:
    year: int | None
    value: Number

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "value": self.value}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Baseline:
        return cls(data["year"], data["value"])


@dataclass
class Target:
    under: list[str]
    metric: str  # always simplified characters
    direction: Direction
    comparator: Comparator
    value: Number | list[Number]  # [low, high] when comparator is "range"
    unit: str
    quote: str  # exact source text
    start: int
    end: int
    baseline: Baseline | None = None
    year: int | None = None
    confidence: float = 1.0  # how sure the parser is: < CONFIDENT means a person should check it

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "under": self.under, "metric": self.metric, "direction": self.direction,
            "comparator": self.comparator, "value": self.value, "unit": self.unit,
            "quote": self.quote, "start": self.start, "end": self.end, "confidence": self.confidence,
        }
        if self.baseline is not None:
            out["baseline"] = self.baseline.to_dict()
        if self.year is not None:
            out["year"] = self.year
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Target:
        baseline = data.get("baseline")
        return cls(list(data["under"]), data["metric"], data["direction"], data["comparator"], data["value"],
                   data["unit"], data["quote"], data["start"], data["end"],
                   baseline=Baseline.from_dict(baseline) if baseline is not None else None,
                   year=data.get("year"), confidence=data.get("confidence", 1.0))


@dataclass
class Blank:
    """A spot where a template deleted a number or a name."""

    under: list[str]
    quote: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"under": self.under, "quote": self.quote, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Blank:
        return cls(list(data["under"]), data["quote"], data["start"], data["end"])


@dataclass
class Plan:
    title: str | None
    region: str | None
    period: tuple[int, int] | None
    kind: PlanKind
    issuer: str | None
    start: int
    end: int
    headings: list[Heading] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    blanks: list[Blank] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "region": self.region,
            "period": list(self.period) if self.period else None,
            "kind": self.kind,
            "issuer": self.issuer,
            "start": self.start,
            "end": self.end,
            "headings": [h.to_dict() for h in self.headings],
            "targets": [t.to_dict() for t in self.targets],
            "blanks": [b.to_dict() for b in self.blanks],
            "measures": [m.to_dict() for m in self.measures],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        period = data.get("period")
        return cls(
            data["title"], data["region"], (period[0], period[1]) if period else None, data["kind"], data["issuer"],
            data["start"], data["end"],
            headings=[Heading.from_dict(h) for h in data.get("headings", [])],
            measures=[Measure.from_dict(m) for m in data.get("measures", [])],
            targets=[Target.from_dict(t) for t in data.get("targets", [])],
            blanks=[Blank.from_dict(b) for b in data.get("blanks", [])],
        )


@dataclass
class ParsedSource:
    """Everything found in one source text: usually one plan, sometimes several."""

    source: str  # file name, or "<text>" for text in memory
    text: str  # the original text that every offset points into
    plans: list[Plan] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "plans": [p.to_dict() for p in self.plans]}

    @classmethod
    def from_dict(cls, data: dict[str, Any], text: str) -> ParsedSource:
        """The inverse of ``to_dict``, given the text (which ``to_dict`` leaves out)."""
        return cls(data["source"], text, [Plan.from_dict(p) for p in data.get("plans", [])])
