"""The current plan: the dashboard and the 督查通报 open on the plan whose period holds today
(else the latest annual plan), not on all plans nor on the plan imported last."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from eduplan.orgs.access import scope_for
from eduplan.orgs.models import Membership
from eduplan.orgs.services import create_user
from eduplan.plan import parse_text
from eduplan.tracking.current import current_plan
from eduplan.tracking.importing import import_parsed
from eduplan.tracking.models import Plan
from eduplan.tracking.setup import setup_bureau
from tests.world import PASSWORD

OLD_PLAN = "澜江市青禾区2018年教育工作要点\n\n一、加强党的建设\n\n1. 深化理论学习。\n\n2. 加强基层组织建设。\n"


def old_plan(world) -> Plan:
    """A 2018 plan imported after this year's: all its tasks are long overdue."""
    parsed = parse_text(OLD_PLAN, source="2018.txt")
    return import_parsed(parsed, bureau=world.bureau, user=world.users["admin"]).plans[0]


def add_plan(world, title: str, kind: str, start: int, end: int) -> Plan:
    return Plan.objects.create(bureau=world.bureau, title=title, kind=kind, period_start=start, period_end=end,
                               source_name=f"{title}.txt", source_text="")


# the plans besides the world's 2025 annual plan, today, and the title of the current plan
CASES = [
    ([], date(2025, 6, 30), "澜江市青禾区2025年教育工作要点"),
    ([("2018年工作要点", "annual", 2018, 2018)], date(2025, 6, 30), "澜江市青禾区2025年教育工作要点"),
    ([("十四五规划", "five_year", 2021, 2025)], date(2025, 6, 30), "澜江市青禾区2025年教育工作要点"),
    ([("2018年工作要点", "annual", 2018, 2018), ("十四五规划", "five_year", 2021, 2025)], date(2026, 3, 1),
     "澜江市青禾区2025年教育工作要点"),
    ([("十五五规划", "five_year", 2026, 2030)], date(2026, 3, 1), "十五五规划"),
    ([("2026年工作要点", "annual", 2026, 2026), ("十五五规划", "five_year", 2026, 2030)], date(2026, 3, 1),
     "2026年工作要点"),
]


@pytest.mark.parametrize(("others", "today", "expected"), CASES)
def test_the_current_plan_holds_today_else_is_the_latest_annual_plan(world, others, today, expected):
    for title, kind, start, end in others:
        add_plan(world, title, kind, start, end)
    assert current_plan(scope_for(world.users["admin"]), today).title == expected


def test_a_scope_without_plans_has_no_current_plan(world):
    other = setup_bureau("澜江市白沙区教育局")
    user = create_user("baisha", PASSWORD, role=Membership.Role.ADMIN, unit=other)
    assert current_plan(scope_for(user)) is None


def test_the_dashboard_opens_on_the_current_plan_and_can_show_another_or_all(world, as_user):
    old = old_plan(world)
    client = as_user("admin")
    current = client.get(reverse("dashboard") + "?format=json").json()
    assert current["total"] == world.plan.tasks.filter(removed_in_version__isnull=True).count()
    assert current["by_status"]["overdue"] == 0  # the 2018 plan's tasks are not in the figures
    everything = client.get(reverse("dashboard") + "?format=json&plan=all").json()
    assert everything["total"] == current["total"] + 2 and everything["by_status"]["overdue"] == 2
    assert client.get(reverse("dashboard") + f"?format=json&plan={old.pk}").json()["total"] == 2
    page = client.get(reverse("dashboard")).content.decode()
    assert f'<option value="{world.plan.pk}" selected>' in page and '<option value="all">全部计划' in page
    assert '<option value="all" selected>全部计划' in client.get(reverse("dashboard") + "?plan=all").content.decode()


def test_the_bulletin_page_opens_on_the_current_plan(world, as_user):
    old = old_plan(world)
    client = as_user("admin")
    page = client.get(reverse("bulletin")).content.decode()
    assert f'<option value="{world.plan.pk}" selected>' in page
    assert f'<option value="{old.pk}" selected>' in client.get(reverse("bulletin") + f"?plan={old.pk}").content.decode()


@pytest.mark.parametrize(("choice", "plans", "title"), [
    ("current", ["澜江市青禾区2025年教育工作要点"], "关于澜江市青禾区2025年教育工作要点落实情况的督查通报"),
    ("all", ["澜江市青禾区2025年教育工作要点", "澜江市青禾区2018年教育工作要点"],
     "关于澜江市青禾区教育局各项工作计划落实情况的督查通报"),
])
def test_the_bulletin_can_cover_one_plan_or_all(world, as_user, choice, plans, title):
    old_plan(world)
    client = as_user("admin")
    if choice == "all":
        assert '<option value="all" selected>全部计划' in client.get(reverse("bulletin") + "?plan=all").content.decode()
    response = client.get(reverse("bulletin"), {"plan": world.plan.pk if choice == "current" else "all",
                                                "period": "2025-06", "format": "preview"})
    assert response.status_code == 200
    assert sorted(response.context["facts"].plans) == sorted(plans)
    assert response.context["blocks"][1].text == title
