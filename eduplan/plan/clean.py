"""Turn the original text into clean analysis lines: site chrome dropped, artefacts removed,
full-width forms folded to ASCII and traditional characters read as simplified.

Every change keeps the map back to original offsets (see ``lines.Line``): characters are
only ever removed or replaced one for one, never inserted.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from .lines import Line
from .titles import is_title_line

# Full-width ASCII variants and the ideographic space fold to their ASCII twins, so rules
# need to know one form only. Chinese sentence punctuation (。、“”《》) is left alone.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0xFE51: ord("、")})
_WIDTH.update({ord("〔"): ord("("), ord("〕"): ord(")"), ord("－"): ord("-"), ord("～"): ord("~")})

# Text a website or word processor put around or into the plan: never part of it. Glosses are
# what reading-aid sites inject inside words: 学(xué)校, 园[繁体:園], {拼音:kè}, 二(读:èr).
_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜǹńňḿ"
_INLINE_ARTEFACTS = re.compile(
    r"(?=[\[<\ufeff\u200b(（【{｛NSP\u2190-\u21ff\u25a0\u25a2-\u25ca\u25cc-\u25ff\u2600-\u2775\u2794-\u27bf\u2b00-\u2bff\ufe0f\U0001f000-\U0001faff])(?:"  # the look-ahead lets the engine skip to candidates
    r"\[bookmark:[^\]]*\]|\[(?:image|img|图片)[^\]]*\]|<!--.*?-->|\ufeff|\u200b|"
    rf"[(（](?:读|讀|拼音|注音)[:：]?\s*[a-zü{_TONE}]{{1,7}}\d?[)）]|"
    rf"[(（][a-zü]{{0,6}}[{_TONE}][a-zü{_TONE}]{{0,6}}[)）]|"
    r"[\[【{｛(（](?:繁体|繁體|简体|簡體|拼音|注音|读音|讀音|pinyin)[:：][^\]】}｝)）]{1,8}[\]】}｝)）]|"
    r"(?:NUMPAGES|SECTIONPAGES|PAGE)(?![A-Za-z])(?:\s*\\\*\s*(?:MERGEFORMAT|Arabic))*)"
    # emoji and decorative marks a WeChat article puts before headings (🔶一、, ▲, ★); the
    # circled numbers ①❶ stay: they are labels, and □ ○: a template's blank and mask
    r"|[\u2190-\u21ff\u25a0\u25a2-\u25ca\u25cc-\u25ff\u2600-\u2775\u2794-\u27bf\u2b00-\u2bff\ufe0f\U0001f000-\U0001faff]+"
)
# Whitespace, and the paragraph marks some scrapers leave where a line break was.
_SPACE = re.compile(r"[\sР¶↵]+")

# Chrome found anywhere in a short line, and chrome that opens one (kept apart: a pattern
# anchored with ^ inside a big alternation makes the engine try every position).
_CHROME_LINE = re.compile(
    r"当前位置|您的位置|您现在的位置|首页\s*[>›»]|"
    r"来源\s*[:：].{0,40}(?:发布)?时间\s*[:：]|\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d\d|"
    r"加入收藏|设为首页|打印本页|关闭窗口|【\s*(?:打印|关闭|字体|大|中|小)|"
    r"分享到|扫一扫|微信扫码|扫码关注|扫描二维码|领取福利|本文来源于网络|转载请注明|版权所有|"
    r"免责声明|ICP|公网安备|网站标识码|网站地图|关于我们|使用帮助|网站声明|联系我们|"
    r"无障碍|简体\s*[|｜]\s*繁体|繁体\s*[|｜]\s*简体|"
    r"共计\s*\d+\s*个?字|预计阅读|阅读时长|上一篇|下一篇|相关(?:阅读|链接|文章|新闻|推荐|文档|范文)|(?:猜你喜欢|热门推荐|推荐阅读|精彩推荐|延伸阅读)|"
    r"星期[一二三四五六日天]\s*$|"
    # document-sharing sites: upload data, page counters, member prompts, editors' blurbs
    r"返回\s*下载|全部预览完|该文档总共|内容预览|会员学习|点此注册|刷新页面|登录网站|秘书文库|"
    r"本站小编|精心准备了|欢迎.{0,6}阅读|网友评论|评论功能|查看更多|栏目列表|"
    r"第\s*\d+\s*页\s*[/／]?\s*共\s*\d+\s*页|_第\d+页\s*$"
)
_CHROME_OPENING = re.compile(
    r"\s*(?:"
    r"[-•·]?\s*(?:来源|发布时间|发布日期|发文日期|信息来源|作者|浏览次数|点击数|阅读次数|责任编辑|编辑|字号|"
    r"时间|日期|文章来源|访问量|更新时间|上传时间|上传人|文档编号|格式|大小|页数|文档页数|中文名|"
    r"发布机构|印发机关|文号|印发时间)\s*[:：]|发布\s*\d{4}-\d|"
    r"(?:主办|承办|技术支持|协办)(?:单位)?\s*[:：]|资源描述\s*$|基本介绍\s*$|"
    r"[•·●▪]\s*[^:：]{1,8}[:：]|\d{1,4}\s*[/／]\s*\d{1,4}\s*$|[-—]\s*\d{1,4}\s*[-—]\s*$|"
    r"(?:附件|打印|关闭|返回顶部|分享)\s*[:：]?\s*$"
    r")"
)
# A document-sharing site's notice ("《…》由会员分享…请在…上搜索") is long but never the plan.
_LONG_CHROME_LINE = re.compile(r"由会员分享|可在线阅读|请在.{0,12}上搜索|仅供.{0,6}会员")
# A chrome pattern only condemns a short line: a sentence of the plan can mention 首页 etc.
_CHROME_MAX_LEN = 90


@cache
def _t2s():
    import opencc  # imported lazily: only traditional text needs it

    return opencc.OpenCC("t2s")


# Characters that only traditional text uses; seeing one is the cue to convert.
_TRADITIONAL_CUE = re.compile(
    "[們個來說國學發會時現點實際與對開從關當於體長區產動業進過還應問題將務標準這樣經濟會議課程師資規劃級"
    "數據據質優員設計導讓書醫護養號點總兒園絡視聽讀寫藝術職專業團隊營運輔導類優勢當碼掃權頁網載閱覽廣聯繫"
    "贊頻檔預計]"
)


def is_chrome(raw_line: str) -> bool:
    """Is this line a website's or a word processor's, not the plan's? ``raw_line`` is read
    simplified: a traditional-character site says 當前位置 and 微信掃碼."""
    stripped = raw_line.strip()
    if len(stripped) > 2 * _CHROME_MAX_LEN:
        return False
    if _LONG_CHROME_LINE.search(stripped):
        return True
    return len(stripped) <= _CHROME_MAX_LEN and bool(_CHROME_LINE.search(stripped) or _CHROME_OPENING.match(stripped))


_OPENING, _CLOSING = "（(〔[【", "）)〕]】"


def _keep_runs(raw: str, base: int) -> tuple[str, list[int], list[int], list[int]]:
    """Drop artefacts and whitespace from one raw line; return kept text, its runs and breaks.

    Whitespace between two ASCII letters or digits is kept as one space ("Python 3"), any
    other whitespace (stray spaces between Chinese characters, indentation) is removed and
    remembered as a soft break where it stood between two kept characters.
    """
    pieces: list[str] = []
    run_at: list[int] = []
    run_orig: list[int] = []
    breaks: list[int] = []
    kept = 0
    pos = 0
    for s, e, spaced in _removable(raw):
        if s > pos:
            pieces.append(raw[pos:s])
            run_at.append(kept)
            run_orig.append(base + pos)
            kept += s - pos
        # a space inside brackets ("（ ）", a value to fill in) breaks no line
        if spaced and kept and e < len(raw) and raw[s - 1] not in _OPENING and raw[e] not in _CLOSING:
            breaks.append(kept)
        pos = e
    if pos < len(raw):
        pieces.append(raw[pos:])
        run_at.append(kept)
        run_orig.append(base + pos)
    return "".join(pieces), run_at, run_orig, breaks


def _removable(raw: str) -> list[tuple[int, int, bool]]:
    """Spans to drop, each with whether it held whitespace (a possible lost line break)."""
    spans = [(m.start(), m.end(), False) for m in _INLINE_ARTEFACTS.finditer(raw)]
    for s, e in _spaces(raw):
        before, after = raw[s - 1:s], raw[e:e + 1]
        if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
            if e - s > 1:
                spans.append((s + 1, e, False))  # keep one space between ASCII words
            continue
        spans.append((s, e, True))
    spans.sort()
    merged: list[tuple[int, int, bool]] = []
    for s, e, spaced in spans:
        if merged and s <= merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], e), last[2] or spaced)
        else:
            merged.append((s, e, spaced))
    return merged


def _spaces(raw: str) -> list[tuple[int, int]]:
    """Spans of whitespace in a raw line. Most lines hold it only at their ends; str.split
    and strip (in C) tell so faster than a regex scan."""
    if len(raw.split(maxsplit=1)) > 1 or "Р" in raw or "¶" in raw or "↵" in raw:
        return [m.span() for m in _SPACE.finditer(raw)]
    spans = []
    if (lead := len(raw) - len(raw.lstrip())) > 0:
        spans.append((0, lead))
    if (body := len(raw.rstrip())) and body < len(raw):
        spans.append((body, len(raw)))
    return spans


def to_simplified(text: str) -> str:
    """Simplified reading of ``text`` with the same length (offsets must survive)."""
    if not _TRADITIONAL_CUE.search(text):
        return text
    return _same_length_conversion(text)


def _same_length_conversion(text: str) -> str:
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase mapping changed the length somewhere: convert line by line, and character by
    # character only the lines whose length changed.
    if "\n" in text:
        return "\n".join(_same_length_conversion(line) for line in text.split("\n"))
    return "".join(c2 if len(c2 := _t2s().convert(c)) == 1 else c for c in text)


_WIDTH_PAIRS = tuple((chr(a), chr(b)) for a, b in _WIDTH.items())


def fold_width(text: str) -> str:
    # A replace per form present is many times faster than translate(), which looks every
    # character up in a dict; a text holds few of the forms.
    for wide, narrow in _WIDTH_PAIRS:
        if wide in text:
            text = text.replace(wide, narrow)
    return text


def clean_lines(original: str) -> list[Line]:
    """Split the original text into analysis lines, dropping chrome and empty lines."""
    lines: list[Line] = []
    offset = 0
    # Lines are read simplified and width-folded, converted once for the whole text (one call
    # is far faster than one per line; both keep every offset).
    for raw in fold_width(to_simplified(original)).split("\n"):
        base = offset
        offset += len(raw) + 1
        if not raw.strip() or is_chrome(raw):
            continue
        text, run_at, run_orig, breaks = _keep_runs(raw, base)
        if text:
            lines.append(Line(text, run_at, run_orig, breaks))
    if lines:
        lines = join_broken_lines(drop_page_markers(lines), original)
    return lines


_LINE_STARTS_A_LABEL = re.compile(
    r"(?:第[一二三四五六七八九十]{1,3}[章节部篇]|[一二三四五六七八九十]{1,3}[、.]|[()]|\d{1,2}[.、)]|[①-⑳]|[A-H][.、])")
_CELLS = re.compile(r"\t|[|｜]| {2,}|\u3000")  # a table row's cells: such a line is no cut sentence
_INNER_PUNCT = re.compile(r"[。,;:]")
# Where a line cut inside a sentence shows it: it ends on a word that needs what follows, or
# the next line opens with what cannot start one.
_ENDS_OPEN = set("0123456789.的和及与或在对为把将被从向于、,“《(")
_OPENS_CLOSED = set(",、;。:%)”》") | set("个所名项人次元万亿年月日")
_LONG_LINE = 40  # a heading's title is shorter: a longer line that ends mid-sentence was broken
_WRAP_MIN = 20  # lines a width-wrapping tool cut are at least this long


def join_broken_lines(lines: list[Line], original: str) -> list[Line]:
    """Join a line that ends mid-sentence with the line that continues it: a PDF's or a
    preview site's text is cut at the page width or at page ends ("新增学位1200" / "个。").

    A line counts as cut when it is long and ends without a sentence's final punctuation. In
    text wrapped at a fixed width (many lines of nearly one length) that is enough; elsewhere
    the line must also be longer than a heading title and the cut must show (it ends on 的 or a
    digit, or the next line opens with a comma or a unit). The document's own breaks stay: a
    line that opens with a label is never joined to the one before, a heading line (a label and
    no punctuation inside) or a title line takes no line after it, and a table's rows stay rows.
    """
    tabular = [bool(_CELLS.search(original, line.start, line.end)) for line in lines]
    width = _wrap_width([line for line, cells in zip(lines, tabular, strict=True)
                         if not cells and not _LINE_STARTS_A_LABEL.match(line.text)])
    out: list[Line] = []
    out_tabular: list[bool] = []
    for line, cells in zip(lines, tabular, strict=True):
        previous = out[-1] if out else None
        if (previous is not None and not cells and not out_tabular[-1] and len(previous.text) >= (width or _LONG_LINE)
                and previous.text[-1] not in _SENTENCE_FINAL and not _LINE_STARTS_A_LABEL.match(line.text)
                and (width or previous.text[-1] in _ENDS_OPEN or line.text[0] in _OPENS_CLOSED)
                and not _is_heading_line(previous.text) and not is_title_line(previous.text)):
            out[-1] = previous.joined(line)
        else:
            out.append(line)
            out_tabular.append(cells)
    return out


def _is_heading_line(text: str) -> bool:
    return bool(_LINE_STARTS_A_LABEL.match(text)) and not _INNER_PUNCT.search(text)


def _wrap_width(lines: list[Line]) -> int | None:
    """The width a tool wrapped the text at, less a little slack; None when it was not."""
    lengths = Counter(len(line.text) for line in lines if len(line.text) >= _WRAP_MIN)
    total = sum(lengths.values())
    if total < 5:
        return None
    width = max(lengths, key=lambda n: (sum(lengths[k] for k in range(n - 2, n + 1)), n))
    near = sum(lengths[k] for k in range(width - 2, width + 1))
    return width - 3 if near >= 0.4 * total and width - 3 >= _WRAP_MIN else None


_SENTENCE_FINAL = "。!?;:！？；：…”」)"
_LABEL_AFTER_MARKER = re.compile(r"\d{1,2}[.、](?!\d)|[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十\d]{1,3}\)")
_PAGE_LEAD = 6  # characters of the document's first line a first page marker is followed by


def drop_page_markers(lines: list[Line]) -> list[Line]:
    """Remove the page numbers a document-preview site glues to each page's text.

    Such sites print page k's text as "k、…": page 1 starts again with the document's own
    title, and each later page continues the sentence the page before broke off. Those two
    signs, not the "k、" itself (a plan's items look the same), mark the numbers to drop.
    """
    lead = lines[0].text[:_PAGE_LEAD]
    if len(lead) < _PAGE_LEAD:
        return lines
    expected = 1
    out: list[Line] = []
    for line in lines:
        while (at := _page_marker(line, expected, lead, out)) is not None:
            line = line.without(at, at + len(str(expected)) + 1)
            expected += 1
        out.append(line)
    return out


def _page_marker(line: Line, number: int, lead: str, before: list[Line]) -> int | None:
    label = f"{number}、"
    if number == 1:
        return 0 if line.text.startswith(label) and line.text[len(label):].startswith(lead) and before else None
    at = line.text.find(label)
    while at >= 0:
        previous = line.text[:at] if at else (before[-1].text if before else "")
        following = line.text[at + len(label):at + len(label) + 1]
        if (len(previous) >= 40 and previous[-1] not in _SENTENCE_FINAL and not previous[-1].isdigit()
                and following and not following.isspace()):
            return at
        # a page that ended with its sentence: the next page's number stands before a label
        if len(previous) >= 40 and previous[-1] in "。;" and _LABEL_AFTER_MARKER.match(line.text, at + len(label)):
            return at
        at = line.text.find(label, at + 1)
    return None


