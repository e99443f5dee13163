"""A tiny terminal screen: feed it what a program wrote, read back what a terminal would show.

The benchmark uses it to prove that its keys did what they should (a cell holds the new number, a
step is shown), to see the first screen complete, and to find the moment a key's repaint last
changed the screen. Standard library only. It keeps each cell's character and its SGR attributes
as written (not interpreted: enough to tell a change from a repaint of the same thing); it follows
cursor moves (CUP, CUU/CUD/CUF/CUB, CHA, VPA), erases (ED, EL, ECH), carriage return, line feed
with scrolling, backspace and wide characters; other sequences (modes, OSC, DCS, queries) are read
and dropped.
"""

from __future__ import annotations

import codecs
import unicodedata

ESC = "\x1b"


def char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


class Screen:
    """`feed(bytes)` as often as needed; `text()` is the screen, one line per row, right-stripped."""

    def __init__(self, cols: int = 80, rows: int = 24) -> None:
        self.cols, self.rows = cols, rows
        self.cells = [[" "] * cols for _ in range(rows)]
        self.styles = [[""] * cols for _ in range(rows)]
        self.style = ""  # the SGR parameters in force since the last reset
        self.x = self.y = 0
        self.saved = (0, 0)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""  # an escape sequence cut at the end of a chunk

    # ---- reading ------------------------------------------------------------------------------

    def lines(self) -> list[str]:
        return ["".join(row).rstrip() for row in self.cells]

    def text(self) -> str:
        return "\n".join(self.lines())

    def state(self) -> tuple:
        """Everything shown (characters and attributes): equal states look the same."""
        return tuple(map(tuple, self.cells)) + tuple(map(tuple, self.styles))

    # ---- writing ------------------------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        text = self._pending + self._decoder.decode(data)
        self._pending = ""
        i, n = 0, len(text)
        while i < n:
            char = text[i]
            if char == ESC:
                end = self._sequence_end(text, i)
                if end is None:  # incomplete: wait for the rest
                    self._pending = text[i:]
                    return
                self._escape(text[i:end])
                i = end
                continue
            i += 1
            if char == "\r":
                self.x = 0
            elif char == "\n":
                self._line_feed()
            elif char == "\b":
                self.x = max(0, self.x - 1)
            elif char == "\t":
                self.x = min(self.cols - 1, (self.x // 8 + 1) * 8)
            elif char < " " or char == "\x7f":
                continue
            else:
                self._put(char)

    @staticmethod
    def _sequence_end(text: str, start: int) -> int | None:
        """The index just after the escape sequence at `start`, or None if it is not complete."""
        if start + 1 >= len(text):
            return None
        kind = text[start + 1]
        if kind == "[":  # CSI: parameters and intermediates, then one final byte @..~
            for j in range(start + 2, len(text)):
                if "@" <= text[j] <= "~":
                    return j + 1
            return None
        if kind in "]PX^_":  # OSC, DCS, SOS, PM, APC: up to BEL or ST (ESC \)
            for j in range(start + 2, len(text)):
                if text[j] == "\x07":
                    return j + 1
                if text[j] == ESC:
                    if j + 1 >= len(text):
                        return None
                    return j + 2
            return None
        if kind in "()*+#%":  # charset designation and friends: one more character
            return start + 3 if start + 2 < len(text) else None
        return start + 2

    def _escape(self, seq: str) -> None:
        if seq == ESC + "7":
            self.saved = (self.x, self.y)
        elif seq == ESC + "8":
            self.x, self.y = self.saved
        elif seq.startswith(ESC + "[") and len(seq) > 2:
            self._csi(seq[2:-1], seq[-1])

    def _csi(self, params: str, final: str) -> None:
        if params[:1] in "?<=>":  # private modes and queries: nothing to draw
            return
        if final == "m":
            self.style = "" if params in ("", "0") else f"{self.style};{params}"
            return
        numbers = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []

        def arg(index: int, default: int = 1) -> int:
            value = numbers[index] if index < len(numbers) else 0
            return value or default

        if final in "Hf":
            self.y = min(self.rows - 1, arg(0) - 1)
            self.x = min(self.cols - 1, arg(1) - 1)
        elif final == "A":
            self.y = max(0, self.y - arg(0))
        elif final == "B":
            self.y = min(self.rows - 1, self.y + arg(0))
        elif final == "C":
            self.x = min(self.cols - 1, self.x + arg(0))
        elif final == "D":
            self.x = max(0, self.x - arg(0))
        elif final == "G":
            self.x = min(self.cols - 1, arg(0) - 1)
        elif final == "d":
            self.y = min(self.rows - 1, arg(0) - 1)
        elif final == "K":
            mode = arg(0, 0)
            start, end = {0: (self.x, self.cols), 1: (0, self.x + 1)}.get(mode, (0, self.cols))
            self._blank(self.y, start, end)
        elif final == "J":
            mode = arg(0, 0)
            if mode == 0:
                self._blank(self.y, self.x, self.cols)
                rows = range(self.y + 1, self.rows)
            elif mode == 1:
                self._blank(self.y, 0, self.x + 1)
                rows = range(0, self.y)
            else:
                rows = range(self.rows)
            for r in rows:
                self._blank(r, 0, self.cols)
        elif final == "X":
            self._blank(self.y, self.x, min(self.cols, self.x + arg(0)))

    def _blank(self, row: int, start: int, end: int) -> None:
        start = min(start, self.cols)
        end = max(start, min(end, self.cols))
        self.cells[row][start:end] = [" "] * (end - start)
        self.styles[row][start:end] = [self.style] * (end - start)

    def _line_feed(self) -> None:
        if self.y == self.rows - 1:
            self.cells.pop(0)
            self.cells.append([" "] * self.cols)
            self.styles.pop(0)
            self.styles.append([""] * self.cols)
        else:
            self.y += 1

    def _put(self, char: str) -> None:
        width = char_width(char)
        if width == 0:
            return
        if self.x + width > self.cols:  # autowrap
            self.x = 0
            self._line_feed()
        self.cells[self.y][self.x] = char
        self.styles[self.y][self.x] = self.style
        if width == 2 and self.x + 1 < self.cols:
            self.cells[self.y][self.x + 1] = ""
            self.styles[self.y][self.x + 1] = self.style
        self.x += width  # may equal cols: the wrap waits for the next character, as in xterm
