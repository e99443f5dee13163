"""A checked score is never lost (issue 12), in the app driven by the keyboard at 80×24: a stray
keystroke after a check, resuming, keys typed right after tab (and escape, and enter), question 8's
work box, writes that fail (a lock held by another process, a full disk, a read-only file) said on
the part's line and saved later, a store kept in memory, exam mode, and the overview's heading."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from textual import events
from textual.widgets import Checkbox, Input

from tutor import progress
from tutor.app import make_app
from tutor.exam import load_exam
from tutor.progress import ProgressStore
from tutor.report import print_progress
from tutor.screens.overview import OverviewScreen
from tutor.screens.question import QuestionScreen
from tutor.screens.recording import ELSEWHERE, SAVED_NOW, SAVING
from tutor.widgets.part_view import PartView

SIZE = (80, 24)
EXAM = load_exam(prove=False)


def app_at(question: int | None = None):
    return make_app(question=question, animations=False)


def feedback(app, label: str) -> str:
    return str(app.screen.query_one(f"#part-{label} .feedback").render())


def box(app, label: str) -> Input:
    return app.screen.query_one(f"#part-{label} Input", Input)


def send_at_once(app, *keys: str) -> None:
    """Every key into the app's queue before any is handled: a fast typist, or a paste over SSH."""
    names = {"tab": "\t", "enter": "\r", "escape": "\x1b", "backspace": "\x7f"}
    for key in keys:
        app.post_message(events.Key(key, names.get(key, key if len(key) == 1 else None)))


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(pilot, test, timeout: float = 15.0) -> None:
    """Pause until test() holds (a write in another thread takes its time on a loaded machine)."""
    import time

    deadline = time.monotonic() + timeout
    while not test():
        assert time.monotonic() < deadline, "never happened"
        await pilot.pause(0.05)


def stored(data_dir: Path, question: int, part: str):
    with ProgressStore.open(data_dir) as store:
        return store.answers(store.current_attempt().id).get((question, part))


def overview_row(app, number: int) -> list[str]:
    table = app.screen.query_one("#questions")
    return [str(cell) for cell in table.get_row(str(number))]


# -- case 1: a stray keystroke after a check --------------------------------------------------------


async def test_one_more_digit_after_a_check_keeps_the_score_the_best_and_the_progress(data_dir):
    app = app_at(9)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", *"18432", "enter")
        await settle(pilot)
        assert feedback(app, "a") == "✓ 3/3 correct"
        await pilot.press("1")  # one more digit, never checked
        await pilot.pause()
        assert feedback(app, "a") == "✓ 3/3 correct · edited since checked"
        await pilot.press("escape")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        number, _, _, score, status, best = overview_row(app, 9)
        assert (score, status, best) == ("3", "in progress", "3")
    record = stored(data_dir, 9, "a")
    assert (record.value, record.checked_value, record.score, record.status) == ("184321", "18432", 3.0, "correct")
    import io

    out = io.StringIO()
    with ProgressStore.open(data_dir) as store:
        print_progress(store, {q.number: q.points for q in EXAM.questions}, EXAM.total, EXAM.weight, as_json=True,
                       out=out)
    import json

    report = json.loads(out.getvalue())
    assert report["attempts"][0]["questions"]["9"] == 3.0 and report["best"]["9"] == 3.0


async def test_resuming_shows_the_draft_in_the_box_and_the_checked_score_beside_it(data_dir):
    with ProgressStore.open(data_dir) as store:
        a = store.current_attempt()
        store.save_answer(a.id, 9, "a", "18432", score=3.0, points=3.0, status="correct")
        store.save_answer(a.id, 9, "a", "184321")
        store.set_current_question(a.id, 9)
    app = app_at()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.screen.question.number == 9
        assert box(app, "a").value == "184321"
        assert feedback(app, "a") == "✓ 3/3 correct · from your last check · edited since checked"
        await pilot.press("tab", "backspace")  # back to what was checked: no longer edited
        await pilot.pause()
        assert feedback(app, "a") == "✓ 3/3 correct · from your last check"
        await pilot.press("0", "enter")  # a re-check replaces the score; Best keeps the best
        await settle(pilot)
        assert feedback(app, "a").startswith("✗ 0/3 wrong")
        await pilot.press("escape")
        await pilot.press("escape")
        await settle(pilot)
        assert overview_row(app, 9)[3:] == ["0", "in progress", "3"]


# -- case 5: what was typed is what is checked ------------------------------------------------------


async def test_tab_and_the_digits_sent_at_once_all_reach_the_box_and_are_checked(data_dir):
    app = app_at(9)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.focused is app.screen.query_one("#body")
        send_at_once(app, "tab", *"18432", "enter")
        await settle(pilot)
        assert box(app, "a").value == "18432"
        assert feedback(app, "a") == "✓ 3/3 correct"
        send_at_once(app, "tab", *"3392", "enter")  # one tab from (a)'s box to (b)'s (not (a)'s steps)
        await settle(pilot)
        assert box(app, "b").value == "3392"
        assert box(app, "a").value == "18432"  # nothing typed after the tab went to (a), or nowhere
        send_at_once(app, "tab", *"because")  # to (c)'s box: a word in it, not a command (b, e, c, a)
        await settle(pilot)
        assert box(app, "c").value == "because"
        assert not app.screen.query_one("#part-c").revealed
    assert stored(data_dir, 9, "a").score == 3.0


async def test_enter_from_the_question_text_then_digits_and_escape_then_a_question_key(data_dir):
    app = app_at(4)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        send_at_once(app, "enter", "3", "enter")  # enter goes to the first open answer, then 3 is typed there
        await settle(pilot)
        assert box(app, "a").value == "3" and feedback(app, "a").startswith("✓ 4/4")
        send_at_once(app, "escape", "n")  # out of the box, then the next question (not an "n" in the box)
        await settle(pilot)
        assert app.screen.question.number == 5
    assert stored(data_dir, 4, "a").value == "3"


async def test_enter_in_a_box_of_several_blanks_moves_on_before_the_next_digits(data_dir):
    question = next(q for q in EXAM.questions if any(p.kind == "values" for p in q.parts))
    part = next(p for p in question.parts if p.kind == "values")
    app = app_at(question.number)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        fields = list(app.screen.query(f"#part-{part.label} Input"))
        app.screen.set_focus(fields[0])
        await pilot.pause()
        typed = [str(i + 1) for i in range(len(fields))]
        send_at_once(app, *[k for t in typed for k in (t, "enter")])
        await settle(pilot)
        assert [f.value for f in fields] == typed
        assert app.screen.query_one(f"#part-{part.label}", PartView).grade is not None  # the last enter checked


# -- case 6: question 8's work box ------------------------------------------------------------------


async def test_the_work_box_regrades_a_checked_matrix_at_once_and_enter_on_it_checks(data_dir):
    part = EXAM.question(8).parts[0]
    app = app_at(8)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", *"6 8; 9 7", "enter")
        await settle(pilot)
        assert feedback(app, "a").startswith(f"◐ {part.partial_points:g}/6 partial")
        await pilot.press("tab", "space")  # tick: graded again at once
        await settle(pilot)
        work = app.screen.query_one(Checkbox)
        assert work.value and feedback(app, "a") == "✓ 6/6 correct"
        assert stored(data_dir, 8, "a").score == 6.0
        await pilot.press("enter")  # enter on the box checks the part; it does not untick it
        await settle(pilot)
        assert work.value and feedback(app, "a") == "✓ 6/6 correct"
        await pilot.press("space")  # untick: graded again, partial
        await settle(pilot)
        assert not work.value and feedback(app, "a").startswith(f"◐ {part.partial_points:g}/6")
        assert stored(data_dir, 8, "a").score == part.partial_points
    with ProgressStore.open(data_dir) as store:
        assert store.best_scores()[8] == 6.0


async def test_a_resumed_ticked_answer_is_not_graded_again_by_being_shown(data_dir):
    with ProgressStore.open(data_dir) as store:
        a = store.current_attempt()
        store.save_answer(a.id, 8, "a", "6 8; 9 7", score=6.0, points=6.0, status="correct")
    app = app_at(8)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one(Checkbox).value
    rows = sqlite3.connect(data_dir / "progress.sqlite3").execute("SELECT count(*) FROM checks").fetchone()
    assert rows == (1,)


async def test_a_partly_right_check_with_the_work_ticked_comes_back_ticked(data_dir):
    app = app_at(8)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", *"6 8; 9 1", "enter", "tab", "space")  # one cell wrong, then the tick
        await settle(pilot)
        ticked = feedback(app, "a")
        assert ticked.startswith("◐ 4.5/6 partial")  # 3 of 4 cells of the full 6: with the work shown
    record = stored(data_dir, 8, "a")
    assert (record.score, record.work_shown) == (4.5, True)
    app = app_at(8)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one(Checkbox).value  # the tick it was graded with, not the rubric's cap
        assert feedback(app, "a").startswith("◐ 4.5/6 partial")


# -- case 3: a write that fails is said where it happened --------------------------------------------

HOLD_LOCK = """
    import sqlite3, sys, time
    from pathlib import Path
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    print("locked", flush=True)
    while not Path(sys.argv[2]).exists():
        time.sleep(0.01)
    conn.execute("COMMIT")
"""


@pytest.mark.slow
async def test_a_lock_held_by_another_process_is_said_the_screen_stays_responsive_and_it_is_saved_later(
    data_dir, monkeypatch
):
    # long enough that the keys below are answered while the write still waits, on a loaded machine
    # running the suite on every core too (at 1.5 s the wait had ended under load)
    monkeypatch.setattr(progress.opening, "BUSY_TIMEOUT_S", 4.0)
    app = app_at(4)
    release = data_dir.parent / "release"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        holder = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(HOLD_LOCK), str(data_dir / "progress.sqlite3"), str(release)],
            stdout=subprocess.PIPE, text=True,
        )
        try:
            assert holder.stdout.readline().strip() == "locked"
            await pilot.press("tab", "3", "enter")
            await wait_until(pilot, lambda: SAVING in feedback(app, "a"))
            assert feedback(app, "a") == f"✓ 4/4 correct · {SAVING}"  # waiting, and saying so
            await pilot.press("tab", "2")  # the screen answers keys while the write waits
            await pilot.pause()
            assert box(app, "b").value == "2" and SAVING in feedback(app, "a")
            await wait_until(pilot, lambda: SAVING not in feedback(app, "a"))
            line = feedback(app, "a")
            assert line.startswith("✓ 4/4 correct · not saved: locked by another session")
            assert box(app, "a").value == "3"  # the answer stays in the box
            assert stored(data_dir, 4, "a") is None  # and was really not saved
        finally:
            release.touch()
            holder.wait(10)
        await pilot.press("enter")  # the next write: 4(b), and the kept 4(a) before it
        await settle(pilot)
        assert feedback(app, "a") == f"✓ 4/4 correct · {SAVED_NOW}"
        assert feedback(app, "b") == "✓ 4/4 correct"
    assert stored(data_dir, 4, "a").score == 4.0 and stored(data_dir, 4, "b").score == 4.0


class FullDisk:
    """The store's write connection, failing every transaction as a full disk does."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn, self.full = conn, True

    def execute(self, sql: str, *args):
        if self.full and sql.startswith("BEGIN"):
            error = sqlite3.OperationalError("database or disk is full")
            error.sqlite_errorcode = 13  # SQLITE_FULL, as SQLite sets it
            raise error
        return self.conn.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self.conn, name)


async def test_a_full_disk_mid_session_is_said_on_the_line_and_nothing_is_called_saved(data_dir):
    app = app_at(4)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        disk = app.store._conn = FullDisk(app.store._conn)
        await pilot.press("tab", "3", "enter")
        await settle(pilot)
        assert feedback(app, "a").startswith("✓ 4/4 correct · not saved: disk full")
        assert app.store.saving  # no quiet move to memory
        await pilot.press("escape")
        await pilot.press("escape")
        await settle(pilot)
        assert overview_row(app, 4)[3] == "–"  # the overview shows what is stored: nothing yet
        app.open_question(4)  # question 4 again: the kept check is shown, as not saved yet
        await settle(pilot)
        assert box(app, "a").value == "3"
        assert feedback(app, "a").startswith("✓ 4/4 correct") and "not saved: disk full" in feedback(app, "a")
        disk.full = False  # room again: the next write saves the kept one first
        await pilot.press("tab", "tab", "2", "enter")
        await settle(pilot)
        assert feedback(app, "a").endswith(SAVED_NOW)
    assert stored(data_dir, 4, "a").score == 4.0


async def test_a_read_only_file_is_said_on_the_line_and_left_read_only(data_dir, monkeypatch):
    app = app_at(4)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        monkeypatch.setattr(progress.opening, "read_only", lambda path: True)  # what chmod 400 makes it (even for root)
        await pilot.press("tab", "3", "enter")
        await settle(pilot)
        assert "not saved: read-only file" in feedback(app, "a")
        monkeypatch.undo()
        await pilot.press("escape")
        await pilot.press("q")  # quitting saves it now that it can be
        await settle(pilot)
    assert stored(data_dir, 4, "a").score == 4.0


async def test_quitting_with_a_write_still_failing_names_it_on_the_way_out(data_dir, monkeypatch):
    app = app_at(4)
    said = []
    real_exit = app.exit
    app.exit = lambda *args, **kwargs: (said.append(kwargs.get("message")), real_exit(*args, **kwargs))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        monkeypatch.setattr(progress.opening, "read_only", lambda path: True)
        await pilot.press("tab", "3", "enter")
        await settle(pilot)
        await pilot.press("tab", "1", "escape")
        await pilot.press("q")  # something would be lost: it asks, naming it
        await pilot.pause()
        from tutor.screens.confirm import ConfirmScreen

        assert isinstance(app.screen, ConfirmScreen) and not said
        asked = str(app.screen.query_one("#message").render())
        assert "4(a) check, 4(b) draft" in asked and "read-only file" in asked
        await pilot.press("n")  # stay: nothing quits
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen) and not said
        await pilot.press("q", "y")
        await pilot.pause()
    assert app.return_code == 1
    assert said == ["itm528-tutor: not saved (read-only file): 4(a) check, 4(b) draft"]


async def test_a_store_in_memory_says_not_saved_on_every_check():
    app = make_app(data_dir=Path("/proc/itm528-kept-test"), question=4, animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "3", "enter")
        await settle(pilot)
        assert feedback(app, "a") == "✓ 4/4 correct · not saved: this session keeps progress in memory only"


# -- case 2 inside one process: a newer check from another session wins -----------------------------


async def test_a_draft_refused_for_another_sessions_newer_check_shows_that_check(data_dir):
    app = app_at(4)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "tab", "1")  # 4(b) = 1, not checked
        await pilot.pause()
        with ProgressStore.open(data_dir) as other:  # session B checks 4(b) = 2
            other.save_answer(other.current_attempt().id, 4, "b", "2", score=4.0, points=4.0, status="correct")
        app.screen.save_drafts()  # A stores its drafts (as on leaving)
        await settle(pilot)
        assert feedback(app, "b") == f"✓ 4/4 correct · checked in another session · edited since checked · {ELSEWHERE}"
        assert box(app, "b").value == "1"  # A's text stays in A's box, not in the store
        app.screen.save_drafts()  # leaving again (quitting, a hang-up): still not written
        await settle(pilot)
        assert (stored(data_dir, 4, "b").value, stored(data_dir, 4, "b").edited) == ("2", False)
        await pilot.press("0")  # typed after seeing the other check: a draft beside it
        app.screen.save_drafts()
        await settle(pilot)
        assert (stored(data_dir, 4, "b").value, stored(data_dir, 4, "b").score) == ("10", 4.0)
    record = stored(data_dir, 4, "b")
    assert (record.value, record.checked_value, record.score, record.edited) == ("10", "2", 4.0, True)


# -- exam mode and the overview's heading ------------------------------------------------------------


async def test_an_exam_check_says_kept_once_it_is_stored(data_dir):
    with ProgressStore.open(data_dir) as store:
        store.new_attempt("exam", minutes=180)
    app = app_at(4)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "3", "enter")
        await settle(pilot)
        assert feedback(app, "a") == "• kept · graded when you submit the exam"
        assert stored(data_dir, 4, "a").value == "3"


@pytest.mark.parametrize("mode", ["study", "exam"])
async def test_the_overview_names_the_current_attempt_and_its_mode(data_dir, mode):
    with ProgressStore.open(data_dir) as store:
        first = store.current_attempt()
        store.save_answer(first.id, 1, "a", "T", score=1.0, points=1.0, status="correct")
        store.submit(first.id)
        store.new_attempt(mode, minutes=180)
    app = app_at()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        summary = str(app.screen.query_one("#summary").render())
        if mode == "study":
            assert summary.startswith("Attempt 2 · study (current): 0 of 100 points so far")
        else:
            assert summary.startswith("Attempt 2 · exam (current, running): 0 of 10 questions answered in full")


async def test_typing_after_an_exam_check_takes_the_kept_note_away_until_it_is_kept_again(data_dir):
    with ProgressStore.open(data_dir) as store:
        store.new_attempt("exam", minutes=180)
    app = app_at(4)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "3", "enter")
        await settle(pilot)
        assert feedback(app, "a") == "• kept · graded when you submit the exam"
        await pilot.press("4")
        await pilot.pause()
        assert feedback(app, "a") == ""  # "34" is not what was kept
        await pilot.press("enter")
        await settle(pilot)
        assert feedback(app, "a") == "• kept · graded when you submit the exam"
        assert stored(data_dir, 4, "a").value == "34"


async def test_a_box_naming_all_its_values_sent_at_once_with_enter_is_checked(data_dir):
    app = app_at(5)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = app.screen.query_one("#part-b #blank-0", Input)
        app.screen.set_focus(first)
        await pilot.pause()
        send_at_once(app, *"h1=2 h2=-0.5 h3=2 h4=0 o1=0 o2=-1.5", "enter")
        await settle(pilot)
        assert first.value == "h1=2 h2=-0.5 h3=2 h4=0 o1=0 o2=-1.5"
        assert feedback(app, "b").startswith("✓")
