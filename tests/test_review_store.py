"""Spaced review in the progress store (issue 16): the schema-4 migration of a file made by today's
schema with nothing lost, a review written in the transaction of its check, reset and retake, the
exam date, and the repairs of a corrupt card or a clock moved backwards (rebuilt, with a notice)."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from fsrs import Card, Rating

from tutor import progress
from tutor.exam_day import day_start
from tutor.progress import ProgressStore
from tutor.progress.reviews import ReviewOf
from tutor.readiness import due_queue

V3_ROWS = """
    INSERT INTO attempt (id, number, mode, started_at, deadline, submitted_at, current_question) VALUES
        (1, 1, 'study', 1000.0, NULL, NULL, 9),
        (2, 2, 'exam', 2000.0, 12800.0, 2500.0, 8);
    INSERT INTO answer (attempt_id, question, part, response, score, points, status, checked_at, draft, draft_status,
                        drafted_at, revealed, steps_shown, updated_at, version, checked_version, work_shown,
                        draft_work_shown) VALUES
        (1, 9, 'a', '"18432"', 3.0, 3.0, 'correct', 1100.0, NULL, NULL, NULL, 0, 0, 1100.0, 2, 2, 0, 0),
        (1, 4, 'b', '"4"', 0.0, 4.0, 'wrong', 1200.0, '"5"', 'typed', 1250.0, 1, 0, 1250.0, 3, 2, 1, 0),
        (2, 8, 'a', '"6 8; 9 7"', 6.0, 6.0, 'correct', 2500.0, NULL, NULL, NULL, 0, 0, 2500.0, 2, 2, 1, 0);
    INSERT INTO checks (attempt_id, question, part, response, score, points, status, checked_at, work_shown) VALUES
        (1, 9, 'a', '"1"', 0.0, 3.0, 'wrong', 1050.0, 0),
        (1, 9, 'a', '"18432"', 3.0, 3.0, 'correct', 1100.0, 0),
        (1, 4, 'b', '"4"', 0.0, 4.0, 'wrong', 1200.0, 1),
        (1, 3, 'b', '"maybe"', NULL, 3.0, 'unsure', 1210.0, 0),
        (2, 8, 'a', '"6 8; 9 7"', 6.0, 6.0, 'correct', 2500.0, 1);
    INSERT INTO practice (question, part, seed, score, points, done_at) VALUES (2, 'a', 7, 5.0, 10.0, 1500.0)
"""
TABLES = ("attempt", "answer", "checks", "practice")


def _raw(path: Path, sql: str, args: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def _v3_file(folder: Path) -> Path:
    """A progress file as today's schema (3) writes it: its frozen migrations and its rows."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "progress.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = wal")
    for step in progress.migrations.MIGRATIONS[:3]:
        step(conn)
    conn.executescript(V3_ROWS)
    conn.execute("PRAGMA user_version = 3")
    conn.close()
    os.chmod(path, 0o600)
    return path


@pytest.fixture
def store(tmp_path):
    with ProgressStore.open(tmp_path / "data") as s:
        yield s


def _card(store: ProgressStore, key) -> Card:
    return Card.from_dict(json.loads(store.review_state().cards[key]))


def test_a_schema_3_file_migrates_with_nothing_lost_and_its_checks_become_cards(tmp_path):
    path = _v3_file(tmp_path)
    before = {t: _raw(path, f"SELECT * FROM {t} ORDER BY rowid") for t in TABLES}
    with ProgressStore.open(tmp_path) as s:
        assert s.saving and s.notices == []
        assert _raw(path, "PRAGMA user_version") == [(4,)] == [(progress.schema_version(),)]
        for table, rows in before.items():
            assert _raw(path, f"SELECT * FROM {table} ORDER BY rowid") == rows
        assert s.best_scores() == {4: 0.0, 8: 6.0, 9: 3.0} and s.answers(1)[(4, "b")].edited
        assert _raw(path, "SELECT count(*) FROM review_card") == [(0,)]  # the migration is SQL only
        state = s.review_state(now=3000.0)
        assert state.notices == [] and state.exam_date is None
        # every part with a scored check or practice result has a card; 3(b) was only "unsure": none
        assert sorted(state.cards) == [(2, "a"), (4, "b"), (8, "a"), (9, "a")]
        logs = s.review_logs((9, "a"))
        assert [(l["reviewed_at"], l["rating"], l["source"]) for l in logs] == [
            (1050.0, Rating.Again, "study"), (1100.0, Rating.Good, "study")]
        assert s.review_logs((8, "a"))[0]["source"] == "exam" and s.review_logs((2, "a"))[0]["seed"] == 7
        assert s.review_logs((8, "a"))[0]["rating"] == Rating.Easy  # right at its first check, graded
    backup = tmp_path / "progress.sqlite3.v3.bak"
    assert _raw(backup, "PRAGMA quick_check") == [("ok",)] and _raw(backup, "PRAGMA user_version") == [(3,)]
    for table, rows in before.items():
        assert _raw(backup, f"SELECT * FROM {table} ORDER BY rowid") == rows
    with ProgressStore.open(tmp_path) as again:  # written back: the second load rebuilds nothing
        assert len(again.review_logs()) == 5 and again.review_state(now=3000.0).notices == []


def test_a_check_with_a_review_writes_card_and_log_with_it(store):
    a = store.current_attempt()
    store.save_answer(a.id, 9, "a", "1", score=0.0, points=3.0, status="wrong", review=ReviewOf("study"))
    store.save_answer(a.id, 9, "b", "2", score=1.5, points=3.0, status="partial", review=ReviewOf("study"))
    store.save_answer(a.id, 4, "a", "7", score=4.0, points=4.0, status="correct", review=ReviewOf("study"))
    store.save_answer(a.id, 4, "b", "7", score=4.0, points=4.0, status="correct",
                      review=ReviewOf("study", answer_seen=True))
    store.save_answer(a.id, 2, "a", "full", score=10.0, points=10.0, status="correct",
                      review=ReviewOf("study", self_marked=True))
    ratings = {(l["question"], l["part"]): l["rating"] for l in store.review_logs()}
    assert ratings == {(9, "a"): Rating.Again, (9, "b"): Rating.Hard, (4, "a"): Rating.Easy,
                       (4, "b"): Rating.Again, (2, "a"): Rating.Good}
    checked_at = store.answers(a.id)[(9, "a")].checked_at
    assert abs(store.review_logs((9, "a"))[0]["reviewed_at"] - checked_at) < 5
    # no score (unsure), or no review asked for (a carried-over answer): no review
    store.save_answer(a.id, 3, "b", "maybe", score=None, points=3.0, status="unsure", review=ReviewOf("study"))
    store.save_answer(a.id, 3, "a", "x", score=2.0, points=2.0, status="correct")
    assert {(l["question"], l["part"]) for l in store.review_logs()} == set(ratings)


def test_a_check_is_never_saved_without_its_review(store, monkeypatch):
    a = store.current_attempt()

    def broken(*args, **kwargs):
        raise RuntimeError("the review failed")

    monkeypatch.setattr(progress.reviews, "review_check", broken)
    with pytest.raises(RuntimeError):
        store.save_answer(a.id, 9, "a", "1", score=0.0, points=3.0, status="wrong", review=ReviewOf("study"))
    assert store.answers(a.id) == {} and store.best_scores() == {}  # rolled back together


def test_practice_reviews_the_exams_part_with_its_seed(store):
    store.save_practice(6, "e", 1234, 4.0, 4.0, review=ReviewOf("practice", seed=1234))
    log, = store.review_logs()
    assert (log["question"], log["part"], log["source"], log["seed"], log["rating"]) == (6, "e", "practice", 1234, 4)
    assert store.practice_results()[0]["seed"] == 1234


def test_reset_clears_cards_and_logs_and_keeps_the_exam_date_retake_keeps_them(store):
    day = date.today() + timedelta(days=12)
    store.set_exam_date(day)
    a = store.current_attempt()
    store.save_answer(a.id, 9, "a", "1", score=0.0, points=3.0, status="wrong", review=ReviewOf("study"))
    store.new_attempt("study")
    assert len(store.review_logs()) == 1 and (9, "a") in store.review_state().cards  # a retake keeps memory
    store.reset()
    assert store.review_logs() == [] and store.review_state().cards == {}
    assert store.exam_date() == day


def test_the_exam_date_caps_due_dates_and_replans_cards_already_made(store):
    a = store.current_attempt()
    store.save_answer(a.id, 8, "a", "6 8; 9 7", score=6.0, points=6.0, status="correct", review=ReviewOf("study"))
    uncapped = _card(store, (8, "a")).due
    day = date.today() + timedelta(days=4)
    assert uncapped > day_start(day)  # an Easy first check waits longer than 4 days
    store.set_exam_date(day)
    capped = _card(store, (8, "a")).due
    assert capped == day_start(day - timedelta(days=2))  # by the final window's start
    assert _card(store, (8, "a")).stability == Card.from_dict(json.loads(store.review_state().cards[(8, "a")])).stability
    store.set_exam_date(None)
    assert _card(store, (8, "a")).due == uncapped and store.exam_date() is None


def test_a_corrupt_card_is_rebuilt_from_its_logs_with_a_notice(store):
    a = store.current_attempt()
    store.save_answer(a.id, 9, "a", "1", score=0.0, points=3.0, status="wrong", review=ReviewOf("study"))
    good = store.review_state().cards[(9, "a")]
    store._conn.execute("UPDATE review_card SET card = '{not json'")
    state = store.review_state()
    assert state.cards[(9, "a")] == good
    assert len(state.notices) == 1 and "9(a)" in state.notices[0] and "rebuilt from 1 checked answer" in state.notices[0]
    assert store.review_state().notices == []  # written back
    # a review on a corrupt card repairs it in its own transaction, and says so
    store._conn.execute("UPDATE review_card SET card = '[]'")
    store.save_answer(a.id, 9, "a", "18432", score=3.0, points=3.0, status="correct", review=ReviewOf("study"))
    assert [l["rating"] for l in store.review_logs((9, "a"))] == [Rating.Again, Rating.Good]
    notices = store.review_notices()
    assert len(notices) == 1 and "could not be read" in notices[0] and store.review_notices() == []


def test_a_clock_moved_backwards_never_crashes_the_queue(store):
    a = store.current_attempt()
    later = time.time() + 3 * 86400  # reviews made while the clock ran three days ahead
    store.save_answer(a.id, 9, "a", "1", score=0.0, points=3.0, status="wrong", review=ReviewOf("study", at=later))
    state = store.review_state()
    assert "clock has moved backwards" in state.notices[0]
    card = Card.from_dict(json.loads(state.cards[(9, "a")]))
    assert card.last_review.timestamp() <= time.time() + 1  # counted as made now
    assert [d.key for d in due_queue(state.cards, time.time() + 86400 + 3600)] == [(9, "a")]
    # and a check now, on a card whose last review is later than now, is made at that time: no error
    store._conn.execute("UPDATE review_log SET reviewed_at = ?", (later,))
    store.save_answer(a.id, 9, "a", "18432", score=3.0, points=3.0, status="correct", review=ReviewOf("study"))
    assert len(store.review_logs((9, "a"))) == 2


def test_a_bad_exam_date_setting_reads_as_none(store):
    store._conn.execute("INSERT INTO setting (name, value) VALUES ('exam_date', 'soon')")
    assert store.exam_date() is None and store.review_state().exam_date is None
