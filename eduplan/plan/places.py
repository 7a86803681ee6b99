"""China's administrative divisions, to recognise a plan's region in running text.

A title usually names its region ("澜江市青禾区2025年教育工作要点"), and a pattern reads it.
A page titled only "教育工作计划" names it in the body instead, often in the short form
("丹阳教育事业", "大足教育"): the table of divisions (data/places.tsv, see
scripts/build_places.py) tells those names from ordinary words.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_SUFFIX = re.compile(r"(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|自治旗|省|市|地区|盟|区|县|旗)$")
# Division names that are also ordinary words in plans ("城区学校", "市中心"): never a region.
_ORDINARY = {"城区", "郊区", "矿区", "新区", "市中区", "中区", "东区", "西区", "南区", "北区", "新城区", "老城区",
             "开发区", "高新区", "城关"}
_SCAN_LIMIT = 20_000  # characters of a plan read for its region
# Where a short name can end: before the first character of a suffix _SUFFIX cuts off
# (区 县 市 旗 省 盟, 自治…, 地区, 特别行政区, 维吾尔/壮族/回族自治区), or before 教育.
_MENTION_END = re.compile(r"[区县市旗省盟自地特维壮回]|教育")


@dataclass(frozen=True)
class Place:
    name: str  # as in the table: 丹阳市
    short: str  # without its suffix: 丹阳
    level: int  # 1 province, 2 prefecture, 3 county


@cache
def _places() -> dict[str, list[Place]]:
    """Places by the first two characters of their short name."""
    table: dict[str, list[Place]] = {}
    path = Path(__file__).with_name("data") / "places.tsv"
    for row in path.read_text(encoding="utf-8").splitlines():
        if not row or row.startswith("#"):
            continue
        level, name = row.split("\t")
        short = _SUFFIX.sub("", name)
        if len(short) < 2 or name in _ORDINARY or short in _ORDINARY:
            continue
        table.setdefault(short[:2], []).append(Place(name, short, int(level)))
    return table


@cache
def _by_short() -> tuple[dict[str, list[Place]], tuple[int, ...], tuple[Place, ...], frozenset[str]]:
    """Places by short name, the lengths short names have, the places whose name has no
    suffix (their short name is the whole name), and the last two characters of short names."""
    table: dict[str, list[Place]] = {}
    for places in _places().values():
        for place in places:
            table.setdefault(place.short, []).append(place)
    bare = tuple(p for places in table.values() for p in places if p.name == p.short)
    return table, tuple(sorted({len(short) for short in table})), bare, frozenset(short[-2:] for short in table)


def known_place(name: str) -> Place | None:
    """The division called ``name`` (full or short form), if there is one."""
    for place in _places().get(name[:2], []):
        if name in (place.name, place.short):
            return place
    return None


def region_in_text(text: str) -> tuple[int, int] | None:
    """Span of the region a plan's body names most: the lowest-level division mentioned,
    written with its suffix where the text ever does so ("大足县"), else as the text writes it.

    A short name counts only where a suffix or 教育 follows it ("丹阳教育事业"): short names
    such as 和平 or 光明 are also ordinary words.
    """
    text = text[:_SCAN_LIMIT]
    by_short, lengths, bare, tails = _by_short()
    seen: Counter[Place] = Counter()
    first: dict[Place, int] = {}

    def count(place: Place, at: int) -> None:
        seen[place] += 1
        first.setdefault(place, at)

    # A mention ends where a suffix or 教育 begins: look back from there for the short names.
    for m in _MENTION_END.finditer(text):
        end = m.start()
        if text[end - 2:end] not in tails:
            continue  # most ends (全区, 推进教育) follow no division's name
        after = text[end:end + 2]
        for length in lengths:
            for place in by_short.get(text[end - length:end], ()) if end >= length else ():
                if after[:1] in "区县市旗" or after == "教育" or text.startswith(place.name, end - length):
                    count(place, end - length)
    for place in bare:  # names with no suffix to cut count wherever they stand
        at = text.find(place.name)
        while at >= 0:
            count(place, at)
            at = text.find(place.name, at + 1)
    if not seen:
        return None
    best = min(seen, key=lambda p: (-p.level, -seen[p], first[p]))
    if best.level == 1:
        return None  # a province named in a body is rarely the plan's own region
    full = re.search(rf"{re.escape(best.short)}[区县市旗]", text)
    if full:
        return full.span()
    at = first[best]
    return at, at + len(best.short)
