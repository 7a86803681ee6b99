"""Template gaps: places where a number or a name was deleted ("建成所幼儿园", "达到以上").

A gap shows as a classifier (所, 个, 名 …) with no number before it, in a place where the
classifier cannot be part of an ordinary word: after a verb of doing or counting, after 等 or
每月, at the start or end of a clause, or before 以上/左右. Each rule below is one such place.
"""

from __future__ import annotations

import re

from .clauses import CLAUSE_STOP, clause_end, clause_start
from .document import PlanDocument
from .lines import Line
from .model import Blank

_NUMERAL = "0123456789〇零一二两三四五六七八九十百千万亿几数多余"
_CLS = "所个名项场次家支节门座年套"
_VERB = (r"新增|新建|建成|建设|完成|打造|创建|争创|培养|培育|培训|评选|评出|举办|招聘|招录|引进|增加|连续|累计|认定|"
         r"遴选|选树|选派|推出|推进|组建|改扩建|扩建|开设|开办|设立|建立|吸纳|孵化|配备|聘任|命名|表彰|覆盖|实施|启动|"
         r"至少|不少于|不低于|超过|达到|"
         r"全区|全县|全市|全省|全镇|推动|组织|带动|辐射")  # 对全区所中小学: a whole area's count cut
# Verbs of change: their number was cut only where its unit follows ("提高个百分点", "提高元"),
# never before 年 (提升年 is a year of a campaign).
_CHANGE_BEFORE = re.compile(r"(?:提高|提升|降低|下降|减少|增长|增加)$")
# Characters that, after a classifier character, make an ordinary word: 所有, 个人, 项目, 年度 …
_WORD_AFTER = {
    "所": "有以在属需得谓辖涉长", "个": "人性体别案", "名": "单称额校师优家誉义片副班园牌",
    "项": "目", "场": "所地馆景域次合", "次": "数序年", "家": "庭长校园乡国风访务", "支": "持部撑教援出付",
    "节": "日点能约水", "门": "户类槛诊", "座": "谈", "年": "度级龄轻底初终内末鉴会份", "套": "餐装房用",
}
# Characters that, before a classifier character, make an ordinary word: 场所, 整个, 排名 …
_WORD_BEFORE = {
    "所": "场处究出诊住厕务育托招息会之院园", "个": "整各这那每哪某", "名": "排命署报提知闻实冠题书姓匿点盛联",
    "项": "事专立选款强单逐各多本分此该奖弱要缺漏进", "场": "现市操球广农赛考立会剧战职商主在登官道", "次": "层档批场人多首再依屡名班车其渐初历每家校户",
    "家": "国专大作商厂全农回儿行赢管", "支": "开收分", "节": "环细关季章礼情脱气音时", "门": "部专开热冷大校国出家入后油",
    "座": "讲宝星首上就", "年": "每全今明近少成老中幼常多学周新当历往逐次去", "套": "配整成全一外手圈客",
}

# Gaps at a classifier character, by what stands around it: after a verb of doing or counting
# (新增所), after 等 or 每月, at the end or the start of a clause; and a deleted year (到年).
# These are judged together wherever a classifier stands (``_classifier_gaps``).
_CLASSIFIER_RULES = ("verb", "deng", "every", "clause_end", "clause_start", "year")
_VERB_BEFORE = re.compile(rf"(?:{_VERB})$")
_EVERY_BEFORE = re.compile(r"每(?:年|月|周|天|日|学期)$")
_CLAUSE_END_CLS = "所个名项次座套"  # not 节 (艺术节), 场 (市场), 家 (专家), 门 (部门): they end ordinary words
_CLAUSE_START_CLS = "所个名项家座支"
_YEAR_BEFORE = "到至于在从满"
_YEAR_WORD_AFTER = "底初内末中度份级龄限来均轻终检审报鉴会薪"
# Where one of them may apply, for the scan to skip to: a superset, checked in Python.
_CLASSIFIER_CANDIDATE = (
    rf"[{_CLS}](?<=[{''.join(sorted({v[-1] for v in _VERB.split('|')}))}高升低降少长加等年月周天日期{CLAUSE_STOP}{_YEAR_BEFORE}][{_CLS}])"
    rf"|[{_CLAUSE_END_CLS}](?=[{CLAUSE_STOP}、]|$)"
)
# The other gaps, each found by its own pattern.
_RULES = (
    ("comparator", re.compile(r"以上|以下|以内|左右")),
    ("wan", re.compile(r"(?P<cls>[万亿])(?:平方米|元|人|册|千瓦)")),
    ("percent", re.compile(r"(?P<cls>%)(?!\))")),
    # Lists with their items cut (推进、、三所学校; 加快、等学校), empty brackets, quotes and boxes
    # ((), ( ), (~), 〔〕, 【】, □, ___), and what a template tells its user to fill in: (填写数字)
    ("list", re.compile(r"、、+|、等|“”|《》|\(\s*~?\s*\)|〔\s*〕|【\s*】|\[\s*\]|__+|□+|"
                        r"\((?:请?填写|填入)[^()]{0,8}\)|\([^()]{0,6}(?:名称|数字|数量|日期|时间)\)")),
    ("yuan", re.compile(r"元(?=[,;。:、]|$|以上|左右)")),  # an amount cut (提高元。); not 元旦, 元宇宙
    # A deleted name: 党的和精神 (党的二十大和…精神), 省委届次全会, 第个教师节 (not 次第).
    ("name", re.compile(r"党的(?=和|精神|届)|届次全会|届中全会|第(?=[个届次])")),
    # A word left where the number stood: 达到百分比.
    ("placeholder", re.compile(r"百分比")),
    # A count of person-times, or a date, whose numbers were cut: "培训人次。", "于月日前".
    ("person_times", re.compile(r"人次(?=[,;。:、]|$)")),
    ("date", re.compile(r"月日(?=前|内|止|至|起|[,;。:]|$)")),  # not 月日报
    ("area", re.compile(r"平方米(?=[,;。:、]|$|以上|左右)")),  # not 按平方米计算
    # A goal verb with nothing after it: "覆盖率提升至。"
    ("goal_end", re.compile(r"(?:提升至|提升到|提高至|提高到|保持在|控制在|稳定在)(?=[,;。:]|$)")),
    # A deleted year with its 年 ("到底，" for 到2027年底): only opening a clause, where 到底 is
    # no adverb (一抓到底).
    ("year_end", re.compile(r"到(?:年)?底(?=[,;，；]|前)")),
)
# The classifier before 以上/以下/以内/左右 whose number may be missing, longest first.
_COMPARATOR_CLS = ("平方米", "人次", *_CLS, "元", "%")
_GOAL_VERB = re.compile(r"(?:达到|提高到|提升至|提升到|保持在|控制在|不低于|不少于|为)$")


def find_blanks(doc: PlanDocument) -> PlanDocument:
    for plan in doc.plans:
        for p in plan.passages:
            line = doc.lines[p.line]
            for at in gap_positions(line.text, p.begin, p.end) + _gaps_before_punct(line, p.begin, p.end):
                if _is_unit_cell(line, at):
                    continue
                begin, end = clause_start(line.text, at, p.begin), clause_end(line.text, at, p.end)
                start, stop = line.span(begin, end)
                if plan.blanks and plan.blanks[-1].start == start:
                    continue  # two gaps in one clause are one blank
                plan.blanks.append(Blank(plan.under(p.heading), doc.quote(start, stop), start, stop))
    return doc


_UNIT_CELL = re.compile(r"[万亿]?(?:%|‰|人次|平方米|元|[所个名项次人年])")


def _is_unit_cell(line: Line, at: int) -> bool:
    """A table's unit column ("…率  %  90  95"): the unit stands alone between spaces or tabs,
    it has lost no number."""
    text = line.text
    left = line.breaks_between(max(0, at - 3), at + 1)
    if not left:
        return False
    begin = left[-1]
    m = _UNIT_CELL.match(text, begin)
    if m is None or m.end() <= at:
        return False
    return m.end() == len(text) or bool(line.breaks_between(m.end() - 1, m.end() + 1))


def _gaps_before_punct(line: Line, begin: int, end: int) -> list[int]:
    """A space left where a value was cut out: "覆盖率 。" (a rate with nothing after it), and a
    year whose last digits were blanked: "20  年秋季"."""
    text = line.text
    return [b for b in line.breaks_between(begin, end)
            if (text[b] in CLAUSE_STOP and text[b - 1] in "率为到达")
            or (text[b] == "年" and text[b - 2:b] == "20" and not text[b - 3:b - 2].isdigit()
                and text[b + 1:b + 2] != "代")]


# All rules in one pattern, so a passage is scanned once. Each rule's first characters are
# its own (a test checks it), so the rule that matched is known, and its own pattern gives the
# match with its groups.
_FIRST_CHARS = _CLS + "以左万亿%、“《(〔【[_党届第百到人月平提保控稳□元"  # the look-ahead lets the engine skip to candidates
_ANY_RULE = re.compile(
    rf"(?=[{re.escape(_FIRST_CHARS)}])(?:(?P<classifier>{_CLASSIFIER_CANDIDATE})|"
    + "|".join(f"(?P<{name}>{pattern.pattern.replace('(?P<cls>', '(?:')})" for name, pattern in _RULES)
    + ")"
)
_RULE = dict(_RULES)


def gap_positions(text: str, begin: int = 0, end: int | None = None) -> list[int]:
    """Analysis indices in ``text[begin:end]`` where a number or name seems deleted."""
    end = len(text) if end is None else end
    found = set()
    if begin == 0 < end and text[0] in _CLS:
        found.update(_classifier_gaps(text, 0, begin, end))
    pos = begin
    while (hit := _ANY_RULE.search(text, pos, end)) is not None:
        name, at = hit.lastgroup or "", hit.start()
        pos = hit.end()
        if name == "classifier":
            found.update(_classifier_gaps(text, at, begin, end))
            continue
        m = _RULE[name].match(text, at, end)
        assert m is not None
        gap = _gap_at(name, text, m, begin)
        if gap is not None:
            found.add(gap)
    return sorted(found)


def _classifier_gaps(text: str, at: int, begin: int, end: int) -> list[int]:
    """The gap at the classifier ``text[at]`` if a rule finds one in the passage ``text[begin:end]``
    (the words before it must be the passage's own)."""
    cls, before = text[at], text[at - 1:at]
    own = text[begin:at]
    for rule in _CLASSIFIER_RULES:
        if rule == "verb":
            applies = bool(_VERB_BEFORE.search(text, max(begin, at - 3), at)) or (
                cls == "个" and text.startswith("百分点", at + 1) and bool(_CHANGE_BEFORE.search(text, max(begin, at - 2), at)))
        elif rule == "deng":
            applies = own[-1:] == "等" and cls != "年"
        elif rule == "every":
            applies = cls in "次节场项名个" and bool(_EVERY_BEFORE.search(text, max(begin, at - 3), at))
        elif rule == "clause_end":
            applies = cls in _CLAUSE_END_CLS and (at + 1 == end or text[at + 1] in CLAUSE_STOP + "、") and (
                "\u4e00" <= before <= "\u9fff")
        elif rule == "clause_start":
            applies = cls in _CLAUSE_START_CLS and (at == 0 or before in CLAUSE_STOP)
        else:  # year: judged by its own rule, not as a count's classifier
            following = text[at + 1:at + 2] if at + 1 < end else ""
            if cls == "年" and (not following or following not in _YEAR_WORD_AFTER) and _year_gap(text, at):
                return [at]
            continue
        if applies and _is_classifier_gap(rule, text, at, cls):
            return [at]
    return []


def _gap_at(name: str, text: str, m: re.Match[str], begin: int) -> int | None:
    if name == "comparator":
        return _comparator_gap(text, m.start(), begin)
    if name == "name":
        return None if text[m.start() - 1:m.start()] == "次" and text[m.start()] == "第" else m.start()
    if name == "list":
        return m.start()
    if name == "yuan":
        at = m.start()
        return at if _orphan(text, at) and (_VERB_BEFORE.search(text, max(begin, at - 3), at) or _CHANGE_BEFORE.search(
            text, max(begin, at - 2), at) or _GOAL_VERB.search(text, max(begin, at - 3), at)) else None
    if name == "goal_end":
        return m.end() - 1
    if name in ("person_times", "date", "area"):
        return m.start() if _orphan(text, m.start()) and text[m.start() - 1:m.start()] not in "每某本当次" else None
    if name == "year_end":
        return m.start() if m.start() == begin or text[m.start() - 1] in CLAUSE_STOP else None
    if name == "placeholder":
        return m.start() if text[m.start() - 1:m.start()] in ("到", "至", "于", "为", "过") else None
    at = m.start("cls")
    before = text[at - 1:at]
    if name == "wan":
        if before in ("近", "上", "逾"):
            return None  # 近万人: a round figure, nothing cut
        return at if _orphan(text, at) and not (before == "。" and text[at - 2:at - 1].isdigit()) else None
    return at if _orphan(text, at) and before != "(" else None  # percent


def _comparator_gap(text: str, at: int, begin: int) -> int | None:
    """ "达到以上" has lost its number; "100人以上", "100人次以上" and "三年以上" have not."""
    for cls in _COMPARATOR_CLS:
        if text.endswith(cls, begin, at):
            start = at - len(cls)
            return start if _orphan(text, start) else None
    if text[at - 1:at] in _NUMERAL:
        return None
    return at if _after_goal_verb(text, at) else None


def _year_gap(text: str, at: int) -> bool:
    """到年珠三角…, 年全区教育工作…: a year deleted after 到/至/于/在 or opening a clause."""
    before = text[at - 1:at]
    if before and before not in _YEAR_BEFORE and before not in CLAUSE_STOP:
        return False
    following = text[at + 1:at + 2]
    return not following or "\u4e00" <= following <= "\u9fff" or following in CLAUSE_STOP


def _is_classifier_gap(name: str, text: str, at: int, cls: str) -> bool:
    if name in ("clause_end", "verb") and text[at - 1:at] in _WORD_BEFORE.get(cls, ""):
        return False  # 设立项 is 设+立项, 奖项 is a word
    if name == "clause_end":
        return _orphan(text, at)
    following = text[at + len(cls):at + len(cls) + 1]
    if following and following in _WORD_AFTER.get(cls, ""):
        return False
    if following and following in _NUMERAL and not text.startswith("百分点", at + len(cls)):
        return False  # 新增个百万: the number follows; 提高个百分点 has lost its own
    if name == "clause_start":
        return bool(following) and "\u4e00" <= following <= "\u9fff"
    return True


def _after_goal_verb(text: str, at: int) -> bool:
    # Looked for in the few characters before ``at`` only: the longest verb has three.
    return bool(_GOAL_VERB.search(text, max(0, at - 3), at))


def _orphan(text: str, at: int) -> bool:
    before = text[at - 1:at]
    return not before or (before not in _NUMERAL and before != ".")
