"""The bureau office's admin screens: scoped to its own bureau, every change audited."""

import pytest

from eduplan.audit.log import history
from eduplan.orgs.models import OrgUnit
from eduplan.tracking.models import RoutingRule
from eduplan.tracking.setup import setup_bureau


def test_the_bureau_admin_edits_a_routing_rule_and_it_is_audited(world, as_user):
    client = as_user("admin")
    rule = RoutingRule.objects.filter(bureau=world.bureau, lead_unit__name="体卫艺科").first()
    page = client.get(f"/admin/tracking/routingrule/{rule.pk}/change/")
    assert page.status_code == 200
    response = client.post(f"/admin/tracking/routingrule/{rule.pk}/change/", {
        "bureau": world.bureau.pk, "keywords": rule.keywords + "、游泳", "lead_unit": rule.lead_unit_id,
        "partner_units": [u.pk for u in rule.partner_units.all()], "priority": 5, "active": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = history(rule).get(action="admin.update")
    assert entry.user == world.users["admin"]
    assert entry.changes["priority"] == [0, 5]
    assert entry.changes["keywords"][1].endswith("、游泳")


def test_the_admin_lists_only_its_own_bureau(world, as_user):
    other = setup_bureau("澜江市云岭区教育局")
    client = as_user("admin")
    units = client.get("/admin/orgs/orgunit/?all=")
    assert "青禾区实验小学" in units.content.decode()
    assert "澜江市云岭区教育局" not in units.content.decode()
    foreign_rule = RoutingRule.objects.filter(bureau=other).first()
    assert client.get(f"/admin/tracking/routingrule/{foreign_rule.pk}/change/").status_code == 302  # "not found"
    assert RoutingRule.objects.get(pk=foreign_rule.pk).keywords == foreign_rule.keywords


def test_adding_a_school_through_the_admin(world, as_user):
    client = as_user("admin")
    group = OrgUnit.objects.get(name="青禾第一教育集团")
    response = client.post("/admin/orgs/orgunit/add/", {
        "name": "青禾区新城小学", "kind": "school", "parent": group.pk, "school_level": "primary",
        "ownership": "public", "code": "", "active": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    school = OrgUnit.objects.get(name="青禾区新城小学")
    assert school.path == f"{group.path}{school.pk}/"
    assert history(school).get().action == "admin.create"


def test_reporters_cannot_open_the_admin(world, as_user):
    assert as_user("school_a").get("/admin/").status_code == 302


def test_a_bureau_admin_reads_only_its_own_bureaus_audit_log(world, as_user, client):
    from eduplan.orgs.services import create_user

    other = setup_bureau("澜江市云岭区教育局")
    their_admin = create_user("yunling", "x-Pass-2025", role="admin", unit=other)
    client.force_login(their_admin)
    page = client.get("/admin/audit/auditentry/").content.decode()
    assert "澜江市青禾区2025年教育工作要点" not in page
    ours = as_user("admin").get("/admin/audit/auditentry/").content.decode()
    assert "澜江市青禾区2025年教育工作要点" in ours


def test_a_bureau_admin_cannot_edit_a_superuser(world, as_user):
    from django.contrib.auth import get_user_model

    from eduplan.orgs.models import Membership

    root = get_user_model().objects.create_superuser("root", password="x-Root-2025")
    Membership.objects.create(user=root, unit=world.bureau, role="admin")
    client = as_user("admin")
    assert client.get(f"/admin/auth/user/{root.pk}/password/").status_code in (302, 404)
    client.post(f"/admin/auth/user/{root.pk}/password/", {"password1": "Taken-Over-1", "password2": "Taken-Over-1"})
    root.refresh_from_db()
    assert root.check_password("x-Root-2025")


def test_deleting_from_a_list_is_audited(world, as_user):
    from eduplan.audit.models import AuditEntry

    rules = list(RoutingRule.objects.filter(bureau=world.bureau)[:2])
    response = as_user("admin").post("/admin/tracking/routingrule/", {
        "action": "delete_selected", "_selected_action": [r.pk for r in rules], "post": "yes"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="admin.delete", model="tracking.routingrule").count() == 2


# Where a unit may go through the admin: a bureau admin only below a unit of its own bureau
# (never at the root: that would be a new bureau outside its reach); a superuser anywhere.
# parent: "none", "ours" (a school group of our bureau) or "theirs" (a department of another bureau)
# fmt: off
PLACEMENTS = [
    ("admin", "none", "bureau", False, "E457"),
    ("admin", "none", "department", False, "E457"),
    ("admin", "theirs", "department", False, None),  # not among the choices the form offers
    ("admin", "ours", "school", True, None),
    ("root", "none", "bureau", True, None),
    ("root", "theirs", "department", True, None),
]
# fmt: on


@pytest.mark.parametrize(("persona", "parent", "kind", "created", "code"), PLACEMENTS)
def test_where_a_unit_may_be_added_through_the_admin(world, client, persona, parent, kind, created, code):
    from django.contrib.auth import get_user_model

    other = setup_bureau("澜江市云岭区教育局")
    parents = {"none": "", "ours": OrgUnit.objects.get(name="青禾第一教育集团").pk,
               "theirs": other.children.first().pk}
    user = world.users["admin"] if persona == "admin" else \
        get_user_model().objects.create_superuser("root", password="x-Root-2025")
    client.force_login(user)
    school = {"school_level": "primary", "ownership": "public"} if kind == "school" else {}
    response = client.post("/admin/orgs/orgunit/add/", {
        "name": "新单位", "kind": kind, "parent": parents[parent], "code": "", "active": "on", **school})
    assert OrgUnit.objects.filter(name="新单位").exists() is created
    assert response.status_code == (302 if created else 200)
    if code:
        assert f"[{code}]" in response.content.decode()


def test_a_bureau_admin_still_edits_its_own_bureau_but_cannot_unroot_or_move_it(world, as_user):
    client = as_user("admin")
    url = f"/admin/orgs/orgunit/{world.bureau.pk}/change/"
    page = client.get(url)
    assert set(page.context["adminform"].form.fields) >= {"name"}
    assert not {"parent", "kind"} & set(page.context["adminform"].form.fields)
    response = client.post(url, {"name": "澜江市青禾区教育局（新）", "code": "", "active": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    world.bureau.refresh_from_db()
    assert (world.bureau.name, world.bureau.parent_id, world.bureau.kind) == ("澜江市青禾区教育局（新）", None, "bureau")


@pytest.mark.parametrize(("parent", "code"), [("none", "E457"), ("theirs", "E458")])
def test_save_model_refuses_a_unit_outside_the_bureau_whatever_the_form_said(world, rf, parent, code):
    from django.contrib.admin.sites import site

    from eduplan.orgs.access import Refused

    other = setup_bureau("澜江市云岭区教育局")
    unit = OrgUnit(name="暗中新建的单位", kind="department", parent=other if parent == "theirs" else None)
    request = rf.post("/admin/orgs/orgunit/add/")
    request.user = world.users["admin"]
    with pytest.raises(Refused) as refused:
        site._registry[OrgUnit].save_model(request, unit, None, False)
    assert refused.value.code == code
    assert not OrgUnit.objects.filter(name="暗中新建的单位").exists()
