"""Spaced review in the progress store: the exam date, each part's FSRS card and the log of its reviews.

What is kept (schema 4, `tutor.progress.migrations.v3_to_v4`): `setting` ('exam_date', 'YYYY-MM-DD'),
`review_card` (one fsrs Card JSON per (question, part)) and `review_log` (one row per review: when,
the rating, the score it came from, how it was made, fsrs's ReviewLog JSON). Nothing refers to an
attempt: memory of the material is not an attempt, so a retake keeps cards and logs; a reset clears
them (the exam date stays: it is the calendar, not progress).

A review is written in the transaction of its check (`ProgressStore.save_answer(..., review=...)`,
`save_practice(..., review=...)`): a check is never saved without its review, and two sessions
never review from a stale card (BEGIN IMMEDIATE). Before a card is used it goes through
`tutor.review.load_cards`: a card that cannot be read or that a clock moved backwards has put in the
future is rebuilt from the part's history (its review logs, or for a part reviewed before schema 4
its checks and practice results) and a notice says so; a part with checks and no card gets one,
silently. Nothing here raises for what the file holds.

It exists apart from `tutor.progress.store` so the store's attempts and drafts stay readable. The
scheduling itself is `tutor.review` (fsrs is imported there, on the first review); this module is
SQL and bookkeeping. Standard library only otherwise.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tutor.progress.records import NotSaved, Unsaved
from tutor.progress.transactions import Kept
from tutor.review import Check, Key, Loaded, Rebuilt, load_cards, replan, review_check

SOURCES = ("study", "exam", "practice", "review")
EXAM_DATE = "exam_date"


@dataclass(frozen=True)
class ReviewOf:
    """How a check counts as a review: where it was made (`source`), whether the score is the
    student's own mark, whether the model answer or its steps were on screen before it (then it is
    Again: reading, not recall), the practice numbers' seed, and when (None: now)."""

    source: str
    self_marked: bool = False
    answer_seen: bool = False
    seed: int | None = None
    at: float | None = None

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"a review's source is one of {', '.join(SOURCES)}, not {self.source!r}")


@dataclass(frozen=True)
class Logged(Check):
    """A check of the history with where it was made, so a rebuilt log row keeps it."""

    source: str = "study"
    seed: int | None = None


@dataclass(frozen=True)
class ReviewState:
    """The cards as they can be scheduled now, the exam date, and what was repaired on the way."""

    cards: dict[Key, str]
    exam_date: date | None
    notices: list[str] = field(default_factory=list)


# -- SQL on a connection (inside the caller's transaction) ------------------------------------------


def exam_date_of(conn: sqlite3.Connection) -> date | None:
    """The stored exam date; None without one (or with one that cannot be read: as if unset)."""
    row = conn.execute("SELECT value FROM setting WHERE name = ?", (EXAM_DATE,)).fetchone()
    try:
        return date.fromisoformat(row[0]) if row is not None else None
    except (TypeError, ValueError):
        return None


def card_rows(conn: sqlite3.Connection, key: Key | None = None) -> dict[Key, str]:
    sql, args = "SELECT question, part, card FROM review_card", ()
    if key is not None:
        sql, args = f"{sql} WHERE question = ? AND part = ?", key
    return {(q, p): card for q, p, card in conn.execute(sql, args)}


def history(conn: sqlite3.Connection, key: Key | None = None, derivations: Collection[Key] = ()) -> dict[Key, list[Logged]]:
    """Per part, the checks its card is built from: its review logs; for a part without any (reviewed
    before schema 4), its checks with a score (every attempt) and its practice results. Such older
    rows do not say whether the model answer had been seen (taken as not) nor whether a score was
    the student's own mark (a derivation's always is: `derivations`)."""
    where, args = ("WHERE question = ? AND part = ?", key) if key is not None else ("", ())
    found: dict[Key, list[Logged]] = {}
    logs = conn.execute(
        f"SELECT question, part, reviewed_at, score, points, self_marked, answer_seen, source, seed FROM review_log"
        f" {where} ORDER BY reviewed_at, id", args)
    for q, p, at, score, points, marked, seen, source, seed in logs:
        found.setdefault((q, p), []).append(Logged(at, score, points, bool(marked), bool(seen), source, seed))
    older: dict[Key, list[Logged]] = {}
    where_c = where.replace("question", "c.question").replace("part", "c.part")
    checks = conn.execute(
        "SELECT c.question, c.part, c.checked_at, c.score, c.points, a.mode FROM checks c JOIN attempt a"
        f" ON a.id = c.attempt_id {where_c + ' AND' if where else 'WHERE'} c.score IS NOT NULL"
        " ORDER BY c.checked_at, c.id", args)
    for q, p, at, score, points, mode in checks:
        older.setdefault((q, p), []).append(Logged(at, score, points, (q, p) in derivations, False, mode))
    practice = conn.execute(f"SELECT question, part, done_at, score, points, seed FROM practice {where}"
                            " ORDER BY done_at, id", args)
    for q, p, at, score, points, seed in practice:
        older.setdefault((q, p), []).append(Logged(at, score, points, (q, p) in derivations, False, "practice", seed))
    for k, checks_of in older.items():
        if k not in found:
            found[k] = sorted(checks_of, key=lambda c: c.at)
    return found


def _rating(log_json: str) -> int:
    return int(json.loads(log_json)["rating"])


def _insert_log(conn: sqlite3.Connection, key: Key, check: Check, log_json: str) -> None:
    source = getattr(check, "source", "study")
    seed = getattr(check, "seed", None)
    at = check.at if isinstance(check.at, (int, float)) else check.at.timestamp()
    conn.execute(
        "INSERT INTO review_log (question, part, reviewed_at, rating, score, points, self_marked, answer_seen,"
        " source, seed, log) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (*key, at, _rating(log_json), check.score, check.points, int(check.self_marked), int(check.answer_seen),
         source, seed, log_json))


def _put_card(conn: sqlite3.Connection, key: Key, card_json: str) -> None:
    conn.execute(
        "INSERT INTO review_card (question, part, card, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (question, part) DO UPDATE SET card = excluded.card, updated_at = excluded.updated_at",
        (*key, card_json, time.time()))


def write_back(conn: sqlite3.Connection, rebuilt: dict[Key, Rebuilt]) -> None:
    """A repair of `load_cards`: each part's card and its logs replaced by the rebuilt ones."""
    for key, done in rebuilt.items():
        conn.execute("DELETE FROM review_card WHERE question = ? AND part = ?", key)
        conn.execute("DELETE FROM review_log WHERE question = ? AND part = ?", key)
        for check, log_json in zip(done.checks, done.logs):
            _insert_log(conn, key, check, log_json)
        if done.card is not None:
            _put_card(conn, key, done.card)


def loaded(conn: sqlite3.Connection, now: float, key: Key | None = None, derivations: Collection[Key] = ()) -> Loaded:
    return load_cards(card_rows(conn, key), history(conn, key, derivations), now, exam_date_of(conn))


def record(conn: sqlite3.Connection, key: Key, score: float, points: float, how: ReviewOf,
           derivations: Collection[Key] = ()) -> list[str]:
    """The check as a review of the part's card (repaired first if need be), in the caller's
    transaction; the notices of a repair. No score: no review."""
    at = how.at if how.at is not None else time.time()
    fixed = loaded(conn, at, key, derivations)
    write_back(conn, fixed.rebuilt)
    check = Logged(at, score, points, how.self_marked, how.answer_seen, how.source, how.seed)
    done = review_check(fixed.cards.get(key), check, exam_date_of(conn), key=key)
    if done is not None:
        card_json, log_json = done
        _put_card(conn, key, card_json)
        _insert_log(conn, key, check, log_json)
    return fixed.notices


# -- the store's methods -----------------------------------------------------------------------------


class ReviewStore:
    """The review methods of `ProgressStore` (which gives `_read`, `_write`, `saving`, `notices`)."""

    derivations: frozenset[Key] = frozenset()  # parts whose score is always the student's own mark
    _read: Any
    _write: Any
    saving: bool
    notices: list[str]

    def review_notices(self) -> list[str]:
        """Repairs made while recording reviews since last asked (said once, then forgotten)."""
        found, self._review_notices = getattr(self, "_review_notices", []), []
        return found

    def _note(self, notices: Iterable[str]) -> None:
        self._review_notices = [*getattr(self, "_review_notices", []), *notices]

    def _review_in(self, conn: sqlite3.Connection, key: Key, score: float | None, points: float,
                   how: ReviewOf | None) -> None:
        if how is not None and score is not None:
            self._note(record(conn, key, score, points, how, self.derivations))

    def exam_date(self) -> date | None:
        return self._read(exam_date_of)

    def has_review_cards(self) -> bool:
        """Any card at all (cheap: no card is read): "Review what is due" instead of "Practise what I missed"."""
        sql = "SELECT EXISTS (SELECT 1 FROM review_card) OR EXISTS (SELECT 1 FROM review_log)"
        return bool(self._read(lambda c: c.execute(sql).fetchone()[0]))

    def set_exam_date(self, day: date | None) -> None:
        """Store the exam date (None: forget it) and replan every card from its logs for it, in one
        transaction (the cap on due dates depends on it; stability and difficulty do not)."""

        def work(conn: sqlite3.Connection) -> None:
            if day is None:
                conn.execute("DELETE FROM setting WHERE name = ?", (EXAM_DATE,))
            else:
                conn.execute("INSERT INTO setting (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE"
                             " SET value = excluded.value", (EXAM_DATE, day.isoformat()))
            logs: dict[Key, list[str]] = {}
            for q, p, text in conn.execute("SELECT question, part, log FROM review_log ORDER BY reviewed_at, id"):
                logs.setdefault((q, p), []).append(text)
            for key, texts in logs.items():
                done = replan(key, texts, day)
                if done.card is not None:
                    _put_card(conn, key, done.card)

        self._write(work)

    def review_state(self, now: float | None = None) -> ReviewState:
        """The cards made safe to schedule (`tutor.review.load_cards`), repairs written back; a
        repair that cannot be written is still used, and said."""
        at = time.time() if now is None else now
        derivations = self.derivations

        def read(conn: sqlite3.Connection) -> tuple[Loaded, date | None]:
            return loaded(conn, at, None, derivations), exam_date_of(conn)

        found, day = self._read(read)
        notices = list(found.notices)
        if found.rebuilt and self.saving:
            def repair(conn: sqlite3.Connection) -> Loaded:
                again = loaded(conn, at, None, derivations)
                write_back(conn, again.rebuilt)
                return again

            try:
                found = self._write(repair)[0]
            except NotSaved as exc:
                notices.append(f"The repaired review cards are not saved ({exc.reason}); they are rebuilt again next time.")
        return ReviewState(found.cards, day, notices)

    def save_review(self, question: int, part: str, score: float, points: float, how: ReviewOf) -> None:
        """A review with no check row of its own (the review queue's check of an exam part)."""
        key = (question, part)

        if how.at is None:
            how = ReviewOf(how.source, how.self_marked, how.answer_seen, how.seed, time.time())  # kept: its own time

        def work(conn: sqlite3.Connection) -> None:
            self._review_in(conn, key, score, points, how)

        self._write(work, Kept(Unsaved(None, question, part, "review", how.seed, score, points), work))

    def review_logs(self, key: Key | None = None) -> list[dict[str, Any]]:
        """The review log rows, oldest first (for `progress --json`'s readers and the tests)."""
        names = ("question", "part", "reviewed_at", "rating", "score", "points", "self_marked", "answer_seen",
                 "source", "seed")
        where, args = ("WHERE question = ? AND part = ?", key) if key is not None else ("", ())
        sql = f"SELECT {', '.join(names)} FROM review_log {where} ORDER BY reviewed_at, id"
        return self._read(lambda c: [dict(zip(names, row)) for row in c.execute(sql, args)])
