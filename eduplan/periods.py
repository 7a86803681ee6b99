"""Reporting periods: one type for every period eduplan stores or shows.

A period is a year, a semester (half-year), a quarter or a month, written as a short key that
sorts and stores as text: ``2025``, ``2025S1``, ``2025Q3``, ``2025-06``. The month key is the
one progress reports have always used. Semesters are calendar halves (S1 January–June, the
春季学期; S2 July–December, the 秋季学期): school statistics are collected once per term, and a
calendar half lets every period nest in its year.

Pure: no database, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class PeriodKind(StrEnum):
    YEAR = "year"
    SEMESTER = "semester"
    QUARTER = "quarter"
    MONTH = "month"

    @property
    def label(self) -> str:
        return {"year": "年", "semester": "学期", "quarter": "季度", "month": "月"}[self.value]

    @property
    def months(self) -> int:
        return {"year": 12, "semester": 6, "quarter": 3, "month": 1}[self.value]


_KEY = re.compile(r"^(\d{4})(?:(S)([12])|(Q)([1-4])|-(0[1-9]|1[0-2]))?$")
_KIND_OF_LETTER = {"S": PeriodKind.SEMESTER, "Q": PeriodKind.QUARTER}


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    year: int
    index: int = 1  # 1-based within the year: semester 1–2, quarter 1–4, month 1–12

    def __post_init__(self) -> None:
        if not 1 <= self.index <= 12 // self.kind.months or not 1900 <= self.year <= 2999:
            raise ValueError(f"no such period: {self.kind} {self.year} #{self.index}")

    # ------------------------------------------------------------------ reading and writing

    @classmethod
    def parse(cls, key: str) -> Period:
        """``2025`` / ``2025S1`` / ``2025Q3`` / ``2025-06``; ValueError for anything else."""
        match = _KEY.match((key or "").strip().upper())
        if not match:
            raise ValueError(f"not a period key: {key!r}")
        year = int(match.group(1))
        if match.group(2) or match.group(4):
            letter = match.group(2) or match.group(4)
            return cls(_KIND_OF_LETTER[letter], year, int(match.group(3) or match.group(5)))
        if match.group(6):
            return cls(PeriodKind.MONTH, year, int(match.group(6)))
        return cls(PeriodKind.YEAR, year)

    @classmethod
    def is_key(cls, key: str) -> bool:
        try:
            cls.parse(key)
        except ValueError:
            return False
        return True

    @property
    def key(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return f"{self.year}"
        if self.kind == PeriodKind.SEMESTER:
            return f"{self.year}S{self.index}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}Q{self.index}"
        return f"{self.year}-{self.index:02d}"

    def __str__(self) -> str:
        return self.key

    @property
    def label(self) -> str:
        """As people write it: 2025年, 2025年春季学期, 2025年第三季度, 2025年6月."""
        if self.kind == PeriodKind.YEAR:
            return f"{self.year}年"
        if self.kind == PeriodKind.SEMESTER:
            return f"{self.year}年{'春季' if self.index == 1 else '秋季'}学期"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}年第{'一二三四'[self.index - 1]}季度"
        return f"{self.year}年{self.index}月"

    # ------------------------------------------------------------------ calendar

    @property
    def start(self) -> date:
        return date(self.year, (self.index - 1) * self.kind.months + 1, 1)

    @property
    def end(self) -> date:
        """The last day of the period."""
        return self.next().start - timedelta(days=1)

    def next(self) -> Period:
        per_year = 12 // self.kind.months
        if self.index == per_year:
            return Period(self.kind, self.year + 1, 1)
        return Period(self.kind, self.year, self.index + 1)

    def previous(self) -> Period:
        if self.index == 1:
            return Period(self.kind, self.year - 1, 12 // self.kind.months)
        return Period(self.kind, self.year, self.index - 1)

    def same_time_last_year(self) -> Period:
        return Period(self.kind, self.year - 1, self.index)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def within(self, other: Period) -> bool:
        """Whether this period lies inside ``other`` (a month inside its quarter, …)."""
        return other.start <= self.start and self.end <= other.end

    @property
    def sort_key(self) -> tuple[date, int]:
        """Chronological: by start, the longer period first (2025 before 2025Q1 before 2025-01)."""
        return (self.start, -self.kind.months)

    def __lt__(self, other: Period) -> bool:
        return self.sort_key < other.sort_key

    @classmethod
    def of(cls, kind: PeriodKind | str, day: date) -> Period:
        """The period of ``kind`` that holds ``day``."""
        kind = PeriodKind(kind)
        return cls(kind, day.year, (day.month - 1) // kind.months + 1)

    @classmethod
    def span(cls, first: Period, last: Period) -> Iterator[Period]:
        """``first`` to ``last`` inclusive, both of one kind."""
        if first.kind != last.kind:
            raise ValueError("a span needs two periods of one kind")
        period = first
        while not last < period:
            yield period
            period = period.next()


def month_key(day: date) -> str:
    """The month period a day falls in, as stored by progress reports."""
    return Period.of(PeriodKind.MONTH, day).key
