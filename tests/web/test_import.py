"""Importing a plan through the pages: upload, review, confirm; revisions keep people's work."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eduplan.orgs.models import Membership
from eduplan.orgs.services import create_user
from eduplan.tracking.models import PendingImport, Plan, ProgressReport, Task
from eduplan.tracking.progress import submit_report
from tests.conftest import EXAMPLE_PLAN


def upload(client, name, content, **data):
    return client.post(reverse("plan-import"), {"file": SimpleUploadedFile(name, content), **data})


def test_upload_review_and_confirm_creates_the_plan(world, as_user):
    client = as_user("admin")
    response = upload(client, EXAMPLE_PLAN.name, EXAMPLE_PLAN.read_bytes())
    pending = PendingImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plan-import-review", args=[pending.pk])
    assert Plan.objects.count() == 1  # nothing is imported before the admin confirms

    page = client.get(response["Location"]).content.decode()
    for text in ("澜江市青禾区2025年教育工作要点", "澜江市青禾区", "年度工作要点", "一、坚持党建引领，筑牢教育发展根基",
                 "加强学校体育工作", "全区中小学生国家学生体质健康标准测试合格率达到96%以上", "28 项任务", "确认导入"):
        assert text in page

    response = client.post(reverse("plan-import-review", args=[pending.pk]), {"action": "confirm"})
    plan = Plan.objects.exclude(pk=world.plan.pk).get()
    assert response["Location"] == reverse("plan-detail", args=[plan.pk])
    assert plan.tasks.count() == 28 and plan.source_name == EXAMPLE_PLAN.name
    assert plan.source_file.read() == EXAMPLE_PLAN.read_bytes()
    assert not PendingImport.objects.exists()
    assert "已导入《澜江市青禾区2025年教育工作要点》，共 28 项任务" in client.get(response["Location"]).content.decode()


def test_cancel_deletes_the_upload_and_imports_nothing(world, as_user):
    client = as_user("admin")
    upload(client, EXAMPLE_PLAN.name, EXAMPLE_PLAN.read_bytes())
    pending = PendingImport.objects.get()
    stored = Path(pending.file.path)
    response = client.post(reverse("plan-import-review", args=[pending.pk]), {"action": "cancel"})
    assert response.status_code == 302
    assert not PendingImport.objects.exists() and not stored.exists()
    assert Plan.objects.count() == 1


def test_a_pending_import_is_visible_only_to_its_uploader(world, as_user, client):
    upload(as_user("admin"), EXAMPLE_PLAN.name, EXAMPLE_PLAN.read_bytes())
    pending = PendingImport.objects.get()
    other = create_user("admin2", "Qinghe-test-2025", role=Membership.Role.ADMIN, unit=world.bureau)
    client.force_login(other)
    url = reverse("plan-import-review", args=[pending.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "confirm"}).status_code == 404
    assert Plan.objects.count() == 1 and PendingImport.objects.exists()


def revised_text() -> str:
    """The example plan with task 17 dropped and task 7 (world.task_a) reworded."""
    lines = EXAMPLE_PLAN.read_text(encoding="utf-8").split("\n")
    lines = [line for line in lines if not line.startswith("17.完善终身学习服务体系")]
    text = "\n".join(lines)
    assert "7.加强学校体育工作。" in text
    return text.replace("7.加强学校体育工作。", "7.全面加强学校体育工作。")


def test_a_revision_shows_the_changes_and_keeps_assignments_and_reports(world, as_user, tmp_path):
    assignment = world.assignment(world.task_a)
    submit_report(assignment, user=world.users["school_a"], period="2025-05", percent=40, state="in_progress",
                  narrative="体育课开齐开足")
    revised = tmp_path / "qinghe_2025_annual_revised.txt"
    revised.write_text(revised_text(), encoding="utf-8")
    client = as_user("admin")
    upload(client, revised.name, revised.read_bytes(), replaces=world.plan.pk)
    pending = PendingImport.objects.get()
    assert pending.replaces == world.plan

    page = client.get(reverse("plan-import-review", args=[pending.pk])).content.decode()
    assert "修订版" in page and "与现行版本相比的变化" in page
    assert '<span class="badge change-removed">删除</span>' in page and "完善终身学习服务体系" in page
    assert '<span class="badge change-changed">修改</span>' in page and "任务标题有修改" in page
    assert "原标题：加强学校体育工作" in page

    response = client.post(reverse("plan-import-review", args=[pending.pk]), {"action": "confirm"})
    assert response["Location"] == reverse("plan-detail", args=[world.plan.pk])
    message = client.get(response["Location"]).content.decode()
    assert "第 2 版：新增 0 项、删除 1 项、修改 1 项任务" in message
    world.plan.refresh_from_db()
    assert world.plan.version == 2 and Plan.objects.count() == 1
    task_a = Task.objects.get(pk=world.task_a.pk)
    assert task_a.title == "全面加强学校体育工作" and not task_a.is_removed
    assert task_a.assignments.get() == assignment
    assert ProgressReport.objects.get().assignment == assignment
    assert Task.objects.get(plan=world.plan, title="完善终身学习服务体系").is_removed
    detail = as_user("school_a").get(reverse("task-detail", args=[task_a.pk])).content.decode()
    assert "全面加强学校体育工作" in detail and "体育课开齐开足" in detail


# fmt: off
BAD_UPLOADS = [
    # file name, content, message code
    ("empty.txt",   b"",                          "[E102]"),
    ("plan.exe",    b"MZ\x90\x00",                "[E103]"),
    ("plan",        "一、总体要求".encode(),       "[E103]"),
    ("notes.txt",   "今天天气很好。".encode(),      "[E404]"),  # read, but no tasks in it
    ("broken.docx", b"PK\x03\x04 not a zip",      "[E108]"),
]
# fmt: on


@pytest.mark.parametrize(("name", "content", "code"), BAD_UPLOADS)
def test_a_bad_upload_shows_its_error_and_changes_nothing(world, as_user, name, content, code):
    response = upload(as_user("admin"), name, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert code in page
    assert "/pending/" not in page  # the message names the uploaded file, not the server's copy
    assert Plan.objects.count() == 1 and not PendingImport.objects.exists()


def test_an_oversized_upload_is_refused(world, as_user, settings):
    settings.EDUPLAN_MAX_UPLOAD_BYTES = 10
    response = upload(as_user("admin"), EXAMPLE_PLAN.name, EXAMPLE_PLAN.read_bytes())
    assert "[E401]" in response.content.decode()
    assert Plan.objects.count() == 1 and not PendingImport.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "jijiao", "school_a"])
def test_only_the_admin_may_upload(world, as_user, persona):
    response = upload(as_user(persona), EXAMPLE_PLAN.name, EXAMPLE_PLAN.read_bytes())
    assert response.status_code == 403
    assert not PendingImport.objects.exists()


def test_the_review_lists_the_doubtful_headings_and_targets_first(world, as_user):
    """A heading found inside a line and a count in Chinese numerals are less sure: the review
    page lists them, least sure first, before the outline."""
    text = ("青禾区2026年教育工作要点\n一、强化保障1.完善经费投入。新增学位2000个。\n2.建设队伍。遴选十个名师工作室。\n"
            "二、深化改革\n3.推进评价改革。建成智慧校园12所。\n")
    client = as_user("admin")
    upload(client, "plan.txt", text.encode("utf-8"))
    pending = PendingImport.objects.get()
    page = client.get(reverse("plan-import-review", args=[pending.pk])).content.decode()
    doubtful = page[page.index("请先核对"):page.index("<h3>一、")]
    assert "完善经费投入" in doubtful and "十个名师工作室" in doubtful
    assert "建成智慧校园12所" not in doubtful and "新增学位2000个" not in doubtful
