"""How a question screen's work reaches the progress store: checks, drafts, reveals, step positions
and where to resume, each written through the app's `Saver` (off the UI thread) and its outcome said
on the part's feedback line: "saving…" while a write waits, "not saved: <reason>" when it failed
(the answer stays in the box; the store tries it again with the next write), "saved now" when a
failed one reached the file at last.

A `Recorder` also keeps, per part, what this screen last saw of the stored row (its version, for the
store's compare-and-set on drafts) and what was last checked (for "edited since checked"). A draft
the store kept out because another session checked the part meanwhile shows that newer check.
`PracticeRecorder` stores checks as practice results and nothing else. No grading here; the screen
grades and hands over the grade.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tutor.exam_session import UNSURE
from tutor.grading import Grade
from tutor.progress import AnswerRecord, NotSaved, ProgressStore, Saved, UnknownAttempt, Unsaved
from tutor.screens.exam_mode import draft_work_shown
from tutor.screens.saving import Saver

if TYPE_CHECKING:
    from tutor.screens.question import QuestionScreen
    from tutor.widgets.part_view import PartView

SAVING = "saving…"
NOT_SAVED = "not saved: {reason} · tried again with your next check, or when you leave"
MEMORY = "not saved: this session keeps progress in memory only"
SAVED_NOW = "saved now"
ELSEWHERE = "checked in another session since you opened this; what you typed here was not saved"
SHOW_SAVING_AFTER_S = 0.15  # a write that is quicker shows no "saving…" at all
_tokens = itertools.count(1)


class Recorder:
    """The question screen's writes for one question of the current attempt."""

    def __init__(self, screen: QuestionScreen, store: ProgressStore, saver: Saver) -> None:
        self.screen, self.store, self.saver = screen, store, saver
        self.number = screen.question.number
        self.attempt = store.current_attempt()
        self.seen: dict[str, int | None] = {}  # part -> the row version this screen last saw
        self.checked: dict[str, Any] = {}  # part -> what was last checked
        self.saved: dict[str, Any] = {}  # part -> what the store holds (or will) for the box
        self.waiting: dict[str, str] = {}  # part -> why what it shows is not on disk yet
        self._writes: dict[str, int] = {}  # part -> the write whose "saving…" may show
        self._refused: dict[str, int] = {}  # part -> the version of the newer check that kept a draft out
        self._done_notes: dict[str, str] = {}  # part -> the note its last write left ("kept")

    # -- reading -------------------------------------------------------------------------------------

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
            base = found[label] or AnswerRecord(self.number, label, "null", None, 0.0, "typed", None, False, 0)
            text = json.dumps(unsaved.response, ensure_ascii=False)
            if unsaved.kind == "check":
                found[label] = replace(base, response=text, score=unsaved.score, points=unsaved.points,
                                       status=unsaved.status, checked_at=time.time(), checked_response=text, draft=None,
                                       work_shown=unsaved.work_shown)
                self.checked[label] = unsaved.response
            else:
                status = base.status if base.checked else unsaved.status
                found[label] = replace(base, response=text, draft=text, status=status, work_shown=unsaved.work_shown)
            self.saved[label] = unsaved.response
            self.waiting[label] = NOT_SAVED.format(reason=unsaved.reason) if unsaved.reason else SAVING
        return found

    def shown(self, view: PartView, record: AnswerRecord | None) -> None:
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
        if view.note in (SAVED_NOW, ELSEWHERE) or (view.note and view.note == self._done_notes.get(label)):
            view.note = ""  # ("kept" in an exam: what is in the box now is not what was kept)

    # -- writing -------------------------------------------------------------------------------------

    def check(self, view: PartView, response: Any, grade: Grade) -> None:
        """Store a check (a re-check replaces the score; Best keeps the best one). An unsure one is
        a check with no score until the student marks it."""
        label, number = view.part.label, self.number
        score = None if grade.status == UNSURE else grade.score
        shown = view.answer.work_shown  # what it was graded with
        self.checked[label] = self.saved[label] = response
        view.edited = False
        what = Unsaved(self.attempt.id, number, label, "check", response, score, grade.points, grade.status,
                       work_shown=shown)
        self._write(view, lambda a: self.store.save_answer(
            a, number, label, response, score=score, points=grade.points, status=grade.status, work_shown=shown), [what])

    def keep(self, view: PartView, done_note: str) -> None:
        """Store the part's answer as a draft now (an exam's check: graded when it is submitted)."""
        self._drafts([view], done_note)

    def drafts(self, views: Iterable[PartView]) -> None:
        """Store what was typed and not checked (the screen is being left, or the app quits)."""
        self._drafts(views, "")

    def _drafts(self, views: Iterable[PartView], done_note: str) -> None:
        drafts: dict[str, tuple[Any, str, int | None, bool]] = {}
        by_label = {}
        for view in views:
            label, answer = view.part.label, view.answer
            response = answer.response
            if response == self.saved.get(label) and not done_note:
                continue
            if answer.is_blank() and label not in self.saved:
                continue  # nothing was ever typed here
            drafts[label] = (response, "typed", self.seen.get(label), draft_work_shown(self.attempt, answer))
            by_label[label] = view
        if not drafts:
            if self.store.unsaved():  # nothing new, but earlier writes wait: try them again now
                self._write(None, lambda _: _Retried(self.store.retry()), [])
            return
        for label, (response, *_) in drafts.items():
            self.saved[label] = response
        number = self.number
        what = [Unsaved(self.attempt.id, number, label, "draft", d[0], status=d[1], work_shown=d[3])
                for label, d in drafts.items()]
        self._write(None, lambda a: self.store.save_drafts(a, number, drafts), what, done_note=done_note,
                    views=list(by_label.values()))

    def mark(self, label: str, **marks: Any) -> None:
        """Remember a reveal or a step position (kept and retried quietly if it cannot be written)."""
        number = self.number
        kind = "revealed" if "revealed" in marks else "steps"
        what = Unsaved(self.attempt.id, number, label, kind)
        self._write(None, lambda a: self.store.mark(a, number, label, **marks), [what])

    def place(self) -> None:
        """Resume at this question next time."""
        number = self.number
        what = Unsaved(self.attempt.id, number, None, "current")
        self._write(None, lambda a: self.store.set_current_question(a, number), [what])

    def _write(self, view: PartView | None, work: Callable[[int], Any], what: list[Unsaved], *,
               done_note: str = "", views: list[PartView] | None = None, again: bool = True) -> None:
        views = views if views is not None else [view] if view is not None else []
        token = next(_tokens)
        for v in views:
            self._writes[v.part.label] = token
        if views:
            self.screen.set_timer(SHOW_SAVING_AFTER_S, lambda: self._show_saving(views, token))
        attempt_id = self.attempt.id if self.attempt is not None else 0

        def done(value: Any, error: BaseException | None) -> None:
            self._done(views, token, work, what, value, error, done_note, again)

        self.saver.submit(lambda: work(attempt_id), done, what)

    def _show_saving(self, views: list[PartView], token: int) -> None:
        for view in views:
            if self._writes.get(view.part.label) == token and view.is_attached:
                view.note = SAVING

    def _done(self, views: list[PartView], token: int, work: Callable[[int], Any], what: list[Unsaved],
              value: Any, error: BaseException | None, done_note: str, again: bool) -> None:
        for view in views:
            if self._writes.get(view.part.label) == token:
                del self._writes[view.part.label]
        if isinstance(error, UnknownAttempt) and again:  # another session reset the progress
            try:
                self.attempt = self.store.current_attempt()
            except NotSaved as exc:
                self._say(views, what, NOT_SAVED.format(reason=exc.reason))
                return
            self.screen.notify("Your progress was reset elsewhere; this is a new attempt.", severity="warning")
            what = [replace(u, attempt_id=self.attempt.id) for u in what]
            self._write(None, work, what, done_note=done_note, views=views, again=False)
            return
        if isinstance(error, NotSaved):
            self._say(views, what, NOT_SAVED.format(reason=error.reason))
            return
        if error is not None:
            raise error
        if isinstance(value, _Retried):
            self._say_retried(list(value))
            return
        results = value if isinstance(value, dict) else {u.part: value for u in what[:1]}
        retried: list[Unsaved] = []
        labels = {v.part.label for v in views}
        for label, saved in results.items():
            if isinstance(saved, Saved):
                retried += [u for u in saved.retried if u not in retried]
                self._saved(label, saved, done_note, label in labels)
        self._say_retried(retried)

    def _saved(self, label: str | None, saved: Saved, done_note: str, noted: bool) -> None:
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
                self.screen.notify(f"{self.number}({label}): another session checked it meanwhile; its check was "
                                   "kept and what you typed here was not saved.", severity="warning", timeout=10)
                return
            if record.score is not None:
                view.grade = Grade(record.score, record.points or view.part.points, record.status,
                                   "checked in another session")
            view.edited = view.answer.response != record.checked_value
            view.note = ELSEWHERE
            return
        if view is not None and noted:
            view.note = MEMORY if not saved.durable else done_note
            self._done_notes[label] = done_note

    def _say(self, views: list[PartView], what: list[Unsaved], text: str) -> None:
        shown = [v for v in views if v.is_attached]
        for view in shown:
            view.note = text
        if not shown and any(u.kind in ("check", "draft", "practice") for u in what):
            names = ", ".join(u.describe() for u in what)
            self.screen.notify(f"{text.split(' · ')[0]}: {names}. It is kept and tried again with your next change.",
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
            self.screen.notify(f"Saved now: {', '.join(elsewhere)}.", timeout=6)

    def _view(self, label: str | None) -> PartView | None:
        from tutor.widgets.part_view import PartView

        if label is None or not self.screen.is_attached:
            return None
        found = [v for v in self.screen.query(PartView) if v.part.label == label]
        return found[0] if found else None


class _Retried(tuple):
    """The kept writes that a retry brought to the file."""


class PracticeRecorder(Recorder):
    """A practice problem: a check is a practice result (with the seed); nothing else is kept."""

    def __init__(self, screen: QuestionScreen, store: ProgressStore, saver: Saver) -> None:
        self.screen, self.store, self.saver = screen, store, saver
        self.number = screen.question.number
        self.attempt = None  # type: ignore[assignment]  # practice belongs to no attempt
        self.seen, self.checked, self.saved, self.waiting, self._writes, self._refused = {}, {}, {}, {}, {}, {}
        self._done_notes = {}

    def records(self, labels: Iterable[str]) -> dict[str, AnswerRecord | None]:
        return {label: None for label in labels}  # a practice problem starts empty: nothing to resume

    def check(self, view: PartView, response: Any, grade: Grade) -> None:
        label, number, seed = view.part.label, self.number, self.screen.variant.seed  # type: ignore[attr-defined]
        self.checked[label] = response
        view.edited = False
        if grade.score is None or grade.status == UNSURE:
            return  # nothing to count until the student marks it
        what = Unsaved(None, number, label, "practice", seed, grade.score, grade.points)
        self._write(view, lambda _: self.store.save_practice(number, label, seed, grade.score, grade.points), [what])

    def drafts(self, views: Iterable[PartView]) -> None:
        pass

    def mark(self, label: str, **marks: Any) -> None:
        pass

    def place(self) -> None:
        pass
