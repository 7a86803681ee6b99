"""School data and bound targets on top of the city dataset, for loading the indicator pages.

    python bench/indicator_data.py --db /tmp/city.sqlite3
    EDUPLAN_DATABASE_URL=postgres://postgres@127.0.0.1:5435/eduplan_bench python bench/indicator_data.py

Run it once on a database made by bench/city_data.py. It adds:

- data values for the catalogue's data sets (``catalogue.DATA_SETS``) for every school whose
  level the data set covers: the year sets for 2022–2024, the semester sets for 2023S1–2025S1
  (2025S2 is still running on the fixed "today", 2025-10-31), and each bureau's own
  3—5岁适龄人口数 for 2022–2024. About 70,000 values; each carries its unit's ``unit_path``, as
  ``store_values`` would write it. They are written with ``bulk_create`` (source ``bench``,
  no audit entries), as bench/indicators.py does; ``store_values`` costs an audit entry
  and three queries per value.
- ``--bind`` (default 20) bound targets in each district's plan, through ``binding.bind``
  (an audit entry each, as on the bindings page): first every target ``binding.suggest``
  matches (5 per plan: 合格率, 优良率, 近视率, 普惠率, 公办占比), then the two a person would
  bind by hand (新增普惠性学前学位 → 新增学位数, 交流轮岗比例 → 教师交流轮岗比例), then
  further targets in plan order, each to the indicator used least so far, until the plan
  has ``--bind``. Those last bindings make no sense as policy (a 班额 target bound to a
  近视率); they exist so that every page shows 20 bound targets over all 12 indicators,
  the most work "20 bound targets" can ask of a page.

PostgreSQL gets an ANALYZE at the end. Deterministic (--seed).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from city_data import TODAY, Ticker  # noqa: E402 - a sibling script, not a package

YEARS = ("2022", "2023", "2024")
SEMESTERS = ("2023S1", "2023S2", "2024S1", "2024S2", "2025S1")
# Targets a person would bind although suggest() does not: (words in the metric, indicator code).
BY_HAND = (("学前学位", "new_places"), ("交流条件教师", "teacher_exchange_rate"))


def setup(db: Path | None) -> None:
    os.environ["EDUPLAN_TODAY"] = TODAY
    from eduplan.cli import _setup_django

    _setup_django(db)


def school_values(school, rng: random.Random, elements: dict, data_sets: list) -> list:
    """One school's values for every period of every data set its level reports."""
    from eduplan.indicators.models import DataValue

    size = rng.randint(250, 2400) if school.school_level != "kindergarten" else rng.randint(90, 420)
    public = school.ownership == "public"
    pass_rate, good_rate, myopia = rng.uniform(0.86, 0.98), rng.uniform(0.4, 0.65), rng.uniform(0.4, 0.62)
    rows, seen = [], set()
    for data_set, codes, periods in data_sets:
        if school.school_level not in data_set.school_levels:
            continue
        for step, period in enumerate(periods):
            students = size + step * rng.randint(0, 25)
            tested = round(students * rng.uniform(0.93, 0.99))
            passed = min(tested, round(tested * (pass_rate + step * 0.004)))
            due = max(1, students // 60)
            inclusive = 0 if public else round(students * rng.uniform(0.5, 0.9))
            figures = {
                "kg_children": students, "kg_public_children": students if public else 0,
                "kg_inclusive_private_children": inclusive, "kg_teachers": max(1, students // 13),
                "new_places": rng.choice((0, 0, 0, 30, 45, 90)),
                "students": students, "teachers": max(1, students // 14), "backbone_teachers": students // 90,
                "teachers_due_exchange": due, "teachers_exchanged": min(due, round(due * rng.uniform(0.05, 0.2))),
                "fitness_tested": tested, "fitness_passed": passed, "fitness_good": round(passed * good_rate),
                "vision_screened": tested, "myopic": round(tested * (myopia - step * 0.005)),
                "after_school_needing": round(students * 0.8),
                "after_school_joined": round(students * rng.uniform(0.6, 0.78)),
            }
            for code in codes:
                if code not in figures:  # data sets this bench does not fill (the 优质均衡 year return)
                    continue
                if (code, period) in seen:  # an element in two data sets (学生数 in the 优质均衡 return too)
                    continue
                seen.add((code, period))
                rows.append(DataValue(element=elements[code], unit=school, period=period, value=float(figures[code]),
                                      unit_path=school.path, source="bench"))
    return rows


def add_values(rng: random.Random, ticker: Ticker) -> int:
    from django.db import transaction

    from eduplan.indicators.models import DataElement, DataSet, DataValue
    from eduplan.orgs.models import OrgUnit

    elements = {e.code: e for e in DataElement.objects.filter(bureau=None, for_target=False)}
    data_sets = []
    for data_set in DataSet.objects.filter(bureau=None).prefetch_related("elements").order_by("pk"):
        codes = [e.code for e in data_set.elements.all() if e.reported_by == DataElement.ReportedBy.SCHOOL]
        periods = YEARS if data_set.period_kind == "year" else SEMESTERS
        if codes:
            data_sets.append((data_set, codes, periods))
    authority = [code for code, e in elements.items() if e.reported_by == DataElement.ReportedBy.AUTHORITY]
    total = 0
    with transaction.atomic():
        for b, bureau in enumerate(OrgUnit.objects.filter(kind=OrgUnit.Kind.BUREAU).order_by("pk"), 1):
            rows = []
            schools = list(OrgUnit.objects.filter(path__startswith=bureau.path, kind=OrgUnit.Kind.SCHOOL)
                           .order_by("pk"))
            for school in schools:
                rows += school_values(school, rng, elements, data_sets)
            kindergarten_children = sum(r.value for r in rows if r.element.code == "kg_children"
                                        and r.period == YEARS[-1])
            for code in authority:  # population_3_5: a little above the children in kindergarten
                for period in YEARS:
                    rows.append(DataValue(element=elements[code], unit=bureau, period=period,
                                          value=float(round(kindergarten_children * rng.uniform(1.02, 1.12))),
                                          unit_path=bureau.path, source="bench"))
            DataValue.objects.bulk_create(rows, batch_size=2000)
            total += len(rows)
            ticker.show(f"values: bureau {b}/20, {total:,} rows")
    return total


def bind_targets(per_plan: int, ticker: Ticker) -> Counter:
    from django.contrib.auth import get_user_model

    from eduplan.indicators.binding import bind, suggest
    from eduplan.indicators.models import Indicator
    from eduplan.tracking.models import Plan, Target

    indicators = list(Indicator.objects.filter(bureau=None).order_by("pk"))
    by_code = {i.code: i for i in indicators}
    used: Counter = Counter()
    for plan in Plan.objects.select_related("bureau").order_by("pk"):
        admin = get_user_model().objects.filter(membership__unit=plan.bureau, membership__role="admin").first()
        targets = list(Target.objects.filter(task__plan=plan, removed_in_version__isnull=True)
                       .order_by("task__order", "order", "pk"))
        chosen: dict[int, Indicator] = {}
        for target in targets:
            indicator = suggest(target.metric, indicators) or next(
                (by_code[code] for words, code in BY_HAND if words in target.metric), None)
            if indicator is not None and len(chosen) < per_plan:
                chosen[target.pk] = indicator
        here: Counter = Counter(i.code for i in chosen.values())
        for target in targets:
            if len(chosen) >= per_plan:
                break
            if target.pk not in chosen and target.indicator_id is None:
                chosen[target.pk] = min(indicators, key=lambda i: (here[i.code], i.pk))
                here[chosen[target.pk].code] += 1
        for target in targets:
            if target.pk in chosen and target.indicator_id != chosen[target.pk].pk:
                bind(target, chosen[target.pk], user=admin)
        used.update(here)
        ticker.show(f"bound {len(chosen)} targets in {plan.bureau.name}")
    return used


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="SQLite file made by bench/city_data.py")
    parser.add_argument("--bind", type=int, default=20, help="bound targets per district plan")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    if os.environ.get("EDUPLAN_DATABASE_URL"):
        args.db = None
    elif args.db is None or not args.db.exists():
        parser.error("--db (an existing file made by bench/city_data.py) or EDUPLAN_DATABASE_URL is required")
    ticker = Ticker()
    setup(args.db)
    from django.contrib.auth import get_user_model
    from django.db import connection

    from eduplan.indicators.models import DataValue
    from eduplan.tracking.models import Target

    if not get_user_model().objects.filter(username="bench01_admin").exists():
        sys.exit("no city dataset here: run bench/city_data.py first")
    if DataValue.objects.filter(source="bench").exists():
        sys.exit("this database already holds the indicator data; make the city dataset again to start over")
    started = time.monotonic()
    values = add_values(random.Random(args.seed), ticker)
    used = bind_targets(args.bind, ticker)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    bound = Target.objects.filter(indicator__isnull=False, removed_in_version__isnull=True).count()
    ticker.done(f"{values:,} data values and {bound} bound targets in {time.monotonic() - started:.0f} s")
    print("bindings per indicator:", ", ".join(f"{code} {n}" for code, n in sorted(used.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
