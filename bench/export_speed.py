"""Export speed of the 工作台账 (xlsx) and the 督查通报 (facts + docx) at city scale.

    python bench/export_speed.py [--db /tmp/city.sqlite3] [--runs 3]
    python bench/export_speed.py --synthetic 12000 [--runs 3]

With --db (default /tmp/city.sqlite3, made by ``bench/city_data.py --db /tmp/city.sqlite3``)
the database is copied to a temporary folder first, so the benchmark never changes it.
With --synthetic N it builds, in a temporary SQLite file, one bureau with 2,000 schools, as
many copies of the bundled example plan as N assignments need (whole tasks to departments,
every measure to a school), and 12 monthly reports per assignment (Jan–Dec 2025), written
with bulk_create; the clock is 2025-12-31.

Prints the median of --runs runs of ``write_ledger`` over every task (with a progress line
on stderr), and of ``bulletin_facts`` + ``write_bulletin`` over every task and for one plan.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
CITY_DB = Path("/tmp/city.sqlite3")
TZ = ZoneInfo("Asia/Shanghai")


def progress_line(label: str) -> Callable[[int, int], None]:
    """A progress indicator on stderr, as a command-line export would show it."""

    def show(done: int, total: int) -> None:
        share = 100 * done // total if total else 100
        print(f"\r  {label}: {done}/{total} 行 ({share}%)", end="" if done < total else "\n", file=sys.stderr,
              flush=True)

    return show


def timed(runs: int, work: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def setup(db: Path, today: str) -> None:
    os.environ["EDUPLAN_TODAY"] = today
    sys.path.insert(0, str(ROOT))
    from eduplan.cli import _setup_django

    _setup_django(db)


# ---------------------------------------------------------------- a synthetic city

def build_synthetic(assignments_wanted: int, seed: int = 7) -> dict[str, int]:
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from eduplan.demo_data import EXAMPLE_PLAN
    from eduplan.orgs.models import OrgUnit
    from eduplan.tracking.importing import import_parsed, read_upload
    from eduplan.tracking.models import Assignment, Measure, ProgressReport, Task
    from eduplan.tracking.setup import setup_bureau

    rng = random.Random(seed)
    with transaction.atomic():
        bureau = setup_bureau("澜江市合成教育局")
        departments = list(OrgUnit.objects.filter(parent=bureau, kind=OrgUnit.Kind.DEPARTMENT))
        schools = OrgUnit.objects.bulk_create([
            OrgUnit(name=f"澜江市第{i}学校", kind=OrgUnit.Kind.SCHOOL, parent=bureau, school_level="primary",
                    ownership="public", path="") for i in range(1, 2001)])
        for school in schools:
            school.path = f"{bureau.path}{school.pk}/"
        OrgUnit.objects.bulk_update(schools, ["path"], batch_size=500)
        user = get_user_model().objects.create_user("bench-synthetic", password="bench-only-not-a-secret-1")
        parsed = read_upload(EXAMPLE_PLAN)
        made: list[Assignment] = []
        copy = 0
        while len(made) < assignments_wanted:
            copy += 1
            upload = SimpleUploadedFile(EXAMPLE_PLAN.name, EXAMPLE_PLAN.read_bytes())
            plan = import_parsed(parsed, bureau=bureau, user=user, source_file=upload).plans[0]
            plan.title = f"澜江市2025年教育工作要点（合成第{copy}份）"
            plan.save(update_fields=["title"])
            for task in Task.objects.filter(plan=plan).order_by("order"):
                deadline = date(2025, rng.choice((6, 9)), 30) if rng.random() < 0.08 else date(2025, 12, 31)
                made.append(Assignment(task=task, lead_unit=rng.choice(departments), start_date=date(2025, 1, 1),
                                       deadline=deadline))
            for measure in Measure.objects.filter(task__plan=plan).order_by("task__order", "order"):
                made.append(Assignment(task_id=measure.task_id, measure=measure, lead_unit=schools[len(made) % 2000],
                                       start_date=date(2025, 1, 1), deadline=date(2025, 12, 31)))
        made = Assignment.objects.bulk_create(made[:assignments_wanted], batch_size=1000)
        reports = []
        for a in made:
            pace = rng.choice((0.5, 0.8, 1.0, 1.0, 1.1, 1.6))
            percent = 0
            for month in range(1, 13):
                percent = min(100, max(percent, round(pace * month / 12 * 100 + rng.uniform(-5, 5))))
                state = "done" if percent >= 100 else "in_progress"
                reports.append(ProgressReport(
                    assignment=a, period=f"2025-{month:02d}", state=state, percent=percent,
                    narrative=f"{month}月按计划推进，完成阶段工作约{percent}%，下一步继续落实各项措施。",
                    unit_id=a.lead_unit_id, created_by=user,
                    created_at=datetime(2025, month, 25, 10, rng.randint(0, 59), tzinfo=TZ)))
                a.latest_percent, a.latest_state, a.latest_report_at = percent, state, reports[-1].created_at
                if state == "done":
                    break
        field = ProgressReport._meta.get_field("created_at")
        field.auto_now_add = False
        try:
            ProgressReport.objects.bulk_create(reports, batch_size=2000)
        finally:
            field.auto_now_add = True
        Assignment.objects.bulk_update(made, ["latest_percent", "latest_state", "latest_report_at"], batch_size=1000)
    return {"plans": copy, "tasks": Task.objects.count(), "assignments": len(made), "reports": len(reports),
            "schools": len(schools)}


# ---------------------------------------------------------------- the runs

def counts() -> dict[str, int]:
    from eduplan.orgs.models import OrgUnit
    from eduplan.tracking.models import Assignment, Plan, ProgressReport, Task

    periods = ProgressReport.objects.values("period").distinct().count()
    return {"plans": Plan.objects.count(), "tasks": Task.objects.filter(removed_in_version__isnull=True).count(),
            "assignments": Assignment.objects.count(), "reports": ProgressReport.objects.count(),
            "periods": periods, "schools": OrgUnit.objects.filter(kind=OrgUnit.Kind.SCHOOL).count()}


def run(runs: int, out: Path) -> None:
    from eduplan.reports.bulletin.document import write_bulletin
    from eduplan.reports.bulletin.facts import bulletin_facts
    from eduplan.reports.ledger.build import write_ledger
    from eduplan.tracking.clock import today
    from eduplan.tracking.models import Plan, Task

    day = today()
    everything = Task.objects.filter(removed_in_version__isnull=True)
    print("data:", counts(), "clock:", day.isoformat())
    ledger = out / "ledger.xlsx"
    seconds, rows = timed(runs, lambda: write_ledger(everything, ledger, today=day,
                                                     progress=progress_line("工作台账")))
    size = ledger.stat().st_size / 2**20
    print(f"ledger, all tasks: {rows} rows, {size:.1f} MB, median of {runs}: {seconds:.2f} s")

    plan = Plan.objects.order_by("id").first()
    period = f"{day.year}-{day.month:02d}"
    for label, tasks in (("all plans", everything), (f"one plan ({plan.title})", everything.filter(plan=plan))):
        facts_seconds, facts = timed(runs, lambda tasks=tasks: bulletin_facts(tasks, today=day, period=period))
        doc_seconds, _ = timed(runs, lambda facts=facts: write_bulletin(
            facts, out / "bulletin.docx", title="关于教育工作要点落实情况的督查通报", issuer="教育局办公室", number="第1期"))
        print(f"bulletin, {label}: {facts.total} tasks, {len(facts.flagged)} lagging/overdue; "
              f"facts {facts_seconds:.2f} s + docx {doc_seconds:.2f} s (median of {runs})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=CITY_DB, help="a city_data.py database (copied, never changed)")
    parser.add_argument("--synthetic", type=int, metavar="N", help="build N assignments × 12 periods instead")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--today", default=None, help="the clock (default 2025-10-31, synthetic 2025-12-31)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="export-speed-") as tmp:
        work = Path(tmp)
        db = work / "bench.sqlite3"
        if args.synthetic:
            setup(db, args.today or "2025-12-31")
            start = time.perf_counter()
            made = build_synthetic(args.synthetic)
            print(f"synthetic data built in {time.perf_counter() - start:.1f} s: {made}")
        else:
            if not args.db.exists():
                parser.error(f"{args.db} not found: run python bench/city_data.py --db {args.db} first, "
                             "or use --synthetic N")
            shutil.copy(args.db, db)
            setup(db, args.today or "2025-10-31")
        run(args.runs, work)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
