"""Numbered headings: 一、 / (一) / 1. or 1、 / (1) / ①, including damaged ones.

Styles are named by their numbering; a plan's levels come from which styles it uses, in the
fixed order below (a plan without (一) puts its arabic items at level 2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .lines import Line
from .numerals import chinese_to_number

STYLE_ORDER = ("cn", "pcn", "ar", "par", "circ")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
CN_NUM = "[一二三四五六七八九十]{1,3}"

_PATTERNS: tuple[tuple[str, re.Pattern[str], bool], ...] = (
    # (style, pattern, damaged)
    ("cn", re.compile(rf"^({CN_NUM})\s*[、.,]"), False),
    ("pcn", re.compile(rf"^\(({CN_NUM})\)[、.]?"), False),
    ("pcn", re.compile(rf"^({CN_NUM})\)"), True),  # lost "("
    ("pcn", re.compile(r"^\)(?=[^\d\s])"), True),  # lost "(" and the numeral
    ("ar", re.compile(r"^(\d{1,2})\s*(?:[.、](?!\d)|\)(?=[^\d]))"), False),
    ("par", re.compile(r"^\((\d{1,2})\)"), False),
    ("circ", re.compile(f"^([{CIRCLED}])"), False),
)
_TITLE_STOP = re.compile(r"[。:]")
_TRAILING_PUNCT = " 。.,，;；:：、!！?？"


@dataclass
class HeadingMatch:
    style: str
    number: int | None  # None when the numeral was lost and must come from the sequence
    label_end: int  # analysis index where the label ends
    title_begin: int
    title_end: int
    body_begin: int  # run-in body starts here; == len(text) when the line is only a heading
    damaged: bool = False

    @property
    def looks_strong(self) -> bool:
        """A short title (40 characters at most): unmistakably a heading, not a sentence."""
        return self.title_end - self.title_begin <= 40


def match_heading(line: Line) -> HeadingMatch | None:
    text = line.text
    for style, pattern, damaged in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        number = _number(style, m.group(1)) if m.groups() else None
        return _with_title(text, style, number, m.end(), damaged)
    return None


def _number(style: str, label: str) -> int | None:
    if style in ("cn", "pcn"):
        return chinese_to_number(label)
    if style == "circ":
        return CIRCLED.index(label) + 1
    return int(label)


def _with_title(text: str, style: str, number: int | None, label_end: int, damaged: bool) -> HeadingMatch | None:
    begin = label_end
    while begin < len(text) and text[begin] in " 、.":
        begin += 1
    stop = _TITLE_STOP.search(text, begin)
    end = stop.start() if stop else len(text)
    body = stop.end() if stop else len(text)
    while end > begin and text[end - 1] in _TRAILING_PUNCT:
        end -= 1
    if end <= begin:
        return None  # a bare label is no heading
    return HeadingMatch(style, number, label_end, begin, end, body, damaged)


def label_for(style: str, number: int) -> str:
    """Normalised label: 一 / (一) / 8 / (1) / ①."""
    if style == "cn":
        return cn_numeral(number)
    if style == "pcn":
        return f"({cn_numeral(number)})"
    if style == "par":
        return f"({number})"
    if style == "circ":
        return CIRCLED[number - 1] if 0 < number <= len(CIRCLED) else str(number)
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


def inline_label(text: str, style: str, number: int, begin: int) -> int | None:
    """Where an expected next label runs on inside a line (a lost line break), or None.

    Only the label that continues the sequence counts, and only where a heading can start:
    after a sentence end, or for arabic items before Chinese text ("…体系10.推进…"), so
    that "2.0版本", "9、10月" or "、3所" never split a line.
    """
    m = _inline_pattern(style, number).search(text, max(begin, 1))
    return m.start() if m else None


@cache
def _inline_pattern(style: str, number: int) -> re.Pattern[str]:
    if style == "ar":
        return re.compile(rf"(?<![\d.A-Za-z]){number}[.、](?=[\u4e00-\u9fff“])")
    if style == "pcn":
        return re.compile(rf"(?<=[。;!?])\({cn_numeral(number)}\)")
    if style == "cn":
        return re.compile(rf"(?<=[。;!?]){cn_numeral(number)}、")
    return re.compile(r"(?!)")
