"""How the progress store runs its statements so that nothing checked is lost and nothing unsaved is
called saved: the machinery under `ProgressStore`, apart from what it reads and writes.

- Every write is one `BEGIN IMMEDIATE ... COMMIT` in autocommit mode, with `synchronous=FULL`: it is
  on disk when the write returns, and two sessions doing read-then-write updates wait for each other
  (the busy timeout) instead of losing one update. Reads use a second connection, so a write
  waiting for another session's lock never holds up a read.
- A write that fails (locked by another session, disk full, read-only file) raises `NotSaved` with
  the reason, and is kept: it is tried again, in order, before the next write, whose
  `Saved.retried` says which of them are now on disk. After a failure that may pass (a read-only
  or unopenable file) the file is opened afresh before the next write.
- `quick(seconds)`: writes that would wait longer for a lock raise `Busy` and are not kept (the UI
  does them again off its thread).

It exists so that the store's queries stay plain SQL. Standard library only, plus
`tutor.progress.opening` (to open the file afresh) and `tutor.progress.records`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Self

from tutor.progress import opening
from tutor.progress.records import DAMAGED, LOCKED, REOPEN, UNWRITABLE, Busy, NotSaved, Saved, UnknownAttempt, Unsaved
from tutor.progress.records import result_code, why


@dataclass
class Kept:
    """A failed write and how to do it again."""

    unsaved: Unsaved
    work: Callable[[sqlite3.Connection], Any]
    key: tuple[Any, ...] | None = None  # a later write with the same key replaces this one


class Transactions:
    """One writing connection under a lock, one reading connection, and the writes kept for later."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, notices: list[str], *,
                 read_only: bool = False) -> None:
        self._conn = conn  # every write goes through this one, under self._lock
        self._lock = threading.RLock()  # one connection, possibly used from worker threads
        self.path = path  # None when nothing is saved
        self.saving = path is not None
        self.notices = notices
        self._stale = read_only  # open the file afresh before the next write (it was read-only)
        self._kept: list[Kept] = []  # failed writes, oldest first
        self._quick = False  # in quick(): a lock held elsewhere raises Busy at once
        self._own: dict[tuple[int, int, str], int] = {}  # row -> the version this session last wrote
        if path is None:  # a memory database exists once per connection: read with the same one
            self._reader, self._read_lock = conn, self._lock
        else:
            self._reader, self._read_lock = self._open_reader(read_only), threading.RLock()

    def _open_reader(self, read_only: bool) -> sqlite3.Connection:
        assert self.path is not None
        if read_only:
            return opening.connect_read_only(self.path)
        reader = opening.connect(self.path)
        reader.execute("PRAGMA query_only = ON")
        return reader

    def _read(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        with self._read_lock:
            return work(self._reader)

    def _write(self, work: Callable[[sqlite3.Connection], Any], keep: Kept | None = None) -> tuple[Any, tuple]:
        """Earlier failed writes first, then `work`, each in its own transaction. If one fails,
        `keep` (how to do `work` again) is kept for later and NotSaved is raised."""
        with self._lock:
            try:
                retried = self._retry_kept()
                result = self._transaction(work)
            except Busy:
                raise  # done again by the caller, with the usual wait: not kept
            except NotSaved as exc:
                if keep is not None:
                    self._keep(keep, exc.reason)
                raise
            self._remember(result)
            return result, retried

    def _retry_kept(self) -> tuple[Unsaved, ...]:
        retried = []
        while self._kept:
            first = self._kept[0]
            try:
                self._remember(self._transaction(first.work))
            except UnknownAttempt:
                pass  # its attempt was reset in another session: nothing to save it in
            except NotSaved as exc:
                first.unsaved = replace(first.unsaved, reason=exc.reason)
                raise
            else:
                retried.append(first.unsaved)
            self._kept.pop(0)
        return tuple(retried)

    @contextmanager
    def quick(self, seconds: float) -> Iterator[None]:
        """Writes in this block wait at most `seconds` for another session's lock; one that would
        wait longer raises Busy and is not kept (the UI does it again in the background)."""
        with self._lock:
            if self.path is None:
                yield
                return
            self._quick = True
            self._conn.execute(f"PRAGMA busy_timeout = {max(0, int(seconds * 1000))}")
            try:
                yield
            finally:
                self._quick = False
                with suppress(sqlite3.Error):
                    self._conn.execute(f"PRAGMA busy_timeout = {int(opening.BUSY_TIMEOUT_S * 1000)}")

    def retry(self) -> tuple[Unsaved, ...]:
        """Try the kept writes again now (leaving a question, quitting); what reached the file.
        Raises NotSaved if the first still fails."""
        with self._lock:
            return self._retry_kept()

    def _transaction(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        if self.path is not None:
            self._check_file()
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            result = work(conn)
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.DatabaseError) and self.path is not None and (
                result_code(exc) in UNWRITABLE | DAMAGED
            ):
                self._stale = self._stale or result_code(exc) in REOPEN
                if self._quick and result_code(exc) in LOCKED:
                    raise Busy(why(exc)) from exc
                raise NotSaved(why(exc)) from exc
            raise
        return result

    def _check_file(self) -> None:
        """The file is still there and its owner lets us write it; after a failure, open it afresh."""
        assert self.path is not None
        if not self.path.exists():
            raise NotSaved(f"the progress file {self.path} was removed")
        if opening.read_only(self.path):
            raise NotSaved("read-only file")
        if self._stale:
            try:
                writer = opening.connect(self.path)
                writer.execute("PRAGMA synchronous = FULL")
                reader = self._open_reader(False)
            except sqlite3.Error as exc:
                raise NotSaved(why(exc)) from exc
            with self._read_lock:
                for old in (self._conn, self._reader):
                    with suppress(sqlite3.Error):
                        old.close()
                self._conn, self._reader, self._stale = writer, reader, False

    def _keep(self, kept: Kept, reason: str) -> None:
        kept.unsaved = replace(kept.unsaved, reason=reason)
        if kept.key is not None:
            self._kept = [k for k in self._kept if k.key != kept.key]
        self._kept.append(kept)

    def _remember(self, result: Any) -> None:
        """Note the versions this session wrote: its own checks are not "newer" than its drafts."""
        for saved in result.values() if isinstance(result, dict) else (result,):
            if isinstance(saved, Saved) and saved.written and saved.row is not None:
                self._own[saved.row] = max(self._own.get(saved.row, 0), saved.version)

    def unsaved(self, attempt_id: int | None = None) -> list[Unsaved]:
        """The writes that failed and wait to be tried again, oldest first (of one attempt)."""
        with self._lock:
            return [k.unsaved for k in self._kept if attempt_id is None or k.unsaved.attempt_id == attempt_id]

    def _saved(self, saved: Saved, retried: tuple[Unsaved, ...]) -> Saved:
        return replace(saved, retried=retried, durable=self.saving)

    @property
    def journal_mode(self) -> str:
        with self._lock:
            return self._conn.execute("PRAGMA journal_mode").fetchone()[0]

    @property
    def synchronous(self) -> str:
        """How writes reach the disk: "full" (every commit is synced before it returns)."""
        with self._lock:
            level = self._conn.execute("PRAGMA synchronous").fetchone()[0]
        return {0: "off", 1: "normal", 2: "full", 3: "extra"}.get(level, str(level))

    def close(self) -> None:
        with self._lock, self._read_lock:
            self._conn.close()
            if self._reader is not self._conn:
                self._reader.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
