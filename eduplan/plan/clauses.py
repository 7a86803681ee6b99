"""Clauses: the stretch of a sentence between two commas, semicolons or full stops."""

from __future__ import annotations

CLAUSE_STOP = "，,;；。:!?！？"


def _stops(text: str, i: int) -> bool:
    """Does ``text[i]`` end a clause? An ASCII full stop between two Chinese characters is a
    scraped 。 ("…以上.粤东…"), not a decimal point."""
    c = text[i]
    if c in CLAUSE_STOP:
        return True
    return c == "." and 0 < i < len(text) - 1 and _is_cjk(text[i - 1]) and _is_cjk(text[i + 1])


def _is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def clause_start(text: str, at: int, low: int = 0) -> int:
    """Start of the clause holding ``text[at]``, not before ``low``."""
    i = at
    while i > low and not _stops(text, i - 1):
        i -= 1
    return i


def clause_end(text: str, at: int, high: int | None = None) -> int:
    """End of the clause holding ``text[at]``, not after ``high``."""
    high = len(text) if high is None else high
    i = at
    while i < high and not _stops(text, i):
        i += 1
    return i
