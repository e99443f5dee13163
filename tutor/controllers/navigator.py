"""Which screen is shown, kept by the app's one Navigator instead of stack surgery.

The stack is always: the overview (the app's default screen, so it is composed with the app and
drawn complete in the first frame), at most one question (or practice) screen, then whatever is on
top of it (results, help, a dialog, the too-small notice). The
navigator remembers the screens it showed, so it needs neither `isinstance` checks nor the depth of
the stack: `show_question` replaces what is above the overview; `home` keeps the drafts of the
question screen, then pops back to the overview (at once: what is shown next goes on top of it).
A screen left is freed before the next one is built (tutor.screens.freed: the tutor's peak memory).
Drafts are saved here and only here: leaving a question, quitting, a hang-up.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.await_complete import AwaitComplete

from tutor.exam import Exam
from tutor.progress import ProgressStore
from tutor.screens.freed import free_after, free_later
from tutor.screens.overview import OverviewScreen

if TYPE_CHECKING:  # (imported when first shown: numpy and the live editors are not for the first screen)
    from textual.screen import Screen

    from tutor.screens.help import HelpScreen
    from tutor.screens.question import QuestionScreen
    from tutor.screens.results import ResultsScreen


class _HeldWeakly:
    """A screen attribute held by a weak reference: None once the screen is gone."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = f"_{name}"

    def __get__(self, navigator: object, owner: type | None = None) -> Any:
        if navigator is None:  # (looked up on the class)
            return self
        held = navigator.__dict__.get(self.name)
        return held() if held is not None else None

    def __set__(self, navigator: object, screen: object) -> None:
        navigator.__dict__[self.name] = weakref.ref(screen) if screen is not None else None


class Navigator:
    """The app's screens, shown and left."""

    results = _HeldWeakly()  # (closed by their own escape: see __init__)
    help = _HeldWeakly()

    def __init__(self, app: App[Any], exam: Exam, store: ProgressStore, now: Callable[[], float] = time.time) -> None:
        self.app, self.exam, self.store, self.now = app, exam, store, now
        self.overview: OverviewScreen | None = None  # the first screen, made when the app composes
        # The question (or practice), results and help screens, each while it is on the stack: once
        # left it is let go (a question screen is the largest thing the app makes), and only the
        # number of the question last shown is kept, for the overview to highlight. The results and
        # the help close themselves (escape): they are held weakly, so what they held is freed then.
        self.question: QuestionScreen | None = None
        self.results: ResultsScreen | None = None
        self.help: HelpScreen | None = None
        self.last_question: int | None = None

    def first_screen(self) -> OverviewScreen:
        """The overview, as the app's default screen: composed with the app, not pushed after its
        first frame (which then showed a blank table and took a frame more)."""
        self.overview = OverviewScreen(self.exam, self.store, self.now)
        return self.overview

    def _shown(self, screen: object) -> bool:
        return screen is not None and screen in self.app.screen_stack

    def _let_go(self) -> None:
        """Forget the screens that were left some other way (escape on the results or the help)."""
        for name in ("question", "results", "help"):
            if not self._shown(getattr(self, name)):
                setattr(self, name, None)

    def save_drafts(self) -> None:
        """Store what was typed in the question screen (whether on top or under results or help)."""
        if self.question is not None and self._shown(self.question):
            self.question.save_drafts()

    def show_question(self, screen: QuestionScreen) -> None:
        """Show a question or practice screen above the overview, in place of what was above it."""
        self._let_go()
        self._above_overview(screen)
        self.question = screen
        self.last_question = screen.question.number

    def _above_overview(self, screen: Screen[Any], save: bool = True) -> None:
        """`screen` pushed on the overview, the drafts kept first (unless `save` is False). What was
        above the overview (a question, the results, the help) is popped and freed before `screen`
        is built: all of it as the app's next callback, in one update (no frame of the overview
        between), before any key pressed meanwhile is handled."""
        if self.overview is None or not self._shown(self.overview) or self.app.screen is self.overview:
            self.home(save)
            self.app.push_screen(screen)
            return
        if save:
            self.save_drafts()
        self.question = self.results = self.help = None  # all leaving: let go

        async def replace() -> None:
            with self.app.batch_update():
                await free_after(self._pop_to_overview())
                await self.app.push_screen(screen)

        self.app.call_next(replace)

    def _pop_to_overview(self) -> Awaitable[object]:
        """Pop everything above the overview now (Screen.pop_until_active defers it, and would pop
        what is pushed next too); the removal of the last screen popped."""
        removal: Awaitable[object] = AwaitComplete.nothing()
        while self.app.screen is not self.overview:
            removal = self.app.pop_screen()
        return removal

    def home(self, save: bool = True) -> None:
        """Back to the overview (keeping the drafts first, unless `save` is False), read again; what
        was above it freed once it is removed."""
        if save:
            self.save_drafts()
        if self.overview is not None and self._shown(self.overview):
            if self.app.screen is not self.overview:
                self.app.call_next(free_later, self.app, self._pop_to_overview())
            self.question = self.results = self.help = None  # all left: let go
            self.overview.refresh_table()
            if self.last_question is not None:  # the question last shown, highlighted (p practises it)
                self.overview.highlight(self.last_question)

    def show_results(self, attempt_id: int | None = None, *, save: bool = True) -> None:
        """The results of the current attempt (or of `attempt_id`, above the overview)."""
        from tutor.screens.results import ResultsScreen

        if attempt_id is None and self.app.screen is self.results:
            return
        self._let_go()
        results = ResultsScreen(self.exam, self.store, attempt_id, now=self.now)
        if attempt_id is not None:  # (above the overview: what was above it freed first)
            self._above_overview(results, save)
        else:
            if save:
                self.save_drafts()
            self.app.push_screen(results)
        self.results = results

    def show_help(self) -> None:
        from tutor.screens.help import HelpScreen  # Markdown: not at start-up

        if self.app.screen is not self.help:
            self._let_go()
            help_screen = HelpScreen()
            self.app.push_screen(help_screen)
            self.help = help_screen

    def scores_changed(self) -> None:
        """A check reached the store: the screen on top that shows scores reads them again."""
        if self.overview is not None and self.app.screen is self.overview:
            self.overview.refresh_table()
        elif self.app.screen is self.results and self.results is not None:
            self.results.refresh_scores()
