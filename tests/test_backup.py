"""Backup and restore: a backup restored into a fresh data folder equals the original, row for
row and file for file; damaged, altered or mismatched archives and occupied targets are refused."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
import zlib
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eduplan.backup import _seal, create_backup
from eduplan.errors import EduplanError

from .conftest import EXAMPLE_PLAN

BUREAU = "澜江市青禾区教育局"
ON_POSTGRES = os.environ.get("EDUPLAN_DATABASE_URL", "").startswith("postgres")


def eduplan(*args: str, data: Path, database_url: str | None = None) -> subprocess.CompletedProcess:
    """The command as a user runs it, on the data folder ``data`` (SQLite unless ``database_url``)."""
    env = {**os.environ, "EDUPLAN_DATA_DIR": str(data)}
    for name in ("EDUPLAN_DATABASE_URL", "EDUPLAN_DB", "EDUPLAN_MEDIA_ROOT"):
        env.pop(name, None)
    if database_url:
        env["EDUPLAN_DATABASE_URL"] = database_url
    return subprocess.run([sys.executable, "-m", "eduplan.cli", *args], capture_output=True, text=True, env=env,
                          check=False, timeout=180)


def last_line(done: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in done.stderr, done.stderr
    return done.stderr.strip().splitlines()[-1]


def sqlite_tables(db: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every row of every table (sqlite_sequence too: the next ids), in primary-key order."""
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {name: db.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall() for name in names}


def file_tables(path: Path) -> dict[str, list[tuple]]:
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return sqlite_tables(db)


def media_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def files_in(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def untouched(data: Path) -> bool:
    """No database, no uploads and no staging left in a data folder a restore was refused."""
    return (not (data / "eduplan.sqlite3").exists() and files_in(data / "media") == []
            and not list(data.glob(".eduplan-*")))


# ---------------------------------------------------------------- the platform's own data, both engines

def add_progress_with_evidence(world) -> None:
    from eduplan.tracking.progress import submit_report

    pdf = SimpleUploadedFile("督导验收报告.pdf", b"%PDF-1.4\n" + os.urandom(40_000))
    png = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 50)
    sheet = SimpleUploadedFile("台账（六月）.xlsx", b"PK\x03\x04" + os.urandom(5_000))
    submit_report(world.assignment(world.task_a), user=world.users["school_a"], period="2025-05", percent=40,
                  state="in_progress", narrative="已完成场地改造方案", files=[pdf, png])
    submit_report(world.assignment(world.task_a), user=world.users["school_a"], period="2025-06", percent=100,
                  state="done", narrative="全部完成", files=[sheet])
    submit_report(world.assignment(world.task_dept), user=world.users["tiwei"], period="2025-06", percent=30,
                  state="blocked", narrative="经费未到位",
                  files=[SimpleUploadedFile("说明.txt", "经费申请已提交。\n".encode())])


def pg_url(dbname: str) -> str:
    return urlsplit(os.environ["EDUPLAN_DATABASE_URL"])._replace(path=f"/{dbname}").geturl()


def pg_tables(dbname: str) -> dict[str, list[tuple]]:
    import psycopg
    from django.db import connection

    given = connection.settings_dict
    params = {"host": given["HOST"], "port": given["PORT"], "user": given["USER"], "password": given["PASSWORD"]}
    with psycopg.connect(dbname=dbname, **{k: v for k, v in params.items() if v}) as db:
        names = [r[0] for r in db.execute("SELECT table_name FROM information_schema.tables WHERE "
                                          "table_schema = current_schema() AND table_type = 'BASE TABLE'")]
        rows = {name: sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}
        rows["(sequences)"] = db.execute("SELECT sequencename, last_value FROM pg_sequences "
                                         "WHERE schemaname = current_schema() ORDER BY 1").fetchall()
    return rows


@pytest.fixture
def pg_target():
    """A second, empty PostgreSQL database to restore into; dropped afterwards."""
    import psycopg
    from django.db import connection

    given = connection.settings_dict
    name = f"{given['NAME']}_restored"
    params = {"host": given["HOST"], "port": given["PORT"], "user": given["USER"], "password": given["PASSWORD"]}
    params = {k: v for k, v in params.items() if v}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)  # committed, so pg_dump's own connection sees the data
def test_a_restored_backup_equals_the_original_row_for_row_and_file_for_file(world, settings, tmp_path, request):
    from django.db import connection

    from eduplan.tracking.models import Evidence

    add_progress_with_evidence(world)
    archive = tmp_path / "backups" / "b.tar.gz"
    seen = []
    summary = create_backup(archive, progress=lambda done, total: seen.append((done, total)))
    assert summary.files == len(files_in(Path(settings.MEDIA_ROOT))) == 5  # the plan's source and 4 evidence files
    assert summary.tables["tracking_evidence"] == 4 and summary.tables["tracking_task"] == 28
    assert seen[-1] == (6, 6)

    restored = tmp_path / "restored"
    if ON_POSTGRES:
        target = request.getfixturevalue("pg_target")
        done = eduplan("restore", str(archive), data=restored, database_url=pg_url(target))
        assert done.returncode == 0, done.stderr
        assert pg_tables(target) == pg_tables(connection.settings_dict["NAME"])
    else:
        done = eduplan("restore", str(archive), data=restored)
        assert done.returncode == 0, done.stderr
        name = connection.settings_dict["NAME"]  # the test database, in memory: a second connection reads it
        with closing(sqlite3.connect(name, uri=name.startswith("file:"))) as source:
            original = sqlite_tables(source)
        assert file_tables(restored / "eduplan.sqlite3") == original
        assert len(original["tracking_progressreport"]) == 3 and len(original["auth_user"]) == 7
    assert f"{summary.rows} 行 rows" in done.stdout and "5 个文件 files" in done.stdout

    restored_files = media_files(restored / "media")
    assert restored_files == media_files(Path(settings.MEDIA_ROOT))
    for evidence in Evidence.objects.all():
        assert evidence.file.name in restored_files
    assert not [p for p in restored.iterdir() if p.name.startswith(".eduplan-")]  # no staging left behind


@pytest.mark.skipif(not ON_POSTGRES, reason="pg_dump is only used on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_without_pg_dump_the_backup_says_so_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(EduplanError) as raised:
        create_backup(tmp_path / "b.tar.gz")
    assert raised.value.code == "E462" and "pg_dump" in str(raised.value)
    assert not (tmp_path / "b.tar.gz").exists()


def fake_tool(folder: Path, name: str, body: str) -> Path:
    script = folder / name
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_pg_tools_get_the_connection_settings_in_their_environment_not_their_arguments(tmp_path):
    from eduplan.backup import _run

    seen = tmp_path / "seen.txt"
    tool = fake_tool(tmp_path, "pg_dump", f'echo "$@" > {seen}; env | grep ^PG | sort >> {seen}')
    _run(str(tool), ["--format=custom"], {"NAME": "eduplan", "USER": "u", "PASSWORD": "s3cret", "HOST": "db",
                                          "PORT": 5433, "OPTIONS": {"sslmode": "require"}})
    args, *env = seen.read_text().splitlines()
    assert args == "--format=custom"
    assert {"PGDATABASE=eduplan", "PGUSER=u", "PGPASSWORD=s3cret", "PGHOST=db", "PGPORT=5433",
            "PGSSLMODE=require"} <= set(env)


def test_a_failing_pg_tool_is_one_line_with_its_first_message(tmp_path):
    from eduplan.backup import _run

    tool = fake_tool(tmp_path, "pg_restore", 'echo "pg_restore: error: connection refused" >&2; echo more >&2; exit 1')
    with pytest.raises(EduplanError) as raised:
        _run(str(tool), [], {"NAME": "eduplan"})
    assert raised.value.code == "E463"
    assert str(raised.value).startswith("[E463] pg_restore 运行失败：pg_restore: error: connection refused")


# ---------------------------------------------------------------- the commands, on SQLite files

@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """A data folder with a bureau and the example plan (its source file is an upload)."""
    data = tmp_path_factory.mktemp("pristine") / "data"
    assert eduplan("init-bureau", BUREAU, data=data).returncode == 0
    imported = eduplan("import", str(EXAMPLE_PLAN), "--bureau", BUREAU, "--yes", data=data)
    assert imported.returncode == 0, imported.stderr
    return data


@pytest.fixture
def source(pristine, tmp_path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(pristine, data)
    return data


@pytest.fixture
def archive(source, tmp_path) -> Path:
    out = tmp_path / "backup.tar.gz"
    done = eduplan("backup", "--out", str(out), data=source)
    assert done.returncode == 0, done.stderr
    return out


def test_backup_defaults_to_the_data_folders_backups_directory(source):
    done = eduplan("backup", data=source)
    assert done.returncode == 0, done.stderr
    made = list((source / "backups").glob("eduplan-backup-*.tar.gz"))
    assert len(made) == 1 and str(made[0]) in done.stdout
    assert "1 个文件 files" in done.stdout
    with tarfile.open(made[0]) as tar:
        names = tar.getnames()
    assert names[0] == "database/eduplan.sqlite3" and names[-1] == "manifest.json"
    assert [n for n in names if n.startswith("media/plans/")]


def test_backup_of_a_missing_database_is_one_line(tmp_path):
    done = eduplan("backup", "--out", str(tmp_path / "b.tar.gz"), "--db", str(tmp_path / "none.sqlite3"),
                   data=tmp_path / "data")
    assert done.returncode == 1
    assert last_line(done).startswith("[E460] 找不到要备份的数据库")
    assert not (tmp_path / "none.sqlite3").exists() and not (tmp_path / "b.tar.gz").exists()


def test_restore_into_a_folder_that_holds_data_needs_force(source, archive):
    db = source / "eduplan.sqlite3"
    at_backup = file_tables(db)
    assert eduplan("init-bureau", "澜江市云岭区教育局", "--admin", "yunling", data=source).returncode == 0
    changed = file_tables(db)
    refused = eduplan("restore", str(archive), data=source)
    assert refused.returncode == 1
    assert last_line(refused).startswith(f"[E467] 恢复目标已有数据：{db} 中 ")
    assert "add --force" in last_line(refused)
    assert file_tables(db) == changed

    # A server that died mid-work leaves its last commits in the -wal file beside the database.
    crash = ("import os, sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute('PRAGMA journal_mode=WAL'); "
             "db.execute(\"UPDATE orgs_orgunit SET name = name || '（改）'\"); db.commit(); os._exit(0)")
    subprocess.run([sys.executable, "-c", crash, str(db)], check=True, timeout=60)
    assert (source / "eduplan.sqlite3-wal").stat().st_size > 0
    forced = eduplan("restore", str(archive), "--force", data=source)
    assert forced.returncode == 0, forced.stderr
    assert "已替换原有的" in forced.stdout
    assert not (source / "eduplan.sqlite3-wal").exists()  # the old -wal must not be applied to the new file
    assert file_tables(db) == at_backup
    assert not [p for p in source.iterdir() if p.name.startswith(".eduplan-")]
    assert list((source / "media" / "plans").rglob("*.txt"))


def test_a_migrated_but_empty_install_is_not_data(archive, tmp_path):
    fresh = tmp_path / "fresh"
    # `manage check` migrates first, as starting the server would
    assert eduplan("manage", "check", data=fresh).returncode == 0
    done = eduplan("restore", str(archive), data=fresh)
    assert done.returncode == 0, done.stderr


def flip_a_byte(data: bytes) -> bytes:
    """``data`` with one byte near the middle inverted, one that changes what the archive holds:
    a few bits of deflate's code tables can change without changing what they decode to."""
    original = gzip.decompress(data)
    for position in range(len(data) // 2, len(data)):
        changed = bytearray(data)
        changed[position] ^= 0xFF
        try:
            if gzip.decompress(bytes(changed)) == original:
                continue
        except (OSError, EOFError, zlib.error):
            pass
        return bytes(changed)
    raise AssertionError("no byte to change")


def test_a_changed_byte_is_refused_before_anything_is_touched(archive, tmp_path):
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(flip_a_byte(archive.read_bytes()))
    fresh = tmp_path / "fresh"
    done = eduplan("restore", str(broken), data=fresh)
    assert done.returncode == 1
    assert last_line(done).startswith("[E465] 备份文件已损坏或被改动，未恢复任何内容")
    assert untouched(fresh)


def repack(archive: Path, out: Path, change) -> Path:
    """Copy ``archive`` member by member through ``change(name, data) -> data``."""
    with tarfile.open(archive) as source, tarfile.open(out, "w:gz") as target:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return out


def test_an_altered_file_is_named_and_nothing_is_restored(archive, tmp_path):
    def alter(name: str, data: bytes) -> bytes:
        return data.replace("青禾区".encode(), "云岭区".encode(), 1) if name.startswith("media/plans/") else data

    altered = repack(archive, tmp_path / "altered.tar.gz", alter)
    fresh = tmp_path / "fresh"
    done = eduplan("restore", str(altered), data=fresh)
    assert done.returncode == 1
    line = last_line(done)
    assert line.startswith("[E465]") and "media/plans/" in line and "checksum mismatch" in line
    assert untouched(fresh)


def test_an_altered_manifest_is_refused(archive, tmp_path):
    def alter(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["tables"]["auth_user"] += 1
        return json.dumps(manifest).encode()

    done = eduplan("restore", str(repack(archive, tmp_path / "m.tar.gz", alter)), data=tmp_path / "fresh")
    assert done.returncode == 1 and last_line(done).startswith("[E465]") and "manifest.json" in last_line(done)


@pytest.mark.parametrize(("change", "code"), [
    ({"engine": "postgresql"}, "[E466] 备份中是 PostgreSQL 数据库，而本系统配置的是 SQLite"),
    ({"migrations": [["tracking", "9999_from_the_future"]]}, "[E469] 备份来自较新的 eduplan"),
])
def test_a_backup_this_install_cannot_hold_is_refused(archive, tmp_path, change, code):
    def alter(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest.pop("checksum")
        if "migrations" in change:
            change["migrations"] = manifest["migrations"] + change["migrations"]
        return json.dumps(_seal({**manifest, **change})).encode()

    fresh = tmp_path / "fresh"
    done = eduplan("restore", str(repack(archive, tmp_path / "other.tar.gz", alter)), data=fresh)
    assert done.returncode == 1 and last_line(done).startswith(code)
    assert untouched(fresh)


def test_a_file_that_is_no_backup_is_refused(tmp_path):
    for name, content in (("notes.tar.gz", b"just text"), ("empty.tar.gz", b"")):
        (tmp_path / name).write_bytes(content)
        done = eduplan("restore", str(tmp_path / name), data=tmp_path / "fresh")
        assert done.returncode == 1 and last_line(done).startswith("[E464] 不是 eduplan 备份文件")
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        tar.add(EXAMPLE_PLAN, arcname="../../etc/plan.txt")
    done = eduplan("restore", str(other), data=tmp_path / "fresh")
    assert done.returncode == 1 and last_line(done).startswith("[E464]")
    assert untouched(tmp_path / "fresh") and not (tmp_path.parent / "etc").exists()


def test_a_backup_taken_while_another_connection_writes_is_consistent(source, tmp_path):
    db = source / "eduplan.sqlite3"
    with closing(sqlite3.connect(db)) as setup, setup:
        setup.execute("CREATE TABLE probe_a (id INTEGER PRIMARY KEY, payload BLOB)")
        setup.execute("CREATE TABLE probe_b (id INTEGER PRIMARY KEY, a_id INTEGER)")
    written, stop = [0], threading.Event()

    def write() -> None:
        # Each transaction adds one row to both tables: a consistent copy has equal counts.
        writer = sqlite3.connect(db, timeout=20, isolation_level=None)
        writer.execute("PRAGMA synchronous=NORMAL")
        while not stop.is_set():
            writer.execute("BEGIN IMMEDIATE")
            cursor = writer.execute("INSERT INTO probe_a (payload) VALUES (randomblob(4000))")
            writer.execute("INSERT INTO probe_b (a_id) VALUES (?)", (cursor.lastrowid,))
            writer.execute("COMMIT")
            written[0] += 1
            time.sleep(0.001)
        writer.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        while written[0] < 200:  # a database of some megabytes, still growing during the backup
            time.sleep(0.01)
        before = written[0]
        out = tmp_path / "busy.tar.gz"
        done = eduplan("backup", "--out", str(out), data=source)
        time.sleep(0.2)
    finally:
        stop.set()
        thread.join()
    assert done.returncode == 0, done.stderr
    restored = tmp_path / "restored"
    back = eduplan("restore", str(out), data=restored)
    assert back.returncode == 0, back.stderr  # restore itself checks the manifest's counts
    with closing(sqlite3.connect(restored / "eduplan.sqlite3")) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = copy.execute("SELECT COUNT(*) FROM probe_a").fetchone()[0]
        assert copy.execute("SELECT COUNT(*) FROM probe_b").fetchone()[0] == rows
        assert copy.execute("SELECT COUNT(*) FROM probe_a LEFT JOIN probe_b ON probe_b.a_id = probe_a.id "
                            "WHERE probe_b.id IS NULL").fetchone()[0] == 0
    assert before < rows < written[0]
