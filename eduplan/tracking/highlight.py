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

    Overlapping spans (a list such as "新建2所小学、1所初中和3所幼儿园" yields one target per
    item, each quote extending the last) share one mark over their union; every span keeps
    its anchor, so a link to any of them lands on the mark. Empty spans and spans outside
    ``text`` are skipped, so the result is always well-formed.
    """
    inside = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        start, end = span.start - offset, span.end - offset
        if 0 <= start < end <= len(text):
            inside.append((start, end, span))
    clusters: list[tuple[int, int, list[Span]]] = []
    for start, end, span in inside:
        if clusters and start < clusters[-1][1]:
            first, last, members = clusters[-1]
            clusters[-1] = (first, max(last, end), [*members, span])
        else:
            clusters.append((start, end, [span]))
    pieces: list[str] = []
    position = 0  # in text
    for start, end, members in clusters:
        pieces.append(escape(text[position:start]))
        pieces.extend(f'<span class="anchor" id="{escape(extra.anchor)}"></span>' for extra in members[1:])
        title = "；".join(m.title for m in members if m.title)
        pieces.append(f'<mark class="target" id="{escape(members[0].anchor)}" title="{escape(title)}">'
                      f"{escape(text[start:end])}</mark>")
        position = end
    pieces.append(escape(text[position:]))
    return mark_safe("".join(pieces))  # every piece above is escaped
