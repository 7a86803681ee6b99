"""Lines of analysis text that remember where each character came from in the original.

The parser reads a normalised copy of every line (half-width digits and brackets, simplified
characters, no stray spaces or docx artefacts) but every fact it reports must point back into
the original text. A ``Line`` keeps that map as a few runs instead of one offset per character.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass
class Line:
    text: str  # analysis form
    # Runs of copied characters: run k starts at analysis index run_at[k] and original offset
    # run_orig[k]; characters between runs were removed from the analysis form.
    run_at: list[int] = field(default_factory=list)
    run_orig: list[int] = field(default_factory=list)

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

    def slice(self, begin: int, stop: int) -> Line:
        """A new line for ``text[begin:stop]``, keeping the map."""
        k = bisect_right(self.run_at, begin) - 1
        run_at, run_orig = [0], [self.run_orig[k] + begin - self.run_at[k]]
        for at, orig in zip(self.run_at[k + 1:], self.run_orig[k + 1:], strict=True):
            if at >= stop:
                break
            run_at.append(at - begin)
            run_orig.append(orig)
        return Line(self.text[begin:stop], run_at, run_orig)
