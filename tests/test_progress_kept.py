"""A checked score is never lost (issue 12), at the store: drafts apart from checks, Best that never
goes down, compare-and-set on drafts between two sessions, writes that fail said as NotSaved and
tried again (a lock held by another process, a full disk, a read-only file), the migration of a
version-1 file with nothing lost, and the durability the store promises."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor import progress
from tutor.progress import DRAFT_STATUSES, NotSaved, ProgressStore

ROOT = Path(progress.__file__).resolve().parents[1]


@pytest.fixture
def store(tmp_path):
    with ProgressStore.open(tmp_path / "data") as s:
        yield s


def _raw(path: Path, sql: str, args: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


# -- drafts apart from checks ------------------------------------------------------------------------


def test_one_more_digit_after_a_check_keeps_the_score_and_best(store):
    a = store.current_attempt()
    store.save_answer(a.id, 9, "a", "18432", score=3.0, points=3.0, status="correct")
    saved = store.save_answer(a.id, 9, "a", "184321")  # a stray keystroke, then leaving the question
    assert saved.written
    record = store.answers(a.id)[(9, "a")]
    assert (record.value, record.checked_value, record.score, record.status) == ("184321", "18432", 3.0, "correct")
    assert record.edited
    assert store.question_scores(a.id) == {9: 3.0} and store.best_scores() == {9: 3.0}


def test_a_recheck_replaces_the_score_and_best_keeps_the_best_check(store):
    a = store.current_attempt()
    store.save_answer(a.id, 9, "a", "18432", score=3.0, points=3.0, status="correct")
    store.save_answer(a.id, 9, "a", "18433", score=0.0, points=3.0, status="wrong")
    record = store.answers(a.id)[(9, "a")]
    assert (record.value, record.score, record.status, record.edited) == ("18433", 0.0, "wrong", False)
    assert store.question_scores(a.id) == {9: 0.0}  # the last check is the attempt's score
    assert store.best_scores() == {9: 3.0}  # the best check ever
    b = store.new_attempt()
    store.save_answer(b.id, 9, "a", "1", score=1.0, points=3.0, status="partial")
    assert store.best_scores() == {9: 3.0}


def test_typing_back_what_was_checked_is_not_an_edit(store):
    a = store.current_attempt()
    store.save_answer(a.id, 4, "b", "2", score=4.0, points=4.0, status="correct")
    store.save_answer(a.id, 4, "b", "21")
    store.save_answer(a.id, 4, "b", "2")
    record = store.answers(a.id)[(4, "b")]
    assert (record.value, record.edited, record.draft) == ("2", False, None)


def test_a_check_that_awaits_a_self_mark_is_a_check_not_a_draft(store):
    a = store.current_attempt()
    store.save_answer(a.id, 3, "b", "dropout", score=2.0, points=3.0, status="partial")
    store.save_answer(a.id, 3, "b", "maybe dropout", score=None, points=3.0, status="unsure")
    record = store.answers(a.id)[(3, "b")]
    assert record.checked and not record.edited and (record.score, record.status) == (None, "unsure")
    store.save_answer(a.id, 3, "b", "maybe dropout?")  # typing after it
    record = store.answers(a.id)[(3, "b")]
    assert (record.status, record.checked_value, record.edited) == ("unsure", "maybe dropout", True)
    assert store.question_scores(a.id) == {} and store.best_scores() == {3: 2.0}


def test_an_exams_work_shown_draft_is_a_draft_and_grading_makes_it_a_check(store):
    a = store.new_attempt("exam", minutes=180)
    store.save_answer(a.id, 8, "a", "1 2; 3 4", work_shown=True)
    record = store.answers(a.id)[(8, "a")]
    assert (record.status, record.work_shown, record.score, record.checked) == ("typed", True, None, False)
    with pytest.raises(ValueError):
        store.save_answer(a.id, 8, "a", "x", score=1.0, status="typed", work_shown=True)
    store.save_answer(a.id, 8, "a", "1 2; 3 4", score=6.0, points=6.0, status="correct", work_shown=True)
    record = store.answers(a.id)[(8, "a")]
    assert (record.status, record.score, record.edited, record.draft, record.work_shown) == ("correct", 6.0, False, None, True)
    assert _raw(store.path, "SELECT status, work_shown FROM checks") == [("correct", 1)]


def test_the_work_box_of_a_draft_and_of_its_check_are_kept_apart(store):
    a = store.current_attempt()
    store.save_answer(a.id, 8, "a", "6 8; 9 1", score=4.5, points=6.0, status="partial", work_shown=True)
    assert store.answers(a.id)[(8, "a")].work_shown  # what the box holds: the check, ticked
    store.save_answer(a.id, 8, "a", "6 8; 9 7")  # typed since, unticked
    record = store.answers(a.id)[(8, "a")]
    assert (record.value, record.work_shown, record.edited, record.score) == ("6 8; 9 7", False, True, 4.5)
    assert _raw(store.path, "SELECT work_shown, draft_work_shown FROM answer") == [(1, 0)]  # the check keeps its own
    store.save_answer(a.id, 8, "a", "6 8; 9 1")  # typed back to what was checked: nothing edited
    record = store.answers(a.id)[(8, "a")]
    assert (record.value, record.work_shown, record.edited) == ("6 8; 9 1", True, False)
    store.save_answer(a.id, 8, "a", "6 8; 9 7", score=6.0, points=6.0, status="correct")  # a re-check, unticked
    assert store.answers(a.id)[(8, "a")].work_shown is False
    assert _raw(store.path, "SELECT score, work_shown FROM checks ORDER BY id") == [(4.5, 1), (6.0, 0)]


def test_the_old_work_shown_status_is_still_taken_for_one_release(store):
    assert progress.LEGACY_WORK_SHOWN == "typed, work shown" and progress.LEGACY_WORK_SHOWN in DRAFT_STATUSES
    a = store.new_attempt("exam", minutes=180)
    store.save_answer(a.id, 8, "a", "1 2; 3 4", status=progress.LEGACY_WORK_SHOWN)
    store.save_drafts(a.id, 9, {"a": ("18432", progress.LEGACY_WORK_SHOWN, None), "b": ("7", "typed", None)})
    answers = store.answers(a.id)
    assert [(answers[k].status, answers[k].work_shown) for k in ((8, "a"), (9, "a"), (9, "b"))] == [
        ("typed", True), ("typed", True), ("typed", False)
    ]
    assert _raw(store.path, "SELECT DISTINCT draft_status FROM answer") == [("typed",)]  # never stored again
    with pytest.raises(ValueError, match="not a draft's status"):
        store.save_drafts(a.id, 9, {"a": ("1", "correct", None, True)})


def test_a_failed_draft_keeps_its_work_box_for_the_retry(store, monkeypatch):
    a = store.new_attempt("exam", minutes=180)
    monkeypatch.setattr(progress.opening, "read_only", lambda path: True)
    with pytest.raises(NotSaved):
        store.save_drafts(a.id, 8, {"a": ("1 2; 3 4", "typed", None, True)})
    assert [(u.kind, u.status, u.work_shown) for u in store.unsaved(a.id)] == [("draft", "typed", True)]
    monkeypatch.undo()
    store.retry()
    assert store.answers(a.id)[(8, "a")].work_shown


def test_every_check_is_in_the_history(store):
    a = store.current_attempt()
    for text, score in (("1", 0.0), ("2", 4.0), ("3", 0.0)):
        store.save_answer(a.id, 4, "b", text, score=score, points=4.0, status="correct" if score else "wrong")
        store.save_answer(a.id, 4, "b", text + "0")  # drafts in between leave no history
    rows = _raw(store.path, "SELECT response, score FROM checks ORDER BY id")
    assert rows == [('"1"', 0.0), ('"2"', 4.0), ('"3"', 0.0)]


# Any sequence of checks, drafts and retakes: Best is never lower than before, and is the highest
# question total that any attempt ever held (replayed independently here).
_steps = st.lists(
    st.one_of(
        st.tuples(st.just("check"), st.sampled_from([(1, "a"), (1, "b"), (2, "a")]), st.sampled_from([0.0, 1.0, 2.5, None])),
        st.tuples(st.just("draft"), st.sampled_from([(1, "a"), (1, "b"), (2, "a")]), st.none()),
        st.tuples(st.just("retake"), st.none(), st.none()),
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None)
@given(steps=_steps)
def test_best_never_goes_down_and_is_the_best_total_ever_held(steps):
    store = ProgressStore.in_memory()
    attempt = store.current_attempt()
    held: dict[str, float | None] = {}
    expected: dict[int, float] = {}
    before: dict[int, float] = {}
    for kind, key, score in steps:
        if kind == "retake":
            attempt, held = store.new_attempt(), {}
        elif kind == "draft":
            store.save_answer(attempt.id, *key, "typed")
        else:
            status = "unsure" if score is None else "partial"
            store.save_answer(attempt.id, *key, "x", score=score, points=3.0, status=status)
            held[f"{key[0]}{key[1]}"] = score
            if score is not None:
                total = sum(v for k, v in held.items() if k.startswith(str(key[0])) and v is not None)
                expected[key[0]] = max(expected.get(key[0], total), total)
        best = store.best_scores()
        assert best == expected
        assert all(best[q] >= v for q, v in before.items())
        before = best
    store.close()


# -- compare-and-set on drafts: a second session's newer check wins --------------------------------


def test_a_stale_draft_from_another_session_does_not_overwrite_a_newer_check(tmp_path):
    with ProgressStore.open(tmp_path) as a_store, ProgressStore.open(tmp_path) as b_store:
        attempt = a_store.current_attempt()
        seen = a_store.answers(attempt.id).get((4, "b"))  # session A opens question 4: nothing yet
        assert seen is None
        b_store.save_answer(attempt.id, 4, "b", "2", score=4.0, points=4.0, status="correct")
        saved = a_store.save_answer(attempt.id, 4, "b", "1", seen=None)  # A leaves with "1" typed
        assert not saved.written
        assert (saved.record.value, saved.record.score) == ("2", 4.0)  # what A should now show
        record = b_store.answers(attempt.id)[(4, "b")]
        assert (record.value, record.score, record.status, record.edited) == ("2", 4.0, "correct", False)
        # Once A has seen B's check (its version), what A types is a draft beside it.
        again = a_store.save_answer(attempt.id, 4, "b", "1", seen=saved.version)
        assert again.written
        record = b_store.answers(attempt.id)[(4, "b")]
        assert (record.value, record.score, record.edited) == ("1", 4.0, True)


def test_a_draft_over_another_sessions_draft_or_mark_is_written(tmp_path):
    with ProgressStore.open(tmp_path) as a_store, ProgressStore.open(tmp_path) as b_store:
        attempt = a_store.current_attempt()
        a_store.save_answer(attempt.id, 4, "a", "6", score=6.0, points=6.0, status="correct")
        seen = a_store.answers(attempt.id)[(4, "a")].version
        b_store.save_answer(attempt.id, 4, "a", "7", seen=seen)  # B types, no check
        b_store.mark(attempt.id, 4, "a", revealed=True)
        saved = a_store.save_answer(attempt.id, 4, "a", "8", seen=seen)
        assert saved.written  # drafts: the last one typed is kept; the check is untouched
        record = a_store.answers(attempt.id)[(4, "a")]
        assert (record.value, record.score, record.revealed) == ("8", 6.0, True)


def test_this_sessions_own_check_is_not_newer_than_its_draft(store):
    a = store.current_attempt()
    saved = store.save_answer(a.id, 2, "a", "5", score=2.0, points=2.0, status="correct")
    assert store.save_answer(a.id, 2, "a", "55", seen=None).written  # the store knows it wrote that check
    assert saved.version >= 1


# -- writes that fail are said, kept and tried again -------------------------------------------------

HOLD_LOCK = """
    import sqlite3, sys, time
    from pathlib import Path
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    print("locked", flush=True)
    release = Path(sys.argv[2])
    deadline = time.monotonic() + 60
    while not release.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    conn.execute("COMMIT")
    print("released", flush=True)
"""


def _hold_lock(path: Path, release: Path) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(HOLD_LOCK), str(path), str(release)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert child.stdout.readline().strip() == "locked", child.stderr.read()
    return child


def test_a_lock_held_by_another_process_is_said_and_the_check_is_tried_again(tmp_path, monkeypatch):
    monkeypatch.setattr(progress.opening, "BUSY_TIMEOUT_S", 0.3)
    with ProgressStore.open(tmp_path) as s:
        a = s.current_attempt()
        release = tmp_path / "release"
        holder = _hold_lock(s.path, release)
        try:
            started = time.monotonic()
            with pytest.raises(NotSaved) as caught:
                s.save_answer(a.id, 4, "b", "2", score=4.0, points=4.0, status="correct")
            assert caught.value.reason == "locked by another session"
            assert time.monotonic() - started < 5  # the busy timeout, not forever
            assert s.answers(a.id) == {}  # read while the other process holds the lock: not there
            assert _raw(s.path, "SELECT count(*) FROM answer") == [(0,)]
            with pytest.raises(NotSaved):  # the next write waits behind the first, in order
                s.save_answer(a.id, 4, "a", "6")
            assert [u.describe() for u in s.unsaved()] == ["4(b) check", "4(a) draft"]
            assert s.unsaved()[0].reason == "locked by another session"
        finally:
            release.touch()
            assert holder.communicate(timeout=30)[0].strip() == "released"
        saved = s.save_answer(a.id, 5, "a", "0.5", score=2.0, points=2.0, status="correct")
        assert [u.describe() for u in saved.retried] == ["4(b) check", "4(a) draft"]
        assert s.unsaved() == []
    assert _raw(tmp_path / "progress.sqlite3", "SELECT question, part, score FROM answer ORDER BY question, part") == [
        (4, "a", None), (4, "b", 4.0), (5, "a", 2.0)
    ]


def test_a_store_opened_while_another_process_holds_the_lock_still_saves(tmp_path, monkeypatch):
    monkeypatch.setattr(progress.opening, "BUSY_TIMEOUT_S", 0.3)
    with ProgressStore.open(tmp_path) as s:
        a = s.current_attempt()
    release = tmp_path / "release"
    holder = _hold_lock(tmp_path / "progress.sqlite3", release)
    try:
        s = ProgressStore.open(tmp_path)
        assert s.saving and s.notices == []  # a lock is not an unusable file: no memory fallback
        with pytest.raises(NotSaved):
            s.save_answer(a.id, 1, "a", "T", score=5.0, points=5.0, status="correct")
    finally:
        release.touch()
        holder.communicate(timeout=30)
    s.mark(a.id, 1, "a", revealed=True)
    assert s.question_scores(a.id) == {1: 5.0}
    s.close()


def test_a_full_disk_is_said_and_the_answer_is_saved_when_there_is_room(store):
    a = store.current_attempt()
    store.save_answer(a.id, 1, "a", "T", score=5.0, points=5.0, status="correct")
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow: a full disk
    big = "1 " * 20000
    with pytest.raises(NotSaved) as caught:
        store.save_answer(a.id, 8, "a", big, score=0.0, points=6.0, status="wrong")
    assert caught.value.reason == "disk full"
    assert (8, "a") not in store.answers(a.id)
    store._conn.execute("PRAGMA max_page_count = 1073741823")  # room again
    saved = store.save_answer(a.id, 8, "b", "x", score=0.0, points=6.0, status="wrong")
    assert [u.describe() for u in saved.retried] == ["8(a) check"]
    assert store.answers(a.id)[(8, "a")].value == big


def test_a_file_made_read_only_mid_session_is_said_and_left_read_only(store):
    a = store.current_attempt()
    store.save_answer(a.id, 1, "a", "T", score=5.0, points=5.0, status="correct")
    before = _raw(store.path, "SELECT * FROM answer")
    os.chmod(store.path, 0o400)
    with pytest.raises(NotSaved) as caught:
        store.save_answer(a.id, 2, "a", "12", score=2.0, points=2.0, status="correct")
    assert caught.value.reason == "read-only file"
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o400  # left as the owner set it
    assert _raw(store.path, "SELECT * FROM answer") == before
    os.chmod(store.path, 0o600)
    saved = store.save_answer(a.id, 2, "b", "3", score=0.0, points=2.0, status="wrong")
    assert [u.describe() for u in saved.retried] == ["2(a) check"]
    assert store.question_scores(a.id) == {1: 5.0, 2: 2.0}


def test_a_read_only_file_at_start_is_read_reported_and_not_chmodded_back(tmp_path):
    with ProgressStore.open(tmp_path) as s:
        a = s.current_attempt()
        s.save_answer(a.id, 1, "a", "T", score=5.0, points=5.0, status="correct")
    path = tmp_path / "progress.sqlite3"
    os.chmod(path, 0o400)
    with ProgressStore.open(tmp_path) as s:
        assert stat.S_IMODE(path.stat().st_mode) == 0o400
        assert s.saving and any("is read-only" in n and "chmod u+w" in n for n in s.notices)
        assert s.question_scores(a.id) == {1: 5.0}  # what it holds is shown
        with pytest.raises(NotSaved, match="read-only file"):
            s.save_answer(a.id, 2, "a", "12", score=2.0, points=2.0, status="correct")
        assert stat.S_IMODE(path.stat().st_mode) == 0o400
        os.chmod(path, 0o600)  # the owner makes it writable again: the next write saves both
        saved = s.save_answer(a.id, 3, "a", "x", score=0.0, points=5.0, status="wrong")
        assert [u.describe() for u in saved.retried] == ["2(a) check"]
    with ProgressStore.open(tmp_path) as s:
        assert s.question_scores(a.id) == {1: 5.0, 2: 2.0, 3: 0.0}


def test_later_drafts_of_a_part_replace_earlier_unsaved_ones_but_checks_stay_in_order(store, monkeypatch):
    a = store.current_attempt()
    monkeypatch.setattr(progress.opening, "read_only", lambda path: True)  # every write fails for now
    for call in (
        lambda: store.save_answer(a.id, 4, "b", "1"),
        lambda: store.save_answer(a.id, 4, "b", "2", score=4.0, points=4.0, status="correct"),
        lambda: store.save_answer(a.id, 4, "b", "21"),
        lambda: store.save_answer(a.id, 4, "b", "22"),
        lambda: store.mark(a.id, 4, "b", steps_shown=2),
    ):
        with pytest.raises(NotSaved):
            call()
    assert [(u.describe(), u.response) for u in store.unsaved(a.id)] == [
        ("4(b) check", "2"), ("4(b) draft", "22"), ("4(b) step position", None)
    ]
    monkeypatch.undo()
    store.set_current_question(a.id, 4)  # everything kept reaches the file, in order
    record = store.answers(a.id)[(4, "b")]
    assert (record.value, record.checked_value, record.score, record.steps_shown) == ("22", "2", 4.0, 2)


def test_a_kept_write_for_an_attempt_reset_elsewhere_is_dropped(tmp_path):
    with ProgressStore.open(tmp_path) as s, ProgressStore.open(tmp_path) as other:
        a = s.current_attempt()
        s._conn.execute("PRAGMA query_only = ON")
        with pytest.raises(NotSaved):
            s.save_answer(a.id, 1, "a", "T", score=5.0, points=5.0, status="correct")
        other.reset()
        fresh = s.current_attempt()
        saved = s.save_answer(fresh.id, 1, "a", "F", score=0.0, points=5.0, status="wrong")
        assert saved.retried == () and s.unsaved() == []


def test_a_memory_store_says_its_writes_are_not_durable():
    s = ProgressStore.in_memory()
    a = s.current_attempt()
    assert s.save_answer(a.id, 1, "a", "T", score=5.0, points=5.0, status="correct").durable is False
    s.close()


# -- durability --------------------------------------------------------------------------------------


def test_an_opened_store_syncs_every_commit_in_wal_mode(store):
    assert (store.journal_mode, store.synchronous) == ("wal", "full")
    store._stale = True  # opened afresh after a failure: the same promise
    store.set_current_question(store.current_attempt().id, 2)
    assert (store.journal_mode, store.synchronous) == ("wal", "full")


def test_the_synchronous_level_is_read_from_the_connection(store):
    store._conn.execute("PRAGMA synchronous = NORMAL")  # what a lowered setting would look like
    assert store.synchronous == "normal"


# -- the migration from version 1 -------------------------------------------------------------------

V1_ROWS = """
    INSERT INTO attempt (id, number, mode, started_at, deadline, submitted_at, current_question)
        VALUES (1, 1, 'study', 1000.0, NULL, NULL, 9), (2, 2, 'exam', 2000.0, 12800.0, NULL, 8);
    INSERT INTO answer (attempt_id, question, part, response, score, points, status, checked_at, revealed,
                        steps_shown, updated_at) VALUES
        (1, 9, 'a', '"18432"', 3.0, 3.0, 'correct', 1100.0, 0, 2, 1100.0),
        (1, 4, 'b', '{"h₁": "2", "h₂": "0"}', 2.0, 4.0, 'partial', 1200.0, 1, 0, 1200.0),
        (1, 3, 'b', '"dropout"', NULL, 3.0, 'typed', NULL, 0, 0, 1300.0),
        (1, 5, 'a', 'null', NULL, 0, 'typed', NULL, 1, 3, 1400.0),
        (2, 8, 'a', '"1 2; 3 4"', NULL, 0, 'typed, work shown', NULL, 0, 0, 2100.0);
    INSERT INTO practice (question, part, seed, score, points, done_at) VALUES (2, 'a', 7, 1.0, 2.0, 1500.0)
"""


def _v1_file(folder: Path) -> Path:
    """A progress file as version 1 wrote it: its schema (the frozen migration) and its rows."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "progress.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = wal")
    progress.migrations.v0_to_v1(conn)
    conn.executescript(V1_ROWS)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    os.chmod(path, 0o600)
    return path


def test_a_version_1_file_migrates_with_nothing_lost_and_a_verified_backup(tmp_path):
    path = _v1_file(tmp_path)
    before = {row[:3]: row for row in _raw(path, "SELECT * FROM answer")}
    with ProgressStore.open(tmp_path) as s:
        assert s.saving and s.notices == []
        first = s.answers(1)
        assert (first[(9, "a")].value, first[(9, "a")].score, first[(9, "a")].status) == ("18432", 3.0, "correct")
        assert (first[(9, "a")].checked_at, first[(9, "a")].steps_shown, first[(9, "a")].edited) == (1100.0, 2, False)
        assert first[(4, "b")].value == {"h₁": "2", "h₂": "0"} and first[(4, "b")].revealed
        draft = first[(3, "b")]
        assert (draft.value, draft.score, draft.status, draft.checked, draft.points) == ("dropout", None, "typed", False, 3.0)
        mark = first[(5, "a")]
        assert (mark.value, mark.revealed, mark.steps_shown, mark.draft) == (None, True, 3, None)
        exam = s.answers(2)[(8, "a")]
        assert (exam.value, exam.status, exam.score, exam.work_shown) == ("1 2; 3 4", "typed", None, True)
        assert s.question_scores(1) == {4: 2.0, 9: 3.0}
        assert s.best_scores() == {4: 2.0, 9: 3.0}  # version 1's best: the sum per attempt
        assert s.practice_results() == [
            {"question": 2, "part": "a", "seed": 7, "score": 1.0, "points": 2.0, "done_at": 1500.0}
        ]
        assert [a.current_question for a in s.attempts()] == [9, 8]
        # after the migration it works as a current store: a draft keeps the migrated check
        s.save_answer(1, 9, "a", "184321")
        assert (s.answers(1)[(9, "a")].score, s.best_scores()[9]) == (3.0, 3.0)
    assert _raw(path, "PRAGMA user_version") == [(progress.schema_version(),)]
    backup = tmp_path / "progress.sqlite3.v1.bak"
    assert _raw(backup, "PRAGMA quick_check") == [("ok",)]
    assert _raw(backup, "PRAGMA user_version") == [(1,)]
    assert {row[:3]: row for row in _raw(backup, "SELECT * FROM answer")} == before  # the copy is the original
    assert stat.S_IMODE(backup.stat().st_mode) & 0o077 == 0
    assert _raw(tmp_path / "progress.sqlite3.v2.bak", "PRAGMA user_version") == [(2,)]  # each step backs up first


def test_a_version_1_backup_restores_into_the_current_schema(tmp_path):
    path = _v1_file(tmp_path / "old")
    with ProgressStore.open(tmp_path / "new") as s:
        s.restore(path)
        assert s.answers(1)[(9, "a")].score == 3.0
        assert s.best_scores() == {4: 2.0, 9: 3.0}


# -- the migration from version 2: "work shown" a column of its own ---------------------------------

V2_ROWS = """
    INSERT INTO attempt (id, number, mode, started_at, deadline, submitted_at, current_question)
        VALUES (1, 1, 'study', 1000.0, NULL, NULL, 9), (2, 2, 'exam', 2000.0, 12800.0, NULL, 8);
    INSERT INTO answer (attempt_id, question, part, response, score, points, status, checked_at, draft, draft_status,
                        drafted_at, revealed, steps_shown, updated_at, version, checked_version) VALUES
        (1, 9, 'a', '"18432"', 3.0, 3.0, 'correct', 1100.0, '"184321"', 'typed', 1150.0, 0, 2, 1150.0, 4, 3),
        (1, 3, 'b', '"maybe dropout"', NULL, 3.0, 'unsure', 1200.0, NULL, NULL, NULL, 1, 0, 1200.0, 2, 2),
        (1, 5, 'a', NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, 1, 3, 1300.0, 1, NULL),
        (2, 8, 'a', NULL, NULL, 0, NULL, NULL, '"6 8; 9 7"', 'typed, work shown', 2100.0, 0, 0, 2100.0, 3, NULL),
        (2, 4, 'b', NULL, NULL, 0, NULL, NULL, '{"h₁": "2", "h₂": "0"}', 'typed', 2200.0, 0, 0, 2200.0, 1, NULL);
    INSERT INTO checks (attempt_id, question, part, response, score, points, status, checked_at) VALUES
        (1, 9, 'a', '"1"', 0.0, 3.0, 'wrong', 1050.0),
        (1, 9, 'a', '"18432"', 3.0, 3.0, 'correct', 1100.0),
        (1, 3, 'b', '"dropout"', 2.0, 3.0, 'partial', 1180.0),
        (1, 3, 'b', '"maybe dropout"', NULL, 3.0, 'unsure', 1200.0);
    INSERT INTO practice (question, part, seed, score, points, done_at) VALUES (2, 'a', 7, 1.0, 2.0, 1500.0)
"""


def _v2_file(folder: Path) -> Path:
    """A progress file as version 2 wrote it: its schema (the frozen migrations) and its rows."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "progress.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = wal")
    progress.migrations.v0_to_v1(conn)
    progress.migrations.v1_to_v2(conn)
    conn.executescript(V2_ROWS)
    conn.execute("PRAGMA user_version = 2")
    conn.close()
    os.chmod(path, 0o600)
    return path


def test_a_version_2_file_migrates_with_nothing_lost_and_a_verified_backup(tmp_path):
    path = _v2_file(tmp_path)
    before = {table: _raw(path, f"SELECT * FROM {table} ORDER BY rowid") for table in ("attempt", "answer", "checks", "practice")}
    with ProgressStore.open(tmp_path) as s:
        assert s.saving and s.notices == []
        study = s.answers(1)
        edited = study[(9, "a")]
        assert (edited.value, edited.checked_value, edited.score, edited.status, edited.edited) == (
            "184321", "18432", 3.0, "correct", True)
        assert (edited.checked_at, edited.steps_shown, edited.version, edited.work_shown) == (1100.0, 2, 4, False)
        unsure = study[(3, "b")]
        assert (unsure.value, unsure.score, unsure.status, unsure.checked, unsure.revealed) == (
            "maybe dropout", None, "unsure", True, True)
        mark = study[(5, "a")]
        assert (mark.value, mark.revealed, mark.steps_shown, mark.checked) == (None, True, 3, False)
        exam = s.answers(2)
        ticked, unticked = exam[(8, "a")], exam[(4, "b")]
        assert (ticked.value, ticked.status, ticked.work_shown, ticked.checked, ticked.version) == (
            "6 8; 9 7", "typed", True, False, 3)
        assert (unticked.value, unticked.status, unticked.work_shown) == ({"h₁": "2", "h₂": "0"}, "typed", False)
        assert s.question_scores(1) == {9: 3.0}
        assert s.best_scores() == {3: 2.0, 9: 3.0}  # the history came along: 3(b)'s earlier partial check
        assert s.practice_results()[0]["seed"] == 7
        assert [a.current_question for a in s.attempts()] == [9, 8]
        # the row versions came along: a draft from a session that saw version 3 loses to the check
        refused = s.save_drafts(1, 9, {"a": ("9", "typed", 2, False)})["a"]
        assert not refused.written and refused.record.checked_value == "18432"
    assert _raw(path, "PRAGMA user_version") == [(4,)] == [(progress.schema_version(),)]
    assert _raw(path, "SELECT count(*) FROM answer WHERE status = 'typed, work shown' OR draft_status = 'typed, work shown'") == [(0,)]
    assert _raw(path, "SELECT question, draft_status, draft_work_shown FROM answer WHERE attempt_id = 2 ORDER BY question") == [
        (4, "typed", 0), (8, "typed", 1)]
    assert _raw(path, "SELECT response, score, status, work_shown FROM checks ORDER BY id")[:2] == [
        ('"1"', 0.0, "wrong", 0), ('"18432"', 3.0, "correct", 0)]
    backup = tmp_path / "progress.sqlite3.v2.bak"
    assert _raw(backup, "PRAGMA quick_check") == [("ok",)] and _raw(backup, "PRAGMA user_version") == [(2,)]
    for table, rows in before.items():  # the copy is the original
        assert _raw(backup, f"SELECT * FROM {table} ORDER BY rowid") == rows
    assert stat.S_IMODE(backup.stat().st_mode) & 0o077 == 0


def test_a_migrated_exam_answer_is_graded_with_its_work_shown(tmp_path):
    from tutor.exam import load_exam
    from tutor.exam_session import grade_exam

    _v2_file(tmp_path)  # 8(a) kept as "typed, work shown": the key's pooling, right
    exam = load_exam(prove=False)
    part = exam.question(8).parts[0]
    assert part.work_required and part.answer == ((6.0, 8.0), (9.0, 7.0))
    with ProgressStore.open(tmp_path) as s:
        assert grade_exam(s, exam, 2) == []
        graded = s.answers(2)[(8, "a")]
        assert (graded.score, graded.status, graded.work_shown) == (part.points, "correct", True)


def test_the_package_reads_its_settings_where_they_live(monkeypatch):
    # the saver's flush waits 2 × progress.BUSY_TIMEOUT_S: it must see what the connections use
    monkeypatch.setattr(progress.opening, "BUSY_TIMEOUT_S", 0.25)
    assert progress.BUSY_TIMEOUT_S == 0.25
    monkeypatch.setattr(progress.migrations, "MIGRATIONS", [*progress.migrations.MIGRATIONS, lambda conn: None])
    assert len(progress.MIGRATIONS) == progress.schema_version() == 5
    with pytest.raises(AttributeError):
        progress.NO_SUCH_SETTING


def test_a_new_file_gets_the_current_schema_without_a_backup(tmp_path):
    with ProgressStore.open(tmp_path):
        pass
    assert not list(tmp_path.glob("*.bak"))
    tables = {row[0] for row in _raw(tmp_path / "progress.sqlite3", "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"attempt", "answer", "checks", "practice"} <= tables
    columns = [row[1] for row in _raw(tmp_path / "progress.sqlite3", "PRAGMA table_info(answer)")]
    assert {"draft", "draft_status", "version", "checked_version"} <= set(columns)


def test_the_stored_values_stay_plain_json(store):
    a = store.current_attempt()
    store.save_answer(a.id, 4, "b", {"h₁": "2"}, score=2.0, points=4.0, status="partial")
    store.save_answer(a.id, 4, "b", {"h₁": "3"})
    (response, draft), = _raw(store.path, "SELECT response, draft FROM answer")
    assert json.loads(response) == {"h₁": "2"} and json.loads(draft) == {"h₁": "3"}


def test_an_exam_answer_graded_unsure_is_not_graded_again(store):
    from tutor.exam_session import ungraded

    a = store.new_attempt("exam", minutes=180)
    store.save_answer(a.id, 3, "b", "maybe dropout")
    assert [r.part for r in ungraded(store, a.id)] == ["b"]
    store.save_answer(a.id, 3, "b", "maybe dropout", score=None, points=3.0, status="unsure")
    assert ungraded(store, a.id) == []  # graded, waiting for the student's mark: not ungraded


def test_a_quick_write_behind_a_held_lock_raises_busy_at_once_and_is_not_kept(tmp_path, monkeypatch):
    from tutor.progress import Busy

    monkeypatch.setattr(progress.opening, "BUSY_TIMEOUT_S", 0.5)
    with ProgressStore.open(tmp_path) as s:
        a = s.current_attempt()
        release = tmp_path / "release"
        holder = _hold_lock(s.path, release)
        try:
            started = time.monotonic()
            with pytest.raises(Busy), s.quick(0.05):
                s.save_answer(a.id, 4, "b", "2", score=4.0, points=4.0, status="correct")
            assert time.monotonic() - started < 0.45  # not the usual wait
            assert s.unsaved() == []  # the caller does it again; nothing is kept twice
            with pytest.raises(NotSaved) as caught:  # outside quick(): the usual wait, then kept
                s.save_answer(a.id, 4, "b", "2", score=4.0, points=4.0, status="correct")
            assert not isinstance(caught.value, Busy) and [u.describe() for u in s.unsaved()] == ["4(b) check"]
        finally:
            release.touch()
            holder.communicate(timeout=30)
        with s.quick(0.05):  # no lock now: done at once, the kept one first
            saved = s.save_answer(a.id, 4, "a", "3", score=4.0, points=4.0, status="correct")
        assert [u.describe() for u in saved.retried] == ["4(b) check"]
        assert s.question_scores(a.id) == {4: 8.0}
