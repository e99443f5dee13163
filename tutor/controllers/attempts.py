"""The app's flows on attempts: the current attempt's question screens (with the recorder of its kind:
a study attempt's, or a running exam's), retake, "retake what I got wrong", reset, and the self-marks
given on the results screen. Each asks first where it changes an attempt, writes through the app's
Saver (off the UI thread: a lock held by another session does not freeze the screen), and says what
happened, including a write that could not be saved. The app forwards its messages here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import App

from tutor.controllers.navigator import Navigator
from tutor.exam import Exam
from tutor.progress import NotSaved, ProgressStore
from tutor.progress.reviews import ReviewOf
from tutor.screens.confirm import ConfirmScreen
from tutor.screens.messages import MarkAnswer, OpenQuestion
from tutor.screens.saving import Saver

if TYPE_CHECKING:
    from tutor.screens.question import QuestionScreen

RETAKE = "A new attempt starts with every question open; your earlier attempts stay in the history."
RESET = "This forgets every attempt, answer and score, for good."


class Attempts:
    """The current attempt, its question screens, and the flows that start or end attempts."""

    def __init__(self, app: App[Any], exam: Exam, store: ProgressStore, saver: Saver, navigator: Navigator, *,
                 runs: Callable[[Any], bool], blink: bool = True) -> None:
        self.app, self.exam, self.store, self.saver, self.navigator = app, exam, store, saver, navigator
        self.runs, self.blink = runs, blink  # runs(attempt): an exam still running by the app's clock

    def question_screen(self, number: int) -> QuestionScreen:
        """Question `number` of the current attempt, with the recorder of its kind."""
        from tutor.screens.question import QuestionScreen  # numpy and the live editors: not at start-up
        from tutor.screens.recorders import recorder_for

        attempt = self.store.current_attempt()
        recorder = recorder_for(self.store, self.saver, number, attempt, self.runs(attempt))
        return QuestionScreen(self.exam, self.exam.question(number), recorder, blink=self.blink)

    def retake(self) -> None:
        def asked(yes: bool | None) -> None:
            if yes:
                self.navigator.home()  # (keeps what was typed first: it is written before the attempt)
                self.saver.submit(lambda: self.store.new_attempt("study"), done)

        def done(_: object, error: BaseException | None) -> None:
            if self._went_through(error, "No new attempt"):
                self.navigator.home()
                self.app.notify("A new attempt: every question is open again.")

        self.app.push_screen(ConfirmScreen("Retake the quiz?", RETAKE, "Retake"), asked)

    def reset(self) -> None:
        def asked(yes: bool | None) -> None:
            if yes:
                self.saver.submit(self.store.reset, done)

        def done(_: object, error: BaseException | None) -> None:
            if self._went_through(error, "Nothing was reset"):
                self.navigator.home(save=False)  # what was typed goes too
                self.app.notify("All progress is gone.")

        self.app.push_screen(ConfirmScreen("Reset all progress?", RESET, "Reset"), asked)

    def mark(self, message: MarkAnswer) -> None:
        """Store the student's own mark of an unsure answer like any check, then show the scores again."""
        from tutor.grading import self_mark

        question = self.exam.question(message.question)
        part = next(p for p in question.parts if p.label == message.part)
        result = self_mark(part, message.mark)
        if result.status == "invalid":
            return
        m, store = message, self.store

        def done(_: object, error: BaseException | None) -> None:
            if isinstance(error, NotSaved):  # kept by the store, tried again with the next write
                self.app.notify(f"Your mark of {m.question}({m.part}) is {error}; it is tried again with your next"
                                " change.", severity="warning", timeout=10)
            elif error is not None:
                raise error
            self.navigator.scores_changed()

        mode = next((a.mode for a in store.attempts() if a.id == m.attempt_id), "study")
        how = ReviewOf(mode, self_marked=True)  # the mark is the check: a review of the part's card
        self.saver.submit(lambda: store.save_answer(m.attempt_id, m.question, m.part, m.response, score=result.score,
                                                    points=result.points, status=result.status, review=how), done)

    def retake_what_i_got_wrong(self) -> None:
        """A new study attempt from the last attempt with a checked answer: its parts with full marks are
        carried over; the rest (wrong, partial, waiting for a self-mark, or never answered) are open."""
        app, store = self.app, self.store
        graded = [(a, store.answers(a.id)) for a in store.attempts()]
        graded = [(a, answers) for a, answers in graded if any(r.checked for r in answers.values())]
        if not graded:
            app.notify("Nothing to retake yet: no answer has been checked.", severity="warning")
            return
        last, answers = graded[-1]
        parts = [(q.number, p.label, p.points) for q in self.exam.questions for p in q.parts]

        def full(record: Any, points: float) -> bool:
            return record is not None and record.checked and record.score is not None and record.score >= points - 1e-9

        right = [answers[(q, label)] for q, label, points in parts if full(answers.get((q, label)), points)]
        wrong = [(q, label) for q, label, points in parts
                 if (r := answers.get((q, label))) is not None and r.checked and not full(r, points)]
        blank = [(q, label) for q, label, _ in parts if not ((r := answers.get((q, label))) and r.checked)]
        todo = sorted(wrong + blank, key=lambda key: [(q, label) for q, label, _ in parts].index(key))
        source = f"attempt {last.number} ({last.mode})"
        if not todo:
            app.notify(f"Nothing to retake: every part of {source} was checked right.")
            return
        text = (f"From {source}, the last one with checked answers: a new attempt keeps the {_count(len(right))} "
                f"you got right and opens {_count(len(todo))}. Wrong or short of full marks: {_names(wrong)}. "
                f"Never answered: {_names(blank)}. Attempt {last.number} stays in the history.")

        def start() -> tuple[Any, list[str]]:  # in the app's saving thread: a lock does not freeze the screen
            attempt = store.new_attempt("study")
            failed = []
            for r in right:
                try:
                    store.save_answer(attempt.id, r.question, r.part, r.value, score=r.score, points=r.points,
                                      status=r.status)
                except NotSaved as exc:  # kept by the store and tried again with the next write
                    failed.append(exc.reason)
            return attempt, failed

        def started(value: Any, error: BaseException | None) -> None:
            if not self._went_through(error, "The retake has not started"):
                return
            attempt, failed = value
            self.navigator.home()
            app.post_message(OpenQuestion(todo[0][0]))
            app.notify(f"Retake of {source}: {_names(todo)}. In a question, enter goes to the first open part.",
                       title=f"Attempt {attempt.number}", timeout=10)
            if failed:
                app.notify(f"Not saved yet ({failed[0]}): some of the parts carried over; they are kept and tried"
                           " again with your next change.", severity="warning", timeout=10)

        def retake(yes: bool | None) -> None:
            if yes:
                self.navigator.home()  # (keeps what was typed first)
                self.saver.submit(start, started)

        app.push_screen(ConfirmScreen("Retake what you got wrong?", text, "Retake"), retake)

    def _went_through(self, error: BaseException | None, what: str) -> bool:
        """True if the write went through; one that could not be saved is said."""
        if isinstance(error, NotSaved):
            self.app.notify(f"{what}: {error}. Try again in a moment.", severity="error")
            return False
        if error is not None:
            raise error
        return True


def _count(n: int) -> str:
    return f"{n} part{'s' if n != 1 else ''}"


def _names(keys: list[tuple[int, str]], most: int = 8) -> str:
    """ "none", "4(b), 9(a)", "1(a), 1(b), … and 12 more"."""
    if not keys:
        return "none"
    names = ", ".join(f"{q}({p})" for q, p in keys[:most])
    return names + (f" and {len(keys) - most} more" if len(keys) > most else "")
