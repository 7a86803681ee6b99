"""Clauses: the stretch of a sentence between two commas, semicolons or full stops."""

from __future__ import annotations

CLAUSE_STOP = "，,;；。:!?！？"
# A clause is short; looking no further than this keeps a 50,000-character line linear.
_WINDOW = 300


def _is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def _scraped_stop(text: str, i: int) -> bool:
    """An ASCII full stop between two Chinese characters is a scraped 。 ("…以上.粤东…"),
    not a decimal point."""
    return 0 < i < len(text) - 1 and _is_cjk(text[i - 1]) and _is_cjk(text[i + 1])


def clause_start(text: str, at: int, low: int = 0) -> int:
    """Start of the clause holding ``text[at]``, not before ``low``."""
    low = max(low, at - _WINDOW)
    best = low
    for stop in CLAUSE_STOP:
        k = text.rfind(stop, best, at)
        if k >= best:
            best = k + 1
    k = text.rfind(".", best, at)
    while k >= best:
        if _scraped_stop(text, k):
            return k + 1
        k = text.rfind(".", best, k)
    return best


def clause_end(text: str, at: int, high: int | None = None) -> int:
    """End of the clause holding ``text[at]``, not after ``high``."""
    high = min(len(text) if high is None else high, at + _WINDOW)
    best = high
    for stop in CLAUSE_STOP:
        k = text.find(stop, at, best)
        if k >= 0:
            best = k
    k = text.find(".", at, best)
    while k >= 0:
        if _scraped_stop(text, k):
            return k
        k = text.find(".", k + 1, best)
    return best
