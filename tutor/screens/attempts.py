"""Retake and reset, the app's flows on whole attempts: ask first, then write through the app's Saver
(off the UI thread: a lock held by another session does not freeze the screen), and say what
happened, including a write that could not be saved. The app forwards its actions here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.progress import NotSaved
from tutor.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from tutor.app import TutorApp

RETAKE = "A new attempt starts with every question open; your earlier attempts stay in the history."
RESET = "This forgets every attempt, answer and score, for good."


def retake(app: TutorApp) -> None:
    def asked(yes: bool | None) -> None:
        if yes:
            app.action_overview()  # (submits what was typed first: it is written before the attempt)
            app.saver.submit(lambda: app.store.new_attempt("study"), done)

    def done(_: object, error: BaseException | None) -> None:
        if _went_through(app, error, "No new attempt"):
            app.action_overview()
            app.notify("A new attempt: every question is open again.")

    app.push_screen(ConfirmScreen("Retake the quiz?", RETAKE, "Retake"), asked)


def reset(app: TutorApp) -> None:
    def asked(yes: bool | None) -> None:
        if yes:
            app.saver.submit(app.store.reset, done)

    def done(_: object, error: BaseException | None) -> None:
        if _went_through(app, error, "Nothing was reset"):
            app.action_overview(save=False)  # what was typed goes too
            app.notify("All progress is gone.")

    app.push_screen(ConfirmScreen("Reset all progress?", RESET, "Reset"), asked)


def _went_through(app: TutorApp, error: BaseException | None, what: str) -> bool:
    """True if the write went through; one that could not be saved is said."""
    if isinstance(error, NotSaved):
        app.notify(f"{what}: {error}. Try again in a moment.", severity="error")
        return False
    if error is not None:
        raise error
    return True
