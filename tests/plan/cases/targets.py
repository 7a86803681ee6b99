"""Target phrases, one row per case: (id, sentence, expected targets as (value, unit, comparator, direction)).

Every bug found on a real plan becomes a new row. Sentences are written for these tests.
"""

# fmt: off
TARGET_CASES = [
    # plain counts and rates
    ("count_after_number", "新增学前教育学位1200个。", [(1200, "个", "=", "level")]),
    ("count_before_noun", "打造8个党建示范校。", [(8, "个", "=", "level")]),
    ("rate_at_least", "确保学生体质健康测试合格率达到96%以上。", [(96, "%", ">=", "level")]),
    ("rate_strive", "力争优良率达到50%以上。", [(50, "%", ">=", "level")]),
    ("rate_full_coverage", "推进家长学校100%全覆盖。", [(100, "%", "=", "level")]),
    ("rate_raise_to", "学前教育公办率提升至45%。", [(45, "%", "=", "level")]),
    # Chinese numerals
    ("chinese_two", "建设两所九年一贯制学校。", [(2, "所", "=", "level")]),
    ("chinese_ten", "遴选十个特色项目。", [(10, "个", "=", "level")]),
    ("chinese_bare_hundred", "推出百节精品课。", [(100, "节", "=", "level")]),
    ("chinese_percent", "占比不低于百分之十五。", [(15, "%", ">=", "level")]),
    ("chinese_at_least_one", "每所学校至少配备一名心理教师。", [(1, "名", ">=", "level")]),
    ("chinese_once_a_month", "落实每月一次应急演练。", [(1, "次", "=", "level")]),
    ("chinese_three_or_more", "创建市级优质园三所以上。", [(3, "所", ">=", "level")]),
    # comparators
    ("not_less_than", "每年交流人数不少于应交流人数的12%。", [(12, "%", ">=", "level")]),
    ("not_more_than", "班额不超过45人。", [(45, "人", "<=", "level")]),
    ("within", "班额控制在40人以内。", [(40, "人", "<=", "level")]),
    ("about_after", "招聘新教师120名左右。", [(120, "名", "~", "level")]),
    ("about_before", "投入资金约1.5亿元。", [(150000000, "元", "~", "level")]),
    ("over_before", "计划增加学位超8000个。", [(8000, "个", ">=", "level")]),
    ("more_than_yu", "培训教师3000余人次。", [(3000, "人次", ">=", "level")]),
    ("table_greater", "毛入学率高于92%。", [(92, "%", ">", "level")]),
    ("not_lower_is_not_lower", "合格率不低于90%。", [(90, "%", ">=", "level")]),
    ("overweight_is_no_over", "超重肥胖检出率降低1个百分点。", [(1, "百分点", "=", "decrease_by")]),
    ("myopia_is_no_about", "近视率降低2%左右。", [(2, "%", "~", "decrease_by")]),
    # ranges
    ("range_dash", "创建区级特色学校1-2所。", [([1, 2], "所", "range", "level")]),
    ("range_zhi", "创建美育特色学校3至5所。", [([3, 5], "所", "range", "level")]),
    ("range_points", "近视率下降0.5到1个百分点。", [([0.5, 1], "百分点", "range", "decrease_by")]),
    # increase / decrease
    ("increase_by_percent", "生活补助标准增加15%。", [(15, "%", "=", "increase_by")]),
    ("increase_to_is_level", "覆盖率提高到80%。", [(80, "%", "=", "level")]),
    # multipliers and units
    ("wan_square_metres", "新增校舍面积2.5万平方米。", [(25000, "平方米", "=", "level")]),
    ("wan_yuan", "投入5000万元改善办学条件。", [(50000000, "元", "=", "level")]),
    ("shared_verb_list", "新建3所小学、2所初中和1所幼儿园。", [(3, "所", "=", "level"), (2, "所", "=", "level"), (1, "所", "=", "level")]),
    ("fullwidth_digits", "建成１２所智慧校园。", [(12, "所", "=", "level")]),
    ("years_of_free_education", "实现15年免费教育。", [(15, "年", "=", "level")]),
    # not targets
    ("year_is_no_target", "2025年底前完成改造。", []),
    ("programme_number", "深化“5621计划”实施。", []),
    ("quoted_mechanism", "落实“1530”安全教育机制。", []),
    ("ordinal", "庆祝第41个教师节。", []),
    ("five_year_term", "谋划“十五五”教育发展。", []),
    ("version_number", "实施信息技术应用能力提升工程2.0。", []),
    ("vague_a_batch", "建设一批特色学校。", []),
    ("vague_dozens", "组建数十个社团。", []),
    ("every_single", "激发每一所学校活力。", []),
    ("eight_rules", "严格落实中央八项规定精神。", []),
    ("trinity", "构建三位一体育人格局。", []),
    ("three_aspects", "从三个方面集中发力。", []),
    ("three_year_plan", "实施学前教育三年行动计划。", []),
    ("book_title", "制定《青禾区2025年招生方案》。", []),
    ("outside_hours", "加强八小时以外的监督。", []),
    ("code_5g", "建设5G智慧校园。", []),
]
# fmt: on

# Indicator tables flattened one cell per line: (id, lines, expected (metric, value, unit, comparator, baseline))
# fmt: off
TABLE_CASES = [
    ("years_header", ["主要指标", "2020年", "2025年", "学前教育毛入园率(%)", "88", ">92", "义务教育巩固率(%)", "98.5", "99"],
     [("学前教育毛入园率", 92, "%", ">", 88), ("义务教育巩固率", 99, "%", "=", 98.5)]),
    ("words_header_and_attribute", ["指标", "基期值", "目标值", "属性", "普惠性幼儿园覆盖率", "85", "90", "约束性"],
     [("普惠性幼儿园覆盖率", 90, "%", "=", 85)]),
    ("row_numbers", ["序号", "指标", "2025年", "1", "专任教师本科以上学历比例(%)", "95", "2", "平均受教育年限(年)", "12"],
     [("专任教师本科以上学历比例", 95, "%", "=", None), ("平均受教育年限", 12, "年", "=", None)]),
]
# fmt: on
