"""Every date made from a stored moment is the local date in TIME_ZONE (Asia/Shanghai, UTC+8):
a task closed at 23:30 UTC is closed the next day on the page, in the 任务分解表's 备注, in the
工作台账's 最近填报 and in the 督查通报's text alike."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from eduplan.reports.breakdown import export as bx
from eduplan.reports.bulletin.document import write_bulletin
from eduplan.reports.bulletin.facts import bulletin_facts
from eduplan.reports.ledger.build import LEDGER_SHEET, write_ledger
from eduplan.tracking import clock
from eduplan.tracking.models import Task
from eduplan.tracking.progress import submit_report

# the moment the task is closed (UTC), and the local date everything must show
CASES = [
    (datetime(2025, 6, 30, 23, 30, tzinfo=UTC), date(2025, 7, 1)),
    (datetime(2025, 6, 30, 15, 59, tzinfo=UTC), date(2025, 6, 30)),
    (datetime(2025, 6, 30, 16, 0, tzinfo=UTC), date(2025, 7, 1)),
]


@pytest.mark.parametrize(("moment", "local"), [
    *CASES,
    (datetime(2025, 6, 30, 23, 30), date(2025, 6, 30)),  # naive: already local
    (date(2025, 6, 30), date(2025, 6, 30)),
    (None, None),
])
def test_local_date(settings, moment, local):
    assert clock.local_date(moment) == local


@pytest.mark.parametrize(("moment", "local"), CASES)
def test_the_page_the_xlsx_and_the_docx_agree_on_the_local_date(world, as_user, settings, monkeypatch, moment,
                                                                  local):
    settings.EDUPLAN_TODAY = ""  # the real clock, frozen at ``moment``
    monkeypatch.setattr(timezone, "now", lambda: moment)
    assert clock.today() == local
    task = world.task_dept
    submit_report(world.assignment(task), user=world.users["jijiao_tb"], period="2025-06", percent=100, state="done",
                  narrative="全部完成。")
    shown = local.isoformat()

    page = as_user("admin").get(reverse("task-detail", args=[task.pk])).content.decode()
    assert f'<small class="muted">{shown}</small>' in page  # 已办结 and 最近填报 on the task page

    breakdown = bx.build_breakdown(world.plan, today=local)
    ws = breakdown.worksheets[0]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, bx.KEY).value == bx.task_key(task.pk))
    assert ws.cell(row, bx.NOTE).value == f"已办结（{shown}）"

    buffer = io.BytesIO()
    write_ledger(Task.objects.filter(plan=world.plan), buffer, today=clock.today())
    ledger = load_workbook(io.BytesIO(buffer.getvalue()))[LEDGER_SHEET]
    header = [c.value for c in ledger[2]]
    rows = [dict(zip(header, r, strict=True)) for r in ledger.iter_rows(min_row=3, values_only=True)]
    closed = next(r for r in rows if r["牵头单位"] == "基础教育科")
    assert closed["最近填报"].date() == local
    assert ledger["A1"].value.endswith(f"（截至{local.year}年{local.month}月{local.day}日）")

    docx = io.BytesIO()
    write_bulletin(bulletin_facts(Task.objects.filter(plan=world.plan), today=clock.today()), docx, title="通报",
                   issuer="澜江市青禾区教育局办公室")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.getvalue())).paragraphs)
    assert f"截至{local.year}年{local.month}月{local.day}日" in text
