"""Messages a screen posts to ask the app for something (state goes up as messages): another screen,
a flow of the app's controllers, a write. Screens know these, never the app or its controllers.

Plain Message subclasses with their own `__init__`, as Textual's are: as dataclasses the eight of
them took 4-5 ms to define, all before the first screen (issue 18).
"""

from __future__ import annotations

from typing import Any

from textual.message import Message


class OpenQuestion(Message):
    """Show question `number` (replacing the question on screen, if any)."""

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number


class OpenPractice(Message):
    """Show a practice variant of question `number`: from `seed` (a fresh one if None), at `part`."""

    def __init__(self, number: int, seed: int | None = None, part: str | None = None) -> None:
        super().__init__()
        self.number, self.seed, self.part = number, seed, part


class ShowOverview(Message):
    """Back to the overview (what was typed is kept as drafts first)."""


class ShowResults(Message):
    """Show the results of the current attempt."""


class SubmitExam(Message):
    """Submit the running exam (after a confirmation), grade it and show its results."""


class MarkAnswer(Message):
    """The student's own mark ("full", "partial", "none") of a stored answer the grader was unsure of."""

    def __init__(self, attempt_id: int, question: int, part: str, response: Any, mark: str) -> None:
        super().__init__()
        self.attempt_id, self.question, self.part, self.response, self.mark = attempt_id, question, part, response, mark


class Recorded(Message):
    """A check of question `number` reached the store (the overview below may show a new score)."""

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number


class OpenReview(Message):
    """Show the review queue's first part due today (the queue read again)."""
