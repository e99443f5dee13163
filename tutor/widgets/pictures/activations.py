"""Question 5(a)'s picture: sigmoid, tanh and ReLU and their derivatives, and the vanishing gradient.

Fed `activation_curves` and `gradient_through_layers` (tutor.solver). One small plot per curve,
side by side, so no curve is told apart by colour alone: the activations on the top row, each on
its own scale, and their derivatives below on one shared scale (σ′ never above 0.25 beside ReLU′
at 1). Under them, the product of derivatives through n layers, f′(z)ⁿ, at the z the solver was
given. `current` marks the activation in use (▶), e.g. the forward-pass editor's.

Drawn with our own braille plots rather than textual-plotext: see docs/PICTURES-PLAN.md for the
measurements (start-up cost, memory, NO_COLOR, 80 columns) behind that choice.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from tutor.solver import ActivationCurves, LayerProducts, format_number, format_product
from tutor.solver.activations import SYMBOLS

from .base import Picture
from .draw import Braille
from .grids import joined, side_by_side

PLOT_WIDTH = 17  # cells (34 braille dots across)
PLOT_HEIGHT = 4  # cells (16 dots up)
LABEL = 7  # the y-axis labels' column
GAP = "  "
COLUMNS_OF_N = (1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000)
MAX_COLUMNS = 5


class ActivationsPicture(Picture):
    """f and f′ of each activation on [low, high], and f′(z)ⁿ for growing n.

    The plots and the table are two Statics: a new z (the forward-pass editor's numbers edited)
    repaints the table alone; the plots are repainted when the curves or the activation in use change.
    """

    DEFAULT_CSS = """
    ActivationsPicture > .activations-table { height: auto; width: 100%; margin-top: 1; }
    """

    def __init__(self, curves: ActivationCurves, products: LayerProducts, *, current: str | None = None,
                 id: str | None = None):
        super().__init__(id=id)
        self.curves, self.products, self.current = curves, products, current
        self.plotted: tuple | None = None  # the (curves, current) the plots were last painted for
        self.repainted: tuple[str, ...] = ()  # what the last paint rewrote: "plots", "table"

    def compose_drawing(self) -> ComposeResult:
        yield Static(classes="picture-drawing")
        yield Static(classes="activations-table")

    def paint_drawing(self) -> None:
        painted = []
        if self.plotted != (id(self.curves), self.current):
            self.query_one(".picture-drawing", Static).update(self.plots())
            self.plotted = (id(self.curves), self.current)
            painted.append("plots")
        self.query_one(".activations-table", Static).update(joined(self._table()))
        self.repainted = (*painted, "table")

    def update(self, curves: ActivationCurves | None = None, products: LayerProducts | None = None,
               current: str | None = None) -> None:
        """Show new curves, products or activation in use (what is not given stays)."""
        self.curves = curves or self.curves
        self.products = products or self.products
        self.current = current or self.current
        self.repaint()

    def _panel(self, title: str, values, low: float, high: float, marked: bool) -> list[Text]:
        canvas = Braille(PLOT_WIDTH, PLOT_HEIGHT)
        canvas.curve([float(v) for v in values], low, high)
        muted = self.tint("muted")
        head = Text(("▶ " if marked else "  ") + title, self.tint("current") if marked else self.tint("mark"))
        lines = [Text(" " * LABEL) + head]
        top, bottom = format_number(high), format_number(low)
        for row, dots in enumerate(canvas.lines()):
            label = top if row == 0 else bottom if row == PLOT_HEIGHT - 1 else ""
            lines.append(Text.assemble((f"{label:>{LABEL - 1}}┤", muted), (dots, self.tint("positive"))))
        return lines

    def _axis(self) -> Text:
        low, high = format_number(self.curves.low), format_number(self.curves.high)
        inner = PLOT_WIDTH - len(low) - len(high)
        return Text(" " * LABEL + low + "z".center(inner) + high, self.tint("muted"))

    def draw(self) -> Text:
        """The whole picture as one Text (the plots, a blank line, the table)."""
        return joined([self.plots(), Text(), *self._table()])

    def plots(self) -> Text:
        """Each activation and, under it, its derivative, side by side."""
        c = self.curves
        tops, bottoms = [], []
        # the derivatives share one scale, from 0 to the largest peak, so their heights compare
        d_high = max(peak for peak, _ in c.peak.values())
        for name in c.names:
            symbol = SYMBOLS[name]
            values = c.values[name]
            marked = name == self.current
            tops.append(self._panel(f"{symbol}(z)", values, float(values.min()), float(values.max()), marked))
            bottoms.append(self._panel(f"{symbol}′(z)", c.derivatives[name], 0.0, d_high, marked))
            bottoms[-1].append(self._axis())
        gaps = [GAP] * (len(c.names) - 1)
        rows = (side_by_side(tops, gaps, 78) or [l for t in tops for l in t]) + (
            side_by_side(bottoms, gaps, 78) or [l for b in bottoms for l in b])
        return joined(rows)

    def _columns(self) -> list[int]:
        """The n shown: 2, 3, 5, 10, … up to the layers given, the last always (n = 1 is f′(z))."""
        layers = int(self.products.n[-1])
        shown = [n for n in COLUMNS_OF_N if 1 < n < layers][: MAX_COLUMNS - 1]
        return [*shown, layers] if layers > 1 else [1]

    def _table(self) -> list[Text]:
        p = self.products
        z = format_number(p.z)
        columns = self._columns()
        muted = self.tint("muted")
        lines = [Text.assemble(("gradient left after n layers, every layer at z = ", muted), (z, self.tint("mark")),
                               (", f′(z)ⁿ", muted))]
        header = Text(f"{'':<7}{'f′(z)':>7}" + "".join(f"{'n = ' + str(n):>12}" for n in columns), muted)
        lines.append(header)
        for name, series in p.output.items():
            marked = name == self.current
            style = self.tint("current") if marked else None
            cells = "".join(f"{format_product(series[n - 1]):>12}" for n in columns)
            mark = "▶ " if marked else "  "
            lines.append(Text(f"{mark}{SYMBOLS[name]:<5}{format_number(p.factors[name]):>7}{cells}", style))
        return lines

    def describe(self) -> str:
        c, p = self.curves, self.products
        low, high = format_number(c.low), format_number(c.high)
        lines = [f"Activations and their derivatives for z from {low} to {high}."]
        for name in c.names:
            symbol = SYMBOLS[name]
            values = c.values[name]
            peak, where = c.peak[name]
            start, end = c.ends[name]
            used = " (in use)" if name == self.current else ""
            lines.append(
                f"{symbol}{used}: from {format_number(values.min())} to {format_number(values.max())}; "
                f"its derivative {symbol}′ is largest, {format_number(peak)}, first at z = {format_number(where)}, "
                f"and is {format_number(start)} at z = {low} and {format_number(end)} at z = {high}."
            )
        columns = self._columns()
        z = format_number(p.z)
        for name, series in p.output.items():
            symbol = SYMBOLS[name]
            after = ", ".join(f"{n} layers {format_product(series[n - 1])}" for n in columns)
            lines.append(f"Gradient left through {symbol} layers at z = {z}, {symbol}′({z}) = "
                         f"{format_number(p.factors[name])} per layer: {after}.")
        return "\n".join(lines)
