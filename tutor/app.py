"""The Textual app: screens, keys, command palette and theme. Thin: the screens do the work.

`make_app(content_dir=None, data_dir=None, question=None, seed=None)` is the one factory of the CLI and
the tests (with a seed it opens the question's practice problem drawn from that seed).

The app owns the one `Saver` (store writes off the UI thread, in order) that every screen writes
through; quitting, a hang-up and a terminal that has gone finish its writes first, and an answer that
could still not be saved is named when the app ends. Tab and shift+tab are priority bindings: the
focus moves at once, so the keys typed right after them reach the new box, not the old one.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from textual import on
from textual.app import App
from textual.binding import Binding
from textual.events import Resize

from tutor.commands import TutorCommands
from tutor.exam import Exam, load_exam
from tutor.progress import NotSaved, ProgressStore
from tutor.screens.messages import OpenPractice, OpenQuestion, ShowResults, SubmitExam
from tutor.screens.overview import OverviewScreen
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
                 seed: int | None = None):
        super().__init__()
        self.exam, self.store = exam, store
        from tutor.screens.saving import Saver

        self.saver = Saver(self, store)  # every store write of the screens, off the UI thread
        self.start_question, self.start_seed = question, seed  # with a seed: that practice problem
        self.started = False  # resize events before on_mount has built the screens are ignored
        self.animations = animations  # off: no animations and no cursor blink (bytes on slow links)
        if not animations:
            self.animation_level = "none"
        from tutor.screens.exam_mode import ExamMode

        self.exam_mode = ExamMode(self)  # the exam's clock, submit and quit rules
        self.stop_handling_signals = self.stop_watching_terminal = lambda: None

    def get_driver_class(self):  # type: ignore[no-untyped-def]
        from tutor.signals import surviving_input_loss

        return surviving_input_loss(super().get_driver_class())

    def on_mount(self) -> None:
        from tutor.signals import leave_on_signals, watch_terminal

        self.stop_handling_signals = leave_on_signals(self, self._finish_writes)  # SIGHUP, SIGTERM
        self.stop_watching_terminal = watch_terminal(self, self._finish_writes)  # gone without a signal
        self.title = self.exam.title
        try:
            attempt = self.store.current_attempt()
        except NotSaved as exc:  # a first start while another session holds the file's lock
            self.exit(return_code=1, message=f"itm528-tutor: cannot start: {exc}; try again in a moment")
            return
        self.push_screen(OverviewScreen(self.exam, self.store))
        number = self.start_question
        if number is None and self.store.answers(attempt.id):
            number = attempt.current_question  # resume where the student left off
        if self.start_seed is not None and number is not None:
            self.open_practice(OpenPractice(number, self.start_seed))
        elif number is not None and any(q.number == number for q in self.exam.questions):
            self.open_question(number)
        for notice in self.store.notices:
            self.notify(notice, severity="warning", timeout=10)
        self.started = True
        self.exam_mode.resume()
        self.call_after_refresh(lambda: cover_if_too_small(self, self.size))

    def on_unmount(self) -> None:
        self.stop_handling_signals()
        self.stop_watching_terminal()
        self.saver.flush()
        self.store.close()

    def on_resize(self, event: Resize) -> None:
        if self.started:
            cover_if_too_small(self, event.size)  # (self.size is updated after this handler)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action == "quit" or not isinstance(self.screen, TooSmallScreen)  # only q while too small

    @on(OpenQuestion)
    def open_question(self, message: OpenQuestion | int) -> None:
        from tutor.screens.question import QuestionScreen  # numpy and the live editors: not at start-up

        number = message.number if isinstance(message, OpenQuestion) else message
        screen = QuestionScreen(self.exam, self.store, number, blink=self.animations, saver=self.saver)
        if isinstance(self.screen, QuestionScreen):
            self.screen.save_drafts()
            self.switch_screen(screen)
        else:
            self.action_overview()
            self.push_screen(screen)

    @on(OpenPractice)
    def open_practice(self, message: OpenPractice) -> None:
        from tutor.screens.practice import show_practice

        show_practice(self, message)

    def action_overview(self, save: bool = True) -> None:
        if save:
            self._save_drafts()
        while len(self.screen_stack) > 2:  # the default screen, then the overview
            self.pop_screen()
        if isinstance(self.screen, OverviewScreen):
            self.screen.refresh_table()

    @on(ShowResults)
    def action_results(self) -> None:
        from tutor.screens.results import ResultsScreen

        if not isinstance(self.screen, ResultsScreen):
            self._save_drafts()
            self.push_screen(ResultsScreen(self.exam, self.store))

    def action_help(self) -> None:
        from tutor.screens.help import HelpScreen  # Markdown: not at start-up

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_retake(self) -> None:
        from tutor.screens.attempts import retake

        retake(self)

    def action_reset(self) -> None:
        from tutor.screens.attempts import reset

        reset(self)

    @on(SubmitExam)
    def action_submit_exam(self) -> None:
        self.exam_mode.submit()

    async def action_quit(self) -> None:
        self._save_drafts()
        if not self.exam_mode.asked_before_quitting():  # during an exam: asks (its clock runs on)
            self.leave()

    def leave(self) -> None:
        """Quit once every write is done; what could still not be saved is named on the way out."""
        self._finish_writes()
        unsaved = self.store.unsaved()
        names = ", ".join(u.describe() for u in unsaved)
        message = f"itm528-tutor: not saved ({unsaved[-1].reason}): {names}" if unsaved else None
        self.exit(return_code=1 if unsaved else 0, message=message)

    def _save_drafts(self) -> None:
        question = sys.modules.get("tutor.screens.question")  # imported with the first question shown
        for screen in self.screen_stack:
            if question is not None and isinstance(screen, question.QuestionScreen):
                screen.save_drafts()

    def _finish_writes(self) -> None:
        """The drafts, then every queued write, now (the app is ending)."""
        self._save_drafts()
        self.saver.flush()


def make_app(
    content_dir: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    question: int | None = None,
    *,
    exam: Exam | None = None,
    animations: bool | None = None,
    seed: int | None = None,
) -> TutorApp:
    """The app on the exam in `content_dir` (default: the shipped one), progress in `data_dir`.
    animations=False (or $ITM528_TUTOR_NO_ANIMATION) turns off animations and the cursor blink."""
    if exam is None:
        exam = load_exam(Path(content_dir) if content_dir is not None else None, prove=False)
    if animations is None:
        animations = not os.environ.get(NO_ANIMATION_ENV)
    return TutorApp(exam, ProgressStore.open(data_dir), question=question, animations=animations, seed=seed)
