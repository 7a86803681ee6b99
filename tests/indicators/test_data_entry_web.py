"""The data-entry pages: a school fills in and submits its form, a reviewer accepts or sends it
back, a bureau sees who has not reported. Each test says whose eyes it looks through."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from eduplan.indicators.models import DataValue, Submission
from eduplan.orgs.models import Membership, OrgUnit
from eduplan.orgs.services import create_user
from tests.world import PASSWORD

GOOD = {"students": "1200", "teachers": "80", "backbone_teachers": "12", "teachers_due_exchange": "20",
        "teachers_exchanged": "6", "new_places": "45"}


def form_url(world, school="青禾区实验小学", data_set="school_year", period="2025"):
    return reverse("data-form", args=[data_set, world.unit(school).pk, period])


def post(client, url, action, **fields):
    return client.post(url, {"action": action, **fields})


def submission(world, school="青禾区实验小学", period="2025"):
    return Submission.objects.filter(unit=world.unit(school), period=period).first()


def stored(world, school="青禾区实验小学", period="2025"):
    return dict(DataValue.objects.filter(unit=world.unit(school), period=period)
                .values_list("element__code", "value"))


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def submit_good(world, as_user, **changes):
    return post(as_user("school_a"), form_url(world), "submit", **(GOOD | changes))


# ---------------------------------------------------------------- filling in and submitting

def test_a_school_submits_its_own_form_and_the_figures_are_stored(world, as_user):
    client = as_user("school_a")
    page = client.get(form_url(world)).content.decode()
    assert "中小学基本情况（年报）" in page and "已交流轮岗教师数（人）" in page and 'name="students"' in page
    response = post(client, form_url(world), "submit", **GOOD)
    assert response.status_code == 302 and response["Location"] == form_url(world)
    assert stored(world) == {code: float(value) for code, value in GOOD.items()}
    assert submission(world).state == Submission.State.SUBMITTED
    followed = client.get(response["Location"])
    assert "已提交：中小学基本情况（年报）（2025年），等待审核" in messages_of(followed)


def test_a_draft_keeps_what_was_typed_even_unfinished(world, as_user):
    client = as_user("school_a")
    response = post(client, form_url(world), "save", students="1,200", teachers="")
    assert response.status_code == 302
    draft = submission(world)
    assert (draft.state, draft.draft["students"], draft.draft["teachers"]) == ("draft", "1,200", "")
    assert not stored(world)
    assert 'value="1,200"' in client.get(form_url(world)).content.decode()


def test_a_jump_since_last_period_is_a_warning_after_submitting(world, as_user):
    post(as_user("school_a"), form_url(world, period="2024"), "submit", **GOOD)
    response = submit_good(world, as_user, students="3000")
    assert submission(world).state == Submission.State.SUBMITTED
    warnings = [m for m in messages_of(as_user("school_a").get(response["Location"])) if "请核实" in m]
    assert warnings == ["在校学生数：与上期（2024）的 1200 相比变化超过 50%，请核实"]


# ---------------------------------------------------------------- who may do what

# fmt: off
OUT_OF_SCOPE = [
    # (persona, method, school whose form)
    ("school_a", "get",  "青禾区滨江小学"),
    ("school_a", "post", "青禾区滨江小学"),
    ("school_b", "post", "青禾区实验小学"),
]
# fmt: on


@pytest.mark.parametrize(("persona", "method", "school"), OUT_OF_SCOPE)
def test_a_school_cannot_open_or_post_to_another_schools_form(world, as_user, persona, method, school):
    client = as_user(persona)
    url = form_url(world, school=school)
    response = post(client, url, "submit", **GOOD) if method == "post" else client.get(url)
    assert response.status_code == 404
    assert not Submission.objects.exists() and not DataValue.objects.exists()


@pytest.mark.parametrize("action", ["submit", "save"])
def test_a_viewer_reads_a_form_but_cannot_fill_it_in(world, as_user, action):
    client = as_user("leader")
    page = client.get(form_url(world)).content.decode()
    assert "您可以查看，但不能填报" in page and 'name="students"' not in page
    response = post(client, form_url(world), action, **GOOD)
    assert response.status_code == 403 and "[E411]" in response.content.decode()
    assert not Submission.objects.exists() and not DataValue.objects.exists()


def test_a_school_cannot_review_its_own_form(world, as_user):
    submit_good(world, as_user)
    response = post(as_user("school_a"), form_url(world), "accept")
    assert response.status_code == 403
    assert submission(world).state == Submission.State.SUBMITTED


def test_csrf_is_enforced_on_the_form(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["school_a"])
    response = post(client, form_url(world), "submit", **GOOD)
    assert response.status_code == 403
    assert not Submission.objects.exists() and not DataValue.objects.exists()


# ---------------------------------------------------------------- refused forms

# fmt: off
REFUSED = [
    # (case, field changes, the field the problem stands next to, its code)
    ("a missing figure",           {"teachers": ""},                                    "teachers",           "E705"),
    ("not a number",               {"students": "一千二"},                               "students",           "E701"),
    ("not a whole number",         {"new_places": "4.5"},                               "new_places",         "E702"),
    ("below zero",                 {"backbone_teachers": "-3"},                         "backbone_teachers",  "E703"),
    ("a part larger than its whole", {"teachers_exchanged": "30", "teachers_due_exchange": "20"},
                                                                                        "teachers_exchanged", "E706"),
]
# fmt: on


@pytest.mark.parametrize(("changes", "field", "code"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_a_form_with_a_problem_is_refused_next_to_its_field_and_kept_as_draft(world, as_user, changes, field,
                                                                              code):
    typed = GOOD | changes
    response = submit_good(world, as_user, **changes)
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(rf'<ul class="errorlist" id="problem_{field}"><li>\[{code}\]', page)
    assert any(m.startswith("[E717]") for m in messages_of(response))
    assert f'value="{typed["students"]}"' in page  # everything typed is shown again
    draft = submission(world)
    assert draft.state == Submission.State.DRAFT and draft.draft == typed
    assert not stored(world)


# ---------------------------------------------------------------- a submitted form, reviewed

def test_a_submitted_form_is_read_only(world, as_user):
    submit_good(world, as_user)
    client = as_user("school_a")
    page = client.get(form_url(world)).content.decode()
    assert 'name="students"' not in page and "已提交的数据不能修改" in page and "1200" in page
    response = client.post(form_url(world), {"action": "save", **GOOD, "students": "999"}, follow=True)
    assert any(m.startswith("[E708]") for m in messages_of(response))
    assert stored(world)["students"] == 1200 and submission(world).draft["students"] == "1200"


# fmt: off
SEND_BACK = [
    # (reason typed, state afterwards, message)
    ("",                    "submitted", "[E710]"),
    ("   ",                 "submitted", "[E710]"),
    ("专任教师数与人事系统不一致", "returned",  "已退回：青禾区实验小学 中小学基本情况（年报）（2025年）"),
]
# fmt: on


@pytest.mark.parametrize(("reason", "state", "message"), SEND_BACK)
def test_a_reviewer_sends_a_form_back_only_with_a_reason(world, as_user, reason, state, message):
    submit_good(world, as_user)
    response = as_user("admin").post(form_url(world), {"action": "send_back", "reason": reason}, follow=True)
    assert any(m.startswith(message) for m in messages_of(response))
    assert submission(world).state == state


def test_a_form_sent_back_is_editable_again_and_can_be_resubmitted(world, as_user):
    submit_good(world, as_user)
    post(as_user("admin"), form_url(world), "send_back", reason="专任教师数与人事系统不一致")
    client = as_user("school_a")
    page = client.get(form_url(world)).content.decode()
    assert "已退回" in page and "退回原因：专任教师数与人事系统不一致" in page and 'name="teachers"' in page
    post(client, form_url(world), "submit", **(GOOD | {"teachers": "82"}))
    assert submission(world).state == Submission.State.SUBMITTED and stored(world)["teachers"] == 82


def test_a_reviewer_accepts_a_submitted_form(world, as_user):
    submit_good(world, as_user)
    client = as_user("admin")
    home = client.get(reverse("data-home"))
    assert [(s.unit.name, s.period) for s in home.context["awaiting"]] == [("青禾区实验小学", "2025")]
    page = client.get(form_url(world)).content.decode()
    assert 'value="accept"' in page and 'value="send_back"' in page
    post(client, form_url(world), "accept")
    assert submission(world).state == Submission.State.ACCEPTED
    assert client.get(reverse("data-home")).context["awaiting"] == []
    page = as_user("school_a").get(form_url(world)).content.decode()
    assert "已审核" in page and 'name="students"' not in page and 'value="accept"' not in page


# ---------------------------------------------------------------- bad addresses

# fmt: off
BAD_PERIODS = [
    # (data set, period, code)
    ("school_year",     "2025S1",  "E711"),  # a semester for a yearly form
    ("school_year",     "2025-06", "E711"),
    ("health_semester", "2025",    "E711"),  # a year for a semester form
    ("school_year",     "2026",    "E715"),  # not begun (today is 2025-06-30)
    ("health_semester", "2025S2",  "E715"),
    ("school_year",     "二〇二五",  "E704"),
    ("kindergarten_year", "2025",  "E707"),  # a primary school does not report it
]
# fmt: on


@pytest.mark.parametrize(("data_set", "period", "code"), BAD_PERIODS)
def test_a_wrong_period_or_data_set_is_refused_with_its_code(world, as_user, data_set, period, code):
    response = as_user("school_a").get(form_url(world, data_set=data_set, period=period))
    assert response.status_code == 400
    page = response.content.decode()
    assert f"[{code}]" in page and "Traceback" not in page


def test_an_unknown_data_set_or_action_is_refused_with_its_code(world, as_user):
    client = as_user("school_a")
    response = client.get(form_url(world, data_set="no_such_form"))
    assert response.status_code == 404 and "[E714]" in response.content.decode()
    response = post(client, form_url(world), "delete", **GOOD)
    assert response.status_code == 400 and "[E720]" in response.content.decode()
    assert not Submission.objects.exists()


# ---------------------------------------------------------------- the home page and completeness

def test_a_school_sees_its_forms_with_their_states(world, as_user):
    submit_good(world, as_user)
    response = as_user("school_a").get(reverse("data-home"))
    forms = [(f.data_set.code, f.period.key, f.label) for f in response.context["forms"]]
    assert forms == [("school_year", "2025", "已提交"), ("school_year", "2024", "未填报"),
                     ("health_semester", "2025S1", "未填报"), ("health_semester", "2024S2", "未填报"),
                     ("after_school_semester", "2025S1", "未填报"), ("after_school_semester", "2024S2", "未填报"),
                     ("balance_year", "2025", "未填报"), ("balance_year", "2024", "未填报")]
    page = response.content.decode()
    assert ">数据填报</a>" in page and form_url(world) in page
    assert response.context["overview"] == [] and "<h2>待审核" not in page


def test_the_bureau_sees_each_data_sets_completeness(world, as_user):
    submit_good(world, as_user)
    overview = {c.data_set.code: (c.period, c.expected, c.reported)
                for c in as_user("leader").get(reverse("data-home")).context["overview"]}
    assert overview["school_year"] == ("2025", 5, 1)
    assert overview["kindergarten_year"] == ("2025", 2, 0)
    assert overview["district_year"] == ("2025", 1, 0)  # the bureau's own population figure


def completeness(client, **query):
    return client.get(reverse("data-completeness"), query)


def test_completeness_lists_who_has_not_reported_in_a_district(world, as_user):
    submit_good(world, as_user)
    post(as_user("school_b"), form_url(world, school="青禾区滨江小学"), "save", students="800")
    response = completeness(as_user("admin"), data_set="school_year", period="2025")
    whole = response.context["whole"]
    assert (whole.expected, whole.reported, whole.share) == (5, 1, 20.0)
    missing = [(row.unit.name, row.label) for row in response.context["missing"]]
    assert missing == [("青禾区第一中学", "未填报"), ("青禾区滨江小学", "草稿"), ("青禾区育才学校", "未填报"),
                       ("青禾区高级中学", "未填报")]
    assert response.context["parts"] == []


@pytest.fixture
def city(world):
    """The world's district moved under a city, with a second district of one school."""
    city = OrgUnit.objects.create(name="澜江市教育局", kind=OrgUnit.Kind.CITY)
    world.bureau.parent = city
    world.bureau.save()
    other = OrgUnit.objects.create(name="澜江市东湖区教育局", kind=OrgUnit.Kind.BUREAU, parent=city)
    OrgUnit.objects.create(name="东湖区第一小学", kind=OrgUnit.Kind.SCHOOL, parent=other, school_level="primary")
    world.users["city_admin"] = create_user("city_admin", PASSWORD, role=Membership.Role.ADMIN, unit=city)
    return city


def test_a_city_sees_completeness_by_district(world, as_user, city):
    submit_good(world, as_user)
    response = completeness(as_user("city_admin"), data_set="school_year", period="2025")
    parts = [(c.unit.name, c.expected, c.reported) for c in response.context["parts"]]
    assert parts == [("澜江市青禾区教育局", 5, 1), ("澜江市东湖区教育局", 1, 0)]
    assert "东湖区第一小学" in [row.unit.name for row in response.context["missing"]]
    assert response.context["whole"].expected == 6


# fmt: off
BAD_QUERIES = [
    # (query, code)
    ({"data_set": "school_year", "period": "2025S1"}, "E711"),
    ({"data_set": "school_year", "period": "2030"},   "E715"),
    ({"data_set": "no_such_form"},                    "E714"),
]
# fmt: on


@pytest.mark.parametrize(("query", "code"), BAD_QUERIES)
def test_completeness_refuses_a_bad_query_with_its_code(world, as_user, query, code):
    response = completeness(as_user("admin"), **query)
    assert response.status_code == 400 and f"[{code}]" in response.content.decode()


def test_completeness_of_a_unit_outside_the_scope_is_not_found(world, as_user):
    response = completeness(as_user("school_a"), data_set="school_year", unit=world.unit("青禾区滨江小学").pk)
    assert response.status_code == 404

