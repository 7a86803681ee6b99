"""Clauses: the stretch of a sentence between two commas, semicolons or full stops."""

from __future__ import annotations

CLAUSE_STOP = "，,;；。:!?！？"


def clause_start(text: str, at: int, low: int = 0) -> int:
    """Start of the clause holding ``text[at]``, not before ``low``."""
    i = at
    while i > low and text[i - 1] not in CLAUSE_STOP:
        i -= 1
    return i


def clause_end(text: str, at: int, high: int | None = None) -> int:
    """End of the clause holding ``text[at]``, not after ``high``."""
    high = len(text) if high is None else high
    i = at
    while i < high and text[i] not in CLAUSE_STOP:
        i += 1
    return i
