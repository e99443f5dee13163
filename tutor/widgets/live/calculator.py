"""What the small calculators share: a column of labelled fields, a message line, and result lines.

Why it exists: the output-size, parameter, softmax and gradient calculators (`calculators`,
`gradient_calculator`) each read a few numbers and show what the solver makes of them; this is the
reading, the marking of a field that cannot be read, and the stale (dimmed) results. A calculator is
built on an editor of `tutor.editors` and recomputes with `tutor.exam.evaluate` in its `results`.
What it must not depend on: the solver's formulas (every result line is a solver step or value) and
the app. Every key recomputes: a field that cannot be read, or holds a number outside its range (at
most MAX_WHOLE), says so beside itself and the previous results stay, dimmed (and so does the
picture, when the content shows one under the results: `compose_picture` and `draw_picture` of the
calculator that has one); a field on its way to a number (nothing yet, "-") waits: no message,
nothing recomputed or dimmed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Label, Static

from tutor.editors import Editor
from tutor.half_typed import half_typed
from tutor.parsing import ParseError

from .base import FieldInput, LiveEditor, Note, read_whole, show_lines
from .matrix_editor import MatrixEditor


MAX_WHOLE = 99_999  # a size, count or stride of a calculator: what its 8-column field shows
WAITING = object()  # read(): a field is half-typed, so nothing is recomputed yet


@dataclass(frozen=True)
class Field:
    """One input of a calculator: the solver argument it feeds, and how it is shown."""

    name: str
    label: str
    kind: str = "whole"  # "whole" (a whole number, maybe empty) or "flag" (a checkbox)
    empty_ok: bool = False
    tooltip: str = ""
    low: int | None = 1  # a whole number outside low..high is refused beside its field, with the range
    high: int | None = MAX_WHOLE  # (None: the calculator's read() checks a range of its own)


class Calculator(LiveEditor):
    """A column of labelled fields, a message line, and result lines from the solver."""

    DEFAULT_CSS = """
    Calculator {
        & .calc-field { height: 1; width: 100%; }
        & .calc-field > Label { width: 22; }
        & .calc-field > Input { width: 8; margin-right: 2; }
        & .calc-field > Checkbox { width: auto; }
        & .calc-field > Note { width: 1fr; }
        & .calc-formula { height: 1; width: 100%; margin-top: 1; }
        & .calc-formula > Label { width: 9; }
        & .calc-formula > Input { width: 1fr; }
        & > #calc-results { height: auto; margin-top: 1; }
        & > .calc-picture { margin-top: 1; }
    }
    """

    FIELDS: tuple[Field, ...] = ()

    def __init__(self, spec: Editor, values: Mapping, *, seed: int | None = None, id: str | None = None,
                 classes: str | None = None):
        super().__init__(spec, seed=seed, id=id, classes=classes)
        self.exam = dict(values)  # the exam's numbers, for ctrl+r
        self.lines: list[str] = []
        self._typed: tuple | None = None  # what the fields held at the last recompute

    def compose(self) -> ComposeResult:
        for field in self.FIELDS:
            with Horizontal(classes="calc-field"):
                yield Label(field.label)
                value = self.exam.get(field.name)
                if field.kind == "flag":
                    yield Checkbox(
                        "counted", bool(value), compact=True, id=f"calc-{field.name}", tooltip=field.tooltip
                    )
                else:
                    text = "" if value is None else str(value)
                    yield FieldInput(text, compact=True, id=f"calc-{field.name}", tooltip=field.tooltip or None)
                yield Note(id=f"calc-{field.name}-note")
        yield from self.compose_extra()
        yield Note(id="calc-message")
        yield Static(id="calc-results")
        if self.spec.picture is not None:
            yield from self.compose_picture()

    def compose_picture(self) -> ComposeResult:
        """The picture the content shows (`self.spec.picture`), of class calc-picture, imported here."""
        yield from ()

    @property
    def picture(self):
        """The picture under the results, or None."""
        found = self.query(".calc-picture")
        return found.first() if found else None

    def draw_picture(self, values: dict) -> None:
        """Show what the solver made of these field values in the picture (there is one)."""

    def compose_extra(self) -> ComposeResult:
        """More inputs after the fields (the softmax calculator's logits)."""
        yield from ()

    def on_mount(self) -> None:
        self.recompute()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """A field left: the picture, which kept its largest size while the field was typed in (so the
        screen did not jump on every key), fits what it shows now."""
        if self.picture is not None and isinstance(event.widget, FieldInput):
            self.picture.settle()

    def read(self) -> dict | None:
        """Every field's value; None after marking each field that cannot be read; WAITING when a
        field is half-typed (nothing yet, "-") and none is wrong."""
        values, bad, waiting = {}, False, False
        for field in self.FIELDS:
            widget = self.query_one(f"#calc-{field.name}")
            note = self.query_one(f"#calc-{field.name}-note", Note)
            if field.kind == "flag":
                values[field.name] = widget.value
                continue
            if half_typed(widget.value) and not (field.empty_ok and not widget.value.strip()):
                widget.remove_class("-invalid")
                note.say("")
                waiting = True
                continue
            try:
                values[field.name] = read_whole(widget, empty_ok=field.empty_ok, low=field.low, high=field.high)
                note.say("")
            except ParseError as error:
                note.say(str(error))
                bad = True
        return None if bad else WAITING if waiting else values

    def _fields_now(self) -> tuple:
        """What every input and checkbox of the calculator holds."""
        return tuple((widget.id, widget.value) for widget in self.query("Input, Checkbox"))

    def recompute(self) -> None:
        self._typed = self._fields_now()
        values = self.read()
        if values is WAITING:
            return
        if values is None:
            self._stale()
            return
        try:
            lines = self.results(values)
        except (ValueError, OverflowError) as error:  # impossible, or numbers past what C holds
            self.query_one("#calc-message", Note).say(str(error))
            self._stale()
            return
        self.query_one("#calc-message", Note).say("")
        self.show(lines)
        if self.picture is not None:
            self.picture.remove_class("-dimmed")
            self.draw_picture(values)

    def show(self, lines: list[str]) -> None:
        old, self.lines = self.lines, lines
        results = self.query_one("#calc-results", Static)
        results.remove_class("-dimmed")
        show_lines(results, old, lines)

    def _stale(self) -> None:
        self.query_one("#calc-results").add_class("-dimmed")
        if self.picture is not None:
            self.picture.add_class("-dimmed")

    def results(self, values: dict) -> list[str]:
        """The result lines for these field values (the computations evaluated); ValueError when
        impossible."""
        raise NotImplementedError

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(MatrixEditor.Changed)
    def _changed(self, event: Input.Changed | Checkbox.Changed | MatrixEditor.Changed) -> None:
        """Recompute, unless a field says it changed to what was computed from already: each input
        says so once as it mounts, with the value it was made with (three recomputes more on
        opening a question, a forward pass and a numerical gradient check each in question 6)."""
        if not isinstance(event, MatrixEditor.Changed) and self._fields_now() == self._typed:
            return
        self.recompute()

    def reset(self) -> None:
        self.fill(self.exam)

    def randomize(self) -> None:
        self.fill(self.draw())

    def draw(self) -> dict:
        """New random field values."""
        raise NotImplementedError

    def fill(self, values: Mapping) -> None:
        with self.prevent(Input.Changed, Checkbox.Changed, MatrixEditor.Changed):
            for field in self.FIELDS:
                widget = self.query_one(f"#calc-{field.name}")
                value = values.get(field.name)
                if field.kind == "flag":
                    widget.value = bool(value)
                else:
                    widget.value = "" if value is None else str(value)
            self.fill_extra(values)
        self.recompute()

    def fill_extra(self, values: Mapping) -> None:
        """Put values in the inputs of compose_extra."""
