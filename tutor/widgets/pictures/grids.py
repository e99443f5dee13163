"""Grids of marked cells for the pictures: each cell a value between two mark characters.

A mark pair is the cell's glyph ("[ ]" a window, "▶ ◀" its winner, "░ ░" padding) and travels with
a tint; so a grid reads the same without colour. Blocks of lines are placed side by side when
they fit the width, else one under the other. Pure layout: strings and rich Text, no numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

Marks = tuple[str, str, Style | None]
PLAIN: Marks = (" ", " ", None)


def grid(
    texts: Sequence[Sequence[str]],
    marks: Callable[[int, int], Marks],
    *,
    title: str = "",
    row_labels: Sequence[str] | None = None,
    col_labels: Sequence[str] | None = None,
    label_style: Style | None = None,
) -> list[Text]:
    """Lines of a grid: an optional title, column labels, then one line per row."""
    width = max((cell_len(t) for row in texts for t in row), default=1)
    if col_labels:
        width = max(width, *(cell_len(c) for c in col_labels))
    lead = max((cell_len(r) for r in row_labels), default=0) + 1 if row_labels else 0
    lines: list[Text] = []
    if title:
        lines.append(Text(title))
    if col_labels:
        header = Text(" " * lead)
        for label in col_labels:
            header.append(f" {label:>{width}} ", style=label_style)
        lines.append(header)
    for r, row in enumerate(texts):
        line = Text()
        if row_labels:
            line.append(f"{row_labels[r]:>{lead - 1}} ", style=label_style)
        for c, text in enumerate(row):
            left, right, style = marks(r, c)
            line.append(f"{left}{text:>{width}}{right}", style=style)
        lines.append(line)
    return lines


def block_width(lines: Sequence[Text]) -> int:
    return max((line.cell_len for line in lines), default=0)


def side_by_side(blocks: Sequence[Sequence[Text]], gaps: Sequence[Sequence[Text] | str], width: int) -> list[Text] | None:
    """The blocks joined left to right with the gap columns between, or None if wider than width.

    A gap is a string (the same on every line) or lines of its own (an arrow on one line).
    """
    widths = [block_width(b) for b in blocks]
    gap_widths = [len(g) if isinstance(g, str) else block_width(g) for g in gaps]
    if sum(widths) + sum(gap_widths) > width:
        return None
    height = max(len(b) for b in blocks)
    lines = []
    for y in range(height):
        line = Text()
        for i, block in enumerate(blocks):
            piece = block[y] if y < len(block) else Text()
            line.append_text(piece)
            if i < len(gaps):
                line.append(" " * (widths[i] - piece.cell_len))
                gap = gaps[i]
                if isinstance(gap, str):
                    line.append(gap)
                else:
                    cell = gap[y] if y < len(gap) else Text()
                    line.append_text(cell)
                    line.append(" " * (gap_widths[i] - cell.cell_len))
        lines.append(line)
    return lines


def stacked(blocks: Sequence[Sequence[Text]]) -> list[Text]:
    """The blocks one under the other, a blank line between."""
    lines: list[Text] = []
    for i, block in enumerate(blocks):
        if i:
            lines.append(Text())
        lines.extend(block)
    return lines


def joined(lines: Sequence[Text]) -> Text:
    return Text("\n").join(lines)


def arrow_at(row: int, height: int, arrow: str = " ──→ ") -> list[Text]:
    """A gap column of `height` lines with the arrow on line `row` (blank elsewhere)."""
    return [Text(arrow if y == row else " " * len(arrow)) for y in range(height)]
