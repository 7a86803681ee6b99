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
]
# fmt: on
