"""An indicator's formula: sums and differences of data-element codes.

``"public_kg_children + inclusive_private_kg_children"`` → ((+1, "public_kg_children"),
(+1, "inclusive_private_kg_children")). Ratios are built from two such sums (numerator over
denominator, times a factor) so aggregation can sum each side over the tree before dividing.
Pure.
"""

from __future__ import annotations

import math
import re

_TERM = re.compile(r"\s*([+-]?)\s*([A-Za-z_][A-Za-z0-9_]*)\s*")

Term = tuple[int, str]


def parse_sum(text: str) -> tuple[Term, ...]:
    """The signed element codes of ``text``; ValueError naming what is not a code."""
    terms: list[Term] = []
    position = 0
    text = (text or "").strip()
    while position < len(text):
        match = _TERM.match(text, position)
        if not match or (terms and not match.group(1)):
            raise ValueError(f"不是数据项代码之和：{text[position:position + 20]!r} / not a sum of element codes")
        terms.append((-1 if match.group(1) == "-" else 1, match.group(2)))
        position = match.end()
    return tuple(terms)


def codes(*sums: str) -> list[str]:
    """Every element code the sums name, once each, in order."""
    seen: dict[str, None] = {}
    for text in sums:
        for _, code in parse_sum(text):
            seen.setdefault(code)
    return list(seen)


def ratio(numerator: float | None, denominator: float | None, factor: float) -> float | None:
    """numerator / denominator × factor; None when there is nothing to divide by."""
    if numerator is None:
        return None
    if denominator is None:
        value = numerator * factor
    elif denominator == 0:
        return None
    else:
        value = numerator / denominator * factor
    return value if math.isfinite(value) else None
