"""Question 8's picture: the pooling input with one window's cells marked, its winner, its output cell.

Fed `pool2d`'s result and `pool_windows` of it (tutor.solver): the values, the windows' cells, the
winners and the padding ring are the solver's; the `step` index (0 … windows − 1, row-major) picks
the window shown, as the worked steps or the pooling editor's cursor move. Marks: `[ ]` the
window's cells and its output cell, `▶ ◀` the winner (max pooling), `░ ░` the padding ring and
`{ }` padding inside the window; the tints say the same.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive

from tutor.solver import PoolResult, PoolWindows, format_number
from tutor.solver._steps import subscript

from .base import WIDTH, Picture
from .grids import PLAIN, arrow_at, grid, joined, side_by_side, stacked


def _span(values, padding: int) -> str:
    """ "1–2" (or "3") in the grid's numbering: the input's rows from 1, the padding ring 0 and n + 1."""
    low, high = int(min(values)) - padding + 1, int(max(values)) - padding + 1
    return f"{low}–{high}" if high > low else f"{low}"


class PoolingPicture(Picture):
    """Input and output of a pooling, one window at a time; `[` and `]` move to the previous/next."""

    BINDINGS = [
        Binding("left_square_bracket", "step(-1)", "Prev window", key_display="[", id="pooling.previous",
                tooltip="The previous window"),
        Binding("right_square_bracket", "step(1)", "Next window", key_display="]", id="pooling.next",
                tooltip="The next window"),
    ]

    step: reactive[int] = reactive(0)
    """The window shown: 0 … windows − 1 in row-major order of the output."""

    class Stepped(Message):
        """The student moved to another window with the picture's own keys (an editor follows)."""

        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    def __init__(self, result: PoolResult, windows: PoolWindows, *, step: int = 0, id: str | None = None):
        super().__init__(id=id)
        self.result, self.windows = result, windows
        self.set_reactive(PoolingPicture.step, self._clamped(step))

    @property
    def count(self) -> int:
        return int(self.result.output.size)

    @property
    def is_max(self) -> bool:
        return bool((self.windows.winners >= 0).all())

    def _clamped(self, step: int) -> int:
        return min(max(int(step), 0), self.count - 1)

    def update(self, result: PoolResult, windows: PoolWindows, *, step: int | None = None) -> None:
        """Show a new pooling, at window `step` (None: the same one if it still exists)."""
        self.result, self.windows = result, windows
        self.set_reactive(PoolingPicture.step, self._clamped(self.step if step is None else step))
        self.repaint()

    def validate_step(self, step: int) -> int:
        return self._clamped(step)

    def watch_step(self) -> None:
        self.repaint()

    def action_step(self, delta: int) -> None:
        before = self.step
        self.step = self.step + delta
        if self.step != before:
            self.post_message(self.Stepped(self.step))

    @property
    def current(self) -> tuple[int, int]:
        """The output cell (row, col) of the window shown."""
        return tuple(int(v) for v in np.unravel_index(self.step, self.result.output.shape))

    def draw(self) -> Text:
        r0, c0 = self.current
        p = self.windows.padding
        padded = self.result.padded
        in_window = {tuple(cell) for cell in self.windows.cells[r0, c0].reshape(-1, 2).tolist()}
        winner = tuple(self.windows.winners[r0, c0].tolist()) if self.is_max else None
        ring = self.windows.padding_mask
        window, won, padding = self.tint("window"), self.tint("winner"), self.tint("padding")
        muted = self.tint("muted")

        def input_marks(r: int, c: int):
            if (r, c) == winner:
                return ("▶", "◀", window + won)
            if (r, c) in in_window:
                return ("{", "}", window + padding) if ring[r, c] else ("[", "]", window + self.tint("mark"))
            return ("░", "░", padding) if ring[r, c] else PLAIN

        def output_marks(r: int, c: int):
            return ("[", "]", window + self.tint("mark")) if (r, c) == (r0, c0) else PLAIN

        rows, cols = padded.shape
        row_labels = [str(r - p + 1) if p <= r < rows - p else "" for r in range(rows)]
        col_labels = [str(c - p + 1) if p <= c < cols - p else "" for c in range(cols)]
        shape = f"{rows - 2 * p}×{cols - 2 * p}"
        texts = [[format_number(v) for v in row] for row in padded.tolist()]
        source = grid(texts, input_marks, title=f"input x ({shape})" + (f", padding {p}" if p else ""),
                      row_labels=row_labels, col_labels=col_labels, label_style=muted)
        oh, ow = self.result.output.shape
        out_texts = [[format_number(v) for v in row] for row in self.result.output.tolist()]
        target = grid(out_texts, output_marks, title=f"output y ({oh}×{ow})",
                      row_labels=[str(r + 1) for r in range(oh)], col_labels=[str(c + 1) for c in range(ow)],
                      label_style=muted)
        arrow = arrow_at(r0 + 2, len(source))
        body = side_by_side([source, target], [arrow], WIDTH) or stacked([source, target])
        step = self.result.steps[self.step]
        legend = [Text.assemble(
            (f"window {self.step + 1} of {self.count}", self.tint("mark")), "   ",
            ("[ ]", window), " its cells and its output",
            *((("   ", ("▶ ◀", window + won), " the max") if self.is_max else ())),
        )]
        if p:
            legend.append(Text.assemble(("░ ░", padding), " padding   ", ("{ }", window + padding),
                                        " padding in the window"))
        keys = Text("keys: [ and ] move the window, d says it in words", muted)
        name = f"y{subscript(r0 + 1)}{subscript(c0 + 1)}"
        return joined([*body, Text(), *legend, Text(f"{name}: {step.text()}"), keys])

    def describe(self) -> str:
        r0, c0 = self.current
        k = self.windows.cells.shape[2]
        p = self.windows.padding
        rows, cols = self.result.padded.shape
        kind = "Max" if self.is_max else "Average"
        fill = "minus infinity, which never wins" if self.is_max else "zeros, which count in the average"
        padding = f"padding {p} of {fill}" if p else "no padding"
        corners = self.result.origins
        starts_r = ", ".join(str(v - p + 1) for v in sorted(set(corners[..., 0].ravel().tolist())))
        starts_c = ", ".join(str(v - p + 1) for v in sorted(set(corners[..., 1].ravel().tolist())))
        oh, ow = self.result.output.shape
        ring = (f" (rows outside 1–{rows - 2 * p} and columns outside 1–{cols - 2 * p} are padding)"
                if p else "")
        lines = [
            f"{kind} pooling of a {rows - 2 * p}×{cols - 2 * p} input with {k}×{k} windows and {padding}; "
            f"windows start at rows {starts_r} and columns {starts_c}{ring}; the output is {oh}×{ow}."
        ]
        cells = self.windows.cells[r0, c0].reshape(-1, 2)
        values = self.result.windows[r0, c0].ravel()
        padded_rows = range(p, rows - p)
        shown = ", ".join(format_number(v) for v in values)
        where = f"rows {_span(cells[:, 0], p)}, columns {_span(cells[:, 1], p)}"
        line = (f"Window {self.step + 1} of {self.count}, for output row {r0 + 1}, column {c0 + 1}: "
                f"{where} hold {shown}")
        if self.is_max:
            wr, wc = (int(v) for v in self.windows.winners[r0, c0])
            line += (f"; the max is {format_number(self.result.output[r0, c0])}, at row {wr - p + 1}, "
                     f"column {wc - p + 1} of the input.")
        else:
            line += f"; their average is {format_number(self.result.output[r0, c0])}."
        if any(cell[0] not in padded_rows or not p <= cell[1] < cols - p for cell in cells.tolist()):
            line += " Some of its cells are padding."
        lines.append(line)
        rows_text = "; ".join(f"row {i + 1}: " + ", ".join(format_number(v) for v in row)
                              for i, row in enumerate(self.result.output.tolist()))
        lines.append(f"Output: {rows_text}.")
        return "\n".join(lines)
