"""The Textual app: screens, keys, command palette and theme. Thin: the screens do the work.

`make_app(content_dir=None, data_dir=None, question=None, seed=None)` is the one factory of the CLI and
the tests (with a seed it opens the question's practice problem drawn from that seed).
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
from tutor.progress import ProgressStore
from tutor.screens.confirm import ConfirmScreen
from tutor.screens.messages import OpenPractice, OpenQuestion, ShowResults, SubmitExam
from tutor.screens.overview import OverviewScreen
from tutor.screens.too_small import TooSmallScreen, cover_if_too_small

NO_ANIMATION_ENV = "ITM528_TUTOR_NO_ANIMATION"
RETAKE = "A new attempt starts with every question open; your earlier attempts stay in the history."
RESET = "This forgets every attempt, answer and score, for good."


class TutorApp(App[None]):
    """ITM 528 tutor: overview -> question -> results, with help and dialogs on top."""

    CSS_PATH = ["app.tcss", "screens/overview.tcss"]  # the first screen's too: parsed once, not again on its push
    COMMANDS = App.COMMANDS | {TutorCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?", id="app.help", tooltip="Every key of the tutor"),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Save what you typed and quit"),
    ]

    def __init__(self, exam: Exam, store: ProgressStore, *, question: int | None = None, animations: bool = True,
                 seed: int | None = None):
        super().__init__()
        self.exam, self.store = exam, store
        self.start_question, self.start_seed = question, seed  # with a seed: that practice problem
        self.started = False  # resize events before on_mount has built the screens are ignored
        self.animations = animations  # off: no animations and no cursor blink (bytes on slow links)
        if not animations:
            self.animation_level = "none"
        from tutor.screens.exam_mode import ExamMode

        self.exam_mode = ExamMode(self)  # the exam's clock, submit and quit rules
        self.stop_handling_signals = lambda: None

    def on_mount(self) -> None:
        from tutor.signals import leave_on_signals

        self.stop_handling_signals = leave_on_signals(self, self._save_drafts)  # SIGHUP, SIGTERM
        self.title = self.exam.title
        self.push_screen(OverviewScreen(self.exam, self.store))
        attempt = self.store.current_attempt()
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
        screen = QuestionScreen(self.exam, self.store, number, blink=self.animations)
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
        def retake(yes: bool | None) -> None:
            if yes:
                self._save_drafts()
                self.store.new_attempt("study")
                self.action_overview()
                self.notify("A new attempt: every question is open again.")

        self.push_screen(ConfirmScreen("Retake the quiz?", RETAKE, "Retake"), retake)

    def action_reset(self) -> None:
        def reset(yes: bool | None) -> None:
            if yes:
                self.store.reset()
                self.action_overview(save=False)  # what was typed goes too
                self.notify("All progress is gone.")

        self.push_screen(ConfirmScreen("Reset all progress?", RESET, "Reset"), reset)

    @on(SubmitExam)
    def action_submit_exam(self) -> None:
        self.exam_mode.submit()

    async def action_quit(self) -> None:
        self._save_drafts()
        if not self.exam_mode.asked_before_quitting():  # during an exam: asks (its clock runs on)
            self.exit()

    def _save_drafts(self) -> None:
        question = sys.modules.get("tutor.screens.question")  # imported with the first question shown
        for screen in self.screen_stack:
            if question is not None and isinstance(screen, question.QuestionScreen):
                screen.save_drafts()


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
