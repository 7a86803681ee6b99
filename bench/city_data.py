"""A city-scale dataset for load tests: 20 district bureaus of the fictional 澜江市, 2,000 schools,
one annual plan per district, its tasks assigned, ten months of progress, ~2,300 users.

    python bench/city_data.py --db /tmp/city.sqlite3 [--replace]
    EDUPLAN_DATABASE_URL=postgres://postgres@127.0.0.1:5433/eduplan_bench python bench/city_data.py

Everything is fictional: the plans are variants of the bundled example plan
(eduplan/examples/qinghe_2025_annual.txt) with the district's name substituted, numbers
perturbed and some titles and measures changed, so no two plans are identical.

Org units, users, plans and assignments go through the platform's own services
(setup_bureau, add_unit, create_user, read_upload + import_parsed, bulk_assign,
assign_task). Progress reports are the exception, see ``add_progress``.

The generated users are for benchmarking only: they all share the password BENCH_PASSWORD
(and the very same password hash). Deterministic for a given --seed; the clock is fixed at
EDUPLAN_TODAY=2025-10-31, the same date the load test serves with.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PLAN = ROOT / "eduplan" / "examples" / "qinghe_2025_annual.txt"
TODAY = "2025-10-31"
YEAR = 2025
BENCH_PASSWORD = "bench-only-Lanjiang-2025"  # benchmark users only, never a real install
CITY = "澜江市"
TZ = ZoneInfo("Asia/Shanghai")

# 20 made-up districts and counties of the made-up city 澜江市 (青禾区 is the demo's, left out).
DISTRICTS = (
    "禾丰区", "澄溪区", "望澜区", "云栖区", "柳岸区", "鹭洲区", "枫溪区", "兰汀区", "石湾区", "梧桐区",
    "芦荡县", "青岚县", "雁回县", "松岗县", "蓼川县", "栖凤县", "汀州湾区", "橘洲区", "苇塘县", "桂渚县",
)
SCHOOLS_PER_DISTRICT = 100
# Over the 20 districts these sum to zero, so the city has exactly 20 × 100 schools.
SCHOOL_COUNT_OFFSETS = (-12, 12, -7, 7, -4, 4, -15, 15, 0, 0, -9, 9, -3, 3, -6, 6, -11, 11, 2, -2)

# (level, share of a district's schools, name pattern): mixed levels as in a real district.
SCHOOL_MIX = (
    ("primary", 0.34, "{stem}{kind}第{n}小学"),
    ("kindergarten", 0.30, "{stem}{kind}第{n}幼儿园"),
    ("junior", 0.16, "{stem}{kind}第{n}中学"),
    ("nine_year", 0.08, "{stem}{kind}第{n}九年一贯制学校"),
    ("senior", 0.07, "{stem}{kind}第{n}高级中学"),
    ("vocational", 0.03, "{stem}{kind}第{n}职业学校"),
    ("special", 0.02, "{stem}{kind}第{n}特殊教育学校"),
)
GROUPS_PER_DISTRICT = 4
SCHOOLS_PER_GROUP = 8
SCHOOL_TASK_SHARE = 0.2  # tasks whose measures are handed to individual schools
MONTHS = range(1, 11)  # Jan–Oct 2025: every month up to the fixed "today"
# Milestones of a whole-task assignment: (month, title, percent reached by then that ticks it off).
MILESTONES = ((3, "制定印发实施方案", 15), (6, "完成年度任务过半", 50), (9, "开展中期督查评估", 70),
              (11, "总结验收", 100))

NARRATIVES = (
    "已召开专题部署会，明确责任分工和时间节点，本月完成阶段工作约{p}%。",
    "按计划推进，已完成方案制定和前期调研，整体进度约{p}%。",
    "组织开展专项督查，整改台账逐项销号，累计完成约{p}%。",
    "本月重点推进试点学校工作，形成阶段性经验材料，进度约{p}%。",
    "受经费拨付时间影响，部分工作有所延后，目前完成约{p}%，下月加快推进。",
    "已完成年度目标的主要指标，正在整理佐证材料，进度约{p}%。",
)
BLOCKED_NARRATIVE = "项目审批尚未完成，工作推进遇到困难，需要协调解决。当前进度约{p}%。"
TITLE_PREFIXES = ("扎实", "全面", "持续", "着力", "切实")
EXTRA_MEASURES = (
    "建立工作台账，实行清单化管理、项目化推进，按月调度进展情况。",
    "加强督查考核，把任务完成情况纳入学校年度目标考核。",
    "及时总结推广基层好经验好做法，形成一批可复制的典型案例。",
)
COUNTY_WORDS = (("全区", "全县"), ("区级", "县级"), ("区内", "县内"), ("区直", "县直"), ("区卫健", "县卫健"),
                ("区残联", "县残联"), ("区社区学院", "县社区学院"), ("区中职", "县中职"),
                ("区未成年人", "县未成年人"), ("区、片、校", "县、片、校"), ("区、街道", "县、乡"))


# ---------------------------------------------------------------- progress on stderr

class Ticker:
    """One rewriting status line on stderr (plain lines when stderr is not a terminal)."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.started = time.monotonic()
        self.last = 0.0

    def show(self, text: str, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < (0.2 if self.tty else 5):
            return
        self.last = now
        line = f"[{now - self.started:6.1f}s] {text}"
        sys.stderr.write(("\r" + line.ljust(100)) if self.tty else line + "\n")
        sys.stderr.flush()

    def done(self, text: str) -> None:
        self.show(text, force=True)
        if self.tty:
            sys.stderr.write("\n")


# ---------------------------------------------------------------- plan variants

_AMOUNT = re.compile(r"(?<![\d.．第\-—])([0-9０-９]+(?:\.[0-9]+)?)(?=(?:人次|名|个|所|节|项|人|万|亿|平方米|%|％))")
_TASK_LINE = re.compile(r"^([0-9]+[.、．])([^。\n]+)。(.*)$", re.M)


def _perturb_amount(match: re.Match, rng: random.Random) -> str:
    raw = match.group(1)
    text = raw.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    following = match.string[match.end():match.end() + 1]
    if "." in text:
        value = float(text) * rng.uniform(0.85, 1.2)
        return f"{value:.1f}"
    value = int(text)
    if value < 3:
        return raw
    if following in "%％":
        if value >= 100:
            return raw  # "覆盖率达到100%" stays a full coverage target
        spread = 3 if value >= 90 else max(1, round(value * 0.15))
        return str(max(1, min(99, value + rng.randint(-spread, spread))))
    new = value * rng.uniform(0.85, 1.2)
    step = 50 if value >= 1000 else 10 if value >= 100 else 1
    return str(max(step, int(round(new / step)) * step))


def plan_variant(template: str, district: str, rng: random.Random) -> str:
    """The example plan rewritten for ``district``: name, numbers, some titles and measures."""
    stem = district[:-1]
    text = template.replace("青禾区", district).replace("青禾", stem)
    if district.endswith("县"):
        for old, new in COUNTY_WORDS:
            text = text.replace(old, new)
    text = _AMOUNT.sub(lambda m: _perturb_amount(m, rng), text)

    def task_line(m: re.Match) -> str:
        label, title, rest = m.group(1), m.group(2), m.group(3)
        if rng.random() < 0.25 and not title.startswith(("持", "全", "扎", "着", "切")):
            title = rng.choice(TITLE_PREFIXES) + title
        sentences = [s for s in rest.split("。") if s]
        droppable = [i for i, s in enumerate(sentences) if i >= 1 and not re.search(r"\d", s)]
        if droppable and rng.random() < 0.3:
            del sentences[rng.choice(droppable)]
        if rng.random() < 0.2:
            sentences.append(rng.choice(EXTRA_MEASURES).rstrip("。"))
        return f"{label}{title}。" + "".join(s + "。" for s in sentences)

    text = _TASK_LINE.sub(task_line, text)
    return text.replace("2025年2月18日", f"2025年{rng.randint(1, 3)}月{rng.randint(2, 28)}日")


# ---------------------------------------------------------------- the world

@dataclass
class District:
    name: str
    index: int
    bureau: object = None
    admin: object = None
    departments: dict = field(default_factory=dict)  # name -> OrgUnit
    schools: list = field(default_factory=list)
    reporters: dict = field(default_factory=dict)  # unit id -> User
    plan: object = None


def username(d: District, role: str, n: int | None = None) -> str:
    """bench01_admin, bench01_viewer, bench01_dept03, bench01_school042 (numbers from 1)."""
    return f"bench{d.index:02d}_{role}" + ("" if n is None else f"{n:03d}" if role == "school" else f"{n:02d}")


def build_org(d: District, school_count: int, rng: random.Random, ticker: Ticker) -> None:
    from eduplan.orgs.models import OrgUnit
    from eduplan.orgs.services import add_unit
    from eduplan.tracking.setup import setup_bureau

    d.bureau = setup_bureau(f"{CITY}{d.name}教育局")
    d.departments = {u.name: u for u in d.bureau.children.filter(kind=OrgUnit.Kind.DEPARTMENT).order_by("pk")}
    stem, kind = d.name[:-1], d.name[-1]
    groups = [add_unit(f"{stem}{label}教育集团", parent=d.bureau, kind=OrgUnit.Kind.GROUP)
              for label in ("第一", "第二", "第三", "第四")[:GROUPS_PER_DISTRICT]]
    specs = []
    for level, share, pattern in SCHOOL_MIX:
        count = max(1, round(school_count * share))
        specs += [(level, pattern.format(stem=stem, kind=kind, n=n)) for n in range(1, count + 1)]
    specs = specs[:school_count]
    while len(specs) < school_count:  # rounding left a gap: private kindergartens fill it
        specs.append(("kindergarten", f"{stem}{kind}民办第{len(specs)}幼儿园"))
    rng.shuffle(specs)
    for i, (level, name) in enumerate(specs):
        parent = groups[i // SCHOOLS_PER_GROUP] if i < GROUPS_PER_DISTRICT * SCHOOLS_PER_GROUP else d.bureau
        ownership = "private" if "民办" in name or rng.random() < 0.06 else "public"
        d.schools.append(add_unit(name, parent=parent, kind=OrgUnit.Kind.SCHOOL, school_level=level,
                                  ownership=ownership))
        ticker.show(f"{d.name}: schools {i + 1}/{school_count}")


def build_users(d: District, ticker: Ticker) -> None:
    from eduplan.orgs.models import Membership
    from eduplan.orgs.services import create_user

    Role = Membership.Role
    d.admin = create_user(username(d, "admin"), BENCH_PASSWORD, role=Role.ADMIN, unit=d.bureau,
                          display_name=f"{d.name}局办公室管理员")
    create_user(username(d, "viewer"), BENCH_PASSWORD, role=Role.VIEWER, unit=d.bureau,
                display_name=f"{d.name}分管局领导")
    for n, dept in enumerate(d.departments.values(), 1):
        d.reporters[dept.pk] = create_user(username(d, "dept", n), BENCH_PASSWORD, role=Role.REPORTER, unit=dept,
                                           display_name=f"{dept.name}填报员")
    for n, school in enumerate(d.schools, 1):
        d.reporters[school.pk] = create_user(username(d, "school", n), BENCH_PASSWORD, role=Role.REPORTER,
                                             unit=school, display_name=f"{school.name}填报员")
        ticker.show(f"{d.name}: users {n}/{len(d.schools)}")


def import_plan(d: District, template: str, rng: random.Random, workdir: Path) -> None:
    from eduplan.tracking.importing import import_parsed, read_upload

    path = workdir / f"{d.name}_{YEAR}_annual.txt"
    path.write_text(plan_variant(template, d.name, rng), encoding="utf-8")
    parsed = read_upload(path)
    # No source_file: the bench does not need copies of the text in MEDIA_ROOT (source_text is stored).
    d.plan = import_parsed(parsed, bureau=d.bureau, user=d.admin).plans[0]


def assign(d: District, rng: random.Random, day: date, ticker: Ticker) -> None:
    from eduplan.tracking.assigning import assign_task, bulk_assign
    from eduplan.tracking.models import Assignment, Task

    tasks = list(Task.objects.filter(plan=d.plan).select_related("plan__bureau").order_by("order"))
    bulk_assign(tasks, user=d.admin, today=day)
    office = d.departments["办公室"]
    for task in tasks:  # what routing could not place, the bureau office takes on itself
        if not Assignment.objects.filter(task=task, measure=None).exists():
            assign_task(task, user=d.admin, lead_unit=office, today=day)
    # Some tasks are due before the year's end (so some are overdue on 2025-10-31). A plain
    # update: bulk_assign takes one deadline for all, and the generator needs no audit entries.
    whole = list(Assignment.objects.filter(task__plan=d.plan, measure=None).order_by("task__order"))
    for a in whole:
        if rng.random() < 0.1:
            a.deadline = date(YEAR, rng.choice((6, 8, 9)), 30)
            Assignment.objects.filter(pk=a.pk).update(deadline=a.deadline)

    # ~20% of tasks, school work first: each measure goes to one school as lead, with the
    # task's lead department as partner; every other school partners one of those tasks.
    by_task = {a.task_id: a for a in whole}
    schoolish = {"基础教育科", "德育科", "体卫艺科", "安全稳定科", "教师发展中心", "信息中心"}
    ranked = sorted(tasks, key=lambda t: (by_task[t.pk].lead_unit.name not in schoolish, rng.random()))
    school_tasks = ranked[:max(1, round(len(tasks) * SCHOOL_TASK_SHARE))]
    schools = list(d.schools)
    rng.shuffle(schools)
    it = iter(schools)
    for task in school_tasks:
        lead = by_task[task.pk]
        for measure in task.measures.filter(removed_in_version__isnull=True).order_by("order"):
            school = next(it, None)
            if school is None:
                break
            deadline = date(YEAR, 8, 31) if rng.random() < 0.06 else None
            assign_task(task, user=d.admin, lead_unit=school, partner_units=[lead.lead_unit], measure=measure,
                        deadline=deadline, suggestion="学校承担的具体措施", today=day)
            ticker.show(f"{d.name}: school assignments")
    rest = list(it)
    for i, task in enumerate(school_tasks):
        lead = by_task[task.pk]
        extra = rest[i::len(school_tasks)]
        if extra:
            assign_task(task, user=d.admin, lead_unit=lead.lead_unit,
                        partner_units=[*lead.partner_units.all(), *extra], deadline=lead.deadline,
                        start_date=lead.start_date, suggestion=lead.suggestion, today=day)


@contextmanager
def explicit_created_at(*models):
    """Let bulk_create keep the given ``created_at`` (auto_now_add would stamp "now")."""
    fields = [m._meta.get_field("created_at") for m in models]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


def _stamp(month: int, rng: random.Random) -> datetime:
    return datetime(YEAR, month, rng.randint(18, 28), rng.randint(8, 17), rng.randint(0, 59), tzinfo=TZ)


def add_progress(d: District, rng: random.Random, ticker: Ticker) -> tuple[int, int]:
    """Monthly reports for every assignment, Jan–Oct 2025, written with bulk_create.

    submit_report (one transaction, a row lock, an audit entry per report) would take far
    too long for ~11,000 reports, so this writes ProgressReport rows and the typed target actuals
    (DataValue rows of each target's own element) with bulk_create and then sets each Assignment's latest_percent / latest_state /
    latest_report_at / closed_at from its newest report, exactly what submit_report maintains.
    Percentages only rise; a report in state "done" is 100% and closes the assignment.
    Whole-task assignments get the milestones of MILESTONES, also with bulk_create, ticked
    off when the reported progress had reached their share by their month.
    """
    from eduplan.indicators.actuals import element_for_target
    from eduplan.indicators.models import DataValue
    from eduplan.tracking import state_store
    from eduplan.tracking.models import Assignment, Milestone, ProgressReport, Target, Task

    assignments = list(Assignment.objects.filter(task__plan=d.plan).select_related("task").order_by("pk"))
    targets: dict[int, list] = {}
    for t in Target.objects.filter(task__plan=d.plan, removed_in_version__isnull=True).order_by("pk"):
        targets.setdefault(t.task_id, []).append(t)
    reports: list = []
    newest: dict[int, object] = {}
    actual_plans: list[tuple[int, object, float]] = []  # (index into reports, target, value)
    milestones: list = []
    profiles = ("on_track",) * 40 + ("lagging",) * 25 + ("done",) * 15 + ("stalled",) * 10 + \
        ("silent",) * 7 + ("blocked",) * 3
    for a in assignments:
        profile = rng.choice(profiles)
        if profile == "silent":
            continue
        reporter = d.reporters[a.lead_unit_id]
        pace = {"on_track": rng.uniform(0.97, 1.15), "lagging": rng.uniform(0.45, 0.8),
                "done": rng.uniform(1.3, 2.2), "stalled": rng.uniform(0.6, 1.0),
                "blocked": rng.uniform(0.3, 0.6)}[profile]
        first = rng.randint(1, 3)
        last = rng.randint(first + 1, 7) if profile == "stalled" else MONTHS[-1]
        percent = 0
        by_month = {}
        for month in range(first, last + 1):
            percent = max(percent, min(100, round(pace * month / 12 * 100 + rng.uniform(-4, 4))))
            state = ProgressReport.State.IN_PROGRESS
            if percent >= 100:
                percent, state = 100, ProgressReport.State.DONE
            elif profile == "blocked" and month == last:
                state = ProgressReport.State.BLOCKED
            narrative = (BLOCKED_NARRATIVE if state == ProgressReport.State.BLOCKED
                         else rng.choice(NARRATIVES)).format(p=percent)
            by_month[month] = percent
            report = ProgressReport(assignment=a, period=f"{YEAR}-{month:02d}", state=state, percent=percent,
                                    narrative=narrative, unit_id=a.lead_unit_id, created_by=reporter,
                                    created_at=_stamp(month, rng))
            reports.append(report)
            newest[a.pk] = report
            if a.measure_id is None and month in (6, last) and state != ProgressReport.State.BLOCKED:
                for target in targets.get(a.task_id, []):
                    if rng.random() < 0.6:
                        factor = rng.uniform(0.8, 1.15) * (0.6 if month < last else 1.0)
                        actual_plans.append((len(reports) - 1, target, round(target.value * factor, 1)))
            if state == ProgressReport.State.DONE:
                break
        if a.measure_id is None:
            for month, title, share in MILESTONES:
                due = date(YEAR, month, 30 if month in (6, 9, 11) else 31)
                if due <= a.deadline:
                    reached = max((p for m, p in by_month.items() if m <= month), default=0)
                    milestones.append(Milestone(assignment=a, title=title, due=due, done=reached >= share))
    Milestone.objects.bulk_create(milestones, batch_size=500)
    with explicit_created_at(ProgressReport):
        ProgressReport.objects.bulk_create(reports, batch_size=500)
        assert all(r.pk for r in reports), "bulk_create must return primary keys"
    # A typed actual is a data value of the target's own element at the plan's bureau (what
    # indicators.actuals.store_typed_actuals writes); the newest of a month wins.
    typed: dict[tuple[int, str], DataValue] = {}
    for i, target, value in actual_plans:
        report = reports[i]
        element = element_for_target(target, d.bureau)
        typed[(target.pk, report.period)] = DataValue(
            element=element, unit=d.bureau, period=report.period, value=value, unit_path=d.bureau.path,
            source="report", report=report, entered_by=report.created_by)
    DataValue.objects.bulk_create(typed.values(), batch_size=500)
    changed = []
    for a in assignments:
        report = newest.get(a.pk)
        if report is None:
            continue
        a.latest_percent, a.latest_state, a.latest_report_at = report.percent, report.state, report.created_at
        a.closed_at = report.created_at if report.state == ProgressReport.State.DONE else None
        changed.append(a)
    Assignment.objects.bulk_update(changed, ["latest_percent", "latest_state", "latest_report_at", "closed_at"],
                                   batch_size=500)
    # The bulk writes above send no signals: the stored task states (judged when the tasks were
    # assigned) are marked stale, and the first read judges them again (``tracking.state_store``).
    state_store.mark_stale(Task.objects.filter(plan=d.plan).values_list("pk", flat=True))
    ticker.show(f"{d.name}: {len(reports)} reports")
    return len(reports), len(actual_plans)


def bench_password_hash() -> str:
    """One PBKDF2 hash of BENCH_PASSWORD, as the server's default hashers expect."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    return PBKDF2PasswordHasher().encode(BENCH_PASSWORD, "benchsalt2025lanjiang")


def setup(db: Path | None) -> None:
    os.environ["EDUPLAN_TODAY"] = TODAY  # the date the load test serves with, whatever the shell says
    from eduplan.cli import _setup_django

    _setup_django(db)
    from django.conf import settings
    from django.contrib.auth import hashers

    # Benchmark users only: MD5 makes creating 2,300 users take seconds instead of minutes.
    # The server keeps Django's default hashers, so at the end every bench user gets one
    # shared PBKDF2 hash of BENCH_PASSWORD (computed once) and logs in as usual.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()


def summary() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    from eduplan.audit.models import AuditEntry
    from eduplan.indicators.models import DataValue
    from eduplan.orgs.models import OrgUnit
    from eduplan.tracking.models import (
        Assignment,
        Measure,
        Milestone,
        Plan,
        ProgressReport,
        Target,
        Task,
    )

    kinds = Counter(OrgUnit.objects.values_list("kind", flat=True))
    return {
        "bureaus": kinds["bureau"], "departments": kinds["department"], "groups": kinds["group"],
        "schools": kinds["school"], "users": get_user_model().objects.count(),
        "plans": Plan.objects.count(), "tasks": Task.objects.count(), "measures": Measure.objects.count(),
        "targets": Target.objects.count(),
        "assignments": Assignment.objects.count(),
        "assignments_whole_task": Assignment.objects.filter(measure=None).count(),
        "assignments_to_schools": Assignment.objects.filter(lead_unit__kind="school").count(),
        "partner_links": Assignment.partner_units.through.objects.count(),
        "assignments_closed": Assignment.objects.exclude(closed_at=None).count(),
        "milestones": Milestone.objects.count(), "milestones_done": Milestone.objects.filter(done=True).count(),
        "progress_reports": ProgressReport.objects.count(),
        "target_actuals": DataValue.objects.filter(element__for_target=True).count(),
        "audit_entries": AuditEntry.objects.count(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="SQLite file (ignored when EDUPLAN_DATABASE_URL is set)")
    parser.add_argument("--replace", action="store_true", help="delete an existing SQLite file first")
    parser.add_argument("--districts", type=int, default=len(DISTRICTS), help="how many districts (max 20)")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    if not 1 <= args.districts <= len(DISTRICTS):
        parser.error(f"--districts must be between 1 and {len(DISTRICTS)}")
    if os.environ.get("EDUPLAN_DATABASE_URL"):
        args.db = None
    elif args.db is None:
        parser.error("--db or EDUPLAN_DATABASE_URL is required")
    elif args.db.exists():
        if not args.replace:
            parser.error(f"{args.db} exists; use --replace to start over")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)

    ticker = Ticker()
    setup(args.db)
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from eduplan.orgs.models import OrgUnit
    from eduplan.tracking.clock import today

    if OrgUnit.objects.exists():
        sys.exit("the database already holds org units; generate into an empty database")
    day = today()
    rng = random.Random(args.seed)
    template = EXAMPLE_PLAN.read_text(encoding="utf-8")
    districts = [District(name, i) for i, name in enumerate(DISTRICTS[:args.districts], 1)]
    with tempfile.TemporaryDirectory(prefix="city-plans-") as tmp:
        for d in districts:
            with transaction.atomic():
                build_org(d, SCHOOLS_PER_DISTRICT + SCHOOL_COUNT_OFFSETS[d.index - 1], rng, ticker)
                build_users(d, ticker)
                import_plan(d, template, rng, Path(tmp))
                assign(d, rng, day, ticker)
                add_progress(d, rng, ticker)
            ticker.done(f"district {d.index}/{len(districts)} {d.name}: {len(d.schools)} schools, "
                        f"plan #{d.plan.pk} with {d.plan.tasks.count()} tasks")
    get_user_model().objects.filter(username__startswith="bench").update(password=bench_password_hash())
    if connection.vendor == "postgresql":  # what autovacuum would soon do after a bulk load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    counts = summary()
    width = max(map(len, counts))
    print(f"City dataset ({time.monotonic() - ticker.started:.0f} s, today {day}, seed {args.seed}):")
    for key, value in counts.items():
        print(f"  {key.ljust(width)}  {value:>7,}")
    print(f"Users: bench01_admin … bench{len(districts):02d}_admin, _viewer, _dept01…14, _school001…; "
          f"password {BENCH_PASSWORD!r} (benchmark only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
