"""Cached lists and figures: never shared across scopes, never older than the last change."""

import pytest
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


def _report(world, percent: int = 50) -> None:
    submit_report(world.assignment(world.task_a), user=world.users["school_a"], period="2025-06", percent=percent,
                  state="in_progress", narrative="推进中")


def _assign(world) -> None:
    assign_task(world.plan.tasks.get(title="办好特殊教育和专门教育"), user=world.users["admin"],
                lead_unit=world.unit("青禾区实验小学"))


def _add_school(world) -> None:
    from eduplan.orgs.services import add_unit

    add_unit("青禾区第九小学", parent=world.bureau, kind="school", school_level="primary")


def _mark_milestone(world) -> None:
    from eduplan.tracking.assigning import mark_milestone
    from eduplan.tracking.models import Milestone

    milestone = Milestone.objects.get(assignment=world.assignment(world.task_b), title="方案印发")
    mark_milestone(milestone, user=world.users["school_b"], done=True)


def _report_a_figure(world) -> None:
    from eduplan.tracking.progress import ActualInput

    target = world.task_a.targets.filter(indicator__isnull=True).first()
    submit_report(world.assignment(world.task_a), user=world.users["school_a"], period="2025-06", percent=40,
                  state="in_progress", narrative="推进中", actuals=[ActualInput(target, "96")])


# a change, and whether it moves the bureau's structure counter (its data counter always moves);
# figures move it too: the indicator pages are kept under it (``caching.cached_structure``)
STRUCTURE_CASES = [
    (_report, False),
    (_report_a_figure, True),
    (_assign, True),
    (_add_school, True),
    (_mark_milestone, False),
]


def test_a_report_leaves_the_structure_counter_and_a_structural_change_moves_it(world):
    from datetime import date

    from eduplan.audit.log import data_version, structure_version

    assign_task(world.task_b, user=world.users["admin"], lead_unit=world.unit("青禾区滨江小学"),
                milestones=[(date(2025, 5, 31), "方案印发")])
    here = (world.bureau.pk,)
    for change, structural in STRUCTURE_CASES:
        data, structure = data_version(here), structure_version(here)
        change(world)
        assert data_version(here) != data, change.__name__
        assert (structure_version(here) != structure) is structural, change.__name__


def test_the_kept_filter_options_follow_the_structure_not_the_reports(world, as_user, monkeypatch):
    from eduplan.tracking import forms, views

    read, real = [], forms.filter_options
    monkeypatch.setattr(views, "filter_options", lambda form: read.append(1) or real(form))
    client = as_user("school_a")
    assert "青禾区第九小学" not in client.get(reverse("task-list")).content.decode()
    assert len(read) == 1
    _report(world, 30)
    assert "30%" in client.get(reverse("task-list")).content.decode()  # the list follows the report …
    assert len(read) == 1  # … while its drop-downs are kept
    _add_school(world)
    assert '>青禾区第九小学</option>' in client.get(reverse("task-list")).content.decode()
    assert len(read) == 2


def test_a_report_builds_the_filter_form_again_only_to_read_a_query_string(world, as_user, monkeypatch):
    from eduplan.tracking import views

    built, form_class = [], views.TaskFilterForm
    monkeypatch.setattr(views, "TaskFilterForm", lambda *args, **kwargs: built.append(1) or form_class(*args, **kwargs))
    client = as_user("school_a")
    client.get(reverse("task-list"))
    client.get(reverse("task-list"), {"status": "lagging"})
    before = len(built)
    _report(world, 30)
    assert "30%" in client.get(reverse("task-list")).content.decode()
    assert len(built) == before  # the kept form's HTML serves the list without a query string
    page = client.get(reverse("task-list"), {"status": "lagging"}).content.decode()
    assert len(built) == before + 1  # read, not rendered: its HTML is kept too
    assert '<option value="lagging" selected>' in page


def test_the_plan_a_dashboard_shows_follows_a_first_assignment(world, client):
    """A school with no work sees no plan; its first assignment brings the current plan."""
    from eduplan.orgs.models import Membership
    from eduplan.orgs.services import create_user
    from tests.world import PASSWORD

    school = world.unit("青禾区滨江小学")
    user = create_user("binjiang2", PASSWORD, role=Membership.Role.REPORTER, unit=school)
    world.assignment(world.task_b).delete()
    client.force_login(user)
    chosen = f'<option value="{world.plan.pk}" selected>'
    assert chosen not in client.get(reverse("dashboard")).content.decode()
    _report(world, 40)  # a report elsewhere keeps the kept choice
    assert chosen not in client.get(reverse("dashboard")).content.decode()
    assign_task(world.task_b, user=world.users["admin"], lead_unit=school)
    assert chosen in client.get(reverse("dashboard")).content.decode()


def test_a_unit_moved_to_another_bureau_leaves_the_old_bureaus_pages(world, as_user):
    from eduplan.orgs.services import create_bureau

    client = as_user("admin")
    assert ">青禾区滨江小学</option>" in client.get(reverse("task-list")).content.decode()
    other = create_bureau("河西区教育局")
    school = world.unit("青禾区滨江小学")
    school.parent = other
    school.save()  # as the admin's unit screen saves it; its audit entry names the new bureau
    assert ">青禾区滨江小学</option>" not in client.get(reverse("task-list")).content.decode()


@pytest.mark.parametrize("persona", ["admin", "school_a", "tiwei"])
@pytest.mark.parametrize("page", ["dashboard", "task-list"])
def test_a_page_reads_the_change_counters_once(world, as_user, persona, page):
    """The data and the structure counters of the reader's bureaus come in one query, whether
    the page is computed (after a report) or served from the cache."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(persona)
    for _ in ("computed", "cached"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(page)).status_code == 200
        assert sum("audit_changecounter" in q["sql"] for q in queries.captured_queries) == 1
    _report(world)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse(page))
    assert sum("audit_changecounter" in q["sql"] for q in queries.captured_queries) == 1


def test_within_a_request_the_counters_are_read_once_and_again_after_its_own_change(world):
    from eduplan.audit.log import begin_request, count_change, data_version, end_request, structure_version
    from eduplan.audit.models import ChangeCounter

    here = (world.bureau.pk,)
    ChangeCounter.objects.filter(scope=world.bureau.pk).update(value=1)
    begin_request()
    try:
        first = data_version(here)
        ChangeCounter.objects.filter(scope=world.bureau.pk).update(value=7)  # another request's commit
        assert data_version(here) == first  # the request goes on with what it read first
        structure = structure_version(here)
        count_change(world.bureau.pk)  # a change of its own: read again
        assert dict(data_version(here))[world.bureau.pk] == 8
        assert structure_version(here) != structure
    finally:
        end_request()
    ChangeCounter.objects.filter(scope=world.bureau.pk).update(value=20)
    assert dict(data_version(here))[world.bureau.pk] == 20  # outside a request every call reads


def test_a_count_inside_a_transaction_is_not_kept_past_its_rollback(world):
    from django.db import transaction

    from eduplan.audit.log import begin_request, count_change, data_version, end_request

    here = (world.bureau.pk,)
    begin_request()
    try:
        committed = data_version(here)
        with pytest.raises(RuntimeError), transaction.atomic():
            count_change(world.bureau.pk)
            assert data_version(here) != committed  # the transaction sees its own count …
            raise RuntimeError("rolled back")
        assert data_version(here) == committed  # … and after the rollback nobody does
    finally:
        end_request()
