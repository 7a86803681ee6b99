"""The demo world: the fictional 澜江市青禾区 bureau, its schools and users, the bundled
example plan imported and assigned, and a few months of progress.

Used by `eduplan demo` and by the browser tests; everything goes through the same service
functions as the web pages, so the demo shows the real behaviour.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from eduplan.balance.demo import add_demo_figures as add_balance_figures
from eduplan.orgs.models import Membership, OrgUnit
from eduplan.orgs.services import add_unit, create_user
from eduplan.supervision.demo import add_supervision_demo
from eduplan.tracking import clock
from eduplan.tracking.assigning import assign_task, bulk_assign
from eduplan.tracking.importing import import_parsed, read_upload
from eduplan.tracking.models import Plan
from eduplan.tracking.progress import ActualInput, submit_report
from eduplan.tracking.setup import setup_bureau

EXAMPLE_PLAN = Path(__file__).parent / "examples" / "qinghe_2025_annual.txt"
BUREAU_NAME = "澜江市青禾区教育局"

SCHOOL_GROUPS = {
    "青禾第一教育集团": [("青禾区实验小学", "primary"), ("青禾区第一中学", "junior"), ("青禾区城南幼儿园", "kindergarten")],
    "青禾第二教育集团": [("青禾区滨江小学", "primary"), ("青禾区育才学校", "nine_year"), ("青禾区滨江幼儿园", "kindergarten")],
}
OTHER_SCHOOLS = [("青禾区职业技术学校", "vocational"), ("青禾区特殊教育学校", "special"), ("青禾区高级中学", "senior")]

# username, display name, role, unit name
DEMO_USERS = (
    ("admin", "局办公室管理员", Membership.Role.ADMIN, BUREAU_NAME),
    ("leader", "分管局领导", Membership.Role.VIEWER, BUREAU_NAME),
    ("jijiao", "基础教育科科长", Membership.Role.MANAGER, "基础教育科"),
    ("jijiao_tb", "基础教育科填报员", Membership.Role.REPORTER, "基础教育科"),
    ("tiwei", "体卫艺科填报员", Membership.Role.REPORTER, "体卫艺科"),
    ("shiyan", "实验小学填报员", Membership.Role.REPORTER, "青禾区实验小学"),
    ("binjiang", "滨江小学填报员", Membership.Role.REPORTER, "青禾区滨江小学"),
)


@dataclass
class DemoWorld:
    bureau: OrgUnit
    plan: Plan
    passwords: dict[str, str] = field(default_factory=dict)


def build_org_tree() -> OrgUnit:
    bureau = setup_bureau(BUREAU_NAME)
    for group_name, schools in SCHOOL_GROUPS.items():
        group = add_unit(group_name, parent=bureau, kind=OrgUnit.Kind.GROUP)
        for name, level in schools:
            add_unit(name, parent=group, kind=OrgUnit.Kind.SCHOOL, school_level=level, ownership="public")
    for name, level in OTHER_SCHOOLS:
        add_unit(name, parent=bureau, kind=OrgUnit.Kind.SCHOOL, school_level=level, ownership="public")
    return bureau


def unit(bureau: OrgUnit, name: str) -> OrgUnit:
    return bureau.subtree().get(name=name)


@contextmanager
def stamped_on(day: date) -> Iterator[None]:
    """Stamp every record made inside on ``day`` (09:00 local, a second apart), not on the real
    date: imports, reports and audit entries read ``timezone.now()``, and a demo whose clock
    says 2025-09-30 must not list a report filed in a later year."""
    start = timezone.make_aware(datetime.combine(day, time(9, 0)))
    ticks = itertools.count()
    real = timezone.now
    timezone.now = lambda: start + timedelta(seconds=next(ticks))
    try:
        yield
    finally:
        timezone.now = real


def build_demo(day: date | None = None) -> DemoWorld:
    """Create the whole demo world in an empty database, as of ``day`` (default: the clock's
    today); passwords are random and returned."""
    day = day or clock.today()
    with stamped_on(day), transaction.atomic():
        return _build(day)


def _build(day: date) -> DemoWorld:
    bureau = build_org_tree()
    passwords = {}
    users = {}
    for username, display, role, unit_name in DEMO_USERS:
        passwords[username] = secrets.token_urlsafe(9)
        users[username] = create_user(username, passwords[username], role=role, unit=unit(bureau, unit_name),
                                      display_name=display)
    admin = users["admin"]
    parsed = read_upload(EXAMPLE_PLAN)
    upload = SimpleUploadedFile(EXAMPLE_PLAN.name, EXAMPLE_PLAN.read_bytes())
    plan = import_parsed(parsed, bureau=bureau, user=admin, source_file=upload).plans[0]
    tasks = list(plan.tasks.order_by("order"))
    bulk_assign(tasks, user=admin, today=day)
    _add_school_work(bureau, tasks, admin, day)
    _add_progress(tasks, users, day)
    _add_school_data(bureau, admin)
    add_balance_figures(bureau, admin)
    _bind_targets(plan, admin)
    add_supervision_demo(bureau, admin, day)
    return DemoWorld(bureau, plan, passwords)


# Each school's figures grow a little each year; numbers are made up, fixed by the school's
# place in the list so every demo shows the same.
DEMO_YEARS = (2023, 2024, 2025)
DEMO_DATA_SETS = ("kindergarten_year", "school_year", "health_semester", "after_school_semester", "district_year")


def _demo_figures(data_set_code: str, index: int, step: int) -> dict[str, int]:
    students = 900 + 150 * index + 20 * step
    if data_set_code == "kindergarten_year":
        children = 280 + 30 * index + 10 * step
        return {"kg_children": children, "kg_public_children": children * (55 + 3 * step) // 100,
                "kg_inclusive_private_children": children * (25 + step) // 100, "kg_teachers": children // 14,
                "new_places": 90 if step == 2 and index % 2 == 0 else 0}
    if data_set_code == "school_year":
        due = 12 + index
        return {"students": students, "teachers": students // 15, "backbone_teachers": students // 90,
                "teachers_due_exchange": due, "teachers_exchanged": due * (8 + step) // 100 + 1,
                "new_places": 450 if step == 2 and index == 1 else 0}
    if data_set_code == "health_semester":
        tested = students - 10
        return {"fitness_tested": tested, "fitness_passed": tested * (92 + step + index % 3) // 100,
                "fitness_good": tested * (48 + 2 * step) // 100, "vision_screened": tested,
                "myopic": tested * (54 - step - index % 2) // 100}
    if data_set_code == "after_school_semester":
        return {"after_school_needing": students * 8 // 10, "after_school_joined": students * (70 + 5 * step) // 100}
    return {"population_3_5": 2100}


def _add_school_data(bureau: OrgUnit, admin) -> None:
    """Three years of the catalogue's forms, submitted as the schools would."""
    from eduplan.indicators.collecting import expected_units, submit
    from eduplan.indicators.models import DataSet

    # Only the forms the demo has figures for: a form added to the catalogue gets none here.
    for data_set in DataSet.objects.filter(bureau=None, code__in=DEMO_DATA_SETS):
        for step, year in enumerate(DEMO_YEARS):
            periods = [f"{year}S1", f"{year}S2"] if data_set.period_kind == "semester" else [str(year)]
            for period in periods:
                for index, school in enumerate(expected_units(data_set, bureau, period)):
                    submit(data_set, school, period, _demo_figures(data_set.code, index, step), user=admin,
                           source="form")


def _bind_targets(plan: Plan, admin) -> None:
    """Confirm every suggested binding, as the bureau office would on its first day."""
    from eduplan.indicators.binding import bind, suggest
    from eduplan.indicators.models import Indicator

    indicators = list(Indicator.objects.all())
    for task in plan.tasks.all():
        for target in task.targets.filter(removed_in_version__isnull=True):
            found = suggest(target.metric, indicators)
            if found is not None:
                bind(target, found, user=admin)


def _add_school_work(bureau: OrgUnit, tasks, admin, day) -> None:
    # Two tasks handed to schools, so school users have something of their own.
    school_tasks = [t for t in tasks if any(k in t.title for k in ("课后服务", "体育", "阅读", "劳动"))][:2]
    for task, school in zip(school_tasks, ("青禾区实验小学", "青禾区滨江小学"), strict=False):
        assign_task(task, user=admin, lead_unit=unit(bureau, school), partner_units=[unit(bureau, "基础教育科")],
                    today=day)


def _add_progress(tasks, users, day) -> None:
    """Reports for most tasks: many on track, some behind, a few done, a few not started."""
    reporters = {u.membership.unit_id: u for u in users.values() if u.membership.role != Membership.Role.VIEWER}
    percents = [80, 70, 100, 55, 75, 90, 30, 85, 68, 100, 60, 78]
    for index, task in enumerate(tasks):
        assignment = task.assignments.first()
        if assignment is None or index % 7 == 6:
            continue
        user = reporters.get(assignment.lead_unit_id, users["admin"])
        percent = percents[index % len(percents)]
        state = "done" if percent == 100 else "in_progress"
        actuals = [ActualInput(t, str(t.value)) for t in task.targets.all()[:1]] if percent >= 70 else []
        submit_report(assignment, user=user, period=f"{day.year}-{day.month:02d}", percent=percent, state=state,
                      narrative=f"按计划推进，已完成阶段工作约{percent}%。", actuals=actuals)


def is_demo_database() -> bool:
    """The demo bureau and every demo user are there (so resetting their passwords is safe)."""
    from django.contrib.auth import get_user_model

    usernames = [username for username, *_ in DEMO_USERS]
    return (OrgUnit.objects.filter(kind=OrgUnit.Kind.BUREAU, name=BUREAU_NAME).exists()
            and get_user_model().objects.filter(username__in=usernames).count() == len(usernames))


def reset_passwords() -> dict[str, str]:
    """New random passwords for the demo users of an existing demo database."""
    from django.contrib.auth import get_user_model

    passwords = {}
    for username, *_ in DEMO_USERS:
        user = get_user_model().objects.filter(username=username).first()
        if user is not None:
            passwords[username] = secrets.token_urlsafe(9)
            user.set_password(passwords[username])
            user.save(update_fields=["password"])
    return passwords
