"""Exam mode in the app: start it, keep its clock in the header, submit it (the student, or the clock).

The whole paper against the exam's clock (`minutes` of the content, 3 hours). While it runs the
question screen stores answers without grading them and hides model answers, worked steps and the
live editors (it asks `exam_running`). The clock is the stored deadline, not a counter: the header
shows the time left, recomputed each second, and quitting and coming back does not stop it.
Submitting grades every answer with `tutor.exam_session.grade_exam` and shows the results.

The App holds one ExamMode and forwards to it; no grading or arithmetic here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from tutor.exam_session import exam_running, finished_ungraded, format_clock, grade_exam, seconds_left
from tutor.progress import Attempt, NotSaved
from tutor.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from textual.timer import Timer

    from tutor.app import TutorApp
    from tutor.screens.question import QuestionScreen
    from tutor.widgets.answer_inputs import AnswerInput
    from tutor.widgets.part_view import PartView

RULES = (
    "The whole paper against a clock of {length} that starts now. Checking an answer saves it without a "
    "score; model answers, worked steps and the live editors stay hidden until you submit (x on the "
    "overview, or ctrl+p) or time runs out. Quitting does not stop the clock. Your earlier attempts stay."
)
SUBMIT = "{left} left. Everything you typed is graded now, and the exam ends: no more changes."
QUIT = "{left} left. The clock keeps running while you are away; come back to carry on."
KEPT = "• kept · graded when you submit the exam"
UNREADABLE = "? could not read: this would score 0 — {reason}"
NOTHING = "• nothing to keep yet: type your answer first"


def duration(minutes: float) -> str:
    """3 hours, 1 hour, 90 minutes."""
    number, unit = (minutes / 60, "hour") if minutes % 60 == 0 else (minutes, "minute")
    return f"{number:g} {unit}{'' if number == 1 else 's'}"


def draft_work_shown(attempt: Attempt, answer: AnswerInput) -> bool:
    """Whether an answer is stored with the "I wrote out the work" tick until it is graded: in an
    exam attempt (the exam is graded from what is stored; a draft of a study attempt never is)."""
    return attempt.mode == "exam" and answer.work_shown


def keep_ungraded(screen: QuestionScreen, view: PartView) -> None:
    """A check during the exam: store the answer as typed, without a grade, and say only that (once
    it is on disk; until then the recorder says "saving…" or why it is not saved), or, when the
    grader could not read it, that it would score 0 and why (so it can still be fixed)."""
    from tutor.grading import grade  # reads the answer only to say whether it can be read

    answer = view.answer
    if answer.is_blank():
        view.note = NOTHING
        return
    result = grade(view.part, answer.response, work_shown=answer.work_shown)
    unreadable = result.status == "invalid"
    view.set_class(unreadable, "-unreadable")
    screen.recorder.keep(view, UNREADABLE.format(reason=" ".join(result.feedback.split())) if unreadable else KEPT)


class ExamMode:
    """The app's exam: started from the palette, submitted from the palette or the overview."""

    def __init__(self, app: TutorApp) -> None:
        self.app = app
        self.attempt: Attempt | None = None  # the running exam, while one runs
        self.timer: Timer | None = None

    @property
    def running(self) -> bool:
        return self.attempt is not None

    @property
    def time_left(self) -> str:
        return format_clock(seconds_left(self.attempt.deadline)) if self.attempt and self.attempt.deadline else ""

    def resume(self) -> None:
        """On start: grade the exams that ended while the app was closed (showing the newest), and
        carry on the clock of a running one."""
        app = self.app
        ended = finished_ungraded(app.store)
        try:
            for attempt in ended:
                self._say(grade_exam(app.store, app.exam, attempt.id))
        except NotSaved as exc:
            app.notify(f"Your ended exam is not graded yet ({exc}); it is graded the next time you start.",
                       severity="warning", timeout=10)
            ended = []
        current = app.store.current_attempt()
        if exam_running(current):
            self._run(current)
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
            minutes = self.app.exam.minutes
            help = "The whole paper against the clock; answers hidden until the end (asks first)"
            yield f"Start exam mode ({duration(minutes)})", self.start, help

    def start(self) -> None:
        """Ask, explaining the rules, then start an exam attempt with a stored deadline."""
        app = self.app
        if self.running:
            app.notify(f"The exam is running: {self.time_left} left.")
            return
        minutes = app.exam.minutes

        def begin(yes: bool | None) -> None:
            if yes:
                try:
                    attempt = app.store.new_attempt("exam", minutes=minutes)
                except NotSaved as exc:
                    app.notify(f"The exam has not started: {exc}. Try again in a moment.", severity="error")
                    return
                app.action_overview()  # keeps what was typed in the study attempt, shows the new one
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

        self.app.push_screen(ConfirmScreen("Submit the exam?", SUBMIT.format(left=self.time_left), "Submit"), done)

    def asked_before_quitting(self) -> bool:
        """During an exam, ask before quitting (True: the dialog will quit, or not)."""
        if not self.running:
            return False
        if not isinstance(self.app.screen, ConfirmScreen):

            def leave(yes: bool | None) -> None:
                if yes:
                    self.app.leave()

            dialog = ConfirmScreen("Quit during the exam?", QUIT.format(left=self.time_left), "Quit")
            self.app.push_screen(dialog, leave)
        return True

    def finish(self, timed_out: bool = False) -> None:
        """Submit the running exam, grade every answer, and show its results."""
        attempt, app = self.attempt, self.app
        if attempt is None:
            return
        self._stop()
        app.action_overview()  # stores the drafts of the open question first
        app.saver.flush()  # and waits for them: the exam is graded from what is stored
        try:
            app.store.submit(attempt.id)
        except NotSaved as exc:
            if not timed_out:  # (past its deadline it counts as submitted anyway)
                self._run(attempt)
                app.notify(f"Your exam is not submitted: {exc}. Submit again in a moment.", severity="error")
                return
        try:
            self._say(grade_exam(app.store, app.exam, attempt.id))
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
            self.timer = self.app.set_interval(1.0, self._tick)
        self._tick()

    def _stop(self) -> None:
        self.attempt = None
        if self.timer is not None:
            self.timer.stop()
            self.timer = None
        self.app.title = self.app.exam.title
        self.app.screen.refresh_bindings()

    def _tick(self) -> None:
        attempt = self.attempt
        if attempt is None:
            return
        if attempt.deadline is not None and time.time() >= attempt.deadline:
            self.finish(timed_out=True)
            return
        if self.app.store.current_attempt().id != attempt.id:  # submitted or reset in another session
            self._stop()
            return
        self.app.title = f"{self.app.exam.title} · exam: {self.time_left} left"

    def _show_results(self, attempt: Attempt) -> None:
        from tutor.screens.results import ResultsScreen
        from tutor.screens.too_small import cover_if_too_small

        app = self.app
        app.action_overview(save=False)
        app.push_screen(ResultsScreen(app.exam, app.store, attempt.id))
        app.call_after_refresh(lambda: cover_if_too_small(app, app.size))
