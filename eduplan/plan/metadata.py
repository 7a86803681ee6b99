"""A plan's title, region, period, kind and issuer."""

from __future__ import annotations

import re

from .document import PlanBlock, PlanDocument
from .lines import Line
from .places import known_place, region_in_text
from .titles import COMPILATION, JUNK_SUFFIX, is_title_line, site_suffix_start, title_prefix

FIVE_YEAR_TERMS = {"十一五": (2006, 2010), "十二五": (2011, 2015), "十三五": (2016, 2020), "十四五": (2021, 2025),
                    "十五五": (2026, 2030)}
_ORDINAL_TERMS = {"十一": "十一五", "十二": "十二五", "十三": "十三五", "十四": "十四五", "十五": "十五五"}
_TERM = re.compile(r"十[一二三四五]五|第(十[一二三四五])个五年")
_YEAR = re.compile(r"(20\d\d)\s*年(?!\s*\d{1,2}\s*月)")  # a year, not the date of a notice
_YEAR_RANGE = re.compile(r"(20\d\d)\s*年?\s*(?:[-—~至到]|——)+\s*(20\d\d)")
_DUE = re.compile(r"(?:到|至)(20\d\d)年")
_FIVE_YEAR = re.compile(r"五年规划|五年计划|十[一二三四五]五.{0,12}规划|第十[一二三四五]个五年|中长期|发展规划|规划纲要")
# An untitled excerpt that opens on a five-year table or goal ("“十四五”时期教育发展主要指标").
_TERM_PLAN = re.compile(r"十[一二三四五]五.{0,12}(?:规划|主要指标|发展目标|指标)")
_OTHER = re.compile(r"行动计划|行动方案|实施方案|意见|民生实事")
_ANNUAL = re.compile(r"要点|计划|安排|工作思路|工作重点|年度")
# The text refers to itself as a 规划: a five-year plan whatever a site titled it.
_SELF_FIVE_YEAR = re.compile(r"(?:制定|制订|编制)本规划")
# An untitled excerpt that opens an annual plan: "(2023)年全区教育工作的总体要求是…".
_ANNUAL_OPENING = re.compile(
    r"(20\d\d)?\s*年(?:全[省市区县镇]|我[省市区县镇局])?.{0,4}教育工作的?(?:总体要求|总体思路|主要目标|指导思想|工作思路|要点)|"
    r"(20\d\d)\s*年.{0,10}(?:工作计划|工作要点|工作思路)"
)
# Administrative names at the start of a title: 天津市东丽区, 江苏省常州市武进区, 吉林省, 某镇 ...
_CJK = "[\u4e00-\u9fff]"
_REGION = re.compile(
    rf"^(?P<p>{_CJK}{{2,7}}?(?:省|自治区))?(?P<c>{_CJK}{{2,7}}?(?:市|自治州|地区|盟))?"
    rf"(?P<d>{_CJK}{{1,7}}?(?:区|县|旗|市|镇|乡))?"
    rf"(?P<t>(?!城乡|乡镇|小镇|乡村|特色)[^学校教村师工作计划要点年\d]{{2,5}}?(?:镇|乡|街道))?"  # a town under its county
)
# Characters a place name in a title never holds: they belong to the words after it.
_NOT_IN_NAME = re.compile(r"教育|政府|工作|规划|要点|关于|印发|计划|委员|体育|事业|发展|建设|实施|局|厅")
_ANONYMISED = re.compile(r"^(?:20\d\d\s*年)?(?:[XＸxｘ×*＊]+|某|[○〇□]+)?(?:省|市|区|县|镇|乡)")
_BARE_PLACE = re.compile(rf"^(?:20\d\d\s*年)?({_CJK}{{2,4}}?)(?:教育|区教育|县教育|市教育)")
_NOTICE_TITLE = re.compile(r"《([^《》]+)》")
_SENDS_OUT = re.compile(r"关于(?:印发|下发|转发|发布)")
_YEARS_LINE = re.compile(r"\(\s*20\d\d\s*年?\s*(?:[-—~至到]|——)+\s*20\d\d\s*年?\s*\)")
_OPENING_LINES = 8


def read_metadata(doc: PlanDocument) -> PlanDocument:
    for plan in doc.plans:
        found = _title_span(doc, plan)
        title = ""
        if found is not None:
            line_index, begin, end = found
            plan.title_line = line_index
            line = doc.lines[line_index]
            title = line.text[begin:end]
            plan.title = line.printed(doc.original, begin, end).strip() or None
            following = doc.lines[line_index + 1] if line_index + 1 < len(doc.lines) else None
            if plan.title and end == len(line.text) and following is not None and _YEARS_LINE.fullmatch(following.text):
                # the years printed on the line under the title belong to it: "…规划" / "(2026—2030年)"
                title += following.text
                plan.title += following.printed(doc.original, 0, len(following.text)).strip()
        opening = _opening(doc, plan)
        plan.kind = _kind(title, opening)
        plan.period = _period(arabic_years(title), plan.kind, arabic_years(opening))
        plan.region = _region(doc, plan, found)
        if plan.issuer_line is not None:
            plan.issuer = _original(doc, doc.lines[plan.issuer_line])
    return doc


def _original(doc: PlanDocument, line: Line) -> str:
    start, end = line.span(0, len(line.text))
    return doc.quote(start, end).strip()


def _title_span(doc: PlanDocument, plan: PlanBlock) -> tuple[int, int, int] | None:
    """(line, begin, end) of the plan's own title: a title line, or a title that ran into the
    text after it, among the lines before the first heading. Inside 《》 of a notice, without a
    document site's or web page's suffix; the next title under a compilation's header."""
    first_heading = plan.headings[0].line if plan.headings else plan.last_line
    candidates = []
    for i in range(plan.first_line, min(first_heading + 1, plan.first_line + _OPENING_LINES, plan.last_line)):
        text = doc.lines[i].text
        if i == plan.title_line or is_title_line(text):
            candidates.append((i, 0, len(text)))
        elif i != first_heading and (end := title_prefix(text)) is not None and end >= 6:
            candidates.append((i, 0, end))
    if not candidates:
        return None
    chosen = candidates[0]
    first = doc.lines[chosen[0]].text
    # a compilation's header, or a notice that sends the plan out without 《》: the plan's
    # own title line follows
    if len(candidates) > 1 and (COMPILATION.search(first) or (_SENDS_OUT.search(first) and "《" not in first)):
        chosen = candidates[1]
    i, begin, end = chosen
    text = doc.lines[i].text
    if (inner := _NOTICE_TITLE.search(text, begin, end)) is not None and title_prefix(inner.group(1)) is not None:
        begin, end = inner.span(1)
    elif (suffix := site_suffix_start(text[:end])) is not None and suffix > begin:
        end = suffix
    if (junk := JUNK_SUFFIX.search(text, begin, end)) is not None and junk.start() > begin:
        end = junk.start()
    return i, begin, end


def _opening(doc: PlanDocument, plan: PlanBlock) -> str:
    """The text before the first heading (a few lines), and the first heading's title."""
    first = plan.headings[0].line if plan.headings else plan.last_line - 1
    stop = min(first + 1, plan.first_line + _OPENING_LINES, plan.last_line)
    lines = [doc.lines[i].text for i in range(plan.first_line, stop) if i != plan.title_line]
    return "\n".join(line[:400] for line in lines)


def _kind(title: str, opening: str) -> str:
    if _SELF_FIVE_YEAR.search(opening):
        return "five_year"
    if not title and not _ANNUAL_OPENING.search(opening) and _TERM_PLAN.search(opening):
        return "five_year"
    if title:
        if _FIVE_YEAR.search(title):
            return "five_year"
        if _OTHER.search(title):
            return "other"
        return "annual" if _ANNUAL.search(title) else "other"
    return "annual" if _ANNUAL_OPENING.search(opening) else "other"


def _period(title: str, kind: str, opening: str) -> tuple[int, int] | None:
    if m := _YEAR_RANGE.search(title):
        return int(m.group(1)), int(m.group(2))
    if (years := _title_year(title)) is not None:
        if kind == "five_year" and _DUE.search(title):
            return years - 4, years
        return years, years
    for text in (title, opening) if kind == "five_year" else ():
        if m := _TERM.search(text):
            return FIVE_YEAR_TERMS[_ORDINAL_TERMS[m.group(1)] if m.group(1) else m.group(0)]
    if kind == "annual" and (m := _ANNUAL_OPENING.search(opening)):
        year = m.group(1) or m.group(2)
        return (int(year), int(year)) if year else None
    return None


_CN_YEAR = re.compile(r"[〇零一二三四五六七八九]{4}(?=\s*年)")
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def arabic_years(text: str) -> str:
    """A year written in Chinese digits ("二〇二六年") in arabic ones, for reading periods."""
    return _CN_YEAR.sub(lambda m: m.group().translate(_CN_DIGITS), text) if "年" in text else text


def _title_year(title: str) -> int | None:
    """The year a title's plan covers: the last year before its genre word
    ("2029年工作总结及2030年工作计划" is a 2030 plan)."""
    years = list(_YEAR.finditer(title))
    return int(years[-1].group(1)) if years else None


def _region(doc: PlanDocument, plan: PlanBlock, found: tuple[int, int, int] | None) -> str | None:
    if found is not None:
        line_index, begin, end = found
        line = doc.lines[line_index]
        text = line.text[begin:end]
        if _ANONYMISED.match(text):
            return None
        if (span := _title_region(text)) is not None:
            return line.printed(doc.original, begin + span[0], begin + span[1])
        if (bare := _BARE_PLACE.match(text)) and (completed := _complete_place(doc, plan, bare.group(1))):
            return completed
    return _body_region(doc, plan)


def _title_region(text: str) -> tuple[int, int] | None:
    """Span of the administrative names a title starts with; each part either a known
    division or free of the words that follow a name in a title."""
    m = _REGION.match(text)
    if m is None or not m.group(0):
        return None
    end = 0
    for part in ("p", "c", "d", "t"):
        name = m.group(part)
        if not name:
            continue
        if _NOT_IN_NAME.search(name) and known_place(name) is None:
            break
        end = m.end(part)
    return (0, end) if end else None


def _complete_place(doc: PlanDocument, plan: PlanBlock, place: str) -> str | None:
    """Find "常州市武进区" in the body for a title that says only "武进": the place with its
    suffix, and the city before it (a known one, else the two characters most city names have)."""
    pattern = re.compile(rf"{re.escape(place)}(?:区|县|市)")
    best: tuple[int, int] | None = None
    for i in range(plan.first_line, plan.last_line):
        line = doc.lines[i]
        for m in pattern.finditer(line.text):
            begin = m.start()
            if line.text[begin - 1:begin] == "市":
                cities = [k for k in (4, 3, 2) if begin - 1 - k >= 0 and known_place(line.text[begin - 1 - k:begin])]
                begin -= (cities[0] if cities else 2) + 1 if begin >= 3 else 0
            if best is None or m.end() - begin > best[1] - best[0]:
                best = line.span(begin, m.end())
    return doc.quote(*best) if best else None


def _body_region(doc: PlanDocument, plan: PlanBlock) -> str | None:
    lines = [doc.lines[i] for i in range(plan.first_line, plan.last_line)]
    joined = "\n".join(line.text for line in lines)
    span = region_in_text(joined)
    if span is None:
        return None
    at = 0
    for line in lines:  # back from the joined text to a line and its printed characters
        if span[0] < at + len(line.text):
            return line.printed(doc.original, span[0] - at, span[1] - at)
        at += len(line.text) + 1
    return None
