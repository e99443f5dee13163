"""A one-box dialog that asks for one value: the seed and exam date dialogs are two of these.

Why it exists: both dialogs read what was typed on enter, say why it cannot be read under the box
(and keep the dialog open, nothing changed), clear that message as the student types again, and
dismiss with None on escape. A subclass composes its words and box and says how a value is read
(`parse`, raising ValueError with the sentence to show).
"""

from __future__ import annotations

from typing import Generic, TypeVar

from textual import on
from textual.screen import ModalScreen
from textual.widgets import Input, Static

T = TypeVar("T")


class AskDialog(ModalScreen[T | None], Generic[T]):
    """Enter reads the box with `parse`; what cannot be read is said in `#error`; escape cancels."""

    def __init__(self, *, blink: bool = True) -> None:
        super().__init__()
        self.blink = blink

    def parse(self, text: str) -> T:
        raise NotImplementedError

    def on_mount(self) -> None:
        fields = self.query(Input)
        if not fields:  # pushed by a key typed just after q, as the tutor quits: nothing composed
            return
        field = fields.first()
        field.cursor_blink = self.blink
        field.focus()

    @on(Input.Submitted)
    def _read(self, event: Input.Submitted) -> None:
        try:
            value = self.parse(event.value)
        except ValueError as error:
            self.query_one("#error", Static).update(str(error))
            event.input.add_class("-invalid")
            return
        self.dismiss(value)

    @on(Input.Changed)
    def _editing(self, event: Input.Changed) -> None:
        self.query_one("#error", Static).update("")
        event.input.remove_class("-invalid")

    def action_cancel(self) -> None:
        self.dismiss(None)
