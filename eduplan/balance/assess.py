"""The resource-allocation part of the county assessment of compulsory-education quality
balance (县域义务教育优质均衡发展督导评估, 教督〔2017〕6号): seven indicators per school and
学段, the rule "at least 6 of 7 at standard, the rest at 85 % of it or more", and each
indicator's 差异系数 across the county's schools, weighted by students.

Pure: dataclasses in, results out; no database, no Django. ``service`` loads the figures.

Conventions (each has a case in tests/balance/test_assess.py):
- a school teaching both 学段 (九年一贯制, 完全中学) counts as one school per 学段, its
  resources shared out in proportion to its students in each;
- special-education schools are left out, with the reason, and so is a school without
  students (nothing to divide by); a 教学点 under ``SMALL_TEACHING_POINT`` students is left out
  too, following the national method's treatment of small 教学点. Provinces differ in where
  they draw that line: the threshold is one constant a province's deployment can change;
- a county value X̄ is the county's total over its total students (never a mean of schools);
- CV = √(Σ (Pᵢ/P)(Xᵢ − X̄)²) / X̄; a county value of 0 has no CV (shown as such, never as 0).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property

EPSILON = 1e-9  # figures at a standard exactly (3.57 against 0.85 × 4.2) must count as reaching it
PASS_SHARE = 0.85  # the indicators short of the standard must still reach this share of it
REQUIRED_MET = 6  # of the seven
# A 教学点 with fewer students is left out, following the national method's treatment of small
# 教学点; provinces differ in the line they draw: a province applying another one changes it here.
SMALL_TEACHING_POINT = 50


class Stage(StrEnum):
    PRIMARY = "primary"
    JUNIOR = "junior"

    @property
    def label(self) -> str:
        return {"primary": "小学", "junior": "初中"}[self.value]


@dataclass(frozen=True)
class Measure:
    """One of the seven indicators: a resource per student (× 100 for the per-hundred ones)."""

    code: str  # also the name of the ``Resources`` field it divides
    name: str
    short: str
    factor: float  # 100 for "每百名学生", 1 for "生均"
    unit: str  # of the indicator
    gap_unit: str  # of the resource, as a gap is said: "名骨干教师", "㎡", "元", "间"
    whole: bool  # counted in whole things (teachers, rooms): a gap is rounded up
    primary: float  # the national standard, 小学
    junior: float  # 初中

    def default(self, stage: Stage) -> float:
        return self.primary if stage == Stage.PRIMARY else self.junior


MEASURES: tuple[Measure, ...] = (
    Measure("qualified_teachers", "每百名学生拥有高于规定学历教师数", "高学历教师", 100, "人", "名高于规定学历教师", True,
            4.2, 5.3),
    Measure("backbone_teachers", "每百名学生拥有县级以上骨干教师数", "骨干教师", 100, "人", "名骨干教师", True, 1, 1),
    Measure("pe_arts_teachers", "每百名学生拥有体育、艺术（美术、音乐）专任教师数", "体艺教师", 100, "人",
            "名体育、艺术专任教师", True, 0.9, 0.9),
    Measure("teaching_area", "生均教学及辅助用房面积", "教辅用房", 1, "㎡", "㎡教学及辅助用房", False, 4.5, 5.8),
    Measure("sports_area", "生均体育运动场馆面积", "体育场馆", 1, "㎡", "㎡体育运动场馆", False, 7.5, 10.2),
    Measure("equipment_value", "生均教学仪器设备值", "仪器设备", 1, "元", "元教学仪器设备", False, 2000, 2500),
    Measure("multimedia_rooms", "每百名学生拥有网络多媒体教室数", "多媒体教室", 100, "间", "间网络多媒体教室", True,
            2.3, 2.4),
)
MEASURE_BY_CODE = {m.code: m for m in MEASURES}
CODES = tuple(m.code for m in MEASURES)
FACTORS = tuple(m.factor for m in MEASURES)
CV_BARS = {Stage.PRIMARY: 0.50, Stage.JUNIOR: 0.45}


@dataclass(frozen=True)
class Standards:
    """The bars a province applies (national defaults unless a province raised them)."""

    minimum: Mapping[tuple[str, str], float] = field(default_factory=dict)  # (stage, code) → standard
    cv_max: Mapping[str, float] = field(default_factory=dict)  # stage → the CV bar

    def of(self, stage: Stage, code: str) -> float:
        return self.minimum.get((stage.value, code), MEASURE_BY_CODE[code].default(stage))

    def cv_bar(self, stage: Stage) -> float:
        return self.cv_max.get(stage.value, CV_BARS[stage])

    def table(self, stage: Stage) -> tuple[float, ...]:
        """The seven standards of a 学段, in ``MEASURES`` order."""
        return tuple(self.of(stage, code) for code in CODES)


NATIONAL = Standards()


@dataclass(frozen=True)
class Resources:
    qualified_teachers: float = 0
    backbone_teachers: float = 0
    pe_arts_teachers: float = 0
    teaching_area: float = 0
    sports_area: float = 0
    equipment_value: float = 0
    multimedia_rooms: float = 0

    def get(self, code: str) -> float:
        return float(getattr(self, code))

    def as_tuple(self) -> tuple[float, ...]:
        """The seven figures in ``MEASURES`` order."""
        return (self.qualified_teachers, self.backbone_teachers, self.pe_arts_teachers, self.teaching_area,
                self.sports_area, self.equipment_value, self.multimedia_rooms)

    def scaled(self, share: float) -> Resources:
        return Resources(*(value * share for value in self.as_tuple()))

    def plus(self, code: str, amount: float) -> Resources:
        return replace(self, **{code: self.get(code) + amount})


@dataclass(frozen=True)
class School:
    """A school's figures for one year, as reported (both 学段 together)."""

    id: int
    name: str
    primary_students: float
    junior_students: float
    resources: Resources
    special: bool = False  # 特殊教育学校
    teaching_point: bool = False  # 教学点

    @property
    def students(self) -> float:
        return self.primary_students + self.junior_students


@dataclass(frozen=True)
class StageSchool:
    """A school within one 学段: its students there and its share of the resources."""

    id: int
    name: str
    stage: Stage
    students: float
    resources: Resources
    split: bool  # shared out from a school teaching both 学段
    values: tuple[float, ...] = ()  # the seven indicators, in ``MEASURES`` order (computed when left out)

    def __post_init__(self) -> None:
        if not self.values:
            per_student = 1 / self.students
            object.__setattr__(self, "values", tuple(
                figure * per_student * factor for figure, factor in zip(self.resources.as_tuple(), FACTORS,
                                                                        strict=True)))

    def value(self, measure: Measure) -> float:
        return self.values[MEASURES.index(measure)]


def exclusion(school: School) -> str:
    """Why the school is left out of the assessment ("" if it is not)."""
    if school.special:
        return "特殊教育学校不参加资源配置评估"
    if school.students <= 0:
        return "无在校生，无法计算生均指标"
    if school.teaching_point and school.students < SMALL_TEACHING_POINT:
        return f"在校生不足{SMALL_TEACHING_POINT}人的教学点不参加评估"
    return ""


def split(school: School) -> list[StageSchool]:
    """The school per 学段; resources of a school teaching both are shared by student counts."""
    both = school.primary_students > 0 and school.junior_students > 0
    parts = []
    for stage, students in ((Stage.PRIMARY, school.primary_students), (Stage.JUNIOR, school.junior_students)):
        if students > 0:
            resources = school.resources.scaled(students / school.students) if both else school.resources
            parts.append(StageSchool(school.id, school.name, stage, students, resources, both))
    return parts


# ---------------------------------------------------------------- one school


@dataclass(slots=True)
class Reading:
    """One indicator of one school in one 学段."""

    measure: Measure
    value: float
    standard: float
    short: float  # resource missing to reach the standard, in the resource's unit (0 if met)

    @property
    def met(self) -> bool:
        return self.value >= self.standard - EPSILON

    @property
    def share(self) -> float:
        return self.value / self.standard if self.standard else 1.0

    @property
    def near(self) -> bool:
        """At 85 % of the standard or more."""
        return self.value >= PASS_SHARE * self.standard - EPSILON

    @property
    def gap_text(self) -> str:
        if self.met:
            return ""
        amount = f"{self.short:.0f}" if self.measure.whole else f"{self.short:,.1f}".removesuffix(".0")
        return f"还差 {amount} {self.measure.gap_unit}"


def _short(measure: Measure, students: float, have: float, standard: float) -> float:
    needed = standard * students / measure.factor
    missing = max(0.0, needed - have)
    if missing <= EPSILON:
        return 0.0
    return float(math.ceil(missing - EPSILON)) if measure.whole else math.ceil(missing * 10 - EPSILON) / 10


@dataclass(frozen=True)
class SchoolResult:
    """A school in one 学段 against its seven standards; the verdict is counted from the
    figures, the readings (with each gap) made when asked for: a province has 15,000 rows."""

    school: StageSchool
    standards: tuple[float, ...]  # in ``MEASURES`` order
    met_count: int
    passes: bool  # at least six of seven at standard and none below 85 % of it

    @cached_property
    def readings(self) -> tuple[Reading, ...]:
        figures = self.school.resources.as_tuple()
        students = self.school.students
        return tuple(Reading(measure, value, standard, _short(measure, students, have, standard))
                     for measure, value, standard, have in zip(MEASURES, self.school.values, self.standards, figures,
                                                               strict=True))

    @property
    def verdict(self) -> str:
        if self.passes:
            return "达标"
        if self.met_count < REQUIRED_MET:
            return f"未达标（{self.met_count}项达到标准，少于{REQUIRED_MET}项）"
        low = "、".join(r.measure.short for r in self.readings if not r.near)
        return f"未达标（{low}低于标准的{PASS_SHARE:.0%}）"

    def reading(self, code: str) -> Reading:
        return next(r for r in self.readings if r.measure.code == code)


def assess_school(school: StageSchool, standards: Standards = NATIONAL,
                  table: tuple[float, ...] | None = None) -> SchoolResult:
    """``table``: the 学段's standards, when the caller has them already (a county's schools)."""
    table = table or standards.table(school.stage)
    met = near = 0
    for value, standard in zip(school.values, table, strict=True):
        if value >= standard - EPSILON:
            met += 1
            near += 1
        elif value >= PASS_SHARE * standard - EPSILON:
            near += 1
    return SchoolResult(school, table, met, met >= REQUIRED_MET and near == len(table))


# ---------------------------------------------------------------- the county


@dataclass(slots=True)
class Contribution:
    school_id: int
    name: str
    value: float
    share: float  # of the weighted sum of squares under the root


@dataclass(frozen=True)
class Variation:
    """One indicator's 差异系数 in one 学段 of a county."""

    measure: Measure
    stage: Stage
    county_value: float | None  # X̄: the county total over its students; None without students
    cv: float | None  # None when X̄ is 0 or missing
    bar: float
    contributions: tuple[Contribution, ...]  # the ``TOP`` largest, largest first

    @property
    def meets(self) -> bool:
        return self.cv is not None and self.cv <= self.bar + EPSILON


TOP = 5  # contributions kept per indicator: the schools that pull the CV up most


def variation(schools: Sequence[StageSchool], measure: Measure, stage: Stage, bar: float,
              weights: Sequence[float] | None = None) -> Variation:
    """CV = √(Σ (Pᵢ/P)(Xᵢ − X̄)²) / X̄, X̄ the county value (total resource over total students);
    ``weights``: the Pᵢ/P, when the caller has them already (seven indicators, same schools)."""
    if weights is None:
        total = sum(s.students for s in schools)
        weights = [s.students / total for s in schools] if total > 0 else []
    if not weights:
        return Variation(measure, stage, None, None, bar, ())
    index = MEASURES.index(measure)
    column = [s.values[index] for s in schools]
    mean = sum(w * x for w, x in zip(weights, column, strict=True))  # = Σ resource × factor / P
    terms = [w * (x - mean) ** 2 for w, x in zip(weights, column, strict=True)]
    spread = sum(terms)
    cv = math.sqrt(spread) / mean if mean > 0 else None
    largest = heapq.nlargest(TOP, range(len(schools)), key=terms.__getitem__)
    contributions = tuple(Contribution(schools[i].id, schools[i].name, column[i], terms[i] / spread if spread else 0.0)
                          for i in largest)
    return Variation(measure, stage, mean, cv, bar, contributions)


@dataclass(frozen=True)
class StageResult:
    stage: Stage
    schools: tuple[SchoolResult, ...]
    variations: tuple[Variation, ...]

    @property
    def students(self) -> float:
        return sum(r.school.students for r in self.schools)

    @property
    def schools_pass(self) -> bool:
        return all(r.passes for r in self.schools)

    @property
    def variations_pass(self) -> bool:
        return all(v.meets for v in self.variations)

    @property
    def passes(self) -> bool:
        return bool(self.schools) and self.schools_pass and self.variations_pass

    @property
    def composite_cv(self) -> float | None:
        """综合差异系数: the mean of the seven (None if any is missing)."""
        cvs = [v.cv for v in self.variations]
        return None if not cvs or any(cv is None for cv in cvs) else sum(cvs) / len(cvs)  # type: ignore[arg-type]

    def variation(self, code: str) -> Variation:
        return next(v for v in self.variations if v.measure.code == code)

    def result(self, school_id: int) -> SchoolResult | None:
        return next((r for r in self.schools if r.school.id == school_id), None)


@dataclass(frozen=True)
class Excluded:
    school: School
    reason: str


@dataclass(frozen=True)
class CountyResult:
    stages: tuple[StageResult, ...]  # 小学, 初中 (a 学段 without schools is still there, empty)
    excluded: tuple[Excluded, ...]

    def stage(self, stage: Stage) -> StageResult:
        return next(s for s in self.stages if s.stage == stage)

    @property
    def passes(self) -> bool:
        present = [s for s in self.stages if s.schools]
        return bool(present) and all(s.passes for s in present)


def assess_county(schools: Iterable[School], standards: Standards = NATIONAL) -> CountyResult:
    excluded, parts = [], []
    for school in schools:
        reason = exclusion(school)
        if reason:
            excluded.append(Excluded(school, reason))
        else:
            parts.extend(split(school))
    stages = []
    for stage in Stage:
        members = sorted((p for p in parts if p.stage == stage), key=lambda p: (p.name, p.id))
        bar, table = standards.cv_bar(stage), standards.table(stage)
        total = sum(p.students for p in members)
        weights = [p.students / total for p in members] if total > 0 else []
        stages.append(StageResult(stage, tuple(assess_school(p, standards, table) for p in members),
                                  tuple(variation(members, m, stage, bar, weights) for m in MEASURES)))
    return CountyResult(tuple(stages), tuple(excluded))


def what_if(schools: Iterable[School], changes: Mapping[tuple[int, str], float],
            standards: Standards = NATIONAL) -> CountyResult:
    """The county as it would stand if schools had more (or less) of a resource:
    ``changes`` maps (school id, measure code) to the amount added, in the resource's unit
    (teachers, ㎡, 元, rooms), to the school as a whole (shared out by 学段 as reported)."""
    changed = []
    for school in schools:
        resources = school.resources
        for (school_id, code), amount in changes.items():
            if school_id == school.id:
                resources = resources.plus(code, amount)
        changed.append(replace(school, resources=resources))
    return assess_county(changed, standards)
