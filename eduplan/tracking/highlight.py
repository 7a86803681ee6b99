"""Mark spans of a plan's source text (its targets) in HTML, escaping everything else.

Pure: no database. Span offsets index the whole ``Plan.source_text``; ``text`` is the slice
shown (``source_text[offset:...]``), so a span lands at ``start - offset`` in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    anchor: str  # the element id, e.g. "target-12"
    title: str = ""  # shown on hover


def highlight(text: str, spans: Iterable[Span], offset: int = 0) -> SafeString:
    """``text`` as HTML with ``<mark class="target">`` around each span.

    Spans are sorted; one that overlaps an earlier one, is empty or falls outside ``text``
    is skipped, so the result is always well-formed.
    """
    pieces: list[str] = []
    position = 0  # in text
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        start, end = span.start - offset, span.end - offset
        if start < position or end <= start or end > len(text):
            continue
        pieces.append(escape(text[position:start]))
        pieces.append(f'<mark class="target" id="{escape(span.anchor)}" title="{escape(span.title)}">'
                      f"{escape(text[start:end])}</mark>")
        position = end
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # every piece above is escaped
