"""An answer the grader is unsure of: stored as checked with no score, shown with the model answer
and a self-mark, marked by the student and then stored like any check; in exam mode graded once and
marked from the results; counted nowhere until marked (overview, results, `progress`, practice).
Driven at 80×24 with the keyboard, and checked in the store a second session opens."""

from __future__ import annotations

import io
import json

from textual.widgets import Input

from tutor.app import make_app
from tutor.exam import load_exam
from tutor.exam_session import awaiting_mark, finished_ungraded, grade_exam, ungraded
from tutor.grading import grade
from tutor.practice import weakest_parts, wrong_parts
from tutor.progress import ProgressStore
from tutor.report import print_progress
from tutor.screens.results import ResultsScreen
from tutor.screens.self_mark import SelfMarkDialog
from tutor.widgets.answer_inputs import SelfMarkAnswer
from tutor.widgets.part_view import PartView

SIZE = (80, 24)
EXAM = load_exam(prove=False)
POINTS = {q.number: q.points for q in EXAM.questions}
UNSURE = "number of parameters"  # 9(c): says which quantity, not which way
NEGATED = "not overfitting"  # 3(a)


def part(number: int, label: str):
    return next(p for p in EXAM.question(number).parts if p.label == label)


def test_the_examples_are_what_the_tests_say():
    assert grade(part(9, "c"), UNSURE).status == "unsure"
    assert (grade(part(3, "a"), NEGATED).status, grade(part(3, "a"), NEGATED).score) == ("wrong", 0)


def record(store: ProgressStore, number: int, label: str):
    return store.answers(store.current_attempt().id).get((number, label))


def feedback(app, label: str) -> str:
    return str(app.screen.query_one(f"#part-{label} .feedback").render())


async def type_into(pilot, label: str, text: str) -> None:
    field = pilot.app.screen.query_one(f"#answer-{label} Input", Input)
    chain = pilot.app.screen.focus_chain
    presses = chain.index(field) - (chain.index(pilot.app.focused) if pilot.app.focused in chain else -1)
    await pilot.press(*["tab"] * presses)
    assert pilot.app.focused is field
    await pilot.press(*text, "enter")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


# In the question screen ---------------------------------------------------------------------------


async def test_an_unsure_answer_is_stored_unscored_then_self_marked_and_shown_again(data_dir):
    app = make_app(question=9, animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_into(pilot, "c", UNSURE)
        view = app.screen.query_one("#part-c", PartView)
        line = feedback(app, "c")
        assert line.startswith("~ ?/2 unsure, not scored yet · The grader cannot decide")
        assert view.revealed and view.query_one(".model").display  # the model answer and the rubric
        mark = view.query_one(SelfMarkAnswer)
        assert mark.display and app.focused in mark.query("*")  # the self-mark, ready
        with ProgressStore.open(data_dir) as other:  # a second session sees the check, unscored
            r = record(other, 9, "c")
            assert (r.value, r.score, r.status, r.revealed) == (UNSURE, None, "unsure", True)
            assert other.question_scores(other.current_attempt().id) == {}
        await pilot.press("down", "enter")  # partial
        await pilot.pause()
        assert feedback(app, "c").startswith("◐ 1/2 partial · Marked partial against the model answer")
        assert not mark.display and app.focused is app.screen.query_one("#body")  # reading, not typing
        with ProgressStore.open(data_dir) as other:
            r = record(other, 9, "c")
            assert (r.value, r.score, r.points, r.status) == (UNSURE, 1.0, 2.0, "partial")
        await pilot.press("q")
    again = make_app(question=9, animations=False)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert feedback(again, "c").startswith("◐ 1/2 partial · from your last check")
        assert again.screen.query_one("#answer-c Input", Input).value == UNSURE


async def test_an_unsure_answer_not_yet_marked_is_unsure_again_after_reopening(data_dir):
    app = make_app(question=9, animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_into(pilot, "c", UNSURE)
        await pilot.press("escape", "escape")  # leave the question without marking
        await pilot.pause()
        table = app.screen.query_one("DataTable")
        assert "~ to mark" in [str(c) for c in table.get_row("9")]
        await pilot.press("q")
    again = make_app(question=9, animations=False)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = again.screen.query_one("#part-c", PartView)
        assert feedback(again, "c").startswith("~ ?/2 unsure, not scored yet · from your last check")
        assert view.revealed and view.query_one(SelfMarkAnswer).display
        await pilot.press("tab", "tab", "tab", "tab")  # (a), (b), (c)'s box, the self-mark: steps are no stop
        assert again.focused in view.query_one(SelfMarkAnswer).query("*")
        await pilot.press("enter")  # full
        await pilot.pause()
        assert feedback(again, "c").startswith("✓ 2/2 correct · Marked full")
        assert record(again.store, 9, "c").score == 2.0


async def test_a_changed_answer_is_checked_again_not_marked(data_dir):
    app = make_app(question=9, animations=False)
    said: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        app.notify = lambda message, *a, **k: said.append(str(message))
        await type_into(pilot, "c", UNSURE)
        field = app.screen.query_one("#answer-c Input", Input)
        field.value = "to increase the number of parameters"  # typed after the check
        await pilot.press("enter")  # on the self-mark: full
        await pilot.pause()
        assert any("changed since it was checked" in s for s in said)
        assert record(app.store, 9, "c").status == "unsure"


async def test_a_negated_answer_is_not_credited(data_dir):
    app = make_app(question=3, animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await type_into(pilot, "a", NEGATED)
        assert feedback(app, "a").startswith("✗ 0/2 wrong · “not overfitting” denies overfitting")
        assert not app.screen.query_one("#part-a", PartView).query_one(SelfMarkAnswer).display
        r = record(app.store, 3, "a")
        assert (r.score, r.status) == (0.0, "wrong")


# Exam mode, results, report, practice -------------------------------------------------------------


def exam_with_an_unsure_answer(data_dir):
    with ProgressStore.open(data_dir) as store:
        attempt = store.new_attempt("exam")
        store.save_answer(attempt.id, 9, "c", UNSURE)
        store.save_answer(attempt.id, 3, "a", "overfitting")
        store.submit(attempt.id)
        return attempt


def test_grading_an_exam_leaves_an_unsure_answer_to_mark_once(data_dir):
    attempt = exam_with_an_unsure_answer(data_dir)
    with ProgressStore.open(data_dir) as store:
        assert [a.id for a in finished_ungraded(store)] == [attempt.id]
        grade_exam(store, EXAM, attempt.id)
        answers = store.answers(attempt.id)
        assert (answers[(9, "c")].score, answers[(9, "c")].status) == (None, "unsure")
        assert (answers[(3, "a")].score, answers[(3, "a")].status) == (2.0, "correct")
        assert ungraded(store, attempt.id) == [] and finished_ungraded(store) == []  # not graded again
        assert [(r.question, r.part) for r in awaiting_mark(store, attempt.id)] == [(9, "c")]
        assert store.question_scores(attempt.id) == {3: 2.0}  # the unsure answer counts nothing yet
        before = store.answers(attempt.id)[(9, "c")]
        grade_exam(store, EXAM, attempt.id)  # idempotent
        assert store.answers(attempt.id)[(9, "c")] == before


async def test_an_exams_unsure_answer_is_marked_from_the_results(data_dir):
    attempt = exam_with_an_unsure_answer(data_dir)
    app = make_app(animations=False)
    async with app.run_test(size=SIZE) as pilot:  # the exam ended while the app was closed
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        total = str(app.screen.query_one("#total").render())
        assert "Total: 2 / 100" in total and "~ To mark: 9(c)" in total
        await pilot.press("m")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SelfMarkDialog)
        shown = " ".join(str(w.render()) for w in dialog.query("Static"))
        assert f"Your answer: {UNSURE}" in shown and "cannot decide" in shown and "Model answer" in shown
        await pilot.press("enter")  # full
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        total = str(app.screen.query_one("#total").render())
        assert "Total: 4 / 100" in total and "To mark" not in total
        with ProgressStore.open(data_dir) as other:
            r = other.answers(attempt.id)[(9, "c")]
            assert (r.score, r.status) == (2.0, "correct")


async def test_escape_leaves_the_unsure_answer_to_mark(data_dir):
    attempt = exam_with_an_unsure_answer(data_dir)
    app = make_app(animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        assert app.store.answers(attempt.id)[(9, "c")].status == "unsure"


def test_the_progress_report_lists_what_is_to_mark(data_dir):
    attempt = exam_with_an_unsure_answer(data_dir)
    with ProgressStore.open(data_dir) as store:
        grade_exam(store, EXAM, attempt.id)
        out = io.StringIO()
        print_progress(store, POINTS, 100.0, 0.35, as_json=True, out=out)
        row = json.loads(out.getvalue())["attempts"][-1]
        assert row["to_mark"] == ["9(c)"] and row["total"] == 2.0
        out = io.StringIO()
        print_progress(store, POINTS, 100.0, 0.35, out=out)
        assert "9(c) to mark" in out.getvalue()


def test_practice_counts_no_unsure_answer():
    with ProgressStore.in_memory() as store:
        attempt = store.current_attempt()
        store.save_answer(attempt.id, 9, "c", UNSURE, points=2.0, status="unsure")
        answers = store.answers(attempt.id)
        assert wrong_parts(answers) == []  # not "got wrong": not graded
        parts = [(9, "a"), (9, "c")]
        assert weakest_parts([], answers, limit=None, parts=parts) == [(9, "a"), (9, "c")]  # untried, in order
        store.save_answer(attempt.id, 9, "c", "to increase the number of parameters", score=0.0, points=2.0,
                          status="wrong")
        assert weakest_parts([], store.answers(attempt.id), limit=None, parts=parts) == [(9, "c"), (9, "a")]
