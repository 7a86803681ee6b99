"""A plan's title, region, period, kind and issuer."""

from __future__ import annotations

import re

from .document import PlanBlock, PlanDocument
from .lines import Line

_FIVE_YEAR_TERMS = {"十二五": (2011, 2015), "十三五": (2016, 2020), "十四五": (2021, 2025), "十五五": (2026, 2030)}
_ORDINAL_TERMS = {"十二": "十二五", "十三": "十三五", "十四": "十四五", "十五": "十五五"}
_YEAR = re.compile(r"(20\d\d)\s*年")
_YEAR_RANGE = re.compile(r"(20\d\d)\s*[-—~至到]+\s*(20\d\d)")
_FIVE_YEAR = re.compile(r"五年规划|五年计划|“?十[二三四五]五”?.{0,12}规划|第十[二三四五]个五年|中长期|发展规划")
_ANNUAL = re.compile(r"工作要点|工作计划|工作安排|工作思路|工作重点|年度")
# Administrative names at the start of a title: 天津市东丽区, 江苏省常州市武进区, 某县 ...
_REGION = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,7}?(?:省|自治区))?(?:[\u4e00-\u9fff]{2,7}?(?:市|自治州|地区|盟))?"
    r"(?:[\u4e00-\u9fff]{1,7}?(?:区|县|旗|市))"
)
_ANONYMISED = re.compile(r"^(?:[XＸxｘ×*＊]+|某|[○〇□]+)?(?:区|县|市)$|^(?:[XＸxｘ×*＊]+|某)")
# A bare place name in a title ("2023年武进教育工作要点") is completed from the body text.
_BARE_PLACE = re.compile(r"^(?:20\d\d\s*年)?([\u4e00-\u9fff]{2,4}?)(?:教育|区教育|县教育)")
_NOTICE_TITLE = re.compile(r"《([^《》]+)》")
_SITE_SUFFIX = re.compile(r"\s*[_|｜—-]+\s*[^_|｜]{0,20}?(?:网站?|政府|门户|首页|平台|教育局|教育网)\s*$")
_REGION_STOP = "教育局委体育事业发展规划工作要点年"


def read_metadata(doc: PlanDocument) -> PlanDocument:
    for plan in doc.plans:
        title_line = doc.lines[plan.title_line] if plan.title_line is not None else None
        title = title_line.text if title_line else ""
        plan.title = _title(doc, title_line) if title_line else None
        plan.kind = _kind(title, doc, plan)
        plan.period = _period(title, plan.kind, doc, plan)
        plan.region = _region(doc, plan, title_line)
        if plan.issuer_line is not None:
            plan.issuer = _original(doc, doc.lines[plan.issuer_line])
    return doc


def _original(doc: PlanDocument, line: Line) -> str:
    start, end = line.span(0, len(line.text))
    return doc.quote(start, end).strip()


def _title(doc: PlanDocument, line: Line) -> str:
    """The plan's own title: inside 《》 of a 关于印发 notice, without a web page's site suffix."""
    text = line.text
    begin, end = 0, len(text)
    if (inner := _NOTICE_TITLE.search(text)) is not None:
        begin, end = inner.span(1)
    elif (suffix := _SITE_SUFFIX.search(text)) is not None:
        end = suffix.start()
    start, stop = line.span(begin, end)
    return doc.quote(start, stop).strip()


def _opening(doc: PlanDocument, plan: PlanBlock, limit: int = 6) -> str:
    first = plan.headings[0].line if plan.headings else plan.last_line
    lines = range(plan.first_line, min(first, plan.first_line + limit))
    return "\n".join(doc.lines[i].text for i in lines)


def _kind(title: str, doc: PlanDocument, plan: PlanBlock) -> str:
    if title:
        if _FIVE_YEAR.search(title):
            return "five_year"
        if _ANNUAL.search(title):
            return "annual"
        return "other"
    opening = _opening(doc, plan)
    if _FIVE_YEAR.search(opening):
        return "five_year"
    return "annual" if _YEAR.search(opening) else "other"


def _period(title: str, kind: str, doc: PlanDocument, plan: PlanBlock) -> tuple[int, int] | None:
    for text in (title, _opening(doc, plan)):
        if m := _YEAR_RANGE.search(text):
            return int(m.group(1)), int(m.group(2))
        if kind == "five_year":
            for term, years in _FIVE_YEAR_TERMS.items():
                if term in text:
                    return years
            if m := re.search(r"第(十[二三四五])个五年", text):
                return _FIVE_YEAR_TERMS[_ORDINAL_TERMS[m.group(1)]]
        elif m := _YEAR.search(text):
            year = int(m.group(1))
            return year, year
    return None


def _region(doc: PlanDocument, plan: PlanBlock, title_line: Line | None) -> str | None:
    if title_line is None:
        return None
    inner = _NOTICE_TITLE.search(title_line.text)
    offset = inner.start(1) if inner else len(re.match(r"^(?:附件\d?[:：]?)?", title_line.text).group(0))
    text = title_line.text[offset:]
    m = _REGION.match(text)
    if m and not any(c in _REGION_STOP for c in m.group(0)[-3:-1]):
        if _ANONYMISED.search(m.group(0)):
            return None
        start, end = title_line.span(offset + m.start(), offset + m.end())
        return doc.quote(start, end)
    if re.match(r"^(?:20\d\d\s*年)?(?:[XＸxｘ×*＊]+|某)", text):
        return None
    bare = _BARE_PLACE.match(text)
    return _complete_place(doc, plan, bare.group(1)) if bare else None


def _complete_place(doc: PlanDocument, plan: PlanBlock, place: str) -> str | None:
    """Find "常州市武进区" in the body for a title that says only "武进".

    The city is taken as the two characters before 市, the length of most city names; the
    text gives no boundary on its left ("推进澜江市青禾区").
    """
    pattern = re.compile(rf"(?:[\u4e00-\u9fff]{{2}}市)?{re.escape(place)}(?:区|县|市)")
    best: tuple[int, int, str] | None = None
    for i in range(plan.first_line, plan.last_line):
        line = doc.lines[i]
        for m in pattern.finditer(line.text):
            if best is None or len(m.group(0)) > len(best[2]):
                start, end = line.span(m.start(), m.end())
                best = (start, end, m.group(0))
    return doc.quote(best[0], best[1]) if best else None
