"""Lead-department suggestions from the seed keyword rules: one row per task wording."""

import pytest

from eduplan.orgs.defaults import DEFAULT_ROUTING
from eduplan.orgs.models import OrgUnit
from eduplan.tracking.models import RoutingRule
from eduplan.tracking.routing import suggest_lead


def seed_rules() -> list[RoutingRule]:
    rules = []
    for number, (keywords, lead, _partners) in enumerate(DEFAULT_ROUTING, start=1):
        rules.append(RoutingRule(pk=number, keywords=keywords, lead_unit=OrgUnit(name=lead)))
    return rules


# fmt: off
CASES = [
    # title, body, expected lead
    ("扩大普惠性学前教育资源", "新增公办幼儿园学位", "基础教育科"),
    ("加强学校食品安全管理", "开展食堂专项检查", "体卫艺科"),  # 食品安全 outweighs 安全
    ("全力维护校园安全稳定", "开展防溺水专题教育，校车安全检查", "安全稳定科"),
    ("加快中小学校建设", "新建、改扩建学校5所，新增学位3000个", "计划财务科"),
    ("深化教师队伍建设改革", "推进交流轮岗和县管校聘", "组织人事科"),
    ("推进教育数字化转型", "建设智慧校园，加强网络安全", "信息中心"),
    ("规范校外培训", "持续巩固双减成果", "民办教育科"),
    ("提升督导水平", "落实责任督学挂牌督导，推进依法治教", "督导室"),  # the title decides
    ("提升教师待遇和职业幸福感", "确保义务教育教师平均工资收入不低于公务员", "组织人事科"),
    ("加强德育工作", "提升学生体质健康水平", "德育科"),  # the title outweighs a measure
    ("守护学生身心健康", "加强近视防控和体质健康监测", "体卫艺科"),  # 健康 within 体质健康 counts once
]
# fmt: on


@pytest.mark.parametrize(("title", "body", "lead"), CASES, ids=[c[0] for c in CASES])
def test_suggest_lead(title, body, lead):
    suggestion = suggest_lead(body, seed_rules(), title=title)
    assert suggestion is not None
    assert suggestion.rule.lead_unit.name == lead


def test_no_keyword_no_suggestion():
    assert suggest_lead("召开年度工作会议", seed_rules(), title="其他工作") is None


def test_the_reason_names_the_keywords_and_the_rule():
    suggestion = suggest_lead("新建公办园3所，增加幼儿园学位", seed_rules(), title="学前教育")
    assert suggestion.reason == "匹配关键词：学前、幼儿园、公办园（规则 #3）"


def test_inactive_rules_are_skipped():
    rules = seed_rules()
    for rule in rules:
        rule.active = rule.lead_unit.name != "体卫艺科"
    suggestion = suggest_lead("开展食堂专项检查", rules, title="加强学校食品安全管理")
    assert suggestion.rule.lead_unit.name == "安全稳定科"
