"""The dashboard's JSON carries the same figures as the page, for the user's scope."""

import pytest
from django.urls import reverse

from eduplan.tracking.progress import submit_report


def figures(client, query=""):
    response = client.get(reverse("dashboard") + "?format=json" + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


@pytest.mark.parametrize(("persona", "total"), [("admin", 28), ("leader", 28), ("school_a", 1), ("tiwei", 1)])
def test_the_dashboard_counts_the_tasks_in_the_users_scope(world, as_user, persona, total):
    data = figures(as_user(persona))
    assert data["total"] == total
    assert sum(data["by_status"].values()) == total
    assert sum(data["by_light"].values()) == total
    assert data["today"] == "2025-06-30"


def test_a_done_report_counts_as_done_and_leaves_the_warnings(world, as_user):
    client = as_user("admin")
    before = figures(client)
    assert world.task_a.pk in [w["id"] for w in before["warnings"]]
    school_a = as_user("school_a")
    response = school_a.post(reverse("report-progress", args=[world.assignment(world.task_a).pk]), {
        "period": "2025-06", "state": "done", "percent": "100", "narrative": "体育课程全部开齐开足。"})
    assert response.status_code == 302
    after = figures(as_user("admin"))
    assert after["by_status"]["done"] == before["by_status"]["done"] + 1
    assert world.task_a.pk not in [w["id"] for w in after["warnings"]]
    by_department = {g["name"]: g for g in after["by_department"]}
    assert by_department["青禾区实验小学"]["done"] == 1


def test_the_page_shows_the_same_figures_as_the_json(world, as_user):
    client = as_user("admin")
    data = figures(client)
    page = client.get(reverse("dashboard")).content.decode()
    assert f"<b>{data['total']}</b><span>任务总数</span>" in page
    assert f"<b>{data['by_status']['not_started']}</b><span>未启动</span>" in page
    assert f"<b>{data['by_light']['red']}</b><span>红灯预警</span>" in page
    for group in data["by_department"]:
        assert group["name"] in page


def test_the_plan_filter_narrows_the_figures_to_one_plan(world, as_user):
    data = figures(as_user("admin"), f"&plan={world.plan.pk}")
    assert data["total"] == 28


def test_an_overdue_task_is_listed_as_overdue(world, as_user):
    assignment = world.assignment(world.task_b)
    assignment.deadline = assignment.start_date.replace(month=5, day=31)
    assignment.save(update_fields=["deadline"])
    submit_report(assignment, user=world.users["school_b"], period="2025-05", percent=40, state="in_progress",
                  narrative="进行中")
    data = figures(as_user("leader"))
    assert [o["id"] for o in data["overdue"]] == [world.task_b.pk]
    assert data["by_status"]["overdue"] == 1
    page = as_user("leader").get(reverse("dashboard")).content.decode()
    assert "已超过完成时限 2025-05-31 30 天" in page


def test_the_dashboard_lists_the_warnings_and_overdue_tasks_as_summarize_orders_them(world):
    """``dashboard_for`` picks its lists from slim rows: same tasks, same order, same values as ``summarize``
    over the full states, on dates before, inside and after the assignments' year."""
    from datetime import date

    from eduplan.dashboard.summary import dashboard_for, summarize
    from eduplan.tracking.assigning import assign_task
    from eduplan.tracking.warnings import task_states

    admin = world.users["admin"]
    school = world.unit("青禾区实验小学")
    tasks = list(world.plan.tasks.filter(removed_in_version__isnull=True).order_by("order"))
    # deadlines spread over the year and progress from none to done: every light and status
    for i, (task, percent) in enumerate(zip(tasks[12:24], (0, 10, 35, 50, 60, 80, 95, 100, 20, 5, 70, 40), strict=True)):
        assignment = assign_task(task, user=admin, lead_unit=school, start_date=date(2025, 1, 1),
                                 deadline=date(2025, 1 + i % 12, 28), today=date(2025, 1, 1))
        if percent:
            submit_report(assignment, user=world.users["school_a"], period="2025-03", percent=percent,
                          state="done" if percent == 100 else "in_progress", narrative="进展")
    visible = world.plan.tasks.filter(removed_in_version__isnull=True)
    for today in (date(2025, 2, 1), date(2025, 6, 30), date(2025, 9, 30), date(2026, 1, 15)):
        fast = dashboard_for(visible, today)
        full = summarize(task_states(list(visible.order_by("plan_id", "order", "pk")), today), today)
        # the same tasks in the same order, read from the stored rows as ``ListedTask.of`` makes them
        assert fast.warnings == full.warnings, today
        assert fast.overdue == full.overdue, today
        assert (fast.by_status, fast.by_light) == (full.by_status, full.by_light), today
        assert len(fast.warnings) > 3 and fast.overdue or today < date(2025, 6, 1), today


@pytest.mark.parametrize("persona", ["admin", "school_a", "tiwei"])
def test_a_plan_the_user_may_not_see_is_refused_every_time(world, as_user, persona):
    """Which plan a dashboard shows is kept in the cache; a refusal is not."""
    from eduplan.tracking.models import Plan
    from eduplan.tracking.setup import setup_bureau

    other = Plan.objects.create(bureau=setup_bureau("澜江市白沙区教育局"), title="白沙区2025年教育工作要点",
                                kind="annual", period_start=2025, period_end=2025, source_name="b.txt", source_text="")
    client = as_user(persona)
    for _ in range(2):
        assert client.get(reverse("dashboard") + f"?plan={other.pk}").status_code == 404
        assert client.get(reverse("dashboard") + f"?format=json&plan={other.pk}").status_code == 404
    assert client.get(reverse("dashboard")).status_code == 200
