"""Django's SQLite backend with writers handed the file one after the other, at once.

A writer that finds SQLite's write lock taken sleeps in SQLite's busy handler and looks
again after 1, 2, 5 … then every 100 ms. Under a steady stream of reports a sleeper keeps
missing the moments the lock is free, while newcomers take it: a tenth of the requests
writing made reports wait a second at the 95th percentile, and some three.

So every transaction (they all begin IMMEDIATE, taking the write lock) first passes a gate:
a lock shared by the process's threads, then an exclusive ``flock`` on a file beside the
database, shared by every process. The kernel wakes the next waiter the moment the holder
commits or rolls back, in about the order they came. Writes outside a transaction and other
programs still meet SQLite's own lock, as before; an in-memory database (the tests') has no
file to lock and no other process, and goes without.
"""

from __future__ import annotations

import os
import threading

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
        threads = _process_lock(path)
        if not threads.acquire(timeout=self.settings_dict["OPTIONS"].get("timeout", 5)):
            raise OperationalError("database is locked")  # what SQLite says after its own timeout
        try:
            if fcntl is not None:
                if self._gate_file is None:
                    # A descriptor per connection: flock is held per open file, not per process.
                    self._gate_file = os.open(path + ".writer", os.O_RDWR | os.O_CREAT, 0o600)
                fcntl.flock(self._gate_file, fcntl.LOCK_EX)  # waits for a writer in another process
        except BaseException:
            threads.release()
            raise
        self._gate_held = threads

    def _leave_gate(self) -> None:
        held, self._gate_held = self._gate_held, None
        if held is None:
            return
        try:
            if self._gate_file is not None:
                fcntl.flock(self._gate_file, fcntl.LOCK_UN)  # not None when a file is open
        finally:
            held.release()
