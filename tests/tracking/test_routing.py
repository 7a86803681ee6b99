"""Lead-department suggestions from the seed keyword rules: one row per task wording."""

import pytest

from eduplan.orgs.defaults import DEFAULT_ROUTING
from eduplan.orgs.models import OrgUnit
from eduplan.tracking.models import RoutingRule
from eduplan.tracking.routing import FOLLOW_BAR, LEARN_BAR, Precedent, Wording, suggest_all, suggest_lead


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


# ---------------------------------------------------------------- learning from past assignments

UNITS = {name: OrgUnit(pk=pk, name=name, active=True) for pk, name in enumerate(
    ["基础教育科", "体卫艺科", "德育科", "办公室", "教师发展中心", "组织人事科", "安全稳定科", "计划财务科",
     "督导室", "信息中心", "职成科", "民办教育科", "招生考试中心", "纪检监察室"], start=1)}
PAST_PLAN = "2024年教育工作要点"


def unit_rules() -> list[RoutingRule]:
    """The seed rules, with saved-looking units so a rule and a past task can agree."""
    return [RoutingRule(pk=number, keywords=keywords, lead_unit=UNITS[lead])
            for number, (keywords, lead, _partners) in enumerate(DEFAULT_ROUTING, start=1)]


def past(task_id: int, title: str, body: str, lead: str) -> Precedent:
    return Precedent(task_id, PAST_PLAN, title, body, UNITS[lead])


# Newest first, as ``precedents_for`` gives them.
PAST = [
    past(101, "深化课后服务提质增效", "丰富课后服务内容，推进校内托管与暑期托管。", "教师发展中心"),
    past(102, "推进校园足球特色学校建设", "组织校园足球联赛，培养足球教练员。", "德育科"),
    past(103, "做好年度目标考核工作", "制定年度考核细则，组织半年和年终考核。", "办公室"),
    past(104, "推进集团化办学", "完善集团章程，推动集团内教师交流。", "基础教育科"),
    past(105, "开展教育系统文明城市创建工作", "组织志愿服务，营造良好氛围。", "办公室"),
    past(106, "开展教育系统文明城市创建工作", "组织志愿服务，营造良好氛围。", "组织人事科"),  # older
]

# fmt: off
LEARNING = [
    # case, new title, new body, suggested lead, reason begins with, rule keywords in the reason
    ("nearly the same work follows the past task over the rule",
     "深化课后服务提质增效", "丰富课后服务内容，做好暑期托管服务。", "教师发展中心",
     f"参照《{PAST_PLAN}》中的任务“深化课后服务提质增效”（相似度 0.", False),
    ("past task and rule agree: the reason names both",
     "扎实做好年度目标考核", "细化考核指标，组织年终考核。", "办公室",
     f"参照《{PAST_PLAN}》中的任务“做好年度目标考核工作”", True),
    ("no rule: the past task fills in",
     "持续推进文明城市创建", "开展志愿服务活动。", "办公室",
     f"参照《{PAST_PLAN}》中的任务“开展教育系统文明城市创建工作”", False),  # the newer of two equal ones
    ("a loose resemblance does not overrule a rule",
     "提升校园足球水平", "举办校园足球联赛。", "体卫艺科", "匹配关键词：足球", True),
    ("no similar past task: the rules as before",
     "加强学校食品安全管理", "开展食堂专项检查", "体卫艺科", "匹配关键词：食堂、食品安全", True),
]
# fmt: on


@pytest.mark.parametrize(("title", "body", "lead", "reason", "with_rule"), [c[1:] for c in LEARNING],
                         ids=[c[0] for c in LEARNING])
def test_suggestions_learn_from_past_assignments(title, body, lead, reason, with_rule):
    suggestion = suggest_all([Wording(None, title, body)], unit_rules(), PAST)[0]
    assert suggestion is not None
    assert suggestion.lead_unit.name == lead
    assert suggestion.reason.startswith(reason), suggestion.reason
    assert ("匹配关键词" in suggestion.reason) is with_rule


def test_nothing_alike_and_no_rule_no_suggestion():
    assert suggest_all([Wording(None, "召开年度工作会议", "总结上年工作，部署本年重点。")], unit_rules(), PAST) == [None]


def test_a_task_does_not_learn_from_itself():
    suggestion = suggest_all([Wording(101, "深化课后服务提质增效", "丰富课后服务内容")], unit_rules(), PAST)[0]
    assert suggestion.lead_unit.name == "基础教育科"  # the 课后服务 rule, not its own assignment
    assert not suggestion.learned


def test_the_thresholds_are_ordered():
    assert 0 < LEARN_BAR < FOLLOW_BAR < 1


def test_a_replanned_task_goes_where_last_years_went(world):
    """The example plan imported again: its tasks follow the first plan's assignments."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from eduplan.demo_data import EXAMPLE_PLAN
    from eduplan.tracking.assigning import bulk_assign, suggestions_for
    from eduplan.tracking.importing import import_parsed, read_upload

    admin = world.users["admin"]
    upload = SimpleUploadedFile(EXAMPLE_PLAN.name, EXAMPLE_PLAN.read_bytes())
    again = import_parsed(read_upload(EXAMPLE_PLAN), bureau=world.bureau, user=admin, source_file=upload).plans[0]
    tasks = list(again.tasks.order_by("order"))
    before_learning = suggestions_for(list(world.plan.tasks.exclude(pk__in=[world.task_a.pk, world.task_b.pk,
                                                                        world.task_dept.pk])), world.bureau)
    suggestions = suggestions_for(tasks, world.bureau)
    copy_a = next(t for t in tasks if t.title == world.task_a.title)
    assert suggestions[copy_a.pk].lead_unit.name == "青禾区实验小学"  # the school, not the rule's 体卫艺科
    assert suggestions[copy_a.pk].reason.startswith(f"参照《{world.plan.title}》中的任务“{world.task_a.title}”")
    copy_dept = next(t for t in tasks if t.title == world.task_dept.title)
    assert [u.name for u in suggestions[copy_dept.pk].partner_units()] == ["体卫艺科"]
    # With every task of the first plan assigned, none of the second is left without a suggestion.
    bulk_assign(list(world.plan.tasks.all()), user=admin, lead_unit=world.unit("办公室"))
    assert sum(s is None for s in suggestions_for(tasks, world.bureau).values()) == 0
    assert sum(s is None for s in before_learning.values()) > 0
    done = bulk_assign(tasks, user=admin)
    assert len(done) == len(tasks)
    assert all(a.suggestion.startswith("参照《") for a in done)


def test_a_task_a_revision_dropped_teaches_nothing(world):
    from eduplan.tracking.routing import precedents_for

    taught = {p.task_id for p in precedents_for(world.bureau)}
    assert world.task_a.pk in taught
    world.task_a.removed_in_version = world.plan.version
    world.task_a.save(update_fields=["removed_in_version"])
    assert world.task_a.pk not in {p.task_id for p in precedents_for(world.bureau)}
