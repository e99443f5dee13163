"""Attempts, answers and practice results in SQLite, so nothing checked is lost, without a UI.

Standard library only (no Textual, no rich): the app, the command line and the tests share it.
Stored data is plain SQL values and JSON text, never pickles or UI objects.

How it stays safe:
- Every write is one `BEGIN IMMEDIATE ... COMMIT` in autocommit mode (`isolation_level=None`), with
  `synchronous=FULL`: a checked answer is on disk when `save_answer` returns, and two sessions doing
  read-then-write updates wait for each other (busy timeout) instead of losing one update.
- WAL journal, except on network filesystems (found in /proc/mounts), where WAL cannot work.
- `PRAGMA user_version` is the schema version; `MIGRATIONS[n]` takes a file from version n to n + 1
  (version 1 is the first), after a verified backup copy `progress.sqlite3.v{n}.bak`.
- A file that is not a readable database is moved aside, never overwritten; a file from a newer
  version is left untouched; an unwritable folder or file falls back to an in-memory store, and so
  does a folder or file that is not the user's alone (`tutor.safety`: another user's, or writable by
  group or others). Each case leaves a plain sentence in `ProgressStore.notices`; `open` never
  raises for them.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor import paths, safety

FILENAME = "progress.sqlite3"
BUSY_TIMEOUT_S = 10.0
SIDE_FILES = ("-wal", "-shm", "-journal")
NETWORK_FILESYSTEMS = frozenset(
    "nfs nfs4 cifs smb smb3 smbfs fuse.sshfs afs ncpfs ceph fuse.ceph glusterfs fuse.glusterfs "
    "lustre gpfs beegfs".split()
)
# SQLite result codes (primary, the low byte) that mean the file itself is damaged, and those that
# mean we cannot write it now; the latter send a running store to memory instead of crashing the app.
_DAMAGED = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_UNWRITABLE = {3, 5, 6, 8, 10, 13, 14, 15}  # PERM BUSY LOCKED READONLY IOERR FULL CANTOPEN PROTOCOL
MODES = ("study", "exam")


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
    response: str  # JSON text of what was typed
    score: float | None  # None until checked
    points: float
    status: str  # "typed" for a draft, else the grade's status
    checked_at: float | None
    revealed: bool
    steps_shown: int

    @property
    def value(self) -> Any:
        """What was typed, decoded: a str, or a dict for a part with several blanks."""
        return json.loads(self.response)


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


# MIGRATIONS[n] takes a database from schema version n to n + 1; the newest version is its length.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v0_to_v1]


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
    for name in ("", *SIDE_FILES):
        with suppress(OSError):  # missing, or not ours to chmod
            os.chmod(f"{path}{name}", 0o600)


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
    while (version := _user_version(conn)) < len(MIGRATIONS):
        if version >= 1 and path is not None:
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


def _open_file(path: Path, notices: list[str], retry: bool = True) -> sqlite3.Connection:
    if os.path.lexists(path) and not path.is_file():
        _move_aside(path, "it is not a file", notices)
    elif path.exists() and (problem := _not_sqlite(path)):
        _move_aside(path, problem, notices)
    if not path.exists():  # created owner-only; SQLite gives its -wal/-shm/-journal the same mode
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    conn = _connect(path)
    try:
        problem = _damage(conn, path)
        if problem is None:
            _owner_only(path)
            _set_journal(conn, path.parent, notices)
            _migrate(conn, path)
            conn.execute("BEGIN IMMEDIATE")  # proves we can write, before the first answer needs it
            conn.execute("COMMIT")
            _owner_only(path)
            return conn
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
_ANSWER = "SELECT question, part, response, score, points, status, checked_at, revealed, steps_shown FROM answer"


class ProgressStore:
    """The student's attempts, answers and practice results. Open with `ProgressStore.open()`."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, notices: list[str]) -> None:
        self._conn = conn
        self._lock = threading.RLock()  # one connection, possibly used from worker threads
        self.path = path  # None when nothing is saved
        self.saving = path is not None
        self.notices = notices

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
                return cls(_open_file(path, notices), path, notices)
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

    def _run(self, work: Callable[[sqlite3.Connection], Any], write: bool = True) -> Any:
        with self._lock:
            try:
                return self._once(work, write)
            except sqlite3.DatabaseError as exc:
                if not self.saving or _code(exc) not in _UNWRITABLE | _DAMAGED:
                    raise
                self._fall_back(exc)
                return self._once(work, write)

    def _once(self, work: Callable[[sqlite3.Connection], Any], write: bool) -> Any:
        conn = self._conn
        if not write:
            return work(conn)
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = work(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise
        return result

    def _fall_back(self, exc: sqlite3.Error) -> None:
        """The file stopped working mid-session: carry on in memory with what it held."""
        memory = _connect(":memory:")
        try:
            self._conn.backup(memory)
        except sqlite3.Error:
            memory.close()
            memory = _memory()
        with suppress(sqlite3.Error):
            self._conn.close()
        self.notices.append(f"progress will not be saved from now on: cannot write {self.path}: {_reason(exc)}")
        self._conn, self.path, self.saving = memory, None, False

    @property
    def journal_mode(self) -> str:
        return self._run(lambda c: c.execute("PRAGMA journal_mode").fetchone()[0], write=False)

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

        return self._run(look, write=False) or self._run(settle)

    def new_attempt(self, mode: str = "study", minutes: float = 180) -> Attempt:
        """A retake: a new attempt (earlier ones are kept); exam mode runs against a clock."""
        if mode not in MODES:
            raise ValueError(f"mode must be 'study' or 'exam', not {mode!r}")
        if mode == "exam" and not minutes > 0:
            raise ValueError(f"an exam needs more than 0 minutes, not {minutes}")

        def work(conn: sqlite3.Connection) -> Attempt:
            now = time.time()
            return _insert_attempt(conn, mode, now, now + minutes * 60 if mode == "exam" else None)

        return self._run(work)

    def attempts(self) -> list[Attempt]:
        return self._run(lambda c: [Attempt(*r) for r in c.execute(f"{_ATTEMPT} ORDER BY number")], write=False)

    def submit(self, attempt_id: int) -> None:
        """Finish an attempt (an exam's answers are then shown); submitting twice keeps the first time."""
        sql = "UPDATE attempt SET submitted_at = coalesce(submitted_at, ?) WHERE id = ?"
        self._update(attempt_id, sql, (time.time(), attempt_id))

    def set_current_question(self, attempt_id: int, number: int) -> None:
        self._update(attempt_id, "UPDATE attempt SET current_question = ? WHERE id = ?", (number, attempt_id))

    def _update(self, attempt_id: int, sql: str, args: tuple[Any, ...]) -> None:
        def work(conn: sqlite3.Connection) -> None:
            if conn.execute(sql, args).rowcount == 0:
                raise UnknownAttempt(f"there is no attempt {attempt_id}")

        self._run(work)

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
    ) -> None:
        """Store what was typed (JSON) and, once checked, its grade; on disk when this returns.

        A draft (status "typed", no score) replaces an earlier grade: the grade belonged to what was
        typed before. A draft saved with points 0 keeps the points already stored."""
        if status == "typed" and score is not None:
            raise ValueError("a draft (status 'typed') has no score; pass the grade's status")
        text = json.dumps(response, ensure_ascii=False)
        now = time.time()
        checked_at = None if status == "typed" else now
        sql = """
            INSERT INTO answer (attempt_id, question, part, response, score, points, status, checked_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (attempt_id, question, part) DO UPDATE SET
                response = excluded.response, score = excluded.score, status = excluded.status,
                checked_at = excluded.checked_at, updated_at = excluded.updated_at,
                points = CASE WHEN excluded.status = 'typed' AND excluded.points = 0
                              THEN points ELSE excluded.points END
        """
        args = (attempt_id, question, part, text, score, points, status, checked_at, now)
        self._upsert(attempt_id, sql, args)

    def mark(
        self, attempt_id: int, question: int, part: str, *, revealed: bool | None = None, steps_shown: int | None = None
    ) -> None:
        """Remember that the model answer was revealed and how many worked steps are shown."""
        sql = """
            INSERT INTO answer (attempt_id, question, part, revealed, steps_shown, updated_at)
            VALUES (:a, :q, :p, coalesce(:r, 0), coalesce(:s, 0), :t)
            ON CONFLICT (attempt_id, question, part) DO UPDATE SET
                revealed = coalesce(:r, revealed), steps_shown = coalesce(:s, steps_shown), updated_at = :t
        """
        rev = None if revealed is None else int(bool(revealed))
        args = {"a": attempt_id, "q": question, "p": part, "r": rev, "s": steps_shown, "t": time.time()}
        self._upsert(attempt_id, sql, args)

    def _upsert(self, attempt_id: int, sql: str, args: Any) -> None:
        def work(conn: sqlite3.Connection) -> None:
            if conn.execute("SELECT 1 FROM attempt WHERE id = ?", (attempt_id,)).fetchone() is None:
                raise UnknownAttempt(f"there is no attempt {attempt_id}")
            conn.execute(sql, args)

        self._run(work)

    def answers(self, attempt_id: int) -> dict[tuple[int, str], AnswerRecord]:
        def work(conn: sqlite3.Connection) -> dict[tuple[int, str], AnswerRecord]:
            rows = conn.execute(f"{_ANSWER} WHERE attempt_id = ? ORDER BY question, part", (attempt_id,))
            records = (AnswerRecord(*r[:7], bool(r[7]), r[8]) for r in rows)
            return {(a.question, a.part): a for a in records}

        return self._run(work, write=False)

    def question_scores(self, attempt_id: int) -> dict[int, float]:
        """The sum of the checked parts' scores, per question, in one attempt."""
        sql = (
            "SELECT question, sum(score) FROM answer WHERE attempt_id = ? AND score IS NOT NULL"
            " GROUP BY question ORDER BY question"
        )
        return self._run(lambda c: dict(c.execute(sql, (attempt_id,)).fetchall()), write=False)

    def best_scores(self) -> dict[int, float]:
        """The best question score over all attempts."""
        sql = (
            "SELECT question, max(total) FROM (SELECT question, sum(score) AS total FROM answer"
            " WHERE score IS NOT NULL GROUP BY attempt_id, question) GROUP BY question ORDER BY question"
        )
        return self._run(lambda c: dict(c.execute(sql).fetchall()), write=False)

    # -- practice ----------------------------------------------------------------------------------

    def save_practice(self, question: int, part: str, seed: int, score: float, points: float) -> None:
        sql = "INSERT INTO practice (question, part, seed, score, points, done_at) VALUES (?, ?, ?, ?, ?, ?)"
        self._run(lambda c: c.execute(sql, (question, part, seed, score, points, time.time())))

    def practice_results(self, question: int | None = None) -> list[dict[str, Any]]:
        """Practice results, newest first: question, part, seed, score, points, done_at."""
        sql = "SELECT question, part, seed, score, points, done_at FROM practice"
        where, args = (" WHERE question = ?", (question,)) if question is not None else ("", ())
        keys = ("question", "part", "seed", "score", "points", "done_at")
        query = f"{sql}{where} ORDER BY done_at DESC, id DESC"
        return self._run(lambda c: [dict(zip(keys, r)) for r in c.execute(query, args)], write=False)

    # -- everything --------------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget every attempt, answer and practice result."""
        self._run(lambda c: _run_script(c, "DELETE FROM answer; DELETE FROM attempt; DELETE FROM practice"))

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

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _insert_attempt(conn: sqlite3.Connection, mode: str, now: float, deadline: float | None) -> Attempt:
    number = conn.execute("SELECT coalesce(max(number), 0) + 1 FROM attempt").fetchone()[0]
    cur = conn.execute(
        "INSERT INTO attempt (number, mode, started_at, deadline) VALUES (?, ?, ?, ?)", (number, mode, now, deadline)
    )
    return Attempt(cur.lastrowid, number, mode, now, deadline, None, 1)
