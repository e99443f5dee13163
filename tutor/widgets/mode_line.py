"""ModeLine: the one line under a question that says what the keys do now ("reading · enter to
answer", "typing in 5(a) · enter checks · esc to leave").

It changes on every focus move. As a Static, each change asked for a layout of the whole screen (a
Static's text may change its size), 10-15 ms for a question of 100 widgets on this machine, a
third of the layouts a student's keys cause; its size never changes (one line, the width of the
screen), so a change repaints only the line.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class ModeLine(Widget):
    """One line of plain text (never markup), cut at the edge if the terminal is too narrow."""

    DEFAULT_CSS = """
    ModeLine { height: 1; width: 1fr; }
    """

    text: reactive[str] = reactive("", layout=False)

    def render(self) -> Text:
        return Text(self.text, no_wrap=True)

    def show(self, text: str) -> None:
        self.text = text
