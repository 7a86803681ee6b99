"""Cached lists and figures: never shared across scopes, never older than the last change."""

from django.urls import reverse

from eduplan.tracking.assigning import assign_task
from eduplan.tracking.progress import submit_report


def test_the_task_list_follows_a_new_assignment(world, as_user):
    extra = world.plan.tasks.get(title="办好特殊教育和专门教育")
    assert extra.title not in as_user("school_a").get(reverse("task-list")).content.decode()
    assign_task(extra, user=world.users["admin"], lead_unit=world.unit("青禾区实验小学"))
    assert extra.title in as_user("school_a").get(reverse("task-list")).content.decode()


def test_cached_pages_are_per_scope(world, as_user):
    for page in (reverse("task-list"), reverse("dashboard")):
        as_user("admin").get(page)  # fills the cache for the admin's scope
        seen_by_b = as_user("school_b").get(page).content.decode()
        assert world.task_a.title not in seen_by_b


def test_cached_parts_carry_no_csrf_token_of_another_user(world, as_user):
    first = as_user("admin").get(reverse("task-list")).content.decode()
    second = as_user("leader").get(reverse("task-list")).content.decode()
    assert first.count("csrfmiddlewaretoken") == second.count("csrfmiddlewaretoken") == 1  # the logout form only


def test_the_dashboard_follows_a_report(world, as_user):
    client = as_user("admin")
    before = client.get(reverse("dashboard"), {"format": "json"}).json()["by_status"]["done"]
    submit_report(world.assignment(world.task_a), user=world.users["school_a"], period="2025-06", percent=100,
                  state="done", narrative="已完成")
    assert client.get(reverse("dashboard"), {"format": "json"}).json()["by_status"]["done"] == before + 1


def test_a_change_moves_only_its_own_bureaus_counter(world):
    """A report in one district must not invalidate another district's cached pages."""
    from eduplan.audit.log import data_version
    from eduplan.orgs.services import add_unit, create_bureau

    other = create_bureau("河西区教育局")
    here, there = (world.bureau.pk,), (other.pk,)
    before_here, before_there = data_version(here), data_version(there)
    submit_report(world.assignment(world.task_a), user=world.users["school_a"], period="2025-06", percent=50,
                  state="in_progress", narrative="推进中")
    after_report = data_version(here)
    assert after_report != before_here
    assert data_version(there) == before_there
    add_unit("河西区第一小学", parent=other, kind="school", school_level="primary")
    assert data_version(here) == after_report
    assert data_version(there) != before_there
    every = dict(data_version(None))  # all bureaus: every counter, each as the bureau's own reads it
    assert every[world.bureau.pk] == dict(data_version(here))[world.bureau.pk]
    assert every[other.pk] == dict(data_version(there))[other.pk]
