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
_CLS = "所个名项场次家支节门座年"
_VERB = (r"新增|新建|建成|建设|完成|打造|创建|争创|培养|培育|培训|评选|评出|举办|招聘|招录|引进|增加|连续|累计|认定|"
         r"遴选|选树|选派|推出|推进|组建|改扩建|扩建|开设|开办|设立|建立|吸纳|孵化|配备|聘任|命名|表彰|覆盖|实施|启动|"
         r"至少|不少于|不低于|超过|达到")
# Characters that, after a classifier character, make an ordinary word: 所有, 个人, 项目, 年度 …
_WORD_AFTER = {
    "所": "有以在属需得谓辖涉长", "个": "人性体别案", "名": "单称额校师优家誉义片副班园牌",
    "项": "目", "场": "所地馆景域次合", "次": "数序", "家": "庭长校园乡国风访务", "支": "持部撑教援出付",
    "节": "日点能约水", "门": "户类槛诊", "座": "谈", "年": "度级龄轻底初终内末鉴会份",
}
# Characters that, before a classifier character, make an ordinary word: 场所, 整个, 排名 …
_WORD_BEFORE = {
    "所": "场处究出诊住厕务育托招息会之院园", "个": "整各这那每哪某", "名": "排命署报提知闻实冠题书姓匿点盛联",
    "项": "事专立选款强单逐各多本分此该奖弱要缺漏进", "场": "现市操球广农赛考立会剧战职商主在登官道", "次": "层档批场人多首再依屡名班车其渐初历每",
    "家": "国专大作商厂全农回儿行赢管", "支": "开收分", "节": "环细关季章礼情脱气音时", "门": "部专开热冷大校国出家入后油",
    "座": "讲宝星首上就", "年": "每全今明近少成老中幼常多学周新当历往逐次去",
}

# Each pattern starts with a literal or a character class, never a look-behind, so the regex
# engine can skip ahead to candidates; what the characters before a match must be is checked
# in ``_is_gap``. (A pattern that opens with a look-behind is tried at every position.)
_RULES = (
    # (name, pattern); the gap is at group "cls" (or the match start when there is none)
    ("verb", re.compile(rf"(?:{_VERB})(?P<cls>[{_CLS}])")),
    ("deng", re.compile(rf"等(?P<cls>[{_CLS[:-1]}])")),
    ("every", re.compile(r"每(?:年|月|周|天|日|学期)(?P<cls>[次节场项名个])")),
    # Only classifiers that rarely end an ordinary word: not 节 (艺术节), 场 (市场), 家 (专家), 门 (部门).
    ("clause_end", re.compile(rf"(?P<cls>[所个名项次座])(?=[{CLAUSE_STOP}、]|$)")),
    ("clause_start", re.compile(rf"[{CLAUSE_STOP}](?P<cls>[所个名项家座支])")),
    ("comparator", re.compile(r"以上|以下|以内|左右")),
    ("wan", re.compile(r"(?P<cls>[万亿])(?:平方米|元|人|册|千瓦)")),
    ("percent", re.compile(r"(?P<cls>%)(?!\))")),
    ("list", re.compile(r"、、+|“”|《》|\(\)|__+")),
    # A deleted year: after 到/至/于/在 ("到年珠三角…"), or opening a clause ("年全区教育工作…").
    ("year", re.compile(r"年(?![底初内末中度份级龄限来均轻终])")),
    # A deleted name: 党的和精神 (党的二十大和…精神), 省委届次全会, 第个教师节 (not 次第).
    ("name", re.compile(r"党的(?=和|精神|届)|届次全会|届中全会|第(?=[个届次])")),
    # A word left where the number stood: 达到百分比.
    ("placeholder", re.compile(r"百分比")),
)
# The classifier before 以上/以下/以内/左右 whose number may be missing, longest first.
_COMPARATOR_CLS = ("平方米", "人次", *_CLS, "元", "%")
_GOAL_VERB = re.compile(r"(?:达到|提高到|提升至|提升到|保持在|控制在|不低于|不少于|为)$")


def find_blanks(doc: PlanDocument) -> PlanDocument:
    for plan in doc.plans:
        for p in plan.passages:
            line = doc.lines[p.line]
            for at in gap_positions(line.text, p.begin, p.end) + _gaps_before_punct(line, p.begin, p.end):
                begin, end = clause_start(line.text, at, p.begin), clause_end(line.text, at, p.end)
                start, stop = line.span(begin, end)
                if plan.blanks and plan.blanks[-1].start == start:
                    continue  # two gaps in one clause are one blank
                plan.blanks.append(Blank(plan.under(p.heading), doc.quote(start, stop), start, stop))
    return doc


def _gaps_before_punct(line: Line, begin: int, end: int) -> list[int]:
    """A space left where a value was cut out: "覆盖率 。" (a rate with nothing after it)."""
    text = line.text
    return [b for b in line.breaks_between(begin, end) if text[b] in CLAUSE_STOP and text[b - 1] in "率为到达"]


# All rules in one pattern, so a passage is scanned once. Each rule's first characters are
# its own (no two rules can match at the same place), so the rule that matched is known, and
# its own pattern gives the match with its groups.
# The characters a rule's match can start with (a test checks this against the patterns).
_FIRST_CHARS = "".join(sorted({verb[0] for verb in _VERB.split("|")})) + f"等每所个名项次座以左万亿%、“《(_年党届第百{CLAUSE_STOP}"
_ANY_RULE = re.compile(rf"(?=[{re.escape(_FIRST_CHARS)}])(?:" + "|".join(f"(?P<{name}>{pattern.pattern.replace('(?P<cls>', '(?:')})" for name, pattern in _RULES) + ")")
_RULE = dict(_RULES)


def gap_positions(text: str, begin: int = 0, end: int | None = None) -> list[int]:
    """Analysis indices in ``text[begin:end]`` where a number or name seems deleted."""
    end = len(text) if end is None else end
    found = set()
    # Where each rule may match next: a rule's matches do not overlap each other (as with
    # finditer), but they may overlap another rule's.
    free_from: dict[str, int] = {}
    # A clause start is found by the punctuation before it, which may end the previous passage.
    pos = max(begin - 1, 0)
    while (hit := _ANY_RULE.search(text, pos, end)) is not None:
        name, at = hit.lastgroup or "", hit.start()
        pos = at + 1
        if at < free_from.get(name, begin if name != "clause_start" else 0):
            continue
        m = _RULE[name].match(text, at, end)
        assert m is not None
        free_from[name] = m.end()
        gap = _gap_at(name, text, m)
        if gap is not None:
            found.add(gap)
    if begin == 0 and text[:1] in "所个名项家座支" and _is_classifier_gap("clause_start", text, 0, text[0]):
        found.add(0)
    return sorted(found)


def _gap_at(name: str, text: str, m: re.Match[str]) -> int | None:
    if name == "comparator":
        return _comparator_gap(text, m.start())
    if name == "name":
        return None if text[m.start() - 1:m.start()] == "次" and text[m.start()] == "第" else m.start()
    if name == "list":
        return m.start()
    if name == "placeholder":
        return m.start() if text[m.start() - 1:m.start()] in ("到", "至", "于", "为", "过") else None
    if name == "year":
        return m.start() if _year_gap(text, m) else None
    at = m.start("cls")
    before = text[at - 1:at]
    if name == "wan":
        return at if before not in _NUMERAL + "." and not (before == "。" and text[at - 2:at - 1].isdigit()) else None
    if name == "percent":
        return at if before not in _NUMERAL + ".(" else None
    if name == "clause_end" and not ("\u4e00" <= before <= "\u9fff"):
        return None
    return at if _is_classifier_gap(name, text, at, m.group("cls")) else None


def _comparator_gap(text: str, at: int) -> int | None:
    """ "达到以上" has lost its number; "100人以上", "100人次以上" and "三年以上" have not."""
    for cls in _COMPARATOR_CLS:
        if text.endswith(cls, 0, at):
            start = at - len(cls)
            return start if _orphan(text, start) else None
    if text[at - 1:at] in _NUMERAL:
        return None
    return at if _after_goal_verb(text, at) else None


def _year_gap(text: str, m: re.Match[str]) -> bool:
    before = text[m.start() - 1:m.start()]
    if before and before not in "到至于在从" and before not in CLAUSE_STOP:
        return False
    following = text[m.end():m.end() + 1]
    return not following or "\u4e00" <= following <= "\u9fff" or following in CLAUSE_STOP


def _is_classifier_gap(name: str, text: str, at: int, cls: str) -> bool:
    if name in ("clause_end", "verb") and text[at - 1:at] in _WORD_BEFORE.get(cls, ""):
        return False  # 设立项 is 设+立项, 奖项 is a word
    if name == "clause_end":
        return _orphan(text, at)
    following = text[at + len(cls):at + len(cls) + 1]
    if following in _WORD_AFTER.get(cls, "") or (following and following in _NUMERAL):
        return False
    if name == "clause_start":
        return bool(following) and "\u4e00" <= following <= "\u9fff"
    return True


def _after_goal_verb(text: str, at: int) -> bool:
    # Looked for in the few characters before ``at`` only: the longest verb has three.
    return bool(_GOAL_VERB.search(text, max(0, at - 3), at))


def _orphan(text: str, at: int) -> bool:
    before = text[at - 1:at]
    return not before or (before not in _NUMERAL and before != ".")
