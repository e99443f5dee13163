"""Snapshots of the main screens at 80×24, cursor blink and animations off.

Update them only after looking at the report: `pytest tests/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tutor.app import make_app
from tutor.exam import load_exam
from tutor.grading import grade
from tutor.progress import ProgressStore
from tutor.progress.reviews import ReviewOf

SIZE = (80, 24)
EXAM = load_exam(prove=False)


def pressing(*keys: str):
    """The keys, then the readiness line and the results' bars, read in a thread after the frame."""

    async def run(pilot) -> None:
        await pilot.pause()
        await pilot.press(*keys)
        for _ in range(3):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    return run


@pytest.fixture
def some_progress(data_dir):
    """Questions 1 and 3 answered (3(b) with the bare word the rubric refuses), question 4 begun;
    each check a review, the exam 12 days away."""
    store = ProgressStore.open(data_dir)
    store.set_exam_date(date.today() + timedelta(days=12))
    attempt = store.current_attempt().id
    answers = {(1, label): ("T" if EXAM.question(1).parts[i].answer else "F") for i, label in enumerate("abcde")}
    answers[(3, "a")] = "overfitting"
    answers[(3, "b")] = "regularization"
    answers[(4, "a")] = "3"
    for (number, label), response in answers.items():
        part = next(p for p in EXAM.question(number).parts if p.label == label)
        result = grade(part, response)
        store.save_answer(attempt, number, label, response, score=result.score, points=result.points, status=result.status,
                          review=ReviewOf("study"))
    store.save_answer(attempt, 4, "b", "2")  # typed, not checked
    store.set_current_question(attempt, 1)
    store.close()


def app(question: int | None = None):
    return make_app(question=question, animations=False)


def test_overview(snap_compare, some_progress):
    assert snap_compare(app(), terminal_size=SIZE, run_before=pressing("escape", "down", "down"))


def test_question_with_a_revealed_answer(snap_compare):
    keys = ["tab", *"18432", "enter", "escape", "r"]
    assert snap_compare(app(9), terminal_size=SIZE, press=keys)


def test_worked_computation_halfway(snap_compare):
    assert snap_compare(app(8), terminal_size=SIZE, press=["space"] * 3)


def test_results(snap_compare, some_progress):
    assert snap_compare(app(), terminal_size=SIZE, run_before=pressing("escape", "s"))


def test_help(snap_compare):
    assert snap_compare(app(), terminal_size=SIZE, press=["question_mark"])


def test_too_small(snap_compare):
    assert snap_compare(app(5), terminal_size=(60, 20))


# -- issue 15: what is chosen and ticked, in colour and with NO_COLOR (the glyphs alone) -------------

CHOSEN = ["tab", "down", "enter", "tab", "enter"]  # 1(a) False, 1(b) True, the cursor on 1(b)


@pytest.mark.parametrize("colour", [True, False], ids=["colour", "NO_COLOR"])
def test_true_false_chosen(snap_compare, monkeypatch, colour):
    monkeypatch.delenv("NO_COLOR", raising=False) if colour else monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(app(1), terminal_size=SIZE, press=CHOSEN)


@pytest.mark.parametrize("colour", [True, False], ids=["colour", "NO_COLOR"])
def test_work_box_ticked(snap_compare, monkeypatch, colour):
    monkeypatch.delenv("NO_COLOR", raising=False) if colour else monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(app(8), terminal_size=SIZE, press=["tab", *"6 8; 9 7", "tab", "space"])


@pytest.mark.parametrize("colour", [True, False], ids=["colour", "NO_COLOR"])
def test_choice_options_numbered(snap_compare, monkeypatch, colour):
    monkeypatch.delenv("NO_COLOR", raising=False) if colour else monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(app(10), terminal_size=SIZE, press=["tab", "down", "enter"])


def test_live_editor_reached_with_e(snap_compare):
    assert snap_compare(app(8), terminal_size=SIZE, press=["e", "down"])


def test_submit_dialog_lists_the_blanks(snap_compare, data_dir):
    store = ProgressStore.open(data_dir)
    attempt = store.new_attempt("exam", minutes=EXAM.minutes)
    for part in EXAM.question(1).parts:
        store.save_answer(attempt.id, 1, part.label, "T")
    store.set_current_question(attempt.id, 1)
    store.close()
    hour_left = attempt.deadline - 3600  # a clock stopped an hour before the end: "1:00:00 left"
    assert snap_compare(make_app(animations=False, now=lambda: hour_left), terminal_size=SIZE,
                        press=["escape", "x"])
