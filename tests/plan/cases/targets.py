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
    ("course_sessions", "开展专题培训4期。", [(4, "期", "=", "level")]),
    ("course_sessions_in_words", "举办三期校长研修班。", [(3, "期", "=", "level")]),
    ("score_points_raised", "全区中考平均分提高5分。", [(5, "分", "=", "increase_by")]),
    ("score_points_reached", "体育中考平均分达到45分以上。", [(45, "分", ">=", "level")]),
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
    ("very_is_no_points", "十分重视校园安全。", []),
    ("phase_one_is_no_sessions", "推进一期工程建设。", []),
    ("term_time_is_no_sessions", "做好2期间的衔接。", []),
    ("split_classes_are_no_points", "推进2分类评价改革。", []),
    ("minutes_are_not_points", "每天锻炼60分钟。", [(60, "分钟", "=", "level")]),
    ("three_year_plan", "实施学前教育三年行动计划。", []),
    ("book_title", "制定《青禾区2025年招生方案》。", []),
    ("outside_hours", "加强八小时以外的监督。", []),
    ("code_5g", "建设5G智慧校园。", []),
    # a quantity opening the line (once dropped by a bug)
    ("quantity_opens_the_line", "100%的学校建成标准化食堂。", [(100, "%", "=", "level")]),
    # one value shared by several metrics, or stated for each of several things
    ("shared_value_jun", "小学入学率、巩固率、毕业率均保持100%。",
     [(100, "%", "=", "level"), (100, "%", "=", "level"), (100, "%", "=", "level")]),
    ("shared_increase_jun", "本科上线率、重点上线率均比上年提高2-4个百分点。",
     [([2, 4], "百分点", "range", "increase_by"), ([2, 4], "百分点", "range", "increase_by")]),
    ("qualifiers_share_one_metric", "小学、初中每百名学生拥有骨干教师均达到1人以上。", [(1, "人", ">=", "level")]),
    ("each_ge", "小学、初中各新建3所。", [(3, "所", "=", "level"), (3, "所", "=", "level")]),
    ("per_capita_is_no_sharing", "入园率、巩固率和人均受教育年限分别达到95%、98%和12.5年。",
     [(95, "%", "=", "level"), (98, "%", "=", "level"), (12.5, "年", "=", "level")]),
    ("respectively_years_at_least", "入学率和受教育年限分别达到96%以上和14年以上。",
     [(96, "%", ">=", "level"), (14, "年", ">=", "level")]),
    # one of something to build or set up
    ("build_one", "每个街道建成一所公办幼儿园。", [(1, "所", "=", "level")]),
    ("set_up_one", "每学区设一个教研中心。", [(1, "个", "=", "level")]),
    ("have_one", "确保每个乡镇都有一所示范性幼儿园。", [(1, "所", "=", "level")]),
    ("a_team_is_vague", "建设一支高素质教师队伍。", []),
    # a lost dash in a count of schools
    ("lost_dash_school_range", "创建市级绿色学校2030所。", [([20, 30], "所", "range", "level")]),
    # counts that are no commitments
    ("slogan_with_colon", "抓好一个重点:优质均衡发展。", []),
    ("slogan_consciousness", "牢固树立四个意识。", []),
    ("slogan_principles", "遵守两个基本原则。", []),
    ("session_numbers", "贯彻省委十届四次、五次全会精神。", []),
    ("rank_in_contest", "专业竞赛保持在全市前三名。", []),
    ("document_parts", "意见分指导思想、主要任务、保障措施3部分。", []),
    ("document_named_by_articles", "落实教育评价改革20条。", []),
    ("preschool_three_years", "全面普及学前三年教育。", []),
    ("past_year_sentence", "过去一年,全区新增学位2000个。", []),
    ("already_done", "目前已建成智慧校园15所。", []),
    ("count_ends_the_line", "新增紧密型教育集团2个", [(2, "个", "=", "level")]),
    ("chinese_count_opens_the_line", "\n三所学校完成改造。", [(3, "所", "=", "level")]),
    ("schools_looked_after", "加强对全县7所民办学校、23所民办幼儿园的年检和日常管理。", []),
    ("buses_looked_after", "落实58辆校车的日常安全监管。", []),
    ("schools_covered_by_a_service", "完成10所学校的安全检查全覆盖。", [(10, "所", "=", "level")]),
    ("compulsory_stage_name", "九年义务教育巩固率不低于99.5%。", [(99.5, "%", ">=", "level")]),
    ("free_schooling_years", "实施十二年免费教育。", [(12, "年", "=", "level")]),
    ("slogan_of_big_things", "抓好三件大事。", []),
    ("sessions_counted", "送教下乡不少于60场次。", [(60, "场次", ">=", "level")]),
    ("span_of_years_is_no_schooling", "今后五年教育改革发展的纲领性文件。", []),
    ("coefficients_respectively", "校际综合差异系数分别控制在0.45以内、0.35以内。", [(0.45, "", "<=", "level"), (0.35, "", "<=", "level")]),
    ("coefficients_below", "差异系数小学低于0.40、初中≤0.35。", [(0.4, "", "<", "level"), (0.35, "", "<=", "level")]),
    ("decimal_without_coefficient", "人均藏书0.5册的学校。", [(0.5, "册", "=", "level")]),
    ("the_ten_great_to_build", "打造十大德育品牌。", [(10, "个", "=", "level")]),
    ("the_five_great_actions_to_carry_out", "实施五大行动。", []),
    # a line cut inside a sentence (page end, PDF text) is read joined to the next
    ("number_and_unit_on_two_lines", "全面推进学前教育普及普惠安全优质发展，全年新增公办幼儿园学位1200\n个。",
     [(1200, "个", "=", "level")]),
    ("rate_cut_after_its_verb", "全面推进义务教育学校标准化建设和薄弱学校改造提升，标准化达标率达到\n95%以上。",
     [(95, "%", ">=", "level")]),
    ("paths_counted_in_tiao", "新建、改造健身路径50条。", [(50, "条", "=", "level")]),
    ("policy_named_by_articles", "出台减负十条。", []),
    ("pitches_counted_in_pian", "新建、改造运动场地8~12片。", [([8, 12], "片", "range", "level")]),
    ("range_with_unit_on_both_ends", "给予5万元至10万元奖补。", [([50000, 100000], "元", "range", "level")]),
    ("each_before_the_verb", "城区、县域各培育市级品牌学校10所。", [(10, "所", "=", "level"), (10, "所", "=", "level")]),
    ("salaries_looked_after", "做好1,980名在职教师的工资核算。", []),
    ("routine_inspection", "做好108所中小学幼儿园的日常督导工作。", []),
    ("round_the_clock", "开通24小时心理援助热线。", []),
    ("a_campaign_of_five_great", "推进教育强市建设五大行动。", []),
    ("thousand_after_digits", "新增普惠性学位3千个。", [(3000, "个", "=", "level")]),
    ("what_a_school_has_now", "学校现有教学班48个、学生2,136人、教职工131人。", []),
    ("the_plan_counting_its_tasks", "聚焦30项重点任务，全面推进。", []),
    ("verbs_before_an_each_list", "新建、改造学校音乐室、美术室各20间。", [(20, "间", "=", "level"), (20, "间", "=", "level")]),
    ("tenths_at_least", "九成以上的学校达到标准。", [(90, "%", ">=", "level")]),
    ("tenths_and_a_half", "优良率达到九成五。", [(95, "%", "=", "level")]),
    ("tenths_unchanged_idiom", "坚持标准一成不变。", []),
    ("doubling", "专项经费投入翻一番。", [(100, "%", "=", "increase_by")]),
    ("nearly_ten_thousand", "新增学位近万个。", [(10000, "个", "~", "level")]),
    ("a_thousand_and_more", "培训教师上千人次。", [(1000, "人次", ">=", "level")]),
    ("household_visits", "全年检查校外培训机构不少于300家次。", [(300, "家次", ">=", "level")]),
    ("slogan_without_quotes", "确保两个只增不减。", []),
    # from a review of the rules above: what they must leave alone
    ("existing_then_a_commitment", "到2027年，现有薄弱学校全部完成改造，新增学位5000个。", [(5000, "个", "=", "level")]),
    ("existing_list_of_counts", "全区现有幼儿园86所，在编教师4,120人，其中乡村教师1,360人。", []),
    ("inspection_to_complete", "完成全区50所学校的安全检查。", [(50, "所", "=", "level")]),
    ("inspections_a_year", "每年开展2次以上的安全检查。", [(2, "次", ">=", "level")]),
    ("tenths_after_da", "完成率达九成以上。", [(90, "%", ">=", "level")]),
    ("tenths_open_the_line", "\n九成以上学校达到标准。", [(90, "%", ">=", "level")]),
    ("ten_thousand_families", "服务上万家庭。", []),
    ("each_subject_is_one_rate", "音乐、美术各学科教师配备率达到100%。", [(100, "%", "=", "level")]),
    ("documents_sent_down", "下发5个配套文件，推动教师减负。", []),
    ("documents_printed", "印发了三个实施方案。", []),
    ("class_size_threshold", "全面消除56人以上大班额。", []),
    ("school_size_threshold", "对2000人及以上规模学校配备专职副校长。", []),
    ("people_counted_are_a_target", "培训300人以上骨干教师。", [(300, "人", ">=", "level")]),
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
    # one row per line, cells apart by what a copy from Word or a PDF leaves between them
    ("tab_separated_rows", ["指标\t2025年\t2030年\t属性", "毛入园率(%)\t90.5\t95\t预期性", "巩固率(%)\t97\t≥98\t约束性"],
     [("毛入园率", 95, "%", "=", 90.5), ("巩固率", 98, "%", ">=", 97)]),
    ("space_aligned_rows", ["指标名称      2025年     2030年", "毛入园率(%)    90.5       95", "巩固率(%)      97         98以上"],
     [("毛入园率", 95, "%", "=", 90.5), ("巩固率", 98, "%", ">=", 97)]),
    ("ideographic_space_cells", ["指标　2025年　2030年", "普惠率(%)　85　90"], [("普惠率", 90, "%", "=", 85)]),
    ("unit_column_with_yi", ["指标\t单位\t2025年\t2030年", "教育经费总投入\t亿元\t12.5\t16"],
     [("教育经费总投入", 1600000000, "元", "=", 1250000000)]),
    ("milestones_within_the_plan_years", ["指标\t2023年\t2024年\t2025年", "达标学校(所)\t12\t16\t20"],
     [("达标学校", 12, "所", "=", None), ("达标学校", 16, "所", "=", None), ("达标学校", 20, "所", "=", None)]),
    ("dash_for_a_new_indicator", ["指标 | 2020年 | 2025年", "新增学位(个) | — | 12000", "巩固率(%) | 97 | 98"],
     [("新增学位", 12000, "个", "=", None), ("巩固率", 98, "%", "=", 97)]),
    ("long_row_ending_in_a_digit_stays_a_row",
     ["指标 | 2020年 | 2025年", "义务教育阶段学校体育运动场地设施和音乐美术器材配置均达到国家标准的学校比例(%) | 85.5 | 95",
      "学前教育毛入园率(%) | 90 | 95"],
     [("义务教育阶段学校体育运动场地设施和音乐美术器材配置均达到国家标准的学校比例", 95, "%", "=", 85.5),
      ("学前教育毛入园率", 95, "%", "=", 90)]),
    ("two_years_of_the_plan_are_now_and_then", ["指标 | 2021年 | 2025年", "普惠率(%) | 85 | 90"], [("普惠率", 90, "%", "=", 85)]),
    ("one_space_is_no_cell_break", ["主要指标", "2025年", "2030年", "学前教育 毛入园率(%)", "90", "95"],
     [("学前教育毛入园率", 95, "%", "=", 90)]),
]
# fmt: on

# What a target is called and quoted as: (id, item line under "一、", expected (metric, quote)).
# fmt: off
METRIC_CASES = [
    ("after_the_label_of_a_run_in_heading", "7．招聘新教师120名，培训教师3000人次",
     [("招聘新教师", "招聘新教师120名"), ("培训教师", "培训教师3000人次")]),
    ("after_a_glued_label", "2.新增学前教育学位600个。",
     [("新增学前教育学位", "新增学前教育学位600个")]),
    ("in_the_body_after_the_title", "3.扩充学位。新建幼儿园2所。",
     [("新建幼儿园", "新建幼儿园2所")]),
    ("verbs_sharing_one_count", "4.优化布局。新建、改扩建中小学12所。",
     [("新建、改扩建中小学", "新建、改扩建中小学12所")]),
    ("items_counted_apart", "5.扩充学位。新建中学2所、小学3所。",
     [("新建中学", "新建中学2所"), ("小学", "小学3所")]),
    ("what_is_built_without_count", "9.扩容。新建2所中学、3所小学。",
     [("新建中学", "新建2所中学"), ("新建小学", "新建2所中学、3所小学")]),
    ("what_is_built_without_names", "10.建设。建成东湖幼儿园、西山幼儿园等5所幼儿园。",
     [("建成幼儿园", "建成东湖幼儿园、西山幼儿园等5所幼儿园")]),
    ("share_of_a_base", "12.交流。交流轮岗比例不低于应交流人数的15%。", [("交流轮岗比例", "交流轮岗比例不低于应交流人数的15%")]),
    ("count_as_a_share_of_a_base", "14.交流。每年交流人数不少于应交流人数的15%。",
     [("每年交流人数占应交流人数比例", "每年交流人数不少于应交流人数的15%")]),
    ("reach_a_share_of_a_base", "13.培训。实用技术培训率达到劳动力总数的30%。",
     [("实用技术培训率", "实用技术培训率达到劳动力总数的30%")]),
    ("coverage_is_a_rate", "11.家校。推进家长学校100%全覆盖。", [("家长学校覆盖率", "家长学校100%全覆盖")]),
    # 分别: the lists pair up in order, each target quotes the list of values
    ("respectively_pairs_in_order", "6.普及。入园率、巩固率和毕业率分别达到95%、98%和99%。",
     [("入园率", "分别达到95%、98%和99%"), ("巩固率", "分别达到95%、98%和99%"), ("毕业率", "分别达到95%、98%和99%")]),
    ("respectively_refers_back", "7.普及。2027年入园率和巩固率分别达到95%、98%；2030年分别达到97%和99%。",
     [("入园率", "分别达到95%、98%"), ("巩固率", "分别达到95%、98%"),
      ("入园率", "分别达到97%和99%"), ("巩固率", "分别达到97%和99%")]),
    ("respectively_lists_of_unequal_length", "8.普及。入园率和巩固率分别达到95%。",
     [("入园率和巩固率分别", "入园率和巩固率分别达到95%")]),
]
# fmt: on

# The year a target is due: (id, item line under "一、" of a 2026 plan, expected years).
# fmt: off
DUE_YEAR_CASES = [
    ("by_year", "1.扩容。到2028年新增学位3000个。", [2028]),
    ("clause_opens_with_its_year", "2.普及。2027年入园率和巩固率分别达到95%、98%；2030年分别达到97%和99%。",
     [2027, 2027, 2030, 2030]),
    ("the_plan_year_is_no_due_year", "3.扩容。2026年新增学位3000个。", [None]),
    ("a_year_report_is_no_due_year", "4.总结。2027年度考核优秀率达到30%。", [None]),
]
# fmt: on

# Past results inside a plan state no commitments: (id, plan text, metrics of the targets kept).
# fmt: off
LOOKING_BACK_CASES = [
    ("earlier_term_with_shiqi", "鹤川区教育事业发展“十五五”规划\n一、主要任务\n1.扩容。“十四五”时期新增学位9000个，"
     "到2030年新增学位12000个。", ["新增学位"]),
    ("planning_background_section", "鹤川区教育事业发展“十五五”规划\n第一章 规划背景\n全区新建学校12所。\n"
     "第二章 主要任务\n一、扩容\n新建学校8所。", ["新建学校"]),
    ("own_term_is_no_past", "鹤川区教育事业发展“十五五”规划\n一、主要任务\n1.扩容。“十五五”时期新增学位9000个。",
     ["新增学位"]),
]
# fmt: on
