"""Commands on a demo database keep the demo's date; a confirmation without a terminal says
that --yes is needed."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from .conftest import EXAMPLE_PLAN
from .test_cli_platform import BUREAU, eduplan, row_counts


def build_demo_database(tmp_path: Path) -> Path:
    """Run `eduplan demo` until it serves, then stop it: the demo database stays behind."""
    db = tmp_path / "demo.sqlite3"
    env = {**os.environ, "EDUPLAN_DATA_DIR": str(tmp_path / "data")}
    for name in ("EDUPLAN_DATABASE_URL", "EDUPLAN_TODAY"):
        env.pop(name, None)
    process = subprocess.Popen([sys.executable, "-m", "eduplan.cli", "demo", "--port", "0", "--db", str(db)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        output = []
        for line in process.stdout:
            output.append(line)
            if line.startswith("admin: "):
                break
        assert "演示日期 / demo date: 2025-09-30" in "".join(output)
    finally:
        process.terminate()
        process.wait(timeout=20)
    return db


def plain(*args: str, db: Path) -> subprocess.CompletedProcess:
    """A command with no EDUPLAN_TODAY in its environment: only the database's clock."""
    saved = os.environ.pop("EDUPLAN_TODAY", None)
    try:
        return eduplan(*args, db=db)
    finally:
        if saved is not None:
            os.environ["EDUPLAN_TODAY"] = saved


def test_commands_on_the_demo_database_keep_the_demo_date(tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    db = build_demo_database(tmp_path)
    assert (tmp_path / "demo.sqlite3.today").read_text().split()[0] == "2025-09-30"
    ledger = plain("export", "ledger", "--out", str(tmp_path / "ledger.xlsx"), db=db)
    assert ledger.returncode == 0, ledger.stderr
    ws = load_workbook(tmp_path / "ledger.xlsx")["工作台账"]
    assert ws["A1"].value.endswith("（截至2025年9月30日）")
    header = [c.value for c in ws[2]]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=3, values_only=True)]
    assert not any(r["状态"] == "逾期" for r in rows)  # the real date would make every task overdue
    reported = {r["最近填报"] for r in rows if r["最近填报"]}
    assert reported and max(reported) <= datetime(2025, 9, 30)
    bulletin = plain("export", "bulletin", "1", "--out", str(tmp_path / "b.docx"), db=db)
    assert bulletin.returncode == 0, bulletin.stderr
    text = "\n".join(p.text for p in Document(tmp_path / "b.docx").paragraphs)
    assert "截至2025年9月30日" in text
    # What is made on the demo now is made on its day too (at the real time of day).
    imported = plain("import", str(EXAMPLE_PLAN), "--bureau", BUREAU, "--yes", db=db)
    assert imported.returncode == 0, imported.stderr
    with sqlite3.connect(db) as connection:
        stamp = connection.execute("SELECT imported_at FROM tracking_plan ORDER BY id DESC LIMIT 1").fetchone()[0]
    local = datetime.fromisoformat(stamp).replace(tzinfo=UTC).astimezone(ZoneInfo("Asia/Shanghai"))
    assert local.date() == date(2025, 9, 30)


# what the confirmation is given on stdin, exit status, what the last line of stderr says (or None)
CONFIRM_CASES = [
    ("", 1, "[E490] 没有终端可以确认：请加 --yes 直接保存"),
    ("y\n", 0, None),
    ("n\n", 0, None),
]


@pytest.mark.parametrize(("answer", "status", "message"), CONFIRM_CASES)
def test_import_breakdown_without_a_terminal_asks_for_yes(tmp_path, answer, status, message):
    from openpyxl import load_workbook

    db = tmp_path / "eduplan.sqlite3"
    assert eduplan("init-bureau", BUREAU, "--admin", "office", db=db).returncode == 0
    assert eduplan("import", str(EXAMPLE_PLAN), "--bureau", BUREAU, "--yes", db=db).returncode == 0
    table = tmp_path / "t.xlsx"
    assert eduplan("export", "breakdown", "1", "--out", str(table), db=db).returncode == 0
    workbook = load_workbook(table)
    sheet = workbook.worksheets[0]
    header = next(row for row in sheet.iter_rows() if any(c.value == "牵头单位" for c in row))
    lead = next(c.column_letter for c in header if c.value == "牵头单位")
    sheet[f"{lead}{header[0].row + 2}"] = "组织人事科"
    workbook.save(table)
    before = row_counts(db)
    done = eduplan("import-breakdown", str(table), "--plan", "1", "--user", "office", db=db, input=answer)
    assert done.returncode == status, done.stderr
    assert "Aborted!" not in done.stderr and "Traceback" not in done.stderr
    if message:
        assert done.stderr.strip().splitlines()[-1].startswith(message)
        assert row_counts(db) == before
    saved = "已保存 1 处修改" in done.stdout
    assert saved == (answer == "y\n")


def test_import_without_a_terminal_asks_for_yes(tmp_path):
    db = tmp_path / "eduplan.sqlite3"
    assert eduplan("init-bureau", BUREAU, db=db).returncode == 0
    done = eduplan("import", str(EXAMPLE_PLAN), "--bureau", BUREAU, db=db, input="")
    assert done.returncode == 1 and re.search(r"\[E490\] .*--yes", done.stderr.strip().splitlines()[-1])
