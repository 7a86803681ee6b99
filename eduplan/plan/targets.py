"""Quantified targets in sentences: "新增学前教育学位1530个", "合格率达到95%以上", "1-2所".

A quantity is a number (arabic, Chinese or 百分之…, a range, with 万/亿) followed by a unit.
It is a target when it sits under a plan heading outside any look-back section and is not a
year, an ordinal, part of a quoted name or a vague "一个/一批".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .clauses import CLAUSE_STOP, clause_end, clause_start
from .document import Passage, PlanBlock, PlanDocument
from .lines import Line
from .metadata import FIVE_YEAR_TERMS
from .model import Target
from .numerals import CHINESE_NUMERAL_CHARS, UNITS, to_number

_CN = f"[{CHINESE_NUMERAL_CHARS}]+"
_AR = r"\d+(?:,\d{3})*(?:\.\d+)?"
_NUM = f"(?:{_AR}|{_CN})"
# Longest units first so "个百分点" wins over "个" and "人次" over "人".
_UNIT = "|".join(re.escape(u) for u in UNITS)
# The look-ahead lets the regex engine skip to the next digit or numeral instead of trying
# the optional 百分之 at every position.
QUANTITY = re.compile(
    rf"(?=[\d{CHINESE_NUMERAL_CHARS}])(?P<pct>百分之)?(?P<a>{_NUM})(?:\s*(?P<sep>-|~|—|–|至|到)\s*(?P<b>{_NUM}))?"
    rf"\s*(?P<mult>万|亿|千)?(?P<more>余|多)?(?P<unit>{_UNIT})?"
    r"(?(unit)|(?(pct)|(?!)))"  # a number with neither a unit nor 百分之 is no quantity
)
_OPENERS = re.compile('[“《「‘"]')
_UNIT_ALIASES = {"个百分点": "百分点", "平米": "平方米"}

_AFTER_GE = re.compile(r"(?:及|或)?以上")
_AFTER_LE = re.compile(r"(?:及|或)?(?:以下|以内)")
_AFTER_ABOUT = re.compile(r"左右")
# Comparator words before the number; alternatives longest first so 不低于 is never read as 低于.
# 超/约/近 count only right before the number: 超重, 约束 and 近视 are ordinary words.
_BEFORE = re.compile(
    r"(?P<ge>不少于|不低于|不小于|至少|超过|多于)|(?P<le>不超过|不高于|不多于|不大于|控制在)|"
    r"(?P<gt>高于|大于)|(?P<lt>低于|小于)|(?P<about>大约|接近)"
)
_RIGHT_BEFORE = re.compile(r"(?P<ge>超|逾)$|(?P<about>约为?|近)$")
_BEFORE_COMPARATORS = {"ge": ">=", "le": "<=", "gt": ">", "lt": "<", "about": "~"}
_DUE_YEAR = re.compile(r"(?:到|至|于|在)(20\d\d)年")
_CLAUSE_YEAR = re.compile(r"(20\d\d)年(?!度)")
_DECREASE = re.compile(r"(?:降低|下降|减少|压减|缩减|降)[^至到]{0,4}$")
_INCREASE = re.compile(r"(?:提高|增加|增长|提升|上升|扩大)[^至到]{0,4}$")
_LEAD_WORDS = re.compile(r"^(?:其中|并|且|和|及|力争|确保|争取|努力|计划|全年|年内|持续|进一步|全面|积极|实现|推动|推进|使|让|保证|保障|力求|要|将|共|累计)+")
_TAIL_WORDS = re.compile(r"(?:达到|达|提升至|提升到|提高至|提高到|保持在|保持|稳定在|控制在|提升|提高|增至|降至|降低|下降|减少|不少于|不低于|超过|约为|约|为|在|均|都|要|低于|小于|高于|大于|近|逾|[≤≥<>＜＞])+$")
_AFTER_METRIC_STOP = re.compile(
    r"[和及与等]|以上|左右|\d|(?<=..)(?:建设|完善|创建|打造|推进|实施|开展|组建|培养|整合|加强|提升|确保|力争)"
)
# After the unit, these open no metric; a 、 starts the next item ("中学2所、小学3所").
_NOT_A_METRIC = ("要求", "目标", "任务", "标准", "以上", "左右", "、", "覆盖", "全覆盖")
_COUNT_VERB = re.compile(r"改扩建|新建|扩建|建成|新增|创建|打造|建设|招聘|评选|举办|完成")
_METRIC_MAX = 24
_SET_PHRASE = re.compile(
    r"[^，,;；。]{0,8}(?:规定|准则|精神|禁令|方针|理念|纪律)|.?(?:一体|方面|计划|举措|原则|要求)|"
    r"(?:基本)?(?:原则|意识|转变|本领|聚焦|扎扎实实|维护|自信|确立|坚持|重点|基础|服务|面向|必须|优先|到位|不动摇|"
    r"导向|统筹|关键|抓手|环节|层面|维度|全面|主体|融合|结合|代表|文明|一流|只增不减)"
)
# After a count: the meeting it numbers (三次全会), or a colon that spells out a slogan's parts.
_MEETING = re.compile(r"(?:、[一二三四五六七八九十\d]+次)*(?:全会|会议|全体会议|代表大会)")
_FRAMEWORK = re.compile(r"[\u4e00-\u9fff]{1,6}:")
# "全区现有幼儿园86所，在编教师4,120人": 现有 governs its list, up to a word that turns to a commitment
_EXISTING = re.compile(r"现有(?:(?!计划|新增|新建|新招|力争|确保|完成|达到|实现|到20)[^。;]){0,60}$")
_OWN_TASKS = re.compile(r"(?:重点|主要|具体)?(?:任务|工作|举措|措施|内容|方面)")
_OWN_TASKS_BEFORE = re.compile(r"(?:聚焦|围绕|突出|包括|分为|涵盖|明确|提出|部署|抓好|实施|落实)$")
_POLICY_BEFORE = re.compile(r"(?:改革|措施|举措|意见|规定|办法|准则|细则|政策|要求|负担|减负|条例|行动|新政|禁令|十)$")
# Documents sent down are paperwork counted, not a result committed to ("下发四个文件").
_SENT_DOWN = re.compile(r"(?:下发|印发|转发|下达)了?$")
# A head count that sizes a class or a school ("消除56人以上大班额", "3000人以上规模学校"):
# the number qualifies the noun after it, nobody commits to reaching it.
_SIZE_OF = re.compile(r"(?:及|或)?以[上下]的?(?:超?大班额|班额|大?规模|学校|班级|校区)")
# Things that exist already, counted as what routine work looks after ("对全县7所民办学校的年检和
# 日常管理", "58辆校车的安全监管"): no commitment, unlike covering N schools with a service.
_THINGS_COUNTED = frozenset("所辆名个人家台套间处座")
_DOING_BEFORE = re.compile(r"完成|实现|开展|推动|新增|新建|建成|覆盖|确保|力争|达到")
_LOOKED_AFTER = re.compile(
    r"[^,;。:]{0,24}?的(?:日常|安全|规范|常态化|动态){0,2}(?:管理|监管|年检|检查|巡查|审批|维护|工资核算)(?:[和及与]|工作|(?![\u4e00-\u9fff]))|"
    r"[^,;。:]{0,24}?的(?:日常|常态化|动态){1,2}(?:督导|督查|考核|评估|服务)"
)
_COUNT_VERB_BEFORE = re.compile(r"(?:新建|建成|建设|新增|创建|打造|培育|评选|出台|制定|提出|推出|形成|完成|招聘|认定|开设|办)$")
# "一" counts only as the object of building or setting up: 建成一所, 设一个, 都有一所.
_ONE_BUILT_UNITS = ("所", "个", "座", "处", "家", "间")
_AT_LEAST_OR_EVERY = re.compile(r"至少|不少于|不低于|每[年月周天日学期]$")
# Years of schooling ("15年免费教育", "普及12年教育"), not a span of years (五年教育改革发展).
_SCHOOLING = re.compile(r"(?:免费|义务|基础)教育|学制|教育(?![\u4e00-\u9fff])")
_BUILD_ONE = re.compile(r"(?:创办|建设|建成|新建|改建|扩建|设立|设置|设|建有|都有|均有|办|建|打造|组建|成立|开设|配备)$")


@dataclass
class Quantity:
    value: int | float | list[int | float]
    unit: str
    comparator: str
    begin: int  # analysis indices in the line
    end: int


def extract_targets(doc: PlanDocument) -> PlanDocument:
    for plan in doc.plans:
        for p in plan.passages:
            if p.review:
                continue
            line = doc.lines[p.line]
            for q in find_quantities(line.text, p.begin, p.end):
                if looks_back(line.text, q.begin, plan.period):
                    continue
                target = _target(doc, plan, p, line, q)
                shared = sharing_metrics(line.text, q.begin)
                target.confidence = target_confidence(line.text, q, p.heading is None, bool(shared))
                if not shared:
                    plan.targets.append(target)
                for metric in shared:
                    plan.targets.append(replace(target, metric=metric))
    return doc


# A sentence about the past, inside a plan's own text: "过去一年，…新增学位3000个", "2024年，…".
_LOOK_BACK = re.compile(
    r"过去(?:的)?一年|一年来|近年来|多年来|以来[,，]|已经|目前已|已(?:建成|完成|基本|于|移交|交付|投入使用)|"
    r"取得了?(?:新的|显著|明显|积极)?(?:进展|成效|成绩|成就)"
)
_TERM_SPAN = re.compile(r"(十[一二三四五]五)”?(?:期间|时期)")
_SENTENCE_YEAR = re.compile(r"^[^,，。]{0,6}?(20\d\d)\s*年")


_SENTENCE_REACH = 300  # characters either side: longer than any real sentence


def looks_back(text: str, at: int, period: tuple[int, int] | None) -> bool:
    """Is the sentence holding ``text[at]`` a report of results, not a commitment?"""
    # bounded: a scraped line without full stops must not make every quantity read all of it
    low, high = max(0, at - _SENTENCE_REACH), min(len(text), at + _SENTENCE_REACH)
    stop = max(text.rfind("。", low, at), text.rfind("!", low, at))
    begin = stop + 1 if stop >= 0 else low
    end = text.find("。", at, high)
    sentence = text[begin:end if end >= 0 else high]
    if _LOOK_BACK.search(sentence):
        return True
    term = _TERM_SPAN.search(sentence)
    if term and period and FIVE_YEAR_TERMS[term.group(1)][1] < period[0]:
        # "“十三五”期间…" in a plan from 2021 on, unless the sentence turns to what is due:
        # "“十四五”时期新增9000个，到2030年新增12000个"
        due = _last_match(_DUE_YEAR, text[begin + term.end():at])
        return not (due and int(due.group(1)) >= period[0])
    clause = text[max(text.rfind(":", begin, at), begin):at]
    year = _SENTENCE_YEAR.match(clause.lstrip(":"))
    return bool(period and year and int(year.group(1)) < period[0])


_SHARED = re.compile(r"(?<![人平生])均(?![衡等匀值])|(?<!首)都|各(?=(?:[\u4e00-\u9fff]{0,3}?|(?:新建|改建|培育|创建|建设|打造|评选|建成|招聘|配备)[\u4e00-\u9fff]{0,8}?)(?:\d|[一二两三四五六七八九十]))")
# "新建、改造学校音乐室、美术室各20间": the verbs before the list share the count, they are no items
_BARE_VERB = re.compile(r"新建|改建|扩建|改扩建|改造|建设|建成|创建|打造|培育|新增|配备|购置|更新")
_METRIC_END = re.compile(r"(?:率|比例|占比|人数|数量|总量)$")
_ITEM_SEPARATORS = re.compile(r"[、和及与]")


_RESPECTIVELY = re.compile(r"分别")
_YEAR_OPENING = re.compile(r"^(?:到|至)?(?:20\d\d)年(?:底|末)?|^(?:到|至)?(?:年底|年末|期末)")


def respective_metrics(text: str, at: int) -> tuple[str, int, int] | None:
    """In "A、B和C分别达到90%、95%和98%", the metric the quantity at ``at`` is stated for (the
    item at its place in the list before 分别) and the span of the list of values, which all
    of them quote. A clause that only says when ("2030年分别达到…") takes the list of the
    clause before it. None unless the lists are of the same length."""
    begin = clause_start(text, at)
    respectively = _last_match(_RESPECTIVELY, text[begin:at])
    if respectively is None:
        return None
    values_begin = begin + respectively.start()
    values_end = clause_end(text, at)
    values = find_quantities(text, values_begin, values_end)
    items = _respective_items(text, begin, values_begin)
    if not items and begin > 0:  # "；2030年分别达到…": the same things as the clause before
        before = clause_start(text, begin - 1)
        earlier = _last_match(_RESPECTIVELY, text[before:begin - 1])
        items = _respective_items(text, before, before + earlier.start()) if earlier else []
    place = next((i for i, v in enumerate(values) if v.begin == at), None)
    if place is None or len(items) != len(values):
        return None
    return items[place], values_begin, values[-1].end


def _respective_items(text: str, begin: int, end: int) -> list[str]:
    words = _YEAR_OPENING.sub("", text[begin:end].strip())
    words = _LEAD_WORDS.sub("", words)
    items = [item for item in _ITEM_SEPARATORS.split(words) if item]
    return items if len(items) >= 2 else []


def target_confidence(text: str, q: Quantity, unheaded: bool, shared: bool) -> float:
    """Less sure: a target outside any numbered heading, one value read for several metrics,
    a count written in Chinese numerals, a range read from digits that lost their dash."""
    confidence = 1.0
    if unheaded:
        confidence -= 0.25
    if shared:
        confidence -= 0.15
    number = text[q.begin:q.end]
    if number[:1] in CHINESE_NUMERAL_CHARS:
        confidence -= 0.15
    if isinstance(q.value, list) and not re.search(r"[-~—–至到]", number):
        confidence -= 0.3
    return round(max(confidence, 0.1), 2)


def sharing_metrics(text: str, at: int) -> list[str]:
    """The things a quantity is stated for together: "入学率、巩固率均保持100%" (each at 100%),
    "小学、初中各3所" (3 of each). Empty when it states one thing."""
    begin = clause_start(text, at)
    shared = _last_match(_SHARED, text[begin:at + 1])
    if shared is None:
        return []
    items = [_LEAD_WORDS.sub("", item) for item in _ITEM_SEPARATORS.split(text[begin:begin + shared.start()])]
    items = [item for item in items if item and not _BARE_VERB.fullmatch(item)]
    if len(items) < 2:
        return []
    # "入学率、巩固率均…" shares a value among metrics; "小学、初中每百名学生…均…" qualifies one.
    if shared.group(0) != "各" and not all(_METRIC_END.search(item) for item in items[:-1]):
        return []
    return items


def find_quantities(text: str, begin: int = 0, end: int | None = None) -> list[Quantity]:
    """The committed quantities in ``text[begin:end]``."""
    end = len(text) if end is None else end
    quoted = _quoted_ranges(text)  # cached: a line's passages share it
    found = []
    for m in QUANTITY.finditer(text, begin, end):
        q = _quantity(text, m, quoted)
        if q is not None:
            found.append(q)
    found = _join_ranges(text, found)
    if "系数" in text[begin:end]:
        found = sorted(found + _coefficients(text, begin, end), key=lambda q: q.begin)
    if "大" in text[begin:end]:
        found = sorted(found + _the_n_great(text, begin, end), key=lambda q: q.begin)
    if "成" in text[begin:end] or "番" in text[begin:end]:
        found = sorted(found + _tenths_and_doubling(text, begin, end), key=lambda q: q.begin)
    return found


# Shares in tenths ("九成以上" 90%, "九成五" 95%, "提高到八成") and doubling ("翻一番": +100%).
_TENTHS = re.compile(r"(?<![一二两三四五六七八九十])(?P<n>[一二两三四五六七八九])成(?P<half>[一二三四五六七八九])?(?![绩果员为功立就长本型熟效])")
_DOUBLING = re.compile(r"翻(?P<n>一|两|二|三)番")


def _tenths_and_doubling(text: str, begin: int, end: int) -> list[Quantity]:
    found = []
    for m in _TENTHS.finditer(text, begin, end):
        if text.startswith("一成不变", m.start()):
            continue
        half = to_number(m.group("half")) if m.group("half") else 0
        value = (to_number(m.group("n")) or 0) * 10 + (half or 0)
        stop = m.end()
        tail = _AFTER_GE.match(text, stop) or _AFTER_LE.match(text, stop) or _AFTER_ABOUT.match(text, stop)
        found.append(Quantity(value, "%", _comparator(text, m.start(), stop, False), m.start(), tail.end() if tail else stop))
    for m in _DOUBLING.finditer(text, begin, end):
        times = to_number(m.group("n")) or 1
        found.append(Quantity(100 * (2 ** times - 1), "%", "=", m.start(), m.end()))
    return found


# "打造十大德育品牌": N things to make, counted without a classifier (read as 个). Only after
# a verb of making: "实施五大行动" names a programme's parts, it builds nothing.
_N_GREAT = re.compile(r"(?:打造|培育|评选|创建|推出|建成|创设|遴选)(?P<n>[两三四五六七八九十]{1,2})大(?=[\u4e00-\u9fff])")


def _the_n_great(text: str, begin: int, end: int) -> list[Quantity]:
    found = []
    for m in _N_GREAT.finditer(text, begin, end):
        value = to_number(m.group("n"))
        if value is not None:
            found.append(Quantity(value, "个", "=", m.start("n"), m.end()))
    return found


_RANGE_BETWEEN = re.compile(r"\s*(?:至|到|-|~|—|–)\s*$")


def _join_ranges(text: str, found: list[Quantity]) -> list[Quantity]:
    """"5万元至10万元": two quantities of one unit joined by 至 are one range."""
    joined: list[Quantity] = []
    for q in found:
        last = joined[-1] if joined else None
        if (last is not None and last.unit == q.unit and last.comparator == "=" and q.begin - last.end <= 3
                and _RANGE_BETWEEN.fullmatch(text, last.end, q.begin) and isinstance(last.value, (int, float))
                and isinstance(q.value, (int, float)) and last.value < q.value):
            joined[-1] = Quantity([last.value, q.value], q.unit, "range", last.begin, q.end)
        else:
            joined.append(q)
    return joined


# A coefficient has no unit ("校际综合差异系数小学≤0.50、初中低于0.45"): a decimal below one
# after a comparator, in a clause that names a 系数.
_COEFFICIENT = re.compile(r"(?<![\d.])0\.\d{1,3}(?![\d.%‰])")
_COEFFICIENT_BEFORE = re.compile(r"(?:控制在|低于|小于|不高于|不超过|不大于|达到|降至|[≤<＜]|为|分别)$")
_SYMBOLS = {"≤": "<=", "<": "<", "＜": "<"}


def _coefficients(text: str, begin: int, end: int) -> list[Quantity]:
    found = []
    for m in _COEFFICIENT.finditer(text, begin, end):
        start = m.start()
        clause = text[clause_start(text, start):start]
        if "系数" not in text[max(0, start - 40):start] or not (
                _COEFFICIENT_BEFORE.search(clause) or text[start - 1:start] == "、"):
            continue
        stop = m.end()
        tail = _AFTER_GE.match(text, stop) or _AFTER_LE.match(text, stop) or _AFTER_ABOUT.match(text, stop)
        comparator = _SYMBOLS.get(text[start - 1:start]) or _comparator(text, start, stop, False)
        found.append(Quantity(float(m.group()), "", comparator, start, tail.end() if tail else stop))
    return found


def _quantity(text: str, m: re.Match[str], quoted: list[tuple[int, int]]) -> Quantity | None:
    unit = m.group("unit") or ("%" if m.group("pct") else None)
    if unit is None or not m.group("a"):
        return None
    if m.group("pct") and m.group("unit") not in (None, "%"):
        return None
    a_text, b_text = m.group("a"), m.group("b")
    if _is_excluded(text, m, unit, quoted):
        return None
    multiplier = {"千": 1_000, "万": 10_000, "亿": 100_000_000}.get(m.group("mult") or "", 1)
    a = to_number(a_text)
    if a is None and a_text in ("万", "千") and text[m.start() - 1:m.start()] in ("近", "上", "逾"):
        a = 10_000 if a_text == "万" else 1_000  # 近万名, 上千人: a round figure
    b = to_number(b_text) if b_text else None
    if a is None or (b_text and b is None):
        return None
    unit = _UNIT_ALIASES.get(unit, unit)
    if b is None and (halves := _lost_dash(a_text, unit)) is not None:
        a, b = halves
        multiplier = 1
    if b is not None:
        if b <= a:
            return None
        value: int | float | list[int | float] = [_scale(a, multiplier), _scale(b, multiplier)]
    else:
        value = _scale(a, multiplier)
    end = m.end()
    comparator = "range" if b is not None else _comparator(text, m.start(), end, bool(m.group("more")))
    tail = _AFTER_GE.match(text, end) or _AFTER_LE.match(text, end) or _AFTER_ABOUT.match(text, end)
    if tail:
        end = tail.end()
    return Quantity(value, unit, comparator, m.start(), end)


def _lost_dash(a_text: str, unit: str) -> tuple[int, int] | None:
    """A range whose dash was lost in scraping: "3040所" of schools is 30 to 40, not 3040.
    Only for schools, where four digits are never a district's count."""
    if unit != "所" or len(a_text) != 4 or not a_text.isdigit():
        return None
    low, high = int(a_text[:2]), int(a_text[2:])
    return (low, high) if 0 < high - low <= 20 else None


def _scale(value: int | float, multiplier: int) -> int | float:
    scaled = round(value * multiplier, 6)
    return int(scaled) if scaled == int(scaled) else scaled


def _is_excluded(text: str, m: re.Match[str], unit: str, quoted: list[tuple[int, int]]) -> bool:
    start = m.start()
    before = text[start - 1:start]
    a_text = m.group("a")
    after = text[m.end():m.end() + 4]
    if before in ("第", "届", "前") and before:
        return True  # ordinal, session number (十九届), rank (前三名)
    if before and before.isascii() and (before.isalnum() or before in ".+-/"):
        return True  # part of a code such as "5G" or "2.0"
    if quoted and any(s < start < e for s, e in quoted):
        return True  # inside a name in quotes: "1530"安全教育机制, 《…3年行动计划》
    if a_text[0] in CHINESE_NUMERAL_CHARS and _vague_chinese(text, start, a_text, unit, before):
        return True
    if after.startswith("以外"):
        return True  # 八小时以外: a span of time, not an amount
    if unit == "次" and _MEETING.match(text, m.end()):
        return True  # 三次全会: a meeting's number
    if _SENT_DOWN.search(text, max(0, start - 3), start):
        return True
    if unit == "人" and _SIZE_OF.match(text, m.end()):
        return True
    if unit in _THINGS_COUNTED and _LOOKED_AFTER.match(text, m.end()) and not _DOING_BEFORE.search(
            text, clause_start(text, start), start):
        return True
    if unit == "年" and to_number(a_text) == 9 and text.startswith("义务教育", m.end()):
        return True  # 九年义务教育 names the stage; 十二年免费教育 commits to more
    if unit == "家" and after.startswith("庭"):
        return True  # 上万家庭: families, not a count of 家
    if unit == "小时" and to_number(a_text) == 24 and after[:1] and "\u4e00" <= after[0] <= "\u9fff":
        return True  # 24小时热线/值班: round the clock, not an amount of time
    if unit == "篇" and text[max(0, start - 2):start] in ("精选", "通用"):
        return True  # a document site's "(精选10篇)"
    if _EXISTING.search(text, max(0, start - 70), start):
        return True  # 学校现有教学班48个: what there is now, counted
    if _OWN_TASKS.match(text, m.end()) and _OWN_TASKS_BEFORE.search(text, max(0, start - 4), start):
        return True  # 聚焦30项重点任务: the plan counting its own tasks
    if unit == "件" and after.startswith("大事"):
        return True  # 抓好三件大事: a slogan
    if unit == "部" and after.startswith("分"):
        return True  # 4部分: parts of a document
    if unit == "条" and _POLICY_BEFORE.search(text, max(0, start - 4), start):
        return True  # a document named by its articles ("教育评价改革20条"), not 健身路径50条
    if _FRAMEWORK.match(text, m.end()) and not _COUNT_VERB_BEFORE.search(text[max(0, start - 4):start]):
        return True  # "抓好一个重点:…": a slogan's count, spelled out after the colon
    if unit == "年":
        return text[start - 2:start] == "学前" or not _is_duration(text, start, m.end(), a_text)
    # ("" is in every string: a count that ends the line has nothing after it to test)
    if unit in ("个", "家", "类", "种", "部", "批", "组", "轮") and after and after[0] in "体别人性案":
        return True
    if unit == "部" and after.startswith("门"):
        return True  # 各部门
    if unit == "期":  # sessions of a course ("举办培训班3期"), not 一期工程, 期间 or 期末
        return bool(after) and after[0] in "间末中内满限初刊" or after.startswith(("工程", "项目")) or (
            not a_text.isdigit() and not _COUNT_VERB_BEFORE.search(text[max(0, start - 4):start]))
    if unit == "分":  # points of a score ("平均分提高5分"), never 十分重视, 3分类 or 2分校
        return not a_text.isdigit() or bool(after) and after[0] in _NOT_POINTS
    return unit in ("校", "园", "课", "类", "部") and not a_text.isdigit()


_NOT_POINTS = "之钟别类配析段层校期批享工担解区布散摊享值"


def _vague_chinese(text: str, start: int, a_text: str, unit: str, before: str) -> bool:
    """一所/一批/数十个/一体化: Chinese numerals that are not counts."""
    if before and before in "数几若多每":
        return True  # 数十个, 每一所: not a count
    if a_text in ("一", "壹"):
        clause = text[max(0, start - 8):start]
        if unit in _ONE_BUILT_UNITS and _BUILD_ONE.search(clause):
            return False  # 建成一所, 每学区设一个: one thing to build or set up
        return not (_AT_LEAST_OR_EVERY.search(clause) or unit == "次" and bool(before) and before in "年月周天日")
    if a_text.startswith(("万", "亿", "千", "百")) and len(a_text) > 1:
        return True
    # 八项规定精神, 十项准则, 三位一体: numbered names of policies and slogans, not counts.
    return bool(_SET_PHRASE.match(text, start + len(a_text) + len(unit)))


def _is_duration(text: str, start: int, end: int, a_text: str) -> bool:
    """"15年免费教育" and "受教育年限达到16年" are targets; "2025年" and "三年行动" are not."""
    value = to_number(a_text)
    if value is None or value >= 30:
        return False
    if "." in a_text or "分别" in text[clause_start(text, start):start]:
        return True  # 13.5年, "…年限分别达到…和15年"
    return bool(_SCHOOLING.match(text, end, end + 4)) or "年限" in text[max(0, start - 8):start]


@lru_cache(maxsize=16)
def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    if not _OPENERS.search(text):
        return []
    ranges = []
    for opener, closer in (("“", "”"), ("《", "》"), ("「", "」"), ("‘", "’"), ('"', '"')):
        pos = 0
        while (s := text.find(opener, pos)) >= 0:
            e = text.find(closer, s + 1)
            if e < 0:
                break
            ranges.append((s, e))
            pos = e + 1
    return ranges


def _comparator(text: str, start: int, end: int, more: bool) -> str:
    after = text[end:end + 3]
    if _AFTER_GE.match(after):
        return ">="
    if _AFTER_LE.match(after):
        return "<="
    if _AFTER_ABOUT.match(after):
        return "~"
    if more or (text[start - 1:start] == "上" and text[start:start + 1] in "百千万"):
        return ">="  # 3000余人, 上千人
    clause = text[clause_start(text, start):start]
    right = _RIGHT_BEFORE.search(clause)
    if right:
        return _BEFORE_COMPARATORS[right.lastgroup or ""]
    found = _last_match(_BEFORE, clause)
    return _BEFORE_COMPARATORS[found.lastgroup or ""] if found else "="


def _last_match(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    found = None
    for found in pattern.finditer(text):  # noqa: B007 - the last one is wanted
        pass
    return found


def _direction(text: str, start: int, unit: str) -> str:
    if text.startswith("翻", start):
        return "increase_by"  # 翻一番
    before = text[clause_start(text, start):start]
    if unit in ("%", "百分点", "分"):  # a rate or a score moves by; a count of things is built
        if _DECREASE.search(before):
            return "decrease_by"
        if _INCREASE.search(before):
            return "increase_by"
    elif _DECREASE.search(before[-3:]):
        return "decrease_by"
    return "level"


def metric_span(text: str, q: Quantity, low: int = 0) -> tuple[str, int, int]:
    """The words naming what is counted, and where they stand: after the unit ("10个党建示范校")
    or, when the quantity closes its clause, before the number ("学前教育公办率提升至40%");
    never before ``low``, where the passage begins (a heading's label is no part of a metric)."""
    after_begin = q.end + (1 if text[q.end:q.end + 1] == "的" else 0)
    after = _AFTER_METRIC_STOP.split(text[after_begin:_after_end(text, after_begin)])[0][:_METRIC_MAX]
    after_end = after_begin + len(after)
    if len(after) >= 2 and not after.startswith(_NOT_A_METRIC):
        clause = clause_start(text, q.begin, low)
        if len(after) <= 3 and (verb := _last_match(_COUNT_VERB, text[clause:q.begin])):
            # "新建2所中学", "建成甲园、乙园等5所幼儿园": what is built, without the count or names
            return verb.group(0) + after, verb.start() + clause, after_end
        return after, after_begin, after_end
    begin = clause_start(text, q.begin, low)
    segment = text[begin:q.begin]
    # "新建2所中学、3所小学": the earlier items are other targets; but in "新建、改扩建中小学12所"
    # the verbs before the 、 count the same schools and stay.
    if "、" in segment and find_quantities(text, begin, begin + segment.rfind("、")):
        begin += segment.rfind("、") + 1
        segment = text[begin:q.begin]
    lead = _TIME_LEAD.match(segment)
    if lead:  # "到2030年新增学位…", "“十五五”时期新增…": when, not what
        begin += lead.end()
        segment = segment[lead.end():]
    lead = _LEAD_WORDS.match(segment)
    if lead:
        begin += lead.end()
        segment = segment[lead.end():]
    tail = _TAIL_WORDS.search(segment)
    stop = begin + (tail.start() if tail else len(segment))
    base = _OF_BASE.search(text, begin, stop)
    if base and base.start() > begin:
        # "交流人数不少于应交流人数的15%" is the share 交流人数占应交流人数比例; a name that
        # is a rate already ("交流比例不低于…的15%") needs no base
        subject = text[begin:base.start()]
        if not _A_RATE.search(subject):
            return f"{subject}占{base.group(1)}比例", begin, stop
        return subject, begin, stop
    if stop <= begin:
        return text[q.begin:q.end], q.begin, q.end
    metric = text[begin:stop].strip("“”\"")
    if _COVERED.match(text, q.end):  # "家长学校100%覆盖": the share covered
        return metric + "覆盖率", begin, _COVERED.match(text, q.end).end()  # type: ignore[union-attr]
    return metric, begin, stop


_COVERED = re.compile(r"全?覆盖")
_TIME_LEAD = re.compile(r"(?:到|至|在)?(?:“?十[一二三四五]五”?(?:期间|时期|末)?|20\d\d年(?:底|末)?前?)[，,]?")
_A_RATE = re.compile(r"(?:率|比例|占比|比重)$")
_OF_BASE = re.compile(r"(?:不低于|不少于|不高于|不超过|达到|达)([^，,。；;]{1,16})的$")


def _after_end(text: str, at: int) -> int:
    """End of the words after a quantity: the clause end, or a 、 that starts the next item."""
    i, stop = at, min(len(text), at + _SENTENCE_REACH)
    while i < stop and text[i] not in CLAUSE_STOP:
        if text[i] == "、" and i + 1 < len(text) and (text[i + 1].isdigit() or text[i + 1] in CHINESE_NUMERAL_CHARS):
            break
        i += 1
    return i


def _target(doc: PlanDocument, plan: PlanBlock, p: Passage, line: Line, q: Quantity) -> Target:
    # 分别 counts only in the quantity's own clause: looking in the whole line made a long line quadratic
    has_respectively = "分别" in line.text[clause_start(line.text, q.begin):q.begin]
    respective = respective_metrics(line.text, q.begin) if has_respectively else None
    if respective:
        metric, quote_begin, quote_end = respective
        start, end = line.span(quote_begin, quote_end)
    else:
        metric, m_begin, m_end = metric_span(line.text, q, p.begin)
        start, end = line.span(min(m_begin, q.begin), max(m_end, q.end))
    return Target(
        under=plan.under(p.heading), metric=metric, direction=_direction(line.text, q.begin, q.unit),  # type: ignore[arg-type]
        comparator=q.comparator, value=q.value, unit=q.unit, quote=doc.quote(start, end),  # type: ignore[arg-type]
        start=start, end=end, year=_due_year(line.text, q.begin, plan),
    )


def _due_year(text: str, at: int, plan: PlanBlock) -> int | None:
    """The year a target is due: "到2027年…", or a clause that opens with its year
    ("2027年…分别达到…"); None when it is the plan's own last year."""
    m = _last_match(_DUE_YEAR, text[max(0, at - 40):at]) or _CLAUSE_YEAR.match(text, clause_start(text, at))
    if m is None:
        return None
    year = int(m.group(1))
    return None if plan.period and year == plan.period[1] else year
