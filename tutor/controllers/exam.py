"""Exam mode: start it, keep its clock in the header, submit it (the student, or the clock).

The whole paper against the exam's clock (`minutes` of the content, 3 hours). While it runs the
question screens get an `ExamRecorder` (tutor.screens.recorders): answers are kept without a grade
and model answers, worked steps and the live editors stay hidden. The clock is the stored deadline,
not a counter: the header shows the time left, recomputed each second from `now()` (time.time
unless the app is given another clock, as the tests do), and quitting and coming back does not stop
it. Submitting grades every answer with `tutor.exam_session.grade_exam` and shows the results.

The app holds one ExamController and forwards to it; no grading or arithmetic here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from textual.app import App
from textual.timer import Timer

from tutor.controllers.navigator import Navigator
from tutor.exam import Exam
from tutor.exam_session import (describe_blanks, exam_running, finished_ungraded, format_clock, grade_exam,
                                seconds_left)
from tutor.progress import Attempt, NotSaved, ProgressStore
from tutor.screens.confirm import ConfirmScreen
from tutor.screens.saving import Saver

RULES = (
    "The whole paper against a clock of {length} that starts now. Checking an answer saves it without a "
    "score; model answers, worked steps and the live editors stay hidden until you submit (x on the "
    "overview, or ctrl+p) or time runs out. Quitting does not stop the clock. Your earlier attempts stay."
)
SUBMIT = "{left} left. {blanks} Everything you typed is graded now, and the exam ends: no more changes."
QUIT = "{left} left. The clock keeps running while you are away; come back to carry on."


def duration(minutes: float) -> str:
    """3 hours, 1 hour, 90 minutes."""
    number, unit = (minutes / 60, "hour") if minutes % 60 == 0 else (minutes, "minute")
    return f"{number:g} {unit}{'' if number == 1 else 's'}"


class ExamController:
    """The app's exam: started from the palette, submitted from the palette or the overview."""

    def __init__(self, app: App[Any], exam: Exam, store: ProgressStore, saver: Saver, navigator: Navigator, *,
                 leave: Callable[[], None], now: Callable[[], float] = time.time) -> None:
        self.app, self.exam, self.store, self.saver, self.navigator = app, exam, store, saver, navigator
        self.leave, self.now = leave, now
        self.attempt: Attempt | None = None  # the running exam, while one runs
        self.timer: Timer | None = None

    @property
    def running(self) -> bool:
        return self.attempt is not None

    @property
    def time_left(self) -> str:
        attempt = self.attempt
        return format_clock(seconds_left(attempt.deadline, self.now())) if attempt and attempt.deadline else ""

    def runs(self, attempt: Attempt | None) -> bool:
        """`attempt` is an exam still running by this clock."""
        return exam_running(attempt, self.now())

    def resume(self) -> None:
        """On start: grade the exams that ended while the app was closed (showing the newest), and
        carry on the clock of a running one."""
        app = self.app
        ended = finished_ungraded(self.store)
        try:
            for attempt in ended:
                self._say(grade_exam(self.store, self.exam, attempt.id))
        except NotSaved as exc:
            app.notify(f"Your ended exam is not graded yet ({exc}); it is graded the next time you start.",
                       severity="warning", timeout=10)
            ended = []
        current = self.store.current_attempt()
        if current.mode == "exam" and current.submitted_at is None:
            self._run(current)  # (its first tick submits it if this clock says its time is up)
        if ended:
            last = ended[-1]
            why = "time ran out" if last.submitted_at == last.deadline else "it was submitted"
            app.notify(f"Your exam (attempt {last.number}) has ended: {why}. It is graded.", timeout=10)
            self._show_results(last)

    def commands(self) -> Iterator[tuple[str, Callable[[], object], str]]:
        """The command palette's exam entry: start one, or submit the running one."""
        if self.running:
            help = f"Hand it in now and see your score ({self.time_left} left; asks first)"
            yield "Submit the exam", self.submit, help
        else:
            minutes = self.exam.minutes
            help = "The whole paper against the clock; answers hidden until the end (asks first)"
            yield f"Start exam mode ({duration(minutes)})", self.start, help

    def start(self) -> None:
        """Ask, explaining the rules, then start an exam attempt with a stored deadline."""
        app = self.app
        if self.running:
            app.notify(f"The exam is running: {self.time_left} left.")
            return
        minutes = self.exam.minutes

        def begin(yes: bool | None) -> None:
            if yes:
                try:
                    attempt = self.store.new_attempt("exam", minutes=minutes)
                except NotSaved as exc:
                    app.notify(f"The exam has not started: {exc}. Try again in a moment.", severity="error")
                    return
                self.navigator.home()  # keeps what was typed in the study attempt, shows the new one
                self._run(attempt)
                app.notify(f"The exam has begun: {self.time_left} left. Good luck.")

        rules = RULES.format(length=duration(minutes))
        app.push_screen(ConfirmScreen(f"Start exam mode ({duration(minutes)})?", rules, "Start"), begin)

    def submit(self) -> None:
        """Ask, then submit and grade."""
        if not self.running:
            self.app.notify("No exam is running: start one from ctrl+p.", severity="warning")
            return

        def done(yes: bool | None) -> None:
            if yes and self.running:
                self.finish()

        self.navigator.save_drafts()  # what is in the open question's boxes counts as typed
        self.saver.flush()
        blanks = describe_blanks(self.exam, self.store.answers(self.attempt.id))  # type: ignore[union-attr]
        message = SUBMIT.format(left=self.time_left, blanks=blanks)
        self.app.push_screen(ConfirmScreen("Submit the exam?", message, "Submit"), done)

    def asked_before_quitting(self) -> bool:
        """During an exam, ask before quitting (True: the dialog will quit, or not)."""
        if not self.running:
            return False
        if not isinstance(self.app.screen, ConfirmScreen):  # (q in another dialog does not stack a second)

            def leave(yes: bool | None) -> None:
                if yes:
                    self.leave()

            self.app.push_screen(ConfirmScreen("Quit during the exam?", QUIT.format(left=self.time_left), "Quit"),
                                 leave)
        return True

    def finish(self, timed_out: bool = False) -> None:
        """Submit the running exam, grade every answer, and show its results."""
        attempt, app = self.attempt, self.app
        if attempt is None:
            return
        self._stop()
        self.navigator.home()  # stores the drafts of the open question first
        self.saver.flush()  # and waits for them: the exam is graded from what is stored
        try:
            self.store.submit(attempt.id)
        except NotSaved as exc:
            if not timed_out:  # (past its deadline it counts as submitted anyway)
                self._run(attempt)
                app.notify(f"Your exam is not submitted: {exc}. Submit again in a moment.", severity="error")
                return
        try:
            self._say(grade_exam(self.store, self.exam, attempt.id))
        except NotSaved as exc:
            app.notify(f"Your exam is submitted, but its grades are not saved ({exc}); it is graded the next"
                       " time you start.", severity="warning", timeout=10)
        self._show_results(attempt)
        if timed_out:
            app.notify("Time is up: your exam was submitted and graded.", severity="warning", timeout=10)

    def _say(self, problems: list[str]) -> None:
        """Answers the grader failed on: never silent (each line names the part and what failed)."""
        for problem in problems:
            self.app.notify(f"Grading error: {problem}. Please report it.", severity="error", timeout=30)

    # -- the clock ---------------------------------------------------------------------------------

    def _run(self, attempt: Attempt) -> None:
        self.attempt = attempt
        if self.timer is None:
            self.timer = self.app.set_interval(1.0, self.tick)
        self.tick()

    def _stop(self) -> None:
        self.attempt = None
        if self.timer is not None:
            self.timer.stop()
            self.timer = None
        self.app.title = self.exam.title
        self.app.screen.refresh_bindings()

    def tick(self) -> None:
        """Once a second: the time left in the header; at the deadline (by `now`), submit."""
        attempt = self.attempt
        if attempt is None:
            return
        if attempt.deadline is not None and self.now() >= attempt.deadline:
            self.finish(timed_out=True)
            return
        if self.store.current_attempt().id != attempt.id:  # submitted or reset in another session
            self._stop()
            return
        self.app.title = f"{self.exam.title} · exam: {self.time_left} left"

    def _show_results(self, attempt: Attempt) -> None:
        from tutor.screens.too_small import cover_if_too_small

        app = self.app
        self.navigator.show_results(attempt.id, save=False)
        app.call_after_refresh(lambda: cover_if_too_small(app, app.size))
