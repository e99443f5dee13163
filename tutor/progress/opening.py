"""Opening the progress file: finding it, refusing or repairing what cannot be used, and falling back
to memory with a plain sentence, so that `ProgressStore.open` never raises for a bad place or file.

- A file that is not a readable database is moved aside, never overwritten; a file from a newer
  version is left untouched (SchemaTooNew); a read-only file is read and left as its owner set it;
  an unwritable folder falls back to an in-memory store, and so does a folder or file that is not
  the user's alone (`tutor.safety`: another user's, or writable by group or others). Each case
  leaves a sentence in the notices.
- WAL journal, except on network filesystems (found in /proc/mounts), where WAL cannot work;
  `synchronous=FULL` always. An older file is migrated (`tutor.progress.migrations`) first.
- Opening is serialised between processes by a lock on the folder (best effort).

It exists apart from the store's queries so that what can go wrong with a file on a shared server
is handled in one place. Standard library only, plus `tutor.paths` and `tutor.safety` (which are
standard library only themselves); no Textual, no rich.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from tutor import paths, safety
from tutor.progress import migrations
from tutor.progress.records import DAMAGED, LOCKED, SchemaTooNew, result_code

FILENAME = "progress.sqlite3"
BUSY_TIMEOUT_S = 5.0  # how long a write waits for another session's lock before it says "not saved"
SIDE_FILES = ("-wal", "-shm", "-journal")
NETWORK_FILESYSTEMS = frozenset(
    "nfs nfs4 cifs smb smb3 smbfs fuse.sshfs afs ncpfs ceph fuse.ceph glusterfs fuse.glusterfs "
    "lustre gpfs beegfs".split()
)


def connect(target: str | Path, **kwargs: Any) -> sqlite3.Connection:
    """A connection in autocommit mode (every write is its own BEGIN IMMEDIATE ... COMMIT) that
    waits BUSY_TIMEOUT_S for another session's lock."""
    conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False, **kwargs)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def connect_read_only(path: Path) -> sqlite3.Connection:
    return connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def read_mounts() -> str:
    try:
        return Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def filesystem_type(folder: Path, mounts: str | None = None) -> str | None:
    """The type of the filesystem holding folder: the /proc/mounts entry with the longest mount point."""
    target, best, kind = Path(os.path.realpath(folder)), -1, None
    for line in (read_mounts() if mounts is None else mounts).splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), fields[1])  # \040 is a space
        if target.is_relative_to(point) and len(point) >= best:
            best, kind = len(point), fields[2]
    return kind


def reason(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)) or type(exc).__name__


def stamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S")


def owner_only(path: Path) -> None:
    """Take group and other permissions off the file and its side files (0644 becomes 0600). What
    the owner set for themselves stays: a file made read-only (0400) is left read-only."""
    for name in ("", *SIDE_FILES):
        with suppress(OSError):  # missing, or not ours to chmod
            mode = stat.S_IMODE(os.stat(f"{path}{name}").st_mode)
            if mode & ~0o600:
                os.chmod(f"{path}{name}", mode & 0o600)


def read_only(path: Path) -> bool:
    """The owner took their write permission away (chmod u-w), or we may not write it at all.
    Checked by the mode bits too: root could write anyway, but the owner meant it read-only."""
    try:
        return not os.stat(path).st_mode & stat.S_IWUSR or not os.access(path, os.W_OK)
    except OSError:
        return False


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
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


def damage(conn: sqlite3.Connection, path: Path) -> str | None:
    """Why the file cannot be used as a progress file, or None; raises SchemaTooNew first."""
    known = migrations.schema_version()
    try:
        version = migrations.user_version(conn)
        if version > known:
            raise SchemaTooNew(path, version, known)
        check = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
        foreign = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] if version == 0 else 0
    except sqlite3.DatabaseError as exc:
        if result_code(exc) in DAMAGED:
            return str(exc)
        raise
    if check != ["ok"]:
        return "; ".join(check)
    return "it holds another program's tables" if foreign else None


def not_sqlite(path: Path) -> str | None:
    """A file SQLite must not even open (it would delete a -wal beside it on closing): no SQLite header."""
    with open(path, "rb") as f:
        head = f.read(16)
    return "it has no SQLite header" if head and head != b"SQLite format 3\x00" else None


def move_aside(path: Path, why: str, notices: list[str]) -> None:
    base = f"{path.name}.corrupt-{stamp()}"
    target, n = path.with_name(base), 1
    while any(os.path.lexists(f"{target}{side}") for side in ("", *SIDE_FILES)):
        n += 1
        target = path.with_name(f"{base}-{n}")
    os.rename(path, target)
    for side in SIDE_FILES:  # a stale journal must never be replayed into the new file
        if os.path.lexists(f"{path}{side}"):
            os.rename(f"{path}{side}", f"{target}{side}")
    notices.append(
        f"progress file {path} was not a readable database ({why}); "
        f"it was moved to {target} and a new one was started"
    )


def set_journal(conn: sqlite3.Connection, folder: Path, notices: list[str]) -> None:
    kind = filesystem_type(folder)
    want = "wal"
    if kind in NETWORK_FILESYSTEMS:
        want = "delete"
        notices.append(f"progress folder is on a network filesystem ({kind}): using the rollback journal instead of WAL")
    got = conn.execute(f"PRAGMA journal_mode = {want}").fetchone()[0]
    if got != want:
        notices.append(f"the progress file could not use the {want} journal; it stays in {got} mode")
    conn.execute("PRAGMA synchronous = FULL")


def open_file(path: Path, notices: list[str], retry: bool = True) -> tuple[sqlite3.Connection, bool]:
    """The connection to write with, and whether the file is read-only (then it is opened so)."""
    if os.path.lexists(path) and not path.is_file():
        move_aside(path, "it is not a file", notices)
    elif path.exists() and (problem := not_sqlite(path)):
        move_aside(path, problem, notices)
    if not path.exists():  # created owner-only; SQLite gives its -wal/-shm/-journal the same mode
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    conn = connect(path)
    try:
        problem = damage(conn, path)
        if problem is None and read_only(path):
            if migrations.user_version(conn) < migrations.schema_version():
                raise sqlite3.OperationalError("the file is read-only and needs an update to this version")
            conn.close()
            conn = connect_read_only(path)
            notices.append(
                f"progress file {path} is read-only: it was left as it is, and nothing is saved until it can"
                f" be written again (chmod u+w {path})"
            )
            return conn, True
        if problem is None:
            owner_only(path)
            set_journal(conn, path.parent, notices)
            migrations.migrate(conn, path)
            try:
                conn.execute("BEGIN IMMEDIATE")  # proves we can write, before the first answer needs it
                conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if result_code(exc) not in LOCKED:  # locked by another session: writes wait, or say so
                    raise
            owner_only(path)
            return conn, False
    except BaseException:
        conn.close()
        raise
    conn.close()
    if not retry:
        raise sqlite3.DatabaseError(f"the new progress file is not usable either: {problem}")
    move_aside(path, problem, notices)
    return open_file(path, notices, retry=False)


def memory(seed: Path | None = None) -> sqlite3.Connection:
    """An in-memory database of the current schema, holding what `seed` holds if it can be read."""
    conn = connect(":memory:")
    if seed is not None:  # show what the unwritable file holds, if it can be read at all
        with suppress(sqlite3.Error, OSError, ValueError):
            src = connect_read_only(seed)
            try:
                if migrations.user_version(src) <= migrations.schema_version() and damage(src, seed) is None:
                    src.backup(conn)
            finally:
                src.close()
    migrations.migrate(conn, None)
    return conn


def open_progress(data_dir: str | os.PathLike[str] | None) -> tuple[sqlite3.Connection, Path | None, list[str], bool]:
    """The connection, the file (None: progress is kept in memory only), the notices, and whether the
    file is read-only, for `ProgressStore(...)`. Never raises for a place or file that cannot be used."""
    notices: list[str] = []
    folder = paths.data_dir(data_dir)
    try:
        safety.private_folder(folder)  # made 0700; refused unless the user's alone
    except safety.UnsafePlace as exc:
        notices.append(f"progress will not be saved: {exc}")
        return memory(), None, notices, False
    except (OSError, ValueError) as exc:  # ValueError: a name with a NUL character
        notices.append(f"progress will not be saved: cannot create {folder}: {reason(exc)}")
        return memory(), None, notices, False
    path = folder / FILENAME
    try:
        with folder_lock(folder):
            safety.check_file(path)
            conn, is_read_only = open_file(path, notices)
            return conn, path, notices, is_read_only
    except safety.UnsafePlace as exc:
        notices.append(f"progress will not be saved: {exc}")
        return memory(), None, notices, False
    except SchemaTooNew as exc:
        notices.append(str(exc))
        return memory(), None, notices, False
    except (OSError, sqlite3.Error) as exc:
        notices.append(f"progress will not be saved: cannot write {path}: {reason(exc)}")
        return memory(seed=path), None, notices, False


def restore(conn: sqlite3.Connection, src: Path, path: Path | None) -> None:
    """Replace what `conn` holds with a backup's (checked first), then bring it to the current schema."""
    if not src.is_file():
        raise FileNotFoundError(f"no backup file {src}")
    if problem := not_sqlite(src):
        raise ValueError(f"{src} is not a usable progress backup: {problem}")
    journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
    copy = connect_read_only(src)
    try:
        problem = damage(copy, src)
        if problem:
            raise ValueError(f"{src} is not a usable progress backup: {problem}")
        copy.backup(conn)
    finally:
        copy.close()
    conn.execute(f"PRAGMA journal_mode = {journal}")  # the copy brought its own
    migrations.migrate(conn, path)
