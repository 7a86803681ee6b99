"""The appraisal computed from the tracked data of the test world (clock fixed at 2025-06-30)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.utils import timezone

from eduplan.audit.models import AuditEntry
from eduplan.errors import EduplanError
from eduplan.orgs.access import Refused
from eduplan.supervision.models import AppraisalRules
from eduplan.supervision.scoring import adjust_score, appraised_units, sheet_for
from eduplan.supervision.services import report_rectification, review_rectification
from eduplan.tracking.models import ProgressReport
from eduplan.tracking.progress import submit_report

from .conftest import photo

TODAY = date(2025, 6, 30)


def report(world, name: str, period: str, on: date) -> None:
    assignment = world.assignment(world.task_a)
    made = submit_report(assignment, user=world.users[name], period=period, percent=40, state="in_progress",
                         narrative="推进中")
    moment = timezone.make_aware(datetime(on.year, on.month, on.day, 10))
    ProgressReport.objects.filter(pk=made.pk).update(created_at=moment)  # as if sent that day


def test_months_without_a_report_are_missing(world):
    sheet = sheet_for(world.unit("青禾区实验小学"), 2025, TODAY)
    # task_a runs all year: January to May were due by 5 June; June is due 5 July.
    assert [line.text for line in sheet.lines] == ["逾期未填报 5 次，各扣 1 分"]
    assert sheet.total == D(95)


def test_on_time_and_late_reports_count_by_their_day(world):
    report(world, "school_a", "2025-04", date(2025, 5, 3))
    report(world, "school_a", "2025-05", date(2025, 6, 20))
    texts = [line.text for line in sheet_for(world.unit("青禾区实验小学"), 2025, TODAY).lines]
    assert texts == ["按时填报进展 1 次，各加 0.2 分", "迟报进展 1 次，各扣 0.5 分", "逾期未填报 3 次，各扣 1 分"]


def test_an_overdue_rectification_deducts_until_signed_off(world, finding):
    school = world.unit("青禾区实验小学")
    assert sheet_for(school, 2025, TODAY).total == D(93)
    report_rectification(finding.rectification, user=world.users["school_a"], narrative="已清理", done=True,
                         files=[photo("整改后.jpg")])
    assert sheet_for(school, 2025, TODAY).total == D(93)  # reported done is not yet closed
    review_rectification(finding.rectification, user=world.users["admin"], approve=True)
    assert sheet_for(school, 2025, TODAY).total == D(95)


def test_a_bureau_changes_its_rules_in_the_admin_table(world):
    AppraisalRules.objects.create(bureau=world.bureau, missing_points=D("2"))
    assert sheet_for(world.unit("青禾区实验小学"), 2025, TODAY).total == D(90)


def test_an_adjustment_needs_a_reason_and_is_audited(world):
    school = world.unit("青禾区实验小学")
    with pytest.raises(EduplanError) as err:
        adjust_score(school, 2025, user=world.users["admin"], points="3", reason=" ", as_of=TODAY)
    assert err.value.code == "E868"
    adjust_score(school, 2025, user=world.users["admin"], points="3", reason="承办全区安全教育现场会", as_of=TODAY)
    sheet = sheet_for(school, 2025, TODAY)
    assert sheet.total == D(98) and "考核人调整 +3 分：承办全区安全教育现场会" in sheet.lines[-1].text
    entry = AuditEntry.objects.get(action="appraisal.adjust")
    assert entry.changes["total"] == ["95", "98"] and entry.user == world.users["admin"]


@pytest.mark.parametrize(("points", "veto", "code"), [("abc", "", "E869"), ("500", "", "E869"),
                                                      ("0", "随便写的", "E872")])
def test_bad_adjustments_are_refused(world, points, veto, code):
    with pytest.raises(EduplanError) as err:
        adjust_score(world.unit("青禾区实验小学"), 2025, user=world.users["admin"], points=points, reason="r",
                     veto_item=veto, as_of=TODAY)
    assert err.value.code == code


def test_a_veto_fails_the_unit_whatever_its_points(world):
    school = world.unit("青禾区实验小学")
    adjust_score(school, 2025, user=world.users["admin"], points="", reason="经区应急局认定",
                 veto_item="发生重大安全责任事故", as_of=TODAY)
    assert sheet_for(school, 2025, TODAY).grade == "不合格（一票否决）"


@pytest.mark.parametrize("name", ["school_a", "leader", "jijiao"])
def test_only_supervision_staff_adjust(world, name):
    with pytest.raises(Refused):
        adjust_score(world.unit("青禾区实验小学"), 2025, user=world.users[name], points="1", reason="r", as_of=TODAY)


def test_the_units_with_work_that_year_are_appraised(world, finding_b):
    names = [u.name for u in appraised_units(world.bureau, 2025)]
    assert set(names) == {"青禾区实验小学", "青禾区滨江小学", "基础教育科"}
