"""One recorder per kind of session, handed to the question screen by the app's controllers: what a
check, a draft, a reveal and the worked steps become.

- `AttemptRecorder`: a study attempt. A check is graded and stored at once; drafts, reveals, step
  positions and the place to resume are kept too.
- `ExamRecorder`: a running exam. A check keeps the answer as typed, without a grade (graded when
  the exam is submitted, by tutor.exam_session), with the "I wrote out the work" tick; the PartView
  shows it kept, or that it could not be read and would score 0, and why (so it can still be fixed).
- `PracticeRecorder`: a practice problem. A check is a practice result with its seed; nothing else
  of it is kept (no drafts, no reveals, no place to resume: new numbers are the point).
- `ReviewRecorder`: a part of the review queue, on fresh numbers or the exam's own.

Every check with a score is also a review of the exam part's card (`tutor.progress.reviews`),
written with it: source "study", "practice" or "review"; an exam's are made when it is graded.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tutor.exam_session import UNSURE
from tutor.grading import Grade, grade
from tutor.progress import AnswerRecord, Attempt, ProgressStore, Unsaved
from tutor.progress.reviews import ReviewOf
from tutor.screens.recording import NOT_SAVED, SAVING, Recorder, Retried, pending
from tutor.screens.saving import Saver
from tutor.widgets.part_view import NOTHING_TO_KEEP, Kept, PartView


class AttemptRecorder(Recorder):
    """A study attempt's question: checks, drafts, reveals, steps and where to resume."""

    def records(self, labels: Iterable[str]) -> dict[str, AnswerRecord | None]:
        """The stored rows of the question's parts, with what still waits to reach the file on top."""
        stored = self.store.answers(self.attempt.id)
        found: dict[str, AnswerRecord | None] = {}
        for label in labels:
            record = found[label] = stored.get((self.number, label))
            if record is not None:
                self.seen[label], self.saved[label] = record.version, record.value
                if record.checked:
                    self.checked[label] = record.checked_value
        for unsaved in self.saver.unsaved(self.attempt.id, self.number):
            label = unsaved.part or ""
            if label not in found or unsaved.kind not in ("check", "draft"):
                continue
            found[label] = pending(found[label], unsaved, self.number)
            if unsaved.kind == "check":
                self.checked[label] = unsaved.response
            self.saved[label] = unsaved.response
            self.waiting[label] = NOT_SAVED.format(reason=unsaved.reason) if unsaved.reason else SAVING
        return found

    def _store_check(self, view: PartView, response: Any, result: Grade, how: ReviewOf) -> None:
        """A re-check replaces the score (Best keeps the best one); an unsure one has no score yet.
        A check with a score is also a review of the part's card, in the same write."""
        label, number = view.part.label, self.number
        score = None if result.status == UNSURE else result.score
        shown = view.answer.work_shown  # what it was graded with
        self.checked[label] = self.saved[label] = response
        view.edited = False
        what = Unsaved(self.attempt.id, number, label, "check", response, score, result.points, result.status,
                       work_shown=shown)
        self._write(view, lambda a: self.store.save_answer(a, number, label, response, score=score,
                                                           points=result.points, status=result.status,
                                                           work_shown=shown, review=how), [what])

    def draft(self, views: Iterable[PartView]) -> None:
        self._drafts(views)

    def _drafts(self, views: Iterable[PartView], kept: Kept | None = None) -> None:
        drafts: dict[str, tuple[Any, str, int | None, bool]] = {}
        by_label = {}
        for view in views:
            label, answer = view.part.label, view.answer
            response = answer.response
            if response == self.saved.get(label) and kept is None:
                continue
            if answer.is_blank() and label not in self.saved:
                continue  # nothing was ever typed here
            drafts[label] = (response, "typed", self.seen.get(label), self._work_shown(answer))
            by_label[label] = view
        if not drafts:
            if self.store.unsaved():  # nothing new, but earlier writes wait: try them again now
                self._write(None, lambda _: Retried(self.store.retry()), [])
            return
        for label, (response, *_) in drafts.items():
            self.saved[label] = response
        number = self.number
        what = [Unsaved(self.attempt.id, number, label, "draft", d[0], status=d[1], work_shown=d[3])
                for label, d in drafts.items()]
        self._write(None, lambda a: self.store.save_drafts(a, number, drafts), what, kept=kept,
                    views=list(by_label.values()))

    def _work_shown(self, answer: Any) -> bool:
        return False  # a study attempt's draft is never graded from the store: the tick is not kept

    def reveal(self, label: str) -> None:
        self._mark(label, "revealed", revealed=True)

    def steps(self, label: str, shown: int) -> None:
        self._mark(label, "steps", steps_shown=shown)

    def _mark(self, label: str, kind: str, **marks: Any) -> None:
        """Kept and retried quietly if it cannot be written."""
        number = self.number
        what = Unsaved(self.attempt.id, number, label, kind)
        self._write(None, lambda a: self.store.mark(a, number, label, **marks), [what])

    def place(self) -> None:
        number = self.number
        what = Unsaved(self.attempt.id, number, None, "current")
        self._write(None, lambda a: self.store.set_current_question(a, number), [what])


class ExamRecorder(AttemptRecorder):
    """A running exam's question: a check keeps the answer ungraded; nothing is revealed."""

    exam = True

    def check(self, view: PartView) -> Grade | None:
        """Store the answer as typed now, without a grade, and say only that once it is on disk
        (until then "saving…" or why it is not saved), or, when the grader could not read it, that
        it would score 0 and why. The grader reads it only to tell."""
        answer = view.answer
        if answer.is_blank():
            view.note = NOTHING_TO_KEEP
            return None
        result = grade(view.part, answer.response, work_shown=answer.work_shown)
        unreadable = " ".join(result.feedback.split()) if result.status == "invalid" else ""
        self._drafts([view], Kept(unreadable))
        return None

    def _work_shown(self, answer: Any) -> bool:
        return answer.work_shown  # the exam is graded from what is stored, tick included

    def self_mark(self, view: PartView, mark: str) -> Grade | None:
        return None  # nothing is graded during the exam, so nothing waits for a mark

    def regrades_on_tick(self, view: PartView) -> bool:
        """A kept answer is kept again with the tick as it is now."""
        return view.part.label in self.saved or super().regrades_on_tick(view)


class PracticeRecorder(Recorder):
    """A practice problem: a check with a score is a practice result with the seed."""

    source = "practice"

    def __init__(self, store: ProgressStore, saver: Saver, number: int, seed: int) -> None:
        super().__init__(store, saver, number, None)  # practice belongs to no attempt
        self.seed = self.review_seed = seed

    def _store_check(self, view: PartView, response: Any, result: Grade, how: ReviewOf) -> None:
        """A practice result, and a review of the exam's part of the same label, in one write."""
        label, number, seed = view.part.label, self.number, self.seed
        self.checked[label] = response
        view.edited = False
        if result.score is None or result.status == UNSURE:
            return  # nothing to count until the student marks it
        what = Unsaved(None, number, label, "practice", seed, result.score, result.points)
        self._write(view, lambda _: self.store.save_practice(number, label, seed, result.score, result.points,
                                                             review=how), [what])


class ReviewRecorder(PracticeRecorder):
    """The review queue's problem: a check is a review of the exam's part (source "review"). On fresh
    numbers (`seed`) it is also a practice result; on the exam's own numbers (`seed` None) only the
    review is kept (no attempt is touched)."""

    source = "review"

    def __init__(self, store: ProgressStore, saver: Saver, number: int, seed: int | None) -> None:
        Recorder.__init__(self, store, saver, number, None)
        self.seed = self.review_seed = seed  # type: ignore[assignment]

    def _store_check(self, view: PartView, response: Any, result: Grade, how: ReviewOf) -> None:
        if self.seed is not None:
            super()._store_check(view, response, result, how)
            return
        label, number = view.part.label, self.number
        self.checked[label] = response
        view.edited = False
        if result.score is None or result.status == UNSURE:
            return
        what = Unsaved(None, number, label, "review", None, result.score, result.points)
        self._write(view, lambda _: self.store.save_review(number, label, result.score, result.points, how), [what])


def recorder_for(store: ProgressStore, saver: Saver, number: int, attempt: Attempt, running: bool) -> Recorder:
    """The recorder of question `number` in `attempt`: an exam's while it runs, else a study attempt's."""
    return (ExamRecorder if running else AttemptRecorder)(store, saver, number, attempt)
