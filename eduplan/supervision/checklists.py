"""Standard checklists a round can start from; the bureau edits a round's items afterwards.

Items are grouped by category ("类别：项目"). They are a starting point written for eduplan,
not an official standard: a bureau replaces them with its own by typing its list.
"""

from __future__ import annotations

STANDARDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "safe_campus": ("平安校园", (
        "安全管理：学校安全工作领导小组、岗位安全责任清单建立并公示",
        "安全管理：安全隐患排查台账每月更新、闭环销号",
        "门卫安保：门卫室配备专职保安，来访人员登记核验",
        "门卫安保：一键报警装置与公安联网并能正常使用",
        "消防安全：灭火器、消防栓在有效期内，疏散通道畅通无堆放",
        "消防安全：每学期至少组织一次应急疏散演练并留存记录",
        "食品安全：食堂持证经营，从业人员健康证在有效期内",
        "食品安全：食品留样 48 小时以上，陪餐记录完整",
        "校车与交通：校车驾驶人资质、车辆年检和随车照管人员落实",
        "心理健康：配备心理辅导室，建立学生心理健康档案",
    )),
    "hazard": ("隐患排查", (
        "校舍建筑：教学楼、宿舍无墙体开裂、渗漏、屋面破损",
        "校舍建筑：栏杆、护栏高度符合要求且牢固",
        "用电安全：配电箱上锁，无私拉乱接电线和超负荷用电",
        "用电安全：宿舍无违规使用大功率电器",
        "危化品：实验室危险化学品双人双锁管理，领用登记完整",
        "体育设施：运动器械固定牢靠，定期检查有记录",
        "周边环境：校园周边 200 米内无违规经营网吧、娱乐场所",
        "防溺水：临水区域警示标志和防护设施完好",
    )),
}


def standard_items(code: str) -> list[tuple[str, str]]:
    """(category, text) pairs of a standard checklist; KeyError for an unknown code."""
    _, items = STANDARDS[code]
    return [split_item(line) for line in items]


def split_item(line: str) -> tuple[str, str]:
    """"类别：项目" → (类别, 项目); a line without a category has none."""
    line = line.strip()
    for mark in ("：", ":"):
        head, sep, tail = line.partition(mark)
        if sep and 0 < len(head) <= 12 and tail.strip():
            return head.strip(), tail.strip()
    return "", line


def standard_choices() -> list[tuple[str, str]]:
    return [(code, label) for code, (label, _) in STANDARDS.items()]
