"""The progress store's API: attempts, answers, scores, practice, reset, backup and restore."""

from __future__ import annotations

import json
import sqlite3
import sys
import threading

import pytest

from tutor import progress
from tutor.progress import Attempt, ProgressStore, UnknownAttempt


@pytest.fixture
def store(tmp_path):
    with ProgressStore.open(tmp_path / "data") as s:
        yield s


def test_open_creates_the_file_in_the_data_dir(tmp_path):
    with ProgressStore.open(tmp_path / "data") as s:
        assert s.saving and s.notices == []
        assert s.path == tmp_path / "data" / "progress.sqlite3"
        assert s.path.is_file()
        assert s.journal_mode == "wal"


def test_open_without_a_folder_uses_the_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("ITM528_TUTOR_DATA_DIR", str(tmp_path / "default"))
    with ProgressStore.open() as s:
        assert s.path == tmp_path / "default" / "progress.sqlite3"


def test_the_file_holds_plain_sql_and_json(store):
    a = store.current_attempt()
    store.save_answer(a.id, 4, "b", {"h₁": "2", "h₂": "0"}, score=3.0, points=4.0, status="partial")
    raw = sqlite3.connect(store.path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == progress.schema_version() == 4
    (text,) = raw.execute("SELECT response FROM answer").fetchone()
    raw.close()
    assert json.loads(text) == {"h₁": "2", "h₂": "0"}


def test_current_attempt_is_created_once_and_kept(store):
    first = store.current_attempt()
    assert first == Attempt(first.id, 1, "study", first.started_at, None, None, 1)
    assert store.current_attempt() == first
    assert store.attempts() == [first]


def test_retake_keeps_history_and_numbers_attempts(store):
    first = store.current_attempt()
    store.save_answer(first.id, 1, "a", "true", score=5.0, points=5.0, status="correct")
    second = store.new_attempt()
    assert (second.number, second.mode) == (2, "study")
    assert store.current_attempt() == second
    assert [a.number for a in store.attempts()] == [1, 2]
    assert store.answers(second.id) == {}
    assert store.answers(first.id)[(1, "a")].score == 5.0


def test_exam_attempt_has_a_deadline_and_is_submitted(store):
    exam = store.new_attempt("exam", minutes=180)
    assert exam.deadline == pytest.approx(exam.started_at + 3 * 3600)
    store.submit(exam.id)
    submitted = store.attempts()[-1]
    assert submitted.submitted_at is not None
    store.submit(exam.id)  # a second submit keeps the first time
    assert store.attempts()[-1].submitted_at == submitted.submitted_at
    assert store.current_attempt().number == 2  # the submitted exam is finished: a new study attempt


def test_an_exam_past_its_deadline_counts_as_submitted_at_the_deadline(store, monkeypatch):
    exam = store.new_attempt("exam", minutes=1)
    later = exam.deadline + 5
    monkeypatch.setattr(progress.store.time, "time", lambda: later)
    current = store.current_attempt()
    assert current.id != exam.id and current.mode == "study"
    assert store.attempts()[0].submitted_at == exam.deadline


@pytest.mark.parametrize(("mode", "minutes"), [("quiz", 180), ("exam", 0)])
def test_new_attempt_refuses_bad_arguments(store, mode, minutes):
    with pytest.raises(ValueError):
        store.new_attempt(mode, minutes)


def test_saving_the_same_answer_twice_keeps_one_row(store):
    a = store.current_attempt()
    store.save_answer(a.id, 2, "a", "12")
    store.save_answer(a.id, 2, "a", "13", score=0.0, points=2.0, status="wrong")
    store.save_answer(a.id, 2, "a", "14", score=2.0, points=2.0, status="correct")
    records = store.answers(a.id)
    assert list(records) == [(2, "a")]
    record = records[(2, "a")]
    assert (record.value, record.score, record.points, record.status) == ("14", 2.0, 2.0, "correct")
    assert record.checked_at is not None


def test_a_draft_after_a_check_keeps_the_check_and_its_points(store):
    a = store.current_attempt()
    store.save_answer(a.id, 3, "b", "regularization", score=0.0, points=3.0, status="wrong")
    store.save_answer(a.id, 3, "b", "dropout")
    record = store.answers(a.id)[(3, "b")]
    assert (record.value, record.checked_value, record.score, record.status, record.points) == (
        "dropout", "regularization", 0.0, "wrong", 3.0
    )
    assert record.checked and record.edited and record.checked_at is not None


def test_a_draft_cannot_have_a_score(store):
    a = store.current_attempt()
    with pytest.raises(ValueError):
        store.save_answer(a.id, 1, "a", "x", score=1.0)


def test_mark_records_reveal_and_steps_without_touching_the_answer(store):
    a = store.current_attempt()
    store.mark(a.id, 5, "b", steps_shown=2)  # before anything was typed
    store.save_answer(a.id, 5, "b", {"o1": "0.5"}, score=1.0, points=2.0, status="partial")
    store.mark(a.id, 5, "b", revealed=True)
    store.mark(a.id, 5, "b", steps_shown=4)
    record = store.answers(a.id)[(5, "b")]
    assert (record.revealed, record.steps_shown, record.score, record.value) == (True, 4, 1.0, {"o1": "0.5"})
    store.mark(a.id, 6, "a", revealed=True)
    assert store.answers(a.id)[(6, "a")].value is None


def test_writes_to_an_unknown_attempt_raise(store):
    for call in (
        lambda: store.save_answer(999, 1, "a", "x"),
        lambda: store.mark(999, 1, "a", revealed=True),
        lambda: store.submit(999),
        lambda: store.set_current_question(999, 3),
    ):
        with pytest.raises(UnknownAttempt):
            call()


def test_current_question_is_remembered(tmp_path):
    with ProgressStore.open(tmp_path) as s:
        s.set_current_question(s.current_attempt().id, 7)
    with ProgressStore.open(tmp_path) as s:
        assert s.current_attempt().current_question == 7


def test_question_scores_sum_checked_parts_and_best_is_over_attempts(store):
    first = store.current_attempt()
    store.save_answer(first.id, 4, "a", "6", score=6.0, points=6.0, status="correct")
    store.save_answer(first.id, 4, "b", "1", score=2.5, points=14.0, status="partial")
    store.save_answer(first.id, 4, "c", "draft")  # not checked: not counted
    store.save_answer(first.id, 1, "a", "x", score=1.0, points=5.0, status="partial")
    second = store.new_attempt()
    store.save_answer(second.id, 4, "a", "6", score=6.0, points=6.0, status="correct")
    store.save_answer(second.id, 1, "a", "y", score=5.0, points=5.0, status="correct")
    assert store.question_scores(first.id) == {1: 1.0, 4: 8.5}
    assert store.question_scores(second.id) == {1: 5.0, 4: 6.0}
    assert store.best_scores() == {1: 5.0, 4: 8.5}


def test_practice_results_newest_first_and_by_question(store, monkeypatch):
    now = [0.0]
    monkeypatch.setattr(progress.store.time, "time", lambda: now[0])
    for seed, (question, part, score, points) in enumerate([(2, "a", 1.0, 2.0), (5, "b", 0.0, 4.0), (2, "a", 2.0, 2.0)]):
        now[0] = 100.0 * (seed + 1)
        store.save_practice(question, part, seed=seed + 1, score=score, points=points)
    assert [r["seed"] for r in store.practice_results()] == [3, 2, 1]
    assert store.practice_results(2) == [
        {"question": 2, "part": "a", "seed": 3, "score": 2.0, "points": 2.0, "done_at": 300.0},
        {"question": 2, "part": "a", "seed": 1, "score": 1.0, "points": 2.0, "done_at": 100.0},
    ]


def test_reset_forgets_everything_and_attempt_ids_are_never_reused(store):
    a = store.current_attempt()
    store.save_answer(a.id, 1, "a", "x", score=1.0, points=5.0, status="partial")
    store.save_practice(1, "a", 7, 1.0, 5.0)
    store.reset()
    assert (store.attempts(), store.answers(a.id), store.practice_results(), store.best_scores()) == ([], {}, [], {})
    fresh = store.current_attempt()
    assert fresh.number == 1 and fresh.id != a.id  # a stale id held by another session stays unknown
    with pytest.raises(UnknownAttempt):
        store.save_answer(a.id, 1, "a", "x")


def test_answers_survive_closing_and_reopening(tmp_path):
    with ProgressStore.open(tmp_path) as s:
        a = s.current_attempt()
        s.save_answer(a.id, 9, "a", "64", score=4.0, points=4.0, status="correct")
    with ProgressStore.open(tmp_path) as s:
        assert s.current_attempt() == a
        assert s.answers(a.id)[(9, "a")].value == "64"


def test_backup_and_restore(store, tmp_path):
    a = store.current_attempt()
    store.save_answer(a.id, 1, "a", "x", score=1.0, points=5.0, status="partial")
    copy = store.backup(tmp_path / "copy.sqlite3")
    assert copy == tmp_path / "copy.sqlite3"
    check = sqlite3.connect(copy)
    assert check.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    check.close()
    assert store.backup(tmp_path).parent == tmp_path  # a folder gets a time-stamped file
    store.reset()
    store.restore(copy)
    assert store.answers(a.id)[(1, "a")].score == 1.0
    assert store.journal_mode == "wal"


def test_restore_refuses_what_is_not_a_backup(store, tmp_path):
    junk = tmp_path / "junk"
    junk.write_bytes(b"not a database at all" * 100)
    a = store.current_attempt()
    with pytest.raises(ValueError, match="not a usable progress backup"):
        store.restore(junk)
    with pytest.raises(FileNotFoundError):
        store.restore(tmp_path / "missing")
    assert store.attempts() == [a]


def test_in_memory_store_works_and_saves_nothing():
    s = ProgressStore.in_memory()
    a = s.current_attempt()
    s.save_answer(a.id, 1, "a", "x", score=1.0, points=5.0, status="partial")
    assert (s.saving, s.path) == (False, None)
    assert s.question_scores(a.id) == {1: 1.0}
    s.close()


def test_one_store_can_be_used_from_several_threads(store):
    a = store.current_attempt()

    def work(k):
        for i in range(50):
            store.save_answer(a.id, k, f"p{i}", i, score=1.0, points=1.0, status="correct")

    threads = [threading.Thread(target=work, args=(k,)) for k in (1, 2, 3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.question_scores(a.id) == {1: 50.0, 2: 50.0, 3: 50.0}


def test_the_module_imports_no_ui_or_third_party_code():
    import subprocess
    from pathlib import Path

    code = (
        "import sys, tutor.progress; heavy = {'textual', 'rich', 'platformdirs', 'numpy', 'sympy'};"
        " print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    root = Path(progress.__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root).stdout
    assert out.strip() == "[]"
