"""Backup and restore: the database and every uploaded file in one .tar.gz, with a manifest.

Archive layout::

    database/eduplan.sqlite3   a consistent copy (SQLite online backup API), or
    database/eduplan.pgdump    ``pg_dump --format=custom`` of the PostgreSQL database
    media/...                  every file under MEDIA_ROOT (evidence, plan sources)
    manifest.json              last: version, engine, time, row counts, sha256 of every member

The manifest comes last so each file is hashed in the same read that archives it (a file
cannot change between hashing and archiving). Restore extracts into temporary folders next
to the targets, checks every checksum and the database itself, and only then moves things
into place; the old database and files are kept aside until the new ones are in.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connection, connections

from eduplan import __version__
from eduplan.errors import EduplanError, Errors

Progress = Callable[[int, int], None]

FORMAT = "eduplan-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database/eduplan.sqlite3", "postgresql": "database/eduplan.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# `migrate` fills these on an empty install (the change counter's first row and the indicator
# catalogue included), so rows in them do not make a target "hold data".
SCHEMA_TABLES = {"django_migrations", "django_content_type", "auth_permission", "audit_changecounter",
                 "indicators_dataelement", "indicators_dataset", "indicators_dataset_elements",
                 "indicators_indicator"}
CHUNK = 1 << 20


@dataclass
class BackupSummary:
    path: Path
    size: int
    engine: str
    tables: dict[str, int]
    files: int
    media_bytes: int
    created_at: str

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


@dataclass
class RestoreSummary:
    archive: Path
    engine: str
    database: str
    media_root: Path
    tables: dict[str, int]
    files: int
    media_bytes: int
    created_at: str
    replaced_rows: int = 0  # what the target held before (--force)
    replaced_files: int = 0

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


# ---------------------------------------------------------------- backup

def default_backup_path() -> Path:
    """``<data folder>/backups/eduplan-backup-YYYYMMDD-HHMMSS.tar.gz``, never an existing file."""
    folder = Path(settings.DATA_DIR) / "backups"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path, n = folder / f"eduplan-backup-{stamp}.tar.gz", 1
    while path.exists():
        n += 1
        path = folder / f"eduplan-backup-{stamp}-{n}.tar.gz"
    return path


def create_backup(out_path: Path | str, *, progress: Progress | None = None) -> BackupSummary:
    """Write the configured database and every file under MEDIA_ROOT into ``out_path``.

    Safe while the server runs: the database copy is one snapshot (a read transaction for
    SQLite, an exported snapshot for pg_dump). The archive is written to a temporary name
    and renamed, so ``out_path`` is either complete or absent.
    """
    out = Path(out_path)
    engine = _engine()
    if out.exists():
        raise EduplanError(Errors.E461, path=out, reason="文件已存在 / file exists")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".eduplan-backup-", dir=out.parent))
    except OSError as err:
        raise EduplanError(Errors.E461, path=out, reason=err.strerror or err) from err
    try:
        created_at = datetime.now(UTC).isoformat(timespec="seconds")
        dump = work / Path(DATABASE_MEMBERS[engine]).name
        tables, migrations = _snapshot_sqlite(dump) if engine == "sqlite" else _snapshot_postgresql(dump)
        media_root = Path(settings.MEDIA_ROOT)
        # `work` sits beside the archive, which may be inside MEDIA_ROOT: never archive ourselves.
        media = sorted((rel, path) for rel, path in _media_files(media_root) if work not in path.parents)
        total = len(media) + 1
        partial = work / "archive.tar.gz"
        members: list[dict[str, Any]] = []
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6, format=tarfile.PAX_FORMAT) as tar:
                members.append(_add_file(tar, dump, DATABASE_MEMBERS[engine]))
                if progress:
                    progress(1, total)
                for done, (relative, path) in enumerate(media, start=2):
                    members.append(_add_file(tar, path, f"media/{relative}"))
                    if progress:
                        progress(done, total)
                manifest = _seal({
                    "format": FORMAT, "format_version": FORMAT_VERSION, "eduplan_version": __version__,
                    "created_at": created_at, "engine": engine, "database": DATABASE_MEMBERS[engine],
                    "tables": tables, "migrations": migrations, "files": members,
                })
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(datetime.now().timestamp()), 0o600
                tar.addfile(info, io.BytesIO(data))
            os.replace(partial, out)
        except OSError as err:
            raise EduplanError(Errors.E461, path=out, reason=err.strerror or err) from err
    finally:
        shutil.rmtree(work, ignore_errors=True)
    media_members = [m for m in members if m["path"].startswith("media/")]
    return BackupSummary(path=out, size=out.stat().st_size, engine=engine, tables=tables, files=len(media_members),
                         media_bytes=sum(m["size"] for m in media_members), created_at=created_at)


def _engine() -> str:
    if connection.vendor not in DATABASE_MEMBERS:
        raise EduplanError(Errors.E466, backup="SQLite / PostgreSQL", current=connection.vendor)
    return connection.vendor


def _snapshot_sqlite(dump: Path) -> tuple[dict[str, int], list[list[str]]]:
    name = str(connection.settings_dict["NAME"])
    if not connection.is_in_memory_db() and not Path(name).is_file():
        raise EduplanError(Errors.E460, path=name)  # connecting would create an empty file to back up
    connection.ensure_connection()
    target = sqlite3.connect(dump)
    try:
        # pages=-1: one step under one read transaction, so a snapshot even while others write (WAL).
        connection.connection.backup(target, pages=-1)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        return _sqlite_counts(target), _sqlite_migrations(target)
    finally:
        target.close()


def _snapshot_postgresql(dump: Path) -> tuple[dict[str, int], list[list[str]]]:
    import psycopg

    pg_dump = _tool("pg_dump")
    # A separate connection holds a REPEATABLE READ transaction whose snapshot pg_dump shares,
    # so the row counts in the manifest describe exactly the dumped data.
    snap = connections.create_connection("default")
    try:
        snap.ensure_connection()
        raw = snap.connection  # psycopg's own connection: its next statement opens the transaction
        raw.autocommit = False
        raw.isolation_level, raw.read_only = psycopg.IsolationLevel.REPEATABLE_READ, True
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = _pg_counts(cursor)
            migrations = _pg_migrations(cursor, tables)
            _run(pg_dump, ["--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                           f"--file={dump}"], snap.settings_dict)
        raw.rollback()
        return tables, migrations
    finally:
        snap.close()


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every regular file below ``root`` as (posix relative path, path); links are not followed."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in files:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


class _HashingReader:
    """Hands tarfile exactly the bytes it asks for and hashes them on the way."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle, self.digest, self.size = handle, hashlib.sha256(), 0

    def read(self, n: int = -1) -> bytes:
        data = self.handle.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, member: str) -> dict[str, Any]:
    with path.open("rb") as handle:
        info = tar.gettarinfo(fileobj=handle, arcname=member)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        reader = _HashingReader(handle)
        tar.addfile(info, reader)  # type: ignore[arg-type]  # tarfile only calls read()
    return {"path": member, "size": reader.size, "sha256": reader.digest.hexdigest()}


def _seal(manifest: dict[str, Any]) -> dict[str, Any]:
    """Add a checksum of the manifest itself, so a changed count or date is noticed too."""
    return {**manifest, "checksum": _manifest_checksum(manifest)}


def _manifest_checksum(manifest: dict[str, Any]) -> str:
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


# ---------------------------------------------------------------- restore

def restore_backup(archive: Path | str, *, force: bool = False, progress: Progress | None = None) -> RestoreSummary:
    """Restore ``archive`` into the configured database and MEDIA_ROOT.

    Refuses a target that already holds data unless ``force``. Nothing is changed until the
    whole archive has been read and every checksum, the database's integrity and its row
    counts check out. Stop the server first: it must not write while its files are replaced.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise EduplanError(Errors.E101, path=archive)
    engine = _engine()
    if engine == "postgresql":
        _tool("pg_restore")
    media_root = Path(settings.MEDIA_ROOT)
    db_path = Path(connection.settings_dict["NAME"]) if engine == "sqlite" else None
    connections.close_all()  # the SQLite file is about to be replaced; PostgreSQL tables dropped
    database = str(db_path) if db_path is not None else str(connection.settings_dict["NAME"])
    rows, files = _held_data(db_path, media_root)
    if (rows or files) and not force:
        raise EduplanError(Errors.E467, database=database, rows=rows, media=media_root, files=files)
    with ExitStack() as stack:
        db_stage = stack.enter_context(_staging(db_path.parent if db_path else media_root.parent))
        media_stage = stack.enter_context(_staging(media_root.parent))
        manifest = _extract(archive, db_stage, media_stage / "media", progress)
        if manifest["engine"] != engine:
            raise EduplanError(Errors.E466, backup=ENGINE_NAMES.get(manifest["engine"], manifest["engine"]),
                               current=ENGINE_NAMES[engine])
        _check_migrations(manifest)
        staged_db = db_stage / DATABASE_MEMBERS[engine]
        if engine == "sqlite":
            _check_sqlite(archive, staged_db, manifest["tables"])
            assert db_path is not None
            _swap([(staged_db, db_path, ("-wal", "-shm", "-journal")), (media_stage / "media", media_root, ())])
        else:
            _pg_restore(staged_db)  # one transaction: all or nothing
            _swap([(media_stage / "media", media_root, ())])
    media = [m for m in manifest["files"] if m["path"].startswith("media/")]
    return RestoreSummary(archive=archive, engine=engine, database=database, media_root=media_root,
                          tables=manifest["tables"], files=len(media), media_bytes=sum(m["size"] for m in media),
                          created_at=manifest["created_at"], replaced_rows=rows, replaced_files=files)


def _held_data(db_path: Path | None, media_root: Path) -> tuple[int, int]:
    """Rows and files the target already holds; (0, 0) when a restore destroys nothing of value."""
    return _target_rows(db_path), sum(1 for _ in _media_files(media_root))


def _target_rows(db_path: Path | None) -> int:
    if db_path is None:
        with connection.cursor() as cursor:
            counts = _pg_counts(cursor)
        connections.close_all()
    else:
        if not db_path.is_file() or db_path.stat().st_size == 0:
            return 0
        try:
            with closing(sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)) as db:
                counts = _sqlite_counts(db)
        except sqlite3.DatabaseError:
            return 1  # not a database we can read: still something a restore would destroy
    return sum(n for table, n in counts.items() if table not in SCHEMA_TABLES)


@contextmanager
def _staging(parent: Path) -> Iterator[Path]:
    """A temporary folder beside the target, so moving out of it is a rename on one file system."""
    try:
        parent.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=".eduplan-restore-", dir=parent))
    except OSError as err:
        raise EduplanError(Errors.E468, reason=f"{parent}: {err.strerror or err}") from err
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _extract(archive: Path, db_stage: Path, media_stage: Path, progress: Progress | None) -> dict[str, Any]:
    """Read every member into the staging folders, hashing it; return the checked manifest."""
    total = archive.stat().st_size
    found: dict[str, tuple[int, str]] = {}
    manifest_bytes: bytes | None = None
    recognised = False
    media_stage.mkdir()
    try:
        with archive.open("rb") as raw, tarfile.open(fileobj=raw, mode="r|gz") as tar:
            for member in tar:
                name = member.name
                if not recognised and not (name == MANIFEST or name in DATABASE_MEMBERS.values()):
                    raise EduplanError(Errors.E464, path=archive, reason=f"“{name}”")
                recognised = True
                if not member.isfile() or name in found or (name == MANIFEST and manifest_bytes is not None):
                    raise _damaged(archive, f"{name}: 重复或不是普通文件 / duplicate or not a regular file")
                source = tar.extractfile(member)
                assert source is not None
                if name == MANIFEST:
                    manifest_bytes = source.read()
                    continue
                target = _member_target(archive, name, db_stage, media_stage)
                target.parent.mkdir(parents=True, exist_ok=True)
                digest, size = hashlib.sha256(), 0
                with target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                found[name] = (size, digest.hexdigest())
                if progress:
                    progress(raw.tell(), total)
    except (tarfile.TarError, zlib.error, EOFError, UnicodeError) as err:
        if not recognised:
            raise EduplanError(Errors.E464, path=archive, reason=str(err) or type(err).__name__) from err
        raise _damaged(archive, str(err) or type(err).__name__) from err
    except OSError as err:
        if not recognised:  # gzip's "not a gzipped file" is an OSError too
            raise EduplanError(Errors.E464, path=archive, reason=str(err)) from err
        raise EduplanError(Errors.E468, reason=str(err)) from err
    manifest = _read_manifest(archive, manifest_bytes)
    listed = {m["path"]: (m["size"], m["sha256"]) for m in manifest["files"]}
    for name in sorted(listed.keys() | found.keys()):
        if name not in found:
            raise _damaged(archive, f"{name}: 缺失 / missing")
        if name not in listed:
            raise _damaged(archive, f"{name}: 清单中没有 / not in the manifest")
        if listed[name] != found[name]:
            raise _damaged(archive, f"{name}: sha256 不符 / checksum mismatch")
    if manifest["database"] not in found:
        raise _damaged(archive, f"{manifest['database']}: 缺失 / missing")
    if progress:
        progress(total, total)
    return manifest


def _member_target(archive: Path, name: str, db_stage: Path, media_stage: Path) -> Path:
    """Where a member goes in staging; names that could escape it are refused, never extracted."""
    if name in DATABASE_MEMBERS.values():
        return db_stage / name
    parts = PurePosixPath(name).parts
    if (len(parts) < 2 or parts[0] != "media" or name.startswith("/") or "\\" in name or "\x00" in name
            or any(p in ("", ".", "..") for p in parts)):
        raise _damaged(archive, f"{name}: 不允许的路径 / path not allowed")
    return media_stage.joinpath(*parts[1:])


def _read_manifest(archive: Path, data: bytes | None) -> dict[str, Any]:
    if data is None:
        raise _damaged(archive, f"{MANIFEST}: 缺失 / missing")
    try:
        manifest = json.loads(data)
        ok = (isinstance(manifest, dict) and manifest.get("format") == FORMAT
              and manifest.get("checksum") == _manifest_checksum(manifest))
    except ValueError:
        ok = False
    if not ok:
        raise _damaged(archive, f"{MANIFEST}: sha256 不符 / checksum mismatch")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise EduplanError(Errors.E469, version=manifest.get("eduplan_version"),
                           migration=f"format_version {manifest.get('format_version')}")
    return manifest


def _damaged(archive: Path, reason: str) -> EduplanError:
    return EduplanError(Errors.E465, path=archive, reason=reason)


def _check_migrations(manifest: dict[str, Any]) -> None:
    """A backup from a newer eduplan has tables this code does not know how to use."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    for app, name in manifest["migrations"]:
        if (app, name) not in known:
            raise EduplanError(Errors.E469, version=manifest["eduplan_version"], migration=f"{app}.{name}")


def _check_sqlite(archive: Path, staged: Path, expected: dict[str, int]) -> None:
    try:
        with closing(sqlite3.connect(staged)) as db:
            problems = [row[0] for row in db.execute("PRAGMA integrity_check")]
            counts = _sqlite_counts(db)
    except sqlite3.DatabaseError as err:
        raise _damaged(archive, f"{DATABASE_MEMBERS['sqlite']}: {err}") from err
    if problems != ["ok"]:
        raise _damaged(archive, f"integrity_check: {problems[0]}")
    if counts != expected:
        differ = sorted(t for t in counts.keys() | expected.keys() if counts.get(t) != expected.get(t))
        raise _damaged(archive, f"行数不符 / row counts differ: {', '.join(differ)}")


def _swap(moves: list[tuple[Path, Path, tuple[str, ...]]]) -> None:
    """Move each staged item onto its target; the old items wait in the staging folder and
    go back if any move fails. ``suffixes`` name companion files (SQLite's -wal, -shm) that
    belong to the old item and must not sit beside the new one."""
    done: list[tuple[Path, Path]] = []  # (from, to) renames to undo in reverse
    try:
        for staged, target, suffixes in moves:
            aside = staged.parent / "replaced"
            aside.mkdir(exist_ok=True)
            for old in [target, *(target.with_name(target.name + s) for s in suffixes)]:
                if old.exists() or old.is_symlink():
                    os.replace(old, aside / old.name)
                    done.append((old, aside / old.name))
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
            done.append((staged, target))
    except OSError as err:
        for source, moved in reversed(done):
            with suppress(OSError):  # put back what can be put back; the first error is the one to report
                os.replace(moved, source)
        raise EduplanError(Errors.E468, reason=f"{err.filename or ''} {err.strerror or err}".strip()) from err
    # The old items are deleted with the staging folders.


def _pg_restore(dump: Path) -> None:
    pg_restore = _tool("pg_restore")
    settings_dict = connection.settings_dict
    target = settings_dict["NAME"] or f"service={settings_dict.get('OPTIONS', {}).get('service', '')}"
    connections.close_all()
    # --clean drops what the dump holds first (a migrated but empty install has the same tables);
    # --single-transaction makes a failure leave the database as it was.
    _run(pg_restore, ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                      "--exit-on-error", f"--dbname={target}", str(dump)], settings_dict)


# ---------------------------------------------------------------- shared helpers

def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise EduplanError(Errors.E462, tool=name)
    return path


PG_ENV = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD", "NAME": "PGDATABASE"}
PG_OPTION_ENV = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
                 "sslkey": "PGSSLKEY", "passfile": "PGPASSFILE", "service": "PGSERVICE"}


def _run(tool: str, args: list[str], settings_dict: dict[str, Any]) -> None:
    """Run pg_dump or pg_restore with Django's connection settings in the environment
    (the password never appears on a command line)."""
    env = dict(os.environ)
    for key, var in PG_ENV.items():
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    for key, var in PG_OPTION_ENV.items():
        if settings_dict.get("OPTIONS", {}).get(key):
            env[var] = str(settings_dict["OPTIONS"][key])
    try:
        done = subprocess.run([tool, *args], env=env, capture_output=True, text=True, check=False)
    except OSError as err:
        raise EduplanError(Errors.E463, tool=Path(tool).name, reason=err.strerror or err) from err
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        reason = lines[0] if lines else f"exit status {done.returncode}"
        raise EduplanError(Errors.E463, tool=Path(tool).name, reason=reason)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    tables = [row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {t: db.execute(f"SELECT COUNT(*) FROM {_quote(t)}").fetchone()[0] for t in tables}


def _sqlite_migrations(db: sqlite3.Connection) -> list[list[str]]:
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'django_migrations'").fetchone():
        return []
    return [[app, name] for app, name in db.execute("SELECT app, name FROM django_migrations ORDER BY id")]


def _pg_counts(cursor: Any) -> dict[str, int]:
    cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                   "AND table_type = 'BASE TABLE' ORDER BY table_name")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _pg_migrations(cursor: Any, tables: dict[str, int]) -> list[list[str]]:
    if "django_migrations" not in tables:
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return [[app, name] for app, name in cursor.fetchall()]

