"""The theme taxonomy: which part of education a task is about, and the words that said so.

Each theme lists the words plans use for it. A task's score for a theme counts the theme's
words found in it, a word in the title counting three times what it counts in the measures;
the best score wins, ties going to the theme listed first. Themes are plain data: a bureau
may pass its own (``Taxonomy.from_rows``) — the web app keeps them editable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .items import Item

TITLE_WEIGHT = 3
OTHER = "其他"

# (theme, words). Longer, more specific words first inside a theme only for reading; matching
# counts every word found.
THEMES: list[tuple[str, tuple[str, ...]]] = [
    ("党建", ("党建", "党的建设", "党组织", "党支部", "党员", "全面从严治党", "党风廉政", "主题教育", "意识形态",
              "政治建设", "基层党", "清廉")),
    ("德育思政", ("德育", "思政", "思想政治", "立德树人", "理想信念", "社会主义核心价值观", "爱国主义", "红色",
                  "心理健康", "家庭教育", "家校社", "未成年人", "文明校园", "少先队", "共青团")),
    ("双减/课后服务", ("双减", "课后服务", "作业", "减负", "延时服务", "托管", "课后")),
    ("体育", ("体育", "体质", "运动", "足球", "篮球", "体测", "大课间", "阳光体育", "赛事", "竞赛", "健身")),
    ("美育", ("美育", "艺术", "音乐", "美术", "合唱", "戏曲", "书法", "艺术节")),
    ("劳动", ("劳动教育", "劳动", "实践基地", "研学", "综合实践")),
    ("健康卫生", ("近视", "视力", "健康", "卫生", "食品安全", "食堂", "肥胖", "传染病", "营养", "睡眠", "眼健康")),
    ("学前", ("学前", "幼儿园", "幼儿", "托育", "普惠", "保教", "入园", "托幼")),
    ("义务", ("义务教育", "优质均衡", "集团化办学", "学区", "招生入学", "大班额", "控辍保学", "随迁子女", "小学",
              "初中", "新优质学校", "均衡")),
    ("高中", ("普通高中", "高中", "高考", "选课走班", "新课程新教材", "多样化")),
    ("职教", ("职业教育", "职教", "中职", "职业学校", "产教融合", "校企合作", "技能", "实训", "1+X")),
    ("特教", ("特殊教育", "特教", "残疾", "融合教育", "送教上门", "资源教室")),
    ("终身教育", ("终身教育", "社区教育", "老年教育", "继续教育", "学习型", "成人教育", "开放大学")),
    ("教师队伍", ("教师", "师德", "师资", "名师", "骨干", "教研", "培训", "交流轮岗", "编制", "职称", "青年教师",
                  "班主任", "招聘")),
    ("干部队伍", ("校长", "干部", "管理团队", "后备", "领导班子", "书记")),
    ("安全稳定", ("安全", "应急", "防溺水", "消防", "校园安全", "欺凌", "隐患", "稳定", "平安校园", "交通安全",
                  "疏散", "护校")),
    ("依法治教", ("依法治教", "依法治校", "法治", "章程", "普法", "规范办学", "行政执法", "放管服", "信访")),
    ("督导评价", ("督导", "督查", "评价改革", "考核", "评估", "质量监测", "教育评价", "问责")),
    ("信息化", ("信息化", "数字化", "智慧", "网络", "人工智能", "平台", "数据", "千兆", "教育新基建", "智能")),
    ("经费保障", ("经费", "投入", "资金", "财政", "预算", "补助", "资助", "建设项目", "校舍", "新建", "改扩建",
                  "学位", "基建")),
    ("合作交流", ("合作", "交流", "对口", "帮扶", "协作", "国际", "港澳台", "结对", "共同体")),
    ("民办/校外培训", ("民办", "校外培训", "培训机构", "非学科", "学科类", "民办学校")),
]


@dataclass(frozen=True)
class ThemeMatch:
    theme: str
    score: int
    words: tuple[str, ...]  # the words that decided it, as found


@dataclass(frozen=True)
class Taxonomy:
    themes: tuple[tuple[str, tuple[str, ...]], ...]

    @classmethod
    def default(cls) -> Taxonomy:
        return cls(tuple((name, tuple(words)) for name, words in THEMES))

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, Iterable[str]]]) -> Taxonomy:
        return cls(tuple((name, tuple(w for w in words if w)) for name, words in rows))

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.themes]

    def classify(self, item: Item) -> ThemeMatch:
        """The theme of a task, and the words found for it (``其他`` when none is found)."""
        best = ThemeMatch(OTHER, 0, ())
        for name, words in self.themes:
            score, found = 0, []
            for word in words:
                in_title = item.title.count(word)
                in_text = item.text.count(word)
                if in_title or in_text:
                    score += TITLE_WEIGHT * in_title + in_text
                    found.append(word)
            if score > best.score:
                best = ThemeMatch(name, score, tuple(found))
        return best


def coverage(taxonomy: Taxonomy, plans: Sequence[Sequence[ThemeMatch]]) -> dict[str, list[int]]:
    """Theme → the number of tasks of each plan in it (a plan with 0 lacks the theme)."""
    matrix = {name: [0] * len(plans) for name in [*taxonomy.names, OTHER]}
    for column, matches in enumerate(plans):
        for match in matches:
            matrix[match.theme][column] += 1
    return matrix
