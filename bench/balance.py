"""The 优质均衡 assessment at province scale: 100 counties × 100 schools, one year.

    .venv/bin/python bench/balance.py [--runs 7] [--db /tmp/balance.sqlite3] [--pure-only]

Timed (median of --runs runs after one warm-up, in milliseconds; wall time, and the CPU time
of this process, which SQLite runs in):
  (a) pure: ``assess.assess_county`` for every county, from dataclasses (10,000 schools,
      a fifth of them 九年一贯制 and so split in two), every school result and all 14 CVs
      per county;
  (b) stored: ``service.load(province, [year])`` (one query for the 90,000 data values,
      grouped by county) and then (a) over what it read — the city/province page's work.

The stored dataset is written in bulk (units with their paths, data values with their
``unit_path``), not through the forms: the point is the read and the computation. The SQLite
file is made afresh each run in a temporary folder unless --db names one.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COUNTIES, SCHOOLS = 100, 100
YEAR = "2025"


def timed(work: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """Median wall time, slowest wall time and median CPU time of this process (SQLite runs in
    it too), in ms: on a shared machine the CPU time says what the work itself costs."""
    work()  # warm-up
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), max(walls), statistics.median(cpus)


def figures(rng: random.Random) -> tuple[float, float, dict[str, float]]:
    """One school's students by 学段 and resources, around the national standards."""
    kind = rng.random()
    primary = rng.randint(150, 2400) if kind < 0.8 else rng.randint(300, 1500)
    junior = 0 if kind < 0.55 else rng.randint(200, 1800)
    if kind < 0.35:
        primary, junior = 0, rng.randint(300, 2000)
    students = primary + junior
    spread = rng.uniform(0.75, 1.3)
    resources = {
        "qualified_teachers": round(students * 0.05 * spread), "backbone_teachers": round(students * 0.011 * spread),
        "pe_arts_teachers": round(students * 0.0095 * spread), "teaching_area": students * 5.2 * spread,
        "sports_area": students * 9 * rng.uniform(0.6, 1.4), "equipment_value": students * 2300 * spread,
        "multimedia_rooms": round(students * 0.025 * spread),
    }
    return primary, junior, resources


def pure_counties(seed: int = 2025) -> list[list]:
    from eduplan.balance.assess import Resources, School

    rng = random.Random(seed)
    counties = []
    for c in range(COUNTIES):
        schools = []
        for s in range(SCHOOLS):
            primary, junior, resources = figures(rng)
            schools.append(School(c * SCHOOLS + s, f"学校{c}-{s}", primary, junior, Resources(**resources)))
        counties.append(schools)
    return counties


def assess_all(counties: list[list]) -> int:
    from eduplan.balance.assess import assess_county

    results = [assess_county(schools) for schools in counties]
    return sum(len(stage.schools) for r in results for stage in r.stages)


def build_province(seed: int = 2025):
    """The province, its counties and schools, and one year of figures, written in bulk."""
    from django.db import transaction

    from eduplan.balance.service import RESOURCE_ELEMENTS
    from eduplan.indicators.models import DataElement, DataValue
    from eduplan.orgs.models import OrgUnit

    rng = random.Random(seed)
    elements = {e.code: e for e in DataElement.objects.filter(code__in=[
        "students_primary", "students_junior", *RESOURCE_ELEMENTS.values()])}
    with transaction.atomic():
        province = OrgUnit.objects.create(name="基准省教育厅", kind=OrgUnit.Kind.PROVINCE)
        next_id = province.pk + 1
        units, values = [], []
        for c in range(COUNTIES):
            county_id, next_id = next_id, next_id + 1
            county_path = f"{province.path}{county_id}/"
            units.append(OrgUnit(id=county_id, name=f"基准县{c:03d}教育局", kind=OrgUnit.Kind.BUREAU, parent_id=province.pk,
                                 path=county_path, owning_bureau_id=county_id))
            for s in range(SCHOOLS):
                school_id, next_id = next_id, next_id + 1
                path = f"{county_path}{school_id}/"
                primary, junior, resources = figures(rng)
                level = "nine_year" if primary and junior else ("primary" if primary else "junior")
                units.append(OrgUnit(id=school_id, name=f"基准县{c:03d}第{s:03d}学校", kind=OrgUnit.Kind.SCHOOL,
                                     parent_id=county_id, path=path, owning_bureau_id=county_id, school_level=level,
                                     ownership="public"))
                row = {"students_primary": primary, "students_junior": junior,
                       **{RESOURCE_ELEMENTS[k]: v for k, v in resources.items()}}
                values += [DataValue(element=elements[code], unit_id=school_id, period=YEAR, value=float(v),
                                     unit_path=path, source="bench") for code, v in row.items()]
        OrgUnit.objects.bulk_create(units, batch_size=2000)
        DataValue.objects.bulk_create(values, batch_size=5000)
    return province, len(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, help="SQLite file to build (default: a temporary one)")
    parser.add_argument("--pure-only", action="store_true", help="time (a) only; no database")
    args = parser.parse_args()

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    counties = pure_counties()
    median, worst, cpu = timed(lambda: assess_all(counties), args.runs)
    stage_schools = assess_all(counties)
    print(f"(a) pure: {COUNTIES} counties × {SCHOOLS} schools ({stage_schools:,} school-学段 rows): "
          f"median {median:.0f} ms (CPU {cpu:.0f} ms), slowest {worst:.0f} ms over {args.runs} runs")
    if args.pure_only:
        return

    folder = tempfile.TemporaryDirectory()
    db = args.db or Path(folder.name) / "balance.sqlite3"
    if db.exists():
        db.unlink()
    os.environ.setdefault("EDUPLAN_TODAY", "2025-10-31")
    from eduplan.cli import _setup_django

    _setup_django(db)
    start = time.perf_counter()
    province, count = build_province()
    print(f"built {COUNTIES} counties, {COUNTIES * SCHOOLS:,} schools, {count:,} data values "
          f"in {time.perf_counter() - start:.1f} s")

    from eduplan.balance import service

    def stored() -> int:
        loaded = service.load(province, [YEAR])
        return sum(len(data.result(YEAR).stages) for data in loaded.values())

    median, worst, cpu = timed(stored, args.runs)
    print(f"(b) stored: load + assess the province: median {median:.0f} ms (CPU {cpu:.0f} ms), slowest "
          f"{worst:.0f} ms over {args.runs} runs ({'under' if median < 1000 else 'OVER'} 1 s)")
    folder.cleanup()


if __name__ == "__main__":
    main()
