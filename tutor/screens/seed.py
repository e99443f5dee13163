"""The seed dialog: type a practice problem's seed to get the same problem again.

ModalScreen[int | None]: dismisses with the seed, or None on escape. What cannot be read as a seed
is said under the box it was typed in ("… is not a seed: …", tutor.practice's reason; a seed past
2⁶³ − 1, which SQLite could not store, included), and the dialog stays open; nothing changes until
a seed is read. The message above the box says the range.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from tutor.practice import SEED_MAX, parse_seed

from tutor.screens.ask import AskDialog


class SeedDialog(AskDialog[int]):
    """Asks for a seed; enter reads it, escape cancels."""

    CSS_PATH = "seed.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", key_display="esc", id="seed.cancel",
                tooltip="Keep the problem you have"),
    ]

    def __init__(self, number: int, current: int, *, blink: bool = True) -> None:
        super().__init__(blink=blink)
        self.number, self.current = number, current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"Practice question {self.number}: the same numbers again", id="title", markup=False)
            yield Static(f"Type the seed of the problem you want back, a whole number from 0 to {SEED_MAX:,}, "
                         "then enter (esc: keep this one).", id="message", markup=False)
            yield Input(placeholder=f"a whole number, e.g. {self.current}", id="seed")
            yield Static(id="error", markup=False)

    def parse(self, text: str) -> int:
        return parse_seed(text)
