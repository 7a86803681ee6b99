"""Lines of analysis text that remember where each character came from in the original.

The parser reads a normalised copy of every line (half-width digits and brackets, simplified
characters, no stray spaces, glosses or docx artefacts) but every fact it reports must point
back into the original text. A ``Line`` keeps that map as a few runs instead of one offset per
character, and remembers where whitespace was dropped: a gap in the middle of a line is often a
lost line break ("一、总体要求  坚持…"), which the heading finder needs to see.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field


@dataclass
class Line:
    text: str  # analysis form
    # Runs of copied characters: run k starts at analysis index run_at[k] and original offset
    # run_orig[k]; characters between runs were removed from the analysis form.
    run_at: list[int] = field(default_factory=list)
    run_orig: list[int] = field(default_factory=list)
    # Analysis indices whose character followed whitespace (or a scraper's paragraph mark) that
    # was dropped: soft breaks inside the line.
    breaks: list[int] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.run_orig[0] if self.run_orig else 0

    @property
    def end(self) -> int:
        return self.to_original(len(self.text) - 1) + 1 if self.text else self.start

    def to_original(self, index: int) -> int:
        """Original offset of the analysis character at ``index``."""
        k = bisect_right(self.run_at, index) - 1
        return self.run_orig[k] + index - self.run_at[k]

    def span(self, begin: int, stop: int) -> tuple[int, int]:
        """Original (start, end) of the analysis slice ``text[begin:stop]``."""
        if stop <= begin:
            at = self.to_original(min(begin, max(len(self.text) - 1, 0))) if self.text else self.start
            return at, at
        return self.to_original(begin), self.to_original(stop - 1) + 1

    def breaks_between(self, begin: int, stop: int) -> list[int]:
        """Soft breaks at analysis indices in ``(begin, stop)``."""
        return self.breaks[bisect_right(self.breaks, begin):bisect_left(self.breaks, stop)]

    def printed(self, original: str, begin: int, stop: int) -> str:
        """The original characters of ``text[begin:stop]`` without what the analysis dropped
        (glosses, artefacts, whitespace): a title as printed, minus a site's injections."""
        if stop <= begin:
            return ""
        pieces = []
        k = bisect_right(self.run_at, begin) - 1
        at = begin
        while at < stop:
            run_end = self.run_at[k + 1] if k + 1 < len(self.run_at) else len(self.text)
            upto = min(stop, run_end)
            offset = self.run_orig[k] + at - self.run_at[k]
            pieces.append(original[offset:offset + upto - at])
            at = upto
            k += 1
        return "".join(pieces)

    def slice(self, begin: int, stop: int) -> Line:
        """A new line for ``text[begin:stop]``, keeping the map."""
        k = bisect_right(self.run_at, begin) - 1
        run_at, run_orig = [0], [self.run_orig[k] + begin - self.run_at[k]]
        for at, orig in zip(self.run_at[k + 1:], self.run_orig[k + 1:], strict=True):
            if at >= stop:
                break
            run_at.append(at - begin)
            run_orig.append(orig)
        return Line(self.text[begin:stop], run_at, run_orig, [b - begin for b in self.breaks_between(begin, stop)])

    def joined(self, other: Line) -> Line:
        """This line with ``other`` appended: a sentence a line break had cut in two."""
        shift = len(self.text)
        return Line(self.text + other.text, self.run_at + [at + shift for at in other.run_at],
                    self.run_orig + other.run_orig, self.breaks + [b + shift for b in other.breaks])

    def without(self, begin: int, stop: int) -> Line:
        """A new line with ``text[begin:stop]`` removed (a page number glued into a sentence)."""
        if begin <= 0:
            return self.slice(stop, len(self.text))
        left, right = self.slice(0, begin), self.slice(stop, len(self.text))
        shift = len(left.text)
        return Line(left.text + right.text, left.run_at + [at + shift for at in right.run_at],
                    left.run_orig + right.run_orig, left.breaks + [shift] + [b + shift for b in right.breaks])
