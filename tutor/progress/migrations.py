"""The progress file's schema, version by version, and how an older file is brought up to date.

`PRAGMA user_version` is the schema version; `MIGRATIONS[n]` takes a file from version n to n + 1
(version 1 is the first), each in one transaction, after a verified backup copy
`progress.sqlite3.v{n}.bak` of a file that held data. A migration spells out the statuses and
columns it reads: it must not change when the code does, so it imports nothing of the store.

It exists apart from the store so that what a file looked like in each version stays written down
in one place, frozen. Standard library only (sqlite3); nothing of tutor.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Statement by statement: `executescript` would COMMIT the caller's transaction first."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def v0_to_v1(conn: sqlite3.Connection) -> None:
    run_script(
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


def v1_to_v2(conn: sqlite3.Connection) -> None:
    """Drafts apart from checks, a version per row, and the history of every check.

    In version 1 a row was either a draft (status 'typed' or 'typed, work shown', no score) or a
    check; a check moves to the check columns (and into the history), a draft to the draft columns."""
    drafts = "('typed', 'typed, work shown')"
    run_script(
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


def v2_to_v3(conn: sqlite3.Connection) -> None:
    """"I wrote out the work" as a column of its own: the last check's (`work_shown`), the draft's
    (`draft_work_shown`) and each check's in the history, 0 or 1.

    Version 2 said it only in a draft's status: 'typed, work shown' (an exam's answer kept with the
    tick) becomes the status 'typed' with draft_work_shown 1. A check's tick was not stored before:
    it is 0, which is all version 2 knew."""
    run_script(
        conn,
        """
        ALTER TABLE answer ADD COLUMN work_shown INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE answer ADD COLUMN draft_work_shown INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE checks ADD COLUMN work_shown INTEGER NOT NULL DEFAULT 0;
        UPDATE answer SET draft_status = 'typed', draft_work_shown = 1 WHERE draft_status = 'typed, work shown'
        """,
    )


def v3_to_v4(conn: sqlite3.Connection) -> None:
    """Spaced review: the exam date (a setting), each part's FSRS card and the log of its reviews.

    Cards and logs are fsrs's own JSON text (tutor.review). Nothing refers to an attempt: memory of
    the material is not an attempt, so a retake keeps them (a reset clears them). No card is made
    here from the checks already stored (a migration must not change when the code does): the first
    load builds them (tutor.review.load_cards), so nothing checked before is lost to the schedule."""
    run_script(
        conn,
        """
        CREATE TABLE setting (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE review_card (
            question INTEGER NOT NULL,
            part TEXT NOT NULL,
            card TEXT NOT NULL,
            updated_at REAL NOT NULL,
            PRIMARY KEY (question, part)
        );
        CREATE TABLE review_log (
            id INTEGER PRIMARY KEY,
            question INTEGER NOT NULL,
            part TEXT NOT NULL,
            reviewed_at REAL NOT NULL,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            score REAL NOT NULL,
            points REAL NOT NULL,
            self_marked INTEGER NOT NULL DEFAULT 0,
            answer_seen INTEGER NOT NULL DEFAULT 0,
            source TEXT NOT NULL CHECK (source IN ('study', 'exam', 'practice', 'review')),
            seed INTEGER,
            log TEXT NOT NULL
        );
        CREATE INDEX review_log_by_part ON review_log (question, part, reviewed_at)
        """,
    )


# MIGRATIONS[n] takes a database from schema version n to n + 1; the newest version is its length.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [v0_to_v1, v1_to_v2, v2_to_v3, v3_to_v4]


def schema_version() -> int:
    return len(MIGRATIONS)


def user_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def verified_copy(conn: sqlite3.Connection, dest: Path) -> Path:
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


def migrate(conn: sqlite3.Connection, path: Path | None) -> None:
    """Bring the database up to `schema_version()`, one version per transaction, each after a
    verified backup (when the file held data and is a file). A failing step leaves the file at the
    version before it."""
    held_data = user_version(conn) >= 1  # a new file needs no backup of its empty schema
    while (version := user_version(conn)) < len(MIGRATIONS):
        if held_data and path is not None:
            verified_copy(conn, path.with_name(f"{path.name}.v{version}.bak"))
        conn.execute("BEGIN IMMEDIATE")
        try:
            if user_version(conn) == version:  # another session may have migrated meanwhile
                MIGRATIONS[version](conn)
                conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
