"""Our numeral converter against cn2an as an oracle (cn2an is too slow and too eager on running
text to use in the parser, see the note in numerals.py)."""

from __future__ import annotations

import cn2an
import pytest

from eduplan.plan.numerals import chinese_to_number, to_number

# fmt: off
NUMERALS = ["一", "二", "两", "三", "九", "十", "十一", "十五", "二十", "二十三", "九十九", "一百", "一百零五",
            "两百", "三百二十", "一千", "一千二百", "三千零五十", "一万", "三万", "十二万", "一万二千",
            "一亿", "壹佰贰拾", "两千"]
# fmt: on


@pytest.mark.parametrize("numeral", NUMERALS)
def test_chinese_numerals_agree_with_cn2an(numeral: str) -> None:
    assert chinese_to_number(numeral) == cn2an.cn2an(numeral, "smart")


# fmt: off
MIXED = [("2.07万", 20700), ("1,530", 1530), ("0.5", 0.5), ("百", 100), ("3万", 30000), ("1.2亿", 120000000)]
# fmt: on


@pytest.mark.parametrize(("text", "value"), MIXED, ids=[m[0] for m in MIXED])
def test_mixed_numbers(text: str, value: float) -> None:
    assert to_number(text) == value


@pytest.mark.parametrize("text", ["一二", "十四五", "abc", ""])
def test_non_numerals_are_none(text: str) -> None:
    assert to_number(text) is None
