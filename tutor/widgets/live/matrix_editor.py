"""A grid of numbers the student moves through with the arrow keys and edits by typing.

The live editors build on it: the pooling input and output, the forward pass's inputs, weights,
biases and targets, the logits of the softmax calculator. It holds numbers and marks, nothing more:
it reads typed text with `tutor.parsing.parse_number`, shows numbers with the solver's
`format_number`, and tells its owner about every valid change with a `Changed` message. It computes
nothing from the numbers; the owner asks the solver.

A typed value that is not a finite number stays in its cell, marked, with the reason on a message
line under the grid; the cell's last valid number stays in force, so the matrix never holds it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from tutor.parsing import ParseError, parse_number
from tutor.solver import format_number

from .grid_text import Cell, cell_at, column_widths, grid_lines, grid_width

START_CHARACTERS = frozenset("0123456789-.−")
HIGHLIGHTS = ("window", "winner")
ROWS = Binding.Group("±row", compact=True)  # one footer entry for the pair of keys
COLUMNS = Binding.Group("±col", compact=True)
MESSAGE_WIDTH = 22  # the narrowest a grid gets while it shows its own message line


@dataclass
class GridMessage(Message):
    """A message from a matrix editor; `@on(MatrixEditor.Changed, "#id")` matches its id."""

    editor: MatrixEditor

    @property
    def control(self) -> MatrixEditor:
        return self.editor


class MatrixEditor(Widget, can_focus=True):
    """An editable (or read-only, navigable) matrix of numbers.

    Keys: arrows move; typing a digit, minus or point starts editing the cell (backspace or f2
    too); enter or moving away commits, escape cancels. ctrl+arrows add or remove a row or a
    column where min_size/max_size allow it.
    """

    DEFAULT_CSS = """
    MatrixEditor {
        width: auto;
        height: auto;
        padding: 0 1 0 0;
        &.-dimmed { text-opacity: 55%; }
        & > .matrix-editor--title { text-style: bold; }
        & > .matrix-editor--label { color: $text-muted; }
        & > .matrix-editor--cursor { text-style: bold reverse; }
        & > .matrix-editor--cursor-blurred { text-style: underline; }
        & > .matrix-editor--window { background: $primary 35%; }
        & > .matrix-editor--winner { background: $success 70%; color: $text; text-style: bold; }
        & > .matrix-editor--invalid { color: $error; text-style: bold underline; }
        & > .matrix-editor--invalid-cursor { background: $error; color: $text; text-style: bold; }
        & > .matrix-editor--message { color: $text-error; }
        & > .matrix-editor--editing { background: $warning 40%; color: $text; }
    }
    """

    COMPONENT_CLASSES = {
        "matrix-editor--title",
        "matrix-editor--label",
        "matrix-editor--cursor",
        "matrix-editor--cursor-blurred",
        "matrix-editor--window",
        "matrix-editor--winner",
        "matrix-editor--invalid",
        "matrix-editor--invalid-cursor",
        "matrix-editor--message",
        "matrix-editor--editing",
    }

    BINDINGS = [
        Binding("up", "move(-1, 0)", "up", show=False, tooltip="The cell above", id="matrix.up"),
        Binding("down", "move(1, 0)", "down", show=False, tooltip="The cell below", id="matrix.down"),
        Binding("left", "move(0, -1)", "left", show=False, tooltip="The cell on the left",
                id="matrix.left"),
        Binding("right", "move(0, 1)", "right", show=False, tooltip="The cell on the right",
                id="matrix.right"),
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

    @dataclass
    class CursorMoved(GridMessage):
        """The cursor moved to (row, col), 0-based."""

        row: int
        col: int

    cursor: reactive[Cell] = reactive((0, 0), layout=True)
    """The (row, col) of the cursor, 0-based."""
    title: reactive[str] = reactive("", layout=True)
    """A line above the grid."""
    dimmed: reactive[bool] = reactive(False, toggle_class="-dimmed")
    """Shown faded: the numbers are out of date (the owner could not recompute)."""

    def __init__(
        self,
        matrix,
        *,
        title: str = "",
        row_labels: Sequence[str] | None = None,
        col_labels: Sequence[str] | None = None,
        numbered: bool = False,
        cell_names: Sequence[Sequence[str]] | None = None,
        min_size: tuple[int, int] | None = None,
        max_size: tuple[int, int] | None = None,
        read_only: bool = False,
        show_message: bool = True,
        fill: float = 0.0,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        values = np.array(matrix, dtype=float, ndmin=2)
        if values.ndim != 2:
            raise ValueError(f"a matrix editor holds a 2-D matrix, got shape {values.shape}")
        self._values = values
        self.title = title
        self._row_labels = list(row_labels) if row_labels is not None else None
        self._col_labels = list(col_labels) if col_labels is not None else None
        self.numbered = numbered
        self._cell_names = [list(row) for row in cell_names] if cell_names is not None else None
        self.min_size = min_size or values.shape
        self.max_size = max_size or values.shape
        self.read_only = read_only
        self.show_message = show_message
        self.fill = fill
        self._errors: dict[Cell, tuple[str, str]] = {}  # cell -> (typed text, reason)
        self._editing: str | None = None
        self._highlights: dict[Cell, str] = {}

    # ---- the matrix ---------------------------------------------------------------------------

    @property
    def matrix(self) -> np.ndarray:
        """A copy of the matrix in force (invalid cells keep their last valid number)."""
        return self._values.copy()

    @property
    def shape(self) -> tuple[int, int]:
        return self._values.shape  # type: ignore[return-value]

    @property
    def errors(self) -> dict[Cell, str]:
        """Invalid cells and the reason each is not used."""
        return {cell: reason for cell, (_, reason) in self._errors.items()}

    @property
    def editing(self) -> bool:
        return self._editing is not None

    def set_matrix(self, matrix) -> None:
        """Replace the numbers (and the size); clears edits and marks. Posts no message."""
        values = np.array(matrix, dtype=float, ndmin=2)
        if values.ndim != 2:
            raise ValueError(f"a matrix editor holds a 2-D matrix, got shape {values.shape}")
        self._values = values
        self._set_errors({})
        self._editing = None
        self._highlights = {k: v for k, v in self._highlights.items() if self._inside(k)}
        self.cursor = self.cursor  # clamp to the new shape
        self.refresh(layout=True)

    def highlight(self, cells: Mapping[Cell, str] | None = None) -> None:
        """Colour the given cells: each maps to one of HIGHLIGHTS ("window", "winner"); None clears."""
        cells = dict(cells or {})
        for cell, kind in cells.items():
            if kind not in HIGHLIGHTS:
                raise ValueError(f"unknown highlight {kind!r}: use {' or '.join(HIGHLIGHTS)}")
        self._highlights = {cell: kind for cell, kind in cells.items() if self._inside(cell)}
        self.refresh()

    @property
    def highlights(self) -> dict[Cell, str]:
        return dict(self._highlights)

    def cell_text(self, row: int, col: int) -> str:
        """What the cell shows: the edit in progress, an invalid typed text, or the number."""
        if self._editing is not None and (row, col) == self.cursor:
            return self._editing
        if (row, col) in self._errors:
            return self._errors[row, col][0]
        return format_number(self._values[row, col])

    @property
    def message(self) -> str:
        """The message line: every invalid cell with its reason."""
        return "\n".join(
            f"{self.cell_name(*cell)}: {reason}" for cell, (_, reason) in sorted(self._errors.items())
        )

    def cell_name(self, row: int, col: int) -> str:
        """The cell's name if the owner gave names ("w₂₂"), else "row 2, col 3" (1-based)."""
        names = self._cell_names
        if names is not None and row < len(names) and col < len(names[row]):
            return names[row][col]
        return f"row {row + 1}, col {col + 1}"

    @property
    def row_labels(self) -> list[str] | None:
        """Labels left of the rows: the given ones, or 1, 2, ... when numbered (and rows can be many)."""
        if self.numbered and (self.max_size[0] > 1 or self.shape[0] > 1):
            return [str(r) for r in range(1, self.shape[0] + 1)]
        return self._row_labels

    @property
    def col_labels(self) -> list[str] | None:
        """Labels above the columns: the given ones, or 1, 2, ... when numbered."""
        if self.numbered:
            return [str(c) for c in range(1, self.shape[1] + 1)]
        return self._col_labels

    def _inside(self, cell: Cell) -> bool:
        rows, cols = self.shape
        return 0 <= cell[0] < rows and 0 <= cell[1] < cols

    def validate_cursor(self, cursor: Cell) -> Cell:
        rows, cols = self.shape
        return (min(max(cursor[0], 0), rows - 1), min(max(cursor[1], 0), cols - 1))

    def watch_cursor(self, old: Cell, new: Cell) -> None:
        if old != new:
            self.post_message(self.CursorMoved(self, *new))

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

    def on_blur(self) -> None:
        self.commit()
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        header = bool(self.title) + (self.col_labels is not None)
        cell = cell_at(offset.x, offset.y - header, self._widths(), self.row_labels)
        if cell is not None and self._inside(cell):
            self.commit()
            self.cursor = cell

    # ---- actions ----------------------------------------------------------------------------------

    def action_move(self, rows: int, cols: int) -> None:
        self.commit()
        self.cursor = (self.cursor[0] + rows, self.cursor[1] + cols)

    def action_edit(self) -> None:
        self.start_editing(self.cell_text(*self.cursor))

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

    def _texts(self) -> list[list[str]]:
        rows, cols = self.shape
        return [[self.cell_text(r, c) for c in range(cols)] for r in range(rows)]

    def _widths(self) -> list[int]:
        widths = column_widths(self._texts(), self.col_labels)
        if self._editing is not None:  # room for the caret after what is typed
            col = self.cursor[1]
            widths[col] = max(widths[col], cell_len(self._editing) + 1)
        return widths

    def get_content_width(self, container: Size, viewport: Size) -> int:
        message = MESSAGE_WIDTH if self._errors and self.show_message else 0
        return max(grid_width(self._widths(), self.row_labels), cell_len(self.title), message)

    def render(self) -> Text:
        style = self.get_component_rich_style
        lines: list[Text] = []
        if self.title:
            lines.append(Text(self.title, style=style("matrix-editor--title")))
        lines += grid_lines(
            self._texts(), self._widths(), row_labels=self.row_labels, col_labels=self.col_labels,
            cell_style=self._cell_style, label_style=style("matrix-editor--label"),
        )
        if self._errors and self.show_message:
            lines.append(Text(self.message, style=style("matrix-editor--message")))
        return Text("\n").join(lines)

    def _cell_style(self, cell: Cell) -> Style:
        names = []
        if cell in self._highlights:
            names.append(f"matrix-editor--{self._highlights[cell]}")
        invalid = cell in self._errors
        if cell == self.cursor and self._editing is not None:
            names.append("matrix-editor--editing")
        elif cell == self.cursor and self.has_focus:
            names.append("matrix-editor--invalid-cursor" if invalid else "matrix-editor--cursor")
        elif invalid:
            names.append("matrix-editor--invalid")
        elif cell == self.cursor and self.read_only:  # a navigable result keeps showing the pick
            names.append("matrix-editor--cursor-blurred")
        return self.get_component_rich_style(*names) if names else Style()
