"""Spaced review in the app: the review queue, "Review what is due" and "Set exam date".

The queue is today's due parts, weakest memory first (`tutor.readiness.due_queue` over the store's
cards, `ProgressStore.review_state`), read again each time a part is asked for, so a part just
rated has left it and quitting and coming back resumes it. A due part that has practice (a part of
questions 2, 4(c), 5, 6, 7, 8, 9, as the content's templates say) is shown on fresh numbers from
the practice engine; any other is the exam's own part, answer box empty. Either way its check is a
review of the exam's part's card (`ReviewRecorder`). During a timed exam there is no review (like
practice). The exam date is typed in a dialog and stored (`set_exam_date` replans every card).

fsrs and the practice engine are imported when first needed, never when the app starts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from typing import Any

from textual.app import App

from tutor.controllers.navigator import Navigator
from tutor.exam import ContentError, Exam
from tutor.progress import NotSaved, ProgressStore
from tutor.scoreboard import Paper
from tutor.screens.saving import Saver

CLOSED = "Review waits until the exam is over: submit it first (x on the overview, or ctrl+p)."


class ReviewQueue:
    """The app's review queue and exam date."""

    def __init__(self, app: App[Any], exam: Exam, store: ProgressStore, saver: Saver, navigator: Navigator, *,
                 runs: Callable[[Any], bool], blink: bool = True, now: Callable[[], float] = time.time) -> None:
        self.app, self.exam, self.store, self.saver, self.navigator = app, exam, store, saver, navigator
        self.runs, self.blink, self.now = runs, blink, now
        self.paper = Paper.of(exam)
        store.derivations = self.paper.self_marked

    def queue(self) -> list[Any]:
        """Today's due parts of this exam, weakest memory first (repairs of the cards are said)."""
        from tutor.readiness import due_queue

        state = self.store.review_state(self.now())
        for notice in state.notices:
            self.app.notify(notice, severity="warning", timeout=10)
        parts = self.paper.part_points
        return due_queue({k: v for k, v in state.cards.items() if k in parts}, self.now())

    def open(self) -> None:
        """The first part due today, or why there is none."""
        if self.runs(self.store.current_attempt()):
            self.app.notify(CLOSED, severity="warning")
            return
        self.navigator.save_drafts()
        self.saver.flush()  # a rating still on its way counts: the part just done is not due again
        due = self.queue()
        if not due:
            self.navigator.home()
            self.app.notify("Nothing is due today. Every part you have checked is scheduled for a later day.",
                            title="Review")
            return
        try:
            self.show(due[0].key, len(due))
        except (ValueError, ContentError) as error:
            self.app.notify(str(error), title="No review", severity="error")

    def show(self, key: tuple[int, str], count: int) -> None:
        from tutor.practice import make_variant, practice_parts
        from tutor.review import part_name
        from tutor.screens.recorders import ReviewRecorder
        from tutor.screens.review import ReviewScreen

        number, label = key
        seed = None
        if key in practice_parts(self.exam.content_dir):
            variant = make_variant(number, content_dir=self.exam.content_dir)
            question, seed = variant.question, variant.seed
            numbers = f"fresh numbers (seed {seed})"
        else:
            question, numbers = self.exam.question(number), "the exam's own part"
        part = next(p for p in question.parts if p.label == label)
        left = f"{count} part{'s' if count != 1 else ''} due today"
        heading = f"Review · {part_name(key)} · {numbers} · {left} · v next · esc overview"
        screen = ReviewScreen(self.exam, replace(question, parts=(part,)), ReviewRecorder(
            self.store, self.saver, number, seed), part=label, heading=heading,
            sub_title=f"Review · {left}", blink=self.blink)
        self.navigator.show_question(screen)

    def commands(self) -> Iterator[tuple[str, Callable[[], object], str]]:
        """The command palette's entries: "Set exam date", and "Review what is due (N)" once cards exist."""
        yield ("Set exam date", self.ask_exam_date,
               "The day of your exam: reviews are planned so every part comes due in the last days before it")
        if self.runs(self.store.current_attempt()) or not self.store.has_review_cards():
            return
        yield (f"Review what is due ({len(self.queue())})", self.open,
               "The parts due today, weakest memory first; computational ones with fresh numbers")

    def ask_exam_date(self) -> None:
        from tutor.screens.exam_date import ExamDateDialog

        def chosen(day: date | None) -> None:
            if day is not None:
                self.saver.submit(lambda: self.store.set_exam_date(day), lambda _, error: stored(day, error))

        def stored(day: date, error: BaseException | None) -> None:
            if isinstance(error, NotSaved):
                self.app.notify(f"The exam date is not stored: {error}. Try again in a moment.", severity="error")
                return
            if error is not None:
                raise error
            self.app.notify(f"Exam date: {day:%A %d %B %Y}. Reviews are planned toward it.", title="Exam date")
            self.navigator.scores_changed()

        self.app.push_screen(ExamDateDialog(self.store.exam_date(), date.today(), blink=self.blink), chosen)


def with_exam_date(store: ProgressStore, day: date | None) -> ProgressStore:
    """The store with `day` stored as the exam date (`--exam-date`); one that cannot be stored is said."""
    if day is not None:
        try:
            store.set_exam_date(day)
        except NotSaved as exc:
            store.notices.append(f"The exam date was not stored: {exc}.")
    return store
