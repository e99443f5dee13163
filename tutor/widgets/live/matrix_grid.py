"""A grid of numbers drawn with labels and marks, and a cursor moved by the arrow keys or the mouse.

Why it exists: the live editors show matrices (the pooling input and output, a network's weights,
the logits) that the student moves through; `MatrixEditor` adds typing into the cells on top of
this. The grid holds numbers and marks, nothing more: it shows numbers with the solver's
`format_number`, lays them out with `grid_text`, and tells its owner where the cursor went with a
`CursorMoved` message. What it must not depend on: the solver's computations (it computes nothing
from the numbers) and the app; editing is `matrix_editor`'s.
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
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from tutor.solver import format_number

from .grid_text import Cell, cell_at, column_widths, grid_lines, grid_width

HIGHLIGHTS = ("window", "winner")


@dataclass
class GridMessage(Message):
    """A message from a grid; `@on(MatrixEditor.Changed, "#id")` matches its id."""

    editor: MatrixGrid

    @property
    def control(self) -> MatrixGrid:
        return self.editor


class MatrixGrid(Widget, can_focus=True):
    """A navigable matrix of numbers: arrows (or a click) move the cursor; marks colour cells."""

    DEFAULT_CSS = """
    MatrixGrid {
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
    ]

    @dataclass
    class CursorMoved(GridMessage):
        """The cursor moved to (row, col), 0-based."""

        row: int
        col: int

    cursor: reactive[Cell] = reactive((0, 0))
    """The (row, col) of the cursor, 0-based (a move repaints the grid; see _repaint)."""
    title: reactive[str] = reactive("", layout=True)
    """A line above the grid."""
    dimmed: reactive[bool] = reactive(False, toggle_class="-dimmed")
    """Shown faded: the numbers are out of date (the owner could not recompute)."""

    read_only = True  # a grid alone is read: MatrixEditor makes its cells editable

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
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._values = self._two_d(matrix)
        self.title = title
        self._row_labels = list(row_labels) if row_labels is not None else None
        self._col_labels = list(col_labels) if col_labels is not None else None
        self.numbered = numbered
        self._cell_names = [list(row) for row in cell_names] if cell_names is not None else None
        self.min_size = min_size or self._values.shape
        self.max_size = max_size or self._values.shape
        self._highlights: dict[Cell, str] = {}
        self._drawn: tuple | None = None  # what the texts were made of, and the texts (see _texts)
        self._laid_out: tuple | None = None  # the widths and height last laid out (see _repaint)

    @staticmethod
    def _two_d(matrix) -> np.ndarray:
        values = np.array(matrix, dtype=float, ndmin=2)
        if values.ndim != 2:
            raise ValueError(f"a matrix editor holds a 2-D matrix, got shape {values.shape}")
        return values

    # ---- the matrix ---------------------------------------------------------------------------

    @property
    def matrix(self) -> np.ndarray:
        """A copy of the matrix in force."""
        return self._values.copy()

    @property
    def shape(self) -> tuple[int, int]:
        return self._values.shape  # type: ignore[return-value]

    def set_matrix(self, matrix) -> None:
        """Replace the numbers (and the size); marks outside the new shape go. Posts no message."""
        self._values = self._two_d(matrix)
        self._highlights = {k: v for k, v in self._highlights.items() if self._inside(k)}
        self.cursor = self.cursor  # clamp to the new shape
        self._repaint()

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
        """What the cell shows: its number."""
        return format_number(self._values[row, col])

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

    # ---- the cursor ---------------------------------------------------------------------------

    def validate_cursor(self, cursor: Cell) -> Cell:
        rows, cols = self.shape
        return (min(max(cursor[0], 0), rows - 1), min(max(cursor[1], 0), cols - 1))

    def watch_cursor(self, old: Cell, new: Cell) -> None:
        if old != new:
            self._repaint()
            self.post_message(self.CursorMoved(self, *new))
            self.call_after_refresh(self.scroll_cursor_visible)

    def scroll_cursor_visible(self) -> None:
        """Scroll the nearest scrolling ancestor so the cursor's line is on screen (not the grid's
        top: a tall grid's lower rows stay reachable)."""
        if not self.is_attached or not self.region:
            return
        header = bool(self.title) + (self.col_labels is not None)
        line = Region(self.region.x, self.region.y + header + self.cursor[0], self.region.width, 1)
        for ancestor in self.ancestors:
            if isinstance(ancestor, Widget) and ancestor.allow_vertical_scroll:
                inner = ancestor.content_region
                target = line.translate(ancestor.scroll_offset - inner.offset)  # into its scrolled space
                ancestor.scroll_to_region(target, animate=False, immediate=True)
                return

    def leave_cell(self) -> None:
        """Called before the cursor leaves its cell (MatrixEditor commits an edit in progress)."""

    def action_move(self, rows: int, cols: int) -> None:
        self.leave_cell()
        self.cursor = (self.cursor[0] + rows, self.cursor[1] + cols)

    def on_focus(self) -> None:
        self.refresh()
        self.call_after_refresh(self.scroll_cursor_visible)

    def on_blur(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        header = bool(self.title) + (self.col_labels is not None)
        cell = cell_at(offset.x, offset.y - header, self._widths(), self.row_labels)
        if cell is not None and self._inside(cell):
            self.leave_cell()
            self.cursor = cell

    # ---- drawing --------------------------------------------------------------------------------

    def _texts(self) -> list[list[str]]:
        """Every cell's text, made once per change of what it is made of (`text_key`), not on every
        render and width query: format_number for 16 cells was a good part of a key's time."""
        key = self.text_key()
        if self._drawn is None or self._drawn[0] != key:
            rows, cols = self.shape
            self._drawn = (key, [[self.cell_text(r, c) for c in range(cols)] for r in range(rows)])
        return self._drawn[1]

    def text_key(self) -> tuple:
        """What the cells' texts depend on (MatrixEditor adds its edit and its invalid cells)."""
        return (self._values.shape, self._values.tobytes())

    def _repaint(self) -> None:
        """Repaint the grid; lay the screen out again only when its size changed (a column wider, a
        message line more): a layout of the whole question screen is most of a key's cost."""
        size = (self.shape, tuple(self._widths()), len(self.lines_below()), self.title)
        self.refresh(layout=size != self._laid_out)
        self._laid_out = size

    def _widths(self) -> list[int]:
        return column_widths(self._texts(), self.col_labels)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max(grid_width(self._widths(), self.row_labels), cell_len(self.title))

    def render(self) -> Text:
        style = self.get_component_rich_style
        lines: list[Text] = []
        if self.title:
            lines.append(Text(self.title, style=style("matrix-editor--title")))
        lines += grid_lines(
            self._texts(), self._widths(), row_labels=self.row_labels, col_labels=self.col_labels,
            cell_style=self._cell_style, label_style=style("matrix-editor--label"),
            bracketed=self.cursor if self.has_focus else None,  # the cursor in glyphs, not only reverse
        )
        lines += self.lines_below()
        return Text("\n").join(lines)

    def lines_below(self) -> list[Text]:
        """Lines under the grid (MatrixEditor's message line)."""
        return []

    def _cell_style(self, cell: Cell) -> Style:
        names = [f"matrix-editor--{self._highlights[cell]}"] if cell in self._highlights else []
        names += self.cell_marks(cell)
        return self.get_component_rich_style(*names) if names else Style()

    def cell_marks(self, cell: Cell) -> list[str]:
        """The component classes that mark a cell: the cursor (underlined where the grid is only
        read and has no focus: a navigable result keeps showing the pick)."""
        if cell == self.cursor and self.has_focus:
            return ["matrix-editor--cursor"]
        if cell == self.cursor and self.read_only:
            return ["matrix-editor--cursor-blurred"]
        return []
