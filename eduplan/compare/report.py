"""What a comparison report says, as text and numbers: shared by the xlsx and html writers, so
both show the same rows in the same words. ``write_report`` picks the writer from the suffix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from eduplan.errors import EduplanError, Errors

from .comparison import Change, Comparison, PathCheck
from .items import ComparedPlan, Goal, Item
from .targets import normalised

REPORT_SUFFIXES = (".xlsx", ".html", ".htm")
MISSING = "—"
LACK = "缺"
KIND_NAMES = {"annual": "年度工作要点", "five_year": "五年规划", "other": "其他"}
CHANGE_NAMES = {"added": "新增", "dropped": "取消", "raised": "提高", "lowered": "降低", "same": "不变"}
CHANGE_ORDER = tuple(CHANGE_NAMES)
SIGNS = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "=": "", "~": "约"}
DIRECTIONS = {"level": "达到", "increase_by": "增加", "decrease_by": "减少"}

# Section titles: the xlsx sheet names and the html headings.
COVERAGE, ALIGNMENT, LACKS, METRICS, CHANGES, PATH = (
    "主题覆盖", "任务对照", "各计划缺项", "目标对照", "年度变化", "五年规划进度")


def number(value: float | None) -> str:
    if value is None:
        return MISSING
    return str(int(value)) if float(value).is_integer() else f"{value:.12g}"


def goal_text(goal: Goal | None) -> str:
    """The goal as a plan prints it: "≥96%", "增加1200个", "90–95%"."""
    if goal is None:
        return MISSING
    change = "" if goal.direction == "level" else DIRECTIONS.get(goal.direction, "")
    if goal.value_high is not None:
        return f"{change}{number(goal.value)}–{number(goal.value_high)}{goal.unit}"
    return f"{change}{SIGNS.get(goal.comparator, goal.comparator)}{number(goal.value)}{goal.unit}"


def normalised_value(goal: Goal | None) -> float | str | None:
    """The goal's value in its base unit: a number, or "low–high" for a range."""
    if goal is None:
        return None
    low, high, _ = normalised(goal)
    return low if high is None else f"{number(low)}–{number(high)}"


def plan_label(plan: ComparedPlan, column: int) -> str:
    return f"{plan.name}（参照）" if column == 0 else plan.name


def year_text(plan: ComparedPlan) -> str:
    if plan.period is None:
        return MISSING
    first, last = plan.period
    return str(first) if first == last else f"{first}—{last}"


def task_text(item: Item) -> str:
    return f"{item.number} {item.title}".strip()


# ---------------------------------------------------------------- rows of each section


@dataclass(frozen=True)
class CoverageRow:
    theme: str
    counts: list[int]
    lacking: list[bool]  # per plan: the reference has tasks in the theme, this plan none


def coverage_rows(comparison: Comparison) -> list[CoverageRow]:
    """Themes at least one plan has a task in."""
    return [CoverageRow(theme, counts, [column > 0 and counts[0] > 0 and not n for column, n in enumerate(counts)])
            for theme, counts in comparison.coverage.items() if any(counts)]


@dataclass(frozen=True)
class Partner:
    item: Item | None  # None: no task of that plan is about the same work
    score: float | None
    shared: tuple[str, ...]


@dataclass(frozen=True)
class AlignedRow:
    item: Item
    theme: str
    partners: list[Partner]  # one per plan after the reference


def aligned_rows(comparison: Comparison) -> list[AlignedRow]:
    rows = []
    for index, item in enumerate(comparison.reference.items):
        partners = []
        for column in range(1, len(comparison.plans)):
            pair = comparison.alignments[column][index]
            if pair is None:
                partners.append(Partner(None, None, ()))
            else:
                partners.append(Partner(comparison.plans[column].items[pair.right], pair.score, pair.shared))
        rows.append(AlignedRow(item, comparison.themes[0][index].theme, partners))
    return rows


@dataclass(frozen=True)
class Lacks:
    plan: ComparedPlan
    themes: list[str]  # the reference has tasks in them, this plan none
    missing: list[Item]  # the reference's tasks with no partner here
    own: list[Item]  # this plan's tasks no reference task took


def lacks(comparison: Comparison) -> list[Lacks]:
    return [Lacks(comparison.plans[column], comparison.lacking_themes(column), comparison.missing_tasks(column),
                  [comparison.plans[column].items[i] for i in comparison.unmatched[column]])
            for column in range(1, len(comparison.plans))]


@dataclass(frozen=True)
class MetricLine:
    metric: str
    direction: str
    unit: str  # of the normalised values
    goals: list[Goal | None]

    def shown(self, column: int) -> str:
        """The plan's goal as printed, with its own wording of the metric where it differs."""
        goal = self.goals[column]
        text = goal_text(goal)
        if goal is not None and goal.metric != self.metric:
            text += f"（{goal.metric}）"
        return text


def metric_lines(comparison: Comparison) -> list[MetricLine]:
    lines = []
    for row in comparison.metrics:
        first = next(goal for goal in row.goals if goal is not None)
        lines.append(MetricLine(row.metric, DIRECTIONS.get(first.direction, first.direction),
                                normalised(first)[2], list(row.goals)))
    return lines


def older_newer(comparison: Comparison) -> tuple[ComparedPlan, ComparedPlan]:
    """The two plans a year's changes are between, older first (as ``compare`` ordered them)."""
    first, second = comparison.plans[0], comparison.plans[1]
    return (first, second) if (first.year or 0) < (second.year or 0) else (second, first)


def ordered_changes(comparison: Comparison) -> list[Change]:
    return sorted(comparison.changes, key=lambda change: CHANGE_ORDER.index(change.kind))


def five_year_plan(comparison: Comparison) -> ComparedPlan | None:
    return next((plan for plan in comparison.plans[:2] if plan.kind == "five_year"), None)


def path_unit(comparison: Comparison, check: PathCheck) -> str:
    """The base unit of the five-year goal a path check is about."""
    return check.unit


def behind_text(check: PathCheck) -> str:
    behind = check.annual_behind_path
    return MISSING if behind is None else "是" if behind else "否"


def plan_facts(plan: ComparedPlan, column: int) -> list[str | int]:
    return [plan_label(plan, column), KIND_NAMES.get(plan.kind, plan.kind), year_text(plan),
            len(plan.items), len(plan.goals)]


PLAN_COLUMNS = ("计划", "类型", "年度", "任务数", "量化目标数")


def joined(words: Sequence[str]) -> str:
    return "、".join(words)


# ---------------------------------------------------------------- writing


def check_report_path(path: Path) -> None:
    """Refuse a report file the writers cannot make, before any work is done."""
    if path.suffix.lower() not in REPORT_SUFFIXES:
        raise EduplanError(Errors.E351, path=path)


def write_report(comparison: Comparison, path: Path) -> None:
    """The report as .xlsx or .html, chosen by ``path``'s suffix."""
    check_report_path(path)
    try:
        if path.suffix.lower() == ".xlsx":
            from .report_xlsx import write_comparison_xlsx

            write_comparison_xlsx(comparison, path)
        else:
            from .report_html import comparison_html

            path.write_text(comparison_html(comparison), encoding="utf-8")
    except OSError as exc:
        raise EduplanError(Errors.E301, path=path, reason=exc.strerror or exc) from exc
