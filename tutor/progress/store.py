"""The student's attempts, answers and practice results: what the progress store reads and writes.

What is kept, per part of an attempt: the last *check* (what was checked, its score, status and
whether the work was shown; every check also goes to the `checks` history, from which Best is
computed, so Best never goes down) and, apart from it, the *draft* (what was typed since, not
checked, with its own "work shown"). A draft never changes a check: typing after a check leaves its
score, and a re-check replaces it. A draft is written only if the row has no check that this session
has not seen (compare-and-set on the row's `version`): a second session's newer check wins over this
session's stale text.

It exists apart from opening the file (`tutor.progress.opening`, `tutor.progress.migrations`) and
from running the statements safely (`tutor.progress.transactions`), so its methods are plain SQL.
Standard library only (no Textual, no rich); stored data is plain SQL values and JSON text, never
pickles or UI objects.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from tutor.progress import migrations, opening
from tutor.progress.records import (
    DRAFT,
    DRAFT_STATUSES,
    LEGACY_WORK_SHOWN,
    MODES,
    AnswerRecord,
    Attempt,
    NotSaved,
    Saved,
    UnknownAttempt,
    Unsaved,
)
from tutor.progress.reviews import ReviewOf, ReviewStore
from tutor.progress.transactions import Kept, Transactions

_ATTEMPT = "SELECT id, number, mode, started_at, deadline, submitted_at, current_question FROM attempt"
_COLUMNS = (
    "question, part, response, score, points, status, checked_at, revealed, steps_shown, draft, draft_status,"
    " work_shown, draft_work_shown, version"  # version last: _draft_work reads it as row[-1]
)
_ANSWER = f"SELECT {_COLUMNS} FROM answer"
_KEY = "attempt_id = ? AND question = ? AND part = ?"
# A draft: (response, status, seen) as before schema 3, or (response, status, seen, work_shown).
Draft = tuple[Any, str, int | None] | tuple[Any, str, int | None, bool]


class ProgressStore(ReviewStore, Transactions):
    """The student's attempts, answers and practice results. Open with `ProgressStore.open()`."""

    @classmethod
    def open(cls, data_dir: str | os.PathLike[str] | None = None) -> ProgressStore:
        """The store of the data folder (`tutor.paths`); never raises for a place or file that cannot
        be used: it keeps progress in memory then, and `notices` says why."""
        conn, path, notices, read_only = opening.open_progress(data_dir)
        return cls(conn, path, notices, read_only=read_only)

    @classmethod
    def in_memory(cls, notices: list[str] | None = None) -> ProgressStore:
        """A store that saves nothing (tests, or when the folder cannot be written)."""
        return cls(opening.memory(), None, list(notices or []))

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
        kept = Kept(Unsaved(attempt_id, number, None, "current"), work, key=(attempt_id, "current"))
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
        status: str = DRAFT,
        seen: int | None = None,
        work_shown: bool = False,
        review: ReviewOf | None = None,
    ) -> Saved:
        """Store a check (any status but a draft's) or a draft (status "typed"), on disk when this
        returns; raises NotSaved (and keeps it for later) if it cannot be. `work_shown`: "I wrote
        out the work" was ticked (an exam is graded with it; a check is stored with the tick it was
        graded with). The status "typed, work shown" of earlier versions is still taken, for one
        release, as "typed" with work_shown.

        A check replaces the part's last check (every check stays in the history for Best) and
        clears its draft: it is what the box held. A draft never touches the check, and is written
        only if the row has no check newer than `seen` (the row's version this session last saw)
        and than the last version this store wrote itself; otherwise `Saved.written` is False and
        `Saved.record` is the row with its newer check. A draft equal to the checked answer clears
        the draft (nothing was edited). `review`: the check is also a review of the part's card
        (`tutor.progress.reviews`), written in the same transaction; a check with no score is none."""
        if status in DRAFT_STATUSES:
            if score is not None:
                raise ValueError(f"a draft (status {status!r}) has no score; pass the grade's status")
            return self.save_drafts(attempt_id, question, {part: (response, status, seen, work_shown)})[part]
        text = json.dumps(response, ensure_ascii=False)
        key = (attempt_id, question, part)
        shown = int(bool(work_shown))
        how = review if review is None or review.at is not None else replace(review, at=time.time())

        def work(conn: sqlite3.Connection) -> Saved:
            _exists(conn, attempt_id)
            self._review_in(conn, (question, part), score, points, how)  # (before the check joins the history)
            now = time.time()
            conn.execute(
                """
                INSERT INTO answer (attempt_id, question, part, response, score, points, status, checked_at,
                                    work_shown, updated_at, version, checked_version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1)
                ON CONFLICT (attempt_id, question, part) DO UPDATE SET
                    response = excluded.response, score = excluded.score, points = excluded.points,
                    status = excluded.status, checked_at = excluded.checked_at, work_shown = excluded.work_shown,
                    draft = NULL, draft_status = NULL, drafted_at = NULL, draft_work_shown = 0,
                    updated_at = excluded.updated_at, version = version + 1, checked_version = version + 1
                """,
                (*key, text, score, points, status, now, shown, now),
            )
            conn.execute(
                "INSERT INTO checks (attempt_id, question, part, response, score, points, status, checked_at,"
                " work_shown) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*key, text, score, points, status, now, shown),
            )
            return Saved(_version(conn, key), row=key)

        unsaved = Unsaved(attempt_id, question, part, "check", response, score, points, status, work_shown=bool(shown))
        saved, retried = self._write(work, Kept(unsaved, work))
        return self._saved(saved, retried)

    def save_drafts(self, attempt_id: int, question: int, drafts: Mapping[str, Draft]) -> dict[str, Saved]:
        """Several drafts of one question in one transaction (a question screen being left):
        part -> (response, status, seen, work_shown), each as `save_answer` writes a draft (the
        work_shown may be left out: False)."""
        read = {part: _read_draft(question, part, d) for part, d in drafts.items()}
        works = {part: self._draft_work(attempt_id, question, part, *d) for part, d in read.items()}

        def work(conn: sqlite3.Connection) -> dict[str, Saved]:
            _exists(conn, attempt_id)
            return {part: one(conn) for part, one in works.items()}

        with self._lock:
            try:
                saved, retried = self._write(work)
            except NotSaved as exc:
                for part, (response, _, work_shown) in read.items():
                    unsaved = Unsaved(attempt_id, question, part, "draft", response, status=DRAFT, work_shown=work_shown)
                    self._keep(Kept(unsaved, works[part], key=(attempt_id, question, part, "draft")), exc.reason)
                raise
        return {part: self._saved(s, retried) for part, s in saved.items()}

    def _draft_work(self, attempt_id: int, question: int, part: str, response: Any, seen: int | None,
                    work_shown: bool) -> Callable[[sqlite3.Connection], Saved]:
        text = json.dumps(response, ensure_ascii=False)
        key = (attempt_id, question, part)
        shown = int(work_shown)

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
                    "INSERT INTO answer (attempt_id, question, part, draft, draft_status, draft_work_shown, drafted_at,"
                    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (*key, draft, DRAFT, shown, now, now),
                )
            else:
                conn.execute(
                    f"UPDATE answer SET draft = ?, draft_status = ?, draft_work_shown = ?, drafted_at = ?,"
                    f" updated_at = ?, version = version + 1 WHERE {_KEY} AND version = ?",
                    (draft, DRAFT, shown, now, now, *key, row[-1]),
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
        kept = Kept(Unsaved(attempt_id, question, part, kind), work, key=(*key, kind))
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

    def save_practice(self, question: int, part: str, seed: int, score: float, points: float, *,
                      review: ReviewOf | None = None) -> Saved:
        """A practice result; with `review`, also a review of the exam part's card, in one transaction."""
        sql = "INSERT INTO practice (question, part, seed, score, points, done_at) VALUES (?, ?, ?, ?, ?, ?)"
        done_at = time.time()  # when it was checked, even if it reaches the file later
        how = review if review is None or review.at is not None else replace(review, at=done_at)

        def work(conn: sqlite3.Connection) -> Saved:
            self._review_in(conn, (question, part), score, points, how)
            conn.execute(sql, (question, part, seed, score, points, done_at))
            return Saved()

        unsaved = Unsaved(None, question, part, "practice", seed, score, points)
        saved, retried = self._write(work, Kept(unsaved, work))
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
        """Forget every attempt, answer and practice result, the review cards and their logs (and the
        writes still waiting). The exam date stays: it is the calendar, not progress."""
        script = ("DELETE FROM checks; DELETE FROM answer; DELETE FROM attempt; DELETE FROM practice;"
                  " DELETE FROM review_log; DELETE FROM review_card")
        with self._lock:
            kept, self._kept = self._kept, []  # not worth writing first
            try:
                self._write(lambda c: migrations.run_script(c, script))
            except NotSaved:
                self._kept = kept
                raise
            self._own.clear()

    def backup(self, dest: str | os.PathLike[str]) -> Path:
        """A checked copy made with SQLite's backup API (a folder gets a time-stamped file)."""
        dest = Path(dest)
        if dest.is_dir():
            dest = dest / f"progress-{opening.stamp()}.sqlite3"
        with self._lock:
            return migrations.verified_copy(self._conn, dest)

    def restore(self, src: str | os.PathLike[str]) -> None:
        """Replace all progress with a backup's (checked first), then bring it to the current schema."""
        with self._lock:
            opening.restore(self._conn, Path(src), self.path)
            self._own.clear()


def _read_draft(question: int, part: str, draft: Draft) -> tuple[Any, int | None, bool]:
    """(response, seen, work_shown) of a draft as `save_drafts` takes it."""
    response, status, seen, *rest = draft
    if status not in DRAFT_STATUSES:
        raise ValueError(f"{question}({part}): {status!r} is not a draft's status")
    return response, seen, bool(rest and rest[0]) or status == LEGACY_WORK_SHOWN


def _record(row: tuple[Any, ...]) -> AnswerRecord:
    (question, part, response, score, points, status, checked_at, revealed, steps, draft, draft_status,
     work_shown, draft_work_shown, version) = row
    shown = draft if draft is not None else response if response is not None else "null"
    status = status if checked_at is not None else draft_status or DRAFT
    ticked = work_shown if checked_at is not None and draft is None else draft_work_shown  # as `shown`
    return AnswerRecord(question, part, shown, score, points, status, checked_at, bool(revealed), steps,
                        checked_response=response, draft=draft, version=version, work_shown=bool(ticked))


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
