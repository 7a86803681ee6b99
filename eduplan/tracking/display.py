"""Small text helpers for the pages: how a target, a number or an audit entry reads in Chinese."""

from __future__ import annotations

import re
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from eduplan.audit.models import AuditEntry

from .models import Target

SIGNS = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "=": "", "~": "约"}
DIRECTIONS = {"increase_by": "增加", "decrease_by": "降低"}

ACTIONS = {
    "task.assign": "分派任务", "task.create": "新增任务", "task.reopen": "重新打开", "progress.report": "填报进展",
    "plan.import": "导入计划", "plan.revise": "导入修订版", "plan.correct": "更正识别结果",
    "admin.create": "后台新增", "admin.update": "后台修改", "admin.delete": "后台删除",
}
# Keys of audit entries that are not model fields, and fields not worth showing on a task page.
EXTRA_LABELS = {"tasks": "任务数", "source": "源文件", "added": "新增任务", "removed": "删除任务",
                "changed": "修改任务", "files": "佐证材料", "actuals": "目标实际值", "task": "任务",
                "milestones": "时间节点", "said": "内容"}
HIDDEN = {"id", "created_at", "task", "latest_percent", "latest_state", "latest_report_at"}
_ISO_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}).*$")


def number(value: float | int | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def goal(target: Target) -> str:
    """The target value as people write it: "≥96%", "1200个", "降低0.5–1百分点"."""
    change = DIRECTIONS.get(target.direction, "")
    if target.comparator == "range" and target.value_high is not None:
        return f"{change}{number(target.value)}–{number(target.value_high)}{target.unit}"
    return f"{change}{SIGNS.get(target.comparator, target.comparator)}{number(target.value)}{target.unit}"


def baseline(target: Target) -> str:
    if target.baseline_value is None:
        return "—"
    year = f"（{target.baseline_year}年）" if target.baseline_year else ""
    return f"{number(target.baseline_value)}{target.unit}{year}"


def file_size(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def action_label(action: str) -> str:
    return ACTIONS.get(action, action)


def _plain(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k} {_plain(v)}" for k, v in value.items())
    text = str(value)
    match = _ISO_TIME.match(text)
    return f"{match.group(1)} {match.group(2)}" if match else text


def _label(model_label: str, key: str) -> str:
    if key in EXTRA_LABELS:
        return EXTRA_LABELS[key]
    try:
        return str(apps.get_model(model_label)._meta.get_field(key).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist, AttributeError):  # AttributeError: a reverse relation
        return key


def audit_changes(entry: AuditEntry) -> list[str]:
    """One "字段：前 → 后" line per changed field (just the new value for new objects)."""
    lines = []
    for key, pair in (entry.changes or {}).items():
        if key in HIDDEN:
            continue
        before, after = (pair if isinstance(pair, list) and len(pair) == 2 else (None, pair))
        label = _label(entry.model, key)
        if before in (None, "", []):
            lines.append(f"{label}：{_plain(after)}")
        else:
            lines.append(f"{label}：{_plain(before)} → {_plain(after)}")
    return lines
