"""The student's own mark of an answer the grader was unsure of, outside the question screen.

An exam is graded when it is submitted; a text answer the grader cannot decide is stored "unsure"
with no score. The results screen opens this dialog for each such answer: the prompt, the answer as
typed, why the grader could not decide, the model answer and the rubric, and full / partial / none.
ModalScreen[str | None]: it dismisses with the mark, or None (escape: not now, it stays to mark).
Storing the mark is the caller's job; this screen only asks.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tutor.exam import Part, Question
from tutor.points import format_points
from tutor.widgets.answer_inputs import AnswerInput, SelfMarkAnswer
from tutor.widgets.part_view import model_answer
from tutor.widgets.prose import Prose


class SelfMarkDialog(ModalScreen[str | None]):
    """One unsure answer, to be marked full, partial or none."""

    CSS_PATH = "self_mark.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Not now", key_display="esc", id="self_mark.cancel",
                tooltip="Close without a mark: the answer stays to mark"),
    ]

    def __init__(self, question: Question, part: Part, answer: str, why: str, left: int = 1) -> None:
        super().__init__()
        self.question, self.part, self.answer, self.why, self.left = question, part, answer, why, left

    def compose(self) -> ComposeResult:
        q, part = self.question, self.part
        more = f" · {self.left - 1} more after this" if self.left > 1 else ""
        with Vertical():
            yield Static(f"Question {q.number}({part.label}) · {format_points(part.points)} pts · "
                         f"the grader is unsure{more}", id="title", markup=False)
            with VerticalScroll(id="body"):
                yield Prose(part.prompt, classes="prompt")
                yield Static(f"Your answer: {self.answer}", id="answer", markup=False)
                yield Static(" ".join(self.why.split()), id="why", markup=False)
                yield Static(model_answer(part), id="model", markup=False)
            yield SelfMarkAnswer(part, id=f"selfmark-{part.label}")

    def on_mount(self) -> None:
        self.query_one(SelfMarkAnswer).query_one("RadioSet").focus()

    @on(AnswerInput.Submitted)
    def _marked(self, event: AnswerInput.Submitted) -> None:
        event.stop()
        self.dismiss(event.answer.response)

    def action_cancel(self) -> None:
        self.dismiss(None)
