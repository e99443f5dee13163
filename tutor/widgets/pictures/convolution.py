"""Question 7's picture: padding and stride, and the transposed convolution drawn the other way.

Fed `conv_geometry` and `conv_transpose_geometry` (tutor.solver): the padded input with its ring,
the kernel at one of its positions (`position`, row-major) over the output cell it makes, sized by
`conv_output_size`; then a small input whose cell `placement` scales the kernel into the larger
output, every cell showing how many scaled kernels add into it, the ring the padding crops marked,
sized by `conv_transpose_output_size`. Glyphs: □ an input cell, ░ padding, ■ under the kernel
(▓ over padding), × never read by any position; in the transposed grid [n] where the kernel lands,
░n░ cropped, {n} both.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive

from tutor.solver import ConvGeometry, ConvTransposeGeometry

from .base import WIDTH, Picture, Sheet
from .grids import arrow_at, block_width, joined, side_by_side, stacked

GAP = "   "
ARROW = " ─→ "


class ConvolutionPicture(Picture):
    """A convolution's kernel positions over its padded input, and a transposed convolution.

    Three sheets (base.Sheet): the convolution's grids, the transposed convolution's (beside it when
    both fit 78 columns, else under it, and so while the field is edited) and the lines under them;
    a key or an update repaints only the grids whose numbers or marks changed, and lays out the
    screen only when the drawing grows past the largest one shown since the student last left a
    field (typing n = 9, 6, 9 moves nothing after the first 9; `settle` fits it again).
    """

    DEFAULT_CSS = """
    ConvolutionPicture > .conv-parts { height: auto; width: 100%; }
    ConvolutionPicture > .conv-parts > Sheet { width: auto; height: auto; }
    ConvolutionPicture > .conv-parts > .conv-transposed { margin-left: 3; }
    ConvolutionPicture > .conv-parts.-stacked { layout: vertical; }
    ConvolutionPicture > .conv-parts.-stacked > .conv-transposed { margin-left: 0; margin-top: 1; }
    """

    BINDINGS = [
        Binding("left_square_bracket", "position(-1)", "Prev position", key_display="[",
                id="convolution.previous", tooltip="The kernel's previous position"),
        Binding("right_square_bracket", "position(1)", "Next position", key_display="]",
                id="convolution.next", tooltip="The kernel's next position"),
        Binding("left_curly_bracket", "placement(-1)", "Prev input cell", key_display="{",
                id="convolution.previous_cell", tooltip="The transposed convolution's previous input cell"),
        Binding("right_curly_bracket", "placement(1)", "Next input cell", key_display="}",
                id="convolution.next_cell", tooltip="The transposed convolution's next input cell"),
    ]

    position: reactive[int] = reactive(0)
    """The kernel position shown, 0 … o² − 1, row-major (output cell (i, j) is i·o + j)."""
    placement: reactive[int] = reactive(0)
    """The transposed convolution's input cell shown, 0 … n² − 1, row-major."""

    def __init__(
        self, conv: ConvGeometry, transpose: ConvTransposeGeometry | None = None, *,
        position: int = 0, placement: int = 0, id: str | None = None,
    ):
        super().__init__(id=id)
        self.conv, self.transpose = conv, transpose
        self.set_reactive(ConvolutionPicture.position, self.validate_position(position))
        self.set_reactive(ConvolutionPicture.placement, self.validate_placement(placement))
        self.painted: dict[str, tuple] = {}  # what each grid was last painted for
        self.repainted: tuple[str, ...] = ()  # the grids the last paint rewrote: "conv", "transposed"
        self.stacked = False  # once stacked, the grids stay so until `settle`: the screen does not jump

    def compose_drawing(self) -> ComposeResult:
        with Horizontal(classes="conv-parts"):
            yield Sheet(classes="conv-conv")
            yield Sheet(classes="conv-transposed")
        yield Sheet(classes="picture-drawing")

    def paint_drawing(self) -> None:
        parts = {"conv": ((id(self.conv), self.position), self._conv_part)}
        if self.transpose is not None:
            parts["transposed"] = ((id(self.transpose), self.placement), self._transpose_part)
        transposed = self.query_one(".conv-transposed", Sheet)
        transposed.display = self.transpose is not None
        changed = []
        widths = {}
        for name, (key, lines) in parts.items():
            if self.painted.get(name) != key:
                drawn = lines()
                self.query_one(f".conv-{name}", Sheet).show(joined(drawn), block_width(drawn), len(drawn))
                self.painted[name] = key
                self.painted[f"{name} width"] = (block_width(drawn),)
                changed.append(name)
            widths[name] = self.painted[f"{name} width"][0]
        if self.transpose is None:
            self.painted.pop("transposed", None)
        self.stacked = self.stacked or sum(widths.values()) + len(GAP) * (len(widths) - 1) > WIDTH
        self.query_one(".conv-parts").set_class(self.stacked, "-stacked")
        under = self._under()
        self.query_one(".picture-drawing", Sheet).show(joined(under), block_width(under), len(under))
        self.repainted = tuple(changed)

    def settle(self) -> None:
        self.stacked = False
        self.painted.clear()  # every sheet drawn again, at its own size
        super().settle()

    def update(self, conv: ConvGeometry, transpose: ConvTransposeGeometry | None = None) -> None:
        """Show new sizes (keeping the position and placement where they still exist)."""
        self.conv, self.transpose = conv, transpose
        self.set_reactive(ConvolutionPicture.position, self.validate_position(self.position))
        self.set_reactive(ConvolutionPicture.placement, self.validate_placement(self.placement))
        self.repaint()

    def validate_position(self, value: int) -> int:
        return min(max(int(value), 0), len(self.conv.positions) - 1)

    def validate_placement(self, value: int) -> int:
        if self.transpose is None:
            return 0
        return min(max(int(value), 0), self.transpose.n ** 2 - 1)

    def watch_position(self) -> None:
        self.repaint()

    def watch_placement(self) -> None:
        self.repaint()

    def action_position(self, delta: int) -> None:
        self.position = self.position + delta

    def action_placement(self, delta: int) -> None:
        self.placement = self.placement + delta

    # ------------------------------------------------------------------ drawing

    def _cells(self, side: int, mark) -> list[Text]:
        """Rows of glyph cells: mark(r, c) gives each cell's (glyph, style)."""
        rows = []
        for r in range(side):
            line = Text()
            for c in range(side):
                glyph, style = mark(r, c)
                line.append(glyph, style)
                line.append(" ")
            rows.append(line)
        return rows

    def _conv_part(self) -> list[Text]:
        g = self.conv
        under = {tuple(cell) for cell in g.cells[self.position].reshape(-1, 2).tolist()}
        kernel, padding, muted = self.tint("window") + self.tint("mark"), self.tint("padding"), self.tint("muted")

        def source(r: int, c: int):
            ring = bool(g.padding_mask[r, c])
            if (r, c) in under:
                return ("▓" if ring else "■"), kernel
            if ring:
                return "░", padding
            return ("×", muted) if g.coverage[r, c] == 0 else ("□", None)

        o = g.output
        out_r, out_c = divmod(self.position, o)
        title = f"{g.n}×{g.n}" + (f" padded to {g.padded_size}×{g.padded_size}" if g.padding else "")
        left = [Text(title), *self._cells(g.padded_size, source)]
        right = [Text(f"output {o}×{o}"),
                 *self._cells(o, lambda r, c: ("■", kernel) if (r, c) == (out_r, out_c) else ("□", None))]
        head = Text.assemble(("convolution", self.tint("mark")), f"  k {g.kernel}, s {g.stride}, p {g.padding}")
        body = side_by_side([left, right], [arrow_at(out_r + 1, len(left), ARROW)], WIDTH)
        if body is None:
            return [head, Text(f"too large to draw in 80 columns ({g.padded_size} cells wide): d says it in words")]
        return [head, *body]

    def _transpose_part(self) -> list[Text]:
        t = self.transpose
        i, j = divmod(self.placement, t.n)
        lands = {tuple(cell) for cell in t.cells[i, j].reshape(-1, 2).tolist()}
        kernel, padding = self.tint("window") + self.tint("mark"), self.tint("padding")
        left = [Text(f"input {t.n}×{t.n}"),
                *self._cells(t.n, lambda r, c: ("■", kernel) if (r, c) == (i, j) else ("□", None))]
        width = len(str(int(t.overlap.max())))
        grid = [Text(f"sums {t.grid_size}×{t.grid_size}, keeps {t.output}×{t.output}")]
        for r in range(t.grid_size):
            line = Text()
            for c in range(t.grid_size):
                count = f"{int(t.overlap[r, c]):>{width}}"
                kept = bool(t.kept[r, c])
                if (r, c) in lands:
                    line.append(f"[{count}]" if kept else f"{{{count}}}", kernel if kept else kernel + padding)
                elif kept:
                    line.append(f" {count} ")
                else:
                    line.append(f"░{count}░", padding)
            grid.append(line)
        extra = f", output padding {t.output_padding}" if t.output_padding else ""
        head = Text.assemble(("transposed", self.tint("mark")), f"  k {t.kernel}, s {t.stride}, p {t.padding}{extra}")
        body = side_by_side([left, grid], [arrow_at(i + 1, len(left), ARROW)], WIDTH)
        if body is None:
            return [head, Text(f"too large to draw in 80 columns ({t.grid_size} cells wide): d says it in words")]
        return [head, *body]

    def draw(self) -> Text:
        """The whole picture as one Text: the grids side by side (or stacked), the lines under them."""
        parts = [self._conv_part()] + ([self._transpose_part()] if self.transpose is not None else [])
        lines = (side_by_side(parts, [GAP], WIDTH) if len(parts) == 2 else None) or stacked(parts)
        return joined([*lines, *self._under()])

    def _under(self) -> list[Text]:
        """The legend, the sizes' formulas and the keys, under the grids."""
        g, t = self.conv, self.transpose
        lines: list[Text] = []
        kernel, padding, muted = self.tint("window") + self.tint("mark"), self.tint("padding"), self.tint("muted")
        r, c = (int(v) for v in g.positions[self.position])
        lines.append(Text("(row, col) from 0, the padding included", muted))
        lines.append(Text.assemble(
            ("■", kernel), f" kernel at ({r}, {c}), position {self.position + 1} of {len(g.positions)}",
            *(("   ", ("▓", kernel), " over padding   ", ("░", padding), " padding") if g.padding else ()),
            *(("   ", ("×", muted), " never read") if (g.coverage == 0).any() else ()),
        ))
        lines.append(Text(f"output = {g.steps[-1].formula} = {g.output}"))
        if t is not None:
            i, j = divmod(self.placement, t.n)
            tr, tc = (int(v) for v in t.placements[i, j])
            lines.append(Text.assemble(
                ("[ ]", kernel), f" input ({i}, {j})'s kernel lands at ({tr}, {tc}); digits: kernels summed there",
            ))
            if not t.kept.all():
                lines.append(Text.assemble(("░ ░", padding), " cropped by the padding   ", ("{ }", kernel + padding),
                                           " landed and cropped"))
            lines.append(Text(f"transposed output = {t.steps[-1].formula} = {t.output}"))
        keys = "keys: [ and ] move the kernel" + (", { and } the input cell" if t else "") + ", d says it in words"
        lines.append(Text(keys, muted))
        return lines

    # ------------------------------------------------------------------ words

    def describe(self) -> str:
        g = self.conv
        starts = ", ".join(str(v) for v in sorted(set(g.positions[:, 0].tolist())))
        r, c = (int(v) for v in g.positions[self.position])
        k = g.kernel
        padded = (f"padded by {g.padding} on every side to {g.padded_size}×{g.padded_size}"
                  if g.padding else "without padding")
        lines = [
            f"Convolution: a {g.n}×{g.n} input {padded}; a {k}×{k} kernel with stride {g.stride} "
            f"has {g.output} positions along each side, {len(g.positions)} in all, their top-left "
            f"corners at rows {starts} and the same columns (counted from 0, the padding included). "
            f"The output is {g.output}×{g.output}: {g.steps[-1].text()}.",
            f"Position {self.position + 1} of {len(g.positions)}: the kernel's top-left at row {r}, "
            f"column {c}, covering rows {r}–{int(g.cells[self.position][-1, -1, 0])} and columns "
            f"{c}–{int(g.cells[self.position][-1, -1, 1])}.",
        ]
        unread = int((g.coverage == 0).sum())
        if unread:
            lines.append(f"{unread} cells of the padded input are never read: the stride skips them.")
        else:
            lines.append(f"Every cell of the padded input is read, from once to {int(g.coverage.max())} times.")
        t = self.transpose
        if t is not None:
            i, j = divmod(self.placement, t.n)
            r, c = (int(v) for v in t.placements[i, j])
            crop = (f"padding {t.padding} crops {t.padding} rows and columns from each side" if t.padding
                    else "nothing is cropped")
            lines.append(
                f"Transposed convolution: a {t.n}×{t.n} input; each input cell scales the {t.kernel}×{t.kernel} "
                f"kernel, placed {t.stride} cells apart, and the scaled kernels add up in a "
                f"{t.full_size}×{t.full_size} grid, up to {int(t.overlap.max())} on one cell; {crop}, "
                f"leaving {t.output}×{t.output}: {t.steps[-1].text()}."
            )
            lines.append(
                f"Input row {i}, column {j} lands at rows {r}–{int(t.cells[i, j][-1, -1, 0])}, columns "
                f"{c}–{int(t.cells[i, j][-1, -1, 1])} of the grid."
            )
        return "\n".join(lines)
