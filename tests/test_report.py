"""The `progress` table and JSON, and `reset` with --yes, declined, and without a terminal."""

from __future__ import annotations

import io
import json
import sys

import pytest

from tutor.progress import ProgressStore
from tutor.report import print_progress, run_reset

POINTS = dict(zip(range(1, 11), [5.0, 14.0, 5.0, 20.0, 10.0, 20.0, 6.0, 6.0, 8.0, 6.0]))


@pytest.fixture
def store(tmp_path):
    with ProgressStore.open(tmp_path / "data") as s:
        first = s.current_attempt()
        s.save_answer(first.id, 1, "a", "T", score=3.0, points=5.0, status="partial")
        s.save_answer(first.id, 2, "a", "12", score=14.0, points=14.0, status="correct")
        s.save_answer(first.id, 4, "b", {"h": "2"}, score=20.0, points=20.0, status="correct")
        s.save_answer(first.id, 5, "a", "draft")  # typed, not checked: not counted
        exam = s.new_attempt("exam")
        s.save_answer(exam.id, 1, "a", "T", score=5.0, points=5.0, status="correct")
        s.submit(exam.id)
        yield s


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_table_shows_every_attempt_with_totals_and_fits_80_columns(store):
    out = io.StringIO()
    assert print_progress(store, POINTS, 100.0, 0.35, out=out) == 0
    text = out.getvalue()
    assert "37" in text and "12.95" in text  # attempt 1: 3 + 14 + 20 out of 100, weighted to 35 %
    assert "1.75" in text  # the exam attempt: 5 points
    assert "study" in text and "exam" in text and "best" in text
    best = next(line for line in text.splitlines() if "best" in line)
    assert "39" in best and "13.65" in best  # best per question: 5 + 14 + 20
    assert max(len(line) for line in text.splitlines()) <= 80


def test_json_shape(store):
    out = io.StringIO()
    assert print_progress(store, POINTS, 100.0, 0.35, as_json=True, out=out) == 0
    data = json.loads(out.getvalue())
    first, exam = data["attempts"]
    assert first["number"] == 1 and first["mode"] == "study"
    assert first["submitted_at"] is None and "T" in first["started_at"]
    assert first["questions"]["1"] == 3.0 and first["questions"]["5"] is None
    assert list(first["questions"]) == [str(n) for n in range(1, 11)]
    assert (first["total"], first["weighted"]) == (37.0, 12.95)
    assert exam["mode"] == "exam" and exam["submitted_at"] is not None
    assert (exam["total"], exam["weighted"]) == (5.0, 1.75)
    assert data["best"]["1"] == 5.0 and data["best"]["2"] == 14.0 and data["best"]["3"] is None
    assert (data["best_total"], data["best_weighted"]) == (39.0, 13.65)


def test_no_attempts_yet(tmp_path):
    with ProgressStore.open(tmp_path) as s:
        out = io.StringIO()
        assert print_progress(s, POINTS, 100.0, 0.35, out=out) == 0
        assert "No attempts yet" in out.getvalue()
        out = io.StringIO()
        print_progress(s, POINTS, 100.0, 0.35, as_json=True, out=out)
        assert json.loads(out.getvalue())["attempts"] == []


def test_weight_is_a_share_not_a_percentage(store):
    with pytest.raises(ValueError):
        print_progress(store, POINTS, 100.0, 35.0, out=io.StringIO())


def test_reset_with_yes_forgets_everything_without_asking(store):
    out, err = io.StringIO(), io.StringIO()
    assert run_reset(store, yes=True, input=_never_asked, out=out, err=err) == 0
    assert store.attempts() == []
    assert f"Forgot all progress in {store.path}" in out.getvalue()


def test_reset_asks_and_a_yes_answer_resets(store, monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Terminal())
    prompts = []
    out = io.StringIO()
    assert run_reset(store, yes=False, input=lambda p: prompts.append(p) or "y", out=out, err=io.StringIO()) == 0
    assert prompts == [f"Forget all progress in {store.path}? [y/N] "]
    assert store.attempts() == []


@pytest.mark.parametrize("answer", ["", "n", "no", "maybe"])
def test_reset_declined_keeps_everything(store, monkeypatch, answer):
    monkeypatch.setattr(sys, "stdin", _Terminal())
    err = io.StringIO()
    assert run_reset(store, yes=False, input=lambda p: answer, out=io.StringIO(), err=err) == 1
    assert len(store.attempts()) == 2
    assert "nothing was reset" in err.getvalue()


def test_reset_end_of_input_at_the_prompt_is_a_no(store, monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Terminal())

    def eof(prompt):
        raise EOFError

    assert run_reset(store, yes=False, input=eof, out=io.StringIO(), err=io.StringIO()) == 1
    assert len(store.attempts()) == 2


def test_reset_without_a_terminal_needs_yes(store, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    err = io.StringIO()
    assert run_reset(store, yes=False, input=_never_asked, out=io.StringIO(), err=err) == 2
    assert "reset needs --yes when there is no terminal" in err.getvalue()
    assert len(store.attempts()) == 2


def test_reset_is_impossible_when_nothing_is_saved(tmp_path):
    (tmp_path / "afile").write_text("")
    s = ProgressStore.open(tmp_path / "afile" / "sub")  # cannot be created: in memory
    assert not s.saving
    err = io.StringIO()
    assert run_reset(s, yes=True, input=_never_asked, out=io.StringIO(), err=err) == 1
    assert "not being saved" in err.getvalue()


def test_reset_mentions_backups_it_kept(store):
    store.backup(store.path.with_name("progress.sqlite3.v1.bak"))
    out = io.StringIO()
    assert run_reset(store, yes=True, input=_never_asked, out=out, err=io.StringIO()) == 0
    assert "progress.sqlite3.v1.bak" in out.getvalue()


def _never_asked(prompt: str) -> str:
    raise AssertionError("asked although --yes was given or there is no terminal")


def test_weighted_score_is_the_share_of_the_course():
    from tutor.points import weighted_score

    assert weighted_score(80, 100, 0.35) == 28.0
    assert weighted_score(11, 100, 0.35) == 3.85
    assert weighted_score(5, 0, 0.35) == 0.0


def test_a_reset_that_cannot_be_written_says_so_and_forgets_nothing(store, monkeypatch):
    from tutor import progress

    a = store.current_attempt()
    store.save_answer(a.id, 1, "a", "T", score=5.0, points=5.0, status="correct")
    monkeypatch.setattr(progress.opening, "read_only", lambda path: True)  # e.g. chmod 400 by its owner
    err = io.StringIO()
    assert run_reset(store, yes=True, input=_never_asked, out=io.StringIO(), err=err) == 1
    assert err.getvalue() == "itm528-tutor: nothing was reset: not saved: read-only file\n"
    monkeypatch.undo()
    assert store.question_scores(a.id)[1] == 5.0 and store.attempts()
