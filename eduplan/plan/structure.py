"""Stages that find a plan's skeleton: headings, plan boundaries, levels, passages, measures."""

from __future__ import annotations

import re

from .document import HeadingNode, Passage, PlanBlock, PlanDocument
from .headings import STYLE_ORDER, inline_label, label_for, match_heading
from .lines import Line
from .model import Measure

# A plan's own title line: short, not a sentence, naming a plan genre.
TITLE_WORDS = re.compile(
    r"(?:工作要点|工作计划|工作安排|工作思路|工作重点|发展规划|五年规划|五年计划|事业.{0,8}规划|"
    r"教育.{0,8}规划|行动计划|工作方案)"
)
_TITLE_MAX_LEN = 70
ISSUER = re.compile(r"(?:教育局|教育体育局|教体局|教育和体育局|教育委员会|教育工作委员会|教育工作领导小组|教育督导室|人民政府(?:办公室)?|教育科学研究院)$")
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$|^[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日$")
# Sections that look back at results already achieved: their numbers are not commitments.
REVIEW_TITLE = re.compile(
    r"主要成就|取得的成[就绩效]|成就与|工作回顾|回顾与|工作总结|发展基础|基础与(?:环境|形势)|发展现状|现状与|"
    r"发展环境|面临的形势|形势与(?:挑战|任务)|^机遇$|^挑战$|^机遇与挑战$"
)
_SENTENCE_END = re.compile(r"[。;!?]")


def is_title_line(text: str) -> bool:
    return len(text) <= _TITLE_MAX_LEN and not text.endswith("。") and bool(TITLE_WORDS.search(text))


def find_headings(doc: PlanDocument) -> PlanDocument:
    """Recognise numbered headings line by line, following each style's sequence.

    The sequence tells a real heading from a sentence that happens to start with "5、", gives
    a heading whose numeral was lost its number back, and finds labels that ran into the
    previous line (the line is split there and both parts are read again).
    """
    last: dict[str, int] = {}
    i = 0
    while i < len(doc.lines):
        line = doc.lines[i]
        if is_title_line(line.text) and not _starts_with_label(line.text):
            last.clear()  # a new plan starts its numbering again
        state = dict(last)
        node = _accept(i, line, state)
        at = _run_on_label(line.text, state, node.match.label_end if node else 0)
        if at is not None:
            doc.lines[i:i + 1] = [line.slice(0, at), line.slice(at, len(line.text))]
            doc.split_lines = {j + 1 if j > i else j for j in doc.split_lines} | {i + 1}
            continue
        if node is not None:
            doc.heading_at[i] = node
            last = state
        i += 1
    return doc


def _accept(i: int, line: Line, state: dict[str, int]) -> HeadingNode | None:
    """The heading on this line if it fits its style's sequence; updates ``state``."""
    m = match_heading(line)
    if m is None:
        return None
    number = m.number if m.number is not None else state.get(m.style, 0) + 1
    nested = any(state.get(s) for s in STYLE_ORDER[:STYLE_ORDER.index(m.style)])
    if not _fits_sequence(number, state.get(m.style), m.looks_strong and nested):
        return None
    state[m.style] = number
    _forget_lower_styles(state, m.style)
    return HeadingNode(i, m.style, number, m)


def _starts_with_label(text: str) -> bool:
    return bool(re.match(r"^(?:[一二三四五六七八九十]{1,3}[、.]|\(|\d{1,2}[.、])", text))


def _fits_sequence(number: int, last: int | None, strong: bool) -> bool:
    if last is None:
        # A first heading numbered 7 is a sentence, unless it clearly heads an item under a
        # section (an excerpt whose numbering continues from elsewhere).
        return number <= 3 or strong
    # A clear heading may skip a few numbers lost in scraping; a doubtful one may not.
    return number == 1 or last < number <= last + (5 if strong else 2)


def _forget_lower_styles(last: dict[str, int], style: str) -> None:
    # (1) restarts under each 1.; arabic items may continue across sections, so keep "ar".
    rank = STYLE_ORDER.index(style)
    for lower in STYLE_ORDER[rank + 1:]:
        if lower in ("par", "circ") or (lower == "pcn" and style == "cn"):
            last.pop(lower, None)


def _run_on_label(text: str, state: dict[str, int], begin: int) -> int | None:
    found = [at for style in ("cn", "pcn", "ar") if style in state
             if (at := inline_label(text, style, state[style] + 1, begin)) is not None]
    return min(found) if found else None


def split_plans(doc: PlanDocument) -> PlanDocument:
    """Cut the text into plans: a title line after some headings starts the next plan."""
    block = PlanBlock(first_line=0, last_line=len(doc.lines))
    has_headings = False
    for i, line in enumerate(doc.lines):
        if i in doc.heading_at:
            has_headings = True
            continue
        if not is_title_line(line.text):
            continue
        if has_headings:
            block.last_line = i
            doc.plans.append(block)
            block = PlanBlock(first_line=i, last_line=len(doc.lines))
            has_headings = False
        if block.title_line is None:
            block.title_line = i
    doc.plans.append(block)
    for plan in doc.plans:
        plan.headings = [doc.heading_at[i] for i in range(plan.first_line, plan.last_line) if i in doc.heading_at]
    if len(doc.plans) > 1 and not doc.plans[-1].headings and doc.plans[-1].title_line is None:
        doc.plans.pop()
    return doc


def assign_levels(doc: PlanDocument) -> PlanDocument:
    """Levels follow the styles a plan uses; each heading gets its label path."""
    for plan in doc.plans:
        used = [s for s in STYLE_ORDER if any(h.style == s for h in plan.headings)]
        stack: list[HeadingNode] = []
        for h in plan.headings:
            h.level = used.index(h.style) + 1
            h.label = label_for(h.style, h.number)
            while stack and stack[-1].level >= h.level:
                stack.pop()
            stack.append(h)
            h.path = tuple(s.label for s in stack)
            h.review = any(REVIEW_TITLE.search(_title(doc, s)) for s in stack)
    return doc


def _title(doc: PlanDocument, h: HeadingNode) -> str:
    return doc.lines[h.line].text[h.match.title_begin:h.match.title_end]


def find_issuer(doc: PlanDocument) -> PlanDocument:
    """The signing body on a short line near the plan's end; it and the date end the plan."""
    for plan in doc.plans:
        start = plan.headings[-1].line + 1 if plan.headings else plan.first_line
        for i in range(plan.last_line - 1, max(start, plan.last_line - 6) - 1, -1):
            text = doc.lines[i].text
            if len(text) <= 30 and ISSUER.search(text):
                plan.issuer_line = i
                plan.last_line = i
                break
            if not _DATE_LINE.match(text) and len(text) > 30:
                break
    return doc


def collect_passages(doc: PlanDocument) -> PlanDocument:
    """Body text of each heading, as (line, begin, end) stretches."""
    for plan in doc.plans:
        current: int | None = None
        index = {h.line: k for k, h in enumerate(plan.headings)}
        for i in range(plan.first_line, plan.last_line):
            if i == plan.title_line:
                continue
            text = doc.lines[i].text
            begin = 0
            if i in index:
                current = index[i]
                m = plan.headings[current].match
                plan.passages.append(Passage(i, m.title_begin, m.title_end, current, is_title=True))
                begin = m.body_begin
            elif _DATE_LINE.match(text):
                continue
            if begin < len(text):
                plan.passages.append(Passage(i, begin, len(text), current))
    return doc


def collect_measures(doc: PlanDocument) -> PlanDocument:
    """Each sentence under a numbered heading is one measure."""
    for plan in doc.plans:
        for p in plan.passages:
            if p.heading is None or p.is_title:
                continue
            line = doc.lines[p.line]
            start = p.begin
            for m in _SENTENCE_END.finditer(line.text, p.begin, p.end):
                _add_measure(doc, plan, p, start, m.end())
                start = m.end()
            _add_measure(doc, plan, p, start, p.end)
    return doc


def _add_measure(doc: PlanDocument, plan: PlanBlock, p: Passage, begin: int, end: int) -> None:
    line = doc.lines[p.line]
    if len(line.text[begin:end].strip("。;!? ")) < 2:
        return
    s, e = line.span(begin, end)
    plan.measures.append(Measure(plan.under(p.heading), doc.quote(s, e), s, e))
