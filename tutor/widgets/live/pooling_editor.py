"""The pooling editor: an input matrix and the pooling's settings, the output recomputed live.

Built on a "pooling" editor (tutor.editors): its `pool2d` computation's arguments are the exam's
numbers, and every change evaluates that computation again (`tutor.exam.evaluate`). Every output
value, window and winner comes from the solver (`pool2d`'s result and `pool_windows` of it); this
widget only lays them out and marks, for the output cell under the cursor, the input cells of its
window and the one that won. When the content shows the pooling picture (`picture = "pooling"`,
tutor/widgets/pictures/pooling, imported only then), it is drawn under the steps from the same
result and windows, its window following the output cursor. An impossible setting is said in place, and the last good output
stays, dimmed; so is a size, stride or padding past what an input of at most 8×8 can show
(LIMITS), with the range. What it must not depend on: the app, and any window worked out here.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.geometry import Size
from textual.widgets import Input, Label, OptionList, Select, Static

from tutor.editors import Editor
from tutor.half_typed import half_typed
from tutor.parsing import ParseError
from tutor.solver import PoolResult, PoolWindows, pool_windows

from .base import FieldInput, LiveEditor, Note, limits, read_whole, show_lines
from .matrix_editor import MatrixEditor

MODES = [("max", "max"), ("average", "avg")]
MAX_SIZE = 8
# What the editor can show: windows, strides and padding of an input of at most 8×8 (a stride of
# 1e19 would overflow numpy's C integers, a window of a million cells exhaust the memory).
LIMITS = {"size": (1, MAX_SIZE), "stride": (1, MAX_SIZE), "padding": (0, MAX_SIZE // 2)}
ARROW_WIDTH = 3
RANDOM_HIGH = 10  # random inputs are whole numbers 0..9


class PoolingEditor(LiveEditor):
    """Edit a pooling's input (1..8 × 1..8), window size, stride, padding and mode; see the output.

    The output grid is navigable: the cell under its cursor picks the window shown in the input
    (its cells tinted, the winner bright) and the step shown under the settings.
    """

    DEFAULT_CSS = """
    PoolingEditor {
        & > #pool-grids { height: auto; width: 100%; }
        & #pool-arrow { width: 3; height: 100%; content-align: center middle; color: $text-muted; }
        & > #pool-grids.-stacked { layout: vertical; }
        & > #pool-grids.-stacked > #pool-arrow { display: none; }
        & > #pool-grids.-stacked > #pool-output { margin-top: 1; }
        & > #pool-settings { height: 1; width: 100%; margin-top: 1; }
        & > #pool-settings Label { padding: 0 1 0 0; }
        & > #pool-settings Input { width: 6; margin-right: 2; }
        & > #pool-settings Select { width: 14; }
        & > #pool-current { height: auto; margin-top: 1; text-style: bold; }
        & > #pool-steps-title { margin-top: 1; color: $text-muted; }
        & > #pool-steps { height: auto; max-height: 8; border: none; padding: 0; }
        & > #pool-picture { margin-top: 1; }
    }
    """

    def __init__(self, spec: Editor, *, seed: int | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(spec, seed=seed, id=id, classes=classes)
        start = spec.starting_values("pool")
        self.exam = {**start, "x": np.array(start["x"], dtype=float)}  # the exam's numbers, for ctrl+r
        self.result: PoolResult | None = None
        self.windows: PoolWindows | None = None  # the result's windows on the input
        self.used: dict = {}  # the settings that made `result`
        self.current_line = ""  # the step of the output cell under the cursor, as shown
        self.step_texts: list[str] = []  # the solver's steps, as the list shows them
        self.error = ""

    def compose(self) -> ComposeResult:
        exam = self.exam
        with Horizontal(id="pool-grids"):
            yield MatrixEditor(
                exam["x"], title="input x", name="input x", numbered=True, show_message=False,
                min_size=(1, 1), max_size=(MAX_SIZE, MAX_SIZE), id="pool-input",
            )
            yield Static("→", id="pool-arrow")
            yield MatrixEditor(
                [[0.0]], title="output y", numbered=True, read_only=True,
                max_size=(MAX_SIZE, MAX_SIZE), id="pool-output",
            )
        yield Note(classes="cell-errors")
        with Horizontal(id="pool-settings"):
            yield Label("size")
            yield FieldInput(str(exam["size"]), compact=True, id="pool-size",
                        tooltip=f"Side of the square window, {limits(*LIMITS['size'])}")
            yield Label("stride")
            yield FieldInput(
                "" if exam["stride"] is None else str(exam["stride"]), placeholder="=size",
                compact=True, id="pool-stride",
                tooltip=f"Step between windows, {limits(*LIMITS['stride'])} (empty: the window size)",
            )
            yield Label("padding")
            yield FieldInput(
                str(exam["padding"]), compact=True, id="pool-padding",
                tooltip=f"Cells added on every side, {limits(*LIMITS['padding'])}",
            )
            yield Select(MODES, value=exam["mode"], allow_blank=False, compact=True, id="pool-mode")
        yield Note(id="pool-message")
        yield Static(id="pool-current")
        yield Static("steps (↑↓ here pick a window too)", id="pool-steps-title")
        yield OptionList(id="pool-steps")
        if self.spec.picture is not None:
            from tutor.widgets.pictures.pooling import PoolingPicture

            result = self.evaluate("pool", **self.exam)
            yield PoolingPicture(result, pool_windows(result, self.exam["padding"]), id="pool-picture")

    @property
    def picture(self):
        """The pooling picture the content shows with this editor, or None."""
        found = self.query("#pool-picture")
        return found.first() if found else None

    def on_mount(self) -> None:
        self.recompute()

    def on_resize(self) -> None:
        self.arrange_grids()

    def arrange_grids(self) -> None:
        """The grids side by side when both fit the width, else the output under the input."""
        if not self.size.width:
            return
        nothing = Size(0, 0)
        grids = (self.input_editor, self.output_editor)
        needed = sum(grid.get_content_width(nothing, nothing) + 1 for grid in grids) + ARROW_WIDTH
        self.query_one("#pool-grids").set_class(needed > self.size.width, "-stacked")

    # ---- the numbers ------------------------------------------------------------------------------

    @property
    def input_editor(self) -> MatrixEditor:
        return self.query_one("#pool-input", MatrixEditor)

    @property
    def output_editor(self) -> MatrixEditor:
        return self.query_one("#pool-output", MatrixEditor)

    def settings(self) -> dict:
        """The pooling's keyword arguments as typed; ValueError naming each field that is wrong."""
        settings, problems = {"mode": self.query_one("#pool-mode", Select).value}, []
        for name in ("size", "stride", "padding"):
            try:
                low, high = LIMITS[name]
                field = self.query_one(f"#pool-{name}", Input)
                settings[name] = read_whole(field, empty_ok=name == "stride", low=low, high=high)
            except ParseError as error:
                problems.append(f"{name}: {error}")
        if problems:
            raise ValueError("; ".join(problems))
        return settings

    def recompute(self) -> None:
        """Ask the solver for the pooling of what is shown; on a bad setting, say why and dim; while a
        setting is half-typed (nothing yet, "-"), wait: nothing said, nothing recomputed."""
        fields = [self.query_one(f"#pool-{name}", Input) for name in ("size", "stride", "padding")]
        if any(half_typed(f.value) and not (f.id == "pool-stride" and not f.value.strip()) for f in fields):
            return
        rows, cols = self.input_editor.shape
        self.input_editor.title = f"input x ({rows}×{cols})"
        try:
            settings = self.settings()
            result = self.evaluate("pool", x=self.input_editor.matrix, **settings)
            windows = pool_windows(result, settings["padding"])
        except (ValueError, OverflowError) as error:  # an impossible setting, or numbers past C's
            self.error = str(error)
            self.query_one("#pool-message", Note).say(self.error)
            self.output_editor.dimmed = True
            self.query_one("#pool-steps").add_class("-dimmed")
            self.query_one("#pool-current").add_class("-dimmed")
            if self.picture is not None:
                self.picture.add_class("-dimmed")
            return
        self.error = ""
        self.result, self.windows, self.used = result, windows, settings
        self.query_one("#pool-message", Note).say("")
        self.output_editor.dimmed = False
        self.query_one("#pool-steps").remove_class("-dimmed")
        self.query_one("#pool-current").remove_class("-dimmed")
        self.output_editor.set_matrix(result.output)
        self.output_editor.title = f"output y ({result.output.shape[0]}×{result.output.shape[1]})"
        self._show_steps([step.text() for step in result.steps])
        if self.picture is not None:
            self.picture.remove_class("-dimmed")
            self.picture.update(result, windows, step=self._index(*self.output_editor.cursor))
        self.show_window(*self.output_editor.cursor)
        self.arrange_grids()

    def _show_steps(self, texts: list[str]) -> None:
        """The solver's steps in the list: only the lines that changed are replaced (a list cleared
        and filled again on every key repainted and laid out all of it)."""
        steps, old = self.query_one("#pool-steps", OptionList), self.step_texts
        self.step_texts = texts
        if len(old) != len(texts):
            steps.clear_options()
            steps.add_options(texts)
            return
        for index, (was, now) in enumerate(zip(old, texts)):
            if was != now:
                steps.replace_option_prompt_at_index(index, now)

    def _index(self, row: int, col: int) -> int:
        """The output cell's place in row-major order: its step, and the picture's window."""
        return int(np.ravel_multi_index((row, col), self.result.output.shape))

    def show_window(self, row: int, col: int) -> None:
        """Tint the input cells of output (row, col)'s window, the winner brightest; show its step."""
        result, windows = self.result, self.windows
        if result is None or windows is None:
            return
        cells = dict.fromkeys(windows.input_cells(row, col), "window")
        index = self._index(row, col)  # the steps go row by row
        line = result.steps[index].text()
        winner = windows.input_winner(row, col)
        if winner is not None:
            cells[winner] = "winner"
            line += f"   won by {windows.winner_place(row, col)}"
        self.input_editor.highlight(cells)
        old, self.current_line = self.current_line, line
        show_lines(self.query_one("#pool-current", Static), [old] if old else [], [line])
        steps = self.query_one("#pool-steps", OptionList)
        if steps.highlighted != index:
            steps.highlighted = index
        if self.picture is not None:
            self.picture.step = index

    # ---- events -----------------------------------------------------------------------------------

    @on(MatrixEditor.Changed, "#pool-input")
    @on(Input.Changed)
    @on(Select.Changed)
    def _inputs_changed(self) -> None:
        self.recompute()

    @on(MatrixEditor.CursorMoved, "#pool-output")
    def _output_cursor(self, event: MatrixEditor.CursorMoved) -> None:
        self.show_window(event.row, event.col)

    def on_pooling_picture_stepped(self, event) -> None:
        """The picture's own [ and ] moved the window: the output cursor (and so the steps) follow."""
        event.stop()
        if self.result is not None:
            row, col = np.unravel_index(event.step, self.result.output.shape)
            self.output_editor.cursor = (int(row), int(col))

    @on(OptionList.OptionHighlighted, "#pool-steps")
    def _step_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.result is None:
            return
        if event.option_index < self.result.output.size:  # (the last step is the whole output)
            row, col = np.unravel_index(event.option_index, self.result.output.shape)
            self.output_editor.cursor = (int(row), int(col))

    # ---- reset and random -------------------------------------------------------------------------

    def reset(self) -> None:
        exam = self.exam
        self.input_editor.set_matrix(exam["x"])
        self._set_settings(exam["size"], exam["stride"], exam["padding"], exam["mode"])
        self.recompute()

    def randomize(self) -> None:
        self.input_editor.set_matrix(self.rng.integers(0, RANDOM_HIGH, size=self.input_editor.shape))
        self.recompute()

    def _set_settings(self, size, stride, padding, mode) -> None:
        with self.prevent(Input.Changed, Select.Changed):
            self.query_one("#pool-size", Input).value = str(size)
            self.query_one("#pool-stride", Input).value = "" if stride is None else str(stride)
            self.query_one("#pool-padding", Input).value = str(padding)
            self.query_one("#pool-mode", Select).value = mode
