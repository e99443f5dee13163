"""One scoreboard (tutor.scoreboard): an attempt's rows, totals, best and weighted, read from the store
once and shown the same by the overview, the results screen and `itm528-tutor progress`."""

from __future__ import annotations

import io
import json

from tutor.app import make_app
from tutor.exam import load_exam
from tutor.progress import ProgressStore
from tutor.report import print_progress
from tutor.scoreboard import Paper, history, question_status, read

SIZE = (80, 24)
EXAM = load_exam(prove=False)
PAPER = Paper.of(EXAM)


def fill(store: ProgressStore):
    """A study attempt: 1(a) partly right, re-checked right then wrong (best keeps the right one),
    2(a) right, 9(c) unsure (no score, to mark), 5(a) only typed; then an exam, submitted."""
    study = store.current_attempt()
    p1, p2 = EXAM.question(1).parts[0], EXAM.question(2).parts[0]
    store.save_answer(study.id, 1, p1.label, "T", score=p1.points, points=p1.points, status="correct")
    store.save_answer(study.id, 1, p1.label, "F", score=0.0, points=p1.points, status="wrong")
    store.save_answer(study.id, 2, p2.label, "x", score=p2.points, points=p2.points, status="correct")
    store.save_answer(study.id, 9, "c", "maybe", points=2.0, status="unsure")
    store.save_answer(study.id, 5, "a", "draft")
    exam = store.new_attempt("exam", minutes=180)
    store.save_answer(exam.id, 1, p1.label, "T", score=p1.points, points=p1.points, status="correct")
    store.submit(exam.id)
    return study, exam, p1, p2


def test_rows_totals_best_and_what_is_to_mark(data_dir):
    with ProgressStore.open(data_dir) as store:
        study, exam, p1, p2 = fill(store)
        board = read(store, PAPER, study)
        assert [r.number for r in board.rows] == [q.number for q in EXAM.questions]
        assert board.row(1).score == 0.0 and board.row(1).best == p1.points  # a worse re-check: Best stays
        assert board.row(2).score == p2.points == board.row(2).best
        assert board.row(9).score is None and board.row(9).status == "~ to mark"  # unsure counts nothing
        assert board.row(5).score is None and board.row(5).status == "in progress"  # a draft is no score
        assert board.row(3).status == "not started" and board.row(3).best is None
        assert board.total == p2.points
        assert board.weighted == round(p2.points / EXAM.total * EXAM.weight * 100, 2)
        assert board.best_total == p1.points + p2.points
        assert board.marks_due == ["9(c)"] and not board.running
        boards = history(store, PAPER)  # every attempt as stored now (the exam submitted)
        assert [b.attempt.id for b in boards] == [study.id, exam.id]
        assert boards[0].total == board.total
        assert boards[1].total == p1.points and boards[1].best_total == board.best_total


def test_a_running_exam_has_no_scores_and_counts_what_is_answered(data_dir):
    with ProgressStore.open(data_dir) as store:
        exam = store.new_attempt("exam", minutes=180)
        for part in EXAM.question(3).parts:
            store.save_answer(exam.id, 3, part.label, "an answer")
        store.save_answer(exam.id, 4, EXAM.question(4).parts[0].label, "3")
        board = read(store, PAPER)  # the current attempt: the exam
        assert board.running and board.attempt.id == exam.id
        assert all(r.score is None for r in board.rows) and board.total == 0
        assert board.row(3).status == "answered" and board.row(4).status == "in progress"
        assert board.answered == 1 and board.begun == 1
        after = read(store, PAPER, exam, now=exam.deadline + 1)  # by a clock past its deadline
        assert not after.running


def test_a_question_is_done_only_when_every_part_is_checked():
    from tutor.progress import AnswerRecord

    checked = AnswerRecord(7, "a", '"1"', 1.0, 1.0, "correct", 1.0, False, 0, checked_response='"1"')
    typed = AnswerRecord(7, "b", '"2"', None, 0.0, "typed", None, False, 0, draft='"2"')
    other = AnswerRecord(7, "b", '"2"', 0.0, 1.0, "wrong", 2.0, False, 0, checked_response='"2"')
    assert question_status([], 2) == "not started"
    assert question_status([checked, typed], 2) == "in progress"
    assert question_status([checked, other], 2) == "done"  # checked, whether right or wrong
    assert question_status([checked, typed], 2, exam=True) == "answered"


def test_overview_results_and_progress_show_the_same_numbers(data_dir):
    with ProgressStore.open(data_dir) as store:
        study, _, p1, p2 = fill(store)
        later = store.new_attempt("study")  # the current one: the earlier study attempt is history
        store.save_answer(later.id, 2, p2.label, "x", score=p2.points, points=p2.points, status="correct")
        out = io.StringIO()
        print_progress(store, PAPER.points, EXAM.total, EXAM.weight, as_json=True, out=out)
    report = json.loads(out.getvalue())
    assert report["attempts"][-1]["total"] == p2.points and report["attempts"][0]["to_mark"] == ["9(c)"]
    assert report["best_total"] == p1.points + p2.points


async def test_the_app_shows_the_boards_numbers(data_dir):
    with ProgressStore.open(data_dir) as store:
        study, _, p1, p2 = fill(store)
        later = store.new_attempt("study")
        store.save_answer(later.id, 2, p2.label, "x", score=p2.points, points=p2.points, status="correct")
    app = make_app(animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if app.screen is not app.navigator.overview:
            await pilot.press("escape")  # (it resumed at the last question)
            await pilot.pause()
        summary = str(app.screen.query_one("#summary").render())
        assert f"Attempt 3 · study (current): {p2.points:g} of 100 points" in summary
        assert str(app.screen.query_one("#questions").get_row("1")[5]) == f"{p1.points:g}"  # Best
        await pilot.press("s")
        await pilot.pause()
        total = str(app.screen.query_one("#total").render())
        assert f"Total: {p2.points:g} / 100" in total
        assert f"Best: {p1.points + p2.points:g} / 100" in total
