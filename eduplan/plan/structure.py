"""Stages that find a plan's skeleton: headings, plan boundaries, levels, passages, measures."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from .document import HeadingNode, Passage, PlanBlock, PlanDocument
from .headings import (
    STYLE_ORDER,
    HeadingMatch,
    Label,
    heading_match,
    label_for,
    labels_in,
    next_label_pattern,
)
from .lines import Line
from .model import Measure
from .titles import TITLE_MAX_LEN, is_title_line

ISSUER = re.compile(r"(?:教育局|教育体育局|教体局|教育和体育局|教育委员会|教育工作委员会|教育工作领导小组|教育督导室|人民政府(?:办公室)?|教育科学研究院)$")
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$|^[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日$")
# Sections that look back at results already achieved: their numbers are not commitments.
REVIEW_TITLE = re.compile(
    r"主要成就|取得的成[就绩效]|成就与|工作回顾|回顾与|工作总结|发展基础|基础与(?:环境|形势)|发展现状|现状与|"
    r"发展环境|面临的形势|形势与(?:挑战|任务)|^机遇$|^挑战$|^机遇与挑战$|完成情况|落实情况|进展情况|工作成效|主要成效|"
    r"取得成效|基本情况|存在(?:的)?问题|问题与不足|^.{0,4}现状$|教育现状|(?:规划|发展)背景"
)
# A short line without a number that heads what follows ("落实情况"): an unnumbered heading.
_BARE_HEADING = re.compile(r"^[\u4e00-\u9fff]{2,10}$")
_YEAR_IN_TITLE = re.compile(r"(20\d\d)\s*年")
_SENTENCE_END = re.compile(r"[。;!?]")


_PLAN_TITLE_HINT = re.compile(r"20\d\d|十[一二三四五]五|要点|计划|规划")


def starts_plan(text: str) -> bool:
    """A title line that starts a plan of its own: a second plan on the same page restarts
    the numbering (a bare "…行动" or "…意见" line inside a plan does not)."""
    return "教育" in text and bool(_PLAN_TITLE_HINT.search(text)) and is_title_line(text)


_LOOK_AHEAD = 20_000  # characters searched for the label that would confirm a new sequence


class _Sequences:
    """What the numbering so far allows next: the last number of each style, and which
    styles a higher heading has opened again since their last heading (so they may restart)."""

    def __init__(self) -> None:
        self.last: dict[str, int] = {}
        self.fresh: set[str] = set()

    def copy(self) -> _Sequences:
        other = _Sequences()
        other.last, other.fresh = dict(self.last), set(self.fresh)
        return other

    def nested(self, style: str) -> bool:
        return any(self.last.get(s) for s in STYLE_ORDER[:STYLE_ORDER.index(style)])

    def take(self, style: str, number: int) -> None:
        self.last[style] = number
        self.fresh.discard(style)
        rank = STYLE_ORDER.index(style)
        for lower in STYLE_ORDER[rank + 1:]:
            self.fresh.add(lower)
            # (1) restarts under each 1.; arabic items may run on across sections.
            # 第一节 restarts under each chapter.
            if lower in ("par", "circ", "alpha", "pcn", "sec") or (lower == "ar" and style == "chap"):
                self.last.pop(lower, None)


class _LabelView:
    """The labels of a line, or of the part of it a split left: a window on the list found for
    the whole line, shifted on reading. A long line split at each of its headings so costs
    no copy of all the labels after each split."""

    def __init__(self, labels: list[Label], start: int = 0, stop: int | None = None, shift: int = 0) -> None:
        self.all, self.start, self.shift = labels, start, shift
        self.stop = len(labels) if stop is None else stop

    def __bool__(self) -> bool:
        return self.start < self.stop

    def __getitem__(self, k: int) -> Label:
        return self._shifted(self.all[self.start + k])

    def __iter__(self) -> Iterator[Label]:
        for k in range(self.start, self.stop):
            yield self._shifted(self.all[k])

    def _shifted(self, label: Label) -> Label:
        if not self.shift:
            return label
        begin = label.begin - self.shift
        return Label(label.style, label.number, begin, label.end - self.shift, "start" if begin == 0 else label.place,
                     label.damaged)

    def split(self, at: int) -> tuple[_LabelView, _LabelView]:
        """The views for the line's text before ``at`` and from ``at`` on."""
        cut = bisect_left(self.all, at + self.shift, self.start, self.stop, key=lambda label: label.begin)
        return _LabelView(self.all, self.start, cut, self.shift), _LabelView(self.all, cut, self.stop, self.shift + at)


class _Finder:
    """Walks the lines once, deciding which labels are headings and splitting lines where a
    heading starts inside one."""

    def __init__(self, doc: PlanDocument) -> None:
        self.doc = doc
        self.joined = "\n".join(line.text for line in doc.lines)
        self.offsets: list[int] = []  # where each current line starts in ``joined``
        at = 0
        for line in doc.lines:
            self.offsets.append(at)
            at += len(line.text) + 1
        self.ahead: dict[tuple[str, int], list[int]] = {}
        self.labels: dict[int, _LabelView] = {}  # by id() of a line: labels found in it
        # The lines cut out of a longer line, by id(); the line itself is kept so that its id
        # cannot be reused by a new line while the walk goes on.
        self.split_off: dict[int, Line] = {}

    def confirmed(self, i: int, label: Label, number: int) -> bool:
        """Does the label after this one (number + 1 of its style) follow soon?"""
        key = (label.style, number + 1)
        if key not in self.ahead:
            self.ahead[key] = [m.start() for m in next_label_pattern(*key).finditer(self.joined)]
        found = self.ahead[key]
        at = self.offsets[i] + label.end
        k = bisect_right(found, at - 1)
        return k < len(found) and found[k] <= at + _LOOK_AHEAD

    def split(self, i: int, at: int) -> None:
        line = self.doc.lines[i]
        left, right = line.slice(0, at), line.slice(at, len(line.text))
        labels = self.labels.pop(id(line), None)
        if labels is not None:  # the labels already found need not be looked for again
            self.labels[id(left)], self.labels[id(right)] = labels.split(at)
        self.doc.lines[i:i + 1] = [left, right]
        self.offsets[i:i + 1] = [self.offsets[i], self.offsets[i] + at]
        if self.split_off.pop(id(line), None) is not None:
            self.split_off[id(left)] = left  # a part split again: its first piece was cut out too
        self.split_off[id(right)] = right

    def labels_of(self, line: Line) -> _LabelView:
        if id(line) not in self.labels:
            self.labels[id(line)] = _LabelView(labels_in(line))
        return self.labels[id(line)]

    def run(self) -> None:
        seq = _Sequences()
        i = 0
        while i < len(self.doc.lines):
            line = self.doc.lines[i]
            if starts_plan(line.text) and not _starts_with_label(line.text):
                seq = _Sequences()  # a new plan starts its numbering again
            labels = self.labels_of(line)
            if not labels:
                i += 1
                continue
            trial = seq.copy()
            node = None
            if labels and labels[0].begin == 0:
                node = self.accept(i, line, labels[0], trial, None)
            at = self.run_on(i, line, labels, trial, node)
            if at is not None:
                self.split(i, at)
                continue
            if node is not None:
                self.doc.heading_at[i] = node
                seq = trial
            i += 1
        self.doc.split_lines = {k for k, line in enumerate(self.doc.lines) if id(line) in self.split_off}

    def run_on(self, i: int, line: Line, labels: _LabelView, state: _Sequences, node: HeadingNode | None) -> int | None:
        """Where a heading starts later in this line, if one does."""
        for label in labels:
            if label.begin == 0 or (node is not None and label.begin < node.match.title_begin):
                continue
            if label.style in _LINE_START_ONLY and label.place != "break":
                continue  # "…：①…；②…" and "(1)…；(2)…" inside a paragraph enumerate, they head nothing
            if self.accept(i, line, label, state.copy(), node) is not None:
                return label.begin
        return None

    def accept(self, i: int, line: Line, label: Label, state: _Sequences, head: HeadingNode | None) -> HeadingNode | None:
        """The heading this label opens if it fits the numbering; updates ``state``.

        ``head`` is the heading the line opened, for a label found inside the line.
        """
        m = heading_match(line, label)
        if m is None:
            return None
        last = state.last.get(label.style)
        number = label.number if label.number is not None else (last or 0) + 1
        if label.style == "ar" and label.damaged and (last is None or number != last + 1):
            return None  # a bare number heads something only as the next of a running sequence
        place = label.place
        strong_place = place in ("start", "break")
        if last is not None and number == last + 1:
            ok = place != "glued" or label.style != "cn" or m.looks_strong
        elif last is not None and last < number:
            strong = m.looks_strong and state.nested(label.style)
            ok = strong_place and number <= last + (5 if strong else 2)
        elif number == 1 and (last is None or label.style in state.fresh):
            ok = self.may_start(i, line, label, number, state, m, head)
        elif last is None:
            ok = strong_place and (number <= 3 or (m.looks_strong and number <= 30))
        else:
            ok = False
        if not ok:
            return None
        state.take(label.style, number)
        return HeadingNode(i, label.style, number, m)

    def may_start(self, i: int, line: Line, label: Label, number: int, state: _Sequences, m: HeadingMatch,
                  head: HeadingNode | None) -> bool:
        """May a new sequence start here? Freely where a line starts; inside a line only where
        a heading fits: under a higher heading, confirmed by the label that follows."""
        if label.place in ("start", "break") or label.style in ("chap", "sec"):
            return True
        text, at = line.text, label.begin
        after_heading = head is not None and _STYLE_RANK[head.style] < _STYLE_RANK[label.style] and (
            at - head.match.title_begin <= 45 and "。" not in text[head.match.title_begin:at])
        after_title = label.style == "cn" and at <= TITLE_MAX_LEN and not state.last and is_title_line(text[:at])
        if label.place == "glued":
            return (after_heading or after_title) and self.confirmed(i, label, number)
        return after_heading or state.nested(label.style) or text[at - 1:at] == ":" or (
            self.confirmed(i, label, number)) or (m.looks_strong and m.cut in ("cue", "break", "label"))


_LINE_START_ONLY = ("par", "circ", "alpha")
_STYLE_RANK = {s: k for k, s in enumerate(STYLE_ORDER)}


def find_headings(doc: PlanDocument) -> PlanDocument:
    """Recognise numbered headings, following each style's sequence.

    The sequence tells a real heading from a sentence that happens to start with "5、", gives
    a heading whose numeral was lost its number back, and finds labels that ran into the
    previous line (the line is split there and both parts are read again).
    """
    _Finder(doc).run()
    return doc


def _starts_with_label(text: str) -> bool:
    return bool(re.match(r"^(?:[一二三四五六七八九十]{1,3}[、.]|\(|\d{1,2}[.、]|第[一二三四五六七八九十]{1,3}[章部篇节])", text))


_LEAST_PLAN = 300  # characters: a plan with no headings is at least this long


def split_plans(doc: PlanDocument) -> PlanDocument:
    """Cut the text into plans: a title line after some headings starts the next plan."""
    block = PlanBlock(first_line=0, last_line=len(doc.lines))
    has_headings = False
    for i, line in enumerate(doc.lines):
        if i in doc.heading_at:
            has_headings = True
            continue
        if not starts_plan(line.text):
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
    last = doc.plans[-1]
    if len(doc.plans) > 1 and not last.headings and (last.title_line is None or sum(
            len(doc.lines[i].text) for i in range(last.first_line, last.last_line)) < _LEAST_PLAN):
        doc.plans.pop()  # a site's list of related titles after the plan, not a plan of its own
    return doc



def assign_levels(doc: PlanDocument) -> PlanDocument:
    """Levels follow the styles a plan uses; each heading gets its label path."""
    for plan in doc.plans:
        # A plan's top level is 一、 even where an excerpt shows only (一) or 1. below it.
        used = [s for s in STYLE_ORDER if s == "cn" or any(h.style == s for h in plan.headings)]
        stack: list[HeadingNode] = []
        for h in plan.headings:
            h.level = used.index(h.style) + 1
            h.label = label_for(h.style, h.number)
            while stack and stack[-1].level >= h.level:
                stack.pop()
            stack.append(h)
            h.path = tuple(s.label for s in stack)
    return doc


def _title(doc: PlanDocument, h: HeadingNode) -> str:
    return doc.lines[h.line].text[h.match.title_begin:h.match.title_end]


def find_issuer(doc: PlanDocument) -> PlanDocument:
    """The signing body on a short line near the plan's end; it and the date end the plan.
    Without one, the signature of a notice that sends the plan out (…关于印发《…》的通知,
    signed and dated above the plan's own title)."""
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
        if plan.issuer_line is None:
            opening_end = plan.headings[0].line if plan.headings else plan.last_line
            plan.issuer_line = _notice_signature(doc, plan.first_line, min(opening_end, plan.first_line + _NOTICE_LINES))
    return doc


_NOTICE_LINES = 15  # a notice's title, number, addressees, a paragraph, signature and date


def _notice_signature(doc: PlanDocument, begin: int, end: int) -> int | None:
    """In a plan's opening, a signature line that a date follows."""
    lines = doc.lines
    for i in range(begin, end - 1):
        if len(lines[i].text) <= 30 and ISSUER.search(lines[i].text) and _DATE_LINE.match(lines[i + 1].text):
            return i
    return None


def collect_passages(doc: PlanDocument) -> PlanDocument:
    """Body text of each heading, as (line, begin, end) stretches, each marked when it looks
    back at past results (under a review heading, or an unnumbered one such as 落实情况)."""
    for plan in doc.plans:
        _mark_review(doc, plan)
        current: int | None = None
        looking_back = False
        index = {h.line: k for k, h in enumerate(plan.headings)}
        start = plan.title_line + 1 if plan.title_line is not None else plan.first_line
        for i in range(start, plan.last_line):
            text = doc.lines[i].text
            begin = 0
            if i in index:
                current = index[i]
                looking_back = False
                m = plan.headings[current].match
                plan.passages.append(Passage(i, m.title_begin, m.title_end, current, is_title=True,
                                             review=plan.headings[current].review))
                begin = m.body_begin
            elif _DATE_LINE.match(text):
                continue
            elif _BARE_HEADING.match(text):
                looking_back = bool(REVIEW_TITLE.search(text))
                if looking_back:
                    continue
            review = looking_back or (current is not None and plan.headings[current].review)
            if begin < len(text):
                plan.passages.append(Passage(i, begin, len(text), current, review=review))
    return doc


def _mark_review(doc: PlanDocument, plan: PlanBlock) -> None:
    """Headings inside a look back: named so, or about a year before the plan's own."""
    first_year = plan.period[0] if plan.period else None
    stack: list[HeadingNode] = []
    for h in plan.headings:
        while stack and stack[-1].level >= h.level:
            stack.pop()
        stack.append(h)
        title = _title(doc, h)
        years = [int(y) for y in _YEAR_IN_TITLE.findall(title)]
        h.review = bool(REVIEW_TITLE.search(title)) or bool(first_year and years and max(years) < first_year) or (
            len(stack) > 1 and stack[-2].review)


def collect_measures(doc: PlanDocument) -> PlanDocument:
    """Each sentence under a numbered heading is one measure."""
    for plan in doc.plans:
        for p in plan.passages:
            if p.heading is None or p.is_title:
                continue
            line = doc.lines[p.line]
            path = plan.headings[p.heading].path
            start = p.begin
            for m in _SENTENCE_END.finditer(line.text, p.begin, p.end):
                _add_measure(doc, plan, line, path, start, m.end())
                start = m.end()
            _add_measure(doc, plan, line, path, start, p.end)
    return doc


def _add_measure(doc: PlanDocument, plan: PlanBlock, line: Line, path: tuple[str, ...], begin: int, end: int) -> None:
    if end - begin < 2 or len(line.text[begin:end].strip("。;!? ")) < 2:
        return
    s, e = line.span(begin, end)
    plan.measures.append(Measure(list(path), doc.quote(s, e), s, e))
