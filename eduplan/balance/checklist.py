"""The three other parts of the county assessment, as a checklist a county works through:
政府保障程度 (15 items), 教育质量 (9 items) and 社会认可度 (one rate from survey counts).

The item texts paraphrase the national method (教督〔2017〕6号) in short form; a county
records each item's status and evidence. Pure: no database.
"""

from __future__ import annotations

from dataclasses import dataclass

RECOGNITION_BAR = 0.85  # 社会认可度: satisfied ÷ surveyed


@dataclass(frozen=True)
class Item:
    code: str
    part: str
    text: str


GOVERNMENT = "政府保障程度"
QUALITY = "教育质量"
RECOGNITION = "社会认可度"
PARTS = (GOVERNMENT, QUALITY, RECOGNITION)

_GOVERNMENT = (
    "学校布局规划合理，符合国家有关规定",
    "县政府制定了义务教育学校办学标准，所有学校均已达到",
    "每12个班至少各有1间音乐、美术专用教室，面积符合规定（音乐不小于96㎡、美术不小于90㎡）",
    "小学、初中校均规模不超过2000人，九年一贯制、十二年一贯制学校义务教育阶段不超过2500人",
    "小学班额不超过45人，初中班额不超过50人",
    "不足100名学生的村小和教学点按100名学生拨付公用经费",
    "特殊教育学校生均公用经费每年不低于6000元",
    "教师平均工资收入不低于当地公务员平均水平，绩效工资总量足额核定",
    "教师五年一周期360学时培训全部完成",
    "教育行政部门在核定的编制和岗位总量内统筹调配各校教职工编制与岗位",
    "每年交流轮岗教师不少于符合条件教师的10%，其中骨干教师不少于交流人数的20%",
    "专任教师全部持有教师资格证上岗",
    "城区、镇区公办小学和初中（不含寄宿制）就近划片入学比例分别达到100%和95%",
    "优质普通高中招生名额分配到初中的比例不低于50%，并向农村初中倾斜",
    "符合条件的随迁子女在公办学校和政府购买学位的民办学校就读比例不低于85%",
)
_QUALITY = (
    "初中三年巩固率不低于95%",
    "残疾儿童少年入学率不低于95%",
    "所有学校制定并执行学校章程，管理和教学实现信息化",
    "学校年度公用经费预算中用于教师培训的不低于5%",
    "教师能熟练用信息化手段教学，设施设备使用率较高",
    "德育和校园文化建设达到良好以上",
    "按国家规定开齐开足课程，教学规范，综合实践活动有效开展",
    "学生学习负担合理，课后服务和作业管理符合规定",
    "国家义务教育质量监测相关科目达到Ⅲ级以上，校际差异率低于0.15",
)

ITEMS: tuple[Item, ...] = (
    *(Item(f"G{i:02d}", GOVERNMENT, text) for i, text in enumerate(_GOVERNMENT, start=1)),
    *(Item(f"Q{i}", QUALITY, text) for i, text in enumerate(_QUALITY, start=1)),
    Item("R1", RECOGNITION, "学生、家长、教师、校长、人大代表、政协委员等对县域义务教育的满意度不低于85%"),
)
ITEM_BY_CODE = {item.code: item for item in ITEMS}


def recognition_rate(surveyed: int | None, satisfied: int | None) -> float | None:
    """Satisfied over surveyed; None before a survey."""
    if not surveyed or satisfied is None:
        return None
    return satisfied / surveyed


def recognition_met(surveyed: int | None, satisfied: int | None) -> bool | None:
    rate = recognition_rate(surveyed, satisfied)
    return None if rate is None else rate >= RECOGNITION_BAR - 1e-9
