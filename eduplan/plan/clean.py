"""Turn the original text into clean analysis lines: site chrome dropped, artefacts removed,
full-width forms folded to ASCII and traditional characters read as simplified.

Every change keeps the map back to original offsets (see ``lines.Line``): characters are
only ever removed or replaced one for one, never inserted.
"""

from __future__ import annotations

import re
from functools import cache

from .lines import Line

# Full-width ASCII variants and the ideographic space fold to their ASCII twins, so rules
# need to know one form only. Chinese sentence punctuation (。、“”《》) is left alone.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0x00A0: 0x20, 0xFE51: ord("、")})
_WIDTH.update({ord("〔"): ord("("), ord("〕"): ord(")"), ord("－"): ord("-"), ord("～"): ord("~")})

# Text a website or word processor put around or into the plan: never part of it.
_INLINE_ARTEFACTS = re.compile(r"\[bookmark:[^\]]*\]|\[(?:image|img|图片)[^\]]*\]|<!--.*?-->|\ufeff|\u200b")
_SPACE = re.compile(r"\s+")

_CHROME_LINE = re.compile(
    r"当前位置|您的位置|您现在的位置|首页\s*[>›»]|"
    r"^\s*(?:来源|发布时间|发布日期|发文日期|信息来源|作者|浏览次数|点击数|阅读次数|责任编辑|编辑|字号|"
    r"时间|日期|文章来源|访问量)\s*[:：]|"
    r"来源\s*[:：].{0,40}(?:发布)?时间\s*[:：]|"
    r"加入收藏|设为首页|打印本页|关闭窗口|【\s*(?:打印|关闭|字体|大|中|小)|"
    r"分享到|扫一扫|微信扫码|扫码关注|扫描二维码|领取福利|本文来源于网络|转载请注明|版权所有|"
    r"免责声明|ICP|公网安备|网站标识码|网站地图|关于我们|使用帮助|网站声明|联系我们|"
    r"^\s*(?:主办|承办|技术支持|协办)(?:单位)?\s*[:：]|无障碍|简体\s*[|｜]\s*繁体|繁体\s*[|｜]\s*简体|"
    r"共计\s*\d+\s*个?字|预计阅读|阅读时长|上一篇|下一篇|相关(?:阅读|链接|文章|新闻)|"
    r"星期[一二三四五六日天]\s*$|"
    r"^\s*[-—]\s*\d{1,4}\s*[-—]\s*$|^\s*(?:附件|打印|关闭|返回顶部|分享)\s*[:：]?\s*$"
)
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
    stripped = raw_line.strip()
    if len(stripped) > _CHROME_MAX_LEN:
        return False
    if _CHROME_LINE.search(stripped):
        return True
    # A traditional-character site says 當前位置 and 微信掃碼: read it simplified too.
    return bool(_TRADITIONAL_CUE.search(stripped)) and bool(_CHROME_LINE.search(to_simplified(stripped)))


def _keep_runs(raw: str, base: int) -> tuple[str, list[int], list[int]]:
    """Drop artefacts and whitespace from one raw line; return kept text and its runs.

    Whitespace between two ASCII letters or digits is kept as one space ("Python 3"), any
    other whitespace (stray spaces between Chinese characters, indentation) is removed.
    """
    pieces: list[str] = []
    run_at: list[int] = []
    run_orig: list[int] = []
    kept = 0
    pos = 0
    for m in _removable(raw):
        s, e = m
        if s > pos:
            pieces.append(raw[pos:s])
            run_at.append(kept)
            run_orig.append(base + pos)
            kept += s - pos
        pos = e
    if pos < len(raw):
        pieces.append(raw[pos:])
        run_at.append(kept)
        run_orig.append(base + pos)
    return "".join(pieces), run_at, run_orig


def _removable(raw: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in _INLINE_ARTEFACTS.finditer(raw)]
    for m in _SPACE.finditer(raw):
        s, e = m.start(), m.end()
        before, after = raw[s - 1:s], raw[e:e + 1]
        if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
            if e - s > 1:
                spans.append((s + 1, e))  # keep one space between ASCII words
            continue
        spans.append((s, e))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def to_simplified(text: str) -> str:
    """Simplified reading of ``text`` with the same length (offsets must survive)."""
    if not _TRADITIONAL_CUE.search(text):
        return text
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase mapping changed the length somewhere: fall back to character by character.
    return "".join(c2 if len(c2 := _t2s().convert(c)) == 1 else c for c in text)


def fold_width(text: str) -> str:
    return text.translate(_WIDTH)


def clean_lines(original: str) -> list[Line]:
    """Split the original text into analysis lines, dropping chrome and empty lines."""
    lines: list[Line] = []
    offset = 0
    for raw in original.split("\n"):
        base = offset
        offset += len(raw) + 1
        if not raw.strip() or is_chrome(raw):
            continue
        text, run_at, run_orig = _keep_runs(raw, base)
        if text:
            lines.append(Line(fold_width(text), run_at, run_orig))
    if lines:
        _simplify_all(lines)
    return lines


def _simplify_all(lines: list[Line]) -> None:
    # One conversion call over the whole text is far faster than one per line.
    joined = "\n".join(line.text for line in lines)
    simplified = to_simplified(joined)
    if simplified is joined:
        return
    for line, text in zip(lines, simplified.split("\n"), strict=True):
        line.text = text
