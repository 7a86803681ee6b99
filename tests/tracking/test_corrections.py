"""Correcting what the parser read: the fixes as a case table (pure), then kept, re-applied to
a revised plan, refused to those who may not, and exported as parser cases."""

from __future__ import annotations

import pytest

from eduplan.plan import parse_text
from eduplan.plan.render_xlsx import task_rows
from eduplan.tracking.corrections import apply_fixes, make_fix
from eduplan.tracking.importing import number_of

# A small plan written for these tests, with the faults parsers make on real ones: a whole
# paragraph of general requirements read as task 一, a line cut off at "(" read as a task,
# set phrases (三个突破, 五项机制) read as targets, a target the parser missed (九十: its % sign lost).
FAULTY = """云岭区2026年教育工作要点
一、以新时代教育思想为指导，全面贯彻党的教育方针，增强四个意识，坚持两个基本原则，推动全区教育高质量发展。
二、推进学前教育普惠发展。新增公办幼儿园学位800个，普惠性幼儿园覆盖率达到九十。
三、提升义务教育办学质量。创建区级优质学校5所，实现三个突破。
四、深化教育综合改革工作要点 (
五、加强教师队伍建设。全年培训教师2000人次。落实五项机制，完善教师交流轮岗制度。
"""

NESTED = """云岭区2026年教育工作要点
一、重点任务
1.推进学前教育普惠发展。新增学位800个。
2.提升义务教育质量。深化集团化办学。
（1）创建优质学校5所。
二、保障措施
3.强化经费保障。落实生均经费。
"""


def outline(plan) -> list[str]:
    """Sections and tasks as "number title", each target under its task as "  metric value unit"."""
    lines = []
    for row in task_rows(plan):
        if row.kind in ("section", "task", "group"):
            lines.append(f"{number_of(row)} {row.title[:10]}")
        lines += [f"  {t.metric} {t.comparator}{t.value}{t.unit}" for t in row.targets]
    return lines


AS_READ = ["一 以新时代教育思想为指", "二 推进学前教育普惠发展", "  新增公办幼儿园学位 =800个", "三 提升义务教育办学质量",
           "  创建区级优质学校 =5所", "  突破 =3个", "四 深化教育综合改革工作", "五 加强教师队伍建设", "  培训教师 =2000人次",
           "  机制 =5项"]


def test_the_faulty_plan_reads_as_the_cases_assume():
    assert outline(parse_text(FAULTY).plans[0]) == AS_READ


def changed(lines: list[str], **replace: list[str]) -> list[str]:
    """AS_READ with some lines replaced: ``changed(AS_READ, 四=[...])`` (key: a line's first word)."""
    out = []
    for line in lines:
        key = line.split()[0]
        out += replace.get(key, [line])
    return out


# (id, plan text, kind, where (the text the heading, target or measure begins with), what the person said,
#  the outline after the fix)
# fmt: off
CORRECTION_CASES = [
    ("not_task_paragraph", FAULTY, "not_task", "一、以新时代", {},
     AS_READ[1:]),
    ("not_task_cut_off_line", FAULTY, "not_task", "四、深化", {},
     [line for line in AS_READ if not line.startswith("四")]),
    ("merge_cut_off_line", FAULTY, "merge", "四、深化", {},
     [line for line in AS_READ if not line.startswith("四")]),
    ("title", FAULTY, "title", "四、深化", {"title": "深化教育评价改革"},
     changed(AS_READ, 四=["四 深化教育评价改革"])),
    ("target_delete_set_phrase", FAULTY, "target_delete", "三个突破", {},
     [line for line in AS_READ if "突破" not in line]),
    ("target_edit", FAULTY, "target_edit", "五项机制",
     {"metric": "教师管理机制", "comparator": ">=", "value": 5, "unit": "项", "direction": "level"},
     changed(AS_READ, 机制=["  教师管理机制 >=5项"])),
    ("target_add_missed", FAULTY, "target_add", "二、推进",
     {"quote": "普惠性幼儿园覆盖率达到九十", "metric": "普惠性幼儿园覆盖率", "comparator": ">=", "value": 90, "unit": "%",
      "direction": "level"},
     changed(AS_READ, 新增公办幼儿园学位=["  新增公办幼儿园学位 =800个", "  普惠性幼儿园覆盖率 >=90%"])),
    ("split_at_measure", FAULTY, "split", "落实五项机制", {"title": "健全教师管理机制"},
     AS_READ[:-1] + ["五-2 健全教师管理机制", "  机制 =5项"]),
    ("level_up", NESTED, "level_up", "（1）创建", {},
     ["一 重点任务", "一/1 推进学前教育普惠发展", "  新增学位 =800个", "一/2 提升义务教育质量", "一/(1) 创建优质学校5所",
      "  创建优质学校 =5所", "二 保障措施", "二/3 强化经费保障"]),
    ("level_down", NESTED, "level_down", "2.提升", {},
     ["一 重点任务", "一/1 推进学前教育普惠发展", "  新增学位 =800个", "一/1/2 提升义务教育质量", "一/1/(1) 创建优质学校5所",
      "  创建优质学校 =5所", "二 保障措施", "二/3 强化经费保障"]),
]
# fmt: on


@pytest.mark.parametrize(("text", "kind", "where", "said", "expected"), [c[1:] for c in CORRECTION_CASES],
                         ids=[c[0] for c in CORRECTION_CASES])
def test_a_fix_corrects_the_reading(text, kind, where, said, expected):
    plan = parse_text(text).plans[0]
    fix = make_fix(plan, text, kind, text.index(where), dict(said))
    corrected, outcomes = apply_fixes(plan, text, [fix])
    assert outcomes[0].applied, outcomes[0].problem
    assert outline(corrected) == expected
    assert outline(plan) == outline(parse_text(text).plans[0])  # the parse itself is left as it was


def test_plan_facts_are_corrected():
    plan = parse_text(FAULTY).plans[0]
    said = {"title": "澜江市云岭区2026年教育工作要点", "region": "澜江市云岭区", "period": [2026, 2026], "kind": "annual"}
    corrected, _ = apply_fixes(plan, FAULTY, [make_fix(plan, FAULTY, "plan", 0, said)])
    assert (corrected.title, corrected.region, corrected.period) == (said["title"], "澜江市云岭区", (2026, 2026))


@pytest.mark.parametrize(("kind", "where", "code"), [
    ("level_up", "一、以新时代", "[E474]"),
    ("merge", "一、以新时代", "[E473]"),
    ("title", "新增公办", "[E470]"),  # no heading begins there
    ("target_add", "二、推进", "[E472]"),  # the quote is not in that task's text
])
def test_a_fix_that_cannot_apply_says_why(kind, where, code):
    from eduplan.errors import EduplanError
    from eduplan.tracking.corrections import check_fix

    plan = parse_text(FAULTY).plans[0]
    with pytest.raises(EduplanError) as caught:
        fix = make_fix(plan, FAULTY, kind, FAULTY.index(where),
                       {"title": "甲", "quote": "不在原文里的话", "metric": "甲", "value": 1})
        check_fix(plan, FAULTY, [], fix)
    assert str(caught.value).startswith(code)


def test_a_level_fix_is_not_applied_twice_when_the_text_reads_so_already():
    """A revised text (or a better parser) that already reads the heading at the level the
    person chose: the fix holds, the heading does not move again."""
    plan = parse_text(NESTED).plans[0]
    heading = next(h for h in plan.headings if h.title.startswith("提升"))
    fix = make_fix(plan, NESTED, "level_down", heading.start, {})
    lowered, _ = apply_fixes(plan, NESTED, [fix])
    level = next(h for h in lowered.headings if h.start == heading.start).level
    assert level == heading.level + 1
    again, outcomes = apply_fixes(lowered, NESTED, [fix])
    assert next(h for h in again.headings if h.start == heading.start).level == level
    assert outcomes[0].applied
