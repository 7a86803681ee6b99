"""A plan's own title line: short, not a sentence, ending in a word that names a kind of plan.

Real titles arrive with extras a reader should not keep: a document site's ".docx", "范文",
"(二篇)" or "大全"; a web page's "_XX区人民政府网"; a notice around them ("关于印发《…》的通知").
They also run into the text after them when a scraper lost the line break
("…工作计划范文一、指导思想…", "…若干意见(试行)文章属性…"). ``title_prefix`` finds where such
a title ends.
"""

from __future__ import annotations

import re

# Words that end a plan's title, longest first.
GENRE = re.compile(
    r"工作要点|计划要点|要点|行动计划|工作计划|计划|发展规划|规划纲要|五年规划|规划|纲要|实施方案|工作方案|方案|"
    r"实施意见|若干意见|指导意见|意见|工作安排|安排|工作思路|工作重点|行动|民生实事"
)
# What may follow the genre word and still belong to the title line.
# What a document site appends to a title: 范文, (3篇), .docx …
_SITE_EXTRAS = r"范文|模板|大全|汇编|精选|合集|\(?[一二三四五六七八九十\d]{1,3}篇\)?|\.docx?|\.pdf|\.wps"
_SUFFIX = re.compile(rf"(?:\([^()]{{1,16}}\))*(?:{_SITE_EXTRAS}|参考|》的通知)*")
_SITE_SUFFIX = re.compile(r"\s*[_|｜—-]+\s*[^_|｜]{0,20}?(?:网站?|政府|门户|首页|平台|教育局|教育网)\s*$")
# Extras of a document site, dropped from the title as printed.
JUNK_SUFFIX = re.compile(rf"(?:{_SITE_EXTRAS})+$")
COMPILATION = re.compile(r"汇编|大全|精选|合集|[一二三四五六七八九十\d]{1,3}篇")
_NOT_A_TITLE_START = re.compile(r"^(?:根据|按照|依据|为了?|结合|在|对|把|将|由|现将|现就|特将|兹将|请)")
_SENTENCE_PUNCT = re.compile(r"[,，。;；!?！？]")
TITLE_MAX_LEN = 70


def title_prefix(text: str) -> int | None:
    """End of a plan title that ``text`` starts with, or None."""
    head = text[:TITLE_MAX_LEN]
    if _NOT_A_TITLE_START.match(head):
        return None
    punct = _SENTENCE_PUNCT.search(head)
    limit = punct.start() if punct else len(head)
    best = None
    for m in GENRE.finditer(head, 0, limit):
        if m.start() < 2:
            continue  # a genre word alone is no title
        best = _SUFFIX.match(text, m.end()).end()
    return best


def is_title_line(text: str) -> bool:
    """A whole line that is a plan's title (with a web page's site suffix at most)."""
    if len(text) > TITLE_MAX_LEN or text.endswith("。"):
        return False
    end = title_prefix(text)
    return end is not None and (end == len(text) or bool(_SITE_SUFFIX.fullmatch(text, end)))


def site_suffix_start(text: str) -> int | None:
    m = _SITE_SUFFIX.search(text)
    return m.start() if m else None
