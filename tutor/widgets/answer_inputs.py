"""Answer inputs, one small widget per kind of part.

Each turns keystrokes into the response `tutor.grading.grade` reads (a str, or a blank-name -> str
mapping for "values") and starts from a stored draft; `SelfMarkAnswer` takes the student's own mark
of an answer the grader was unsure of. None of them grades or stores anything: they post
`AnswerInput.Submitted` (check me) and `AnswerInput.WorkToggled` (the "I wrote out the work" box
changed) and the question screen does the rest. They know kinds of part, never a particular
question. Their state is in glyphs as well as colours (NO_COLOR, any theme): a chosen option
`(•)`, the others `( )`, `›` at the option under the cursor, the work box `[x]` or `[ ]`; the
options of a choice part are numbered 1, 2, … (the parts are (a), (b), …). Where enter moves the
focus (to the next blank) it does so at once, as a priority binding, so keys typed right after it
reach the box they were meant for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, RadioButton, RadioSet

from tutor.exam import Part

PLACEHOLDERS = {
    "number": "a number, e.g. 2.5, −1.5, 1/2 or 3×4",
    "shape": "a shape, rows×columns, e.g. 3×4 or n×m",
    "text": "your answer in words",
    "matrix": "rows separated by ';', e.g. 1 2; 3 4",
    "formula": "a formula in the question's symbols, e.g. Aᵀb or A^T b",
}
MARKS = ("full", "partial", "none")


class Choices(RadioSet, inherit_bindings=False):
    """A RadioSet moved by up/down only, so left/right stay free for question navigation."""

    BINDINGS = [
        Binding("down", "next_button", "Next option", show=False, id="answer.next_option",
                tooltip="Highlight the next option"),
        Binding("up", "previous_button", "Previous option", show=False, id="answer.previous_option",
                tooltip="Highlight the previous option"),
        Binding("enter", "toggle_button", "Check", key_display="⏎", id="answer.choose_and_check",
                tooltip="Choose this option and check it"),
        Binding("space", "toggle_button", "Choose", show=False, id="answer.choose",
                tooltip="Choose this option and check it"),
    ]

    def on_mount(self) -> None:
        # RadioSet highlights the first option; start on the chosen one (a resumed answer) instead.
        for _ in range(max(self.pressed_index, 0)):
            self.action_next_button()

    def _repaint(self) -> None:  # the › of the option under the cursor follows the focus and the cursor
        for button in self.query(OptionButton):
            button.refresh(layout=True)

    def on_focus(self) -> None:
        self._repaint()

    def on_blur(self) -> None:
        self._repaint()

    def watch__selected(self) -> None:
        super().watch__selected()
        self._repaint()


class Marked:
    """A toggle button whose state is in its glyphs, not only its colours (NO_COLOR, any theme):
    `[x]`/`[ ]` for a box, `(•)`/`( )` for an option, and `›` before the option under the cursor
    of a focused list (its highlight is otherwise a background colour only)."""

    ON, OFF = "[x]", "[ ]"
    value: bool

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")  # type: ignore[attr-defined]
        left, inner, right = self.ON if self.value else self.OFF
        pointer = "› " if self._pointed() else "  " if self._in_list() else ""
        return Content.assemble(pointer, left, (inner, style), right)

    def _in_list(self) -> bool:
        return isinstance(self.parent, RadioSet)  # type: ignore[attr-defined]

    def _pointed(self) -> bool:
        parent = self.parent  # type: ignore[attr-defined]
        return self._in_list() and parent.has_focus and self.has_class("-selected")  # type: ignore[attr-defined]


class OptionButton(Marked, RadioButton):
    """A RadioButton whose label wraps onto more lines instead of being cut off; chosen is (•)."""

    ON, OFF = "(•)", "( )"

    DEFAULT_CSS = """
    OptionButton { height: auto; text-wrap: wrap; text-overflow: fold; }
    OptionButton.-textual-compact > .toggle--button { background: transparent; }
    """

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.render().wrap(width)))


class AnswerBox(Input):
    """An Input whose enter shows as "Check" in the footer."""

    BINDINGS = [Binding("enter", "submit", "Check", key_display="⏎", id="answer.check", tooltip="Check this answer")]


class AnswerInput(Widget):
    """Base of the answer inputs: `response`, `work_shown`, `is_blank` and the Submitted message."""

    DEFAULT_CSS = """
    AnswerInput { height: auto; }
    AnswerInput .answer-line { height: 1; }
    AnswerInput .answer-label { width: auto; padding-right: 1; color: $text-muted; }
    AnswerInput Input { width: 1fr; }
    """

    @dataclass
    class Submitted(Message):
        """The student asked to check this answer (enter, or choosing an option)."""

        answer: AnswerInput

    @dataclass
    class WorkToggled(Message):
        """The student ticked or unticked "I wrote out the work" (a checked answer is graded again)."""

        answer: AnswerInput

    def __init__(self, part: Part, draft: Any = None, *, blink: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.part = part
        self.draft = draft
        self.blink = blink

    @property
    def response(self) -> Any:
        raise NotImplementedError

    @property
    def work_shown(self) -> bool:
        return False

    def is_blank(self) -> bool:
        return not str(self.response or "").strip()

    def _input(self, value: Any, placeholder: str, **kwargs: Any) -> Input:
        field = AnswerBox(str(value or ""), placeholder=placeholder, compact=True, select_on_focus=False, **kwargs)
        field.cursor_blink = self.blink
        return field


class TextAnswer(AnswerInput):
    """number, shape, text and formula parts: one line of text; enter checks."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="answer-line"):
            yield Label("answer ›", classes="answer-label")
            yield self._input(self.draft, PLACEHOLDERS.get(self.part.kind, ""))

    @property
    def response(self) -> str:
        return self.query_one(Input).value

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(self))


class WorkBox(Marked, Checkbox, inherit_bindings=False):
    """A checkbox that space ticks, [x] or [ ]; enter is left to the question screen, where it checks
    the part."""

    BINDINGS = [Binding("space", "toggle_button", "Tick", key_display="␣", id="answer.tick_work",
                        tooltip="Tick or untick: a checked answer is graded again at once")]


class MatrixAnswer(TextAnswer):
    """matrix parts: the rows on one line, and a checkbox for the work the rubric requires."""

    def compose(self) -> ComposeResult:
        yield from super().compose()
        if self.part.work_required:
            # The label must not quote work_required: it spells out the worked answer.
            yield WorkBox(Content("I wrote out the work, not just the result"), compact=True)

    @property
    def work_shown(self) -> bool:
        boxes = self.query(Checkbox)
        return bool(boxes) and boxes.first().value

    @work_shown.setter
    def work_shown(self, shown: bool) -> None:
        """Set from what was stored: not a toggle of the student's, so no WorkToggled."""
        for box in self.query(Checkbox):
            with box.prevent(Checkbox.Changed):
                box.value = shown

    @on(Checkbox.Changed)
    def _toggled(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.post_message(self.WorkToggled(self))


class ValuesAnswer(AnswerInput):
    """values parts: one box per blank; enter moves to the next box; on the last it checks, or goes
    back to the first box still empty. A box that names its values ("h1=2 h2=-0.5 …": the grader
    spreads them over the blanks) is checked at its enter.

    Moving on is a priority binding and goes by position, not by what the boxes hold: the digits of
    a fast typist may still be on their way to a box when its enter arrives, and the next digits
    must land in the next box. What the box holds is looked at in the box's own turn, after those
    digits; the last box takes its own enter, after its digits."""

    BINDINGS = [Binding("enter", "next_blank", "Next", key_display="⏎", priority=True, show=False,
                        id="answer.next_blank", tooltip="The next box (on the last one: check)")]

    DEFAULT_CSS = """
    ValuesAnswer { layout: grid; grid-size: 3; grid-gutter: 0 2; grid-rows: 1; }
    ValuesAnswer > Horizontal { height: 1; }
    ValuesAnswer Label { width: auto; padding-right: 1; }
    """

    def compose(self) -> ComposeResult:
        drafts = self.draft if isinstance(self.draft, dict) else {}
        for index, blank in enumerate(self.part.blanks):
            with Horizontal():
                yield Label(Content(f"{blank.name} ="))
                yield self._input(drafts.get(blank.name, ""), "number", name=blank.name, id=f"blank-{index}")

    @property
    def response(self) -> dict[str, str]:
        return {field.name or "": field.value for field in self.query(Input)}

    def is_blank(self) -> bool:
        return not any(value.strip() for value in self.response.values())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_blank":  # from one of our boxes but the last (a priority binding sees every enter)
            fields = list(self.query(Input))
            return any(self.screen.focused is f for f in fields[:-1])
        return True

    def action_next_blank(self) -> None:
        """Focus the next box now, before the keys typed after this enter are handed out."""
        fields = list(self.query(Input))
        index = next(i for i, f in enumerate(fields) if f is self.screen.focused)
        self.screen.set_focus(fields[index + 1])
        fields[index].call_later(self._named_values, fields[index])  # in the box's queue: after its keys

    def _named_values(self, field: Input) -> None:
        if "=" in field.value:  # "h1=2 h2=-0.5 …" in one box: check it as it is
            self.post_message(self.Submitted(self))

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        """Enter on the last box: check, or go back to the first box still empty."""
        event.stop()
        empty = [f for f in self.query(Input) if not f.value.strip()]
        if empty and empty[0] is not event.input and "=" not in event.input.value:
            self.screen.set_focus(empty[0])
        else:
            self.post_message(self.Submitted(self))


class ChoiceAnswer(AnswerInput):
    """choice and true_false parts: up/down to an option, enter (or space) chooses it and checks."""

    def options(self) -> list[str]:
        if self.part.kind == "true_false":
            return ["True", "False"]
        return [f"{i + 1}. {choice}" for i, choice in enumerate(self.part.choices)]  # not (a): parts are (a)

    def values(self) -> list[str]:
        if self.part.kind == "true_false":
            return ["T", "F"]
        return [str(i + 1) for i in range(len(self.part.choices))]

    def compose(self) -> ComposeResult:
        values = self.values()
        with Choices(compact=True):
            for option, value in zip(self.options(), values):
                yield OptionButton(Content(option), value=str(self.draft or "") == value, compact=True)

    @property
    def response(self) -> str:
        index = self.query_one(Choices).pressed_index
        return self.values()[index] if index >= 0 else ""

    @on(RadioSet.Changed)
    def _chosen(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.post_message(self.Submitted(self))


class MarkAnswer(ChoiceAnswer):
    """derivation parts: after the worked steps, the student marks their paper full, partial or none."""

    def compose(self) -> ComposeResult:
        yield Label("Mark yourself against the rubric:", classes="answer-label")
        yield from super().compose()

    def options(self) -> list[str]:
        return list(MARKS)

    def values(self) -> list[str]:
        return list(MARKS)


class SelfMarkAnswer(MarkAnswer):
    """An answer the grader was unsure of: the student marks it full, partial or none against the
    model answer shown above it. Its `response` is the mark, not the answer."""

    def compose(self) -> ComposeResult:
        yield Label("Unsure: mark yourself against the model answer and the rubric:",
                    classes="answer-label")
        yield from ChoiceAnswer.compose(self)

    def options(self) -> list[str]:
        from tutor.grading import format_points, self_credit

        part = self.part
        half = format_points(self_credit(part))
        return [f"full ({format_points(part.points)})", f"partial ({half}, ours: half)", "none (0)"]

    async def reset(self) -> None:
        """No mark chosen (a new unsure check must be marked anew)."""
        await self.recompose()


def answer_input(part: Part, draft: Any = None, *, blink: bool = True) -> AnswerInput:
    """The input widget for `part`'s kind."""
    kinds: dict[str, type[AnswerInput]] = {
        "true_false": ChoiceAnswer,
        "choice": ChoiceAnswer,
        "values": ValuesAnswer,
        "matrix": MatrixAnswer,
        "derivation": MarkAnswer,
    }
    return kinds.get(part.kind, TextAnswer)(part, draft, blink=blink, id=f"answer-{part.label}")
