"""Exam mode at 80×24: the whole paper against a clock stored as a deadline; checks keep answers
without a grade and nothing is revealed; submitting (or running out of time, even while the app was
closed) grades every answer and shows the results."""

from __future__ import annotations

import time

from textual.widgets import Input

from tutor.app import make_app
from tutor.exam import Part, load_exam
from tutor.exam_session import format_clock, grade_exam, seconds_left
from tutor.grading import grade
from tutor.progress import ProgressStore
from tutor.screens.confirm import ConfirmScreen
from tutor.widgets.part_view import KEPT
from tutor.screens.overview import OverviewScreen
from tutor.screens.question import QuestionScreen
from tutor.screens.results import ResultsScreen
from tutor.widgets.part_view import PartView
from tutor.widgets.step_reveal import StepReveal

SIZE = (80, 24)
EXAM = load_exam(prove=False)


def number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def right_response(part: Part):
    """What a student types for full marks (checked against the grader below)."""
    if part.kind == "true_false":
        return "T" if part.answer else "F"
    if part.kind == "choice":
        return str(int(part.answer) + 1)
    if part.kind == "values":
        return {blank.name: number(blank.answer) for blank in part.blanks}
    if part.kind == "matrix":
        return "; ".join(" ".join(number(v) for v in row) for row in part.answer)
    if part.kind == "number":
        return number(part.answer)
    if part.kind == "text":
        return short_right_answer(part)
    if part.kind == "derivation":
        return "full"
    return str(part.answer)


def short_right_answer(part: Part) -> str:
    """The shortest answer tests/fixtures/text_answers.toml lists as right for this text part."""
    import tomllib
    from pathlib import Path

    corpus = tomllib.loads((Path(__file__).parent / "fixtures" / "text_answers.toml").read_text(encoding="utf-8"))
    number_ = next(q.number for q in load_exam(prove=False).questions if part in q.parts)
    right = [a for e in corpus["part"] if (e["question"], e["label"]) == (number_, part.label) for a in e["right"]]
    return min(right, key=len) if right else str(part.answer)


class Clock:
    """Exam mode's clock in a test (make_app(now=...)): stopped at the time it was made, it moves
    only when the test moves it, so nothing waits for real time to pass a deadline."""

    def __init__(self) -> None:
        self.time = time.time()

    def __call__(self) -> float:
        return self.time

    def advance(self, seconds: float) -> None:
        self.time += seconds


async def run_out_of_time(pilot, clock: Clock, minutes: float = 2) -> None:
    """The clock jumps `minutes` ahead, then ticks (as its timer does each second): the deadline has passed."""
    clock.advance(minutes * 60)
    pilot.app.exam_mode.tick()
    await pilot.pause()


def new_exam_started_ago(data_dir, monkeypatch, hours: float, minutes: float = 180):
    """An exam attempt whose clock started `hours` ago (the store's clock moved back while it is made)."""
    real = time.time
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: real() - hours * 3600)
        return new_exam(data_dir, minutes=minutes)


def store_answers(data_dir, attempt_id: int, skip: set[int] = frozenset()) -> float:
    """Every part of every question not in `skip` answered right but not graded, as exam mode keeps
    them; returns the total the key gives them."""
    total = 0.0
    with ProgressStore.open(data_dir) as store:
        for q in EXAM.questions:
            if q.number in skip:
                continue
            for part in q.parts:
                response = right_response(part)
                result = grade(part, response, work_shown=part.work_required)
                assert result.status == "correct", (q.number, part.label, result)
                store.save_answer(attempt_id, q.number, part.label, response, work_shown=bool(part.work_required))
                total += result.score
    return total


def new_exam(data_dir, minutes: float = 180):
    with ProgressStore.open(data_dir) as store:
        return store.new_attempt("exam", minutes=minutes)


def title(app) -> str:
    return app.title


def notices(app) -> list[str]:
    """What the app will notify from now on (its toasts), recorded."""
    said: list[str] = []
    notify = app.notify

    def record(message, *args, **kwargs):
        said.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = record
    return said


async def palette(pilot, text: str) -> None:
    await pilot.press("ctrl+p", *text)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()


async def test_starting_exam_mode_asks_then_stores_an_exam_attempt_with_a_deadline(data_dir):
    app = make_app(animations=False)
    async with app.run_test(size=SIZE) as pilot:
        first = app.store.current_attempt()
        await palette(pilot, "start exam")
        assert isinstance(app.screen, ConfirmScreen)
        assert "3 hours" in app.screen.title_text
        assert "Quitting does not stop the clock" in app.screen.message
        await pilot.press("y")
        await pilot.pause()
        attempt = app.store.current_attempt()
        assert attempt.mode == "exam" and attempt.number == first.number + 1
        assert abs(attempt.deadline - (attempt.started_at + EXAM.minutes * 60)) < 1e-6
        assert isinstance(app.screen, OverviewScreen)
        assert "exam: 3:00:00 left" in title(app) or "exam: 2:59:5" in title(app)
        summary = str(app.screen.query_one("#summary").render())
        assert "0 of 10 questions answered in full, 0 begun" in summary
        # the study attempt is still there, unfinished, for after the exam
        assert [a.mode for a in app.store.attempts()] == ["study", "exam"]


async def test_a_check_during_the_exam_keeps_the_answer_without_a_score(data_dir):
    attempt = new_exam(data_dir)
    part = EXAM.question(4).parts[0]  # a number part: 3
    app = make_app(question=4, animations=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and screen.in_exam
        await pilot.press("enter")  # to the first answer box
        assert isinstance(app.focused, Input)
        await pilot.press(*number(part.answer), "enter")
        await pilot.pause()
        feedback = str(screen.query_one(f"#part-{part.label} .feedback").render())
        assert feedback == KEPT  # no ✓, no score
        record = app.store.answers(attempt.id)[(4, part.label)]
        assert (record.value, record.score, record.status) == (number(part.answer), None, "typed")
        # reveal and the steps are not available, and not in the footer
        await pilot.press("escape")
        for action in ("reveal", "step", "all_steps"):
            assert screen.check_action(action, (1,)) is False
        await pilot.press("r", "space", "a")
        await pilot.pause()
        assert not any(view.revealed for view in screen.query(PartView))
        assert all(not reveal.display for reveal in screen.query(StepReveal))
        assert not screen.query_one("#live-editor").display
        footer = {b.binding.action for b in screen.active_bindings.values() if b.enabled}
        assert not footer & {"reveal", "step(1)", "all_steps"}
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        table = app.screen.query_one("#questions")
        row = [str(cell) for cell in table.get_row("4")]
        assert row[3] == "–" and row[4] == "in progress"  # no score while the exam runs


async def test_no_self_mark_is_offered_during_an_exam(data_dir):
    new_exam(data_dir)
    app = make_app(question=9, animations=False)  # 9(c) is a text answer, with a self-mark once unsure
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        from tutor.widgets.answer_inputs import SelfMarkAnswer

        assert app.screen.in_exam and not app.screen.query_one(SelfMarkAnswer).display


async def test_the_overview_says_answered_without_scores_during_an_exam(data_dir):
    attempt = new_exam(data_dir)
    store_answers(data_dir, attempt.id, skip={q.number for q in EXAM.questions} - {8})
    app = make_app(animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")  # it resumed at question 1 of the exam: back to the overview
        await pilot.pause()
        table = app.screen.query_one("#questions")
        assert [str(cell) for cell in table.get_row("8")[3:5]] == ["–", "answered"]
        assert str(table.get_row("1")[4]) == "not started"
        assert "1 of 10 questions answered in full, 0 begun" in str(app.screen.query_one("#summary").render())
        assert app.screen.check_action("submit_exam", ()) is True
        await pilot.press("s")  # the results of a running exam: no scores yet
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        assert "Your exam is running" in str(app.screen.query_one("#total").render())
        row = app.screen.query_one("#scores").get_row("8")
        assert row[2] == "–" and row[4] == "answered"


async def test_a_kept_answer_with_the_work_ticked_comes_back_ticked(data_dir):
    attempt = new_exam(data_dir)
    part = EXAM.question(8).parts[0]
    with ProgressStore.open(data_dir) as store:
        store.save_answer(attempt.id, 8, part.label, right_response(part), work_shown=True)
    app = make_app(question=8, animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one(f"#part-{part.label}", PartView).answer.work_shown
        await pilot.press("q", "y")  # leaving (drafts saved) keeps the tick
    with ProgressStore.open(data_dir) as store:
        record = store.answers(attempt.id)[(8, part.label)]
        assert (record.status, record.work_shown) == ("typed", True)


async def test_submitting_grades_every_answer_and_shows_the_total(data_dir):
    attempt = new_exam(data_dir)
    expected = store_answers(data_dir, attempt.id, skip={1})  # question 1 left blank
    assert expected == EXAM.total - EXAM.question(1).points
    app = make_app(animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")  # it resumed at question 1 of the exam: back to the overview
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # not yet
        await pilot.pause()
        assert app.store.current_attempt().id == attempt.id
        await pilot.press("x", "y")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        total = str(app.screen.query_one("#total").render())
        assert f"Total: {expected:g} / 100" in total
        assert f"Weighted: {round(expected * 0.35, 2):g} / 35" in total
        assert "exam:" not in title(app)  # the clock has stopped
    with ProgressStore.open(data_dir) as store:
        done = next(a for a in store.attempts() if a.id == attempt.id)
        assert done.submitted_at is not None
        scores = store.question_scores(attempt.id)
        assert scores == {q.number: q.points for q in EXAM.questions if q.number != 1}
        assert store.current_attempt().id != attempt.id  # back to studying


async def test_submit_from_the_palette(data_dir):
    attempt = new_exam(data_dir)
    app = make_app(animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await palette(pilot, "submit the exam")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        assert app.screen.attempt().id == attempt.id
        assert "Total: 0 / 100" in str(app.screen.query_one("#total").render())


async def test_a_deadline_passed_while_away_submits_and_grades_on_start(data_dir, monkeypatch):
    attempt = new_exam_started_ago(data_dir, monkeypatch, hours=4)  # its 3 hours ran out an hour ago
    expected = store_answers(data_dir, attempt.id, skip={9, 10})
    app = make_app(animations=False)
    said = notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        assert f"Total: {expected:g} / 100" in str(app.screen.query_one("#total").render())
        assert any("time ran out" in message for message in said)
    with ProgressStore.open(data_dir) as store:
        done = next(a for a in store.attempts() if a.id == attempt.id)
        assert done.submitted_at == done.deadline  # submitted at its deadline
        assert sum(store.question_scores(attempt.id).values()) == expected


async def test_time_running_out_during_the_exam_submits_by_itself(data_dir):
    attempt, clock = new_exam(data_dir, minutes=1), Clock()
    app = make_app(question=4, animations=False, now=clock)
    said = notices(app)
    async with app.run_test(size=SIZE) as pilot:
        part = EXAM.question(4).parts[0]
        await pilot.press("enter", *number(part.answer))  # typed, never checked: a draft
        await run_out_of_time(pilot, clock)
        assert isinstance(app.screen, ResultsScreen)
        assert any("Time is up" in message for message in said)
        assert f"Total: {part.points:g} / 100" in str(app.screen.query_one("#total").render())
    with ProgressStore.open(data_dir) as store:
        assert store.answers(attempt.id)[(4, part.label)].score == part.points


async def test_a_draft_with_the_work_ticked_is_graded_with_the_work_when_time_runs_out(data_dir):
    attempt, clock = new_exam(data_dir, minutes=1), Clock()
    part = EXAM.question(8).parts[0]
    app = make_app(question=8, animations=False, now=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", *right_response(part), "tab", "space")  # typed and ticked, not kept
        await run_out_of_time(pilot, clock)
        assert isinstance(app.screen, ResultsScreen)
    with ProgressStore.open(data_dir) as store:
        assert store.answers(attempt.id)[(8, part.label)].score == part.points  # not partial_points


async def test_the_clock_shows_the_time_left_from_the_stored_deadline(data_dir):
    new_exam(data_dir, minutes=60)  # not the exam's 180: the clock reads the stored deadline
    clock = Clock()
    app = make_app(animations=False, now=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        header = title(app)
        assert "exam: 1:00:00 left" in header or "exam: 0:59:5" in header, header
        before = seconds_left(app.exam_mode.attempt.deadline, clock())
        clock.advance(1.2)
        app.exam_mode.tick()  # what its timer does each second
        assert f"exam: {format_clock(before)} left" not in title(app)  # it ticks


async def test_quitting_during_the_exam_asks_first(data_dir):
    attempt = new_exam(data_dir)
    app = make_app(animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "keeps running" in app.screen.message
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        await pilot.press("q", "y")
        await pilot.pause()
        assert not app.is_running
    with ProgressStore.open(data_dir) as store:
        assert store.current_attempt().id == attempt.id  # still running: the clock did not stop


async def test_retake_is_not_offered_during_an_exam(data_dir):
    new_exam(data_dir)
    app = make_app(animations=False)
    async with app.run_test(size=SIZE):
        titles = [title for title, _, _ in app.exam_mode.commands()]
        assert titles == ["Submit the exam"]
        from tutor.commands import TutorCommands

        provider = TutorCommands(app.screen)
        names = [name for name, _, _ in provider._commands()]
        assert "Retake the quiz" not in names and "Start exam mode (3 hours)" not in names


def test_grading_an_exam_twice_changes_nothing(data_dir):
    attempt = new_exam(data_dir)
    expected = store_answers(data_dir, attempt.id)
    with ProgressStore.open(data_dir) as store:
        grade_exam(store, EXAM, attempt.id)
        first = store.answers(attempt.id)
        grade_exam(store, EXAM, attempt.id)
        assert store.answers(attempt.id) == first
        assert sum(store.question_scores(attempt.id).values()) == expected == EXAM.total


def test_the_work_tick_decides_the_matrix_credit(data_dir):
    """Question 8's rubric: the final matrix alone does not earn full marks."""
    attempt = new_exam(data_dir)
    part = EXAM.question(8).parts[0]
    with ProgressStore.open(data_dir) as store:
        store.save_answer(attempt.id, 8, part.label, right_response(part), status="typed")
        grade_exam(store, EXAM, attempt.id)
        assert store.question_scores(attempt.id)[8] == part.partial_points < part.points


def test_the_clock_format():
    assert format_clock(3 * 3600) == "3:00:00"
    assert format_clock(3599) == "0:59:59"
    assert format_clock(-5) == "0:00:00"
    assert seconds_left(100.0, now=40.2) == 60
    assert seconds_left(100.0, now=140.0) == 0


async def test_an_unreadable_answer_is_flagged_the_moment_it_is_kept(data_dir):
    attempt = new_exam(data_dir)
    part = EXAM.question(9).parts[0]  # a number part: 18,432
    app = make_app(question=9, animations=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await pilot.press("enter")
        await pilot.press(*"18432 is wrong", "enter")
        await app.workers.wait_for_complete()  # said once it is stored (the write is off the UI thread)
        await pilot.pause()
        line = screen.query_one(f"#part-{part.label} .feedback")
        feedback = str(line.render())
        assert feedback.startswith("? could not read: this would score 0 — ") and "says 'wrong'" in feedback
        assert line.has_class("-invalid")
        record = app.store.answers(attempt.id)[(9, part.label)]
        assert (record.value, record.score, record.status) == ("18432 is wrong", None, "typed")  # kept all the same
        # fixed before submitting: kept, and nothing about its grade is said
        await pilot.press(*["backspace"] * len(" is wrong"), "space", *"params", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(line.render()) == KEPT and not line.has_class("-invalid")
        assert app.store.answers(attempt.id)[(9, part.label)].value == "18432 params"


def test_one_answer_whose_grading_fails_cannot_block_the_attempt(data_dir, monkeypatch):
    import tutor.grading

    attempt = new_exam(data_dir)
    store_answers(data_dir, attempt.id)
    real = tutor.grading.grade

    def flaky(part, response, **kwargs):
        if part.kind == "choice":
            raise RuntimeError("a grader bug")
        return real(part, response, **kwargs)

    monkeypatch.setattr(tutor.grading, "grade", flaky)
    with ProgressStore.open(data_dir) as store:
        problems = grade_exam(store, EXAM, attempt.id)
        assert problems == ["question 10(a) could not be graded (RuntimeError: a grader bug); it scores 0"]
        answers = store.answers(attempt.id)
        assert all(r.score is not None for r in answers.values())  # everything else graded
        assert (answers[(10, "a")].score, answers[(10, "a")].status) == (0.0, "invalid")
        assert sum(store.question_scores(attempt.id).values()) == EXAM.total - 3
        assert grade_exam(store, EXAM, attempt.id) == []  # settled: not failed again on every start


def test_a_4301_digit_answer_no_longer_blocks_grading(data_dir):
    attempt = new_exam(data_dir)
    with ProgressStore.open(data_dir) as store:
        for q in EXAM.questions:
            for part in q.parts:
                value = {b.name: "1" * 4301 for b in part.blanks} if part.kind == "values" else "1" * 4301
                store.save_answer(attempt.id, q.number, part.label, value, status="typed")
        assert grade_exam(store, EXAM, attempt.id) == []
        assert all(r.score is not None for r in store.answers(attempt.id).values())
