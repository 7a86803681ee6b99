"""Today's date, and every datetime shown as a date.

Today is the real local date, unless fixed: by the EDUPLAN_TODAY setting (tests, benchmarks),
else by a clock file beside the SQLite database (``<db>.today``, one ISO date). The demo writes
that file when it builds its database, so every page and command run against the demo
database (``eduplan serve``, ``eduplan export``) keeps the demo's date, not the real one.

A stored moment (aware, in UTC) becomes a date only through ``local_date``: the date in
TIME_ZONE, as the pages show it; ``moment.date()`` would give the UTC date, a day early for
anything done in Beijing before 08:00.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

CLOCK_SUFFIX = ".today"

_read: dict[Path, tuple[int, date | None, str]] = {}  # path → (mtime_ns, date, identity): read once per change


def clock_file() -> Path | None:
    """Where the database's own clock is kept: beside a SQLite file, else in the data folder."""
    if connection.vendor != "sqlite":
        return Path(settings.DATA_DIR) / f"database{CLOCK_SUFFIX}"
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name.startswith("file:") or ":memory:" in name:  # a test database has no file
        return None
    path = Path(name)
    return path.with_name(path.name + CLOCK_SUFFIX)


def database_identity() -> str:
    """Which database the clock file was written for: a SQLite file by its inode (a new or
    restored file at the same path is another database), a server database by its address."""
    if connection.vendor == "sqlite":
        try:
            stat = Path(str(connection.settings_dict.get("NAME") or "")).stat()
        except OSError:
            return ""
        return f"sqlite:{stat.st_dev}:{stat.st_ino}"
    settings_dict = connection.settings_dict
    return f"{connection.vendor}:{settings_dict.get('HOST')}:{settings_dict.get('PORT')}:{settings_dict.get('NAME')}"


def database_today() -> date | None:
    """The date the database's clock file fixes, None without one, or when the file was
    written for another database (the demo's file left beside a real one)."""
    path = clock_file()
    if path is None:
        return None
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return None
    cached = _read.get(path)
    if cached is None or cached[0] != mtime:
        try:
            day, identity = ([*path.read_text(encoding="utf-8").split(), ""])[:2]
            cached = (mtime, date.fromisoformat(day), identity)
        except (OSError, ValueError):
            cached = (mtime, None, "")  # an unreadable file does not stop the site: the real date
        _read[path] = cached
    return cached[1] if cached[2] == database_identity() else None


def fix_database_today(day: date) -> Path | None:
    """Keep ``day`` as this database's date (the demo's clock); returns the file written."""
    path = clock_file()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{day.isoformat()}\n{database_identity()}\n", encoding="utf-8")
    return path


def today() -> date:
    fixed = getattr(settings, "EDUPLAN_TODAY", "")
    if fixed:
        return date.fromisoformat(fixed)
    return database_today() or timezone.localdate()


def local_date(moment: datetime | date | None) -> date | None:
    """The date of ``moment`` in TIME_ZONE (a naive datetime is taken as local already)."""
    if moment is None or not isinstance(moment, datetime):
        return moment
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def stamp_on_database_day() -> None:
    """Make ``timezone.now()`` fall on the database's own day (at the real time of day) while
    it has a clock file: a report filed on the running demo is dated on the demo's day, as
    every page reads it, never on the real date (EDUPLAN_TODAY runs keep real stamps).
    Sessions, tokens and lockouts read the same clock, so their spans stay right."""
    if getattr(timezone.now, "on_database_day", False):
        return
    real_now = timezone.now

    def now() -> datetime:
        moment = real_now()
        day = None if getattr(settings, "EDUPLAN_TODAY", "") else database_today()
        if day is None:
            return moment
        return timezone.make_aware(datetime.combine(day, timezone.localtime(moment).time().replace(tzinfo=None)))

    now.on_database_day = True  # type: ignore[attr-defined]
    timezone.now = now

