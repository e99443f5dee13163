"""A grid of numbers the student edits by typing: the cells of the live editors' matrices.

Why it exists: the live editors let the student change the pooling input, the forward pass's
inputs, weights, biases and targets, the softmax calculator's logits. `MatrixGrid` draws the grid
and moves the cursor; this adds what typing needs: it reads typed text with
`tutor.parsing.parse_number`, adds and removes rows and columns within the owner's limits, and tells
the owner about every valid change with a `Changed` message. It computes nothing from the numbers;
the owner asks the solver. What it must not depend on: the solver's computations and the app.

Typing recomputes as it goes: each key that leaves a number in the cell puts it in force at once
(a `Changed` message, no enter needed); a value on its way to one ("-", "1e", nothing yet) waits,
with no message and nothing changed; anything else is marked in its cell with the reason on a
message line under the grid, and the cell's last valid number stays in force, so the matrix never
holds it. Enter and the arrows end the edit (escape puts back the number the edit started from).
A key repaints the grid alone, and lays the screen out again only when the grid's size changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.widget import Widget

from tutor.half_typed import half_typed
from tutor.parsing import ParseError, parse_number

from .grid_text import Cell
from .matrix_grid import GridMessage, MatrixGrid

START_CHARACTERS = frozenset("0123456789-.−")
# One footer entry for the four keys ("^↓^↑^→^← ±row/col"): two would not fit 80 columns beside the
# editor's other keys. The help names each.
ROWS = COLUMNS = Binding.Group("±row/col", compact=True)
MESSAGE_WIDTH = 22  # the narrowest a grid gets while it shows its own message line
HOLD_S = 0.004  # how long a change holds the next frame back for the owner's recompute (a frame is 16 ms)


def hold_frame(widget: Widget, seconds: float = HOLD_S) -> Callable[[], None]:
    """Hold the screen's next frame back `seconds` at most, for a recompute about to follow: so the
    key's own repaint (a cell, a field) and what the owner recomputes from it (outputs, steps, a
    diagram) go out in one frame. Without it the cell was drawn alone at once and the results a
    frame or two later (16-33 ms), as their widgets reported after the frame had gone. Only what
    changed is drawn then (App.delay_update would repaint the whole screen). Returns the release,
    for work that ends sooner (called twice, it releases once)."""
    if not widget.is_attached:
        return lambda: None
    batch, screen, held = widget.app.batch_update(), widget.screen, [True]
    batch.__enter__()

    def release() -> None:
        if held:
            held.clear()
            batch.__exit__(None, None, None)
            screen.check_idle()  # the screen draws what is dirty now (its idle resumes its frame timer)

    widget.set_timer(seconds, release)
    return release


class MatrixEditor(MatrixGrid):
    """An editable (or read-only, navigable) matrix of numbers.

    Keys: arrows move; typing a digit, minus or point starts editing the cell (backspace or f2
    too), and every key that leaves a number puts it in force; enter or moving away ends the edit,
    escape puts back the number it started from. ctrl+arrows add or remove a row or a column where
    min_size/max_size allow it.
    """

    BINDINGS = [
        Binding("f2", "edit", "edit cell", show=False, tooltip="Edit the number in this cell",
                id="matrix.edit"),
        Binding("ctrl+down", "add_row", "add row", key_display="^↓", tooltip="Add a row at the bottom",
                id="matrix.add_row", group=ROWS),
        Binding("ctrl+up", "remove_row", "remove row", key_display="^↑", tooltip="Remove the bottom row",
                id="matrix.remove_row", group=ROWS),
        Binding("ctrl+right", "add_column", "add column", key_display="^→",
                tooltip="Add a column at the right", id="matrix.add_column", group=COLUMNS),
        Binding("ctrl+left", "remove_column", "remove column", key_display="^←",
                tooltip="Remove the rightmost column", id="matrix.remove_column", group=COLUMNS),
    ]

    @dataclass
    class Changed(GridMessage):
        """The matrix in force changed (a number typed, an edit undone, a row or column added or removed)."""

        matrix: np.ndarray

    @dataclass
    class ErrorsChanged(GridMessage):
        """Cells were marked invalid or cleared; `message` lists them ("" when none is left)."""

        message: str

    def __init__(self, matrix, *, read_only: bool = False, show_message: bool = True, fill: float = 0.0,
                 **grid) -> None:
        """`grid`: MatrixGrid's (title, labels, cell names, min_size and max_size, name, id, classes).
        read_only: navigable only; show_message: the invalid cells' reasons under the grid (else
        the owner shows `message`); fill: the number of a new row's or column's cells."""
        super().__init__(matrix, **grid)
        self.read_only = read_only
        self.show_message = show_message
        self.fill = fill
        self._errors: dict[Cell, tuple[str, str]] = {}  # cell -> (typed text, reason)
        self._editing: str | None = None
        self._before = 0.0  # the number in force when the edit started (escape puts it back)

    # ---- the matrix ---------------------------------------------------------------------------

    @property
    def errors(self) -> dict[Cell, str]:
        """Invalid cells and the reason each is not used."""
        return {cell: reason for cell, (_, reason) in self._errors.items()}

    @property
    def editing(self) -> bool:
        return self._editing is not None

    def set_matrix(self, matrix) -> None:
        """Replace the numbers (and the size); clears edits and marks. Posts no message."""
        super().set_matrix(matrix)
        self._set_errors({})
        self._editing = None

    def text_key(self) -> tuple:
        editing = (self._editing, self.cursor) if self._editing is not None else None
        return (*super().text_key(), editing, tuple(sorted(self._errors.items())))

    def cell_text(self, row: int, col: int) -> str:
        """What the cell shows: the edit in progress, an invalid typed text, or the number."""
        if self._editing is not None and (row, col) == self.cursor:
            return self._editing
        if (row, col) in self._errors:
            return self._errors[row, col][0]
        return super().cell_text(row, col)

    @property
    def message(self) -> str:
        """The message line: every invalid cell with its reason."""
        return "\n".join(
            f"{self.cell_name(*cell)}: {reason}" for cell, (_, reason) in sorted(self._errors.items())
        )

    # ---- editing --------------------------------------------------------------------------------

    def start_editing(self, text: str = "") -> None:
        if self.read_only:
            return
        self._before = float(self._values[self.cursor])
        self._editing = text
        self._typed()

    def cancel_editing(self) -> None:
        """End the edit and put back the number the cell held when it started."""
        if self._editing is not None:
            self._editing = None
            cell = self.cursor
            self._set_errors({c: e for c, e in self._errors.items() if c != cell})
            self._put(cell, self._before)
            self._repaint()

    def _typed(self) -> None:
        """The edit's text changed: a number is put in force at once, a half-typed one waits, anything
        else is marked with its reason (the number in force stays)."""
        text, cell = self._editing or "", self.cursor
        try:
            value = parse_number(text)
        except ParseError as error:
            if half_typed(text):
                self._set_errors({c: e for c, e in self._errors.items() if c != cell})
            else:
                self._set_errors({**self._errors, cell: (text, str(error))})
        else:
            self._set_errors({c: e for c, e in self._errors.items() if c != cell})
            self._put(cell, value)
        self._repaint()

    def _put(self, cell: Cell, value: float) -> bool:
        """Put `value` in force in `cell`, telling the owner if the matrix changed (and holding the
        next frame back a moment, so that the cell and what the owner recomputes are drawn in one)."""
        if value == self._values[cell]:
            return False
        hold_frame(self)
        self._values = self._values.copy()
        self._values[cell] = value
        self._post_changed()
        return True

    def commit(self) -> bool:
        """End the edit in progress (its number is in force already); True if the matrix changed.
        Nothing typed: the cell shows its number again; anything else that is not a number (left
        half-typed, as "-") stays in the cell, marked, with its reason."""
        if self._editing is None:
            return False
        text, self._editing = self._editing, None
        cell = self.cursor
        try:
            value = parse_number(text)
        except ParseError as error:
            if text.strip():
                self._set_errors({**self._errors, cell: (text, str(error))})
            self._repaint()
            return False
        self._set_errors({c: e for c, e in self._errors.items() if c != cell})
        changed = self._put(cell, value)
        self._repaint()
        return changed

    def leave_cell(self) -> None:
        self.commit()

    def _set_errors(self, errors: dict[Cell, tuple[str, str]]) -> None:
        if errors != self._errors:
            self._errors = errors
            self.post_message(self.ErrorsChanged(self, self.message))

    def _post_changed(self) -> None:
        self.post_message(self.Changed(self, self.matrix))

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if self.read_only or character is None or not character.isprintable():
            return False
        return self._editing is not None or character in START_CHARACTERS

    def on_key(self, event: events.Key) -> None:
        if self.read_only:
            return
        if self._editing is None:
            if event.character is not None and event.character in START_CHARACTERS:
                self.start_editing(event.character)
            elif event.key in ("backspace", "delete"):
                self.start_editing("")
            elif event.is_printable and event.character and event.key not in self.screen.active_bindings:
                self.start_editing(event.character)  # "x": said in place as not a number (it was ignored)
            else:
                return  # a key of the screen's (e, r, ?): its binding
        elif event.key == "enter":
            self.commit()
        elif event.key == "escape":
            self.cancel_editing()
        elif event.key == "backspace":
            self._editing = self._editing[:-1]
            self._typed()
        elif event.is_printable and event.character is not None:
            self._editing += event.character
            self._typed()
        else:
            return
        event.stop()
        event.prevent_default()

    def on_blur(self) -> None:  # (MatrixGrid.on_blur repaints after this)
        self.commit()

    def action_edit(self) -> None:
        self.start_editing(self.cell_text(*self.cursor))

    # ---- rows and columns -------------------------------------------------------------------------

    def action_add_row(self) -> None:
        self._resize(self.shape[0] + 1, self.shape[1])

    def action_remove_row(self) -> None:
        self._resize(self.shape[0] - 1, self.shape[1])

    def action_add_column(self) -> None:
        self._resize(self.shape[0], self.shape[1] + 1)

    def action_remove_column(self) -> None:
        self._resize(self.shape[0], self.shape[1] - 1)

    def can_resize(self, rows: int, cols: int) -> bool:
        return (
            not self.read_only
            and self.min_size[0] <= rows <= self.max_size[0]
            and self.min_size[1] <= cols <= self.max_size[1]
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        rows, cols = self.shape
        wanted = {
            "add_row": (rows + 1, cols),
            "remove_row": (rows - 1, cols),
            "add_column": (rows, cols + 1),
            "remove_column": (rows, cols - 1),
        }.get(action)
        if wanted is None:
            return True
        axis = 0 if action.endswith("row") else 1
        if self.read_only or self.min_size[axis] == self.max_size[axis]:
            return False  # this size never changes: hide the keys
        return True if self.can_resize(*wanted) else None

    def _resize(self, rows: int, cols: int) -> None:
        if not self.can_resize(rows, cols):
            return
        self.commit()
        old_rows, old_cols = self.shape
        values = np.full((rows, cols), self.fill, dtype=float)
        keep_r, keep_c = min(rows, old_rows), min(cols, old_cols)
        values[:keep_r, :keep_c] = self._values[:keep_r, :keep_c]
        self._values = values
        self._set_errors({cell: e for cell, e in self._errors.items() if self._inside(cell)})
        self._highlights = {cell: h for cell, h in self._highlights.items() if self._inside(cell)}
        self.cursor = self.cursor
        self.refresh(layout=True)
        self.refresh_bindings()
        self._post_changed()

    # ---- drawing --------------------------------------------------------------------------------

    def _widths(self) -> list[int]:
        widths = super()._widths()
        if self._editing is not None:  # room for the caret after what is typed
            col = self.cursor[1]
            widths[col] = max(widths[col], cell_len(self._editing) + 1)
        return widths

    def get_content_width(self, container: Size, viewport: Size) -> int:
        message = MESSAGE_WIDTH if self._errors and self.show_message else 0
        return max(super().get_content_width(container, viewport), message)

    def lines_below(self) -> list[Text]:
        if self._errors and self.show_message:
            return [Text(self.message, style=self.get_component_rich_style("matrix-editor--message"))]
        return []

    def cell_marks(self, cell: Cell) -> list[str]:
        invalid = cell in self._errors
        if cell == self.cursor and self._editing is not None:
            return ["matrix-editor--editing"]
        if cell == self.cursor and self.has_focus:
            return ["matrix-editor--invalid-cursor" if invalid else "matrix-editor--cursor"]
        if invalid:
            return ["matrix-editor--invalid"]
        return super().cell_marks(cell)
