"""highlight(): targets marked in the plan's source text, everything else escaped."""

from eduplan.tracking.highlight import Span, highlight


def test_text_without_targets_is_only_escaped():
    assert highlight("a < b & c", []) == "a &lt; b &amp; c"


def test_a_target_is_wrapped_in_a_mark_with_its_id_and_title():
    html = highlight("合格率达到96%以上", [Span(5, 8, "target-7", "指标：合格率 目标：≥96%")])
    assert html == '合格率达到<mark class="target" id="target-7" title="指标：合格率 目标：≥96%">96%</mark>以上'


def test_source_text_and_titles_are_escaped_inside_and_outside_marks():
    html = highlight("<b>x</b> 1<2", [Span(9, 12, "t", 'say "hi" <now>')])
    assert html == '&lt;b&gt;x&lt;/b&gt; <mark class="target" id="t" title="say &quot;hi&quot; &lt;now&gt;">1&lt;2</mark>'


def test_several_targets_are_marked_in_order_whatever_order_they_come_in():
    html = highlight("AAxxBBxxCC", [Span(8, 10, "c"), Span(0, 2, "a"), Span(4, 6, "b")])
    assert html == ('<mark class="target" id="a" title="">AA</mark>xx<mark class="target" id="b" title="">BB</mark>'
                    'xx<mark class="target" id="c" title="">CC</mark>')


def test_offsets_index_the_whole_source_when_only_a_slice_is_shown():
    source = "前言\n正文：新增学位1200个。"
    start = source.index("正文")
    quote = source.index("1200个")
    html = highlight(source[start:], [Span(quote, quote + 5, "t1")], offset=start)
    assert html == '正文：新增学位<mark class="target" id="t1" title="">1200个</mark>。'


def test_empty_and_outside_spans_are_skipped():
    spans = [Span(0, 4, "a"), Span(7, 7, "empty"), Span(8, 30, "beyond"), Span(-5, -1, "before")]
    assert highlight("abcdefghij", spans) == '<mark class="target" id="a" title="">abcd</mark>efghij'


def test_overlapping_spans_share_one_mark_and_keep_their_anchors():
    text = "新建2所小学、1所初中和3所幼儿园。"
    spans = [Span(0, 6, "t1", "小学"), Span(0, 10, "t2", "初中"), Span(0, 17, "t3", "幼儿园")]
    assert highlight(text, spans) == (
        '<span class="anchor" id="t2"></span><span class="anchor" id="t3"></span>'
        '<mark class="target" id="t1" title="小学；初中；幼儿园">新建2所小学、1所初中和3所幼儿园</mark>。')
