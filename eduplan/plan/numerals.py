"""Chinese and arabic numerals to numbers.

A small converter of our own: cn2an's sentence mode rewrites words such as 一体化 and leaves
两所 or 百节 alone, and its per-call cost is ten times this one's.
"""

from __future__ import annotations

DIGITS = {"〇": 0, "零": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
          "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CHINESE_NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)
# What a count is counted in, longest first (targets read quantities with them; a bare number
# before one is a count, not a damaged label).
UNITS = ("个百分点", "百分点", "平方米", "平米", "人次", "场次", "家次", "课时", "学时", "小时", "分钟", "公里", "%",
         "个", "所", "名", "人", "项", "节", "场", "次", "元", "年", "天", "门", "支", "家", "座", "间",
         "张", "台", "套", "册", "本", "篇", "件", "批", "班", "处", "条", "种", "类", "部", "位", "户",
         "组", "队", "轮", "份", "园", "校", "亩", "米", "课", "首", "幅", "块", "辆", "床", "对", "分", "期", "片")


def chinese_to_number(text: str) -> int | None:
    """三 → 3, 十五 → 15, 两百 → 200, 百 → 100, 一千二百 → 1200, 三万 → 30000; None if not a numeral."""
    if not text or any(c not in CHINESE_NUMERAL_CHARS for c in text):
        return None
    total = section = 0
    digit: int | None = None
    for c in text:
        if c in "零〇" and (section or total) and digit is None:
            continue  # 一百零五: 零 only marks a skipped place
        if c in DIGITS:
            if digit is not None:  # "一二" digit strings are not quantities here
                return None
            digit = DIGITS[c]
        elif c in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[c]
            digit = None
        else:
            section += digit or 0
            total += (section or 1) * BIG_UNITS[c]
            section, digit = 0, None
    return total + section + (digit or 0)


def to_number(text: str) -> int | float | None:
    """Arabic ("1,530", "2.07", "2.07万") or Chinese numerals, with 万/亿 multipliers."""
    text = text.replace(",", "")
    multiplier = 1
    while text and text[-1] in BIG_UNITS and not (len(text) > 1 and text[-2] in CHINESE_NUMERAL_CHARS):
        multiplier *= BIG_UNITS[text[-1]]
        text = text[:-1]
    try:
        value: float = float(text)
    except ValueError:
        cn = chinese_to_number(text)
        if cn is None:
            return None
        value = cn
    return tidy(value * multiplier)


def tidy(value: float) -> int | float:
    """20700.0 → 20700, 98.5 → 98.5, 0.30000000000000004 → 0.3."""
    value = round(value, 6)
    return int(value) if value == int(value) else value
