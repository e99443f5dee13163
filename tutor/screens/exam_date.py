"""The exam date dialog: type the day of the exam, YYYY-MM-DD; reviews are planned toward it.

ModalScreen[date | None]: dismisses with the day, or None on escape. A date that cannot be read, a
day that has passed or one more than two years away is said under the box (`parse_exam_date`'s
sentence) and the dialog stays open: nothing is stored until a date is read.
"""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from tutor.exam_day import parse_exam_date

from tutor.screens.ask import AskDialog


class ExamDateDialog(AskDialog[date]):
    """Asks for the exam date; enter reads it, escape cancels."""

    CSS_PATH = "exam_date.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", key_display="esc", id="exam_date.cancel",
                tooltip="Keep the exam date as it is"),
    ]

    def __init__(self, current: date | None, today: date, *, blink: bool = True) -> None:
        super().__init__(blink=blink)
        self.current, self.today = current, today

    def compose(self) -> ComposeResult:
        now = f"now {self.current.isoformat()}" if self.current else "none set yet"
        with Vertical():
            yield Static(f"The day of your exam ({now})", id="title", markup=False)
            yield Static("Type it as YYYY-MM-DD, then enter (esc: keep it as it is). Reviews are planned so that"
                         " every part comes due in the last days before it.", id="message", markup=False)
            yield Input(value=self.current.isoformat() if self.current else "",
                        placeholder=f"YYYY-MM-DD, e.g. {self.today.isoformat()}", id="exam-date")
            yield Static(id="error", markup=False)

    def parse(self, text: str) -> date:
        return parse_exam_date(text, self.today)
