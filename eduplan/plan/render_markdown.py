"""Render a parsed source as a readable Markdown outline in Chinese.

One section per plan: title, a metadata line, the heading outline, the targets table and
the template blanks. The outline helpers (``printed_label``, ``heading_paths``) are public
because the spreadsheet renderer needs the same label forms and label paths.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from eduplan.plan.model import Blank, Heading, Number, ParsedSource, Plan, Target

NO_TITLE = "（无标题）"
MISSING = "—"

KIND_NAMES = {"annual": "年度工作要点", "five_year": "五年规划", "other": "其他"}
DIRECTION_NAMES = {"level": "达到", "increase_by": "增加", "decrease_by": "减少"}
COMPARATOR_NAMES = {"=": "=", ">=": "≥", "<=": "≤", ">": ">", "<": "<", "~": "约", "range": "区间"}

TARGET_COLUMNS = ("所属条目", "指标", "方向", "比较", "目标值", "单位", "原文")

_CN_NUMERAL = "一二三四五六七八九十百零〇"
_BARE_CN = re.compile(f"^[{_CN_NUMERAL}]+$")
_PAREN_CN = re.compile(f"^\\(([{_CN_NUMERAL}]+)\\)$")
_BARE_ARABIC = re.compile(r"^\d+$")
# Characters that would otherwise start emphasis, code, links or HTML in running text.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>~])")


# ---------------------------------------------------------------- outline helpers


def printed_label(label: str) -> str:
    """The label as a document prints it: "一" → "一、", "(一)" → "（一）", "8" → "8."."""
    if _BARE_CN.match(label):
        return label + "、"
    paren = _PAREN_CN.match(label)
    if paren:
        # Chinese documents print full-width parentheses around Chinese numerals.
        return f"（{paren.group(1)}）"
    if _BARE_ARABIC.match(label):
        return label + "."
    return label  # "(1)", "①" and anything unexpected are printed as normalised


def short_label(label: str) -> str:
    """The label without its trailing punctuation, for paths like "四 › （一） › 2"."""
    return printed_label(label).rstrip("、.")


def display_path(under: Sequence[str]) -> str:
    return " › ".join(short_label(label) for label in under)


def heading_paths(headings: Sequence[Heading]) -> list[list[str]]:
    """The label path of every heading, as used in ``under``: ["四", "(一)", "2"].

    A heading closes every open heading at its own level or deeper; levels may skip
    (a "1." directly under "一、"), so depth is the length of the path, not the level.
    """
    stack: list[Heading] = []
    paths: list[list[str]] = []
    for heading in headings:
        while stack and stack[-1].level >= heading.level:
            stack.pop()
        stack.append(heading)
        paths.append([h.label for h in stack])
    return paths


# ---------------------------------------------------------------- text formatting


def escape_inline(text: str) -> str:
    """Escape Markdown syntax in running text and fold line breaks into spaces."""
    return _INLINE_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def escape_cell(text: str) -> str:
    # A bare "|" would split the table cell.
    return escape_inline(text).replace("|", "\\|")


def format_number(value: Number) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 95.0 reads as "95" in a plan
    return str(value)


def format_value(value: Number | list[Number]) -> str:
    if isinstance(value, list):
        return "–".join(format_number(v) for v in value)
    return format_number(value)


def format_period(period: tuple[int, int] | None) -> str:
    if period is None:
        return MISSING
    first, last = period
    return str(first) if first == last else f"{first}—{last}"


# ---------------------------------------------------------------- plan sections


def metadata_line(plan: Plan) -> str:
    fields = [
        ("地区", plan.region or MISSING),
        ("期间", format_period(plan.period)),
        ("类型", KIND_NAMES.get(plan.kind, plan.kind)),
        ("发文单位", plan.issuer or MISSING),
    ]
    return " · ".join(f"{name}：{escape_inline(value)}" for name, value in fields)


def outline_lines(headings: Sequence[Heading]) -> list[str]:
    lines = []
    for heading, path in zip(headings, heading_paths(headings), strict=True):
        indent = "  " * (len(path) - 1)
        # Bold keeps "1." from being read as the start of an ordered list.
        line = f"{indent}- **{printed_label(heading.label)}** {escape_inline(heading.title)}"
        if heading.damaged:
            line += "（标号已修复）"
        lines.append(line.rstrip())
    return lines


def target_row(target: Target) -> str:
    cells = [
        display_path(target.under) or MISSING,
        target.metric,
        DIRECTION_NAMES.get(target.direction, target.direction),
        COMPARATOR_NAMES.get(target.comparator, target.comparator),
        format_value(target.value),
        target.unit,
        target.quote,
    ]
    return table_row(escape_cell(cell) for cell in cells)


def table_row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def targets_table(targets: Sequence[Target]) -> list[str]:
    if not targets:
        return ["未识别到量化目标。"]
    header = [table_row(TARGET_COLUMNS), table_row("---" for _ in TARGET_COLUMNS)]
    return header + [target_row(t) for t in targets]


def blank_line(blank: Blank) -> str:
    where = display_path(blank.under) or MISSING
    return f"- {escape_inline(where)}：“{escape_inline(blank.quote)}”"


def render_plan(plan: Plan) -> str:
    parts = [f"# {escape_inline(plan.title) if plan.title else NO_TITLE}", "", metadata_line(plan), ""]
    parts += ["## 提纲", ""]
    parts += outline_lines(plan.headings) or ["未识别到条目。"]
    parts += ["", "## 量化目标", ""]
    parts += targets_table(plan.targets)
    if plan.blanks:
        parts += ["", "## 模板空缺", ""]
        parts += [blank_line(b) for b in plan.blanks]
    return "\n".join(parts) + "\n"


def render_markdown(parsed: ParsedSource) -> str:
    """The whole source as Markdown; several plans are separated by horizontal rules."""
    if not parsed.plans:
        return f"# {NO_TITLE}\n\n{escape_inline(parsed.source)} 中未识别到工作计划。\n"
    return "\n---\n\n".join(render_plan(plan) for plan in parsed.plans)
