"""The geometry and the text of a grid of cells: column widths, lines, and which cell is at a point.

The matrix editor draws itself with these; they know nothing of Textual, only of strings and
rich styles, so the layout rules (a space either side of each right-aligned cell, labels left and
above) live in one place for drawing and for mouse hits alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

Cell = tuple[int, int]
MIN_CELL_WIDTH = 3
GAP = 2  # one space either side of a cell


def column_widths(
    texts: Sequence[Sequence[str]], col_labels: Sequence[str] | None, minimum: int = MIN_CELL_WIDTH
) -> list[int]:
    """The width of each column: its widest text or label, at least `minimum`."""
    columns = len(texts[0]) if texts else 0
    widths = []
    for c in range(columns):
        cells = [row[c] for row in texts]
        if col_labels is not None and c < len(col_labels):
            cells.append(col_labels[c])
        widths.append(max(minimum, *(cell_len(t) for t in cells)))
    return widths


def label_width(row_labels: Sequence[str] | None) -> int:
    """Columns taken by the row labels and the space after them (0 without labels)."""
    if row_labels is None:
        return 0
    return max((cell_len(label) for label in row_labels), default=0) + 1


def grid_width(widths: Sequence[int], row_labels: Sequence[str] | None) -> int:
    return label_width(row_labels) + sum(w + GAP for w in widths)


def grid_lines(
    texts: Sequence[Sequence[str]],
    widths: Sequence[int],
    *,
    row_labels: Sequence[str] | None,
    col_labels: Sequence[str] | None,
    cell_style: Callable[[Cell], Style],
    label_style: Style,
    bracketed: Cell | None = None,
) -> list[Text]:
    """The header line (column labels, if any) and one line per row, cells right-aligned; the
    `bracketed` cell (the cursor) as [text] in the same width, so it shows without colour too."""
    lead = label_width(row_labels)
    lines: list[Text] = []
    if col_labels is not None:
        header = Text(" " * lead)
        for c, width in enumerate(widths):
            label = col_labels[c] if c < len(col_labels) else ""
            header.append(f" {label:>{width}} ", style=label_style)
        lines.append(header)
    for r, row in enumerate(texts):
        line = Text()
        if row_labels is not None:
            label = row_labels[r] if r < len(row_labels) else ""
            line.append(f"{label:>{lead - 1}} ", style=label_style)
        for c, (text, width) in enumerate(zip(row, widths)):
            pad = " " * (width - cell_len(text))
            shown = f"{pad}[{text}]" if (r, c) == bracketed else f"{pad} {text} "
            line.append(shown, style=cell_style((r, c)))
        lines.append(line)
    return lines


def cell_at(x: int, y: int, widths: Sequence[int], row_labels: Sequence[str] | None) -> Cell | None:
    """The (row, col) under the point (x, y) of the grid's lines (0 = the first row), or None."""
    x -= label_width(row_labels)
    if x < 0 or y < 0:
        return None
    for col, width in enumerate(widths):
        if x < width + GAP:
            return (y, col)
        x -= width + GAP
    return None
