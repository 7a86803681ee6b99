"""Progress reports: checks first, then one transaction; reports are append-only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eduplan.audit.log import history
from eduplan.audit.models import AuditEntry
from eduplan.errors import EduplanError
from eduplan.indicators.models import DataValue
from eduplan.tracking.models import Assignment, Evidence, ProgressReport
from eduplan.tracking.progress import REPORTED_FIELDS, ActualInput, check_upload, submit_report

PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def report(world, persona="school_a", **values):
    fields = {"period": "2025-06", "percent": 50, "state": "in_progress", "narrative": "体育节已举办"} | values
    return submit_report(world.assignment(world.task_a), user=world.users[persona], **fields)


def test_a_report_updates_the_assignments_latest_progress(world):
    saved = report(world, percent=60)
    assignment = Assignment.objects.get(pk=saved.assignment_id)
    assert (assignment.latest_percent, assignment.latest_state) == (60, "in_progress")
    assert saved.unit.name == "青禾区实验小学"
    assert assignment.closed_at is None


def test_the_callers_assignment_is_left_as_the_report_left_it_in_the_database(world):
    assignment = world.assignment(world.task_a)
    submit_report(assignment, user=world.users["school_a"], period="2025-06", percent=70, state="done",
                  narrative="已完成")
    stored = Assignment.objects.get(pk=assignment.pk)
    assert [getattr(assignment, f) for f in REPORTED_FIELDS] == [getattr(stored, f) for f in REPORTED_FIELDS]
    assert (assignment.latest_percent, assignment.latest_state) == (100, "done")
    assert assignment.closed_at is not None


# A savepoint costs two statements in every report's transaction: only a report with an
# idempotency key, whose duplicate the transaction must survive, takes one of its own.
def test_a_report_takes_a_savepoint_only_for_its_idempotency_key(world):
    def savepoints(key):
        with CaptureQueriesContext(connection) as queries:
            report(world, idempotency_key=key)
        return sum(q["sql"].startswith("SAVEPOINT") for q in queries.captured_queries)

    # Inside the test's own transaction the report's outermost block is a savepoint too.
    outermost = 1 if connection.in_atomic_block else 0
    assert savepoints(None) == outermost
    assert savepoints("retry-key-0001") == outermost + 1


def test_done_closes_the_assignment_and_later_reports_are_refused(world):
    report(world, state="done", percent=90)
    assert Assignment.objects.get(task=world.task_a).latest_percent == 100
    with pytest.raises(EduplanError) as caught:
        report(world, percent=100)
    assert caught.value.code == "E406"
    assert ProgressReport.objects.count() == 1


# fmt: off
BAD = [
    ({"percent": "120"}, "E408"), ({"percent": "-1"}, "E408"), ({"percent": "六十"}, "E408"),
    ({"period": "2025-13"}, "E409"), ({"period": "2025/06"}, "E409"), ({"period": ""}, "E409"),
    ({"narrative": "   "}, "E415"),
    ({"files": [SimpleUploadedFile("setup.exe", b"MZ\x90\x00")]}, "E402"),
    ({"files": [SimpleUploadedFile("照片.png", b"MZ\x90\x00 not a png")]}, "E403"),
    ({"files": [SimpleUploadedFile("说明.txt", b"\x00\x01binary")]}, "E403"),
]
# fmt: on


@pytest.mark.parametrize(("values", "code"), BAD, ids=[c[1] + ":" + next(iter(c[0])) for c in BAD])
def test_bad_reports_are_refused_and_store_nothing(world, values, code):
    with pytest.raises(EduplanError) as caught:
        report(world, **values)
    assert caught.value.code == code
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()
    assert Assignment.objects.get(task=world.task_a).latest_report_at is None


def test_oversized_evidence_is_refused(world, settings):
    settings.EDUPLAN_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(EduplanError) as caught:
        check_upload(SimpleUploadedFile("大文件.pdf", PDF + b"x" * 2048))
    assert caught.value.code == "E401"


def test_evidence_and_actuals_are_stored_with_the_report(world):
    target = world.task_a.targets.order_by("order").first()
    saved = report(world, files=[SimpleUploadedFile("体测报告.pdf", PDF), SimpleUploadedFile("现场.png", PNG)],
                   actuals=[ActualInput(target, "96.5")])
    assert sorted(e.original_name for e in saved.evidence.all()) == ["体测报告.pdf", "现场.png"]
    assert saved.evidence.get(original_name="体测报告.pdf").file.read() == PDF
    assert saved.actual_values.get().value == 96.5
    assert saved.typed_actuals == {str(target.pk): 96.5}


def test_a_non_numeric_actual_is_refused(world):
    target = world.task_a.targets.first()
    with pytest.raises(EduplanError) as caught:
        report(world, actuals=[ActualInput(target, "九十")])
    assert caught.value.code == "E412"
    assert not ProgressReport.objects.exists()


def test_reports_cannot_be_edited_or_deleted_and_a_replaced_actual_stays_in_the_audit_log(world):
    target = world.task_a.targets.first()
    saved = report(world, actuals=[ActualInput(target, "95")])
    saved.narrative = "改写历史"
    with pytest.raises(PermissionError):
        saved.save()
    with pytest.raises(PermissionError):
        saved.delete()
    assert ProgressReport.objects.get(pk=saved.pk).narrative == "体育节已举办"
    report(world, actuals=[ActualInput(target, "96")])  # the same month again: the figure is replaced
    value = DataValue.objects.get(element__target=target)
    assert value.value == 96
    changes = [e.changes for e in AuditEntry.objects.filter(action="value.store", object_id=str(value.pk)).order_by("id")]
    assert [c["value"] for c in changes] == [[None, 95.0], [95.0, 96.0]]
    assert ProgressReport.objects.get(pk=saved.pk).typed_actuals == {str(target.pk): 95.0}  # what it said stays


def test_reports_on_a_removed_task_are_refused(world):
    world.task_a.removed_in_version = 2
    world.task_a.save()
    with pytest.raises(EduplanError) as caught:
        report(world)
    assert caught.value.code == "E407"


def test_every_change_is_audited_with_who_and_what(world):
    saved = report(world, percent=35)
    entry = history(saved).get()
    assert entry.user == world.users["school_a"] and entry.action == "progress.report"
    assert entry.changes["percent"] == [None, 35]
    assignment_log = history(world.assignment(world.task_a)).get(action="task.assign")
    assert assignment_log.changes["lead_unit"] == [None, "青禾区实验小学"]


def test_reassigning_records_before_and_after(world):
    from eduplan.tracking.assigning import assign_task

    assign_task(world.task_a, user=world.users["admin"], lead_unit=world.unit("体卫艺科"))
    entry = history(world.assignment(world.task_a)).filter(action="task.assign").first()
    assert entry.changes["lead_unit"] == ["青禾区实验小学", "体卫艺科"]


def test_audit_entries_are_append_only(world):
    entry = AuditEntry.objects.first()
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
