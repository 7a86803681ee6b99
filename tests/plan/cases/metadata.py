"""Plan metadata, one row per case: (id, text, title, region, period, kind)."""

# fmt: off
METADATA_CASES = [
    ("city_and_district", "澜江市青禾区2025年教育工作要点\n一、任务\n1.甲。",
     "澜江市青禾区2025年教育工作要点", "澜江市青禾区", [2025, 2025], "annual"),
    ("district_only", "青禾区2024年教育工作计划\n一、任务\n1.甲。", "青禾区2024年教育工作计划", "青禾区", [2024, 2024], "annual"),
    ("anonymised_xx", "XX区2025年教育工作要点\n一、任务\n1.甲。", "XX区2025年教育工作要点", None, [2025, 2025], "annual"),
    ("anonymised_stars", "**区2025年教育工作要点\n一、任务\n1.甲。", "**区2025年教育工作要点", None, [2025, 2025], "annual"),
    ("anonymised_mou", "某区2025年教育工作要点\n一、任务\n1.甲。", "某区2025年教育工作要点", None, [2025, 2025], "annual"),
    ("bare_district", "区2025年教育工作要点\n一、任务\n1.甲。", "区2025年教育工作要点", None, [2025, 2025], "annual"),
    ("five_year_term", "青禾区教育事业发展“十四五”规划\n一、成就\n二、任务",
     "青禾区教育事业发展“十四五”规划", "青禾区", [2021, 2025], "five_year"),
    ("five_year_ordinal", "青禾区教育事业发展第十五个五年规划\n一、任务", "青禾区教育事业发展第十五个五年规划", "青禾区", [2026, 2030], "five_year"),
    ("five_year_years", "青禾区教育发展规划(2021—2025年)\n一、任务", "青禾区教育发展规划(2021—2025年)", "青禾区", [2021, 2025], "five_year"),
    ("place_completed_from_body", "2025年青禾教育工作要点\n一、任务\n1.推进澜江市青禾区教育现代化。",
     "2025年青禾教育工作要点", "澜江市青禾区", [2025, 2025], "annual"),
    ("traditional_stays_traditional", "澜江市青禾區2025年教育工作要點\n一、任務\n1.甲。",
     "澜江市青禾區2025年教育工作要點", "澜江市青禾區", [2025, 2025], "annual"),
    ("no_title", "一、任务\n1.甲。", None, None, None, "other"),
]
# fmt: on
