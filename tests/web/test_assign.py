"""Assigning through the pages: one task on its page, many from the plan's table."""

from datetime import date

import pytest
from django.urls import reverse

from eduplan.tracking.models import Assignment


def assign_url(task):
    return reverse("task-assign", args=[task.pk])


def test_the_admin_assigns_a_task_with_partners_owner_and_dates(world, as_user):
    task = world.plan.tasks.get(title="办好特殊教育和专门教育")
    lead, partner = world.unit("基础教育科"), world.unit("体卫艺科")
    response = as_user("admin").post(assign_url(task), {
        "lead_unit": lead.pk, "partner_units": [partner.pk], "owner": world.users["jijiao"].pk,
        "start_date": "2025-03-01", "deadline": "2025-11-30"})
    assert response.status_code == 302
    assignment = task.assignments.get()
    assert (assignment.lead_unit, list(assignment.partner_units.all()), assignment.owner) == (
        lead, [partner], world.users["jijiao"])
    assert (assignment.start_date, assignment.deadline) == (date(2025, 3, 1), date(2025, 11, 30))
    page = as_user("admin").get(response["Location"]).content.decode()
    assert "已将任务分派给基础教育科" in page
    assert "牵头单位：基础教育科" in page  # the audit history, in Chinese field names


def test_default_dates_are_the_plans_year(world, as_user):
    task = world.plan.tasks.get(title="办好特殊教育和专门教育")
    as_user("admin").post(assign_url(task), {"lead_unit": world.unit("基础教育科").pk})
    assignment = task.assignments.get()
    assert (assignment.start_date, assignment.deadline) == (date(2025, 1, 1), date(2025, 12, 31))


# fmt: off
REFUSED = [
    # changes to a valid form, message the page shows
    ({"start_date": "2025-09-01", "deadline": "2025-03-01"}, "[E410]"),
    ({"owner": "school_b"},                                  "[E416]"),
]
# fmt: on


@pytest.mark.parametrize(("changes", "code"), REFUSED)
def test_a_refused_assignment_shows_the_reason_and_changes_nothing(world, as_user, changes, code):
    data = {"lead_unit": world.unit("青禾区实验小学").pk, "deadline": "2025-10-31", **changes}
    if "owner" in changes:
        data["owner"] = world.users[changes["owner"]].pk
    before = Assignment.objects.get(task=world.task_a).deadline
    response = as_user("admin").post(assign_url(world.task_a), data)
    assert response.status_code == 200
    assert code in response.content.decode()
    assert Assignment.objects.get(task=world.task_a).deadline == before


def test_a_manager_may_hand_work_only_within_his_unit(world, as_user):
    client = as_user("jijiao")
    page = client.get(reverse("task-detail", args=[world.task_dept.pk])).content.decode()
    assert "保存分派" in page
    assert f'<option value="{world.unit("体卫艺科").pk}">' not in page.split('name="lead_unit"')[1].split("</select>")[0]
    response = client.post(assign_url(world.task_dept), {"lead_unit": world.unit("体卫艺科").pk})
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert world.assignment(world.task_dept).lead_unit == world.unit("基础教育科")


@pytest.mark.parametrize(("persona", "task", "status"), [
    ("leader", "task_a", 403), ("jijiao_tb", "task_dept", 403), ("tiwei", "task_dept", 403),
    ("school_a", "task_a", 403), ("school_a", "task_b", 404),
])
def test_viewers_and_reporters_cannot_assign(world, as_user, persona, task, status):
    task = getattr(world, task)
    before = world.assignment(task).lead_unit
    response = as_user(persona).post(assign_url(task), {"lead_unit": world.unit("德育科").pk})
    assert response.status_code == status
    assert world.assignment(task).lead_unit == before


def test_bulk_assign_follows_the_routing_suggestions(world, as_user):
    client = as_user("admin")
    page = client.get(reverse("plan-assign", args=[world.plan.pk])).content.decode()
    assert "匹配关键词：" in page
    tasks = {t.title: t for t in world.plan.tasks.all()}
    chosen = [tasks["加强学校体育工作"], tasks["提升教师待遇和职业幸福感"], tasks["增强职业教育适应性"]]
    response = client.post(reverse("plan-assign", args=[world.plan.pk]),
                           {"tasks": [t.pk for t in chosen], "action": "suggested"})
    assert response.status_code == 302
    leads = {t.title: t.assignments.get().lead_unit.name for t in chosen}
    assert leads["加强学校体育工作"] == "体卫艺科"
    assert leads["增强职业教育适应性"] == "职成科"
    assert "已按建议分派 3 项任务" in client.get(response["Location"]).content.decode()


def test_bulk_assign_to_one_unit_with_a_deadline(world, as_user):
    client = as_user("admin")
    chosen = list(world.plan.tasks.order_by("order")[:3])
    response = client.post(reverse("plan-assign", args=[world.plan.pk]), {
        "tasks": [t.pk for t in chosen], "action": "unit", "lead_unit": world.unit("办公室").pk,
        "deadline": "2025-10-31"})
    assert response.status_code == 302
    for task in chosen:
        assignment = task.assignments.get()
        assert (assignment.lead_unit.name, assignment.deadline) == ("办公室", date(2025, 10, 31))
    assert "已将 3 项任务分派给办公室" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(("data", "message"), [
    ({"action": "suggested"}, "请先勾选要分派的任务"),
    ({"action": "unit", "tasks": "TASK"}, "请选择要分派给的科室或学校"),
])
def test_bulk_assign_without_tasks_or_unit_says_what_is_missing(world, as_user, data, message):
    data = {k: (world.task_a.pk if v == "TASK" else v) for k, v in data.items()}
    response = as_user("admin").post(reverse("plan-assign", args=[world.plan.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Assignment.objects.count() == 3


@pytest.mark.parametrize("persona", ["leader", "jijiao_tb"])
def test_bulk_assign_is_forbidden_to_viewers_and_reporters(world, as_user, persona):
    response = as_user(persona).post(reverse("plan-assign", args=[world.plan.pk]),
                                     {"tasks": [world.task_a.pk], "action": "suggested"})
    assert response.status_code == 403
    assert Assignment.objects.count() == 3


def test_splitting_a_task_by_measure_with_milestones(world, as_user):
    task = world.task_dept
    measure = task.measures.order_by("order")[1]
    response = as_user("admin").post(assign_url(task), {
        "lead_unit": world.unit("计划财务科").pk, "measure": measure.pk, "deadline": "2025-10-31",
        "milestones": "2025-04-30 完成选址\n2025/8/31：主体完工"})
    assert response.status_code == 302
    part = task.assignments.get(measure=measure)
    assert part.lead_unit.name == "计划财务科"
    assert [(str(m.due), m.title) for m in part.milestones.all()] == [("2025-04-30", "完成选址"), ("2025-08-31", "主体完工")]
    assert task.assignments.get(measure=None).lead_unit.name == "基础教育科"  # the rest stays with the lead
    page = as_user("admin").get(response["Location"]).content.decode()
    assert "时间节点已过未完成：2025-04-30 完成选址" in page  # the clock says 2025-06-30


@pytest.mark.parametrize(("milestones", "code"), [("下月底 完成选址", "E423"), ("2025-02-30 完成选址", "E423"),
                                                  ("2026-03-01 完成选址", "E422")])
def test_bad_milestones_are_refused(world, as_user, milestones, code):
    task = world.task_dept
    response = as_user("admin").post(assign_url(task), {"lead_unit": world.unit("基础教育科").pk,
                                                        "milestones": milestones})
    assert response.status_code == 200
    assert f"[{code}]" in response.content.decode()
    assert not task.assignments.get().milestones.exists()


@pytest.mark.parametrize(("persona", "status"), [("school_a", 302), ("admin", 302), ("leader", 403), ("school_b", 404)])
def test_who_may_tick_off_a_milestone(world, as_user, persona, status):
    from eduplan.tracking.models import Milestone

    assignment = world.assignment(world.task_a)
    milestone = Milestone.objects.create(assignment=assignment, title="校运会", due=date(2025, 5, 20))
    response = as_user(persona).post(reverse("milestone-mark", args=[milestone.pk]), {"done": "1"})
    assert response.status_code == status
    milestone.refresh_from_db()
    assert milestone.done is (status == 302)
