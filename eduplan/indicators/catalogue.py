"""The ready catalogue: the figures schools report and the indicators bureau plans set targets
on, with their definitions (after the national statistics and the 优质均衡 method). Installed
with the database; every entry stays editable in the admin.

Written as plain data so the migration that installs it and the tests read the same rows.
"""

from __future__ import annotations

S, A = "school", "authority"
KINDERGARTEN, PRIMARY, JUNIOR, SENIOR, NINE_YEAR = "kindergarten", "primary", "junior", "senior", "nine_year"
SCHOOLS = [PRIMARY, JUNIOR, SENIOR, NINE_YEAR]

# (code, name, unit, reported by, value type)
ELEMENTS = [
    ("kg_children", "在园幼儿数", "人", S, "integer"),
    ("kg_public_children", "公办园在园幼儿数", "人", S, "integer"),
    ("kg_inclusive_private_children", "普惠性民办园在园幼儿数", "人", S, "integer"),
    ("kg_teachers", "幼儿园专任教师数", "人", S, "integer"),
    ("population_3_5", "3—5岁适龄人口数", "人", A, "integer"),
    ("students", "在校学生数", "人", S, "integer"),
    ("teachers", "专任教师数", "人", S, "integer"),
    ("backbone_teachers", "县级以上骨干教师数", "人", S, "integer"),
    ("teachers_due_exchange", "应交流轮岗教师数", "人", S, "integer"),
    ("teachers_exchanged", "已交流轮岗教师数", "人", S, "integer"),
    ("new_places", "新增学位数", "个", S, "integer"),
    ("fitness_tested", "体质健康测试人数", "人", S, "integer"),
    ("fitness_passed", "体质健康测试合格人数", "人", S, "integer"),
    ("fitness_good", "体质健康测试优良人数", "人", S, "integer"),
    ("vision_screened", "视力筛查人数", "人", S, "integer"),
    ("myopic", "筛查性近视人数", "人", S, "integer"),
    ("after_school_needing", "有课后服务需求学生数", "人", S, "integer"),
    ("after_school_joined", "参加课后服务学生数", "人", S, "integer"),
    # 优质均衡 resource allocation (eduplan/balance): per school, both 学段 of a 九年一贯制 school together
    ("students_primary", "小学在校生数", "人", S, "integer"),
    ("students_junior", "初中在校生数", "人", S, "integer"),
    ("teachers_above_qualification", "高于规定学历教师数", "人", S, "integer"),
    ("pe_arts_teachers", "体育、艺术（美术、音乐）专任教师数", "人", S, "integer"),
    ("teaching_area", "教学及辅助用房面积", "㎡", S, "number"),
    ("sports_area", "体育运动场馆面积", "㎡", S, "number"),
    ("equipment_value", "教学仪器设备值", "元", S, "number"),
    ("multimedia_rooms", "网络多媒体教室数", "间", S, "integer"),
]

# (code, name, period kind, school levels, element codes)
DATA_SETS = [
    ("kindergarten_year", "幼儿园基本情况（年报）", "year", [KINDERGARTEN],
     ["kg_children", "kg_public_children", "kg_inclusive_private_children", "kg_teachers", "new_places"]),
    ("school_year", "中小学基本情况（年报）", "year", SCHOOLS,
     ["students", "teachers", "backbone_teachers", "teachers_due_exchange", "teachers_exchanged", "new_places"]),
    ("health_semester", "学生体质健康与视力（学期）", "semester", SCHOOLS,
     ["fitness_tested", "fitness_passed", "fitness_good", "vision_screened", "myopic"]),
    ("after_school_semester", "课后服务（学期）", "semester", [PRIMARY, JUNIOR, NINE_YEAR],
     ["after_school_needing", "after_school_joined"]),
    ("district_year", "区县基础数据（年报）", "year", [], ["population_3_5"]),
    ("balance_year", "义务教育优质均衡资源配置（年报）", "year", [PRIMARY, JUNIOR, NINE_YEAR],
     ["students_primary", "students_junior", "teachers_above_qualification", "backbone_teachers", "pe_arts_teachers",
      "teaching_area", "sports_area", "equipment_value", "multimedia_rooms"]),
]

# (code, name, numerator, denominator, factor, unit, decimals, better, bounded, keywords, definition)
INDICATORS = [
    ("kg_public_share", "公办园在园幼儿占比", "kg_public_children", "kg_children", 100, "%", 1, "higher", True,
     "公办园在园幼儿占比、公办幼儿园在园幼儿占比、公办率、公办园占比",
     "公办园在园幼儿数 ÷ 在园幼儿总数 × 100%。"),
    ("kg_inclusive_coverage", "普惠性幼儿园覆盖率", "kg_public_children + kg_inclusive_private_children",
     "kg_children", 100, "%", 1, "higher", True, "普惠性幼儿园覆盖率、普惠率、普惠性学前教育覆盖率、普惠园覆盖率",
     "（公办园在园幼儿数 + 普惠性民办园在园幼儿数）÷ 在园幼儿总数 × 100%。"),
    ("kg_gross_enrolment", "学前三年毛入园率", "kg_children", "population_3_5", 100, "%", 1, "higher", False,
     "毛入园率、学前三年毛入园率",
     "在园幼儿数 ÷ 3—5岁适龄人口数 × 100%；毛入园率可以超过 100%。"),
    ("kg_child_teacher", "幼儿园生师比（每名专任教师负担幼儿数）", "kg_children", "kg_teachers", 1, "", 1, "lower",
     False, "幼儿园生师比、师幼比", "在园幼儿数 ÷ 幼儿园专任教师数。"),
    ("new_places", "新增学位数", "new_places", "", 1, "个", 0, "higher", False, "新增学位、新增学前教育学位、新增义务教育学位、新增公办学位",
     "当年新增学位数之和。"),
    ("fitness_pass_rate", "学生体质健康测试合格率", "fitness_passed", "fitness_tested", 100, "%", 1, "higher", True,
     "体质健康测试合格率、体质健康合格率、体质健康达标率、体质健康标准测试合格率、体质健康标准达标率",
     "（优秀 + 良好 + 及格）人数 ÷ 参加测试人数 × 100%。"),
    ("fitness_good_rate", "学生体质健康优良率", "fitness_good", "fitness_tested", 100, "%", 1, "higher", True,
     "优良率、体质健康优良率", "（优秀 + 良好）人数 ÷ 参加测试人数 × 100%。"),
    ("myopia_rate", "学生总体近视率", "myopic", "vision_screened", 100, "%", 1, "lower", True,
     "近视率、总体近视率、近视发生率", "筛查性近视人数 ÷ 视力筛查人数 × 100%（WS/T 663—2020）。"),
    ("teacher_exchange_rate", "教师交流轮岗比例", "teachers_exchanged", "teachers_due_exchange", 100, "%", 1,
     "higher", True, "交流轮岗、教师交流、交流比例", "当年交流轮岗教师数 ÷ 应交流轮岗教师数 × 100%。"),
    ("student_teacher_ratio", "生师比", "students", "teachers", 1, "", 1, "lower", False, "生师比",
     "在校学生数 ÷ 专任教师数（平均每一专任教师负担学生数）。"),
    ("backbone_per_100", "每百名学生拥有县级以上骨干教师数", "backbone_teachers", "students", 100, "人", 2, "higher",
     False, "骨干教师数、每百名学生拥有县级以上骨干教师", "县级及以上骨干教师数 ÷ 在校学生数 × 100。"),
    ("after_school_participation", "课后服务参与率", "after_school_joined", "after_school_needing", 100, "%", 1,
     "higher", True, "课后服务参与率、课后服务覆盖率、课后服务", "参加课后服务学生数 ÷ 有需求学生数 × 100%。"),
]


def install(DataElement, DataSet, Indicator) -> None:  # noqa: N803 - model classes, as a migration passes them
    """Add what is missing from the catalogue; entries already there (perhaps edited) stay."""
    elements = {}
    for code, name, unit, reported_by, value_type in ELEMENTS:
        elements[code], _ = DataElement.objects.get_or_create(
            code=code, defaults={"name": name, "unit_label": unit, "reported_by": reported_by, "value_type": value_type})
    for code, name, period_kind, levels, codes in DATA_SETS:
        data_set, created = DataSet.objects.get_or_create(
            code=code, defaults={"name": name, "period_kind": period_kind, "school_levels": levels})
        if created:
            data_set.elements.set([elements[c] for c in codes])
    for (code, name, numerator, denominator, factor, unit, decimals, better, bounded, keywords,
         definition) in INDICATORS:
        Indicator.objects.get_or_create(code=code, defaults={
            "name": name, "numerator": numerator, "denominator": denominator, "factor": factor, "unit_label": unit,
            "decimals": decimals, "better": better, "bounded": bounded, "keywords": keywords,
            "definition": definition})
