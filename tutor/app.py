"""The Textual app: screens, keys, command palette, theme. Thin: it owns the models (the exam, the
progress store, the one `Saver` every write goes through) and the controllers of tutor.controllers,
and forwards the screens' messages to them.

`make_app(content_dir=None, data_dir=None, question=None, seed=None, now=None, exam_date=None, review=False)`
is the one factory
of the CLI and the tests (with a seed: that practice problem; `now`: exam mode's clock). Tab and
shift+tab are priority bindings: the focus moves at once, so the keys typed next reach the new box.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from textual import on
from textual.app import App
from textual.binding import Binding
from textual.events import Resize

from tutor.commands import TutorCommands
from tutor.controllers.attempts import Attempts
from tutor.controllers.exam import ExamController
from tutor.controllers.lifecycle import Lifecycle
from tutor.controllers.navigator import Navigator
from tutor.controllers.practice import Practice
from tutor.controllers.review import ReviewQueue, with_exam_date
from tutor.exam import Exam, load_exam
from tutor.progress import ProgressStore
from tutor.screens import messages as m
from tutor.screens.overview import OverviewScreen
from tutor.screens.saving import Saver
from tutor.screens.too_small import TooSmallScreen, cover_if_too_small

NO_ANIMATION_ENV = "ITM528_TUTOR_NO_ANIMATION"


class TutorApp(App[None]):
    """ITM 528 tutor: overview -> question -> results, with help and dialogs on top."""

    CSS_PATH = ["app.tcss", "screens/overview.tcss"]  # the first screen's too: parsed once, not again on its push
    COMMANDS = App.COMMANDS | {TutorCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?", id="app.help", tooltip="Every key of the tutor"),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Save what you typed and quit"),
        Binding("tab", "app.focus_next", "Next", show=False, priority=True, id="app.focus_next",
                tooltip="The next answer or control, at once: what you type next goes there"),
        Binding("shift+tab", "app.focus_previous", "Previous", show=False, priority=True, id="app.focus_previous",
                tooltip="The previous answer or control, at once"),
    ]

    def __init__(self, exam: Exam, store: ProgressStore, *, question: int | None = None, animations: bool = True,
                 seed: int | None = None, now: Callable[[], float] = time.time, review: bool = False) -> None:
        super().__init__()
        self.exam, self.store, self.now = exam, store, now
        self.saver = saver = Saver(self, store)  # every store write of the screens, off the UI thread
        self.started = False  # resize events before on_mount has built the screens are ignored
        self.animations = animations  # off: no animations and no cursor blink (bytes on slow links)
        if not animations:
            self.animation_level = "none"
        self.navigator = nav = Navigator(self, exam, store, now)
        self.exam_mode = exam_mode = ExamController(self, exam, store, saver, nav, now=now,
                                                    leave=lambda: self.lifecycle.leave())
        self.attempts = Attempts(self, exam, store, saver, nav, runs=exam_mode.runs, blink=animations)
        self.practice = Practice(self, exam, store, saver, nav, self.attempts, runs=exam_mode.runs, blink=animations)
        self.review = ReviewQueue(self, exam, store, saver, nav, runs=exam_mode.runs, blink=animations, now=now)
        self.lifecycle = Lifecycle(self, store, saver, nav, exam_mode, self.attempts, self.practice, question=question,
                                   seed=seed, review=self.review if review else None)  # seed: that practice problem

    def get_default_screen(self) -> OverviewScreen:
        return self.navigator.first_screen()

    def get_driver_class(self):  # type: ignore[no-untyped-def]
        from tutor.signals import surviving_input_loss
        return surviving_input_loss(super().get_driver_class())

    def on_mount(self) -> None:
        self.title = self.exam.title
        if self.lifecycle.start():  # (and leaving on a hang-up or a terminal gone)
            self.started = True
            self.call_after_refresh(lambda: cover_if_too_small(self, self.size))

    def on_unmount(self) -> None:
        self.lifecycle.end()

    def on_resize(self, event: Resize) -> None:
        if self.started:
            cover_if_too_small(self, event.size)  # (self.size is updated after this handler)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action == "quit" or not isinstance(self.screen, TooSmallScreen)  # only q while too small

    @on(m.OpenQuestion)
    def open_question(self, message: m.OpenQuestion | int) -> None:
        number = message.number if isinstance(message, m.OpenQuestion) else message
        self.navigator.show_question(self.attempts.question_screen(number))

    @on(m.OpenPractice)
    def open_practice(self, message: m.OpenPractice) -> None:
        self.practice.open(message)

    @on(m.OpenReview)
    def open_review(self) -> None:
        self.review.open()

    @on(m.ShowOverview)
    def show_overview(self) -> None:
        self.navigator.home()

    @on(m.ShowResults)
    def show_results(self) -> None:
        self.navigator.show_results()

    @on(m.SubmitExam)
    def submit_exam(self) -> None:
        self.exam_mode.submit()

    @on(m.MarkAnswer)
    def mark_answer(self, message: m.MarkAnswer) -> None:
        self.attempts.mark(message)

    @on(m.Recorded)
    def recorded(self) -> None:  # a check reached the store: the scores on screen are read again
        self.navigator.scores_changed()

    def action_help(self) -> None:
        self.navigator.show_help()

    async def action_quit(self) -> None:
        self.lifecycle.quit()


def make_app(
    content_dir: str | os.PathLike[str] | None = None, data_dir: str | os.PathLike[str] | None = None,
    question: int | None = None, *, exam: Exam | None = None, animations: bool | None = None, seed: int | None = None,
    now: Callable[[], float] | None = None, exam_date: date | None = None, review: bool = False,
) -> TutorApp:
    """The app on the exam in `content_dir` (default: the shipped one), progress in `data_dir`; without
    animations (or with $ITM528_TUTOR_NO_ANIMATION) no cursor blinks; `now`: exam mode's clock;
    `exam_date`: stored first; `review`: opened on the review queue."""
    if exam is None:
        exam = load_exam(Path(content_dir) if content_dir is not None else None, prove=False)
    if animations is None:
        animations = not os.environ.get(NO_ANIMATION_ENV)
    store = with_exam_date(ProgressStore.open(data_dir), exam_date)
    return TutorApp(exam, store, question=question, animations=animations, seed=seed, now=now or time.time,
                    review=review)
