"""The platform commands, run as real processes on their own SQLite file."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import pytest

from .conftest import EXAMPLE_PLAN

BUREAU = "澜江市青禾区教育局"


def eduplan(*args: str, db: Path, env_today: str | None = None, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "EDUPLAN_DATA_DIR": str(db.parent / "data")}
    if env_today:
        env["EDUPLAN_TODAY"] = env_today
    env.pop("EDUPLAN_DATABASE_URL", None)  # these tests are about the default SQLite file
    return subprocess.run([sys.executable, "-m", "eduplan.cli", *args, "--db", str(db)], capture_output=True,
                          text=True, env=env, check=False, timeout=180, **kwargs)


def test_init_bureau_then_import_a_plan(tmp_path):
    db = tmp_path / "eduplan.sqlite3"
    created = eduplan("init-bureau", BUREAU, db=db)
    assert created.returncode == 0, created.stderr
    assert re.search(r"^admin: admin / \S{12,}$", created.stdout, re.M)
    imported = eduplan("import", str(EXAMPLE_PLAN), "--bureau", BUREAU, "--yes", db=db)
    assert imported.returncode == 0, imported.stderr
    assert re.search(r"已导入 / imported: #1 澜江市青禾区2025年教育工作要点（28 项任务，版本 1）", imported.stdout)


@pytest.mark.parametrize(("args", "message"), [
    (("import", str(EXAMPLE_PLAN), "--bureau", "不存在的教育局", "--yes"), "[E405] 未知的组织单位“不存在的教育局”"),
    (("import", "missing.txt", "--bureau", BUREAU, "--yes"), "[E101] 文件不存在：missing.txt"),
    (("init-bureau", BUREAU), f"[E419] 教育局“{BUREAU}”已存在"),
    (("init-bureau", "澜江市云岭区教育局"), "[E424] 用户名“admin”已被使用"),
    (("demo", "--port", "0"), "[E425] 该数据库不是演示数据库"),
])
def test_bad_input_is_one_line_and_changes_nothing(tmp_path, args, message):
    db = tmp_path / "eduplan.sqlite3"
    assert eduplan("init-bureau", BUREAU, db=db).returncode == 0
    before = row_counts(db)
    done = eduplan(*args, db=db)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith(message)
    assert "Traceback" not in done.stderr
    assert row_counts(db) == before


def row_counts(db: Path) -> dict[str, int]:
    tables = ("orgs_orgunit", "auth_user", "tracking_plan", "tracking_task", "tracking_assignment", "audit_auditentry")
    with sqlite3.connect(db) as connection:
        return {table: connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in tables}


def test_demo_serves_and_prints_the_url_and_admin_login(tmp_path):
    db = tmp_path / "demo.sqlite3"
    env = {**os.environ, "EDUPLAN_DATA_DIR": str(tmp_path / "data")}
    env.pop("EDUPLAN_DATABASE_URL", None)
    process = subprocess.Popen([sys.executable, "-m", "eduplan.cli", "demo", "--port", "0", "--db", str(db)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("admin: "):
                break
        output = "".join(lines)
        url = re.search(r"^URL: (http://127\.0\.0\.1:\d+/)$", output, re.M).group(1)
        username, password = re.search(r"^admin: (\S+) / (\S+)$", output, re.M).groups()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()),
                                             urllib.request.ProxyHandler({}))
        login_page = opener.open(url + "accounts/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
        form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(url + "accounts/login/", data=form, headers={"Referer": url})
        dashboard = opener.open(request)
        assert dashboard.geturl() == url
        assert "工作台" in dashboard.read().decode()
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_export_then_import_an_edited_breakdown(tmp_path):
    from openpyxl import load_workbook

    db = tmp_path / "eduplan.sqlite3"
    assert eduplan("init-bureau", BUREAU, "--admin", "office", db=db).returncode == 0
    assert eduplan("import", str(EXAMPLE_PLAN), "--bureau", BUREAU, "--yes", db=db).returncode == 0
    table = tmp_path / "breakdown.xlsx"
    exported = eduplan("export", "breakdown", "1", "--out", str(table), db=db)
    assert exported.returncode == 0, exported.stderr
    workbook = load_workbook(table)
    sheet = workbook.worksheets[0]
    header = next(row for row in sheet.iter_rows() if any(c.value == "牵头单位" for c in row))
    lead_column = next(c.column_letter for c in header if c.value == "牵头单位")
    first_task_row = header[0].row + 2  # below the header and the first section band
    sheet[f"{lead_column}{first_task_row}"] = "不存在的科室"
    workbook.save(table)
    refused = eduplan("import-breakdown", str(table), "--plan", "1", "--user", "office", "--yes", db=db)
    assert refused.returncode == 1
    assert f"第 {first_task_row} 行 {lead_column} 列（牵头单位）" in refused.stderr
    assert "未保存任何内容" in refused.stderr
    sheet[f"{lead_column}{first_task_row}"] = "组织人事科"
    workbook.save(table)
    saved = eduplan("import-breakdown", str(table), "--plan", "1", "--user", "office", "--yes", db=db)
    assert saved.returncode == 0, saved.stderr
    assert "牵头单位：组织人事科" in saved.stdout and "已保存 1 处修改" in saved.stdout


def test_export_ledger_and_bulletin(tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    db = tmp_path / "eduplan.sqlite3"
    assert eduplan("init-bureau", BUREAU, db=db).returncode == 0
    assert eduplan("import", str(EXAMPLE_PLAN), "--bureau", BUREAU, "--yes", db=db).returncode == 0
    ledger = eduplan("export", "ledger", "--out", str(tmp_path / "ledger.xlsx"), db=db)
    assert ledger.returncode == 0, ledger.stderr
    assert "（28 行）" in ledger.stdout
    assert load_workbook(tmp_path / "ledger.xlsx").sheetnames[:2] == ["工作台账", "汇总"]
    bulletin = eduplan("export", "bulletin", "1", "--period", "2025-06", "--out", str(tmp_path / "b.docx"), db=db,
                       env_today="2025-06-30")
    assert bulletin.returncode == 0, bulletin.stderr
    text = "\n".join(p.text for p in Document(tmp_path / "b.docx").paragraphs)
    assert "督查通报" in text and "28项" in text
    future = eduplan("export", "bulletin", "1", "--period", "2099-01", "--out", str(tmp_path / "c.docx"), db=db)
    assert future.returncode == 1 and "[E634]" in future.stderr and not (tmp_path / "c.docx").exists()


def test_a_reporter_cannot_import_a_breakdown(tmp_path):
    db = tmp_path / "eduplan.sqlite3"
    assert eduplan("init-bureau", BUREAU, db=db).returncode == 0
    assert eduplan("import", str(EXAMPLE_PLAN), "--bureau", BUREAU, "--yes", db=db).returncode == 0
    add_reporter = eduplan("manage", "shell", "-c", (
        "from eduplan.orgs.models import OrgUnit; from eduplan.orgs.services import create_user; "
        "create_user('tb', 'x-Pass-2025', role='reporter', unit=OrgUnit.objects.get(name='体卫艺科'))"), db=db)
    assert add_reporter.returncode == 0, add_reporter.stderr
    table = tmp_path / "t.xlsx"
    assert eduplan("export", "breakdown", "1", "--out", str(table), db=db).returncode == 0
    before = row_counts(db)
    refused = eduplan("import-breakdown", str(table), "--plan", "1", "--user", "tb", "--yes", db=db)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "[E426]" in refused.stderr
    assert row_counts(db) == before


def test_an_unknown_user_is_one_line(tmp_path):
    db = tmp_path / "eduplan.sqlite3"
    assert eduplan("init-bureau", BUREAU, db=db).returncode == 0
    assert eduplan("import", str(EXAMPLE_PLAN), "--bureau", BUREAU, "--yes", db=db).returncode == 0
    table = tmp_path / "t.xlsx"
    assert eduplan("export", "breakdown", "1", "--out", str(table), db=db).returncode == 0
    done = eduplan("import-breakdown", str(table), "--plan", "1", "--user", "nobody", db=db)
    assert done.returncode == 1 and done.stderr.strip() == "[E609] 未知的责任人“nobody” / unknown person 'nobody'"
