"""The parser never raises on any text, and every span it reports lies inside the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eduplan.plan import parse_text

# Characters that drive the parser's rules, so random text often looks like a plan.
PLAN_ALPHABET = list("一二三四五六七八九十百两()（）、.．。，；：:%％-~至到以上下内左右约超不少于个所名项次年万亿")
PLAN_ALPHABET += list("0123456789０１２\n\n\n “”《》①②XＸ*区县市教育局工作要点规划十四五新增建成达到率")
plan_like = st.text(alphabet=st.sampled_from(PLAN_ALPHABET), max_size=400)


def _assert_spans_inside(text: str) -> None:
    parsed = parse_text(text)
    for plan in parsed.plans:
        assert 0 <= plan.start <= plan.end <= len(text)
        for heading in plan.headings:
            assert 0 <= heading.start <= heading.end <= len(text)
        for fact in (*plan.targets, *plan.blanks):
            assert 0 <= fact.start <= fact.end <= len(text)
            assert text[fact.start:fact.end] == fact.quote
        for measure in plan.measures:
            assert text[measure.start:measure.end] == measure.text
        parsed.to_dict()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_like)
def test_plan_like_text_never_raises(text: str) -> None:
    _assert_spans_inside(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_never_raises(text: str) -> None:
    _assert_spans_inside(text)


def test_empty_and_blank_text_have_no_plans() -> None:
    assert parse_text("").plans == []
    assert parse_text(" \n\t\n").plans == []


def test_huge_file_is_parsed(tmp_path) -> None:
    """A 50 MB text (the example plan repeated) reads and parses into one plan per copy."""
    from eduplan.plan import read_plan

    from ..conftest import EXAMPLE_PLAN

    copy = EXAMPLE_PLAN.read_text(encoding="utf-8") + "\n"
    times = 50 * 1024 * 1024 // len(copy.encode("utf-8")) + 1
    big = tmp_path / "big.txt"
    big.write_text(copy * times, encoding="utf-8")
    assert big.stat().st_size >= 50 * 1024 * 1024
    parsed = read_plan(big)
    assert len(parsed.plans) == times
    assert parsed.plans[-1].title == parsed.plans[0].title


def test_parsing_pauses_the_cycle_collector_and_restores_it() -> None:
    import gc

    from eduplan.plan.pipeline import no_cycle_collection

    assert gc.isenabled()
    with no_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with no_cycle_collection():
            pass
        assert not gc.isenabled()  # a caller's own choice is kept
    finally:
        gc.enable()
    try:
        with no_cycle_collection():
            raise ValueError
    except ValueError:
        pass
    assert gc.isenabled()
