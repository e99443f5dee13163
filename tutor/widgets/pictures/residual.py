"""Question 10(a)'s picture: each choice as a block diagram, and the model answer drawn the same way.

A diagram comes from the content (`Part.diagrams`, one per choice in content/q10.toml): its layers
from x to the output as boxes, and where the shortcut from x joins, drawn as a line over the boxes
into ⊕ (add) or ‖ (concatenate). Nothing of the exam is written here; `layout` turns a Diagram
into four lines of text and `flow` into words, so the picture and its text alternative say one
thing.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from tutor.exam import Diagram

from .base import Picture
from .grids import joined

JOIN_GLYPHS = {"add": "⊕", "concatenate": "‖"}
JOIN_WORDS = {"add": "add x", "concatenate": "concatenate with x"}
ARROW = "─▶"
ROWS = 4  # the shortcut, the boxes' tops, the flow, the boxes' bottoms


def flow(diagram: Diagram) -> str:
    """The diagram in words: "x → weight layer → ReLU → weight layer → add x → ReLU → output"."""
    steps = list(diagram.layers)
    if diagram.join:
        steps.insert(diagram.after, JOIN_WORDS[diagram.join])
    return " → ".join(["x", *steps, "output"])


def layout(diagram: Diagram) -> list[list[tuple[str, str]]]:
    """Four rows of (text, role) pieces; role is "box", "shortcut" or "" (plain)."""
    rows: list[list[tuple[str, str]]] = [[] for _ in range(ROWS)]

    def put(pieces: Sequence[str], role: str = "", flow_role: str | None = None) -> None:
        width = max(len(p) for p in pieces)
        for r, piece in enumerate(pieces):
            rows[r].append((piece.ljust(width), flow_role if r == 2 and flow_role is not None else role))

    put(["", "", "x", ""])
    columns = 1  # the width drawn so far
    branch = join = -1
    if diagram.join:
        put(["", "", "─┴", ""], "", "shortcut")
        branch = columns + 1
        columns += 2
    elements: list[str] = list(diagram.layers)
    if diagram.join:
        elements.insert(diagram.after, JOIN_GLYPHS[diagram.join])
    for index, element in enumerate(elements):
        put(["", "", ARROW, ""])
        columns += len(ARROW)
        if diagram.join and index == diagram.after:
            put(["", "", element, ""], "shortcut")
            join = columns
            columns += 1
        else:
            inner = "─" * (len(element) + 2)
            put(["", f"┌{inner}┐", f"│ {element} │", f"└{inner}┘"], "box")
            columns += len(element) + 4
    put(["", "", f"{ARROW} output", ""])
    if diagram.join:
        # the shortcut: up from the branch, across over the layers, down into the join
        line = "┌─ x " + "─" * max(join - branch - 5, 0)
        top = " " * branch + line[: join - branch] + "┐"
        rows[0] = [(top, "shortcut")]
        down = list(" " * (join + 1))
        down[branch], down[join] = "│", "▼"
        merged = _overlay("".join(down), "".join(text for text, _ in rows[1]))
        rows[1] = merged
    return rows


def _overlay(shortcut: str, boxes: str) -> list[tuple[str, str]]:
    """Row 1: the boxes' tops with the shortcut's two verticals laid over the spaces between."""
    width = max(len(shortcut), len(boxes))
    shortcut, boxes = shortcut.ljust(width), boxes.ljust(width)
    pieces: list[tuple[str, str]] = []
    for s, b in zip(shortcut, boxes):
        text, role = (s, "shortcut") if s != " " else (b, "box" if b != " " else "")
        if pieces and pieces[-1][1] == role:
            pieces[-1] = (pieces[-1][0] + text, role)
        else:
            pieces.append((text, role))
    return pieces


def describe_diagram(diagram: Diagram) -> str:
    """One sentence: the flow, and what the shortcut does."""
    if not diagram.join:
        return f"{flow(diagram)}, with no shortcut from x."
    span = {0: "before any layer", 1: "around the first layer"}.get(
        diagram.after, f"around the first {diagram.after} layers")
    verb = {"add": "is added", "concatenate": "is concatenated"}[diagram.join]
    return f"{flow(diagram)}; the shortcut carries x {span} and {verb} there."


class _Diagrams(Picture):
    """Shared drawing: lettered diagrams, one under another."""

    def _styles(self) -> dict[str, Style | None]:
        return {"box": self.tint("mark"), "shortcut": self.tint("winner"), "": None}

    def _lines(self, diagram: Diagram, lead: str, lead_style: Style | None = None) -> list[Text]:
        styles = self._styles()
        lines = []
        for r, row in enumerate(layout(diagram)):
            line = Text(lead if r == 2 else " " * len(lead), lead_style)
            for text, role in row:
                line.append(text, styles[role])
            lines.append(line)
        return lines

    def _legend(self, diagrams: Sequence[Diagram]) -> Text:
        joins = sorted({d.join for d in diagrams if d.join})
        muted = self.tint("muted")
        pieces = [("─┴ ▼ the shortcut from x", self.tint("winner"))] if joins else []
        for join in joins:
            pieces += [("   ", None), (JOIN_GLYPHS[join], self.tint("winner")), (f" {JOIN_WORDS[join]}", muted)]
        return Text.assemble(*pieces) if pieces else Text("no shortcut", muted)


class ChoiceDiagrams(_Diagrams):
    """Every choice of a choice part as a block diagram, lettered as the part shows its choices;
    `reveal()` marks the answer.

    A Static per choice, and the legend: a reveal repaints the answer's diagram and the legend alone.
    """

    DEFAULT_CSS = """
    ChoiceDiagrams > .residual-choice { height: auto; width: 100%; }
    """

    def __init__(self, diagrams: Sequence[Diagram], *, answer: int | None = None, revealed: bool = False,
                 id: str | None = None):
        super().__init__(id=id)
        self.diagrams, self.answer, self.revealed = tuple(diagrams), answer, revealed
        self.painted: list[bool | None] = [None] * len(self.diagrams)  # each choice drawn as the answer?
        self.repainted: tuple[int, ...] = ()  # the choices the last paint rewrote

    def compose_drawing(self) -> ComposeResult:
        for _ in self.diagrams:
            yield Static(classes="residual-choice")
        yield Static(classes="picture-drawing")

    def _choice(self, index: int) -> Text:
        is_answer = self.revealed and index == self.answer
        lead = f"{'✓' if is_answer else ' '} {index + 1}. "  # numbered as the choice part's options: 1., 2., …
        return joined(self._lines(self.diagrams[index], lead, self.tint("current") if is_answer else None))

    def _legend_line(self) -> Text:
        legend = self._legend(self.diagrams)
        if self.revealed and self.answer is not None:
            legend.append_text(Text.assemble("   ", ("✓ model answer", self.tint("current"))))
        return legend

    def paint_drawing(self) -> None:
        statics = list(self.query(".residual-choice").results(Static))
        changed = []
        for index, static in enumerate(statics):
            marked = self.revealed and index == self.answer
            if self.painted[index] != marked:
                static.update(self._choice(index))
                self.painted[index] = marked
                changed.append(index)
        self.repainted = tuple(changed)
        self.query_one(".picture-drawing", Static).update(self._legend_line())

    def reveal(self, revealed: bool = True) -> None:
        """Mark (or unmark) the model answer among the choices."""
        self.revealed = revealed
        self.repaint()

    def draw(self) -> Text:
        """The whole picture as one Text: every choice, then the legend."""
        return joined([*(self._choice(i) for i in range(len(self.diagrams))), self._legend_line()])

    def describe(self) -> str:
        lines = [f"Choice {i + 1}: {describe_diagram(d)}" for i, d in enumerate(self.diagrams)]
        if self.revealed and self.answer is not None:
            lines.append(f"The model answer is choice {self.answer + 1}.")
        return "\n".join(lines)


class BlockDiagram(_Diagrams):
    """One diagram under a caption, e.g. the model answer on reveal."""

    def __init__(self, diagram: Diagram, caption: str = "", *, id: str | None = None):
        super().__init__(id=id)
        self.diagram, self.caption = diagram, caption

    def draw(self) -> Text:
        head = [Text(self.caption, self.tint("mark"))] if self.caption else []
        return joined([*head, *self._lines(self.diagram, ""), self._legend([self.diagram])])

    def describe(self) -> str:
        return (f"{self.caption}: " if self.caption else "") + describe_diagram(self.diagram)

