"""The ``eduplan`` command, run as a user would (click's runner and a real subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from eduplan.cli import main

from .conftest import EXAMPLE_PLAN


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_parse_prints_json_of_one_file() -> None:
    code, out, _ = _run("parse", str(EXAMPLE_PLAN))
    assert code == 0
    plan = json.loads(out)["plans"][0]
    assert plan["title"] == "澜江市青禾区2025年教育工作要点"
    assert plan["region"] == "澜江市青禾区"
    assert len([h for h in plan["headings"] if h["level"] == 1]) == 6
    assert {"metric", "comparator", "value", "unit", "quote", "start", "end"} <= set(plan["targets"][0])


def test_parse_writes_markdown_and_xlsx(tmp_path: Path) -> None:
    assert _run("parse", str(EXAMPLE_PLAN), "--format", "md", "--out", str(tmp_path))[0] == 0
    assert _run("parse", str(EXAMPLE_PLAN), "--format", "xlsx", "--out", str(tmp_path))[0] == 0
    md = (tmp_path / "qinghe_2025_annual.md").read_text(encoding="utf-8")
    assert "新增普惠性学前学位1200个" in md
    sheet = load_workbook(tmp_path / "qinghe_2025_annual.xlsx").worksheets[0]
    assert [c.value for c in sheet[2]][:3] == ["序号", "重点任务", "具体措施"]


def test_batch_goes_on_past_a_bad_file_and_fails_at_the_end(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "good.txt").write_text(EXAMPLE_PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    (plans / "empty.txt").write_bytes(b"")
    (plans / "broken.pdf").write_bytes(b"not a pdf at all")
    code, _, err = _run("parse", str(plans), "--out", str(tmp_path / "out"))
    assert code == 1
    assert (tmp_path / "out" / "good.json").exists()
    failures = [line for line in err.splitlines() if line.startswith(str(plans))]
    assert len(failures) == 2
    assert any("empty.txt" in line and "[E102]" in line for line in failures)
    assert any("broken.pdf" in line and "[E107]" in line for line in failures)
    assert "Traceback" not in err


def test_missing_file_and_empty_directory_are_one_line_each(tmp_path: Path) -> None:
    code, _, err = _run("parse", str(tmp_path / "nope.txt"), str(tmp_path))
    assert code == 1
    assert "[E101]" in err and "[E111]" in err
    assert "Traceback" not in err


def test_wrong_encoding_gets_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes("一、任务\n".encode() + b"\xff\xfe\xfa\x80\x81 broken")
    code, _, err = _run("parse", str(bad))
    assert code == 1
    assert "[E104]" in err and "bad.txt" in err


def test_binary_file_gets_a_clear_error(tmp_path: Path) -> None:
    blob = tmp_path / "image.txt"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    code, _, err = _run("parse", str(blob))
    assert code == 1
    assert "[E105]" in err


def test_console_script_reports_errors_without_traceback(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    done = subprocess.run([sys.executable, "-m", "eduplan.cli", "parse", str(empty)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stderr.strip().endswith(f"[E102] 文件为空：{empty} / file is empty: {empty}")
    assert "Traceback" not in done.stderr
