"""The SQLite backend's writer gate (``eduplan.config.sqlite``): a transaction holds an
exclusive lock on ``<database>.writer`` from BEGIN to its end, however it ends, and lets
it go for the next writer. Run on real database files, whatever database the suite uses."""

from __future__ import annotations

import os
import threading

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler

fcntl = pytest.importorskip("fcntl")  # the gate's file lock; without it only the threads queue


def connect(path, timeout: float = 5):
    settings = {"ENGINE": "eduplan.config.sqlite", "NAME": str(path),
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": timeout}}
    return ConnectionHandler({"default": settings})["default"]  # not Django's own connections


def begin(db) -> None:
    """As ``transaction.atomic`` opens the outermost block."""
    db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def gate_is_taken(path) -> bool:
    """Whether some writer holds the gate, asked as another process would: a new open file."""
    descriptor = os.open(f"{path}.writer", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False


def commit(db) -> None:
    db.commit()
    db.set_autocommit(True)


def roll_back(db) -> None:
    db.rollback()
    db.set_autocommit(True)


def close(db) -> None:
    db.close()


def failed_statement(db) -> None:
    with pytest.raises(OperationalError):
        db.cursor().execute("INSERT INTO no_such_table VALUES (1)")
    roll_back(db)


# (how the writer's transaction ends, that ending)
ENDINGS = [
    ("commit", commit),
    ("rollback", roll_back),
    ("connection closed mid-transaction", close),
    ("a statement fails, then rollback", failed_statement),
]


@pytest.fixture(autouse=True)
def own_databases(django_db_blocker):
    """These tests open their own database files, not the suite's test database."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "gate.sqlite3"
    db = connect(path)
    db.cursor().execute("CREATE TABLE note (text TEXT)")
    db.close()
    return path


@pytest.mark.parametrize("ending", [e for _, e in ENDINGS], ids=[name for name, _ in ENDINGS])
def test_a_transaction_holds_the_gate_until_it_ends(database, ending):
    writer = connect(database)
    assert not gate_is_taken(database)
    begin(writer)
    writer.cursor().execute("INSERT INTO note VALUES ('first')")
    assert gate_is_taken(database)
    ending(writer)
    assert not gate_is_taken(database)  # free for other processes …
    writer.close()
    following = connect(database, timeout=1)  # … and for this process's other threads
    begin(following)
    following.cursor().execute("INSERT INTO note VALUES ('next')")
    commit(following)
    following.close()


def test_the_next_writer_goes_in_when_the_first_commits(database):
    """What a second writer sees (SQLite's own lock alone would show the same)."""
    first, order = connect(database), []
    begin(first)
    first.cursor().execute("INSERT INTO note VALUES ('first')")

    def second_writer() -> None:
        second = connect(database)
        begin(second)  # waits at the gate
        order.append(second.cursor().execute("SELECT count(*) FROM note").fetchone()[0])
        second.cursor().execute("INSERT INTO note VALUES ('second')")
        commit(second)
        second.close()

    thread = threading.Thread(target=second_writer)
    thread.start()
    thread.join(0.3)
    assert thread.is_alive() and order == []  # still waiting: the first has not committed
    commit(first)
    thread.join(5)
    assert order == [1]  # it began after the first's row was committed
    assert first.cursor().execute("SELECT text FROM note ORDER BY rowid").fetchall() == [("first",), ("second",)]
    first.close()


def begin_in_a_thread(database, timeout: float) -> list[str]:
    """What a writer with this timeout gets from BEGIN in a thread of its own ("began" or the
    error), waited for at most 5 s so that a writer stuck at the gate fails the test."""
    outcome: list[str] = []

    def writer() -> None:
        db = connect(database, timeout=timeout)
        try:
            begin(db)
            outcome.append("began")
        except OperationalError as error:
            outcome.append(str(error))
        db.close()

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    thread.join(5)
    return outcome


def test_a_writer_kept_waiting_past_the_timeout_is_told_the_database_is_locked(database):
    first = connect(database)
    begin(first)
    outcome = begin_in_a_thread(database, timeout=0.2)
    commit(first)
    first.close()
    assert outcome == ["database is locked"]
    assert not gate_is_taken(database)


def test_reads_outside_a_transaction_pass_the_gate(database):
    first, reader = connect(database), connect(database)
    begin(first)
    assert reader.cursor().execute("SELECT count(*) FROM note").fetchone() == (0,)
    roll_back(first)
    first.close()
    reader.close()


def test_an_in_memory_database_has_no_gate(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = connect(":memory:")
    begin(db)
    db.cursor().execute("CREATE TABLE note (text TEXT)")
    commit(db)
    db.close()
    assert list(tmp_path.iterdir()) == []


def test_a_writer_in_another_process_holding_the_gate_past_the_timeout_makes_begin_fail(database):
    other_process = os.open(f"{database}.writer", os.O_RDWR | os.O_CREAT, 0o600)  # its own open file
    fcntl.flock(other_process, fcntl.LOCK_EX)
    outcome = begin_in_a_thread(database, timeout=0.2)
    fcntl.flock(other_process, fcntl.LOCK_UN)
    os.close(other_process)
    assert outcome == ["database is locked"]  # not waiting for ever
    following = connect(database, timeout=1)  # and the process's lock was let go
    begin(following)
    commit(following)
    following.close()


def test_a_gate_file_this_user_may_not_open_leaves_writes_to_sqlites_own_lock(database, monkeypatch):
    """Left behind by another user (a command run as root): writes go on, unqueued across processes."""
    real_open = os.open

    def refuse_the_gate_file(path, *args, **kwargs):
        if str(path).endswith(".writer"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_the_gate_file)
    db = connect(database)
    begin(db)
    db.cursor().execute("INSERT INTO note VALUES ('written')")
    commit(db)
    assert db.cursor().execute("SELECT text FROM note").fetchall() == [("written",)]
    db.close()
