"""`eduplan serve --workers N`: several processes on one socket, replaced when one dies, all
stopped with the parent."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .test_cli_platform import BUREAU, eduplan

NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # the parent's pid is the second field after the command name in parentheses
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def wait_for(condition, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


def test_workers_share_the_port_are_replaced_and_stop_with_the_parent(tmp_path):
    db = tmp_path / "eduplan.sqlite3"
    assert eduplan("init-bureau", BUREAU, db=db).returncode == 0
    env = {**os.environ, "EDUPLAN_DATA_DIR": str(tmp_path / "data")}
    env.pop("EDUPLAN_DATABASE_URL", None)
    server = subprocess.Popen([sys.executable, "-m", "eduplan.cli", "serve", "--port", "0", "--workers", "2",
                               "--db", str(db)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        url = next(m.group(1) for line in server.stdout if (m := re.match(r"URL: (\S+)", line)))
        workers = children_of(server.pid)
        assert len(workers) == 2
        assert all(NO_PROXY.open(url + "accounts/login/").status == 200 for _ in range(6))

        time.sleep(2.5)  # older than a worker that dies at start-up
        lost = min(workers)
        os.kill(lost, signal.SIGKILL)
        wait_for(lambda: len(children_of(server.pid) - {lost}) == 2)
        assert NO_PROXY.open(url + "accounts/login/").status == 200
        workers = children_of(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=20)
    wait_for(lambda: not any(alive(pid) for pid in workers))


def test_workers_go_when_the_parent_is_killed_outright(tmp_path):
    db = tmp_path / "eduplan.sqlite3"
    assert eduplan("init-bureau", BUREAU, db=db).returncode == 0
    env = {**os.environ, "EDUPLAN_DATA_DIR": str(tmp_path / "data")}
    env.pop("EDUPLAN_DATABASE_URL", None)
    server = subprocess.Popen([sys.executable, "-m", "eduplan.cli", "serve", "--port", "0", "--workers", "2",
                               "--db", str(db)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        next(line for line in server.stdout if line.startswith("URL: "))
        workers = children_of(server.pid)
        assert len(workers) == 2
        server.kill()  # SIGKILL: no cleanup of its own
        server.wait(timeout=20)
        wait_for(lambda: not any(alive(pid) for pid in workers))
    finally:
        if server.poll() is None:
            server.kill()
