"""Spaced review in the app and on the command line (issue 16): every check in study, exam and
practice becomes a review; the review queue serves a due computational part on fresh numbers and
stores its rating against the exam's part; quit and resume; the exam date dialog; the readiness
line; the results' bars and sparkline; `review --list` and `progress --json`."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta

import pytest
from fsrs import Rating
from textual.widgets import Input, ProgressBar, Sparkline

from tutor.app import make_app
from tutor.cli import main
from tutor.exam import load_exam
from tutor.exam_session import grade_exam
from tutor.progress import ProgressStore
from tutor.progress.reviews import ReviewOf
from tutor.screens.exam_date import ExamDateDialog
from tutor.screens.overview import OverviewScreen
from tutor.screens.question import QuestionScreen
from tutor.screens.review import ReviewScreen
from tutor.widgets.part_view import PartView
from tutor.widgets.score_bars import ScoreBars

SIZE = (80, 24)
EXAM = load_exam(prove=False)
DAY = 86400.0


def typed(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def matrix_text(answer) -> str:
    return "; ".join(" ".join(typed(v) for v in row) for row in answer)


def readiness(app) -> str:
    return str(app.navigator.overview.query_one("#readiness").render())


async def settle(pilot, times: int = 4) -> None:
    for _ in range(times):
        await pilot.pause(0.05)


async def answer(pilot, text: str, *, tick: bool = False) -> None:
    """From reading the question: enter goes to the open answer; type; (tick the work box); enter checks."""
    if isinstance(pilot.app.focused, Input):
        await pilot.press("escape")
    await pilot.press("enter")
    assert isinstance(pilot.app.focused, Input)
    await pilot.press("ctrl+u", *text)
    if tick:
        await pilot.press("tab", "space", "shift+tab")
    await pilot.press("enter")
    await settle(pilot)


def seeded(data_dir, *reviews: tuple[int, str, float, float, float]) -> None:
    """Reviews made earlier: (question, part, score, points, days ago)."""
    with ProgressStore.open(data_dir) as store:
        for q, part, score, points, ago in reviews:
            store.save_review(q, part, score, points, ReviewOf("study", at=time.time() - ago * DAY))


async def test_study_checks_are_reviews_rated_from_their_scores(data_dir):
    right, wrong = (typed(p.answer) for p in EXAM.question(9).parts[:2])
    app = make_app(question=9, animations=False, exam_date=date.today() + timedelta(days=12))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await answer(pilot, right)  # 9(a) right at its first check
        await pilot.press("escape", "tab")
        await answer(pilot, "1")  # 9(b) wrong
        app.saver.flush()
        logs = {(l["question"], l["part"]): l for l in app.store.review_logs()}
        assert logs[(9, "a")]["rating"] == Rating.Easy and logs[(9, "a")]["source"] == "study"
        assert logs[(9, "b")]["rating"] == Rating.Again
        # the model answer revealed, then checked right: reading, not recall
        await pilot.press("escape", "r")
        await answer(pilot, wrong)
        app.saver.flush()
        assert app.store.review_logs((9, "b"))[-1]["answer_seen"] == 1
        assert app.store.review_logs((9, "b"))[-1]["rating"] == Rating.Again


def test_an_exam_is_reviewed_when_it_is_graded_not_while_it_runs(data_dir):
    with ProgressStore.open(data_dir) as store:
        attempt = store.new_attempt("exam", minutes=180)
        store.save_answer(attempt.id, 9, "a", "18432")  # kept as typed while the clock runs
        store.save_answer(attempt.id, 9, "b", "7")
        assert store.review_logs() == []
        store.submit(attempt.id)
        assert grade_exam(store, EXAM, attempt.id) == []
        logs = {(l["question"], l["part"]): (l["source"], l["rating"]) for l in store.review_logs()}
        assert logs == {(9, "a"): ("exam", Rating.Easy), (9, "b"): ("exam", Rating.Again)}


async def test_a_practice_check_reviews_the_exams_part(data_dir):
    from tutor.practice import make_variant

    variant = make_variant(8, 1234)
    app = make_app(question=8, seed=1234, animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await answer(pilot, matrix_text(variant.question.parts[0].answer), tick=True)
        app.saver.flush()
        log, = app.store.review_logs()
        assert (log["question"], log["part"], log["source"], log["seed"], log["rating"]) == (
            8, "a", "practice", 1234, Rating.Easy)


@pytest.mark.slow
async def test_the_queue_serves_a_due_computation_on_fresh_numbers_and_resumes(data_dir):
    # 8(a) missed three days ago (due since), 3(a) partly right two days ago: both due, 8(a) weaker
    seeded(data_dir, (8, "a", 0.0, 6.0, 3), (3, "a", 1.0, 2.0, 2))
    app = make_app(animations=False, review=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and "8(a)" in screen.heading and "2 parts due" in screen.heading
        seed = screen.recorder.seed
        assert seed is not None and f"seed {seed}" in screen.heading
        part = screen.question.parts[0]
        assert [p.label for p in screen.question.parts] == ["a"]
        assert part.answer != EXAM.question(8).parts[0].answer  # fresh numbers, from the practice engine
        await answer(pilot, matrix_text(part.answer), tick=True)
        app.saver.flush()
        last = app.store.review_logs((8, "a"))[-1]
        assert (last["source"], last["seed"], last["rating"]) == ("review", seed, Rating.Good)
        assert app.store.practice_results()[0]["seed"] == seed
        await pilot.press("escape", "v")  # the next due part: 3(a), the exam's own, answer box empty
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and "3(a)" in screen.heading and "1 part due" in screen.heading
        assert screen.recorder.seed is None and screen.question is not EXAM.question(3)
        assert screen.query_one(PartView).answer.is_blank()
        await pilot.press("q")  # quit half-way
        await settle(pilot)
    app = make_app(animations=False, review=True)  # resume: what was rated today has left the queue
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and "3(a)" in app.screen.heading
        await answer(pilot, "underfitting")
        app.saver.flush()
        assert app.store.review_logs((3, "a"))[-1]["source"] == "review"
        assert all(not app.store.answers(a.id) for a in app.store.attempts())  # no attempt was touched
        await pilot.press("escape", "v")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)  # nothing is due any more today


@pytest.mark.slow
async def test_the_exam_date_dialog_says_what_is_wrong_where_it_was_typed(data_dir):
    app = make_app(animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert readiness(app).startswith("No exam date yet")
        await pilot.press("ctrl+p", *"set exam date")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExamDateDialog)
        for bad, said in (("2020-01-01", "has passed"), ("04/05/2026", "YYYY-MM-DD"), ("2026-02-30", "no day 30")):
            await pilot.press("ctrl+u", *bad, "enter")
            await pilot.pause()
            assert said in str(dialog.query_one("#error").render()) and app.screen is dialog
        assert app.store.exam_date() is None  # nothing stored until a date is read
        day = date.today() + timedelta(days=12)
        await pilot.press("ctrl+u", *day.isoformat(), "enter")
        await settle(pilot, 8)
        assert app.store.exam_date() == day and isinstance(app.screen, OverviewScreen)
        assert readiness(app).startswith("Exam in 12 days · nothing due today · expected score unknown")


async def test_the_readiness_line_follows_the_checks(data_dir):
    seeded(data_dir, (6, "e", 0.0, 4.0, 2))
    day = date.today() + timedelta(days=12)
    app = make_app(animations=False, exam_date=day)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 8)
        before = readiness(app)
        assert before.startswith("Exam in 12 days · 1 part due today · expected ") and "96 points not yet tried" in before
        app.post_message(__import__("tutor.screens.messages", fromlist=["x"]).OpenQuestion(9))
        await settle(pilot)
        await answer(pilot, typed(EXAM.question(9).parts[0].answer))
        await pilot.press("escape", "escape")
        await settle(pilot, 8)
        after = readiness(app)
        assert "1 part due today" in after and "93 points not yet tried" in after and after != before


async def test_the_palette_offers_review_once_cards_exist(data_dir):
    app = make_app(animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        from tutor.commands import TutorCommands

        titles = [t for t, *_ in TutorCommands._commands(type("P", (), {"app": app})())]
        assert "Practise what I missed" in titles and "Set exam date" in titles
        assert not any(t.startswith("Review what is due") for t in titles)
        app.store.save_review(6, "e", 0.0, 4.0, ReviewOf("study", at=time.time() - 2 * DAY))
        titles = [t for t, *_ in TutorCommands._commands(type("P", (), {"app": app})())]
        assert "Review what is due (1)" in titles and "Practise what I missed" not in titles


async def test_the_results_show_bars_of_best_and_expected_and_a_sparkline_of_totals(data_dir):
    day = date.today() + timedelta(days=12)
    with ProgressStore.open(data_dir) as store:
        store.set_exam_date(day)
        first = store.current_attempt()
        store.save_answer(first.id, 9, "a", "18432", score=3.0, points=3.0, status="correct", review=ReviewOf("study"))
        second = store.new_attempt("study")
        store.save_answer(second.id, 9, "a", "18432", score=3.0, points=3.0, status="correct", review=ReviewOf("study"))
        store.save_answer(second.id, 9, "b", "3040", score=3.0, points=3.0, status="correct", review=ReviewOf("study"))
    app = make_app(animations=False)
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "s")
        await settle(pilot, 10)
        assert app.screen.query_one("#totals", Sparkline).data == [3.0, 6.0]
        bars = app.screen.query_one(ScoreBars)
        row9 = next(r for r in bars.rows if r.number == 9)
        assert row9.best == 6.0 and row9.seen == 6.0 and 0 < row9.expected < 6.0
        assert next(r for r in bars.rows if r.number == 1).expected is None  # never reviewed: unknown
        assert len(bars.query(ProgressBar)) == 2 * len(EXAM.questions)


def test_review_list_and_progress_json(data_dir, capsys):
    seeded(data_dir, (6, "e", 0.0, 4.0, 2), (9, "a", 3.0, 3.0, 0))
    day = (date.today() + timedelta(days=12)).isoformat()
    assert main(["review", "--list", "--exam-date", day]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Exam in 12 days · 1 part due today · expected ")
    assert out[1].startswith(" 1. 6(e)") and "recall now" in out[1] and "Backpropagation" in out[1]
    assert main(["progress", "--json"]) == 0
    block = json.loads(capsys.readouterr().out)["review"]
    assert block["exam_date"] == day and block["due_today"] == 1 and block["days_left"] == 12
    assert [(c["question"], c["part"]) for c in block["cards"]] == [(6, "e"), (9, "a")]
    assert block["expected_out_of"] == 7.0 and 0 < block["expected_score"] < 7.0
    assert {"question": 1, "part": "a", "points": 1.0} in block["unknown_parts"]
    with ProgressStore.open(data_dir) as store:  # nothing due after its review today
        store.save_review(6, "e", 4.0, 4.0, ReviewOf("study"))
    assert main(["review", "--list"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "Nothing is due today."


def test_a_bad_exam_date_is_a_usage_error(data_dir, capsys):
    import pytest

    with pytest.raises(SystemExit) as done:
        main(["--exam-date", "2020-01-01", "progress"])
    assert done.value.code == 2 and "has passed" in capsys.readouterr().err
    with ProgressStore.open(data_dir) as store:
        assert store.exam_date() is None


async def test_a_self_mark_on_the_results_screen_is_a_self_marked_review(data_dir):
    from tutor.screens.messages import MarkAnswer

    with ProgressStore.open(data_dir) as store:
        attempt = store.current_attempt()
        store.save_answer(attempt.id, 3, "b", "maybe dropout", score=None, points=3.0, status="unsure",
                          review=ReviewOf("study"))
        assert store.review_logs() == []  # unsure: no score, no review yet
    app = make_app(animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.post_message(MarkAnswer(attempt.id, 3, "b", "maybe dropout", "full"))
        await settle(pilot)
        app.saver.flush()
        log, = app.store.review_logs()
        assert (log["self_marked"], log["answer_seen"], log["rating"]) == (1, 0, Rating.Good)  # never Easy
