"""A finding's rectification: reported by the school, closed only with evidence and sign-off."""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.audit.models import AuditEntry
from eduplan.errors import EduplanError
from eduplan.orgs.access import Refused
from eduplan.supervision.models import Message, Rectification
from eduplan.supervision.services import (
    RoundInput,
    add_finding,
    create_round,
    report_rectification,
    review_rectification,
)

from .conftest import pdf, photo


def test_a_finding_opens_its_rectification_at_the_school(world, finding):
    rect = finding.rectification
    assert (rect.assignee_unit.name, rect.deadline, rect.state) == ("青禾区实验小学", date(2025, 6, 20), "open")
    assert finding.photos.get().original_name == "现场.jpg"
    assert Message.objects.filter(recipient=world.users["school_a"], kind="finding").exists()
    assert AuditEntry.objects.filter(action="supervision.finding").exists()


def test_the_default_deadline_comes_from_the_bureau_rules(finding_b):
    assert finding_b.rectification.deadline == date(2025, 7, 4)  # found 6-4 + 30 days


def test_asking_for_sign_off_needs_evidence(world, finding):
    with pytest.raises(EduplanError) as err:
        report_rectification(finding.rectification, user=world.users["school_a"], narrative="已清理", done=True)
    assert err.value.code == "E864"
    assert finding.rectification.state == Rectification.State.OPEN


def test_done_with_evidence_then_signed_off_closes_it(world, finding):
    rect = finding.rectification
    report_rectification(rect, user=world.users["school_a"], narrative="器材已移入器材室", done=True,
                         files=[photo("整改后.jpg")])
    rect.refresh_from_db()
    assert (rect.state, rect.latest_percent) == ("submitted", 100)
    assert Message.objects.filter(recipient=world.users["admin"], kind="review").exists()
    review_rectification(rect, user=world.users["admin"], approve=True)
    rect.refresh_from_db()
    assert rect.state == "closed" and rect.closed_at is not None and rect.closed_by == world.users["admin"]
    with pytest.raises(EduplanError) as err:
        report_rectification(rect, user=world.users["school_a"], narrative="再报一次")
    assert err.value.code == "E865"


def test_a_return_needs_a_reason_and_reopens(world, finding):
    rect = finding.rectification
    report_rectification(rect, user=world.users["school_a"], narrative="已整改", done=True, files=[pdf()])
    with pytest.raises(EduplanError) as err:
        review_rectification(rect, user=world.users["admin"], approve=False)
    assert err.value.code == "E867"
    review_rectification(rect, user=world.users["admin"], approve=False, note="照片看不出通道已清空")
    rect.refresh_from_db()
    assert rect.state == "open" and rect.closed_at is None


def test_sign_off_without_a_done_report_is_refused(world, finding):
    with pytest.raises(EduplanError) as err:
        review_rectification(finding.rectification, user=world.users["admin"], approve=True)
    assert err.value.code == "E866"


@pytest.mark.parametrize("name", ["school_b", "leader", "jijiao", "tiwei"])
def test_only_the_school_reports_its_rectification(world, finding, name):
    with pytest.raises(Refused):
        report_rectification(finding.rectification, user=world.users[name], narrative="x")


@pytest.mark.parametrize("name", ["school_a", "leader", "jijiao"])
def test_only_supervision_staff_sign_off(world, finding, name):
    report_rectification(finding.rectification, user=world.users["school_a"], narrative="已整改", done=True,
                         files=[pdf()])
    with pytest.raises(Refused) as err:
        review_rectification(finding.rectification, user=world.users[name], approve=True)
    assert err.value.code == "E860"


@pytest.mark.parametrize("name", ["school_a", "leader", "jijiao"])
def test_only_supervision_staff_run_rounds(world, name):
    data = RoundInput(title="x", kind="check", start_date=date(2025, 6, 1), end_date=date(2025, 6, 2),
                      schools=[world.unit("青禾区实验小学")], items_text="门卫：来访登记")
    with pytest.raises(Refused):
        create_round(data, user=world.users[name], bureau=world.bureau)


def test_a_round_takes_its_checklist_from_a_plan_section_or_typed_lines(world):
    section = world.task_a.section
    data = RoundInput(title="重点任务督查", kind="check", start_date=date(2025, 6, 1), end_date=date(2025, 6, 2),
                      schools=[world.unit("青禾区实验小学")], section=section, items_text="课后服务：收费公示")
    round_ = create_round(data, user=world.users["admin"], bureau=world.bureau)
    items = list(round_.items.all())
    assert items[-1].category == "课后服务" and items[-1].text == "收费公示"
    assert any(item.task_id == world.task_a.pk for item in items)


@pytest.mark.parametrize(("change", "code"), [
    ({"schools": []}, "E861"),
    ({"standard": "", "items_text": "  "}, "E862"),
    ({"standard": "nonsense"}, "E870"),
])
def test_a_round_without_schools_or_items_is_refused(world, change, code):
    values = {"title": "x", "kind": "check", "start_date": date(2025, 6, 1), "end_date": date(2025, 6, 2),
              "schools": [world.unit("青禾区实验小学")], "standard": "hazard"} | change
    with pytest.raises(EduplanError) as err:
        create_round(RoundInput(**values), user=world.users["admin"], bureau=world.bureau)
    assert err.value.code == code


def test_a_finding_outside_the_round_or_with_bad_input_is_refused(world, round_):
    admin = world.users["admin"]
    cases = [({"school": world.unit("基础教育科")}, "E871"), ({"description": " "}, "E875"),
             ({"severity": "huge"}, "E876"), ({"deadline": date(2025, 5, 1)}, "E863")]
    for change, code in cases:
        values = {"school": world.unit("青禾区实验小学"), "description": "x", "severity": "minor",
                  "found_on": date(2025, 6, 3)} | change
        with pytest.raises(EduplanError) as err:
            add_finding(round_, user=admin, **values)
        assert err.value.code == code, change


def test_a_renamed_executable_is_no_photo(world, round_):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("现场.jpg", b"MZ\x90\x00" + b"\x00" * 20)
    with pytest.raises(EduplanError) as err:
        add_finding(round_, user=world.users["admin"], school=world.unit("青禾区实验小学"), description="x",
                    severity="minor", found_on=date(2025, 6, 3), photos=[fake])
    assert err.value.code == "E403"


def second_admin(world):
    from eduplan.orgs.models import Membership
    from eduplan.orgs.services import create_user
    from tests.world import PASSWORD

    return create_user("admin2", PASSWORD, role=Membership.Role.ADMIN, unit=world.bureau)


@pytest.mark.parametrize("approve", [True, False], ids=["sign_off", "send_back"])
def test_whoever_reported_it_done_does_not_review_it(world, finding, approve):
    admin = world.users["admin"]  # the bureau's admin may report for a unit ...
    rect = finding.rectification
    report_rectification(rect, user=admin, narrative="督导组现场督促清理完毕", done=True, files=[photo()])
    with pytest.raises(Refused) as err:  # ... but then may not sign off, nor send back
        review_rectification(rect, user=admin, approve=approve, note="自审")
    assert err.value.code == "E880"
    rect.refresh_from_db()
    assert rect.state == Rectification.State.SUBMITTED and not rect.reviews.exists()
    review_rectification(rect, user=second_admin(world), approve=approve, note="复核")  # another of the staff may
    rect.refresh_from_db()
    assert rect.state == ("closed" if approve else "open")


def test_the_reporter_of_an_earlier_report_may_review_a_later_one(world, finding):
    admin = world.users["admin"]
    rect = finding.rectification
    report_rectification(rect, user=admin, narrative="已督促学校整改", percent=50)
    report_rectification(rect, user=world.users["school_a"], narrative="已清理", done=True, files=[photo()])
    review_rectification(rect, user=admin, approve=True)
    rect.refresh_from_db()
    assert rect.state == "closed"


# fmt: off
WHILE_SUBMITTED = [
    # what the unit sends while its sign-off request awaits review
    {"narrative": "补充一张照片", "percent": 100},
    {"narrative": "再次申请销号", "done": True, "files": "photo"},
]
# fmt: on


@pytest.mark.parametrize("report", WHILE_SUBMITTED, ids=["progress", "done_again"])
def test_no_reports_while_awaiting_review_until_sent_back(world, finding, report):
    school = world.users["school_a"]
    rect = finding.rectification
    report_rectification(rect, user=school, narrative="器材已移入器材室", done=True, files=[photo()])
    values = dict(report)
    if values.get("files"):
        values["files"] = [photo()]
    with pytest.raises(EduplanError) as err:
        report_rectification(rect, user=school, **values)
    assert err.value.code == "E881"
    assert rect.reports.count() == 1
    review_rectification(rect, user=world.users["admin"], approve=False, note="照片不清晰")
    report_rectification(rect, user=school, **values)  # sent back: open again
    assert rect.reports.count() == 2


# fmt: off
PHOTOS = [
    # name, content, error code (None: accepted)
    ("现场.jpg",  b"\xff\xd8\xff\xe0" + b"\x00" * 16, None),
    ("现场.JPEG", b"\xff\xd8\xff\xe0" + b"\x00" * 16, None),
    ("现场.png",  b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, None),
    ("现场.pdf",  b"%PDF-1.4\n",                    "E402"),  # evidence, but no picture to show inline
    ("现场.txt",  b"<script>alert(1)</script>",     "E402"),
    ("现场.docx", b"PK\x03\x04" + b"\x00" * 16,     "E402"),
    ("现场.png",  b"<svg onload=alert(1)>",         "E403"),
]
# fmt: on


@pytest.mark.parametrize(("name", "content", "code"), PHOTOS, ids=[f"{p[0]}-{p[2]}" for p in PHOTOS])
def test_finding_photos_are_pictures_only(world, round_, name, content, code):
    from django.core.files.uploadedfile import SimpleUploadedFile

    values = {"user": world.users["admin"], "school": world.unit("青禾区实验小学"), "description": "x",
              "severity": "minor", "found_on": date(2025, 6, 3), "photos": [SimpleUploadedFile(name, content)]}
    if code is None:
        assert add_finding(round_, **values).photos.get().original_name == name
        return
    with pytest.raises(EduplanError) as err:
        add_finding(round_, **values)
    assert err.value.code == code
    assert not round_.findings.exists()


def test_rectification_evidence_still_takes_documents(world, finding):
    report_rectification(finding.rectification, user=world.users["school_a"], narrative="整改方案", done=True,
                         files=[pdf()])
    assert finding.rectification.state == "submitted"
