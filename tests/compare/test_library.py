"""The comparison library on made-up tasks and targets, one row per case: themes, targets in
comparable units, what changed between two years, and where an annual plan stands on a
five-year plan's path. Every title, metric and figure here is invented for these tests."""

from __future__ import annotations

import pytest

from eduplan.compare.align import MATCH_BAR, Space
from eduplan.compare.comparison import path_checks, year_changes
from eduplan.compare.items import ComparedPlan, Goal, Item
from eduplan.compare.targets import normalised, side_by_side, similar, unit_kind
from eduplan.compare.themes import OTHER, Taxonomy, coverage


def goal(metric: str, value: float, unit: str = "%", direction: str = "level", *, high: float | None = None,
         baseline: float | None = None, baseline_year: int | None = None, year: int | None = None) -> Goal:
    return Goal(metric, direction, "=" if high is None else "range", value, high, unit, baseline, baseline_year, year)


def plan(*goals: Goal, kind: str = "annual", period: tuple[int, int] | None = (2024, 2024)) -> ComparedPlan:
    return ComparedPlan("青禾区教育工作要点", kind, period, (), goals)


# ---------------------------------------------------------------- themes

# fmt: off
THEME_CASES = [
    # (id, title, text, theme, words found)
    ("title_outweighs_text", "办好校园足球联赛", "组织教师培训两期", "体育", ("足球",)),
    ("text_alone_decides", "做好年度重点工作", "每学期开展一次视力筛查", "健康卫生", ("视力",)),
    ("tie_goes_to_first_listed", "丰富校园生活", "举办足球赛和合唱节", "体育", ("足球",)),
    ("every_word_of_the_theme_counts", "深化教研", "推进名师工作室和青年教师培训", "教师队伍", ("教师", "名师", "教研", "培训", "青年教师")),
    ("repeats_count", "完善后勤服务", "食堂每周公示菜谱，食堂员工每年体检", "健康卫生", ("食堂",)),
    ("no_word_is_other", "按时报送各类材料", "做好统计年报", OTHER, ()),
]
# fmt: on


@pytest.mark.parametrize(("title", "text", "theme", "words"), [c[1:] for c in THEME_CASES], ids=[c[0] for c in THEME_CASES])
def test_theme_of_a_task(title: str, text: str, theme: str, words: tuple[str, ...]) -> None:
    match = Taxonomy.default().classify(Item("一/1", title, text))
    assert (match.theme, match.words) == (theme, words)


def test_a_bureau_taxonomy_replaces_the_default_and_drops_blank_words() -> None:
    taxonomy = Taxonomy.from_rows([("研学", ["研学", ""]), ("体育", ["足球"])])
    assert taxonomy.themes == (("研学", ("研学",)), ("体育", ("足球",)))
    assert taxonomy.classify(Item("1", "组织研学旅行", "")).theme == "研学"


def test_coverage_counts_each_plans_tasks_by_theme() -> None:
    taxonomy = Taxonomy.default()
    first = [taxonomy.classify(Item("1", title, "")) for title in ("办好校园足球联赛", "新建两所幼儿园", "报送材料")]
    second = [taxonomy.classify(Item("1", "推进足球进校园", ""))]
    matrix = coverage(taxonomy, [first, second])
    assert (matrix["体育"], matrix["学前"], matrix[OTHER], matrix["美育"]) == ([1, 1], [1, 0], [1, 0], [0, 0])


# ---------------------------------------------------------------- aligning tasks

FOOTBALL = ("推进青少年足球发展", "开展校园足球联赛")
CANTEEN = ("加强食堂管理", "开展食品安全检查")
STAFF = ("加强队伍建设", "优化教师交流机制，完善岗位设置，规范职称评审，健全绩效工资分配办法，改善乡村教师生活待遇")

# fmt: off
ALIGN_CASES = [
    # (id, tasks of the first plan, tasks of the second, each first task's partner (None: none))
    ("same_work_other_words", [("办好校园足球联赛", "组建区级青少年足球队，每年举办足球联赛")], [FOOTBALL, CANTEEN], ["1"]),
    ("nothing_shared_is_none", [("做好学生资助工作", "按时发放助学金，建立困难学生档案")], [FOOTBALL, CANTEEN], [None]),
    ("title_outweighs_measures", [("加强食堂管理", "组建校园足球队")], [FOOTBALL, CANTEEN], ["2"]),
    ("tie_goes_to_the_earlier_task", [("完善教师队伍管理", "推进教师交流轮岗，做好新教师招聘，开展课题评审")],
     [FOOTBALL, STAFF, STAFF], ["2"]),
    # the bar: on real annual plans, long measures put true partners at a cosine of 0.06–0.1,
    # so the bar is 0.08 (was 0.1); this pair scores 0.086 (cosine 0.084, plus the titles' bonus)
    ("weak_real_partner_kept", [("办好剪纸社团", "邀请非遗传承人授课，每周活动不少于两次")],
     [("开设剪纸课程", "编写校本教材"), CANTEEN], ["1"]),
    # … and the same pair with two more unrelated clauses scores 0.069
    ("below_the_bar_is_none", [("办好剪纸社团", "邀请非遗传承人授课，每周活动不少于两次")],
     [("开设剪纸课程", "编写校本教材，推进跨学科主题学习，组织教研员下校指导"), CANTEEN], [None]),
]
# fmt: on


def tasks(*rows: tuple[str, str]) -> ComparedPlan:
    return ComparedPlan("青禾区教育工作要点", "annual", (2024, 2024),
                        tuple(Item(str(n), title, text) for n, (title, text) in enumerate(rows, start=1)))


@pytest.mark.parametrize(("first", "second", "partners"), [c[1:] for c in ALIGN_CASES], ids=[c[0] for c in ALIGN_CASES])
def test_align(first: list[tuple[str, str]], second: list[tuple[str, str]], partners: list[str | None]) -> None:
    a, b = tasks(*first), tasks(*second)
    pairs = Space([a, b]).align(0, 1)
    assert [b.items[p.right].number if p else None for p in pairs] == partners


def test_the_bar_row_sits_between_the_old_bar_and_the_new() -> None:
    first, second = ALIGN_CASES[4][1:3]
    (pair,) = Space([tasks(*first), tasks(*second)]).align(0, 1)
    assert pair is not None and MATCH_BAR <= pair.score < 0.1


def test_a_pair_names_the_words_both_share() -> None:
    (pair,) = Space([tasks(("办好校园足球联赛", "组建区级青少年足球队")), tasks(FOOTBALL, CANTEEN)]).align(0, 1)
    assert pair is not None and pair.shared == ("校园足球联赛", "青少年足球")


# ---------------------------------------------------------------- targets

# fmt: off
NORMALISED_CASES = [
    # (id, value, high, unit, expected (value, high, unit))
    ("yi_yuan", 1.2, None, "亿元", (120_000_000, None, "元")),
    ("wan_yuan_range", 300, 500, "万元", (3_000_000, 5_000_000, "元")),
    ("wan_square_metres", 2.5, None, "万平方米", (25_000, None, "平方米")),
    ("percent_untouched", 95, None, "%", (95, None, "%")),
    ("bare_wan_is_no_scale", 3, None, "万", (3, None, "万")),
]
UNIT_KIND_CASES = [
    # (id, unit, direction, kind)
    ("share", "%", "level", "level:share"),
    ("points_are_not_shares", "百分点", "increase_by", "increase_by:points"),
    ("yuan", "元", "level", "level:money"),
    ("wan_yuan_is_money", "万元", "level", "level:money"),
    ("yi_yuan_is_money", "亿元", "level", "level:money"),
    ("ren_and_ming_are_people", "名", "level", "level:people"),
    ("suo_are_schools", "所", "level", "level:schools"),
    ("ge_is_a_count", "个", "level", "level:count"),
    ("unknown_unit_kept", "节", "level", "level:节"),
]
SIMILAR_CASES = [
    # (id, metric a, metric b, least, most)
    ("quan_qu_dropped", "全区学前教育毛入园率", "学前教育毛入园率", 1.0, 1.0),
    ("quan_xian_dropped", "全县义务教育巩固率", "全区义务教育巩固率", 1.0, 1.0),
    ("ben_shi_and_spaces_dropped", "本市 高中阶段 毛入学率", "高中阶段毛入学率", 1.0, 1.0),
    ("close_wording_is_same", "中小学生体质健康合格率", "学生体质健康合格率", 0.5, 0.99),
    ("other_metric_is_not", "学前教育毛入园率", "高中阶段毛入学率", 0.0, 0.49),
]
# fmt: on


@pytest.mark.parametrize(("value", "high", "unit", "expected"), [c[1:] for c in NORMALISED_CASES],
                         ids=[c[0] for c in NORMALISED_CASES])
def test_normalised(value: float, high: float | None, unit: str, expected: tuple) -> None:
    assert normalised(goal("经费", value, unit, high=high)) == pytest.approx(expected)


@pytest.mark.parametrize(("unit", "direction", "kind"), [c[1:] for c in UNIT_KIND_CASES], ids=[c[0] for c in UNIT_KIND_CASES])
def test_unit_kind(unit: str, direction: str, kind: str) -> None:
    assert unit_kind(goal("指标", 1, unit, direction)) == kind


@pytest.mark.parametrize(("a", "b", "least", "most"), [c[1:] for c in SIMILAR_CASES], ids=[c[0] for c in SIMILAR_CASES])
def test_similar_metrics(a: str, b: str, least: float, most: float) -> None:
    assert least <= similar(a, b) <= most


# fmt: off
SIDE_BY_SIDE_CASES = [
    # (id, first plan's goals, second plan's goals, rows as (metric, kind, [set by first, set by second]))
    ("place_prefix_merged",
     [goal("全区义务教育巩固率", 99)], [goal("全县义务教育巩固率", 99.5)],
     [("全区义务教育巩固率", "level:share", [True, True])]),
    ("wan_and_yi_yuan_merged",
     [goal("教育经费投入", 5000, "万元")], [goal("教育经费投入", 0.6, "亿元")],
     [("教育经费投入", "level:money", [True, True])]),
    ("percent_and_points_never_merged",
     [goal("体质健康优良率", 55)], [goal("体质健康优良率", 3, "百分点", "increase_by")],
     [("体质健康优良率", "level:share", [True, False]), ("体质健康优良率", "increase_by:points", [False, True])]),
    ("schools_and_counts_never_merged",
     [goal("新建幼儿园", 3, "所")], [goal("新建幼儿园", 3, "个")],
     [("新建幼儿园", "level:schools", [True, False]), ("新建幼儿园", "level:count", [False, True])]),
    ("shared_metrics_first",
     [goal("近视率", 50), goal("课后服务覆盖率", 100)], [goal("课后服务覆盖率", 100)],
     [("课后服务覆盖率", "level:share", [True, True]), ("近视率", "level:share", [True, False])]),
    ("the_best_match_takes_the_row_whatever_the_order",
     [goal("学生体质健康合格率", 92), goal("学生体质健康优良率", 50)],
     [goal("学生体质健康达标率", 93), goal("学生体质健康合格率", 94)],
     [("学生体质健康合格率", "level:share", [True, True]), ("学生体质健康优良率", "level:share", [True, True])]),
    ("a_goal_printed_twice_is_one_goal",
     [goal("义务教育巩固率", 99), goal("义务教育巩固率", 99)], [goal("义务教育巩固率", 99.5)],
     [("义务教育巩固率", "level:share", [True, True])]),
]
# fmt: on


@pytest.mark.parametrize(("first", "second", "rows"), [c[1:] for c in SIDE_BY_SIDE_CASES],
                         ids=[c[0] for c in SIDE_BY_SIDE_CASES])
def test_side_by_side(first: list[Goal], second: list[Goal], rows: list[tuple]) -> None:
    found = side_by_side([plan(*first), plan(*second)])
    assert [(r.metric, r.kind, [g is not None for g in r.goals]) for r in found] == rows
    for row in found:  # a row never joins two different metrics of one plan to another's namesake
        if all(row.goals) and "合格率" in row.metric:
            assert "合格率" in row.goals[1].metric


@pytest.mark.parametrize(("title", "preamble"), [
    ("发展基础", True), ("“十四五”时期面临的形势", True), ("指导思想、基本原则和发展目标", True), ("总体要求", True),
    ("发展目标与主要任务", False), ("主要目标任务", False), ("全面完成“十四五”教育发展规划目标", False),
    ("抢抓发展机遇，推进教育高质量发展", False), ("积极应对新形势新挑战", False), ("着力改变农村学校办学条件落后现状", False),
    # the term at the end, after the period and subject it is about
    ("“十三五”期间全区教育发展的主要成就", True), ("“十四五”时期教育发展环境", True), ("某镇教育发展现状", True),
    ("上年度目标完成情况", True), ("2026年工作的指导思想", True), ("全面落实发展目标和重点任务", False),
])
def test_which_sections_set_the_scene_rather_than_hand_out_work(title: str, preamble: bool) -> None:
    from eduplan.compare.items import is_preamble

    assert is_preamble(title) is preamble


@pytest.mark.parametrize(("value", "text"), [(1234567.5, "1234567.5"), (12345.67, "12345.67"), (96.0, "96"),
                                             (None, "—")])
def test_numbers_print_in_full(value, text) -> None:
    from eduplan.compare.report import MISSING, number

    assert number(value) == (MISSING if value is None else text)


# ---------------------------------------------------------------- what changed between two years

# fmt: off
CHANGE_CASES = [
    # (id, last year's goals, this year's goals, changes as (metric, kind))
    ("added", [], [goal("课后服务参与率", 90)], [("课后服务参与率", "added")]),
    ("dropped", [goal("课后服务参与率", 90)], [], [("课后服务参与率", "dropped")]),
    ("raised", [goal("体质健康合格率", 94)], [goal("体质健康合格率", 95)], [("体质健康合格率", "raised")]),
    ("lowered", [goal("学前教育公办率", 50)], [goal("学前教育公办率", 45)], [("学前教育公办率", "lowered")]),
    ("same", [goal("家长学校覆盖率", 100)], [goal("家长学校覆盖率", 100)], [("家长学校覆盖率", "same")]),
    ("raised_across_units", [goal("教育经费投入", 5000, "万元")], [goal("教育经费投入", 0.6, "亿元")],
     [("教育经费投入", "raised")]),
    ("lowered_across_units", [goal("校舍改造面积", 2, "万平方米")], [goal("校舍改造面积", 15000, "平方米")],
     [("校舍改造面积", "lowered")]),
]
# fmt: on


@pytest.mark.parametrize(("before", "after", "changes"), [c[1:] for c in CHANGE_CASES], ids=[c[0] for c in CHANGE_CASES])
def test_year_changes(before: list[Goal], after: list[Goal], changes: list[tuple[str, str]]) -> None:
    metrics = side_by_side([plan(*after, period=(2024, 2024)), plan(*before, period=(2023, 2023))])
    assert [(c.metric, c.kind) for c in year_changes(metrics, older=1, newer=0)] == changes


# ---------------------------------------------------------------- an annual plan on the five-year path

FIVE_YEAR = (2021, 2025)

# fmt: off
PATH_CASES = [
    # (id, five-year goal, annual plan's year, annual goal, expected level, annual behind the path)
    # 90% in 2021 → 96% in 2025: 2023 is halfway, so 93
    ("halfway_annual_behind", goal("学前教育毛入园率", 96, baseline=90, baseline_year=2021), 2023,
     goal("学前教育毛入园率", 92), 93.0, True),
    ("halfway_annual_ahead", goal("学前教育毛入园率", 96, baseline=90, baseline_year=2021), 2023,
     goal("学前教育毛入园率", 94), 93.0, False),
    ("on_the_path_is_not_behind", goal("学前教育毛入园率", 96, baseline=90, baseline_year=2021), 2023,
     goal("学前教育毛入园率", 93), 93.0, False),
    # a falling metric: 50% → 44%, halfway 47; asking 48 is asking less
    ("falling_metric_behind", goal("学生近视率", 44, baseline=50, baseline_year=2021), 2023,
     goal("学生近视率", 48), 47.0, True),
    ("falling_metric_ahead", goal("学生近视率", 44, baseline=50, baseline_year=2021), 2023,
     goal("学生近视率", 46), 47.0, False),
    # 60 → 80 over 2020–2025, one year along: 64
    ("one_fifth_along", goal("优质学校占比", 80, baseline=60, baseline_year=2020), 2021,
     goal("优质学校占比", 70), 64.0, False),
    ("past_the_target_year_is_the_target", goal("优质学校占比", 80, baseline=60, baseline_year=2020), 2027,
     goal("优质学校占比", 75), 80.0, True),
    ("own_target_year_before_the_plans_end", goal("优质学校占比", 80, baseline=60, baseline_year=2020, year=2022), 2021,
     goal("优质学校占比", 70), 70.0, False),
    # 0.8亿元 in 2021 → 1.2亿元 in 2025 (the baseline in the goal's own unit): halfway 1亿元, and
    # 9000万元 asks less
    ("scaled_unit_halfway", goal("教育经费投入", 1.2, "亿元", baseline=0.8, baseline_year=2021), 2023,
     goal("教育经费投入", 9000, "万元"), 100_000_000, True),
    ("no_annual_target", goal("学前教育毛入园率", 96, baseline=90, baseline_year=2021), 2023, None, 93.0, None),
    ("annual_sets_a_change_only", goal("学前教育毛入园率", 96, baseline=90, baseline_year=2021), 2023,
     goal("学前教育毛入园率", 1, "百分点", "increase_by"), 93.0, None),
]
# fmt: on


@pytest.mark.parametrize(("five_year_goal", "year", "annual_goal", "expected", "behind"), [c[1:] for c in PATH_CASES],
                         ids=[c[0] for c in PATH_CASES])
def test_path_checks(five_year_goal: Goal, year: int, annual_goal: Goal | None, expected: float,
                     behind: bool | None) -> None:
    annual = plan(*([annual_goal] if annual_goal else []), period=(year, year))
    (check,) = path_checks(plan(five_year_goal, kind="five_year", period=FIVE_YEAR), annual)
    assert (check.expected, check.annual_behind_path) == (expected, behind)


# fmt: off
NO_PATH_CASES = [
    # (id, five-year goal): no straight path to check
    ("no_baseline", goal("学前教育毛入园率", 96)),
    ("baseline_without_year", goal("学前教育毛入园率", 96, baseline=90)),
    ("a_change_is_no_level", goal("学前教育毛入园率", 3, "百分点", "increase_by", baseline=90, baseline_year=2021)),
    ("baseline_not_before_target", goal("学前教育毛入园率", 96, baseline=90, baseline_year=2025)),
]
# fmt: on


@pytest.mark.parametrize("five_year_goal", [c[1] for c in NO_PATH_CASES], ids=[c[0] for c in NO_PATH_CASES])
def test_no_path_to_check(five_year_goal: Goal) -> None:
    annual = plan(goal("学前教育毛入园率", 95), period=(2023, 2023))
    assert path_checks(plan(five_year_goal, kind="five_year", period=FIVE_YEAR), annual) == []


def test_annual_plan_without_a_year_has_no_path() -> None:
    five_year = plan(goal("学前教育毛入园率", 96, baseline=90, baseline_year=2021), kind="five_year", period=FIVE_YEAR)
    assert path_checks(five_year, plan(goal("学前教育毛入园率", 95), period=None)) == []
