"""Messages a screen posts to ask the app for another screen (state goes up as messages)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class OpenQuestion(Message):
    """Show question `number` (replacing the question on screen, if any)."""

    number: int


@dataclass
class ShowResults(Message):
    """Show the results of the current attempt."""


@dataclass
class SubmitExam(Message):
    """Submit the running exam (after a confirmation), grade it and show its results."""


@dataclass
class OpenPractice(Message):
    """Show a practice variant of question `number`: from `seed` (a fresh one if None), at `part`."""

    number: int
    seed: int | None = None
    part: str | None = None
