"""Word's automatic list numbering, rendered as the text labels Word shows.

A heading numbered by Word ("一、", "（一）", "1.", "①") has no label in its XML text: Word
computes it at display time from ``w:numPr`` and the package's numbering part. The parser
only reads text, so ``paragraph_labels`` redoes that computation for the body paragraphs in
document order: numPr on the paragraph or inherited from its style, num -> abstractNum (with
level and start overrides, and numbering-style links), one counter per list and level, and
the level's ``w:lvlText`` template with each ``%N`` in level N's format.

Numbering parts are often odd (hand-made, converted, damaged): anything that cannot be
resolved gives that paragraph no label rather than an error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from lxml.etree import _Element

__all__ = ["format_number", "paragraph_labels"]

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = f"{{{_W_NS}}}"
_W_VAL = f"{_W}val"
_W_P = f"{_W}p"
_MAX_LEVELS = 9  # ilvl 0-8
# numStyleLink -> numbering style -> num -> abstractNum can loop in a broken part.
_MAX_STYLE_LINKS = 4
_LEVEL_REF = re.compile(r"%([1-9])")

# ---------------------------------------------------------------- number formats

_CN_DIGITS = "〇一二三四五六七八九"
_CN_UNITS = ("", "十", "百", "千")
_LEGAL_SIMPLIFIED_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_LEGAL_TRADITIONAL_DIGITS = "零壹貳參肆伍陸柒捌玖"
_LEGAL_UNITS = ("", "拾", "佰", "仟")
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_IDEOGRAPH_DIGITS = str.maketrans("0123456789", _CN_DIGITS)


def _chinese_counting(value: int, digits: str, units: tuple[str, ...]) -> str | None:
    """一 … 十 十一 二十 一百零五 (or the legal 壹 … 拾 拾壹 壹佰零伍); None past 9999."""
    if value == 0:
        return digits[0]
    if not 0 < value < 10000:
        return None
    if 10 <= value < 20:  # 十一, not 一十一
        return units[1] + (digits[value % 10] if value % 10 else "")
    out: list[str] = []
    zero_pending = False
    for power in range(3, -1, -1):
        digit = value // 10**power % 10
        if digit == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append("零")  # a gap inside the number, whatever digit 0 looks like
            zero_pending = False
        out.append(digits[digit] + units[power])
    return "".join(out)


def _letters(value: int, alphabet: str) -> str | None:
    # Word repeats the letter past Z: 27 -> AA, 28 -> BB.
    if value < 1:
        return None
    return alphabet[(value - 1) % 26] * ((value - 1) // 26 + 1)


def _roman(value: int) -> str | None:
    if not 0 < value < 4000:
        return None
    out = []
    for amount, symbol in _ROMAN:
        count, value = divmod(value, amount)
        out.append(symbol * count)
    return "".join(out)


def _from_table(value: int, table: str) -> str | None:
    return table[value - 1] if 0 < value <= len(table) else None


def _ordinal(value: int) -> str:
    suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"


def _circled(value: int) -> str | None:
    if value == 0:
        return "⓪"
    return chr(0x2460 + value - 1) if 0 < value <= 20 else None


def format_number(value: int, fmt: str) -> str | None:
    """``value`` in the ``w:numFmt`` ``fmt`` as Word shows it; None for an unknown format.

    Formats with a fixed range (①-⑳, 甲-癸, roman numerals) fall back to decimal outside it,
    as Word does. Two deliberate deviations help the text parser: decimalEnclosedParen gives
    "(1)" rather than the single character "⑴", decimalEnclosedFullstop "1." rather than "⒈".
    """
    decimal = str(value)
    if fmt in ("decimal", "decimalHalfWidth"):
        return decimal
    if fmt == "none":
        return ""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand"):
        return _chinese_counting(value, _CN_DIGITS, _CN_UNITS) or decimal
    if fmt == "chineseLegalSimplified":
        return _chinese_counting(value, _LEGAL_SIMPLIFIED_DIGITS, _LEGAL_UNITS) or decimal
    if fmt in ("ideographLegalTraditional", "japaneseLegal"):
        return _chinese_counting(value, _LEGAL_TRADITIONAL_DIGITS, _LEGAL_UNITS) or decimal
    if fmt in ("ideographDigital", "taiwaneseDigital", "chineseCountingDigital"):
        return decimal.translate(_IDEOGRAPH_DIGITS)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _circled(value) or decimal
    if fmt == "decimalEnclosedParen":
        return f"({value})"
    if fmt == "decimalEnclosedFullstop":
        return f"{value}."
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return decimal.translate(_FULL_WIDTH_DIGITS)
    if fmt == "decimalZero":
        return f"0{value}" if 0 <= value < 10 else decimal
    if fmt == "ideographTraditional":
        return _from_table(value, _HEAVENLY_STEMS) or decimal
    if fmt == "ideographZodiac":
        return _from_table(value, _EARTHLY_BRANCHES) or decimal
    if fmt == "ideographEnclosedCircle":
        return chr(0x3280 + value - 1) if 0 < value <= 10 else decimal
    if fmt in ("upperLetter", "lowerLetter"):
        letters = _letters(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") or decimal
        return letters if fmt == "upperLetter" else letters.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(value) or decimal
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "ordinal":
        return _ordinal(value)
    return None


# ---------------------------------------------------------------- definitions


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str | None  # the w:lvlText template; None when absent
    restart: int | None  # w:lvlRestart: one-based level after which this one restarts
    is_legal: bool  # w:isLgl: every %N of this level's template in decimal
    suffix: str  # w:suff: "tab", "space" or "nothing"
    style: str | None  # w:pStyle: the paragraph style linked to this level


@dataclass(frozen=True)
class _List:
    """One w:num: its abstractNum's levels with the num's overrides applied."""

    num_id: int
    abstract_id: int  # the counters belong to the abstractNum, shared by all its nums
    levels: dict[int, _Level]
    start_overrides: dict[int, int]  # ilvl -> w:startOverride


def _val(element: _Element | None) -> str | None:
    return None if element is None else element.get(_W_VAL)


def _int_val(element: _Element | None) -> int | None:
    text = _val(element)
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        return None


def _on(element: _Element | None) -> bool:
    # A toggle element is on when present, unless its value says otherwise.
    return element is not None and (_val(element) or "true").lower() not in ("0", "false", "off")


def _parse_level(lvl: _Element, base: _Level | None = None) -> _Level:
    """A w:lvl; missing children keep ``base``'s values (a partial lvlOverride)."""
    start = _int_val(lvl.find(f"{_W}start"))
    fmt_element = lvl.find(f"{_W}numFmt")
    if fmt_element is None:
        # Word 2010 wraps custom formats in mc:AlternateContent with a plain fallback.
        fmt_element = lvl.find(f"{{{_MC_NS}}}AlternateContent/{{{_MC_NS}}}Fallback/{_W}numFmt")
    text_element = lvl.find(f"{_W}lvlText")
    text = _val(text_element)
    if text_element is not None and _on_attr(text_element.get(f"{_W}null")):
        text = ""  # w:null: an explicitly empty template
    restart_element = lvl.find(f"{_W}lvlRestart")
    legal_element = lvl.find(f"{_W}isLgl")
    suffix_element = lvl.find(f"{_W}suff")
    style_element = lvl.find(f"{_W}pStyle")
    # The schema's default start is 0, but a missing w:start in practice means 1 (what
    # LibreOffice shows); real Word and WPS files always write it.
    default = base or _Level(1, "decimal", None, None, False, "tab", None)
    return _Level(
        start=default.start if start is None else start,
        fmt=_val(fmt_element) or default.fmt,
        text=default.text if text_element is None else text,
        restart=default.restart if restart_element is None else _int_val(restart_element),
        is_legal=default.is_legal if legal_element is None else _on(legal_element),
        suffix=_val(suffix_element) or default.suffix,
        style=_val(style_element) or default.style,
    )


def _parse_levels(abstract: _Element) -> dict[int, _Level]:
    levels: dict[int, _Level] = {}
    for lvl in abstract.iterchildren(f"{_W}lvl"):
        ilvl = _int_attr(lvl, "ilvl")
        if ilvl is not None and 0 <= ilvl < _MAX_LEVELS and ilvl not in levels:
            levels[ilvl] = _parse_level(lvl)
    return levels


def _int_attr(element: _Element, name: str) -> int | None:
    try:
        return int((element.get(f"{_W}{name}") or "").strip())
    except ValueError:
        return None


class _Definitions:
    """The numbering and styles parts, indexed once per document."""

    def __init__(self, numbering: _Element | None, styles: _Element | None) -> None:
        self._abstracts: dict[int, _Element] = {}
        self._nums: dict[int, _Element] = {}
        if numbering is not None:
            for abstract in numbering.iterchildren(f"{_W}abstractNum"):
                abstract_id = _int_attr(abstract, "abstractNumId")
                if abstract_id is not None:
                    self._abstracts.setdefault(abstract_id, abstract)
            for num in numbering.iterchildren(f"{_W}num"):
                num_id = _int_attr(num, "numId")
                if num_id is not None:
                    self._nums.setdefault(num_id, num)
        self._styles: dict[str, _Element] = {}
        self.default_style: str | None = None
        if styles is not None:
            for style in styles.iterchildren(f"{_W}style"):
                style_id = style.get(f"{_W}styleId")
                if style_id is None:
                    continue
                self._styles.setdefault(style_id, style)
                if style.get(f"{_W}type") == "paragraph" and _on_attr(style.get(f"{_W}default")):
                    self.default_style = style_id
        self._lists: dict[int, _List | None] = {}
        self._style_numbering: dict[str, tuple[int | None, int | None]] = {}

    def style_numbering(self, style_id: str) -> tuple[int | None, int | None]:
        """(numId, ilvl) a paragraph style gives, each inherited separately along w:basedOn."""
        if style_id not in self._style_numbering:
            num_id = ilvl = None
            seen: set[str] = set()
            current: str | None = style_id
            while current is not None and current not in seen and (num_id is None or ilvl is None):
                seen.add(current)
                style = self._styles.get(current)
                if style is None:
                    break
                num_pr = style.find(f"{_W}pPr/{_W}numPr")
                if num_pr is not None:
                    num_id = _int_val(num_pr.find(f"{_W}numId")) if num_id is None else num_id
                    ilvl = _int_val(num_pr.find(f"{_W}ilvl")) if ilvl is None else ilvl
                current = _val(style.find(f"{_W}basedOn"))
            self._style_numbering[style_id] = (num_id, ilvl)
        return self._style_numbering[style_id]

    def list_for(self, num_id: int) -> _List | None:
        if num_id not in self._lists:
            self._lists[num_id] = self._build_list(num_id)
        return self._lists[num_id]

    def _build_list(self, num_id: int) -> _List | None:
        num = self._nums.get(num_id)
        if num is None:
            return None
        found = self._abstract_of(num)
        if found is None:
            return None
        abstract_id, abstract = found
        levels = _parse_levels(abstract)
        start_overrides: dict[int, int] = {}
        for override in num.iterchildren(f"{_W}lvlOverride"):
            ilvl = _int_attr(override, "ilvl")
            if ilvl is None or not 0 <= ilvl < _MAX_LEVELS:
                continue
            lvl = override.find(f"{_W}lvl")
            if lvl is not None:
                levels[ilvl] = _parse_level(lvl, levels.get(ilvl))
            start = _int_val(override.find(f"{_W}startOverride"))
            if start is not None:
                start_overrides[ilvl] = start
        return _List(num_id, abstract_id, levels, start_overrides)

    def _abstract_of(self, num: _Element) -> tuple[int, _Element] | None:
        """The abstractNum holding the levels, following numStyleLink to the numbering style's list."""
        for _ in range(_MAX_STYLE_LINKS):
            abstract_id = _int_val(num.find(f"{_W}abstractNumId"))
            abstract = self._abstracts.get(abstract_id) if abstract_id is not None else None
            if abstract_id is None or abstract is None:
                return None
            link = _val(abstract.find(f"{_W}numStyleLink"))
            if link is None:
                return abstract_id, abstract
            style = self._styles.get(link)
            linked_num_id = _int_val(style.find(f"{_W}pPr/{_W}numPr/{_W}numId")) if style is not None else None
            linked = self._nums.get(linked_num_id) if linked_num_id is not None else None
            if linked is None:
                return None
            num = linked
        return None


def _on_attr(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "on")


# ---------------------------------------------------------------- counting


class _Counter:
    """Word's counters: per abstractNum, the current value of each level (None: not used
    yet). Every num of an abstractNum continues the same count, which is how Word (and
    LibreOffice's export) spell "continue the list"; a num's w:startOverride is how they
    spell "restart here", and it applies once, at the num's first paragraph of that level."""

    def __init__(self, definitions: _Definitions) -> None:
        self._definitions = definitions
        self._counts: dict[int, list[int | None]] = {}
        self._overrides_used: set[tuple[int, int]] = set()  # (numId, ilvl)

    def label(self, paragraph: _Element) -> str | None:
        """Count ``paragraph`` in its list and return its label with separator, or None."""
        found = self._numbering_of(paragraph)
        if found is None:
            return None
        numbered, ilvl = found
        level = numbered.levels.get(ilvl)
        if level is None:
            return None
        counts = self._counts.setdefault(numbered.abstract_id, [None] * _MAX_LEVELS)
        current = counts[ilvl]
        override = numbered.start_overrides.get(ilvl)
        if override is not None and (numbered.num_id, ilvl) not in self._overrides_used:
            self._overrides_used.add((numbered.num_id, ilvl))
            counts[ilvl] = override
        else:
            counts[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, _MAX_LEVELS):
            restart = _restart_after(numbered.levels.get(deeper), deeper)
            if ilvl < restart:
                counts[deeper] = None
        if level.fmt == "bullet" or not level.text:
            return None
        text = _render(level, numbered.levels, counts)
        if not text:
            return None
        return text + _separator(text, level.suffix)

    def _numbering_of(self, paragraph: _Element) -> tuple[_List, int] | None:
        definitions = self._definitions
        num_id = ilvl = None
        style_id = None
        p_pr = paragraph.find(f"{_W}pPr")
        if p_pr is not None:
            num_pr = p_pr.find(f"{_W}numPr")
            if num_pr is not None:
                num_id = _int_val(num_pr.find(f"{_W}numId"))
                ilvl = _int_val(num_pr.find(f"{_W}ilvl"))
            style_id = _val(p_pr.find(f"{_W}pStyle"))
        style_id = style_id or definitions.default_style
        if style_id is not None and (num_id is None or ilvl is None):
            style_num_id, style_ilvl = definitions.style_numbering(style_id)
            num_id = style_num_id if num_id is None else num_id
            ilvl = style_ilvl if ilvl is None else ilvl
        if not num_id:  # absent, or 0: numbering switched off
            return None
        numbered = definitions.list_for(num_id)
        if numbered is None:
            return None
        if ilvl is None:
            # A style linked to a list level (w:lvl/w:pStyle) without its own ilvl.
            ilvl = next((i for i, lvl in numbered.levels.items() if lvl.style == style_id), 0)
        if not 0 <= ilvl < _MAX_LEVELS:
            return None
        return numbered, ilvl


def _restart_after(level: _Level | None, ilvl: int) -> int:
    """Levels shallower than this (zero-based) restart level ``ilvl`` when used."""
    restart = level.restart if level is not None else None
    if restart is None or restart > ilvl:  # absent, or naming a deeper level: the default
        return ilvl
    return restart  # one-based level N means ilvl < N; 0 means never


def _render(level: _Level, levels: dict[int, _Level], counts: list[int | None]) -> str | None:
    template = level.text or ""
    parts: list[str] = []
    position = 0
    for match in _LEVEL_REF.finditer(template):
        ref = int(match.group(1)) - 1
        ref_level = levels.get(ref)
        if ref_level is None:
            return None
        value = counts[ref] if counts[ref] is not None else ref_level.start
        fmt = "decimal" if level.is_legal else ref_level.fmt
        shown = "" if fmt == "bullet" else format_number(value, fmt)
        if shown is None:
            return None
        parts.append(template[position:match.start()])
        parts.append(shown)
        position = match.end()
    parts.append(template[position:])
    return "".join(parts).strip()


def _separator(label: str, suffix: str) -> str:
    """What stands for w:suff: nothing after a label ending in punctuation ("一、", "(1)",
    "①"), where the parser expects the text glued on; otherwise one space ("第一章 总则")."""
    if suffix == "nothing":
        return ""
    category = unicodedata.category(label[-1])
    return "" if category.startswith("P") or category == "No" else " "


# ---------------------------------------------------------------- public entry


def _body_paragraphs(body: _Element) -> Iterator[_Element]:
    """Paragraphs in document order, table cells included; not the paragraphs of text
    boxes, which sit inside another paragraph (and twice, with their VML fallback)."""
    for paragraph in body.iter(_W_P):
        if next(paragraph.iterancestors(_W_P), None) is None:
            yield paragraph


def paragraph_labels(body: _Element, numbering: _Element | None,
                     styles: _Element | None) -> dict[_Element, str]:
    """Each automatically numbered paragraph of ``body`` -> its label and the separator
    after it ("一、", "（一）", "1.1 "), counted in document order.

    ``numbering`` and ``styles`` are the roots of the numbering and styles parts (None when
    the package has none). Never raises: a paragraph whose numbering cannot be resolved
    gets no label, and a failure while indexing the parts gives no labels at all.
    """
    if numbering is None:
        return {}
    try:
        counter = _Counter(_Definitions(numbering, styles))
    except Exception:
        return {}
    labels: dict[_Element, str] = {}
    for paragraph in _body_paragraphs(body):
        try:
            label = counter.label(paragraph)
        except Exception:  # a definition too odd for the rules above: no label, no error
            label = None
        if label:
            labels[paragraph] = label
    return labels
