"""The pure computation of the resource-allocation part, on counties computed by hand.

Two reference counties for the student-weighted 差异系数: the worked example of the explanatory
note 《县域义务教育校际均衡指标计算方法（以生均图书册数为例）》 (five primary schools, books per
student, CV 0.52; the note circulates as copies on document-sharing sites), and a county
computed by hand here (the working is in the comment).
"""

from __future__ import annotations

import math

import pytest

from eduplan.balance.assess import (
    MEASURE_BY_CODE,
    NATIONAL,
    Resources,
    School,
    Stage,
    StageSchool,
    Standards,
    assess_county,
    assess_school,
    exclusion,
    split,
    variation,
    what_if,
)

AREA = MEASURE_BY_CODE["teaching_area"]

# Four primary schools, 生均教学及辅助用房面积 (㎡ per student), computed by hand:
#   school  students Pᵢ  area ㎡   Xᵢ     Pᵢ/P   (Xᵢ − X̄)²   (Pᵢ/P)(Xᵢ − X̄)²
#   甲        400       2400    6.0    0.2      1.00        0.20
#   乙        600       2400    4.0    0.3      1.00        0.30
#   丙        200       1600    8.0    0.1      9.00        0.90
#   丁        800       3600    4.5    0.4      0.25        0.10
#   P = 2000, total area 10000 → X̄ = 10000 / 2000 = 5.0 (not the mean of the Xᵢ, 5.625)
#   Σ = 1.50, S = √1.5 = 1.2247, CV = 1.2247 / 5.0 = 0.2449 → 0.24
#   contributions to Σ: 丙 0.90/1.50 = 60 %, 乙 20 %, 甲 13.3 %, 丁 6.7 %
HAND_COUNTY = [("甲", 400, 2400), ("乙", 600, 2400), ("丙", 200, 1600), ("丁", 800, 3600)]


def stage_school(index: int, name: str, students: float, **resources: float) -> StageSchool:
    return StageSchool(index, name, Stage.PRIMARY, students, Resources(**resources), split=False)


def at_standard(students: float, stage: Stage = Stage.PRIMARY, **overrides: float) -> Resources:
    """Resources exactly at the national standard for ``students``, changed by ``overrides``."""
    figures = {m.code: m.default(stage) * students / m.factor for m in MEASURE_BY_CODE.values()}
    return Resources(**(figures | overrides))


def school(index: int, primary: float = 0, junior: float = 0, **flags) -> School:
    return School(index, f"学校{index}", primary, junior,
                  flags.pop("resources", at_standard(primary) if primary else at_standard(junior, Stage.JUNIOR)),
                  **flags)


# The published example: (students, books) of five primary schools. Its working: county value
# 1913 / 302 = 6.33 books per student; the weighted squares 0.003 + 0.85 + 5.13 + 4.50 + 0.17
# = 10.65; √10.65 = 3.26; CV = 3.26 / 6.33 = 0.52.
PUBLISHED = [("小学1", 45, 279), ("小学2", 37, 137), ("小学3", 89, 935), ("小学4", 76, 160), ("小学5", 55, 402)]


def test_the_published_example_reproduces_to_two_decimals():
    # Books per student is not one of the seven; any "生均" measure (factor 1) computes the same.
    schools = [stage_school(i, name, p, teaching_area=books) for i, (name, p, books) in enumerate(PUBLISHED)]
    result = variation(schools, AREA, Stage.PRIMARY, 0.50)
    assert round(result.county_value, 2) == 6.33
    spread = sum(s.students / 302 * (s.value(AREA) - result.county_value) ** 2 for s in schools)
    assert (round(spread, 2), round(math.sqrt(spread), 2)) == (10.65, 3.26)
    assert round(result.cv, 2) == 0.52 and not result.meets
    assert [c.name for c in result.contributions[:2]] == ["小学3", "小学4"]  # 5.13 and 4.50 of the 10.65


def test_the_hand_computed_county_reproduces_to_two_decimals():
    schools = [stage_school(i, name, p, teaching_area=a) for i, (name, p, a) in enumerate(HAND_COUNTY)]
    result = variation(schools, AREA, Stage.PRIMARY, 0.50)
    assert result.county_value == pytest.approx(5.0)
    assert round(result.cv, 2) == 0.24
    assert result.cv == pytest.approx(math.sqrt(1.5) / 5)
    assert [c.name for c in result.contributions] == ["丙", "乙", "甲", "丁"]
    assert [round(c.share, 3) for c in result.contributions] == [0.6, 0.2, 0.133, 0.067]
    assert result.meets


def test_equal_schools_have_no_variation_and_a_zero_county_value_has_no_cv():
    same = [stage_school(i, f"s{i}", 100 * (i + 1), teaching_area=5 * 100 * (i + 1)) for i in range(3)]
    assert variation(same, AREA, Stage.PRIMARY, 0.5).cv == pytest.approx(0)
    empty = [stage_school(i, f"s{i}", 100) for i in range(2)]
    nothing = variation(empty, AREA, Stage.PRIMARY, 0.5)
    assert nothing.cv is None and not nothing.meets


# (case, school, expected exclusion reason or "")
EXCLUSIONS = [
    ("ordinary school", school(1, primary=300), ""),
    ("special-education school", school(2, primary=80, special=True), "特殊教育学校不参加资源配置评估"),
    ("teaching point under 50", school(3, primary=49, teaching_point=True), "在校生不足50人的教学点不参加评估"),
    ("teaching point of exactly 50 stays", school(4, primary=50, teaching_point=True), ""),
    ("school with no students", school(5, resources=Resources(teaching_area=900)), "无在校生，无法计算生均指标"),
]


@pytest.mark.parametrize("case, subject, reason", EXCLUSIONS, ids=[c[0] for c in EXCLUSIONS])
def test_exclusions_carry_their_reason(case, subject, reason):
    assert exclusion(subject) == reason


def test_excluded_schools_are_listed_and_left_out_of_the_cv():
    county = assess_county([subject for _, subject, _ in EXCLUSIONS])
    assert [(e.school.id, e.reason) for e in county.excluded] == [(2, EXCLUSIONS[1][2]), (3, EXCLUSIONS[2][2]),
                                                                (5, EXCLUSIONS[4][2])]
    assert [r.school.id for r in county.stage(Stage.PRIMARY).schools] == [1, 4]


def test_a_nine_year_school_is_split_by_its_students():
    nine = School(7, "九年一贯制学校", 600, 300, Resources(teaching_area=4500, backbone_teachers=9))
    primary, junior = split(nine)
    assert (primary.stage, primary.students, primary.split) == (Stage.PRIMARY, 600, True)
    assert primary.resources.teaching_area == pytest.approx(3000)  # two thirds
    assert junior.resources.teaching_area == pytest.approx(1500)
    assert junior.resources.backbone_teachers == pytest.approx(3)
    assert primary.value(AREA) == pytest.approx(5.0) and junior.value(AREA) == pytest.approx(5.0)
    county = assess_county([nine])
    assert [len(s.schools) for s in county.stages] == [1, 1]


def test_a_school_of_one_stage_is_not_split():
    (only,) = split(School(8, "小学", 500, 0, Resources(teaching_area=2000)))
    assert only.stage == Stage.PRIMARY and not only.split and only.resources.teaching_area == 2000


# (case, overrides on a 1000-student primary school, met count, passes)
SIX_OF_SEVEN = [
    ("all seven at standard", {}, 7, True),
    ("six met, the seventh at exactly 85 %", {"sports_area": 0.85 * 7.5 * 1000}, 6, True),
    ("six met, the seventh just under 85 %", {"sports_area": 0.849 * 7.5 * 1000}, 6, False),
    ("five met, two at 90 %", {"sports_area": 0.9 * 7500, "equipment_value": 0.9 * 2_000_000}, 5, False),
    ("backbone teachers 9 of 10: 90 %", {"backbone_teachers": 9}, 6, True),
]


@pytest.mark.parametrize("case, overrides, met, passes", SIX_OF_SEVEN, ids=[c[0] for c in SIX_OF_SEVEN])
def test_six_of_seven_at_standard_and_the_rest_at_85_percent(case, overrides, met, passes):
    result = assess_school(StageSchool(1, "某小学", Stage.PRIMARY, 1000, at_standard(1000, **overrides), False))
    assert (result.met_count, result.passes) == (met, passes)


def test_exactly_85_percent_of_qualified_teachers_is_near_the_standard():
    # 4.2 × 0.85 = 3.57 per hundred: 357 teachers for 10 000 students, with float rounding about
    school_ = StageSchool(1, "某小学", Stage.PRIMARY, 10_000, at_standard(10_000, qualified_teachers=357), False)
    reading = assess_school(school_).reading("qualified_teachers")
    assert reading.near and not reading.met and reading.share == pytest.approx(0.85)


# (measure, have, students, gap text) for a 1000-student primary school
GAPS = [
    ("backbone_teachers", 8, 1000, "还差 2 名骨干教师"),
    ("backbone_teachers", 9.5, 1000, "还差 1 名骨干教师"),  # a shared-out figure: whole teachers, rounded up
    ("teaching_area", 4000, 1000, "还差 500 ㎡教学及辅助用房"),
    ("equipment_value", 1_234_567, 1000, "还差 765,433 元教学仪器设备"),
    ("multimedia_rooms", 20, 1000, "还差 3 间网络多媒体教室"),
    ("multimedia_rooms", 23, 1000, ""),
]


@pytest.mark.parametrize("code, have, students, text", GAPS, ids=[f"{g[0]}-{g[1]}" for g in GAPS])
def test_each_gap_is_said_in_real_units(code, have, students, text):
    result = assess_school(StageSchool(1, "某小学", Stage.PRIMARY, students,
                                       at_standard(students, **{code: have}), False))
    assert result.reading(code).gap_text == text


def test_junior_standards_and_bars_differ_from_primary():
    county = assess_county([school(1, junior=500)])
    stage = county.stage(Stage.JUNIOR)
    assert stage.schools[0].reading("sports_area").standard == 10.2
    assert stage.variation("sports_area").bar == 0.45 and county.stage(Stage.PRIMARY).schools == ()
    assert county.passes


def test_a_province_may_raise_a_standard():
    raised = Standards(minimum={("primary", "backbone_teachers"): 1.5}, cv_max={"primary": 0.4})
    result = assess_county([school(1, primary=1000)], raised).stage(Stage.PRIMARY)
    assert result.schools[0].reading("backbone_teachers").gap_text == "还差 5 名骨干教师"
    assert result.variations[0].bar == 0.4


def test_what_if_shows_the_cv_and_the_rule_after_adding_resources():
    schools = [School(i, name, p, 0, at_standard(p, teaching_area=a)) for i, (name, p, a) in enumerate(HAND_COUNTY)]
    before = assess_county(schools)
    assert before.stage(Stage.PRIMARY).result(1).reading("teaching_area").gap_text == "还差 300 ㎡教学及辅助用房"
    after = what_if(schools, {(1, "teaching_area"): 300})  # 乙 to 4.5 ㎡: X̄ 5.15
    area = after.stage(Stage.PRIMARY).variation("teaching_area")
    assert area.county_value == pytest.approx(5.15)
    assert area.cv < before.stage(Stage.PRIMARY).variation("teaching_area").cv
    assert after.stage(Stage.PRIMARY).result(1).reading("teaching_area").met
    assert NATIONAL.of(Stage.PRIMARY, "teaching_area") == 4.5


def test_what_if_on_a_nine_year_school_shares_the_addition_by_students():
    nine = School(7, "九年一贯制学校", 600, 300, at_standard(900, teaching_area=3600))
    after = what_if([nine], {(7, "teaching_area"): 900})  # 4500 ㎡: 3000 to 小学, 1500 to 初中
    assert after.stage(Stage.PRIMARY).result(7).school.resources.teaching_area == pytest.approx(3000)
    assert after.stage(Stage.JUNIOR).result(7).school.resources.teaching_area == pytest.approx(1500)
