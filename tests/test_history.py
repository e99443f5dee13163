"""Results and history at 80×24: the shown attempt per question and in total (out of 100 and weighted
to 35 %), each question's best over all attempts and its total, and one row per attempt. Retake
keeps the history; reset asks first and only then forgets it."""

from __future__ import annotations

from tutor.app import make_app
from tutor.exam import load_exam
from tutor.progress import ProgressStore
from tutor.screens.confirm import ConfirmScreen
from tutor.screens.overview import OverviewScreen
from tutor.screens.results import ResultsScreen

SIZE = (80, 24)
EXAM = load_exam(prove=False)


def scored(store: ProgressStore, attempt_id: int, scores: dict[int, float]) -> None:
    """Checked answers worth `scores` (question -> points), each on the question's first part."""
    for number, score in scores.items():
        part = EXAM.question(number).parts[0]
        status = "correct" if score == part.points else "partial"
        store.save_answer(attempt_id, number, part.label, "x", score=score, points=part.points, status=status)


def two_attempts(data_dir) -> None:
    """Attempt 1 (study): 5 + 3 = 8 points; attempt 2 (exam, submitted): 2 + 3 = 5 points.
    Best per question: q1 5, q3 3, q4 3: 11 points."""
    with ProgressStore.open(data_dir) as store:
        first = store.new_attempt("study")
        scored(store, first.id, {1: 5, 4: 3})
        second = store.new_attempt("exam")
        scored(store, second.id, {1: 2, 3: 3})
        store.submit(second.id)
        store.submit(first.id)  # both done: the app starts a third, empty one


def rows(table) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def show_results(pilot) -> ResultsScreen:
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ResultsScreen)
    return pilot.app.screen


async def test_results_show_every_attempt_and_the_best(data_dir):
    two_attempts(data_dir)
    app = make_app(animations=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await show_results(pilot)
        history = rows(screen.query_one("#history"))
        assert [row[0] for row in history] == ["1", "2", "▸ 3"]  # ▸ marks the attempt shown
        assert [row[1] for row in history] == ["study", "exam", "study"]
        assert [row[3] for row in history] == ["8 / 100", "5 / 100", "0 / 100"]
        assert [row[4] for row in history] == ["2.8", "1.75", "0"]  # × 0.35
        total = str(screen.query_one("#total").render())
        assert "Total: 0 / 100" in total  # the current, third attempt
        assert "Best: 11 / 100, weighted 3.85" in total
        scores = {row[0]: row for row in rows(screen.query_one("#scores"))}
        assert scores["1"][3] == "5" and scores["3"][3] == "3" and scores["4"][3] == "3"  # best per question
        assert scores["2"][3] == "–"
        # enter on an earlier attempt shows its results
        history_table = screen.query_one("#history")
        history_table.focus()
        history_table.move_cursor(row=1)
        await pilot.press("enter")
        await pilot.pause()
        shown = app.screen
        assert isinstance(shown, ResultsScreen) and shown.attempt().number == 2
        assert "Total: 5 / 100" in str(shown.query_one("#total").render())
        assert "Weighted: 1.75 / 35" in str(shown.query_one("#total").render())
        assert rows(shown.query_one("#scores"))[0][2] == "2 / 5"


async def test_retake_keeps_the_history(data_dir):
    app = make_app(question=4, animations=False)
    async with app.run_test(size=SIZE) as pilot:
        scored(app.store, app.store.current_attempt().id, {4: 3})
        await pilot.press("ctrl+p", *"retake")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        screen = await show_results(pilot)
        history = rows(screen.query_one("#history"))
        assert [(row[0], row[3]) for row in history] == [("1", "3 / 100"), ("▸ 2", "0 / 100")]
        assert "Best: 3 / 100" in str(screen.query_one("#total").render())


async def test_reset_asks_first_and_no_keeps_everything(data_dir):
    two_attempts(data_dir)
    app = make_app(animations=False)
    async with app.run_test(size=SIZE) as pilot:
        for answer in ("n", "y"):
            await pilot.press("ctrl+p", *"reset all")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert "forgets every attempt" in app.screen.message
            await pilot.press(answer)
            await pilot.pause()
            assert isinstance(app.screen, OverviewScreen)
            if answer == "n":
                assert len(app.store.attempts()) == 3
        assert app.store.best_scores() == {}
        assert [a.number for a in app.store.attempts()] == [1]  # a fresh first attempt, empty


def test_an_attempt_is_dated_by_its_day():
    from datetime import date, datetime

    from tutor.screens.results import day

    today = date(2026, 6, 12)
    stamp = lambda *ymd: datetime(*ymd, 15, 30).timestamp()  # noqa: E731
    assert day(stamp(2026, 6, 12), today) == "today"
    assert day(stamp(2026, 6, 11), today) == "yesterday"
    assert day(stamp(2026, 5, 2), today) == "02 May 2026"
