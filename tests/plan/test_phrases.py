"""Tricky phrases, one row per case (tables in tests/plan/cases/)."""

from __future__ import annotations

import pytest

from eduplan.plan import parse_text

from .cases.blanks import BLANK_CASES
from .cases.headings import HEADING_CASES
from .cases.metadata import ISSUER_CASES, METADATA_CASES
from .cases.targets import DUE_YEAR_CASES, LOOKING_BACK_CASES, METRIC_CASES, TABLE_CASES, TARGET_CASES


def _in_item(sentence: str) -> str:
    return f"一、任务\n1.工作事项。{sentence}"


@pytest.mark.parametrize(("sentence", "expected"), [c[1:] for c in TARGET_CASES], ids=[c[0] for c in TARGET_CASES])
def test_targets_in_a_sentence(sentence: str, expected: list[tuple]) -> None:
    plan = parse_text(_in_item(sentence)).plans[0]
    found = [(t.value, t.unit, t.comparator, t.direction) for t in plan.targets]
    assert found == expected
    assert all(t.under == ["一", "1"] for t in plan.targets)


@pytest.mark.parametrize(("sentence", "expected"), [c[1:] for c in TARGET_CASES if c[1].endswith("。")],
                         ids=[c[0] for c in TARGET_CASES if c[1].endswith("。")])
def test_targets_without_the_closing_full_stop(sentence: str, expected: list[tuple]) -> None:
    """Scraped text often loses a line's last full stop: what the sentence commits to is the same."""
    plan = parse_text(_in_item(sentence.removesuffix("。"))).plans[0]
    assert [(t.value, t.unit, t.comparator, t.direction) for t in plan.targets] == expected


@pytest.mark.parametrize(("line", "expected"), [c[1:] for c in METRIC_CASES], ids=[c[0] for c in METRIC_CASES])
def test_metric_and_quote(line: str, expected: list[tuple[str, str]]) -> None:
    plan = parse_text(f"青禾区教育局2026年工作要点\n一、扩大资源\n{line}").plans[0]
    assert [(t.metric, t.quote) for t in plan.targets] == expected


@pytest.mark.parametrize(("text", "metrics"), [c[1:] for c in LOOKING_BACK_CASES],
                         ids=[c[0] for c in LOOKING_BACK_CASES])
def test_past_results_are_no_targets(text: str, metrics: list[str]) -> None:
    assert [t.metric for t in parse_text(text).plans[0].targets] == metrics


@pytest.mark.parametrize(("line", "years"), [c[1:] for c in DUE_YEAR_CASES], ids=[c[0] for c in DUE_YEAR_CASES])
def test_due_year(line: str, years: list[int | None]) -> None:
    plan = parse_text(f"青禾区教育局2026年工作要点\n一、扩大资源\n{line}").plans[0]
    assert [t.year for t in plan.targets] == years


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in HEADING_CASES], ids=[c[0] for c in HEADING_CASES])
def test_headings(text: str, expected: list[tuple]) -> None:
    plan = parse_text(text).plans[0]
    assert [(h.level, h.label, h.title) for h in plan.headings] == expected


@pytest.mark.parametrize(("sentence", "count"), [c[1:] for c in BLANK_CASES], ids=[c[0] for c in BLANK_CASES])
def test_blanks(sentence: str, count: int) -> None:
    text = _in_item(sentence)
    plan = parse_text(text).plans[0]
    assert len(plan.blanks) == count, [b.quote for b in plan.blanks]
    for blank in plan.blanks:
        assert text[blank.start:blank.end] == blank.quote


# The space before the full stop is that case's gap: without the stop nothing is left to see.
_STOP_IS_THE_GAP = {"space_left_for_value"}
_BLANKS_ENDING_IN_A_STOP = [c for c in BLANK_CASES if c[1].endswith("。") and c[0] not in _STOP_IS_THE_GAP]


@pytest.mark.parametrize(("sentence", "count"), [c[1:] for c in _BLANKS_ENDING_IN_A_STOP],
                         ids=[c[0] for c in _BLANKS_ENDING_IN_A_STOP])
def test_blanks_without_the_closing_full_stop(sentence: str, count: int) -> None:
    plan = parse_text(_in_item(sentence.removesuffix("。"))).plans[0]
    assert len(plan.blanks) == count, [b.quote for b in plan.blanks]


@pytest.mark.parametrize(("text", "title", "region", "period", "kind"), [c[1:] for c in METADATA_CASES],
                         ids=[c[0] for c in METADATA_CASES])
def test_metadata(text: str, title: str | None, region: str | None, period: list[int] | None, kind: str) -> None:
    plan = parse_text(text).plans[0]
    assert (plan.title, plan.region, list(plan.period) if plan.period else None, plan.kind) == (title, region, period, kind)


@pytest.mark.parametrize(("text", "issuer"), [c[1:] for c in ISSUER_CASES], ids=[c[0] for c in ISSUER_CASES])
def test_issuer(text: str, issuer: str | None) -> None:
    assert parse_text(text).plans[0].issuer == issuer


@pytest.mark.parametrize(("cells", "expected"), [c[1:] for c in TABLE_CASES], ids=[c[0] for c in TABLE_CASES])
def test_flattened_indicator_tables(cells: list[str], expected: list[tuple]) -> None:
    text = "青禾区教育事业发展“十四五”规划\n一、发展目标\n" + "\n\n".join(cells) + "\n二、主要任务"
    plan = parse_text(text).plans[0]
    found = [(t.metric, t.value, t.unit, t.comparator, t.baseline.value if t.baseline else None) for t in plan.targets]
    assert found == expected
    assert all(t.under == ["一"] and text[t.start:t.end] == t.quote for t in plan.targets)


def _first_characters(pattern: str) -> set[str] | None:
    """The characters a match of ``pattern`` can start with (None when any could)."""
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    def first(items: list) -> set[str] | None:
        for op, arg in items:
            if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
                continue  # zero-width: look at what follows
            if op is c.LITERAL:
                return {chr(arg)}
            if op is c.IN:
                chars: set[str] = set()
                for kind, value in arg:
                    if kind is c.LITERAL:
                        chars.add(chr(value))
                    elif kind is c.CATEGORY and value is c.CATEGORY_DIGIT:
                        chars.update("0123456789")  # other digits are folded to these by cleaning
                    elif kind is c.RANGE:
                        chars.update(chr(v) for v in range(value[0], value[1] + 1))
                    else:
                        return None
                return chars
            if op is c.SUBPATTERN:
                return first(list(arg[3]))
            if op is c.BRANCH:
                found: set[str] = set()
                for branch in arg[1]:
                    part = first(list(branch))
                    if part is None:
                        return None
                    found |= part
                return found
            if op in (c.MAX_REPEAT, c.MIN_REPEAT) and arg[0] >= 1:
                return first(list(arg[2]))
            return None
        return None

    return first(list(_parser.parse(pattern)))


def test_gap_rules_start_with_characters_of_their_own() -> None:
    """The single scan for gaps tells the rule that matched by the group that matched: two
    rules sharing a first character would hide each other, and none may share the classifier
    characters, where the classifier rules are judged together."""
    from eduplan.plan import blanks

    seen = set(blanks._CLS)
    for name, pattern in blanks._RULES:
        chars = _first_characters(pattern.pattern)
        assert chars is not None and chars <= set(blanks._FIRST_CHARS), (name, chars)
        assert not chars & seen, (name, chars & seen)
        seen |= chars


def test_every_label_style_starts_with_a_listed_character() -> None:
    from eduplan.plan import headings

    for style, pattern, _damaged in headings._LABELS:
        chars = _first_characters(pattern.pattern)
        assert chars is not None and chars <= headings._LABEL_FIRST, (style, chars)
    assert _first_characters(headings._LOST_BOTH.pattern) <= headings._LABEL_FIRST


def test_every_heading_cut_out_of_one_line_is_marked_so() -> None:
    """A scraped line holding four sections: each heading after the first was cut out of it,
    however many times the line was split."""
    text = ("青禾区2025年教育工作要点\n"
            "一、总体要求：坚持稳中求进。二、主要任务：加强党的建设。三、保障措施：强化督查落实。四、工作要求：压实责任。\n")
    plan = parse_text(text).plans[0]
    assert [(h.label, h.damaged) for h in plan.headings] == [("一", False), ("二", True), ("三", True), ("四", True)]


@pytest.mark.parametrize(("body", "named"), [
    ("凉山彝族自治州教育局印发。各县市教育工作稳步推进。", "凉山彝族"),  # 自治州: a suffix of three characters
    ("阿里地区教育事业发展规划。", "阿里"),  # 地区
    ("丹阳教育事业稳步发展。", "丹阳"),  # a short name before 教育
    ("学校教育质量稳步提高。", None),  # no division at all
])
def test_the_region_named_in_a_body(body: str, named: str | None) -> None:
    from eduplan.plan.places import region_in_text

    span = region_in_text(body)
    assert (body[span[0]:span[1]] if span else None) == named


def test_related_titles_after_the_plan_are_no_plan() -> None:
    """A site lists titles of other documents under the plan: one short title line with no
    headings after it starts no second plan."""
    text = "青禾区2026年教育工作计划\n一、任务\n1.新建学校2所。\n教育局2026年工作要点范文\n学校2026年工作计划"
    assert len(parse_text(text).plans) == 1
