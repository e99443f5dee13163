"""Attempts, answers and practice results in SQLite, so nothing checked is lost, without a UI.

Standard library only (no Textual, no rich): the app, the command line and the tests share it.
Stored data is plain SQL values and JSON text, never pickles or UI objects.

What is kept, per part of an attempt: the last *check* (what was checked, its score and status;
every check also goes to the `checks` history, from which Best is computed, so Best never goes
down) and, apart from it, the *draft* (what was typed since, not checked). A draft never changes a
check: typing after a check leaves its score, and a re-check replaces it. A draft is written only
if the row has no check that this session has not seen (compare-and-set on the row's `version`):
a second session's newer check wins over this session's stale text.

How it stays safe:
- Every write is one `BEGIN IMMEDIATE ... COMMIT` in autocommit mode (`isolation_level=None`), with
  `synchronous=FULL`: a checked answer is on disk when `save_answer` returns, and two sessions doing
  read-then-write updates wait for each other (busy timeout) instead of losing one update. Reads use
  a second connection, so a write waiting for another session's lock never holds up a read.
- A write that fails (locked by another session, disk full, read-only file) raises `NotSaved` with
  the reason, and is kept: answers, marks and practice results are tried again, in order, before
  the next write, whose `Saved.retried` says which of them are now on disk. Nothing falls back to
  memory mid-session; only a folder or file unusable from the start does, with a notice.
- WAL journal, except on network filesystems (found in /proc/mounts), where WAL cannot work.
- `PRAGMA user_version` is the schema version; `MIGRATIONS[n]` takes a file from version n to n + 1
  (version 1 is the first), after a verified backup copy `progress.sqlite3.v{n}.bak`.
- A file that is not a readable database is moved aside, never overwritten; a file from a newer
  version is left untouched; a read-only file is read and left as its owner set it; an unwritable
  folder falls back to an in-memory store, and so does a folder or file that is not the user's
  alone (`tutor.safety`: another user's, or writable by group or others). Each case leaves a plain
  sentence in `ProgressStore.notices`; `open` never raises for them.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tutor import paths, safety

FILENAME = "progress.sqlite3"
BUSY_TIMEOUT_S = 5.0  # how long a write waits for another session's lock before it says "not saved"
SIDE_FILES = ("-wal", "-shm", "-journal")
NETWORK_FILESYSTEMS = frozenset(
    "nfs nfs4 cifs smb smb3 smbfs fuse.sshfs afs ncpfs ceph fuse.ceph glusterfs fuse.glusterfs "
    "lustre gpfs beegfs".split()
)
# SQLite result codes (primary, the low byte) that mean the file itself is damaged, and those that
# mean we cannot write it now; either makes a write raise NotSaved (and be tried again later).
_DAMAGED = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_UNWRITABLE = {3, 5, 6, 8, 10, 13, 14, 15}  # PERM BUSY LOCKED READONLY IOERR FULL CANTOPEN PROTOCOL
_REOPEN = {3, 8, 10, 14}  # after these, the next write opens the file afresh (it may be writable again)
_REASONS = {
    3: "no permission to write the progress file",
    5: "locked by another session",
    6: "locked by another session",
    8: "read-only file",
    10: "disk error",
    11: "the progress file is damaged",
    13: "disk full",
    14: "cannot open the progress file",
    15: "locked by another session",
    26: "the progress file is damaged",
}
MODES = ("study", "exam")
# What is typed but not checked: a draft. The second is tutor.exam_session.WORK_SHOWN (an exam's
# answer kept with "I wrote out the work" ticked). Any other status is the status of a check.
DRAFT_STATUSES = frozenset({"typed", "typed, work shown"})


class SchemaTooNew(Exception):
    """The file was written by a newer itm528-tutor; it is refused and left untouched."""

    def __init__(self, path: Path | str, found: int, known: int) -> None:
        super().__init__(
            f"progress file {path} was written by a newer itm528-tutor (schema {found} > {known}); "
            "it was left untouched, and progress will not be saved"
        )
        self.found, self.known = found, known


class UnknownAttempt(LookupError):
    """No attempt has this id (it never existed, or another session reset the progress)."""


class NotSaved(Exception):
    """A write did not reach the file. `reason` says why in a few words ("locked by another
    session", "disk full", "read-only file"). Answers, marks and practice results are kept and
    tried again before the next write (see `ProgressStore.unsaved`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"not saved: {reason}")
        self.reason = reason


class Busy(NotSaved):
    """Inside `ProgressStore.quick()`: another session holds the lock longer than that allows. The
    write is not kept: the caller does it again, waiting as long as usual (off the UI thread)."""


@dataclass(frozen=True)
class Attempt:
    id: int
    number: int
    mode: str  # "study" | "exam"
    started_at: float  # epoch seconds
    deadline: float | None  # exam mode only
    submitted_at: float | None
    current_question: int


@dataclass(frozen=True)
class AnswerRecord:
    question: int
    part: str
    response: str  # JSON text of what the box holds: the draft if there is one, else the last check's
    score: float | None  # the last check's (None until checked, or a check that awaits a self-mark)
    points: float
    status: str  # the last check's status; before any check the draft's ("typed")
    checked_at: float | None  # the last check's time; None until checked
    revealed: bool
    steps_shown: int
    checked_response: str | None = None  # JSON text of what was last checked
    draft: str | None = None  # JSON text typed since the last check (None: nothing new)
    version: int = 0  # the row's version: +1 on every change

    @property
    def value(self) -> Any:
        """What was typed, decoded: a str, or a dict for a part with several blanks."""
        return json.loads(self.response)

    @property
    def checked(self) -> bool:
        return self.checked_at is not None

    @property
    def checked_value(self) -> Any:
        """What was last checked, decoded (None before any check)."""
        return None if self.checked_response is None else json.loads(self.checked_response)

    @property
    def edited(self) -> bool:
        """Typed differently since the last check: the score belongs to what was checked."""
        return self.checked and self.draft is not None

    @property
    def work_shown(self) -> bool:
        """The student ticked "I wrote out the work" on this draft (an exam's kept answer)."""
        return self.status == "typed, work shown"  # (a stand-in: issue 14's split gives it a column)


@dataclass(frozen=True)
class Unsaved:
    """A write kept because it failed; it is tried again before the next write."""

    attempt_id: int | None
    question: int | None
    part: str | None
    kind: str  # "check" | "draft" | "revealed" | "steps" | "current" | "practice"
    response: Any = None
    score: float | None = None
    points: float = 0.0
    status: str = ""
    reason: str = ""

    def describe(self) -> str:
        """ "9(a) check", "4(b) draft", "the current question"."""
        if self.kind == "current":
            return "the current question"
        what = {"revealed": "reveal", "steps": "step position", "practice": "practice result"}.get(self.kind, self.kind)
        return f"{self.question}({self.part}) {what}"


@dataclass(frozen=True)
class Saved:
    """What a write did. `retried`: earlier failed writes that reached the file before this one."""

    version: int = 0  # the row's version now: what this session has seen of it
    written: bool = True  # False: a draft kept out because the row has a newer check (in `record`)
    record: AnswerRecord | None = None
    retried: tuple[Unsaved, ...] = ()
    durable: bool = True  # False: the store keeps progress in memory only (nothing reaches a file)
    row: tuple[int, int, str] | None = field(default=None, repr=False, compare=False)  # (attempt, q, part)


@dataclass
class _Kept:
    """A failed write and how to do it again."""

    unsaved: Unsaved
    work: Callable[[sqlite3.Connection], Any]
    key: tuple[Any, ...] | None = None  # a later write with the same key replaces this one
    extra: dict[str, Any] = field(default_factory=dict)


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Statement by statement: `executescript` would COMMIT the caller's transaction first."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _v0_to_v1(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        CREATE TABLE attempt (
            id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, even after a reset
            number INTEGER NOT NULL UNIQUE,
            mode TEXT NOT NULL CHECK (mode IN ('study', 'exam')),
            started_at REAL NOT NULL,
            deadline REAL,
            submitted_at REAL,
            current_question INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE answer (
            attempt_id INTEGER NOT NULL REFERENCES attempt (id) ON DELETE CASCADE,
            question INTEGER NOT NULL,
            part TEXT NOT NULL,
            response TEXT NOT NULL DEFAULT 'null',
            score REAL,
            points REAL NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'typed',
            checked_at REAL,
            revealed INTEGER NOT NULL DEFAULT 0,
            steps_shown INTEGER NOT NULL DEFAULT 0,
            updated_at REAL NOT NULL,
            UNIQUE (attempt_id, question, part)
        );
        CREATE TABLE practice (
            id INTEGER PRIMARY KEY,
            question INTEGER NOT NULL,
            part TEXT NOT NULL,
            seed INTEGER NOT NULL,
            score REAL NOT NULL,
            points REAL NOT NULL,
            done_at REAL NOT NULL
        );
        """
    )


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """Drafts apart from checks, a version per row, and the history of every check.

    In version 1 a row was either a draft (status 'typed' or 'typed, work shown', no score) or a
    check; a check moves to the check columns (and into the history), a draft to the draft columns.
    The statuses are spelled out here: a migration must not change when the code does."""
    drafts = "('typed', 'typed, work shown')"
    _run_script(
        conn,
        f"""
        CREATE TABLE answer_v2 (
            attempt_id INTEGER NOT NULL REFERENCES attempt (id) ON DELETE CASCADE,
            question INTEGER NOT NULL,
            part TEXT NOT NULL,
            response TEXT,  -- JSON of the last checked answer, NULL until checked
            score REAL,
            points REAL NOT NULL DEFAULT 0,
            status TEXT,  -- the last check's status, NULL until checked
            checked_at REAL,
            draft TEXT,  -- JSON typed since the last check, NULL when nothing new was typed
            draft_status TEXT,
            drafted_at REAL,
            revealed INTEGER NOT NULL DEFAULT 0,
            steps_shown INTEGER NOT NULL DEFAULT 0,
            updated_at REAL NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,  -- one more on every change of the row
            checked_version INTEGER,  -- the version the last check wrote
            UNIQUE (attempt_id, question, part)
        );
        INSERT INTO answer_v2 (attempt_id, question, part, response, score, points, status, checked_at,
                               draft, draft_status, drafted_at, revealed, steps_shown, updated_at,
                               version, checked_version)
            SELECT attempt_id, question, part,
                   CASE WHEN status IN {drafts} THEN NULL ELSE response END,
                   CASE WHEN status IN {drafts} THEN NULL ELSE score END,
                   points,
                   CASE WHEN status IN {drafts} THEN NULL ELSE status END,
                   CASE WHEN status IN {drafts} THEN NULL ELSE coalesce(checked_at, updated_at) END,
                   CASE WHEN status IN {drafts} AND response != 'null' THEN response END,
                   CASE WHEN status IN {drafts} AND response != 'null' THEN status END,
                   CASE WHEN status IN {drafts} AND response != 'null' THEN updated_at END,
                   revealed, steps_shown, updated_at, 1,
                   CASE WHEN status IN {drafts} THEN NULL ELSE 1 END
            FROM answer;
        CREATE TABLE checks (
            id INTEGER PRIMARY KEY,
            attempt_id INTEGER NOT NULL REFERENCES attempt (id) ON DELETE CASCADE,
            question INTEGER NOT NULL,
            part TEXT NOT NULL,
            response TEXT NOT NULL,
            score REAL,
            points REAL NOT NULL,
            status TEXT NOT NULL,
            checked_at REAL NOT NULL
        );
        INSERT INTO checks (attempt_id, question, part, response, score, points, status, checked_at)
            SELECT attempt_id, question, part, response, score, points, status, checked_at
            FROM answer_v2 WHERE checked_at IS NOT NULL ORDER BY checked_at;
        CREATE INDEX checks_by_attempt ON checks (attempt_id, question);
        DROP TABLE answer;
        ALTER TABLE answer_v2 RENAME TO answer
        """,
    )


# MIGRATIONS[n] takes a database from schema version n to n + 1; the newest version is its length.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v0_to_v1, _v1_to_v2]


def schema_version() -> int:
    return len(MIGRATIONS)


def _read_mounts() -> str:
    try:
        return Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def filesystem_type(folder: Path, mounts: str | None = None) -> str | None:
    """The type of the filesystem holding folder: the /proc/mounts entry with the longest mount point."""
    target, best, kind = Path(os.path.realpath(folder)), -1, None
    for line in (_read_mounts() if mounts is None else mounts).splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), fields[1])  # \040 is a space
        if target.is_relative_to(point) and len(point) >= best:
            best, kind = len(point), fields[2]
    return kind


def _reason(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)) or type(exc).__name__


def _code(exc: sqlite3.Error) -> int:
    return (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF


def _stamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S")


def _connect(target: str | Path, **kwargs: Any) -> sqlite3.Connection:
    conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False, **kwargs)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _user_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def _owner_only(path: Path) -> None:
    """Take group and other permissions off the file and its side files (0644 becomes 0600). What
    the owner set for themselves stays: a file made read-only (0400) is left read-only."""
    for name in ("", *SIDE_FILES):
        with suppress(OSError):  # missing, or not ours to chmod
            mode = stat.S_IMODE(os.stat(f"{path}{name}").st_mode)
            if mode & ~0o600:
                os.chmod(f"{path}{name}", mode & 0o600)


def _read_only(path: Path) -> bool:
    """The owner took their write permission away (chmod u-w), or we may not write it at all.
    Checked by the mode bits too: root could write anyway, but the owner meant it read-only."""
    try:
        return not os.stat(path).st_mode & stat.S_IWUSR or not os.access(path, os.W_OK)
    except OSError:
        return False


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Serialise opening (moving aside, migrating) between processes; best effort, never blocks for long."""
    try:
        import fcntl

        fd = os.open(folder, os.O_RDONLY)
    except (ImportError, OSError):
        yield
        return
    try:
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.02)
            except OSError:
                break  # no locks here (some network filesystems): go on without
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _verified_copy(conn: sqlite3.Connection, dest: Path) -> Path:
    """Copy the database with the backup API to dest (via a temporary name) and check the copy."""
    tmp = dest.with_name(dest.name + ".tmp")
    with suppress(FileNotFoundError):
        tmp.unlink()
    os.close(os.open(tmp, os.O_CREAT | os.O_WRONLY, 0o600))
    copy = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
        check = copy.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        copy.close()
    if check != "ok":
        tmp.unlink()
        raise sqlite3.DatabaseError(f"the backup copy {dest} failed its check: {check}")
    os.replace(tmp, dest)
    return dest


def _migrate(conn: sqlite3.Connection, path: Path | None) -> None:
    held_data = _user_version(conn) >= 1  # a new file needs no backup of its empty schema
    while (version := _user_version(conn)) < len(MIGRATIONS):
        if held_data and path is not None:
            _verified_copy(conn, path.with_name(f"{path.name}.v{version}.bak"))
        conn.execute("BEGIN IMMEDIATE")
        try:
            if _user_version(conn) == version:  # another session may have migrated meanwhile
                MIGRATIONS[version](conn)
                conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise


def _damage(conn: sqlite3.Connection, path: Path) -> str | None:
    """Why the file cannot be used as a progress file, or None; raises SchemaTooNew first."""
    try:
        version = _user_version(conn)
        if version > len(MIGRATIONS):
            raise SchemaTooNew(path, version, len(MIGRATIONS))
        check = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
        foreign = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] if version == 0 else 0
    except sqlite3.DatabaseError as exc:
        if _code(exc) in _DAMAGED:
            return str(exc)
        raise
    if check != ["ok"]:
        return "; ".join(check)
    return "it holds another program's tables" if foreign else None


def _not_sqlite(path: Path) -> str | None:
    """A file SQLite must not even open (it would delete a -wal beside it on closing): no SQLite header."""
    with open(path, "rb") as f:
        head = f.read(16)
    return "it has no SQLite header" if head and head != b"SQLite format 3\x00" else None


def _move_aside(path: Path, reason: str, notices: list[str]) -> None:
    base = f"{path.name}.corrupt-{_stamp()}"
    target, n = path.with_name(base), 1
    while any(os.path.lexists(f"{target}{side}") for side in ("", *SIDE_FILES)):
        n += 1
        target = path.with_name(f"{base}-{n}")
    os.rename(path, target)
    for side in SIDE_FILES:  # a stale journal must never be replayed into the new file
        if os.path.lexists(f"{path}{side}"):
            os.rename(f"{path}{side}", f"{target}{side}")
    notices.append(
        f"progress file {path} was not a readable database ({reason}); "
        f"it was moved to {target} and a new one was started"
    )


def _set_journal(conn: sqlite3.Connection, folder: Path, notices: list[str]) -> None:
    kind = filesystem_type(folder)
    want = "wal"
    if kind in NETWORK_FILESYSTEMS:
        want = "delete"
        notices.append(f"progress folder is on a network filesystem ({kind}): using the rollback journal instead of WAL")
    got = conn.execute(f"PRAGMA journal_mode = {want}").fetchone()[0]
    if got != want:
        notices.append(f"the progress file could not use the {want} journal; it stays in {got} mode")
    conn.execute("PRAGMA synchronous = FULL")


def _open_file(path: Path, notices: list[str], retry: bool = True) -> tuple[sqlite3.Connection, bool]:
    """The connection to write with, and whether the file is read-only (then it is opened so)."""
    if os.path.lexists(path) and not path.is_file():
        _move_aside(path, "it is not a file", notices)
    elif path.exists() and (problem := _not_sqlite(path)):
        _move_aside(path, problem, notices)
    if not path.exists():  # created owner-only; SQLite gives its -wal/-shm/-journal the same mode
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    conn = _connect(path)
    try:
        problem = _damage(conn, path)
        if problem is None and _read_only(path):
            if _user_version(conn) < len(MIGRATIONS):
                raise sqlite3.OperationalError("the file is read-only and needs an update to this version")
            conn.close()
            conn = _connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            notices.append(
                f"progress file {path} is read-only: it was left as it is, and nothing is saved until it can"
                f" be written again (chmod u+w {path})"
            )
            return conn, True
        if problem is None:
            _owner_only(path)
            _set_journal(conn, path.parent, notices)
            _migrate(conn, path)
            try:
                conn.execute("BEGIN IMMEDIATE")  # proves we can write, before the first answer needs it
                conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if _code(exc) not in (5, 6):  # locked by another session: writes wait, or say so
                    raise
            _owner_only(path)
            return conn, False
    except BaseException:
        conn.close()
        raise
    conn.close()
    if not retry:
        raise sqlite3.DatabaseError(f"the new progress file is not usable either: {problem}")
    _move_aside(path, problem, notices)
    return _open_file(path, notices, retry=False)


def _memory(seed: Path | None = None) -> sqlite3.Connection:
    conn = _connect(":memory:")
    if seed is not None:  # show what the unwritable file holds, if it can be read at all
        with suppress(sqlite3.Error, OSError, ValueError):
            src = _connect(f"{seed.resolve().as_uri()}?mode=ro", uri=True)
            try:
                if _user_version(src) <= len(MIGRATIONS) and _damage(src, seed) is None:
                    src.backup(conn)
            finally:
                src.close()
    _migrate(conn, None)
    return conn


_ATTEMPT = "SELECT id, number, mode, started_at, deadline, submitted_at, current_question FROM attempt"
_COLUMNS = (
    "question, part, response, score, points, status, checked_at, revealed, steps_shown, draft, draft_status, version"
)
_ANSWER = f"SELECT {_COLUMNS} FROM answer"
_KEY = "attempt_id = ? AND question = ? AND part = ?"


def _record(row: tuple[Any, ...]) -> AnswerRecord:
    question, part, response, score, points, status, checked_at, revealed, steps, draft, draft_status, version = row
    shown = draft if draft is not None else response if response is not None else "null"
    status = status if checked_at is not None else draft_status or "typed"
    return AnswerRecord(question, part, shown, score, points, status, checked_at, bool(revealed), steps,
                        checked_response=response, draft=draft, version=version)


def _why(exc: sqlite3.Error) -> str:
    return _REASONS.get(_code(exc), str(exc) or type(exc).__name__)


class ProgressStore:
    """The student's attempts, answers and practice results. Open with `ProgressStore.open()`."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, notices: list[str], *,
                 read_only: bool = False) -> None:
        self._conn = conn  # every write goes through this one, under self._lock
        self._lock = threading.RLock()  # one connection, possibly used from worker threads
        self.path = path  # None when nothing is saved
        self.saving = path is not None
        self.notices = notices
        self._stale = read_only  # open the file afresh before the next write (it was read-only)
        self._kept: list[_Kept] = []  # failed writes, oldest first
        self._quick = False  # in quick(): a lock held elsewhere raises Busy at once
        self._own: dict[tuple[int, int, str], int] = {}  # row -> the version this session last wrote
        if path is None:  # a memory database exists once per connection: read with the same one
            self._reader, self._read_lock = conn, self._lock
        else:
            self._reader, self._read_lock = self._open_reader(read_only), threading.RLock()

    def _open_reader(self, read_only: bool) -> sqlite3.Connection:
        assert self.path is not None
        if read_only:
            return _connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
        reader = _connect(self.path)
        reader.execute("PRAGMA query_only = ON")
        return reader

    @classmethod
    def open(cls, data_dir: str | os.PathLike[str] | None = None) -> ProgressStore:
        notices: list[str] = []
        folder = paths.data_dir(data_dir)
        try:
            safety.private_folder(folder)  # made 0700; refused unless the user's alone
        except safety.UnsafePlace as exc:
            notices.append(f"progress will not be saved: {exc}")
            return cls.in_memory(notices)
        except (OSError, ValueError) as exc:  # ValueError: a name with a NUL character
            notices.append(f"progress will not be saved: cannot create {folder}: {_reason(exc)}")
            return cls.in_memory(notices)
        path = folder / FILENAME
        try:
            with _folder_lock(folder):
                safety.check_file(path)
                conn, read_only = _open_file(path, notices)
                return cls(conn, path, notices, read_only=read_only)
        except safety.UnsafePlace as exc:
            notices.append(f"progress will not be saved: {exc}")
            return cls.in_memory(notices)
        except SchemaTooNew as exc:
            notices.append(str(exc))
            return cls.in_memory(notices)
        except (OSError, sqlite3.Error) as exc:
            notices.append(f"progress will not be saved: cannot write {path}: {_reason(exc)}")
            return cls(_memory(seed=path), None, notices)

    @classmethod
    def in_memory(cls, notices: list[str] | None = None) -> ProgressStore:
        """A store that saves nothing (tests, or when the folder cannot be written)."""
        return cls(_memory(), None, list(notices or []))

    # -- running statements ------------------------------------------------------------------------

    def _read(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        with self._read_lock:
            return work(self._reader)

    def _write(self, work: Callable[[sqlite3.Connection], Any], keep: _Kept | None = None) -> tuple[Any, tuple]:
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
                    self._conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")

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
                _code(exc) in _UNWRITABLE | _DAMAGED
            ):
                self._stale = self._stale or _code(exc) in _REOPEN
                if self._quick and _code(exc) in (5, 6):
                    raise Busy(_why(exc)) from exc
                raise NotSaved(_why(exc)) from exc
            raise
        return result

    def _check_file(self) -> None:
        """The file is still there and its owner lets us write it; after a failure, open it afresh."""
        assert self.path is not None
        if not self.path.exists():
            raise NotSaved(f"the progress file {self.path} was removed")
        if _read_only(self.path):
            raise NotSaved("read-only file")
        if self._stale:
            try:
                writer = _connect(self.path)
                writer.execute("PRAGMA synchronous = FULL")
                reader = self._open_reader(False)
            except sqlite3.Error as exc:
                raise NotSaved(_why(exc)) from exc
            with self._read_lock:
                for old in (self._conn, self._reader):
                    with suppress(sqlite3.Error):
                        old.close()
                self._conn, self._reader, self._stale = writer, reader, False

    def _keep(self, kept: _Kept, reason: str) -> None:
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

    # -- attempts ----------------------------------------------------------------------------------

    def current_attempt(self) -> Attempt:
        """The newest unfinished attempt, a new study attempt if there is none. An exam whose
        deadline has passed counts as submitted at its deadline."""
        unfinished = f"{_ATTEMPT} WHERE submitted_at IS NULL ORDER BY number DESC LIMIT 1"
        expired = "submitted_at IS NULL AND deadline IS NOT NULL AND deadline <= ?"

        def look(conn: sqlite3.Connection) -> Attempt | None:  # the usual case: no write lock needed
            if conn.execute(f"SELECT 1 FROM attempt WHERE {expired}", (time.time(),)).fetchone():
                return None
            row = conn.execute(unfinished).fetchone()
            return Attempt(*row) if row else None

        def settle(conn: sqlite3.Connection) -> Attempt:
            now = time.time()
            conn.execute(f"UPDATE attempt SET submitted_at = deadline WHERE {expired}", (now,))
            row = conn.execute(unfinished).fetchone()
            return Attempt(*row) if row else _insert_attempt(conn, "study", now, None)

        return self._read(look) or self._write(settle)[0]

    def new_attempt(self, mode: str = "study", minutes: float = 180) -> Attempt:
        """A retake: a new attempt (earlier ones are kept); exam mode runs against a clock."""
        if mode not in MODES:
            raise ValueError(f"mode must be 'study' or 'exam', not {mode!r}")
        if mode == "exam" and not minutes > 0:
            raise ValueError(f"an exam needs more than 0 minutes, not {minutes}")

        def work(conn: sqlite3.Connection) -> Attempt:
            now = time.time()
            return _insert_attempt(conn, mode, now, now + minutes * 60 if mode == "exam" else None)

        return self._write(work)[0]

    def attempts(self) -> list[Attempt]:
        return self._read(lambda c: [Attempt(*r) for r in c.execute(f"{_ATTEMPT} ORDER BY number")])

    def submit(self, attempt_id: int) -> None:
        """Finish an attempt (an exam's answers are then shown); submitting twice keeps the first time."""
        sql = "UPDATE attempt SET submitted_at = coalesce(submitted_at, ?) WHERE id = ?"
        self._write(_update(attempt_id, sql, (time.time(), attempt_id)))

    def set_current_question(self, attempt_id: int, number: int) -> Saved:
        """Where to resume; kept and tried again if it cannot be written now."""
        work = _update(attempt_id, "UPDATE attempt SET current_question = ? WHERE id = ?", (number, attempt_id))
        kept = _Kept(Unsaved(attempt_id, number, None, "current"), work, key=(attempt_id, "current"))
        return self._saved(Saved(), self._write(work, kept)[1])

    # -- answers -----------------------------------------------------------------------------------

    def save_answer(
        self,
        attempt_id: int,
        question: int,
        part: str,
        response: Any,
        *,
        score: float | None = None,
        points: float = 0.0,
        status: str = "typed",
        seen: int | None = None,
        work_shown: bool = False,
    ) -> Saved:
        """Store a check (any status but a draft's) or a draft (status "typed" or "typed, work
        shown"), on disk when this returns; raises NotSaved (and keeps it for later) if it cannot be.

        A check replaces the part's last check (every check stays in the history for Best) and
        clears its draft: it is what the box held. A draft never touches the check, and is written
        only if the row has no check newer than `seen` (the row's version this session last saw)
        and than the last version this store wrote itself; otherwise `Saved.written` is False and
        `Saved.record` is the row with its newer check. A draft equal to the checked answer clears
        the draft (nothing was edited)."""
        if status in DRAFT_STATUSES:
            status = "typed, work shown" if work_shown else status
            if score is not None:
                raise ValueError(f"a draft (status {status!r}) has no score; pass the grade's status")
            return self.save_drafts(attempt_id, question, {part: (response, status, seen)})[part]
        text = json.dumps(response, ensure_ascii=False)
        key = (attempt_id, question, part)

        def work(conn: sqlite3.Connection) -> Saved:
            _exists(conn, attempt_id)
            now = time.time()
            conn.execute(
                """
                INSERT INTO answer (attempt_id, question, part, response, score, points, status, checked_at,
                                    updated_at, version, checked_version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1)
                ON CONFLICT (attempt_id, question, part) DO UPDATE SET
                    response = excluded.response, score = excluded.score, points = excluded.points,
                    status = excluded.status, checked_at = excluded.checked_at, draft = NULL,
                    draft_status = NULL, drafted_at = NULL, updated_at = excluded.updated_at,
                    version = version + 1, checked_version = version + 1
                """,
                (*key, text, score, points, status, now, now),
            )
            conn.execute(
                "INSERT INTO checks (attempt_id, question, part, response, score, points, status, checked_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (*key, text, score, points, status, now),
            )
            return Saved(_version(conn, key), row=key)

        unsaved = Unsaved(attempt_id, question, part, "check", response, score, points, status)
        saved, retried = self._write(work, _Kept(unsaved, work))
        return self._saved(saved, retried)

    def save_drafts(
        self, attempt_id: int, question: int, drafts: Mapping[str, tuple[Any, ...]]
    ) -> dict[str, Saved]:
        """Several drafts of one question in one transaction (a question screen being left):
        part -> (response, status, seen[, work_shown]), each as `save_answer` writes a draft."""
        drafts = {part: (d[0], "typed, work shown" if d[3:4] == (True,) else d[1], d[2]) for part, d in drafts.items()}
        for part, (_, status, _) in drafts.items():
            if status not in DRAFT_STATUSES:
                raise ValueError(f"{question}({part}): {status!r} is not a draft's status")
        works = {part: self._draft_work(attempt_id, question, part, *d) for part, d in drafts.items()}

        def work(conn: sqlite3.Connection) -> dict[str, Saved]:
            _exists(conn, attempt_id)
            return {part: one(conn) for part, one in works.items()}

        with self._lock:
            try:
                saved, retried = self._write(work)
            except NotSaved as exc:
                for part, (response, status, _) in drafts.items():
                    unsaved = Unsaved(attempt_id, question, part, "draft", response, status=status)
                    self._keep(_Kept(unsaved, works[part], key=(attempt_id, question, part, "draft")), exc.reason)
                raise
        return {part: self._saved(s, retried) for part, s in saved.items()}

    def _draft_work(self, attempt_id: int, question: int, part: str, response: Any, status: str,
                    seen: int | None) -> Callable[[sqlite3.Connection], Saved]:
        text = json.dumps(response, ensure_ascii=False)
        key = (attempt_id, question, part)

        def work(conn: sqlite3.Connection) -> Saved:
            _exists(conn, attempt_id)
            found = conn.execute(f"SELECT checked_version, {_COLUMNS} FROM answer WHERE {_KEY}", key).fetchone()
            row = None if found is None else found[1:]
            known = max(seen or 0, self._own.get(key, 0))
            if found is not None and found[0] is not None and found[0] > known:
                return Saved(row[-1], written=False, record=_record(row))  # a newer check wins
            now = time.time()
            draft = None if row is not None and text == row[2] else text  # the same as checked: not edited
            if row is None:
                conn.execute(
                    "INSERT INTO answer (attempt_id, question, part, draft, draft_status, drafted_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (*key, draft, status, now, now),
                )
            else:
                conn.execute(
                    f"UPDATE answer SET draft = ?, draft_status = ?, drafted_at = ?, updated_at = ?,"
                    f" version = version + 1 WHERE {_KEY} AND version = ?",
                    (draft, status, now, now, *key, row[-1]),
                )
            return Saved(_version(conn, key), row=key)

        return work

    def mark(
        self, attempt_id: int, question: int, part: str, *, revealed: bool | None = None, steps_shown: int | None = None
    ) -> Saved:
        """Remember that the model answer was revealed and how many worked steps are shown."""
        sql = """
            INSERT INTO answer (attempt_id, question, part, revealed, steps_shown, updated_at)
            VALUES (:a, :q, :p, coalesce(:r, 0), coalesce(:s, 0), :t)
            ON CONFLICT (attempt_id, question, part) DO UPDATE SET
                revealed = coalesce(:r, revealed), steps_shown = coalesce(:s, steps_shown), updated_at = :t,
                version = version + 1
        """
        rev = None if revealed is None else int(bool(revealed))
        args = {"a": attempt_id, "q": question, "p": part, "r": rev, "s": steps_shown, "t": time.time()}
        key = (attempt_id, question, part)

        def work(conn: sqlite3.Connection) -> Saved:
            _exists(conn, attempt_id)
            conn.execute(sql, args)
            return Saved(_version(conn, key), row=key)

        kind = "revealed" if revealed is not None else "steps"
        kept = _Kept(Unsaved(attempt_id, question, part, kind), work, key=(*key, kind))
        saved, retried = self._write(work, kept)
        return self._saved(saved, retried)

    def answers(self, attempt_id: int) -> dict[tuple[int, str], AnswerRecord]:
        """What is stored (not what waits in `unsaved`), per (question, part)."""

        def work(conn: sqlite3.Connection) -> dict[tuple[int, str], AnswerRecord]:
            rows = conn.execute(f"{_ANSWER} WHERE attempt_id = ? ORDER BY question, part", (attempt_id,))
            return {(a.question, a.part): a for a in map(_record, rows)}

        return self._read(work)

    def question_scores(self, attempt_id: int) -> dict[int, float]:
        """The sum of the parts' last checked scores, per question, in one attempt."""
        sql = (
            "SELECT question, sum(score) FROM answer WHERE attempt_id = ? AND score IS NOT NULL"
            " GROUP BY question ORDER BY question"
        )
        return self._read(lambda c: dict(c.execute(sql, (attempt_id,)).fetchall()))

    def best_scores(self) -> dict[int, float]:
        """The best question score ever held: over all attempts and over every check within one
        (replaying each attempt's checks in order), so a worse re-check never lowers it."""
        sql = "SELECT attempt_id, question, part, score FROM checks ORDER BY attempt_id, question, checked_at, id"
        best: dict[int, float] = {}
        current: dict[str, float] = {}
        group = None
        for attempt_id, question, part, score in self._read(lambda c: c.execute(sql).fetchall()):
            if (attempt_id, question) != group:
                group, current = (attempt_id, question), {}
            if score is None:
                current.pop(part, None)  # a check waiting for a self-mark scores nothing yet
                continue
            current[part] = score
            best[question] = max(best.get(question, score), sum(current.values()))
        return dict(sorted(best.items()))

    # -- practice ----------------------------------------------------------------------------------

    def save_practice(self, question: int, part: str, seed: int, score: float, points: float) -> Saved:
        sql = "INSERT INTO practice (question, part, seed, score, points, done_at) VALUES (?, ?, ?, ?, ?, ?)"
        done_at = time.time()  # when it was checked, even if it reaches the file later

        def work(conn: sqlite3.Connection) -> Saved:
            conn.execute(sql, (question, part, seed, score, points, done_at))
            return Saved()

        unsaved = Unsaved(None, question, part, "practice", seed, score, points)
        saved, retried = self._write(work, _Kept(unsaved, work))
        return self._saved(saved, retried)

    def practice_results(self, question: int | None = None) -> list[dict[str, Any]]:
        """Practice results, newest first: question, part, seed, score, points, done_at."""
        sql = "SELECT question, part, seed, score, points, done_at FROM practice"
        where, args = (" WHERE question = ?", (question,)) if question is not None else ("", ())
        keys = ("question", "part", "seed", "score", "points", "done_at")
        query = f"{sql}{where} ORDER BY done_at DESC, id DESC"
        return self._read(lambda c: [dict(zip(keys, r)) for r in c.execute(query, args)])

    # -- everything --------------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget every attempt, answer and practice result (and the writes still waiting)."""
        script = "DELETE FROM checks; DELETE FROM answer; DELETE FROM attempt; DELETE FROM practice"
        with self._lock:
            kept, self._kept = self._kept, []  # not worth writing first
            try:
                self._write(lambda c: _run_script(c, script))
            except NotSaved:
                self._kept = kept
                raise
            self._own.clear()

    def backup(self, dest: str | os.PathLike[str]) -> Path:
        """A checked copy made with SQLite's backup API (a folder gets a time-stamped file)."""
        dest = Path(dest)
        if dest.is_dir():
            dest = dest / f"progress-{_stamp()}.sqlite3"
        with self._lock:
            return _verified_copy(self._conn, dest)

    def restore(self, src: str | os.PathLike[str]) -> None:
        """Replace all progress with a backup's (checked first), then bring it to the current schema."""
        src = Path(src)
        if not src.is_file():
            raise FileNotFoundError(f"no backup file {src}")
        if problem := _not_sqlite(src):
            raise ValueError(f"{src} is not a usable progress backup: {problem}")
        with self._lock:
            journal = self._conn.execute("PRAGMA journal_mode").fetchone()[0]
            copy = _connect(f"{src.resolve().as_uri()}?mode=ro", uri=True)
            try:
                problem = _damage(copy, src)
                if problem:
                    raise ValueError(f"{src} is not a usable progress backup: {problem}")
                copy.backup(self._conn)
            finally:
                copy.close()
            self._conn.execute(f"PRAGMA journal_mode = {journal}")  # the copy brought its own
            _migrate(self._conn, self.path)
            self._own.clear()

    def close(self) -> None:
        with self._lock, self._read_lock:
            self._conn.close()
            if self._reader is not self._conn:
                self._reader.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _version(conn: sqlite3.Connection, key: tuple[int, int, str]) -> int:
    return conn.execute(f"SELECT version FROM answer WHERE {_KEY}", key).fetchone()[0]


def _exists(conn: sqlite3.Connection, attempt_id: int) -> None:
    if conn.execute("SELECT 1 FROM attempt WHERE id = ?", (attempt_id,)).fetchone() is None:
        raise UnknownAttempt(f"there is no attempt {attempt_id}")


def _update(attempt_id: int, sql: str, args: tuple[Any, ...]) -> Callable[[sqlite3.Connection], None]:
    def work(conn: sqlite3.Connection) -> None:
        if conn.execute(sql, args).rowcount == 0:
            raise UnknownAttempt(f"there is no attempt {attempt_id}")

    return work


def _insert_attempt(conn: sqlite3.Connection, mode: str, now: float, deadline: float | None) -> Attempt:
    number = conn.execute("SELECT coalesce(max(number), 0) + 1 FROM attempt").fetchone()[0]
    cur = conn.execute(
        "INSERT INTO attempt (number, mode, started_at, deadline) VALUES (?, ?, ?, ?)", (number, mode, now, deadline)
    )
    return Attempt(cur.lastrowid, number, mode, now, deadline, None, 1)
