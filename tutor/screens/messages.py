"""Messages a screen posts to ask the app for something (state goes up as messages): another screen,
a flow of the app's controllers, a write. Screens know these, never the app or its controllers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class OpenQuestion(Message):
    """Show question `number` (replacing the question on screen, if any)."""

    number: int


@dataclass
class OpenPractice(Message):
    """Show a practice variant of question `number`: from `seed` (a fresh one if None), at `part`."""

    number: int
    seed: int | None = None
    part: str | None = None


@dataclass
class ShowOverview(Message):
    """Back to the overview (what was typed is kept as drafts first)."""


@dataclass
class ShowResults(Message):
    """Show the results of the current attempt."""


@dataclass
class SubmitExam(Message):
    """Submit the running exam (after a confirmation), grade it and show its results."""


@dataclass
class MarkAnswer(Message):
    """The student's own mark ("full", "partial", "none") of a stored answer the grader was unsure of."""

    attempt_id: int
    question: int
    part: str
    response: Any
    mark: str


@dataclass
class Recorded(Message):
    """A check of question `number` reached the store (the overview below may show a new score)."""

    number: int


@dataclass
class OpenReview(Message):
    """Show the review queue's first part due today (the queue read again)."""
