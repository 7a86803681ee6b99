"""Template gaps: places where a number or a name was deleted ("建成所幼儿园", "达到以上")."""

from __future__ import annotations

import re

from .document import PlanDocument
from .model import Blank

_VERB = (r"新增|新建|建成|建设|完成|打造|创建|培养|培训|评选|举办|招聘|招录|增加|连续|累计|认定|遴选|选树|推出|评出|"
         r"组建|改扩建|扩建|开设|覆盖|达到|提高到|提升至|提升到|控制在|不少于|不低于|至少|超过|每年|全年")
_CLASSIFIER = r"所|个|名|项|场|次|家|支|节|门|座|年"
# Words that begin with a classifier character: 所有, 个人, 项目, 年度 … are no gaps.
_WORD_AFTER = {
    "所": "有以在属需得谓辖涉长",
    "个": "人性体别案",
    "名": "单称额校师优家誉义片副班园",
    "项": "目",
    "场": "所地馆景域次",
    "次": "数序",
    "家": "庭长校园乡国风访务",
    "支": "持部撑教援出付",
    "节": "日点能约水",
    "门": "户类槛诊",
    "座": "谈",
    "年": "度级龄轻底初终内末鉴会份",
}
_GAP_COUNT = re.compile(rf"(?:{_VERB})(?P<cls>{_CLASSIFIER})(?P<next>.?)")
_GAP_COMPARATOR = re.compile(r"(?:达到|提高到|提升至|提升到|保持在|控制在|不低于|不少于|为)(?:以上|以下|以内|左右)")
_GAP_PERCENT = re.compile(r"(?<![\d〇零一二两三四五六七八九十百.(])%(?!\))")
_GAP_LIST = re.compile(r"、{2,}|“”|《》|\(\)")
_CLAUSE_STOP = "，,;；。:!?！？"


def find_blanks(doc: PlanDocument) -> PlanDocument:
    for plan in doc.plans:
        for p in plan.passages:
            if p.heading is None:
                continue
            line = doc.lines[p.line]
            for at in gap_positions(line.text, p.begin, p.end):
                begin, end = _clause(line.text, at, p.begin, p.end)
                start, stop = line.span(begin, end)
                if plan.blanks and plan.blanks[-1].start == start:
                    continue  # two gaps in one clause are one blank
                plan.blanks.append(Blank(plan.under(p.heading), doc.quote(start, stop), start, stop))
    return doc


def gap_positions(text: str, begin: int = 0, end: int | None = None) -> list[int]:
    end = len(text) if end is None else end
    found = [m.start() for m in (*_GAP_COMPARATOR.finditer(text, begin, end),
                                 *_GAP_PERCENT.finditer(text, begin, end),
                                 *_GAP_LIST.finditer(text, begin, end))]
    for m in _GAP_COUNT.finditer(text, begin, end):
        nxt = m.group("next")
        if nxt and nxt in _WORD_AFTER[m.group("cls")]:
            continue
        if nxt and (nxt.isdigit() or nxt in "〇零一二两三四五六七八九十百千万"):
            continue
        found.append(m.start())
    return sorted(found)


def _clause(text: str, at: int, low: int, high: int) -> tuple[int, int]:
    begin = at
    while begin > low and text[begin - 1] not in _CLAUSE_STOP:
        begin -= 1
    end = at
    while end < high and text[end] not in _CLAUSE_STOP:
        end += 1
    return begin, end
