"""How a question screen's work reaches the progress store, whatever the session: the writing and
saying that every recorder shares (tutor.screens.recorders has one recorder per kind of session:
an attempt, an exam, a practice problem).

Every write goes through the app's `Saver` (off the UI thread when a lock is in the way) and its
outcome is said on the part's feedback line: "saving…" while a write waits, "not saved: <reason>"
when it failed (the answer stays in the box; the store tries it again with the next write), "saved
now" when a failed one reached the file at last. A recorder also keeps, per part, what this screen
last saw of the stored row (its version, for the store's compare-and-set on drafts) and what was
last checked (for "edited since checked"). A draft the store kept out because another session
checked the part meanwhile shows that newer check.

The screen calls `check`, `self_mark`, `draft`, `reveal`, `steps` and `place`; the recorder grades
(with tutor.grading), shows the result through the PartView's reactives, and stores what its kind of
session keeps. It never imports a screen (the one it is attached to is a plain Textual Screen here).
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tutor.grading import Grade, grade, self_mark
from tutor.progress import AnswerRecord, Attempt, NotSaved, ProgressStore, Saved, UnknownAttempt, Unsaved
from tutor.progress.reviews import ReviewOf
from tutor.screens.messages import Recorded
from tutor.screens.saving import Saver

if TYPE_CHECKING:
    from textual.screen import Screen

    from tutor.widgets.part_view import Kept, PartView

SAVING = "saving…"
NOT_SAVED = "not saved: {reason} · tried again with your next check, or when you leave"
MEMORY = "not saved: this session keeps progress in memory only"
SAVED_NOW = "saved now"
ELSEWHERE = "checked in another session since you opened this; what you typed here was not saved"
SHOW_SAVING_AFTER_S = 0.15  # a write that is quicker shows no "saving…" at all
_tokens = itertools.count(1)


class Recorder:
    """The writes of one question screen. Subclasses say what a check stores (`_store_check`) and
    what else their session keeps; this base keeps nothing else (no drafts, reveals or place)."""

    exam = False  # True: checks are kept without a grade, and answers, steps and editors stay hidden
    source = "study"  # where a check is made, as its review says (tutor.progress.reviews.SOURCES)
    review_seed: int | None = None  # the practice numbers a check was made on

    def __init__(self, store: ProgressStore, saver: Saver, number: int, attempt: Attempt | None) -> None:
        self.store, self.saver, self.number, self.attempt = store, saver, number, attempt
        self.screen: Screen[Any] | None = None  # the question screen, once attached
        self.seen: dict[str, int | None] = {}  # part -> the row version this screen last saw
        self.checked: dict[str, Any] = {}  # part -> what was last checked
        self.saved: dict[str, Any] = {}  # part -> what the store holds (or will) for the box
        self.waiting: dict[str, str] = {}  # part -> why what it shows is not on disk yet
        self._writes: dict[str, int] = {}  # part -> the write whose "saving…" may show
        self._refused: dict[str, int] = {}  # part -> the version of the newer check that kept a draft out
        self._kept: dict[str, Kept] = {}  # part -> the kept state its last write left (an exam's)

    def attach(self, screen: Screen[Any]) -> None:
        self.screen = screen

    # -- reading -------------------------------------------------------------------------------------

    def records(self, labels: Iterable[str]) -> dict[str, AnswerRecord | None]:
        """What the parts start from (nothing here: a fresh problem)."""
        return {label: None for label in labels}

    def shown(self, view: PartView) -> None:
        """After the part is on screen: "edited since checked" and what is not saved yet."""
        label = view.part.label
        view.edited = label in self.checked and view.answer.response != self.checked[label]
        view.note = self.waiting.get(label, "")

    def typed(self, view: PartView) -> None:
        """The box changed: is it still what was checked? Typed after a newer check from another
        session was shown, it is a draft beside that check (the student has seen it)."""
        label = view.part.label
        if label in self._refused:
            self.seen[label] = self._refused.pop(label)
        view.edited = label in self.checked and view.answer.response != self.checked[label]
        if view.note in (SAVED_NOW, ELSEWHERE):
            view.note = ""
        if view.kept is not None:
            view.kept = None  # what is in the box now is not what was kept

    def changed_since_check(self, view: PartView) -> bool:
        return view.answer.response != self.checked.get(view.part.label)

    def regrades_on_tick(self, view: PartView) -> bool:
        """Whether ticking "I wrote out the work" checks the part again (it was checked)."""
        return view.grade is not None and view.grade.status != "invalid"

    # -- what the screen asks for --------------------------------------------------------------------

    def check(self, view: PartView) -> Grade | None:
        """Grade the part's answer, show it, and store it unless it could not be read. An unsure
        one is a check with no score until the student marks it. None: nothing was graded."""
        answer = view.answer
        response = answer.response
        how = self.review_of(view, self_marked=view.part.kind == "derivation")  # (before the grade shows)
        result = grade(view.part, response, work_shown=answer.work_shown)
        view.grade = result
        if result.status != "invalid":
            self._store_check(view, response, result, how)
        return result

    def self_mark(self, view: PartView, mark: str) -> Grade | None:
        """The student's own mark of an answer the grader was unsure of, stored like any check."""
        result = self_mark(view.part, mark)
        if result.status == "invalid":
            return None
        view.grade = result
        self._store_check(view, view.answer.response, result, self.review_of(view, self_marked=True))
        return result

    def review_of(self, view: PartView, *, self_marked: bool) -> ReviewOf:
        """How a check of `view` counts as a review of its card (tutor.progress.reviews): Again if the
        worked steps were shown before it, or the model answer (but marking oneself against the model
        answer is what a self-mark is: there the model answer does not count)."""
        steps = view.step_reveal.shown if view.step_reveal is not None else 0
        seen = steps > 0 or (view.revealed and not self_marked)
        return ReviewOf(self.source, self_marked=self_marked, answer_seen=seen, seed=self.review_seed)

    def draft(self, views: Iterable[PartView]) -> None:
        """Store what was typed and not checked (the screen is being left, or the app quits)."""

    def reveal(self, label: str) -> None:
        """Remember that the part's model answer was revealed."""

    def steps(self, label: str, shown: int) -> None:
        """Remember how many worked steps of the part are shown."""

    def place(self) -> None:
        """Remember this question as the place to resume."""

    def _store_check(self, view: PartView, response: Any, result: Grade, how: ReviewOf) -> None:
        raise NotImplementedError

    # -- writing -------------------------------------------------------------------------------------

    def _write(self, view: PartView | None, work: Callable[[int], Any], what: list[Unsaved], *,
               kept: Kept | None = None, views: list[PartView] | None = None, again: bool = True) -> None:
        views = views if views is not None else [view] if view is not None else []
        token = next(_tokens)
        for v in views:
            self._writes[v.part.label] = token
        if views and self.screen is not None:
            self.screen.set_timer(SHOW_SAVING_AFTER_S, lambda: self._show_saving(views, token))
        attempt_id = self.attempt.id if self.attempt is not None else 0

        def done(value: Any, error: BaseException | None) -> None:
            self._done(views, token, work, what, value, error, kept, again)

        self.saver.submit(lambda: work(attempt_id), done, what)

    def _show_saving(self, views: list[PartView], token: int) -> None:
        for view in views:
            if self._writes.get(view.part.label) == token and view.is_attached:
                view.note = SAVING

    def _done(self, views: list[PartView], token: int, work: Callable[[int], Any], what: list[Unsaved],
              value: Any, error: BaseException | None, kept: Kept | None, again: bool) -> None:
        for view in views:
            if self._writes.get(view.part.label) == token:
                del self._writes[view.part.label]
        if isinstance(error, UnknownAttempt) and again:  # another session reset the progress
            try:
                self.attempt = self.store.current_attempt()
            except NotSaved as exc:
                self._say(views, what, NOT_SAVED.format(reason=exc.reason))
                return
            self._notify("Your progress was reset elsewhere; this is a new attempt.", severity="warning")
            what = [replace(u, attempt_id=self.attempt.id) for u in what]
            self._write(None, work, what, kept=kept, views=views, again=False)
            return
        if isinstance(error, NotSaved):
            self._say(views, what, NOT_SAVED.format(reason=error.reason))
            return
        if error is not None:
            raise error
        if isinstance(value, Retried):
            self._say_retried(list(value))
            return
        results = value if isinstance(value, dict) else {u.part: value for u in what[:1]}
        retried: list[Unsaved] = []
        labels = {v.part.label for v in views}
        for label, saved in results.items():
            if isinstance(saved, Saved):
                retried += [u for u in saved.retried if u not in retried]
                self._saved(label, saved, kept, label in labels)
        self._say_retried(retried)
        for notice in self.store.review_notices():  # a review card repaired on the way
            self._notify(notice, severity="warning", timeout=10)
        if any(u.kind in ("check", "practice", "review") for u in what):
            self.saver.app.post_message(Recorded(self.number))  # a screen below may show its score

    def _saved(self, label: str | None, saved: Saved, kept: Kept | None, noted: bool) -> None:
        """A write went through: remember the row's version; say so on the part it was for."""
        view = self._view(label)
        if label is None:
            return
        if saved.row is not None:
            self.seen[label] = saved.version
        if not saved.written and saved.record is not None:  # a newer check from another session won
            record = saved.record  # (what was sent stays "saved": the same text is not sent again)
            self._refused[label] = record.version  # seen once the student types after seeing it
            self.checked[label] = record.checked_value
            if view is None:
                self._notify(f"{self.number}({label}): another session checked it meanwhile; its check was "
                             "kept and what you typed here was not saved.", severity="warning", timeout=10)
                return
            if record.score is not None:
                view.grade = Grade(record.score, record.points or view.part.points, record.status,
                                   "checked in another session")
            view.edited = view.answer.response != record.checked_value
            view.note = ELSEWHERE
            return
        if view is not None and noted:
            view.note = "" if saved.durable else MEMORY
            if kept is not None and saved.durable:
                view.kept = kept

    def _say(self, views: list[PartView], what: list[Unsaved], text: str) -> None:
        shown = [v for v in views if v.is_attached]
        for view in shown:
            view.note = text
        if not shown and any(u.kind in ("check", "draft", "practice") for u in what):
            names = ", ".join(u.describe() for u in what)
            self._notify(f"{text.split(' · ')[0]}: {names}. It is kept and tried again with your next change.",
                         severity="warning", timeout=10)

    def _say_retried(self, retried: list[Unsaved]) -> None:
        elsewhere = []
        for unsaved in retried:
            if unsaved.kind not in ("check", "draft", "practice"):
                continue
            view = self._view(unsaved.part) if unsaved.question == self.number else None
            if view is not None:
                if view.note.startswith("not saved") or view.note == SAVING:
                    view.note = SAVED_NOW
            else:
                elsewhere.append(unsaved.describe())
        if elsewhere:
            self._notify(f"Saved now: {', '.join(elsewhere)}.", timeout=6)

    def _notify(self, message: str, **kwargs: Any) -> None:
        self.saver.app.notify(message, **kwargs)

    def _view(self, label: str | None) -> PartView | None:
        from tutor.widgets.part_view import PartView

        screen = self.screen
        if label is None or screen is None or not screen.is_attached:
            return None
        found = [v for v in screen.query(PartView) if v.part.label == label]
        return found[0] if found else None


class Retried(tuple):
    """The kept writes that a retry brought to the file."""


def pending(record: AnswerRecord | None, unsaved: Unsaved, number: int) -> AnswerRecord:
    """The row as it will be once `unsaved` (a check or a draft still on its way) reaches the file."""
    base = record or AnswerRecord(number, unsaved.part or "", "null", None, 0.0, "typed", None, False, 0)
    text = json.dumps(unsaved.response, ensure_ascii=False)
    if unsaved.kind == "check":
        return replace(base, response=text, score=unsaved.score, points=unsaved.points, status=unsaved.status,
                       checked_at=time.time(), checked_response=text, draft=None, work_shown=unsaved.work_shown)
    return replace(base, response=text, draft=text, status=base.status if base.checked else unsaved.status,
                   work_shown=unsaved.work_shown)
