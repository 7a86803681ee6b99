"""The appraisal rules, one row per rule, on the pure ``score`` function."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from eduplan.supervision.scoring import Adjust, RectItem, ReportSlot, Rules, score

AS_OF = date(2025, 12, 31)
RULES = Rules()  # the defaults: base 100, on time +0.2 (cap 5), late -0.5, missing -1, unfinished -2


def slot(period: str, reported: date | None) -> ReportSlot:
    year, month = map(int, period.split("-"))
    due = date(year, month + 1, 5) if month < 12 else date(year + 1, 1, 5)
    return ReportSlot("扩大普惠学前教育资源", period, due, reported)


# fmt: off
CASES = [
    # id, slots, rectifications, adjustments, expected total, expected line text, grade
    ("on_time", [slot("2025-05", date(2025, 6, 3)), slot("2025-06", date(2025, 7, 5))], [], [],
     "100.4", "按时填报进展 2 次，各加 0.2 分", "优秀"),
    ("on_time_capped", [slot(f"2025-{m:02d}", date(2025, m, 20)) for m in range(1, 12)] * 3, [], [],
     "105", "按时填报进展 33 次，各加 0.2 分，加分以 5 分为限", "优秀"),
    ("late", [slot("2025-05", date(2025, 6, 20))], [], [],
     "99.5", "迟报进展 1 次，各扣 0.5 分", "优秀"),
    ("missing", [slot("2025-05", None), slot("2025-06", None)], [], [],
     "98", "逾期未填报 2 次，各扣 1 分", "优秀"),
    ("unfinished_rectification", [], [RectItem("消防通道堆放杂物", date(2025, 10, 1))], [],
     "98", "整改逾期未完成 1 项，各扣 2 分", "优秀"),
    ("rectification_closed_in_time_costs_nothing", [], [RectItem("消防通道堆放杂物", date(2025, 10, 1), date(2025, 9, 20))], [],
     "100", None, "优秀"),
    ("critical_unfinished_vetoes", [], [RectItem("教学楼外墙开裂", date(2025, 10, 1), critical=True)], [],
     "98", "一票否决：重大隐患逾期未整改", "不合格（一票否决）"),
    ("adjustment", [], [], [Adjust(D("-3"), "年度安全检查台账不全")],
     "97", "考核人调整 -3 分：年度安全检查台账不全", "优秀"),
    ("adjustment_plus", [], [], [Adjust(D("2.5"), "获评市级平安校园")],
     "102.5", "考核人调整 +2.5 分：获评市级平安校园", "优秀"),
    ("veto_by_appraiser", [], [], [Adjust(D("0"), "经调查属实", veto_item="发生重大安全责任事故")],
     "100", "一票否决：发生重大安全责任事故（经调查属实）", "不合格（一票否决）"),
    ("grades_fall_below_the_lines", [slot(f"2025-{m:02d}", None) for m in range(1, 12)] * 4, [], [],
     "56", "逾期未填报 44 次，各扣 1 分", "不合格"),
]
# fmt: on


@pytest.mark.parametrize(("slots", "rects", "adjusts", "total", "line", "grade"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule(slots, rects, adjusts, total, line, grade):
    sheet = score("青禾区实验小学", 2025, slots=slots, rectifications=rects, adjustments=adjusts, rules=RULES,
                  as_of=AS_OF)
    assert sheet.total == D(total)
    assert sheet.grade == grade
    texts = [each.text for each in sheet.lines]
    if line is None:
        assert texts == []
    else:
        assert line in texts


def test_a_report_not_yet_due_counts_neither_way():
    sheet = score("x", 2025, slots=[slot("2025-12", None)], rectifications=[], adjustments=[], rules=RULES,
                  as_of=date(2025, 12, 31))
    assert sheet.lines == [] and sheet.total == D(100)


def test_each_line_lists_what_it_counts():
    sheet = score("x", 2025, slots=[slot("2025-05", None)], rectifications=[], adjustments=[], rules=RULES,
                  as_of=AS_OF)
    assert sheet.lines[0].details == ("“扩大普惠学前教育资源” 2025年5月（应于 2025-06-05 前，未填报）",)


def test_a_bureau_sets_its_own_points():
    rules = Rules(base=D(60), missing=D(5))
    sheet = score("x", 2025, slots=[slot("2025-05", None)], rectifications=[], adjustments=[], rules=rules,
                  as_of=AS_OF)
    assert (sheet.total, sheet.lines[0].text) == (D(55), "逾期未填报 1 次，各扣 5 分")
