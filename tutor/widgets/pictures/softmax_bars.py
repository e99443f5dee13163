"""Question 4(c)'s picture: the probabilities ŷ = softmax(o) as bars beside the logits, and the
gradient ŷ − y as signed bars either side of an axis (negative to the left).

Fed a `SoftmaxReading` of solver values (`softmax(o)`, `softmax_cross_entropy_grad(o, y)`, and
optionally `cross_entropy(y, o)`); one line per class, and `update` repaints only the lines whose
numbers changed, so editing one logit in the calculator rewrites the classes it moved, not the
picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from tutor.solver import format_number
from tutor.solver._steps import subscript

from .base import Picture
from .draw import bar, right_bar

P_WIDTH = 16  # cells for ŷ = 1 (a row is 74 columns: the question screen has 77)
G_WIDTH = 11  # cells each side of the axis for |ŷ − y| = 1


class SoftmaxReading(NamedTuple):
    """What the bars show, each a solver value: o, softmax(o), y, softmax(o) − y, and the loss."""

    logits: Sequence[float]
    probabilities: Sequence[float]
    labels: Sequence[float]
    gradient: Sequence[float]
    loss: float | None = None


class SoftmaxBars(Picture):
    """Logits, ŷ and ŷ − y, a line per class."""

    DEFAULT_CSS = """
    SoftmaxBars > .softmax-row, SoftmaxBars > .softmax-head { height: 1; width: 100%; }
    """

    def __init__(self, reading: SoftmaxReading, *, id: str | None = None):
        super().__init__(id=id)
        self.reading = reading
        self.shown: list[tuple] = []  # the numbers each row shows now, as text
        self.repainted: tuple[int, ...] = ()  # the rows the last paint rewrote

    def compose_drawing(self) -> ComposeResult:
        yield Static(classes="softmax-head")
        for _ in self.reading.logits:
            yield Static(classes="softmax-row")
        yield Static(classes="picture-drawing")

    def update(self, reading: SoftmaxReading) -> None:
        """Show new values: lines whose numbers did not change are left as they are."""
        resized = len(reading.logits) != len(self.reading.logits)
        self.reading = reading
        if resized and self._ready:
            self.call_later(self._new_rows)
            return
        self.repaint()

    async def _new_rows(self) -> None:
        """Another number of classes: a row per class again, then paint them all."""
        await self.query(".softmax-row").remove()
        rows = [Static(classes="softmax-row") for _ in self.reading.logits]
        await self.mount_all(rows, after=self.query_one(".softmax-head"))
        self.shown = []
        self.repaint()

    def _row_values(self, j: int) -> tuple[str, ...]:
        r = self.reading
        return (format_number(r.logits[j]), format_number(r.probabilities[j]), format_number(r.labels[j]),
                format_number(r.gradient[j]))

    def _row(self, j: int) -> Text:
        r = self.reading
        logit, p, y, g = self._row_values(j)
        gradient = float(r.gradient[j])
        positive, negative = self.tint("positive"), self.tint("negative")
        left = right_bar(-gradient, G_WIDTH) if gradient < 0 else " " * G_WIDTH
        right = bar(gradient, G_WIDTH) if gradient > 0 else " " * G_WIDTH
        label = self.tint("mark") if float(r.labels[j]) > 0 else None
        return Text.assemble(
            (f"{j + 1:>2} ", label), f"{logit:>8}  ",
            (bar(float(r.probabilities[j]), P_WIDTH), positive), f" {p:>6}  ",
            (f"{y:>3}", label), "  ",
            (left, negative), ("│", self.tint("muted")), (right, positive), f" {g:>7}",
        )

    def paint_drawing(self) -> None:
        head = Text.assemble(
            " j ", f"{'oⱼ':>8}  ", f"{'ŷⱼ = softmax(o)ⱼ':<{P_WIDTH + 9}}", f"{'yⱼ':>3}", "  ",
            f"{'negative':^{G_WIDTH}}", "│", f"{'positive':^{G_WIDTH}}", " ŷⱼ − yⱼ",
            style=self.tint("muted"),
        )
        self.query_one(".softmax-head", Static).update(head)
        rows = list(self.query(".softmax-row").results(Static))
        values = [self._row_values(j) for j in range(len(rows))]
        changed = tuple(j for j, v in enumerate(values) if j >= len(self.shown) or self.shown[j] != v)
        for j in changed:
            rows[j].update(self._row(j))
        self.shown, self.repainted = values, changed
        loss = self.reading.loss
        footer = Text("ŷ − y = ∂l/∂o: negative (left of │) where the label is, positive elsewhere", self.tint("muted"))
        if loss is not None:
            footer = Text.assemble(f"loss l = −Σ yⱼ log ŷⱼ = {format_number(loss)}\n", footer)
        self.query_one(".picture-drawing", Static).update(footer)

    def describe(self) -> str:
        r = self.reading
        lines = [f"Softmax of {len(r.logits)} logits, a line per class j: logit oⱼ, probability ŷⱼ, "
                 "label yⱼ and gradient ŷⱼ − yⱼ."]
        for j in range(len(r.logits)):
            logit, p, y, g = self._row_values(j)
            s = subscript(j + 1)
            lines.append(f"Class {j + 1}: o{s} = {logit}, ŷ{s} = {p}, y{s} = {y}, ŷ{s} − y{s} = {g}.")
        if r.loss is not None:
            lines.append(f"Loss l = {format_number(r.loss)}.")
        return "\n".join(lines)
