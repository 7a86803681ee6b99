"""Correcting the parser's reading through the pages: on the review page before saving, on the
plan page while a task has no progress reports; only the bureau admin may."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eduplan.audit.models import AuditEntry
from eduplan.tracking.models import Correction, PendingImport, Plan, Target, Task
from eduplan.tracking.progress import submit_report
from tests.tracking.test_corrections import FAULTY


def upload_faulty(client) -> PendingImport:
    client.post(reverse("plan-import"), {"file": SimpleUploadedFile("云岭区要点.txt", FAULTY.encode("utf-8"))})
    return PendingImport.objects.get()


def fix(client, url: str, kind: str, where: str | int, **said):
    at = FAULTY.index(where) if isinstance(where, str) else where
    return client.post(url, {"kind": kind, "at": at, **said})


def test_fixes_on_the_review_page_are_saved_with_the_plan(world, as_user):
    client = as_user("admin")
    pending = upload_faulty(client)
    url = reverse("plan-import-correct", args=[pending.pk])
    assert fix(client, url, "not_task", "一、以新时代").status_code == 302
    fix(client, url, "target_delete", "三个突破")
    fix(client, url, "target_edit", "五项机制", metric="教师管理机制", comparator=">=", value="5", unit="项")
    page = client.get(reverse("plan-import-review", args=[pending.pk])).content.decode()
    assert "已做的更正（3 处）" in page and "3 项任务" not in page and "4 项任务" in page
    assert Plan.objects.count() == 1  # nothing saved before the admin confirms

    client.post(reverse("plan-import-review", args=[pending.pk]), {"action": "confirm"})
    plan = Plan.objects.exclude(pk=world.plan.pk).get()
    assert list(plan.tasks.order_by("order").values_list("title", flat=True)) == [
        "推进学前教育普惠发展", "提升义务教育办学质量", "深化教育综合改革工作要点", "加强教师队伍建设"]
    assert sorted(Target.objects.filter(task__plan=plan).values_list("metric", flat=True)) == [
        "创建区级优质学校", "培训教师", "教师管理机制", "新增公办幼儿园学位"]
    assert Correction.objects.filter(plan=plan, pending=None, author=world.users["admin"]).count() == 3
    assert AuditEntry.objects.filter(action="plan.correct", user=world.users["admin"]).count() == 3
    detail = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert "识别更正记录（3 处）" in detail and "教师管理机制 ≥5项" in detail


def test_a_bad_fix_shows_its_error_and_records_nothing(world, as_user):
    client = as_user("admin")
    pending = upload_faulty(client)
    response = fix(client, reverse("plan-import-correct", args=[pending.pk]), "merge", "一、以新时代")
    page = client.get(response["Location"]).content.decode()
    assert "[E473]" in page
    assert not Correction.objects.exists()


def test_a_title_fix_on_the_plan_page_keeps_the_task_and_its_assignment(world, as_user):
    task = world.task_a
    response = as_user("admin").post(reverse("plan-correct", args=[world.plan.pk]),
                                     {"kind": "title", "at": task.start, "title": "全面加强学校体育工作"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "全面加强学校体育工作" and not task.is_removed
    assert task.assignments.get().lead_unit.name == "青禾区实验小学"
    assert world.plan.tasks.filter(removed_in_version__isnull=True).count() == 28


def test_a_task_with_progress_reports_cannot_be_corrected(world, as_user):
    task = world.task_a
    submit_report(world.assignment(task), user=world.users["school_a"], period="2025-05", percent=30,
                  state="in_progress", narrative="已开齐体育课")
    client = as_user("admin")
    response = client.post(reverse("plan-correct", args=[world.plan.pk]),
                           {"kind": "title", "at": task.start, "title": "改过的标题"})
    assert "[E471]" in client.get(response["Location"]).content.decode()
    assert Task.objects.get(pk=task.pk).title == task.title
    assert not Correction.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "jijiao", "jijiao_tb", "school_a"])
def test_only_the_bureau_admin_may_correct(world, as_user, persona):
    client = as_user(persona)
    response = client.post(reverse("plan-correct", args=[world.plan.pk]),
                           {"kind": "title", "at": world.task_a.start, "title": "改过的标题"})
    assert response.status_code in (403, 404)
    assert not Correction.objects.exists()
    assert Task.objects.get(pk=world.task_a.pk).title == world.task_a.title
    if response.status_code == 200 or persona == "school_a":
        page = client.get(reverse("plan-detail", args=[world.plan.pk])).content.decode()
        assert "更正识别结果" not in page


def test_the_review_page_of_another_uploader_cannot_be_corrected(world, as_user, client):
    pending = upload_faulty(as_user("admin"))
    client.force_login(world.users["leader"])
    response = fix(client, reverse("plan-import-correct", args=[pending.pk]), "not_task", "一、以新时代")
    assert response.status_code == 403
    assert not Correction.objects.exists()


def test_correcting_needs_a_post_with_a_csrf_token(world, client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.users["admin"])
    response = strict.post(reverse("plan-correct", args=[world.plan.pk]),
                           {"kind": "title", "at": world.task_a.start, "title": "改过的标题"})
    assert response.status_code == 403
    client.force_login(world.users["admin"])
    assert client.get(reverse("plan-correct", args=[world.plan.pk])).status_code == 405


def test_the_review_of_a_revision_applies_the_plan_fixes_and_lists_those_dropped(world, as_user):
    from eduplan.plan import parse_text
    from eduplan.tracking.corrections import correct_plan
    from eduplan.tracking.importing import import_parsed
    from tests.tracking.test_corrections_kept import REVISED

    admin = world.users["admin"]
    plan = import_parsed(parse_text(FAULTY, source="云岭区要点.txt"), bureau=world.bureau, user=admin).plans[0]
    correct_plan(plan, user=admin, kind="not_task", at=FAULTY.index("一、以新时代"), said={})
    correct_plan(plan, user=admin, kind="title", at=FAULTY.index("四、深化"), said={"title": "深化教育评价改革"})
    client = as_user("admin")
    client.post(reverse("plan-import"), {"file": SimpleUploadedFile("云岭区要点（修订）.txt", REVISED.encode("utf-8")),
                                         "replaces": plan.pk})
    pending = PendingImport.objects.get()
    page = client.get(reverse("plan-import-review", args=[pending.pk])).content.decode()
    applied = page[page.index("已做的更正（1 处）"):page.index("未能沿用的更正")]
    assert "不是任务" in applied and "以新时代" in applied
    dropped = page[page.index("未能沿用的更正（1 处）"):]
    assert "四、深化教育综合改革工作要点" in dropped[:dropped.index("</table>")]
    client.post(reverse("plan-import-review", args=[pending.pk]), {"action": "confirm"})
    assert Correction.objects.get(kind="title").dropped_in_version == 2
    assert not plan.tasks.filter(title__startswith="以新时代", removed_in_version__isnull=True).exists()


def test_the_plan_facts_are_corrected_on_the_plan_page(world, as_user):
    plan = world.plan
    response = as_user("admin").post(reverse("plan-correct", args=[plan.pk]), {
        "kind": "plan", "title": plan.title, "region": "澜江市青禾区（含开发区）", "period_start": "2025",
        "period_end": "2025", "plan_kind": "annual"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.region == "澜江市青禾区（含开发区）" and plan.version == 1
    assert plan.tasks.filter(removed_in_version__isnull=True).count() == 28
    assert Correction.objects.get().person_said == {"region": "澜江市青禾区（含开发区）"}
