"""A grid of numbers the student edits by typing: the cells of the live editors' matrices.

Why it exists: the live editors let the student change the pooling input, the forward pass's
inputs, weights, biases and targets, the softmax calculator's logits. `MatrixGrid` draws the grid
and moves the cursor; this adds what typing needs: it reads typed text with
`tutor.parsing.parse_number`, adds and removes rows and columns within the owner's limits, and tells
the owner about every valid change with a `Changed` message. It computes nothing from the numbers;
the owner asks the solver. What it must not depend on: the solver's computations and the app.

A typed value that is not a finite number stays in its cell, marked, with the reason on a message
line under the grid; the cell's last valid number stays in force, so the matrix never holds it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size

from tutor.parsing import ParseError, parse_number

from .grid_text import Cell
from .matrix_grid import GridMessage, MatrixGrid

START_CHARACTERS = frozenset("0123456789-.−")
# One footer entry for the four keys ("^↓^↑^→^← ±row/col"): two would not fit 80 columns beside the
# editor's other keys. The help names each.
ROWS = COLUMNS = Binding.Group("±row/col", compact=True)
MESSAGE_WIDTH = 22  # the narrowest a grid gets while it shows its own message line


class MatrixEditor(MatrixGrid):
    """An editable (or read-only, navigable) matrix of numbers.

    Keys: arrows move; typing a digit, minus or point starts editing the cell (backspace or f2
    too); enter or moving away commits, escape cancels. ctrl+arrows add or remove a row or a
    column where min_size/max_size allow it.
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
        """The matrix in force changed (an edit committed, a row or column added or removed)."""

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
        self._editing = text
        self.refresh(layout=True)

    def cancel_editing(self) -> None:
        if self._editing is not None:
            self._editing = None
            self.refresh(layout=True)

    def commit(self) -> bool:
        """Read the edit in progress into the cell; True if the matrix changed."""
        if self._editing is None:
            return False
        text, self._editing = self._editing, None
        cell = self.cursor
        try:
            value = parse_number(text)
        except ParseError as error:
            self._set_errors({**self._errors, cell: (text, str(error))})
            self.refresh(layout=True)
            return False
        self._set_errors({c: e for c, e in self._errors.items() if c != cell})
        changed = value != self._values[cell]
        if changed:
            self._values = self._values.copy()
            self._values[cell] = value
            self._post_changed()
        self.refresh(layout=True)
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
            else:
                return
        elif event.key == "enter":
            self.commit()
        elif event.key == "escape":
            self.cancel_editing()
        elif event.key == "backspace":
            self._editing = self._editing[:-1]
            self.refresh(layout=True)
        elif event.is_printable and event.character is not None:
            self._editing += event.character
            self.refresh(layout=True)
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
