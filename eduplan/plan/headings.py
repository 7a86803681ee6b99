"""Numbered labels and the heading titles they start.

Styles are named by their numbering, highest first: 第一章/第一部分 (``chap``), 第一节 (``sec``), 一、 (``cn``),
(一) (``pcn``), 1. or 1、 (``ar``), (1) or 1) (``par``), ① (``circ``), A. (``alpha``). A plan's levels come
from which styles it uses, in that fixed order.

A label can stand where a line starts, but scraped text also puts it after a dropped line
break (a soft break), after a sentence end, or glued to the words before it. ``labels_in``
lists every label in a line with the kind of place it stands in; which of them are headings is
decided by the sequence they form (``structure.find_headings``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .lines import Line
from .numerals import UNITS, chinese_to_number
from .titles import title_prefix

STYLE_ORDER = ("chap", "sec", "cn", "pcn", "ar", "par", "circ", "alpha")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
CN_NUM = "[一二三四五六七八九十]{1,3}"
_CJK = "\u4e00-\u9fff"

# (style, pattern anchored where the label starts, damaged)
_LABELS: tuple[tuple[str, re.Pattern[str], bool], ...] = (
    ("chap", re.compile(rf"第({CN_NUM})(?:章|部分|篇)"), False),
    ("sec", re.compile(rf"第({CN_NUM})节"), False),
    ("cn", re.compile(rf"({CN_NUM})\s*(?:、|[.,](?!\d))"), False),
    ("pcn", re.compile(rf"\(({CN_NUM})\)[、.]?"), False),
    ("pcn", re.compile(rf"({CN_NUM})\)(?=[{_CJK}])"), True),  # lost "("
    ("ar", re.compile(r"(\d{1,2})\s*[.、](?!\d)"), False),
    ("par", re.compile(r"\((\d{1,2})\)"), False),
    ("par", re.compile(r"(\d{1,2})\)(?=[^\d)])"), False),  # "2)" is written for (2)
    ("circ", re.compile(f"([{CIRCLED}])"), False),
    ("alpha", re.compile(rf"([A-H])[.、](?=[{_CJK}])"), False),  # A. B. C. under an item
)
# A number whose 、 or . was lost ("。4 加强…"): read only where a space still stands after it
# and the next character opens a word, not a unit ("4 所"), and only as the next number of a
# running sequence (structure.accept).
_BARE_NUMBER = re.compile(r"(\d{1,2})(?![\d.])")
_NOT_AFTER_BARE = {unit[0] for unit in UNITS} | set("千百万亿月日号届")
# The characters a label can start with (a test checks this against the patterns).
_LABEL_FIRST_CHARS = "第一二三四五六七八九十(0123456789)ABCDEFGH" + CIRCLED
_LABEL_FIRST = frozenset(_LABEL_FIRST_CHARS)
_LOST_BOTH = re.compile(rf"\)(?=[{_CJK}])")  # "(" and the numeral lost: only at a line start
# Places inside a line where a label may stand without a break before it.
_AFTER_SENTENCE = re.compile(rf"[。;!?:](?=[{re.escape(_LABEL_FIRST_CHARS)}])")
# Written to start with the label's own characters (a pattern that opens with a look-behind
# is tried at every position); what must stand before a glued label is checked in labels_in.
_GLUED = re.compile(
    rf"[\d一二三四五六七八九十](?:(?<=\d)\d?[.、]|(?<=[一二三四五六七八九十])[一二三四五六七八九十]{{0,2}}、)(?=[{_CJK}“])"
    rf"|\({CN_NUM}\)"
)
_GLUED_AFTER = re.compile(rf"[{_CJK}”）)%]")
# Characters that make a numeral before 、 part of a word (统一、 高一、 之一、), not a label.
_WORD_BEFORE_CN = set("统唯第之初高同万专单逐均划归合其另")

_TITLE_STOP = re.compile(r"[。:!?]")
_TRAILING_PUNCT = " 。.,，;；:：、!！?？("
# Words that open a body sentence: where a heading runs into its text with no punctuation
# ("一、工作目标到2030年…", "(一)发展背景坚持…"), the title ends before them.
_BODY_CUE = re.compile(
    r"(?:我|(?<![健完齐安保周成])全)[区县市省镇州局校]|各级|坚持|积极|认真|紧紧|始终|着力|大力|切实|继续|按照|根据|围绕|"
    r"通过|依托|针对|为了|为进一步|近年来|目前|当前|今年|到20\d\d|截至|20\d\d年|“(?=十[一二三四五]?五”)|"
    # a guiding-ideology paragraph opens on the doctrine it follows ("指导思想以…为指导")
    r"以[^,;。]{2,40}?为(?:指导|引领|统领)|高举|深入贯彻|全面贯彻|认真贯彻|深入学习"
)
_STRONG_CUE = re.compile(r"“(?=十[一二三四五]?五”)|(?:19|20)\d\d年(?:以来|来|,)|我[区县市](?=[\u4e00-\u9fff])|近年来|截至")
# The first item of a lower level glued to a heading's title ("…工作成效(一)基础…").
_FIRST_ITEM = re.compile(rf"\(一\)|(?<![\d.]){1}[.、](?=[{_CJK}])")
# The standing names of a plan's parts: one of them followed straight by a body cue is the whole
# title, however short the line ("一、总体要求坚持稳中求进,…").
_PART_NAME = re.compile(
    r"(?:指导思想|总体要求|总体思路|工作思路|基本原则|工作目标|总体目标|发展目标|主要目标|目标任务|"
    r"主要任务|重点任务|重点工作|主要工作|工作重点|保障措施|工作措施|组织保障|实施步骤|工作要求)"
)
_CUE_FROM, _CUE_UNTIL = 4, 30  # a run-in title has this many characters at least / at most
# A section heading is its whole line, a colon and a subtitle included; an item's title ends
# at its colon (SCHEMA). Only a short line with no sentence after the colon is a subtitle.
_SECTION_STYLES = ("chap", "sec", "cn")
_SUBTITLED = 30
_SENTENCE_IN = re.compile(r"[。;!?,、]|\d|[一二两三四五六七八九十]+[所个名项]")
_RUN_ON = 20
_TITLE_WINDOW = 400  # no title is longer: a line without punctuation is not read to its end


@dataclass
class Label:
    style: str
    number: int | None  # None when the numeral was lost and must come from the sequence
    begin: int  # analysis index where the label starts
    end: int  # where it ends
    place: str  # "start", "break" (after dropped whitespace), "sentence" or "glued"
    damaged: bool = False


@dataclass
class HeadingMatch:
    style: str
    number: int | None
    label_end: int  # analysis index where the label ends
    title_begin: int
    title_end: int
    body_begin: int  # run-in body starts here; == len(text) when the line is only a heading
    damaged: bool = False
    cut: str = "punct"  # how the title ended: punct, line, break, cue

    @property
    def looks_strong(self) -> bool:
        """A short title (40 characters at most): unmistakably a heading, not a sentence."""
        return self.title_end - self.title_begin <= 40


def label_at(text: str, at: int, place: str) -> Label | None:
    """The label that starts at ``text[at]``, if any."""
    if text[at] not in _LABEL_FIRST:
        return None  # most places looked at hold no label: say so without trying each pattern
    for style, pattern, damaged in _LABELS:
        m = pattern.match(text, at)
        if m:
            if style == "cn" and at and text[at - 1] in _WORD_BEFORE_CN and title_prefix(text) != at:
                return None  # 统一、 高一、 … but "…工作计划一、指导思想" is a title, then a label
            return Label(style, _number(style, m.group(1)), at, m.end(), place, damaged)
    if at == 0 and (m := _LOST_BOTH.match(text)):
        return Label("pcn", None, 0, m.end(), place, True)
    return None


def labels_in(line: Line) -> list[Label]:
    """Every label in a line, in order, with the kind of place it stands in."""
    text = line.text
    places: dict[int, str] = {0: "start"}
    for b in line.breaks:
        if b < len(text) and text[b] in _LABEL_FIRST:
            places.setdefault(b, "break")
    for m in _AFTER_SENTENCE.finditer(text):
        places.setdefault(m.end(), "sentence")
    for m in _GLUED.finditer(text):
        at = m.start()
        if text[at] == "(" or (at and _GLUED_AFTER.match(text, at - 1)):
            places.setdefault(at, "glued")
    found = []
    for at in sorted(places) if len(places) > 1 else places:
        if at < len(text) and (label := label_at(text, at, places[at]) or _bare_label(line, at, places[at])):
            found.append(label)
    return found


def _bare_label(line: Line, at: int, place: str) -> Label | None:
    """A damaged arabic label: the number, then a space where its 、 was."""
    if place not in ("start", "sentence") or not line.text[at].isdigit():
        return None
    m = _BARE_NUMBER.match(line.text, at)
    if m is None or m.end() >= len(line.text) or not line.breaks_between(m.end() - 1, m.end() + 1):
        return None
    following = line.text[m.end()]
    if not "\u4e00" <= following <= "\u9fff" or following in _NOT_AFTER_BARE:
        return None
    return Label("ar", int(m.group(1)), at, m.end(), place, damaged=True)


def _number(style: str, label: str) -> int | None:
    if style in ("chap", "sec", "cn", "pcn"):
        return chinese_to_number(label)
    if style == "circ":
        return CIRCLED.index(label) + 1
    if style == "alpha":
        return ord(label) - ord("A") + 1
    return int(label)


def heading_match(line: Line, label: Label, stop: int | None = None) -> HeadingMatch | None:
    """The heading a label at the start of ``line`` opens; ``stop`` bounds its text."""
    text = line.text
    stop = min(len(text) if stop is None else stop, label.end + _TITLE_WINDOW)
    begin = label.end
    while begin < stop and text[begin] in " 、.":
        begin += 1
    end, body, cut = _title_end(line, begin, stop)
    if (cut == "punct" and text[end] == ":" and label.style in _SECTION_STYLES and stop == len(text)
            and stop - begin <= _SUBTITLED and not _SENTENCE_IN.search(text, body, stop)
            and not _PART_NAME.fullmatch(text, begin, end)):  # 工作目标:全区学位充足 is a part and its body
        end, body, cut = stop, stop, "line"  # a section line with a subtitle: "一、扩优:让孩子上好学"
    while end > begin and text[end - 1] in _TRAILING_PUNCT:
        end -= 1
    if end <= begin:
        return None  # a bare label is no heading
    return HeadingMatch(label.style, label.number, label.end, begin, end, body, label.damaged, cut)


def _title_end(line: Line, begin: int, stop: int) -> tuple[int, int, str]:
    """(title end, body start, how it was cut): the first 。 or colon, a soft break, or the
    words that open a run-in body."""
    text = line.text
    punct = _TITLE_STOP.search(text, begin, stop)
    end, body, cut = (punct.start(), punct.end(), "punct") if punct else (stop, stop, "line")
    soft = [b for b in line.breaks_between(begin + 1, end) if b - begin >= 2]
    if soft:
        return soft[0], soft[0], "break"
    if (first_item := _FIRST_ITEM.search(text, begin + 2, end)) is not None:
        return first_item.start(), first_item.start(), "label"
    if (part := _PART_NAME.match(text, begin)) and part.end() < end and (
            _BODY_CUE.match(text, part.end()) or text[part.end()] == "“"):
        return part.end(), part.end(), "cue"
    if end - begin > _RUN_ON and not _BODY_CUE.match(text, begin):
        clause = re.search(r"[,;]", text[begin:end])
        limit = begin + min(_CUE_UNTIL, clause.start() if clause else _CUE_UNTIL)
        cue = _BODY_CUE.search(text, begin + _CUE_FROM, limit)
        if cue is None and clause is not None:
            # a title of two clauses ("优先保障投入,管理更加规范“十三五”期间…"): only a cue that
            # never stands inside a title ends it after its comma
            cue = _STRONG_CUE.search(text, begin + clause.end() + _CUE_FROM, begin + clause.end() + _CUE_UNTIL)
        if cue:
            return cue.start(), cue.start(), "cue"
    return end, body, cut


def label_for(style: str, number: int) -> str:
    """Normalised label: 一 (also for 第一章) / (一) / 8 / (1) / ①."""
    if style in ("cn", "chap", "sec"):
        return cn_numeral(number)
    if style == "pcn":
        return f"({cn_numeral(number)})"
    if style == "par":
        return f"({number})"
    if style == "circ":
        return CIRCLED[number - 1] if 0 < number <= len(CIRCLED) else str(number)
    if style == "alpha":
        return chr(ord("A") + number - 1) if 0 < number <= 26 else str(number)
    return str(number)


def cn_numeral(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


@cache
def next_label_pattern(style: str, number: int) -> re.Pattern[str]:
    """Where the label numbered ``number`` of ``style`` may stand anywhere in a text: used to
    confirm that a sequence a label would start really goes on."""
    # Look-behinds follow the numeral they guard, so the engine can skip ahead to the numeral.
    if style == "cn":
        numeral = cn_numeral(number)
        return re.compile(rf"{numeral}(?<![一二三四五六七八九十]{numeral})[、.]")
    if style == "pcn":
        return re.compile(rf"\({cn_numeral(number)}\)")
    if style == "sec":
        return re.compile(rf"第{cn_numeral(number)}节")
    if style == "chap":
        return re.compile(rf"第{cn_numeral(number)}(?:章|部分|篇)")
    if style == "par":
        return re.compile(rf"(?<!\d)\(?{number}\)")
    if style in ("circ", "alpha"):
        return re.compile(re.escape(label_for(style, number)))
    return re.compile(rf"{number}(?<![\d.]{number})[.、](?!\d)")
