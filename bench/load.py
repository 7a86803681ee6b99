"""The web platform under load: p50/p95 of the dashboard, the task list and the API task list
with 20 concurrent clients, against a city dataset made by bench/city_data.py.

    python bench/load.py --db /tmp/city.sqlite3 [--clients 20] [--requests 400] [--runs 3]
    python bench/load.py --database-url postgres://postgres@127.0.0.1:5433/eduplan_bench
    python bench/load.py --db /tmp/city.sqlite3 --think 1      # people who read between clicks
    python bench/load.py --db /tmp/city.sqlite3 --servers 2    # two server processes
    python bench/load.py --db /tmp/city.sqlite3 --writes 0.1   # a tenth of the requests post reports
    python bench/load.py --db /tmp/city.sqlite3 --profile /tasks/ --as bench01_admin
    python bench/load.py --db /tmp/city.sqlite3 --endpoints indicators   # after bench/indicator_data.py

Starts `eduplan serve` (waitress, its default threads, EDUPLAN_TODAY=2025-10-31) on a free port, logs
in one client per persona (district admins, leaders, department and school reporters): the
web pages through the login form (session cookie), the API through POST /api/login (bearer
token). Then the clients share a shuffled list of requests, --requests per endpoint: a
warm-up pass first (not counted), then --runs measured passes. Prints a markdown table per
run and one with the medians of the runs' p50 and p95 (the 2-core machine is noisy), the
time of each endpoint for one client alone ("alone p50"), and p50/p95 by persona.

--writes F makes a fraction F of all requests progress reports (POST /api/assignments/{id}/
reports, state in_progress) by the personas who may report: before the passes each of them
finds up to ten open assignments it may report on through the API. The reports stay in the
database: run the writes on a copy of the city dataset you can throw away.

Latency is measured by the client from sending the request to having read the whole body,
over one keep-alive connection per client. By default (--think 0) every client sends its
next request as soon as the last one is answered, so 20 requests are always in flight and
latency ≈ 20 × (server CPU per request) / (cores the server can use): the runs also print
the server's CPU time per request and how busy the machine was. --profile runs one request
in-process instead and prints its queries grouped by shape and a cProfile. Standard library only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from city_data import BENCH_PASSWORD, TODAY  # noqa: E402 - a sibling script, not a package

ROOT = Path(__file__).resolve().parent.parent
EDUPLAN = ROOT / ".venv" / "bin" / "eduplan"

# name, path, authentication ("session" or "token")
ENDPOINTS = (
    ("dashboard /", "/", "session"),
    ("tasks /tasks/", "/tasks/", "session"),
    ("tasks lagging", "/tasks/?status=lagging", "session"),
    ("api /api/tasks", "/api/tasks?limit=50", "token"),
)
# --endpoints indicators: the indicator pages (指标监测) instead, and the dashboard, whose task
# states take the bound targets' actuals from the same figures (bench/indicator_data.py binds them).
ENDPOINT_SETS = {
    "tasks": ENDPOINTS,
    "indicators": (
        ("indicators /indicators/", "/indicators/", "session"),
        ("indicator detail", "/indicators/fitness_pass_rate/", "session"),
        ("dashboard /", "/", "session"),
    ),
}
WRITE = ("write report", "/api/assignments/{id}/reports", "token")  # the path is filled in per client
# Persona kinds in turn; departments and schools that have work in every district.
KINDS = ("admin", "viewer", "dept", "school")
BUSY_DEPARTMENTS = (3, 5, 9, 2, 4)  # 基础教育科 体卫艺科 教师发展中心 组织人事科 德育科
SCHOOLS_IN_SMALLEST_DISTRICT = 85
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# ---------------------------------------------------------------- server

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`eduplan serve` in a subprocess; its output is drained so it never blocks."""

    def __init__(self, *, db: Path | None, database_url: str | None, threads: int | None, switch_interval: float = 0.0,
                 workers: int = 1, timeout: float = 120) -> None:
        self.port = free_port()
        self.tail: deque[str] = deque(maxlen=40)
        self.datadir = tempfile.TemporaryDirectory(prefix="eduplan-load-")
        env = {**os.environ, "EDUPLAN_TODAY": TODAY, "EDUPLAN_DATA_DIR": self.datadir.name,
               "PYTHONUNBUFFERED": "1"}
        cmd = [str(EDUPLAN), "serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers),
               *(["--threads", str(threads)] if threads else [])]
        if switch_interval:  # the same command, with the GIL handed between threads more often
            cmd = [sys.executable, "-c", "import sys; sys.setswitchinterval(float(sys.argv.pop(1))); "
                   "sys.argv[0] = 'eduplan'; from eduplan.cli import run; run()", str(switch_interval), *cmd[1:]]
        if database_url:
            env["EDUPLAN_DATABASE_URL"] = database_url
        else:
            env.pop("EDUPLAN_DATABASE_URL", None)
            cmd += ["--db", str(db)]
        self.proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     encoding="utf-8", errors="replace")
        ready = threading.Event()
        self.url = ""

        def drain() -> None:
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                self.tail.append(line.rstrip())
                if line.startswith("URL:") and not ready.is_set():
                    self.url = line.split(":", 1)[1].strip()
                    ready.set()
            ready.set()

        threading.Thread(target=drain, daemon=True).start()
        if not ready.wait(timeout) or not self.url:
            self.stop()
            raise SystemExit("eduplan serve did not start:\n" + "\n".join(self.tail))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.datadir.cleanup()


# ---------------------------------------------------------------- clients

class LoginFailed(Exception):
    pass


@dataclass
class Client:
    """One persona: a keep-alive connection, a session cookie and an API token."""

    host: str
    port: int
    username: str
    kind: str = ""
    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""
    conn: http.client.HTTPConnection | None = None
    writable: list[int] = field(default_factory=list)  # assignment ids this persona may report on

    def request(self, method: str, path: str, *, body: bytes | None = None,
                headers: dict[str, str] | None = None, auth: str = "session") -> tuple[int, dict, bytes]:
        headers = dict(headers or {})
        if auth == "session" and self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if auth == "token" and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        for attempt in (1, 2):  # a keep-alive connection the server closed is reopened once
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            if response.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            for value in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
            return response.status, dict(response.getheaders()), data
        raise AssertionError("unreachable")

    def login_web(self, password: str) -> None:
        status, _, page = self.request("GET", "/accounts/login/")
        match = CSRF_FIELD.search(page.decode("utf-8", "replace"))
        if status != 200 or not match:
            raise LoginFailed(f"{self.username}: login page answered {status} without a CSRF token")
        form = urlencode({"username": self.username, "password": password,
                          "csrfmiddlewaretoken": match.group(1), "next": "/"}).encode()
        status, headers, _ = self.request("POST", "/accounts/login/", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://{self.host}:{self.port}/"})
        if status != 302 or "sessionid" not in self.cookies:
            raise LoginFailed(f"{self.username}: web login answered {status} {headers.get('Location', '')}")

    def login_api(self, password: str) -> None:
        body = json.dumps({"username": self.username, "password": password}).encode()
        status, _, data = self.request("POST", "/api/login", body=body, headers={"Content-Type": "application/json"},
                                       auth="none")
        try:
            answer = json.loads(data)
        except ValueError:
            answer = {}
        token = next((answer[k] for k in ("token", "access_token", "access", "key") if isinstance(answer, dict)
                      and isinstance(answer.get(k), str)), "")
        if status != 200 or not token:
            raise LoginFailed(f"{self.username}: API login answered {status} {data[:200]!r}")
        self.token = token


    def find_writable(self, limit: int = 10) -> None:
        """Open assignments this persona may report on, found as a user would: the task list,
        then each task's detail (``can_report``)."""
        status, _, data = self.request("GET", "/api/tasks?limit=50", auth="token")
        if status != 200:
            return
        for item in json.loads(data)["items"]:
            status, _, data = self.request("GET", f"/api/tasks/{item['id']}", auth="token")
            if status != 200:
                continue
            for assignment in json.loads(data).get("assignments", []):
                if assignment.get("can_report") and not assignment.get("closed_at"):
                    self.writable.append(assignment["id"])
            if len(self.writable) >= limit:
                return

    def write_report(self, rng: random.Random) -> int:
        body = json.dumps({"period": TODAY[:7], "state": "in_progress", "percent": rng.randint(10, 90),
                           "narrative": "按计划推进（压力测试填报）"}, ensure_ascii=False).encode()
        path = WRITE[1].format(id=rng.choice(self.writable))
        status, _, _ = self.request("POST", path, body=body, auth="token",
                                    headers={"Content-Type": "application/json"})
        return 200 if status == 201 else status  # 201 Created is the success of a write


def personas(count: int) -> list[tuple[str, str]]:
    """(kind, username) from bench/city_data.py: kinds in turn, each from a different district."""
    names = []
    for i in range(count):
        kind, district = KINDS[i % len(KINDS)], i % 20 + 1
        prefix = f"bench{district:02d}_"
        if kind == "dept":
            names.append((kind, f"{prefix}dept{BUSY_DEPARTMENTS[(i // 4) % len(BUSY_DEPARTMENTS)]:02d}"))
        elif kind == "school":
            names.append((kind, f"{prefix}school{(i * 37) % SCHOOLS_IN_SMALLEST_DISTRICT + 1:03d}"))
        else:
            names.append((kind, prefix + kind))
    return names


# ---------------------------------------------------------------- passes

@dataclass
class Sample:
    endpoint: str
    kind: str
    status: int
    ms: float
    at: float = 0.0  # when it was sent, seconds after the pass began


def run_pass(clients: list[Client], per_endpoint: int, seed: int, think: float = 0.0,
             writes: float = 0.0) -> tuple[list[Sample], float]:
    """Every client thread takes the next request off one shared shuffled list until it is empty.

    ``think`` > 0: after each answer a client pauses for an exponentially distributed time of
    that mean (seconds), like a person reading the page; 0 hammers the server back to back.
    ``writes``: the fraction of all requests that are reports, taken by clients who may write
    (one who may not takes the next read instead and leaves the write to another).
    """
    work: queue.SimpleQueue = queue.SimpleQueue()
    items = [e for e in ENDPOINTS for _ in range(per_endpoint)]
    writers = sum(1 for c in clients if c.writable)
    if writes > 0 and writers:
        # Viewers turn the writes they draw into reads: scale up so that the fraction holds.
        items += [WRITE] * round(len(items) * writes / (1 - writes) * len(clients) / writers)
    random.Random(seed).shuffle(items)
    for item in items:
        work.put(item)
    samples: list[Sample] = []
    lock = threading.Lock()
    start_gate = threading.Barrier(len(clients) + 1)
    began = [time.perf_counter()]

    def worker(client: Client) -> None:
        mine = []
        pause = random.Random(f"{seed}-{client.username}")
        start_gate.wait()
        if think > 0:  # people do not all click at the same instant: stagger the first requests
            time.sleep(pause.expovariate(1 / think))
        while True:
            try:
                item = work.get_nowait()
            except queue.Empty:
                break
            if item is WRITE and not client.writable:
                item = pause.choice(ENDPOINTS)  # a viewer reads instead (the writes were scaled up for it)
            name, path, auth = item
            t0 = time.perf_counter()
            try:
                if item is WRITE:
                    status = client.write_report(pause)
                else:
                    status, _, _ = client.request("GET", path, auth=auth)
            except (http.client.HTTPException, OSError):
                status = 0
            mine.append(Sample(name, client.kind, status, (time.perf_counter() - t0) * 1000, t0 - began[0]))
            if think > 0:
                time.sleep(pause.expovariate(1 / think))
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=worker, args=(c,), daemon=True) for c in clients]
    for t in threads:
        t.start()
    began[0] = time.perf_counter()
    start_gate.wait()
    for t in threads:
        t.join()
    return samples, time.perf_counter() - began[0]


def solo_pass(client: Client, per_endpoint: int) -> dict[str, float]:
    """One client alone, one request at a time: the median time of each endpoint with no queueing."""
    out = {}
    for name, path, auth in ENDPOINTS:
        ms = []
        for _ in range(per_endpoint):
            t0 = time.perf_counter()
            client.request("GET", path, auth=auth)
            ms.append((time.perf_counter() - t0) * 1000)
        out[name] = statistics.median(ms)
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its worker processes so far (Linux /proc)."""
    fields = _stat(pid)
    if fields is None:
        return float("nan")
    ticks = int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])  # own, and reaped workers'
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (child := _stat(int(entry.name))) and int(child[1]) == pid:
            ticks += int(child[11]) + int(child[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state, parent, …)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all cores so far, from /proc/stat."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0, 0
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _measured(samples: list[Sample]) -> tuple[tuple[str, str, str], ...]:
    return ENDPOINTS + ((WRITE,) if any(s.endpoint == WRITE[0] for s in samples) else ())


def stats(samples: list[Sample], seconds: float) -> dict[str, dict]:
    out = {}
    for name, *_ in _measured(samples):
        ms = [s.ms for s in samples if s.endpoint == name]
        out[name] = {"count": len(ms), "errors": sum(1 for s in samples if s.endpoint == name and s.status != 200),
                     "statuses": sorted({s.status for s in samples if s.endpoint == name}),
                     "p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95), "max_ms": max(ms, default=0.0),
                     "rps": len(ms) / seconds if seconds else 0.0}
    for name, *_ in _measured(samples):
        for kind in KINDS:
            ms = [s.ms for s in samples if s.endpoint == name and s.kind == kind]
            out[name][f"{kind}_p50_ms"] = percentile(ms, 50)
            out[name][f"{kind}_p95_ms"] = percentile(ms, 95)
    reads = [s for s in samples if s.endpoint != WRITE[0]]
    if len(reads) < len(samples):
        ms = [s.ms for s in reads]
        out["all reads"] = {"count": len(ms), "errors": sum(1 for s in reads if s.status != 200),
                            "statuses": sorted({s.status for s in reads}),
                            "p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95), "max_ms": max(ms, default=0.0),
                            "rps": len(ms) / seconds if seconds else 0.0}
    ms = [s.ms for s in samples]
    out["all"] = {"count": len(ms), "errors": sum(1 for s in samples if s.status != 200),
                  "statuses": sorted({s.status for s in samples}),
                  "p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95), "max_ms": max(ms, default=0.0),
                  "rps": len(ms) / seconds if seconds else 0.0}
    return out


def table(rows: dict[str, dict], title: str, solo: dict[str, float] | None = None) -> str:
    solo = solo or {}
    lines = [f"**{title}**", "", "| endpoint | requests | errors | p50 ms | p95 ms | max ms | req/s | alone p50 ms |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in rows.items():
        errors = str(r["errors"]) + (f" ({','.join(map(str, r['statuses']))})" if r["errors"] else "")
        alone = f"{solo[name]:.0f}" if name in solo else ""
        lines.append(f"| {name} | {r['count']} | {errors} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | "
                     f"{r['max_ms']:.0f} | {r['rps']:.1f} | {alone} |")
    return "\n".join(lines)


def medians(runs: list[dict[str, dict]]) -> dict[str, dict]:
    out = {}
    for name in runs[0]:
        rs = [r[name] for r in runs]
        out[name] = {"count": sum(r["count"] for r in rs), "errors": sum(r["errors"] for r in rs),
                     "statuses": sorted({s for r in rs for s in r["statuses"]}),
                     "max_ms": max(r["max_ms"] for r in rs), "rps": statistics.median(r["rps"] for r in rs)}
        for key in rs[0]:
            if key.endswith("p50_ms") or key.endswith("p95_ms"):
                out[name][key] = statistics.median(r[key] for r in rs)
    return out


def persona_table(rows: dict[str, dict]) -> str:
    lines = ["**p50 / p95 ms by persona (medians of the runs)**", "",
             "| endpoint | " + " | ".join(KINDS) + " |", "|---|" + "---:|" * len(KINDS)]
    for name in rows:
        if name.startswith("all"):
            continue
        r = rows[name]
        lines.append(f"| {name} | " + " | ".join(f"{r[f'{k}_p50_ms']:.0f} / {r[f'{k}_p95_ms']:.0f}" for k in KINDS)
                     + " |")
    return "\n".join(lines)


def profile(path: str, username: str, *, db: Path | None, database_url: str | None, repeat: int) -> None:
    """One request in-process (Django's test client): its queries, then cProfile of ``repeat`` runs."""
    import cProfile
    import pstats

    os.environ["EDUPLAN_TODAY"] = TODAY
    if database_url:
        os.environ["EDUPLAN_DATABASE_URL"] = database_url
    from eduplan.cli import _setup_django

    _setup_django(db if not database_url else None)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    client = TestClient(raise_request_exception=True, HTTP_HOST="127.0.0.1")  # a host ALLOWED_HOSTS accepts
    user = get_user_model().objects.get(username=username)
    headers = {}
    if path.startswith("/api/"):
        from eduplan.api.models import ApiToken

        headers["Authorization"] = f"Bearer {ApiToken.issue(user)}"
    else:
        client.force_login(user)
    client.get(path, headers=headers)  # warm: imports, template loading, first connection
    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        response = client.get(path, headers=headers)
        elapsed = time.perf_counter() - t0
    sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    print(f"{path} as {username}: HTTP {response.status_code}, {len(response.content):,} bytes, "
          f"{elapsed * 1000:.1f} ms, {len(queries)} queries ({sql_ms:.1f} ms in SQL)")
    shapes: dict[str, list[float]] = {}
    for q in queries.captured_queries:
        shape = re.sub(r"\b\d+\b", "N", re.sub(r"'[^']*'", "'…'", q["sql"]))
        shapes.setdefault(shape, []).append(float(q["time"]) * 1000)
    print("\nqueries by shape (count, ms total):")
    for shape, times in sorted(shapes.items(), key=lambda kv: -sum(kv[1])):
        print(f"  {len(times):4d} × {sum(times):7.1f} ms  {shape[:220]}")
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(repeat):
        client.get(path, headers=headers)
    prof.disable()
    stats = pstats.Stats(prof)
    total = max(stats.total_tt, 1e-9)
    print(f"\nper request ({repeat} profiled, {1000 * total / repeat:.1f} ms each under cProfile), selected calls:")
    for (filename, _, function), (_, ncalls, _, cumtime, _) in sorted(stats.stats.items(), key=lambda kv: -kv[1][3]):
        module = filename.replace("\\", "/").split("/eduplan/")[-1] if "/eduplan/" in filename else ""
        interesting = (module.startswith("indicators/") or module.startswith("tracking/warnings")
                       or (function == "render" and filename.endswith("django/template/base.py"))
                       or (function == "execute" and "backends" in filename and filename.endswith("utils.py")))
        if interesting and cumtime / total >= 0.02:
            print(f"  {ncalls / repeat:7.1f} calls  {100 * cumtime / total:5.1f}%  {module or filename.split('site-packages/')[-1]}:{function}")
    print(f"\ncProfile of {repeat} requests, by cumulative time:")
    pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
    print("by own time:")
    pstats.Stats(prof).sort_stats("tottime").print_stats(25)


def positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text}: must be 1 or more")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="SQLite file made by bench/city_data.py")
    parser.add_argument("--database-url", help="postgres://… instead of --db")
    parser.add_argument("--url", help="use a server that is already running instead of starting one")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400, help="measured requests per endpoint and run")
    parser.add_argument("--warmup", type=int, default=40, help="warm-up requests per endpoint (not counted)")
    parser.add_argument("--runs", type=int, default=3, help="measured passes; medians are reported")
    parser.add_argument("--solo", type=int, default=20,
                        help="requests per endpoint by one client alone, before the passes (0: skip)")
    parser.add_argument("--threads", type=positive, help="waitress threads per process (default: eduplan serve's)")
    parser.add_argument("--servers", type=int, default=1,
                        help="server processes to start; clients are spread over them (what several "
                             "worker processes behind a proxy would do)")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes of each server (eduplan serve --workers), sharing its port")
    parser.add_argument("--switch-interval", type=float, default=0.0,
                        help="experiment: sys.setswitchinterval() for the server (Python's default is 0.005 s)")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean pause in seconds between a client's requests (default 0: back to back)")
    parser.add_argument("--writes", type=float, default=0.0,
                        help="fraction of all requests that post progress reports (e.g. 0.1); they stay in the database")
    parser.add_argument("--endpoints", choices=sorted(ENDPOINT_SETS), default="tasks",
                        help="the pages to load: tasks (dashboard, task lists, API list) or indicators "
                             "(/indicators/, /indicators/fitness_pass_rate/ and the dashboard)")
    parser.add_argument("--password", default=BENCH_PASSWORD)
    parser.add_argument("--json", type=Path, help="write every run's figures to this file")
    parser.add_argument("--profile", metavar="PATH",
                        help="no load: run PATH in-process as --as user, print its queries and a cProfile")
    parser.add_argument("--as", dest="as_user", default="bench01_admin", help="user for --profile")
    parser.add_argument("--repeat", type=int, default=20, help="requests profiled by --profile")
    args = parser.parse_args(argv)
    global ENDPOINTS
    ENDPOINTS = ENDPOINT_SETS[args.endpoints]
    if not (args.url or args.database_url or args.db):
        parser.error("--db, --database-url or --url is required")
    if args.profile:
        profile(args.profile, args.as_user, db=args.db, database_url=args.database_url, repeat=args.repeat)
        return 0
    if args.db and not args.database_url and not args.url and not args.db.exists():
        parser.error(f"{args.db} does not exist; make it with bench/city_data.py")

    load_before = os.getloadavg()[0]  # before this script adds its own threads to it
    if load_before > 1.0:
        print(f"note: load average {load_before:.1f} before starting: other work shares the cores", file=sys.stderr)
    servers = [] if args.url else [
        Server(db=args.db, database_url=args.database_url, threads=args.threads,
               switch_interval=args.switch_interval, workers=args.workers) for _ in range(args.servers)]
    urls = [args.url] if args.url else [server.url for server in servers]
    backend = "url" if args.url else ("postgresql" if args.database_url else "sqlite")
    setup = (f"{args.clients} clients, think {args.think} s, writes {args.writes:.0%}, {len(urls)} server(s) × "
             f"{args.workers} process(es) × {args.threads or 'default'} threads" + (f", switch interval {args.switch_interval} s" if args.switch_interval else ""))
    try:
        clients = []
        for i, (kind, name) in enumerate(personas(args.clients)):
            parts = urlsplit(urls[i % len(urls)])  # several servers: clients spread round-robin
            clients.append(Client(parts.hostname or "127.0.0.1", parts.port or 80, name, kind))
        t0 = time.perf_counter()
        for client in clients:
            client.login_web(args.password)
            client.login_api(args.password)
        if args.writes > 0:
            for client in clients:
                if client.kind != "viewer":
                    client.find_writable()
            print(f"writers: {sum(1 for c in clients if c.writable)} personas with "
                  f"{sum(len(c.writable) for c in clients)} open assignments", file=sys.stderr)
        print(f"{backend} server(s) at {' '.join(urls)}; {len(clients)} clients logged in "
              f"({time.perf_counter() - t0:.1f} s): {', '.join(c.username for c in clients)}", file=sys.stderr)
        samples, seconds = run_pass(clients, args.warmup, seed=0, writes=args.writes)
        warm = stats(samples, seconds)
        print(f"warm-up: {len(samples)} requests in {seconds:.1f} s, {warm['all']['errors']} errors",
              file=sys.stderr)
        # Each persona kind alone, one request at a time; the medians of those per endpoint.
        solos = [solo_pass(c, args.solo) for c in clients[:len(KINDS)]] if args.solo else []
        solo = {name: statistics.median(s[name] for s in solos) for name, *_ in ENDPOINTS} if solos else {}
        runs = []
        for n in range(1, args.runs + 1):
            server_cpu0 = sum(cpu_seconds(server.proc.pid) for server in servers)
            own0 = sum(os.times()[:2])
            busy0 = machine_busy()
            samples, seconds = run_pass(clients, args.requests, seed=n, think=args.think, writes=args.writes)
            run = stats(samples, seconds)
            busy1 = machine_busy()
            count = max(1, len(samples))
            run["all"]["server_cpu_ms_per_request"] = (
                1000 * (sum(cpu_seconds(server.proc.pid) for server in servers) - server_cpu0) / count
                if servers else float("nan"))
            run["all"]["client_cpu_ms_per_request"] = 1000 * (sum(os.times()[:2]) - own0) / count
            run["all"]["machine_busy_pct"] = 100 * (busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1])
            run["all"]["loadavg_1min_after"] = os.getloadavg()[0]
            runs.append(run)
            print(table(run, f"{backend} run {n}/{args.runs}: {len(samples)} requests in {seconds:.1f} s, {setup}; "
                             f"CPU per request: server {run['all']['server_cpu_ms_per_request']:.1f} ms, "
                             f"load client {run['all']['client_cpu_ms_per_request']:.1f} ms; "
                             f"machine busy {run['all']['machine_busy_pct']:.0f}%"), "\n", flush=True)
        summary = medians(runs)
        for key in ("server_cpu_ms_per_request", "client_cpu_ms_per_request", "machine_busy_pct"):
            summary["all"][key] = statistics.median(r["all"][key] for r in runs)
        print(table(summary, f"{backend}: median p50/p95 of {args.runs} runs ({setup}, {args.requests} requests "
                             f"per endpoint and run; server CPU {summary['all']['server_cpu_ms_per_request']:.1f} "
                             f"ms/request, machine busy {summary['all']['machine_busy_pct']:.0f}%)", solo))
        print()
        print(persona_table(summary))
        if any(r["all"]["errors"] for r in runs):  # what the server logged about them
            print("\nserver log, last lines:\n" + "\n".join(line for server in servers for line in server.tail),
                  file=sys.stderr)
        if args.json:
            args.json.write_text(json.dumps({
                "backend": backend, "urls": urls, "clients": args.clients, "think_s": args.think,
                "requests": args.requests, "servers": len(urls), "threads": args.threads or "eduplan serve's default",
                "personas": [c.username for c in clients], "warmup": warm, "alone_p50_ms": solo,
                "loadavg_1min_before": load_before,
                "runs": runs, "median": summary}, ensure_ascii=False, indent=2), encoding="utf-8")
    except LoginFailed as err:
        tail = "\n".join(line for server in servers for line in server.tail)
        raise SystemExit(f"login failed: {err}\n{tail}") from None
    finally:
        for server in servers:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
