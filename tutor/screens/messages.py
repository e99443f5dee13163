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
