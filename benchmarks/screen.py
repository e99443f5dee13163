"""The terminal screen the benchmark reads: pyte, a maintained VT emulator, fed what a program wrote.

Used to prove that the benchmark's keys did what they should (a cell holds the new number, a step is
shown), to see the first screen complete, and to find the moment a key's repaint last changed the
screen (characters or attributes). Replaces the hand-written parser this folder had (vt.py): pyte
reads Textual's output the same (cursor moves, erases, SGR with true colour, wide characters).
"""

from __future__ import annotations

import pyte


class Screen:
    """`feed(bytes)` as often as needed; `text()` is the screen, one line per row, right-stripped."""

    def __init__(self, cols: int = 80, rows: int = 24) -> None:
        self.cols, self.rows = cols, rows
        self._screen = pyte.Screen(cols, rows)
        self._stream = pyte.ByteStream(self._screen)

    def feed(self, data: bytes) -> None:
        self._stream.feed(data)

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self._screen.display]

    def text(self) -> str:
        return "\n".join(self.lines())

    def state(self) -> tuple:
        """Everything shown (each cell's character and attributes): equal states look the same."""
        buffer, cols = self._screen.buffer, range(self.cols)
        return tuple(tuple(buffer[y][x] for x in cols) for y in range(self.rows))
