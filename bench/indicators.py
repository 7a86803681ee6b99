"""Indicator roll-ups at city scale: how long ``compute.series`` and ``compute.by_unit_below``
take over 6,000,000 data values, alone and while another process keeps writing values.

    python bench/indicators.py [--db /tmp/indicators.sqlite3] [--rebuild] [--runs 11] [--rate 10]
    EDUPLAN_DATABASE_URL=postgres://postgres@127.0.0.1:5434/eduplan_indicators python bench/indicators.py
    python bench/indicators.py --explain          # the query plans of the timed queries, then stop

The dataset: a city (OrgUnit kind=city) with 20 district bureaus × 100 schools, built through
the ORM (``OrgUnit.save`` and ``add_unit``, so paths and owning bureaus are the platform's own);
the catalogue's 18 data elements plus 32 generated ones; 60 monthly periods (2021-01 … 2025-12).
Every school reports every element every month: 2,000 × 50 × 60 = 6,000,000 data values, each
with its school's ``unit_path``, stored in the order they would arrive (period, school,
element). Values are written in bulk, not through ``store_values``: executemany on SQLite,
COPY … FREEZE on PostgreSQL, with the table's secondary indexes and constraints dropped
during the load and created again afterwards. PostgreSQL then gets an ANALYZE, as autovacuum
would do soon after; SQLite gets none, as Django never runs one.

The SQLite file is kept (default /tmp/indicators.sqlite3) and reused by later runs;
--rebuild makes it again. On PostgreSQL the database named in EDUPLAN_DATABASE_URL is
created when missing, and dropped and created again with --rebuild (never use a real one).

Timed (milliseconds, median and p95 of --runs runs after one warm-up run; compute itself
never caches) for ``fitness_pass_rate`` (体测合格人数 / 体测人数 × 100):
  (a) ``series`` for one district, one period and all 60 periods;
  (b) the same for the whole city;
  (c) ``by_unit_below`` for the city (20 districts) and for one district (100 schools);
  (d) (a)–(c) again while a second process calls ``store_values`` --rate times a second
      (each call one school's 体测人数 and 体测合格人数 for one month, half of them the
      timed month), through the platform's own write path with its audit entries.
--cpu N pins the timing process to one CPU (the writer and the database server are not
pinned). Standard library and the project only.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from city_data import CITY, DISTRICTS, Ticker  # noqa: E402 - a sibling script, not a package

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = Path("/tmp/indicators.sqlite3")
CITY_NAME = f"{CITY}教育局（指标基准）"
SCHOOLS_PER_DISTRICT = 100
ELEMENT_COUNT = 50
PERIODS = [f"{year}-{month:02d}" for year in range(2021, 2026) for month in range(1, 13)]
PERIOD = PERIODS[-1]  # the month timed alone: 2025-12
INDICATOR = "fitness_pass_rate"
LEVELS = ("primary", "junior", "senior", "nine_year")
SEED = 2025


def expected_values() -> int:
    return len(DISTRICTS) * SCHOOLS_PER_DISTRICT * ELEMENT_COUNT * len(PERIODS)


# ---------------------------------------------------------------- database

def ensure_postgres_database(url: str, rebuild: bool) -> None:
    """Create the benchmark database when missing (drop it first with --rebuild)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if name in ("", "postgres", "template0", "template1"):
        sys.exit(f"refusing to use database {name!r}: name a throwaway one in EDUPLAN_DATABASE_URL")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and rebuild:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup(db: Path | None, *, rebuild: bool, migrate: bool = True) -> None:
    os.environ["EDUPLAN_CACHE"] = "off"  # compute never caches; make sure nothing around it does either
    url = os.environ.get("EDUPLAN_DATABASE_URL")
    if url:
        if migrate:
            ensure_postgres_database(url, rebuild)
        db = None
    elif rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    sys.path.insert(0, str(ROOT))
    from eduplan.cli import _setup_django

    _setup_django(db, migrate=migrate)


# ---------------------------------------------------------------- the dataset

def build_org(ticker: Ticker):
    """The city, its 20 district bureaus and 2,000 schools, through the ORM."""
    from django.db import transaction

    from eduplan.orgs.models import OrgUnit
    from eduplan.orgs.services import add_unit

    with transaction.atomic():
        city = OrgUnit.objects.create(name=CITY_NAME, kind=OrgUnit.Kind.CITY)
        schools = []
        for d, district in enumerate(DISTRICTS, 1):
            bureau = OrgUnit.objects.create(name=f"{CITY}{district}教育局", kind=OrgUnit.Kind.BUREAU, parent=city)
            stem = district[:-1]
            for n in range(1, SCHOOLS_PER_DISTRICT + 1):
                schools.append(add_unit(f"{stem}第{n}学校", parent=bureau, kind=OrgUnit.Kind.SCHOOL,
                                        school_level=LEVELS[n % len(LEVELS)], ownership="public"))
            ticker.show(f"org units: district {d}/{len(DISTRICTS)}")
    return city, schools


def build_elements():
    from eduplan.indicators.models import DataElement

    catalogue = list(DataElement.objects.filter(bureau=None, for_target=False).order_by("id"))
    extra = ELEMENT_COUNT - len(catalogue)
    DataElement.objects.bulk_create([
        DataElement(code=f"bench_item_{n:02d}", name=f"基准测试数据项{n:02d}", unit_label="个")
        for n in range(1, extra + 1)])
    return list(DataElement.objects.filter(bureau=None, for_target=False).order_by("id"))[:ELEMENT_COUNT]


def value_rows(schools, elements) -> Iterator[tuple[str, list[tuple]]]:
    """Per period: (period, rows of (element_id, unit_id, period, value, unit_path, entered_at))."""
    rng = random.Random(SEED)
    codes = [e.code for e in elements]
    # Per school: a size and rates that stay put from month to month.
    profiles = []
    for _ in schools:
        profiles.append((rng.randint(300, 3000), rng.uniform(0.82, 0.98), rng.uniform(0.3, 0.6),
                         [rng.randint(0, 800) for _ in codes]))
    for p, period in enumerate(PERIODS):
        year, month = period.split("-")
        entered_at = f"{year}-{month}-25 02:00:00"  # UTC, as Django stores it
        rows = []
        for school, (size, pass_rate, good_rate, base) in zip(schools, profiles, strict=True):
            students = size + rng.randint(-20, 20) + p
            tested = round(students * 0.96)
            passed = min(tested, round(tested * pass_rate) + rng.randint(-5, 5))
            known = {
                "students": students, "teachers": students // 14, "backbone_teachers": students // 90,
                "teachers_due_exchange": students // 60, "teachers_exchanged": students // 75,
                "new_places": rng.randint(0, 40), "fitness_tested": tested, "fitness_passed": passed,
                "fitness_good": round(passed * good_rate), "vision_screened": tested,
                "myopic": round(tested * 0.52), "after_school_needing": round(students * 0.8),
                "after_school_joined": round(students * 0.7), "kg_children": size // 8,
                "kg_public_children": size // 12, "kg_inclusive_private_children": size // 40,
                "kg_teachers": size // 100, "population_3_5": size // 6,
            }
            path, unit_id = school.path, school.pk
            for element, code, b in zip(elements, codes, base, strict=True):
                value = known.get(code)
                rows.append((element.pk, unit_id, period, float(b + p % 7 if value is None else value), path,
                             entered_at))
        yield period, rows


def load_sqlite(raw, schools, elements, ticker: Ticker) -> None:
    table = "indicators_datavalue"
    ddl = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                      "AND sql IS NOT NULL", [table]).fetchall()
    raw.execute("PRAGMA journal_mode=DELETE")  # no 6M-row WAL to checkpoint afterwards
    raw.execute("PRAGMA synchronous=OFF")
    raw.execute("PRAGMA cache_size=-1000000")
    raw.execute("BEGIN")
    for name, _ in ddl:
        raw.execute(f'DROP INDEX "{name}"')
    next_id = 1
    for done, (period, rows) in enumerate(value_rows(schools, elements), 1):
        raw.executemany(
            f"INSERT INTO {table} (id, element_id, unit_id, period, value, unit_path, source, report_id, "
            "entered_by_id, entered_at) VALUES (?, ?, ?, ?, ?, ?, 'bench', NULL, NULL, ?)",
            [(next_id + i, *row) for i, row in enumerate(rows)])
        next_id += len(rows)
        ticker.show(f"values: {period} ({done}/{len(PERIODS)} periods, {next_id - 1:,} rows)")
    for name, sql in ddl:
        ticker.show(f"index {name}", force=True)
        raw.execute(sql)
    raw.execute("COMMIT")
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=NORMAL")


def load_postgres(raw, schools, elements, ticker: Ticker) -> None:
    table = "indicators_datavalue"
    with raw.cursor() as cur:
        cur.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')", [table])
        constraints = cur.fetchall()
        cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                    "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                    [table, table])
        indexes = cur.fetchall()
    with raw.transaction(), raw.cursor() as cur:
        for name, _ in constraints:
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        cur.execute(f"TRUNCATE {table}")  # in this transaction, so COPY may FREEZE the rows
        next_id = 1
        with cur.copy(f"COPY {table} (id, element_id, unit_id, period, value, unit_path, source, report_id, "
                      "entered_by_id, entered_at) FROM STDIN WITH (FREEZE)") as copy:
            for done, (period, rows) in enumerate(value_rows(schools, elements), 1):
                copy.write("".join(f"{next_id + i}\t{e}\t{u}\t{p}\t{v:.0f}\t{path}\tbench\t\\N\t\\N\t{at}+00\n"
                                   for i, (e, u, p, v, path, at) in enumerate(rows)))
                next_id += len(rows)
                ticker.show(f"values: {period} ({done}/{len(PERIODS)} periods, {next_id - 1:,} rows)")
        for name, sql in indexes:
            ticker.show(f"index {name}", force=True)
            cur.execute(sql)
        for name, definition in constraints:
            ticker.show(f"constraint {name}", force=True)
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", [next_id - 1])
    with raw.cursor() as cur:
        ticker.show("ANALYZE", force=True)
        cur.execute("ANALYZE")


def build(ticker: Ticker) -> dict[str, float]:
    from django.db import connection

    started = time.monotonic()
    _city, schools = build_org(ticker)
    elements = build_elements()
    org_seconds = time.monotonic() - started
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        load_postgres(connection.connection, schools, elements, ticker)
    else:
        load_sqlite(connection.connection, schools, elements, ticker)
        connection.close()  # the next connection gets the settings' PRAGMAs again
    total = time.monotonic() - started
    ticker.done(f"built in {total:.0f} s (org units and elements {org_seconds:.0f} s)")
    return {"org_seconds": org_seconds, "total_seconds": total}


def dataset(rebuild_hint: str):
    """The city, its first district, and the indicator; exits when the data is missing or partial."""
    from eduplan.indicators.models import DataValue, Indicator
    from eduplan.orgs.models import OrgUnit

    city = OrgUnit.objects.filter(name=CITY_NAME, kind=OrgUnit.Kind.CITY).first()
    if city is None:
        return None
    count = DataValue.objects.count()
    if count != expected_values():
        sys.exit(f"the database holds {count:,} data values, not {expected_values():,}: {rebuild_hint}")
    district = city.children.order_by("pk").first()
    return city, district, Indicator.objects.get(code=INDICATOR)


# ---------------------------------------------------------------- timing

def percentile(values: list[float], share: float) -> float:
    """Linear interpolation between the closest ranks (statistics.quantiles, inclusive)."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * share
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def timed(work: Callable[[], object], runs: int) -> tuple[list[float], object]:
    result = work()  # warm-up, not counted
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def cases(city, district, indicator) -> list[tuple[str, Callable[[], object], Callable[[object], str]]]:
    from eduplan.indicators import compute

    def one(unit):
        return lambda: compute.series(indicator, unit, [PERIOD])

    def all_periods(unit):
        return lambda: compute.series(indicator, unit, PERIODS)

    def check_series(result) -> str:
        figures = list(result.values())
        return (f"{len(figures)} period(s), {figures[-1].units} units, "
                f"{PERIOD} = {figures[-1].value:.2f}%")

    def check_below(result) -> str:
        units = sum(f.units for f in result.values())
        return f"{len(result)} children, {units} units"

    return [
        ("(a) series, one district, 1 period", one(district), check_series),
        ("(a) series, one district, 60 periods", all_periods(district), check_series),
        ("(b) series, city, 1 period", one(city), check_series),
        ("(b) series, city, 60 periods", all_periods(city), check_series),
        ("(c) by_unit_below, city → 20 districts, 1 period",
         lambda: compute.by_unit_below(indicator, city, PERIOD), check_below),
        ("(c) by_unit_below, district → 100 schools, 1 period",
         lambda: compute.by_unit_below(indicator, district, PERIOD), check_below),
    ]


def run_cases(city, district, indicator, runs: int, label: str) -> list[dict]:
    results = []
    for name, work, check in cases(city, district, indicator):
        times, result = timed(work, runs)
        row = {"case": name, "median": statistics.median(times), "p95": percentile(times, 0.95),
               "min": min(times), "check": check(result)}
        results.append(row)
        print(f"  [{label}] {name}: median {row['median']:.1f} ms, p95 {row['p95']:.1f} ms "
              f"({row['check']})", file=sys.stderr, flush=True)
    return results


# ---------------------------------------------------------------- the writer

def writer(args: argparse.Namespace) -> int:
    """Calls store_values --rate times a second until stdin closes; prints a JSON summary."""
    import threading

    setup(args.db, rebuild=False, migrate=False)
    from eduplan.indicators.models import DataElement
    from eduplan.indicators.values import NewValue, store_values
    from eduplan.orgs.models import OrgUnit

    tested = DataElement.objects.get(code="fitness_tested")
    passed = DataElement.objects.get(code="fitness_passed")
    city = OrgUnit.objects.get(name=CITY_NAME)
    schools = list(OrgUnit.objects.filter(path__startswith=city.path, kind=OrgUnit.Kind.SCHOOL))
    rng = random.Random(os.getpid())
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    print("ready", flush=True)
    latencies, errors, interval = [], 0, 1 / args.rate
    started = next_at = time.monotonic()
    while not stop.is_set():
        school = rng.choice(schools)
        period = PERIOD if rng.random() < 0.5 else rng.choice(PERIODS)
        count = rng.randint(300, 3000)
        values = [NewValue(tested, school, period, count), NewValue(passed, school, period, round(count * 0.9))]
        start = time.perf_counter()
        try:
            store_values(values, user=None, source="bench")
        except Exception as err:  # noqa: BLE001 - counted and reported, the run goes on
            errors += 1
            print(f"writer: {err!r}", file=sys.stderr)
        latencies.append((time.perf_counter() - start) * 1000)
        next_at += interval
        stop.wait(max(0.0, next_at - time.monotonic()))
    elapsed = time.monotonic() - started
    print(json.dumps({"calls": len(latencies), "errors": errors, "seconds": elapsed,
                      "rate": len(latencies) / elapsed, "median": statistics.median(latencies),
                      "p95": percentile(latencies, 0.95), "max": max(latencies)}), flush=True)
    return 0


def start_writer(args: argparse.Namespace) -> subprocess.Popen:
    command = [sys.executable, __file__, "--writer", "--rate", str(args.rate)]
    if args.db:
        command += ["--db", str(args.db)]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            preexec_fn=lambda: os.sched_setaffinity(0, range(os.cpu_count() or 1)))
    if proc.stdout.readline().strip() != "ready":
        proc.kill()
        sys.exit("the writer did not start")
    return proc


def stop_writer(proc: subprocess.Popen) -> dict:
    out, _ = proc.communicate(input="", timeout=120)
    lines = [line for line in out.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


# ---------------------------------------------------------------- query plans

def explain(city, district, indicator) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name, work, _ in cases(city, district, indicator):
        with CaptureQueriesContext(connection) as queries:
            work()
        sql = queries.captured_queries[-1]["sql"]
        print(f"\n### {name}\n")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                print("\n".join(row[0] for row in cursor.fetchall()))
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                print("\n".join(f"{row[0]:>3} {row[1]:>3} {row[3]}" for row in cursor.fetchall()))
    print("\n### the SQL of the last case\n")
    print(sql)


# ---------------------------------------------------------------- main

def table(alone: list[dict], busy: list[dict] | None) -> str:
    head = "| query | median | p95 |" + (" under writes: median | p95 |" if busy else "")
    rule = "|---|---:|---:|" + ("---:|---:|" if busy else "")
    lines = [head, rule]
    for i, row in enumerate(alone):
        line = f"| {row['case']} | {row['median']:.1f} | {row['p95']:.1f} |"
        if busy:
            line += f" {busy[i]['median']:.1f} | {busy[i]['p95']:.1f} |"
        lines.append(line)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite file (unless EDUPLAN_DATABASE_URL is set)")
    parser.add_argument("--rebuild", action="store_true", help="make the dataset again")
    parser.add_argument("--runs", type=int, default=11, help="timed runs per query (at least 5)")
    parser.add_argument("--rate", type=float, default=10, help="store_values calls per second by the writer")
    parser.add_argument("--no-writes", action="store_true", help="skip (d), the runs under writes")
    parser.add_argument("--explain", action="store_true", help="print the query plans and stop")
    parser.add_argument("--cpu", type=int, help="pin this process to one CPU")
    parser.add_argument("--json", type=Path, help="write the results here too")
    parser.add_argument("--writer", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if os.environ.get("EDUPLAN_DATABASE_URL"):
        args.db = None
    if args.writer:
        return writer(args)
    if args.runs < 5:
        parser.error("--runs must be at least 5")
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})

    ticker = Ticker()
    setup(args.db, rebuild=args.rebuild)
    from django.db import connection

    hint = "run again with --rebuild"
    build_times = None
    found = dataset(hint)
    if found is None:
        from eduplan.orgs.models import OrgUnit

        if OrgUnit.objects.exists():
            sys.exit(f"the database holds other org units; {hint} or name another database")
        build_times = build(ticker)
        found = dataset(hint)
    else:
        print(f"reusing the dataset in {args.db or 'the PostgreSQL database'} (--rebuild to make it again)",
              file=sys.stderr)
    city, district, indicator = found
    if args.explain:
        explain(city, district, indicator)
        return 0

    backend = connection.vendor
    print(f"{backend}: {expected_values():,} data values; timing {args.runs} runs per query",
          file=sys.stderr)
    alone = run_cases(city, district, indicator, args.runs, "alone")
    busy, writes = None, None
    if not args.no_writes:
        proc = start_writer(args)
        try:
            time.sleep(2)  # let the writer reach its pace
            busy = run_cases(city, district, indicator, args.runs, f"writer {args.rate:g}/s")
        finally:
            writes = stop_writer(proc)

    print(f"\n{backend}, {expected_values():,} data values, ms ({args.runs} runs each):\n")
    print(table(alone, busy))
    if build_times:
        print(f"\nbuilt in {build_times['total_seconds']:.0f} s "
              f"(org units and elements {build_times['org_seconds']:.0f} s)")
    if writes:
        print(f"\nwriter: {writes['calls']} store_values calls in {writes['seconds']:.0f} s "
              f"({writes['rate']:.1f}/s, asked {args.rate:g}/s), {writes['errors']} errors; "
              f"per call median {writes['median']:.1f} ms, p95 {writes['p95']:.1f} ms, max {writes['max']:.0f} ms")
    if args.db:
        print(f"database file: {args.db.stat().st_size / 2**20:,.0f} MiB")
    if args.json:
        args.json.write_text(json.dumps({"backend": backend, "runs": args.runs, "alone": alone, "busy": busy,
                                         "writes": writes, "build": build_times}, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.exit(main())
