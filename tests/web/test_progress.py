"""Reporting progress through the form: what is kept, what is refused, who may download evidence."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from eduplan.indicators.models import DataValue
from eduplan.tracking.models import Evidence, ProgressReport

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


def report_url(world, task):
    return reverse("report-progress", args=[world.assignment(task).pk])


def form(**changes):
    data = {"period": "2025-06", "state": "in_progress", "percent": "60", "narrative": "已开齐体育课程。"}
    data.update(changes)
    return data


def test_a_report_is_saved_and_shown_on_the_task(world, as_user):
    client = as_user("school_a")
    response = client.post(report_url(world, world.task_a), form(narrative="大课间活动全面推开。"))
    assert response.status_code == 302
    assert response["Location"] == reverse("task-detail", args=[world.task_a.pk])
    report = ProgressReport.objects.get()
    assert (report.period, report.percent, report.created_by) == ("2025-06", 60, world.users["school_a"])
    page = client.get(response["Location"]).content.decode()
    assert "已提交“加强学校体育工作”的进展（2025-06）" in page
    assert "大课间活动全面推开。" in page


def test_a_target_actual_is_stored_with_the_report(world, as_user):
    target = world.task_a.targets.get(metric__endswith="合格率")
    as_user("school_a").post(report_url(world, world.task_a), form(**{f"target_{target.pk}": "97.5"}))
    actual = DataValue.objects.get(source="report")
    assert (actual.element.target, actual.value, actual.period, actual.unit) == (target, 97.5, "2025-06", world.bureau)
    page = as_user("admin").get(reverse("task-detail", args=[world.task_a.pk])).content.decode()
    assert "97.5%" in page  # the latest actual in the targets table


# fmt: off
BAD_INPUT = [
    # field changes, the message the form shows
    ({"percent": "150"},      "[E408]"),
    ({"percent": "很多"},      "[E408]"),
    ({"period": "2025/6"},    "[E409]"),
    ({"narrative": "   "},    "[E415]"),
]
# fmt: on


@pytest.mark.parametrize(("changes", "code"), BAD_INPUT)
def test_bad_input_is_refused_and_everything_typed_is_kept(world, as_user, changes, code):
    typed = form(narrative="本期完成了<体育>教师培训", **{k: v for k, v in changes.items() if k != "narrative"})
    typed.update(changes)
    response = as_user("school_a").post(report_url(world, world.task_a), typed)
    assert response.status_code == 200
    page = response.content.decode()
    assert code in page
    for field in ("period", "percent"):
        assert f'value="{typed[field]}"' in page
    if typed["narrative"].strip():
        assert "本期完成了&lt;体育&gt;教师培训</textarea>" in page
    assert not ProgressReport.objects.exists()


def test_a_bad_target_actual_is_shown_next_to_its_target(world, as_user):
    target = world.task_a.targets.get(metric__endswith="合格率")
    response = as_user("school_a").post(report_url(world, world.task_a), form(**{f"target_{target.pk}": "九十"}))
    page = response.content.decode()
    assert "[E412]" in page and 'value="九十"' in page
    assert not ProgressReport.objects.exists()


def test_evidence_is_stored_and_downloadable_by_those_who_see_the_task(world, as_user):
    upload = SimpleUploadedFile("体育课表.pdf", PDF, content_type="application/pdf")
    response = as_user("school_a").post(report_url(world, world.task_a), form(files=[upload]))
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == "体育课表.pdf" and evidence.size == len(PDF)
    url = reverse("evidence-download", args=[evidence.pk])
    page = as_user("school_a").get(reverse("task-detail", args=[world.task_a.pk])).content.decode()
    assert url in page and f"{len(PDF)} 字节" in page
    for persona in ("school_a", "admin", "leader"):
        download = as_user(persona).get(url)
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF
        assert download["Content-Disposition"].startswith("attachment;")
    assert as_user("school_b").get(url).status_code == 404


def test_several_evidence_files_go_up_in_one_report(world, as_user):
    files = [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.txt", "说明".encode())]
    as_user("school_a").post(report_url(world, world.task_a), form(files=files))
    assert sorted(Evidence.objects.values_list("original_name", flat=True)) == ["a.pdf", "b.txt"]


@pytest.mark.parametrize(("name", "content", "code"), [
    ("setup.exe", b"MZ\x90\x00", "[E402]"),
    ("photo.pdf", b"MZ\x90\x00", "[E403]"),  # an executable renamed to .pdf
])
def test_an_unsafe_evidence_file_is_refused(world, as_user, name, content, code):
    response = as_user("school_a").post(report_url(world, world.task_a),
                                        form(narrative="附件见后", files=[SimpleUploadedFile(name, content)]))
    page = response.content.decode()
    assert response.status_code == 200
    assert code in page and name in page
    assert "附件见后</textarea>" in page
    assert "请重新选择佐证材料" in page
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()


def test_a_done_report_closes_the_assignment_and_the_form_says_so(world, as_user):
    client = as_user("school_a")
    client.post(report_url(world, world.task_a), form(state="done", percent="80"))
    assert ProgressReport.objects.get().percent == 100  # "已完成" counts as 100%
    page = client.get(report_url(world, world.task_a)).content.decode()
    assert "这项任务已办结" in page
    response = client.post(report_url(world, world.task_a), form())
    assert "[E406]" in response.content.decode()
    assert ProgressReport.objects.count() == 1


def test_a_closed_assignment_can_be_reopened_by_the_admin_only(world, as_user):
    as_user("school_a").post(report_url(world, world.task_a), form(state="done"))
    assignment = world.assignment(world.task_a)
    url = reverse("assignment-reopen", args=[assignment.pk])
    assert as_user("leader").post(url).status_code == 403
    assert as_user("school_a").post(url).status_code == 403
    client = as_user("admin")
    assert "重新打开" in client.get(reverse("task-detail", args=[world.task_a.pk])).content.decode()
    assert client.post(url).status_code == 302
    assignment.refresh_from_db()
    assert assignment.closed_at is None
    assert as_user("school_a").post(report_url(world, world.task_a), form()).status_code == 302


@pytest.mark.parametrize(("persona", "task", "status"), [
    ("leader", "task_a", 403), ("school_b", "task_a", 404), ("school_a", "task_dept", 404),
])
def test_others_cannot_post_a_report(world, as_user, persona, task, status):
    response = as_user(persona).post(report_url(world, getattr(world, task)), form())
    assert response.status_code == status
    assert not ProgressReport.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["school_a"])
    assert client.get(report_url(world, world.task_a)).status_code == 200
    assert client.post(report_url(world, world.task_a), form()).status_code == 403
    assert not ProgressReport.objects.exists()


def test_a_post_with_the_csrf_token_is_accepted(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["school_a"])
    client.get(report_url(world, world.task_a))
    token = client.cookies["csrftoken"].value
    assert client.post(report_url(world, world.task_a), form(csrfmiddlewaretoken=token)).status_code == 302
