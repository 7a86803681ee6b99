"""Template gaps, one row per case: (id, sentence, number of blanks expected)."""

# fmt: off
BLANK_CASES = [
    ("verb_then_classifier", "今年建成所幼儿园。", 1),
    ("rate_without_number", "覆盖率达到以上。", 1),
    ("percent_without_number", "合格率达到%。", 1),
    ("years_in_a_row", "连续年开展专题培训。", 1),
    ("clause_end_classifier", "创建区级特色学校所，打造品牌。", 1),
    ("deng_classifier", "建成甲园、乙园等所幼儿园。", 1),
    ("every_month", "落实每月次安全演练。", 1),
    ("classifier_and_more", "建设工作站个以上。", 1),
    ("empty_list_items", "推进、、三所学校建设。", 1),
    ("wan_without_number", "改造万平方米校舍。", 1),
    ("empty_brackets_with_space", "年底前完成（ ）所学校改造。", 1),
    ("brackets_with_tilde", "建成(~)所幼儿园。", 1),
    ("tortoise_shell_brackets", "新增学位〔〕个。", 1),
    # ordinary words that begin or end with a classifier character
    ("suo_you", "所有学校完成建设。", 0),
    ("xiang_mu", "推进建设项目落地。", 0),
    ("ge_ren", "完成个人信息采集。", 0),
    ("nian_du", "完成年度考核。", 0),
    ("jiang_xiang", "获得多个奖项。", 0),
    ("yuan_suo", "打造知名园所。", 0),
    ("yi_shu_jie", "办好中小学生艺术节。", 0),
    ("ming_ban_zhu_ren", "培养名班主任。", 0),
    ("percent_in_table_header", "毛入园率(%)", 0),
    ("number_present", "建成3所幼儿园，覆盖率达到95%以上。", 0),
    # gaps of other kinds
    ("fill_in_line", "建成___所智慧校园。", 1),
    ("deleted_year_after_preposition", "到年全区学前教育普及率稳步提高。", 1),
    ("deleted_year_opens_clause", "年全区教育工作的总体要求是:育人为本。", 1),
    ("deleted_session_name", "深入学习贯彻党的和精神。", 1),
    ("empty_quotes_name", "以“”重要思想为指导。", 1),
    ("word_placeholder", "覆盖率达到百分比。", 1),
    ("space_left_for_value", "优质学校覆盖率 。", 1),
    ("two_gaps_one_clause", "到年覆盖率达到以上。", 1),
    ("points_without_number", "近视率降低个百分点。", 1),
    ("year_deleted_before_end", "到底，建成智慧校园。", 1),
    # not gaps
    ("to_the_end_is_an_adverb", "坚持一抓到底，推动落实。", 0),
    ("raise_the_person", "提高个人素养，提升项目管理水平。", 0),
    ("points_with_number", "优良率提高2个百分点。", 0),
    ("mask_is_no_gap", "xx镇建成**中心学校。", 0),
    ("year_end_is_a_word", "到年底完成校舍改造。", 0),
    ("scanned_full_stop_in_amount", "投资2。亿元推进工程。", 0),
    ("person_times_with_number", "全年培训教师3000人次以上。", 0),
]
# fmt: on
