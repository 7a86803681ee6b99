"""The 问题清单/整改台账 and appraisal workbooks and the 督导通报, opened and read back."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from eduplan.supervision.scoring import adjust_score


def test_the_ledger_lists_each_finding_with_its_step_in_colour(as_user, world, finding, finding_b):
    response = as_user("admin").get(f"/supervision/rounds/{finding.round_id}/ledger.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = book["问题清单"]
    assert ws["A1"].value == "2025年春季平安校园专项督导问题清单（整改台账）"
    header = [c.value for c in ws[2]]
    assert header[:6] == ["序号", "督导轮次", "学校", "检查项目", "问题描述", "严重程度"]
    rows = {ws.cell(row=r, column=3).value: [c.value for c in ws[r]] for r in (3, 4)}
    first = rows["青禾区实验小学"]
    assert first[4] == "消防通道堆放体育器材，疏散不畅" and first[5] == "较重"
    assert (first[10], first[11]) == ("催办", "10")
    assert ws.cell(row=3 if ws["C3"].value == "青禾区实验小学" else 4, column=11).fill.fgColor.rgb.endswith("FFEB9C")
    assert rows["青禾区滨江小学"][10] == "交办"
    summary = book["汇总"]
    assert [c.value for c in summary[3]][:2] in (["青禾区实验小学", "1"], ["青禾区滨江小学", "1"])


def test_a_school_downloads_only_its_own_findings(as_user, finding, finding_b):
    response = as_user("school_a").get("/supervision/findings/ledger.xlsx")
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["问题清单"]
    assert [ws.cell(row=r, column=3).value for r in range(3, ws.max_row + 1)] == ["青禾区实验小学"]


def test_the_notice_has_the_bulletin_layout_and_the_round_facts(as_user, finding, finding_b):
    response = as_user("admin").get(f"/supervision/rounds/{finding.round_id}/notice.docx?number=第2期")
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "督导通报" in text and "第2期" in text
    assert "关于2025年春季平安校园专项督导情况的通报" in text
    assert "本次督导共发现问题2个，涉及2所学校，其中一般1个、较重1个。" in text
    assert "逾期未完成整改1个" in text
    assert "一是各学校要对照问题清单逐项整改" in text
    section = doc.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)  # GB/T 9704
    table = doc.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["序号", "学校", "问题描述", "严重程度", "整改时限", "整改状态", "督办等级"]
    assert len(table.rows) == 3


def test_the_notice_is_for_supervision_staff(as_user, finding):
    assert as_user("school_a").get(f"/supervision/rounds/{finding.round_id}/notice.docx").status_code == 403
    assert as_user("leader").get(f"/supervision/rounds/{finding.round_id}/notice.docx").status_code == 403


def test_the_appraisal_workbook_has_a_summary_and_a_sheet_per_unit(as_user, world, finding):
    from datetime import date

    adjust_score(world.unit("青禾区实验小学"), 2025, user=world.users["admin"], points="1", reason="专项工作突出",
                 as_of=date(2025, 6, 30))
    response = as_user("admin").get("/supervision/appraisal/export.xlsx?year=2025")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    summary = book["汇总"]
    rows = {summary.cell(row=r, column=2).value: [c.value for c in summary[r]] for r in range(3, summary.max_row + 1)}
    assert rows["青禾区实验小学"][2:] == ["100", "0", "-7", "1", "94", "优秀"]
    unit = book["青禾区实验小学"]
    lines = [unit.cell(row=r, column=2).value for r in range(3, unit.max_row + 1)]
    assert lines[:3] == ["基础分", "逾期未填报 5 次，各扣 1 分", "整改逾期未完成 1 项，各扣 2 分"]
    assert lines[3].startswith("考核人调整 +1 分：专项工作突出") and lines[4] == "总分"
    assert "2025年5月" in unit.cell(row=4, column=4).value


def ledger_row(as_user, path: str, school: str) -> list:
    response = as_user("admin").get(path)
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["问题清单"]
    return next([c.value for c in ws[r]] for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=3).value == school)


# fmt: off
CLOSED_AT = [
    # signed off at (UTC) → the 销号日期 in the ledger (Asia/Shanghai, UTC+8)
    ((2025, 6, 10, 15, 59), "2025-06-10"),
    ((2025, 6, 10, 16, 0),  "2025-06-11"),  # past midnight in Beijing, still the 10th in UTC
    ((2025, 6, 10, 23, 30), "2025-06-11"),
]
# fmt: on


@pytest.mark.parametrize(("moment", "day"), CLOSED_AT, ids=[c[1] + f"-{c[0][3]}h" for c in CLOSED_AT])
def test_the_ledger_dates_a_sign_off_on_the_local_day(as_user, world, finding, moment, day):
    from datetime import UTC, datetime

    from eduplan.supervision.models import Rectification, RectificationReport
    from eduplan.supervision.services import report_rectification, review_rectification

    from .conftest import photo

    rect = finding.rectification
    report_rectification(rect, user=world.users["school_a"], narrative="第一次", percent=50)
    RectificationReport.objects.filter(rectification=rect).update(created_at=datetime(2025, 6, 1, tzinfo=UTC))
    report_rectification(rect, user=world.users["school_a"], narrative="器材已移入器材室", done=True, files=[photo()])
    review_rectification(rect, user=world.users["admin"], approve=True)
    Rectification.objects.filter(pk=rect.pk).update(closed_at=datetime(*moment, tzinfo=UTC))
    row = ledger_row(as_user, f"/supervision/rounds/{finding.round_id}/ledger.xlsx", "青禾区实验小学")
    assert (row[12], row[13]) == ("器材已移入器材室", day)  # the newest report, the local day


def test_the_ledger_and_the_lists_read_a_fixed_number_of_queries(as_user, world, round_):
    """However many findings: rules once per bureau, the newest reports in one query."""
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from eduplan.supervision.services import add_finding, report_rectification

    client = as_user("admin")
    client.get("/supervision/")  # the session and the user's scope, read once
    counts = {}
    for total in (2, 8):
        while round_.findings.count() < total:
            finding = add_finding(round_, user=world.users["admin"], school=world.unit("青禾区实验小学"),
                                  description=f"问题{round_.findings.count()}", severity="minor",
                                  found_on=date(2025, 6, 3))
            report_rectification(finding.rectification, user=world.users["school_a"], narrative="整改中", percent=30)
        for path in (f"/supervision/rounds/{round_.pk}/ledger.xlsx", "/supervision/findings/",
                     f"/supervision/rounds/{round_.pk}/"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            counts[path, total] = len(queries)
    for path in {p for p, _ in counts}:
        assert counts[path, 2] == counts[path, 8], (path, counts)


def test_the_appraisal_reads_a_fixed_number_of_queries_for_any_number_of_units(as_user, world):
    """Rules once, then each kind of input once for every unit: a few queries, not a few per unit."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from eduplan.tracking.assigning import assign_task
    from eduplan.tracking.models import Task
    from tests.world import TODAY

    client = as_user("admin")
    before = len(client.get("/supervision/appraisal/?year=2025").context["sheets"])  # also reads the session once
    schools = [u for u in world.bureau.subtree().filter(kind="school").order_by("path")
               if u.name not in ("青禾区实验小学", "青禾区滨江小学")]
    counts = {}
    for extra in (0, 3):
        free = Task.objects.filter(plan=world.plan, assignments__isnull=True).order_by("order")[:extra]
        for task, school in zip(list(free), schools, strict=False):
            assign_task(task, user=world.users["admin"], lead_unit=school, today=TODAY)
        for path in ("/supervision/appraisal/?year=2025", "/supervision/appraisal/export.xlsx?year=2025"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
                assert response.status_code == 200
            counts[path, extra] = len(queries)
        page = client.get("/supervision/appraisal/?year=2025")
        assert len(page.context["sheets"]) == before + extra
    for path in {p for p, _ in counts}:
        assert counts[path, 0] == counts[path, 3], (path, counts)
