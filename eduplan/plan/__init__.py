"""Reading and parsing plan documents: pure functions and dataclasses, no database, no web.

    from eduplan.plan import read_plan, parse_text
    parsed = read_plan("plan.docx")        # or parse_text(text)
    for plan in parsed.plans:
        for target in plan.targets:
            print(target.metric, target.comparator, target.value, target.unit)
"""

from __future__ import annotations

from pathlib import Path

from .model import CONFIDENT, Baseline, Blank, Heading, Measure, ParsedSource, Plan, Target
from .pipeline import parse_text

__all__ = ["CONFIDENT", "Baseline", "Blank", "Heading", "Measure", "ParsedSource", "Plan", "Target", "parse_text", "read_plan"]


def read_plan(path: str | Path) -> ParsedSource:
    """Read a .txt/.docx/.html/.pdf file and parse it. Raises ``EduplanError`` on bad files."""
    from .readers import read_source

    path = Path(path)
    return parse_text(read_source(path), source=path.name)
