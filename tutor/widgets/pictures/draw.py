"""Drawing helpers of the pictures: bars in eighths of a cell, and a braille canvas for curves.

These turn a number already computed by the solver into character cells (how many eighths of a
bar, which braille dot); they compute nothing of the exam. Pure Python: no Textual, no numpy.
"""

from __future__ import annotations

from collections.abc import Sequence

EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"
# the braille dot of (column, row) inside one cell, 2 columns × 4 rows
_DOTS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))


def bar(fraction: float, width: int) -> str:
    """A left-aligned bar of `fraction` (0 … 1, clipped) of `width` cells, in eighths, padded."""
    eighths = round(min(max(fraction, 0.0), 1.0) * width * 8)
    full, part = divmod(eighths, 8)
    text = FULL * full + (EIGHTHS[part] if part else "")
    return text.ljust(width)


def right_bar(fraction: float, width: int) -> str:
    """A bar growing leftwards from the right edge (negative values); whole cells below 1 cell.

    Block characters only fill from the left, so a bar that grows leftwards is drawn in whole
    cells, with at least one cell for any non-zero value.
    """
    cells = round(min(max(fraction, 0.0), 1.0) * width)
    if fraction > 0 and cells == 0:
        cells = 1
    return (FULL * cells).rjust(width)


class Braille:
    """A canvas of width × height cells, each 2 × 4 dots; (x, y) with y = 0 at the bottom."""

    def __init__(self, width: int, height: int):
        self.width, self.height = width, height
        self.cells = [[0] * width for _ in range(height)]

    @property
    def dots(self) -> tuple[int, int]:
        return self.width * 2, self.height * 4

    def dot(self, x: int, y: int) -> None:
        columns, rows = self.dots
        if 0 <= x < columns and 0 <= y < rows:
            row = self.height - 1 - y // 4
            self.cells[row][x // 2] |= _DOTS[3 - y % 4][x % 2]

    def curve(self, values: Sequence[float], low: float, high: float) -> None:
        """Plot values evenly across the width, scaled from low … high to the bottom … top.

        Each column is joined to the next by the dots in between, so steep parts stay connected.
        """
        columns, rows = self.dots
        span = high - low or 1.0
        count = len(values)
        points = [
            (round(i * (columns - 1) / max(count - 1, 1)), round((v - low) / span * (rows - 1)))
            for i, v in enumerate(values)
        ]
        for (x0, y0), (x1, y1) in zip(points, points[1:] + points[-1:]):
            for x in range(x0, max(x1, x0 + 1)):
                self.dot(x, y0)
            for y in range(min(y0, y1), max(y0, y1) + 1):
                self.dot(x1, y)

    def lines(self) -> list[str]:
        return ["".join(chr(0x2800 + cell) if cell else " " for cell in row) for row in self.cells]
