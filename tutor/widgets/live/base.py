"""What every live editor shares: its computations, and the keys for the exam's numbers and new ones.

A live editor is built on a content editor (`tutor.editors.Editor`: its kind and the computation in
each role), starts from those computations' arguments (the exam's numbers), lets the student change
them, and shows what `tutor.exam.evaluate(computation, **edited)` makes of them. It never computes
a shown number itself. What it must not depend on: the app, and any question's number or words.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Input, Static

from tutor.editors import Editor
from tutor.exam import evaluate
from tutor.parsing import ParseError, parse_number
from tutor.randomness import Generator

from .matrix_editor import MatrixEditor, hold_frame


class FieldInput(Input):
    """A live editor's text field: Textual's Input, whose every key laid out the whole question
    screen again (its virtual width follows the text); while the text fits the field, this one sets
    that width without a layout. Its repaint waits for the recompute (hold_frame)."""

    def _watch_value(self, value: str) -> None:
        width = self.content_width
        if 0 < max(width, self.virtual_size.width) <= self.size.width:
            self.set_reactive(Widget.virtual_size, Size(width, 1))  # fits: the same layout as before
        if self.has_focus:  # typed (a fill or a reset sets many fields: their recompute is one)
            hold_frame(self)
        super()._watch_value(value)


class LiveEditor(Vertical):
    """Base of the live editors: ctrl+r puts the exam's numbers back, ctrl+n draws new ones."""

    DEFAULT_CSS = """
    LiveEditor {
        height: auto;
        width: 100%;
        & .-dimmed { text-opacity: 55%; }
        & Input.-invalid { color: $text-error; text-style: bold underline; }
    }
    """

    BINDINGS = [
        Binding(
            "ctrl+r",
            "reset",
            "exam numbers",
            tooltip="Put the exam's numbers back in every field",
            id="live.reset",
        ),
        Binding(
            "ctrl+n",
            "randomize",
            "new numbers",
            tooltip="Draw new random numbers for this computation",
            id="live.randomize",
        ),
    ]

    def __init__(self, spec: Editor, *, seed: int | None = None, id: str | None = None,
                 classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.spec = spec
        self.rng = Generator(seed)

    def evaluate(self, role: str, **edited):
        """The result of the computation in `role` with the edited arguments in place of the exam's."""
        return evaluate(self.spec.computation(role), **edited)

    @on(MatrixEditor.ErrorsChanged)
    def _cell_errors(self) -> None:
        """Gather the grids' invalid cells on the editor's full-width line(s) of class cell-errors."""
        lines = [
            f"{grid.name}: {line}" if grid.name else line
            for grid in self.query(MatrixEditor)
            for line in grid.message.splitlines()
        ]
        for note in self.query(".cell-errors").results(Note):
            note.say("\n".join(lines))

    def action_reset(self) -> None:
        self.reset()

    def action_randomize(self) -> None:
        self.randomize()

    def reset(self) -> None:
        """Put the exam's numbers back and recompute."""
        raise NotImplementedError

    def randomize(self) -> None:
        """Draw new random numbers and recompute."""
        raise NotImplementedError


def read_whole(field: Input, *, empty_ok: bool = False, low: int | None = None, high: int | None = None) -> int | None:
    """The whole number typed in `field` (None if empty and allowed), or ParseError with the reason.

    With `low` and `high`, a number outside low..high is refused with the range said ("from 1 to
    8"): what reaches the solver, numpy and C stays within what the editor can show (a stride of
    1e19 would overflow a C integer). Marks the field invalid (class -invalid) on error and clears
    the mark otherwise.
    """
    text = field.value
    try:
        if empty_ok and not text.strip():
            value = None
        else:
            number = parse_number(text)
            if not number.is_integer():
                raise ParseError(f"{shorten(text.strip())!r} is not a whole number")
            value = int(number)
            if (low is not None and value < low) or (high is not None and value > high):
                raise ParseError(f"{shorten(text.strip())!r} is out of range: {limits(low, high)}")
    except ParseError:
        field.add_class("-invalid")
        raise
    field.remove_class("-invalid")
    return value


def show_lines(widget: Static, old: list[str], new: list[str]) -> None:
    """Put `new` lines in `widget` in place of `old`: nothing when they are the same, and a repaint
    of the widget alone when they take as many rows (wrapped at its width) as before. Laying out
    the whole question screen again on every key was most of a key's time. A line wider than the
    widget with a chain of "=" is broken before each "=" (step_reveal.lay_out), as the worked steps
    are, instead of wrapping mid-formula ("= 5" then "+ 1 = 6" on the next row)."""
    if new == old:
        return
    width = widget.content_region.width
    laid = laid_out(new, width or max(20, widget.app.size.width - 4))  # (not laid out yet: the screen's)
    same_height = width > 0 and rows(laid_out(old, width), width) == rows(laid, width)
    widget.update(Text("\n".join(laid)), layout=not same_height)


def laid_out(lines: list[str], width: int) -> list[str]:
    """The lines as shown `width` wide: a long chain of "=" broken into a column, as in the steps."""
    from tutor.widgets.step_reveal import lay_out

    return lay_out("\n".join(lines), width).split("\n") if lines else []


def rows(lines: list[str], width: int) -> int:
    """How many rows `lines` take, each wrapped at `width` cells."""
    return sum(max(1, -(-cell_len(line) // width)) for line in lines) if lines else 0


def limits(low: int | None, high: int | None) -> str:
    """The range of a field in words: "from 1 to 8", "at least 1", "at most 8"."""
    if low is not None and high is not None:
        return f"from {low:,} to {high:,}"
    return f"at least {low:,}" if low is not None else f"at most {high:,}"


def shorten(text: str, width: int = 12) -> str:
    """What was typed, cut short for a message line: "1000000000000…"."""
    return text if len(text) <= width else text[:width] + "…"


class Note(Static):
    """A message line under a field or a grid: shown while it has something to say."""

    DEFAULT_CSS = """
    Note {
        height: auto;
        color: $text-error;
        display: none;
        &.-shown { display: block; }
    }
    """

    said: str = ""
    """What the line says now ("" when hidden)."""

    def say(self, text: str) -> None:
        """Show `text`, or hide the line when it is "" (saying the same again repaints nothing)."""
        if text == self.said:
            return
        self.said = text
        self.update(Text(text))
        self.set_class(bool(text), "-shown")


class Unavailable(Static):
    """Where a live editor would be, when the exam's own numbers fail in its computations: the
    reason, and where to read more (the content is broken; `itm528-tutor check` names the line)."""

    DEFAULT_CSS = """
    Unavailable { height: auto; color: $text-error; }
    """

    def __init__(self, reason: str, *, id: str | None = None):
        super().__init__(Text(f"The live editor cannot start: {reason}. `itm528-tutor check` says where."), id=id)
        self.reason = reason
