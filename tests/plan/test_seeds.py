"""The parser on real published plans (../shared/seeds), scored against the answer keys,
and the same plans disguised the ways real files arrive: traditional characters, full-width
forms, other numbering, site chrome, anonymised regions, several plans in one file, damaged
headings, templates with deleted numbers."""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from eduplan.plan import ParsedSource, parse_text

from ..conftest import GOLD, SHARED


def _load_scorer():
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_answer_keys_score(seeds: list[Path], tmp_path: Path) -> None:
    for path in seeds:
        parsed = parse_text(path.read_text(encoding="utf-8"), source=path.name)
        (tmp_path / f"{path.stem}.json").write_text(json.dumps(parsed.to_dict(), ensure_ascii=False), encoding="utf-8")
    summary = _load_scorer().score(GOLD, tmp_path)["summary"]
    assert summary["headings"]["f1"] >= 0.98
    assert summary["targets"]["f1"] >= 0.95
    assert summary["plans"]["f1"] == 1.0
    assert summary["metadata_accuracy"] == 1.0


def test_every_quote_is_its_span(seeds: list[Path]) -> None:
    for path in seeds:
        text = path.read_text(encoding="utf-8")
        for plan in parse_text(text).plans:
            for fact in (*plan.targets, *plan.blanks, *plan.measures):
                quote = getattr(fact, "quote", None) or fact.text  # type: ignore[union-attr]
                assert text[fact.start:fact.end] == quote
            for heading in plan.headings:
                assert heading.title in text[heading.start:heading.end]


def _signature(parsed: ParsedSource) -> list:
    return [(p.period, p.kind, p.region is None, p.issuer is None, [(h.level, h.label) for h in p.headings],
             len(p.measures), sorted((tuple(t.under), json.dumps(t.value), t.unit, t.comparator) for t in p.targets))
            for p in parsed.plans]


def _traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


_FULL_WIDTH = str.maketrans("0123456789()%", "０１２３４５６７８９（）％")
DISGUISES: dict[str, Callable[[str], str]] = {
    "traditional": _traditional,
    "full_width": lambda t: t.translate(_FULL_WIDTH),
    "dun_numbering": lambda t: re.sub(r"(?m)^(\s*)(\d{1,2})\.(?!\d)", r"\1\2、", t),
    "site_chrome": lambda t: ("当前位置：首页 > 政务公开 > 通知公告\n微信扫码分享\n字号：大 中 小\n" + t
                              + "\n本文来源于网络，如有侵权请联系删除\n【打印本页】【关闭窗口】\n"),
    "traditional_site_chrome": lambda t: _traditional("当前位置：首页 > 信息公开\n微信扫码分享\n" + t + "\n版权所有：青禾区教育局\n"),
    "crlf_and_bom": lambda t: "\ufeff" + t.replace("\n", "\r\n"),
    "docx_bookmarks": lambda t: re.sub(r"(?m)^(\d{1,2}\.)", r"[bookmark: _Hlk1]\1", t),
    "stray_spaces": lambda t: re.sub(r"(?m)^(\S)", r"  \1", t),
}


@pytest.mark.parametrize("disguise", DISGUISES, ids=list(DISGUISES))
def test_disguised_plans_parse_the_same(seeds: list[Path], disguise: str) -> None:
    for path in seeds:
        text = path.read_text(encoding="utf-8")
        assert _signature(parse_text(DISGUISES[disguise](text))) == _signature(parse_text(text)), path.name


def test_traditional_titles_stay_traditional(seeds: list[Path]) -> None:
    for path in seeds:
        simplified = parse_text(path.read_text(encoding="utf-8")).plans[0]
        traditional = parse_text(_traditional(path.read_text(encoding="utf-8"))).plans[0]
        assert traditional.title == _traditional(simplified.title or "")
        assert [t.metric for t in traditional.targets] == [t.metric for t in simplified.targets]


def test_anonymised_region_is_null(seeds: list[Path]) -> None:
    for path in seeds:
        text = path.read_text(encoding="utf-8")
        title = parse_text(text).plans[0].title or ""
        anonymised = text.replace(title, re.sub(r"^.*?(?=\d{4}年|教育)", "XX区", title, count=1), 1)
        plan = parse_text(anonymised).plans[0]
        assert plan.region is None, plan.title


def test_several_plans_in_one_file(seeds: list[Path]) -> None:
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    together = parse_text("\n\n".join(texts))
    assert _signature(together) == [s for t in texts for s in _signature(parse_text(t))]


def test_damaged_headings_are_repaired(seeds: list[Path]) -> None:
    for path in seeds:
        text = path.read_text(encoding="utf-8")
        damaged = re.sub(r"\n\s*(1[0-9])\.", r"\1.", text, count=3)  # lost line breaks
        damaged = damaged.replace("(二)", "二)", 1).replace("(四)", ")", 1)  # lost parentheses
        before, after = parse_text(text).plans[0], parse_text(damaged).plans[0]
        assert [(h.level, h.label) for h in after.headings] == [(h.level, h.label) for h in before.headings]


def test_deleted_numbers_become_blanks(seeds: list[Path]) -> None:
    """A template with its numbers deleted: most gutted target sentences are found as blanks,
    and the original plans have no more blanks than their answer keys."""
    found = total = 0
    for path in seeds:
        text = path.read_text(encoding="utf-8")
        plan = parse_text(text).plans[0]
        gold = json.loads((GOLD / f"{path.stem}.json").read_text(encoding="utf-8"))["plans"][0]
        assert len(plan.blanks) <= len(gold["blanks"])
        gutted = []
        for quote in [t.quote for t in plan.targets]:
            emptied = re.sub(r"\d+(?:\.\d+)?(?:-\d+)?", "", quote)
            if "\n" not in quote and emptied != quote and quote in text:
                text = text.replace(quote, emptied, 1)
                gutted.append(emptied)
        blanks = [b.quote for b in parse_text(text).plans[0].blanks]
        total += len(gutted)
        found += sum(any(g in b or b in g for b in blanks) for g in gutted)
    print(f"gutted targets found as blanks: {found}/{total}")
    assert found / total >= 0.8, (found, total)
