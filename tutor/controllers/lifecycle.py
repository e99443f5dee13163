"""The app's start and end as flows: opening where the student left off (or where the command line
said), and leaving with every write finished and anything still not saved named.

Start: the handlers of a hang-up or a terminal gone (tutor.signals), then, above the overview
(the app's default screen, already composed), the review queue (`itm528-tutor review`) or the question (or practice problem) asked for or last worked on, the store's notices, then exam mode's
resume (which grades exams that ended while the app was closed
and shows their results on top). Leave: the question screen's drafts, then every queued write, on
this thread (quitting, a hang-up, a terminal that has gone); during an exam quitting asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App

from tutor.controllers.attempts import Attempts
from tutor.controllers.exam import ExamController
from tutor.controllers.navigator import Navigator
from tutor.controllers.practice import Practice
from tutor.controllers.review import ReviewQueue
from tutor.progress import NotSaved, ProgressStore
from tutor.screens.messages import OpenPractice
from tutor.screens.saving import Saver


class Lifecycle:
    """Starting and leaving the app."""

    def __init__(self, app: App[Any], store: ProgressStore, saver: Saver, navigator: Navigator,
                 exam_mode: ExamController, attempts: Attempts, practice: Practice, *, question: int | None = None,
                 seed: int | None = None, review: ReviewQueue | None = None) -> None:
        self.app, self.store, self.saver, self.navigator = app, store, saver, navigator
        self.exam_mode, self.attempts, self.practice = exam_mode, attempts, practice
        self.question, self.seed = question, seed  # where to start (with a seed: that practice problem)
        self.review = review  # start on the review queue (`itm528-tutor review`)
        self._unwatch: list[Callable[[], None]] = []

    def start(self) -> bool:
        """Show the first screens; False if the store cannot be read at all (the app has exited)."""
        from tutor.signals import leave_on_signals, watch_terminal

        app, store, question, seed = self.app, self.store, self.question, self.seed
        self._unwatch = [leave_on_signals(app, self.finish_writes),  # SIGHUP, SIGTERM
                         watch_terminal(app, self.finish_writes)]  # the terminal gone without a signal
        try:
            attempt = store.current_attempt()
        except NotSaved as exc:  # a first start while another session holds the file's lock
            app.exit(return_code=1, message=f"itm528-tutor: cannot start: {exc}; try again in a moment")
            return False
        number = question
        if number is None and store.answers(attempt.id):
            number = attempt.current_question  # resume where the student left off
        if self.review is not None:
            self.review.open()
        elif seed is not None and number is not None:
            self.practice.open(OpenPractice(number, seed))
        elif number is not None and any(q.number == number for q in self.attempts.exam.questions):
            self.navigator.show_question(self.attempts.question_screen(number))
        for notice in store.notices:
            app.notify(notice, severity="warning", timeout=10)
        self.exam_mode.resume()
        return True

    def end(self) -> None:
        """The app is unmounting: no more signal handling; the last writes; the store closed."""
        for unwatch in self._unwatch:
            unwatch()
        self.saver.flush()
        self.store.close()

    def quit(self) -> None:
        """Quit at once when nothing would be lost; ask first during an exam (its clock runs on) or
        when a write could still not be saved."""
        self.navigator.save_drafts()
        if self.exam_mode.asked_before_quitting():
            return
        self.finish_writes()
        unsaved = self.store.unsaved()
        if not unsaved:
            self.leave()
            return
        from tutor.screens.confirm import ConfirmScreen

        if isinstance(self.app.screen, ConfirmScreen):  # (q in another dialog does not stack a second)
            return
        names = ", ".join(u.describe() for u in unsaved)
        message = f"Not saved ({unsaved[-1].reason}): {names}. Quitting now loses it; stay and it is tried again."

        def leave(yes: bool | None) -> None:
            if yes:
                self.leave()

        self.app.push_screen(ConfirmScreen("Quit without saving?", message, "Quit"), leave)

    def leave(self) -> None:
        """Quit once every write is done; what could still not be saved is named on the way out."""
        self.finish_writes()
        unsaved = self.store.unsaved()
        names = ", ".join(u.describe() for u in unsaved)
        message = f"itm528-tutor: not saved ({unsaved[-1].reason}): {names}" if unsaved else None
        self.app.exit(return_code=1 if unsaved else 0, message=message)

    def finish_writes(self) -> None:
        """The drafts, then every queued write, now (the app is ending)."""
        self.navigator.save_drafts()
        self.saver.flush()
