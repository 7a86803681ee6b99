"""The upload pages: who may import, the problems page, review, confirm and cancel."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eduplan.audit.models import AuditEntry
from eduplan.reports.breakdown import export as bx
from eduplan.reports.breakdown.views import PENDING_DIR

from .conftest import assignment_state

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, world, path: Path, name: str = "分解表.xlsx"):
    url = reverse("breakdown-import", args=[world.plan.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, path.read_bytes(), content_type=XLSX)})


def pending_files(settings) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / PENDING_DIR
    return sorted(folder.glob("*.xlsx")) if folder.is_dir() else []


def test_the_plan_page_offers_download_to_all_and_import_to_the_office(world, as_user):
    url = reverse("plan-detail", args=[world.plan.pk])
    page = as_user("admin").get(url).content.decode()
    assert reverse("breakdown-export", args=[world.plan.pk]) in page
    assert reverse("breakdown-import", args=[world.plan.pk]) in page
    page = as_user("school_a").get(url).content.decode()
    assert reverse("breakdown-export", args=[world.plan.pk]) in page
    assert reverse("breakdown-import", args=[world.plan.pk]) not in page


@pytest.mark.parametrize("persona", ["school_a", "leader", "jijiao", "tiwei"])
def test_only_the_bureau_office_may_import(world, as_user, persona, exported):
    client = as_user(persona)
    assert client.get(reverse("breakdown-import", args=[world.plan.pk])).status_code == 403
    assert upload(client, world, exported).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, world):
    for url in (reverse("breakdown-export", args=[world.plan.pk]), reverse("breakdown-import", args=[world.plan.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_upload_form(world, as_user):
    response = as_user("admin").get(reverse("breakdown-import", args=[world.plan.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "上传并检查" in page and "下载任务分解表" in page and 'accept=".xlsx"' in page


def test_a_file_with_problems_shows_them_all_and_saves_nothing(world, as_user, edit, settings):
    edit[f"T{world.task_b.pk}", bx.LEAD] = "不存在的科"
    edit[f"T{world.task_dept.pk}", bx.DEADLINE] = "下个月"
    edit[f"T{world.task_a.pk}", bx.LEAD] = "青禾区滨江小学"
    rows = edit.rows
    before, audits = assignment_state(world.plan), AuditEntry.objects.count()
    response = upload(as_user("admin"), world, edit.save())
    assert response.status_code == 200
    page = response.content.decode()
    assert "2</strong> 处问题" in page and "没有保存任何改动" in page
    for header in ("工作表", "行", "列", "问题"):
        assert "<th" in page and header in page
    assert f'<td class="num">{rows[f"T{world.task_b.pk}"]}</td>' in page
    assert "E（牵头单位）" in page and "H（完成时限）" in page
    assert "[E605] 未知的单位“不存在的科”" in page and "[E613]" in page
    assert assignment_state(world.plan) == before and AuditEntry.objects.count() == audits
    assert pending_files(settings) == []


def test_a_clean_file_is_reviewed_then_confirmed(world, as_user, edit, settings):
    client = as_user("admin")
    edit[f"T{world.task_a.pk}", bx.LEAD] = "青禾区滨江小学"
    edit[f"T{world.task_b.pk}", bx.DEADLINE] = "2025-10-31"
    edit.ws.cell(edit.ws.max_row + 1, bx.TITLE).value = "开展校园安全隐患“回头看”"
    before, audits = assignment_state(world.plan), AuditEntry.objects.count()
    response = upload(client, world, edit.save(), name="青禾 分解表.xlsx")
    assert response.status_code == 302
    review = response["Location"]
    [stored] = pending_files(settings)
    assert stored.name.endswith(f"-u{world.users['admin'].pk}.xlsx")
    assert assignment_state(world.plan) == before  # nothing yet

    page = client.get(review).content.decode()
    assert "青禾 分解表.xlsx" in page
    assert "牵头单位：青禾区实验小学 → 青禾区滨江小学" in page
    assert "完成时限：2025-12-31 → 2025-10-31" in page
    assert "新增任务" in page and "开展校园安全隐患“回头看”" in page
    assert "确认导入" in page

    response = client.post(review, {"action": "confirm", "name": "青禾 分解表.xlsx"})
    assert response.status_code == 302 and response["Location"] == reverse("plan-detail", args=[world.plan.pk])
    assert world.assignment(world.task_a).lead_unit.name == "青禾区滨江小学"
    assert world.assignment(world.task_b).deadline == date(2025, 10, 31)
    assert world.plan.tasks.filter(title="开展校园安全隐患“回头看”").exists()
    assert AuditEntry.objects.count() - audits == 3
    assert pending_files(settings) == []
    message = client.get(response["Location"]).content.decode()
    assert "修改分派 2 项，新增任务 1 项" in message
    assert client.post(review, {"action": "confirm"}).status_code == 404  # done: the file is gone


def test_cancel_deletes_the_upload_and_changes_nothing(world, as_user, edit, settings):
    client = as_user("admin")
    edit[f"T{world.task_a.pk}", bx.LEAD] = "青禾区滨江小学"
    review = upload(client, world, edit.save())["Location"]
    before = assignment_state(world.plan)
    response = client.post(review, {"action": "cancel"})
    assert response.status_code == 302
    assert assignment_state(world.plan) == before and pending_files(settings) == []


def test_another_user_cannot_reach_someone_elses_upload(world, as_user, edit):
    from eduplan.orgs.models import Membership
    from eduplan.orgs.services import create_user

    edit[f"T{world.task_a.pk}", bx.LEAD] = "青禾区滨江小学"
    review = upload(as_user("admin"), world, edit.save())["Location"]
    world.users["admin2"] = create_user("admin2", "Qinghe-test-2025", role=Membership.Role.ADMIN, unit=world.bureau)
    other = as_user("admin2")  # the same client, now signed in as another administrator
    assert other.get(review).status_code == 404
    assert other.post(review, {"action": "confirm"}).status_code == 404


def test_an_unchanged_file_says_so_and_keeps_nothing(world, as_user, exported, settings):
    response = upload(as_user("admin"), world, exported)
    assert response.status_code == 302 and response["Location"] == reverse("plan-detail", args=[world.plan.pk])
    assert pending_files(settings) == []
    assert "没有需要保存的改动" in as_user("admin").get(response["Location"]).content.decode()


def test_if_the_database_changed_before_confirming_the_file_is_checked_again(world, as_user, edit, settings):
    client = as_user("admin")
    edit[f"T{world.task_a.pk}", bx.LEAD] = "青禾区滨江小学"
    review = upload(client, world, edit.save())["Location"]
    world.task_a.removed_in_version = 2  # a revision removed the task meanwhile
    world.task_a.save()
    response = client.post(review, {"action": "confirm"})
    assert response.status_code == 200 and "[E619]" in response.content.decode()
    assert world.assignment(world.task_a).lead_unit.name == "青禾区实验小学"
    assert pending_files(settings) == []


@pytest.mark.parametrize(("name", "content", "error"), [
    ("表.xls", b"\xd0\xcf\x11\xe0 old excel", "E602"),
    ("表.xlsx", b"", "E102"),
    ("表.xlsx", b"<html>not a zip</html>", "E403"),
    ("表.csv", b"a,b", "E602"),
])
def test_files_that_are_not_xlsx_are_refused_at_the_form(world, as_user, name, content, error, settings):
    client = as_user("admin")
    response = client.post(reverse("breakdown-import", args=[world.plan.pk]),
                           {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200 and f"[{error}]" in response.content.decode()
    assert pending_files(settings) == []


def test_an_upload_over_the_size_limit_is_refused(world, as_user, exported, settings):
    settings.EDUPLAN_MAX_UPLOAD_BYTES = 1000
    response = upload(as_user("admin"), world, exported)
    assert "[E401]" in response.content.decode()


@pytest.mark.parametrize(("persona", "lists_people"), [("admin", True), ("school_a", False), ("leader", False)])
def test_only_those_who_assign_get_the_list_of_people(world, as_user, persona, lists_people):
    from io import BytesIO

    from openpyxl import load_workbook

    response = as_user(persona).get(reverse("breakdown-export", args=[world.plan.pk]))
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    cells = {str(c.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row if c.value}
    assert any("school_b" in value for value in cells) is lists_people
