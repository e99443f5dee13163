"""Practice in the app: practice screens (a question screen on a drawn variant, with a
PracticeRecorder) and the practice commands ("Practise: question N", "Practise what I missed" for a
student without review cards yet (then "Review what is due", tutor.controllers.review, takes its
place), "Retake what I got wrong"). They choose with `tutor.practice` and show screens through the
navigator. During a timed exam there is no practice (its steps would show the method).

The practice engine loads numpy and the solver, so it is imported where it is first needed, never
when the app starts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from textual.app import App

from tutor.controllers.attempts import Attempts
from tutor.controllers.navigator import Navigator
from tutor.exam import ContentError, Exam
from tutor.progress import ProgressStore
from tutor.screens.messages import OpenPractice
from tutor.screens.saving import Saver

CLOSED = "Practice waits until the exam is over: submit it first (x on the overview, or ctrl+p)."


class Practice:
    """The app's practice problems."""

    def __init__(self, app: App[Any], exam: Exam, store: ProgressStore, saver: Saver, navigator: Navigator,
                 attempts: Attempts, *, runs: Callable[[Any], bool], blink: bool = True) -> None:
        self.app, self.exam, self.store, self.saver, self.navigator = app, exam, store, saver, navigator
        self.attempts, self.runs, self.blink = attempts, runs, blink

    def closed(self) -> bool:
        """During a timed exam there is no practice: said, and True."""
        if self.runs(self.store.current_attempt()):
            self.app.notify(CLOSED, severity="warning")
            return True
        return False

    def open(self, message: OpenPractice) -> None:
        """Show the practice problem `message` asks for, in place of a question screen on top."""
        from tutor.practice import make_variant
        from tutor.screens.practice import PracticeScreen
        from tutor.screens.recorders import PracticeRecorder

        if self.closed():
            return
        try:
            variant = make_variant(message.number, message.seed, content_dir=self.exam.content_dir)
        except (ValueError, ContentError) as error:
            self.app.notify(str(error), title="No practice", severity="error")
            return
        recorder = PracticeRecorder(self.store, self.saver, variant.number, variant.seed)
        self.navigator.show_question(PracticeScreen(self.exam, variant, recorder, part=message.part, blink=self.blink))

    def commands(self) -> Iterator[tuple[str, Callable[[], object], str]]:
        """The command palette's practice entries (title, callback, help), for tutor.commands."""
        from tutor.practice.catalog import practice_questions

        if self.runs(self.store.current_attempt()):
            return  # no practice during a timed exam
        titles = {q.number: q.title for q in self.exam.questions}
        for number in practice_questions(self.exam.content_dir):
            if number in titles:
                yield (f"Practise: question {number} (new numbers)",
                       partial(self.app.post_message, OpenPractice(number)),
                       f"{titles[number]}: new numbers, graded by the solver")
        if not self.store.has_review_cards():  # a new student; once cards exist: "Review what is due"
            yield ("Practise what I missed", self.what_i_missed, "New numbers for the part with your lowest recent scores")
        yield ("Retake what I got wrong", self.retake_wrong,
               "A new attempt with your right parts kept and the wrong ones open again")

    def what_i_missed(self) -> None:
        """The weakest part by recent practice and this attempt's checks, as a new practice problem."""
        from tutor.practice import practice_parts, weakest_parts

        if self.closed():
            return
        store, app = self.store, self.app
        answers = store.answers(store.current_attempt().id)
        practice = store.practice_results()
        try:
            weakest = weakest_parts(practice, answers, limit=1, parts=practice_parts(self.exam.content_dir))
        except ContentError as error:
            app.notify(str(error), title="No practice", severity="error")
            return
        if not weakest:
            app.notify("There is no practice to choose from.", severity="warning")
            return
        number, label = weakest[0]
        record = answers.get((number, label))
        tried = any((r["question"], r["part"]) == (number, label) for r in practice) or (
            record is not None and record.score is not None)
        why = "your lowest recent score" if tried else "not tried yet"
        app.notify(f"Practising question {number}({label}): {why}.", title="Practise what I missed")
        app.post_message(OpenPractice(number, part=label))

    def retake_wrong(self) -> None:
        if not self.closed():
            self.attempts.retake_what_i_got_wrong()
