"""Django's SQLite backend with writers handed the file one after the other, at once.

A writer that finds SQLite's write lock taken sleeps in SQLite's busy handler and looks
again after 1, 2, 5 … then every 100 ms. Under a steady stream of reports a sleeper keeps
missing the moments the lock is free, while newcomers take it: a tenth of the requests
writing made reports wait a second at the 95th percentile, and some three.

So every transaction (they all begin IMMEDIATE, taking the write lock) first passes a gate:
a lock shared by the process's threads, which wakes the next one the moment the holder commits
or rolls back, in about the order they came, then an exclusive ``flock`` on a file beside the
database, which one thread of each process asks for every millisecond or two. Both give up
after the database's timeout, as SQLite does. Writes outside a transaction and other
programs still meet SQLite's own lock, as before; an in-memory database (the tests') has no
file to lock and no other process, and goes without.
"""

from __future__ import annotations

import os
import threading
import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

try:
    import fcntl
except ImportError:  # Windows: one process serves there (``eduplan.server``), its threads queue
    fcntl = None

# One lock per database file and process: only one thread of a process queues on the file.
_process_locks: dict[str, threading.Lock] = {}
_process_locks_guard = threading.Lock()


def _process_lock(path: str) -> threading.Lock:
    with _process_locks_guard:
        return _process_locks.setdefault(path, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    _gate_file: int | None = None  # this connection's descriptor of the gate's file
    _gate_held: threading.Lock | None = None

    def _start_transaction_under_autocommit(self) -> None:
        self._enter_gate()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._leave_gate()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()
        finally:
            self._leave_gate()

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._leave_gate()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._leave_gate()
            if self._gate_file is not None:
                os.close(self._gate_file)
                self._gate_file = None

    def _enter_gate(self) -> None:
        if self.is_in_memory_db() or self._gate_held is not None:
            return
        path = os.path.abspath(self.settings_dict["NAME"])
        deadline = time.monotonic() + self.settings_dict["OPTIONS"].get("timeout", 5)
        threads = _process_lock(path)
        if not threads.acquire(timeout=max(deadline - time.monotonic(), 0)):
            raise OperationalError("database is locked")  # what SQLite says after its own timeout
        try:
            if (descriptor := self._gate_descriptor(path)) is not None:
                _flock_until(descriptor, deadline)
        except BaseException:
            threads.release()
            raise
        self._gate_held = threads

    def _gate_descriptor(self, path: str) -> int | None:
        """This connection's descriptor of the gate's file (flock is held per open file, not per
        process), or None where there is no flock or the file is another user's: SQLite's own
        lock still keeps writers apart there, as before."""
        if fcntl is None:
            return None
        if self._gate_file is None:
            try:  # read-only is enough to lock; readable by whoever may open the database
                self._gate_file = os.open(path + ".writer", os.O_RDONLY | os.O_CREAT, 0o644)
            except PermissionError:
                return None
        return self._gate_file

    def _leave_gate(self) -> None:
        held, self._gate_held = self._gate_held, None
        if held is None:
            return
        try:
            if self._gate_file is not None and fcntl is not None:
                fcntl.flock(self._gate_file, fcntl.LOCK_UN)
        finally:
            held.release()


def _flock_until(descriptor: int, deadline: float) -> None:
    """Lock the file, waiting for a writer in another process until ``deadline``. A blocking
    flock cannot time out, so this asks again every millisecond or two; only one thread per
    process asks, the others wait on the process lock."""
    pause = 0.0005
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise OperationalError("database is locked") from None
            time.sleep(pause)
            pause = min(pause * 2, 0.002)
