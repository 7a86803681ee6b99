"""Clauses: the stretch of a sentence between two commas, semicolons or full stops."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

CLAUSE_STOP = "，,;；。:!?！？"
# A clause is short; looking no further than this keeps a 50,000-character line linear.
_WINDOW = 300
_STOP_OR_DOT = re.compile(rf"[{CLAUSE_STOP}.]")


def _is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def _scraped_stop(text: str, i: int) -> bool:
    """An ASCII full stop between two Chinese characters is a scraped 。 ("…以上.粤东…"),
    not a decimal point."""
    return 0 < i < len(text) - 1 and _is_cjk(text[i - 1]) and _is_cjk(text[i + 1])


@lru_cache(maxsize=16)
def _stops(text: str) -> list[int]:
    """Where the clauses of ``text`` end, in order: found once per line, then looked up by
    bisection for every quantity and gap in it."""
    return [m.start() for m in _STOP_OR_DOT.finditer(text) if m.group() != "." or _scraped_stop(text, m.start())]


def clause_start(text: str, at: int, low: int = 0) -> int:
    """Start of the clause holding ``text[at]``, not before ``low``."""
    stops = _stops(text)
    i = bisect_left(stops, at)
    previous = stops[i - 1] + 1 if i else 0
    return max(low, at - _WINDOW, previous)


def clause_end(text: str, at: int, high: int | None = None) -> int:
    """End of the clause holding ``text[at]``, not after ``high``."""
    high = min(len(text) if high is None else high, at + _WINDOW)
    stops = _stops(text)
    i = bisect_left(stops, at)
    return min(high, stops[i]) if i < len(stops) else high
