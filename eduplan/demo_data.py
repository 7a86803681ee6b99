"""The demo world: the fictional 澜江市青禾区 bureau, its schools and users, the bundled
example plan imported and assigned, and a few months of progress.

Used by `eduplan demo` and by the browser tests; everything goes through the same service
functions as the web pages, so the demo shows the real behaviour.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from eduplan.orgs.models import Membership, OrgUnit
from eduplan.orgs.services import add_unit, create_user
from eduplan.tracking.assigning import assign_task, bulk_assign
from eduplan.tracking.clock import today
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


@transaction.atomic
def build_demo() -> DemoWorld:
    """Create the whole demo world in an empty database; passwords are random and returned."""
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
    day = today()
    tasks = list(plan.tasks.order_by("order"))
    bulk_assign(tasks, user=admin, today=day)
    _add_school_work(bureau, tasks, admin, day)
    _add_progress(tasks, users, day)
    return DemoWorld(bureau, plan, passwords)


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
