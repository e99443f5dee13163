"""Small calculators beside their questions: type a few numbers, read what the solver makes of them.

- ConvSizeCalculator: n, k, p, s → a convolution's output size and the transposed convolution's.
- ParamsCalculator: channels, kernel, bottleneck width, bias → each layer's parameters, the total
  and the saving against a plain convolution.
- SoftmaxCalculator: logits and a label → softmax, loss and gradient.
- GradientShapesCalculator: d_x, d_h, n_c → the five gradients' shapes, and a numerical check; and
  a formula typed in the question's symbols → its shape, whether it conforms and which gradient it
  is, by the grader's own evaluation (tutor.formula_grading.report).

Every result line is a solver step (`Step.text()`) or a solver value formatted; nothing is computed
here. A field that cannot be read, or holds a number outside its range (at most MAX_WHOLE), says so
beside itself and the previous results stay, dimmed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.worker import get_current_worker
from textual.widgets import Checkbox, Input, Label, Static

from tutor.formula_grading import report
from tutor.parsing import ParseError
from tutor.solver import (
    format_number,
    trace_bottleneck_params,
    trace_conv_output_size,
    trace_conv_params,
    trace_conv_transpose_output_size,
    trace_softmax_cross_entropy,
    two_layer_gradients,
)

from .base import LiveEditor, Note, read_whole
from tutor.solver.gradcheck import NAMES as GRADIENT_NAMES
from tutor.solver.gradcheck import check_gradients
from .matrix_editor import MatrixEditor


MAX_WHOLE = 99_999  # a size, count or stride of a calculator: what its 8-column field shows


@dataclass(frozen=True)
class Field:
    """One input of a calculator: the solver argument it feeds, and how it is shown."""

    name: str
    label: str
    kind: str = "whole"  # "whole" (a whole number, maybe empty) or "flag" (a checkbox)
    empty_ok: bool = False
    tooltip: str = ""
    low: int | None = 1  # a whole number outside low..high is refused beside its field, with the range
    high: int | None = MAX_WHOLE  # (None: the calculator's read() checks a range of its own)


class Calculator(LiveEditor):
    """A column of labelled fields, a message line, and result lines from the solver."""

    DEFAULT_CSS = """
    Calculator {
        & .calc-field { height: 1; width: 100%; }
        & .calc-field > Label { width: 22; }
        & .calc-field > Input { width: 8; margin-right: 2; }
        & .calc-field > Checkbox { width: auto; }
        & .calc-field > Note { width: 1fr; }
        & .calc-formula { height: 1; width: 100%; margin-top: 1; }
        & .calc-formula > Label { width: 9; }
        & .calc-formula > Input { width: 1fr; }
        & > #calc-results { height: auto; margin-top: 1; }
    }
    """

    FIELDS: tuple[Field, ...] = ()

    def __init__(
        self, values: Mapping, *, seed: int | None = None, id: str | None = None, classes: str | None = None
    ):
        super().__init__(seed=seed, id=id, classes=classes)
        self.exam = dict(values)
        self.lines: list[str] = []

    def compose(self) -> ComposeResult:
        for field in self.FIELDS:
            with Horizontal(classes="calc-field"):
                yield Label(field.label)
                value = self.exam.get(field.name)
                if field.kind == "flag":
                    yield Checkbox(
                        "counted", bool(value), compact=True, id=f"calc-{field.name}", tooltip=field.tooltip
                    )
                else:
                    text = "" if value is None else str(value)
                    yield Input(text, compact=True, id=f"calc-{field.name}", tooltip=field.tooltip or None)
                yield Note(id=f"calc-{field.name}-note")
        yield from self.compose_extra()
        yield Note(id="calc-message")
        yield Static(id="calc-results")

    def compose_extra(self) -> ComposeResult:
        """More inputs after the fields (the softmax calculator's logits)."""
        yield from ()

    def on_mount(self) -> None:
        self.recompute()

    def read(self) -> dict | None:
        """Every field's value, or None after marking each field that cannot be read."""
        values, bad = {}, False
        for field in self.FIELDS:
            widget = self.query_one(f"#calc-{field.name}")
            note = self.query_one(f"#calc-{field.name}-note", Note)
            if field.kind == "flag":
                values[field.name] = widget.value
                continue
            try:
                values[field.name] = read_whole(widget, empty_ok=field.empty_ok, low=field.low, high=field.high)
                note.say("")
            except ParseError as error:
                note.say(str(error))
                bad = True
        return None if bad else values

    def recompute(self) -> None:
        values = self.read()
        if values is None:
            self._stale()
            return
        try:
            lines = self.results(values)
        except (ValueError, OverflowError) as error:  # impossible, or numbers past what C holds
            self.query_one("#calc-message", Note).say(str(error))
            self._stale()
            return
        self.query_one("#calc-message", Note).say("")
        self.show(lines)

    def show(self, lines: list[str]) -> None:
        self.lines = lines
        results = self.query_one("#calc-results", Static)
        results.remove_class("-dimmed")
        results.update(Text("\n".join(lines)))

    def _stale(self) -> None:
        self.query_one("#calc-results").add_class("-dimmed")

    def results(self, values: dict) -> list[str]:
        """The result lines for these field values (solver calls); ValueError when impossible."""
        raise NotImplementedError

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(MatrixEditor.Changed)
    def _changed(self) -> None:
        self.recompute()

    def reset(self) -> None:
        self.fill(self.exam)

    def randomize(self) -> None:
        self.fill(self.draw())

    def draw(self) -> dict:
        """New random field values."""
        raise NotImplementedError

    def fill(self, values: Mapping) -> None:
        with self.prevent(Input.Changed, Checkbox.Changed, MatrixEditor.Changed):
            for field in self.FIELDS:
                widget = self.query_one(f"#calc-{field.name}")
                value = values.get(field.name)
                if field.kind == "flag":
                    widget.value = bool(value)
                else:
                    widget.value = "" if value is None else str(value)
            self.fill_extra(values)
        self.recompute()

    def fill_extra(self, values: Mapping) -> None:
        """Put values in the inputs of compose_extra."""


class ConvSizeCalculator(Calculator):
    """Output size of a convolution, and of the transposed convolution with the same k, p, s."""

    FIELDS = (
        Field("n", "input size n", tooltip="Side of the (square) input"),
        Field("kernel", "kernel k", tooltip="Side of the kernel"),
        Field("padding", "padding p", tooltip="Cells added on every side", low=0),
        Field("stride", "stride s", tooltip="Step of the kernel"),
    )

    def results(self, values: dict) -> list[str]:
        conv = trace_conv_output_size(**values)
        back = trace_conv_transpose_output_size(**{**values, "n": conv.output})
        lines = [f"convolution of n = {format_number(values['n'])}:", "  " + conv.steps[-1].text()]
        lines += [f"transposed, of that output {format_number(conv.output)}:", "  " + back.steps[-1].text()]
        try:
            direct = trace_conv_transpose_output_size(**values)
        except ValueError as error:
            lines += [f"transposed, of n = {format_number(values['n'])}: {error}"]
        else:
            lines += [f"transposed, of n = {format_number(values['n'])}:", "  " + direct.steps[-1].text()]
        return lines

    def draw(self) -> dict:
        kernel = int(self.rng.integers(1, 6))
        return {
            "n": int(self.rng.integers(kernel + 2, 17)),
            "kernel": kernel,
            "padding": int(self.rng.integers(0, kernel // 2 + 1)),
            "stride": int(self.rng.integers(1, 4)),
        }


class ParamsCalculator(Calculator):
    """Parameters of a k×k convolution, and of a 1×1 bottleneck followed by the k×k convolution."""

    FIELDS = (
        Field("in_channels", "in channels"),
        Field("kernel", "kernel k"),
        Field(
            "mid_channels", "bottleneck width", empty_ok=True,
            tooltip="Channels after the 1×1 convolution (empty: no bottleneck)",
        ),
        Field("out_channels", "out channels"),
        Field("bias", "biases", kind="flag", tooltip="Count one bias per output channel of each layer"),
    )

    def results(self, values: dict) -> list[str]:
        plain = trace_conv_params(
            values["in_channels"], values["out_channels"], values["kernel"], values["bias"]
        )
        lines = ["without a bottleneck:", "  " + plain.steps[-1].text()]
        if values["mid_channels"] is not None:
            bottleneck = trace_bottleneck_params(**values)
            lines.append("with the 1×1 bottleneck:")
            lines += ["  " + step.text() for step in bottleneck.steps]
        return lines

    def draw(self) -> dict:
        return {
            "in_channels": int(self.rng.choice([16, 32, 64, 128])),
            "kernel": int(self.rng.choice([3, 5, 7])),
            "mid_channels": int(self.rng.integers(2, 17)),
            "out_channels": int(self.rng.choice([32, 64, 128, 256])),
            "bias": bool(self.rng.integers(0, 2)),
        }


class SoftmaxCalculator(Calculator):
    """Softmax, cross-entropy loss and its gradient for editable logits and a class label."""

    FIELDS = (Field("label", "label (class number)", tooltip="The true class, 1 to the number of logits",
                    low=None, high=None),)  # read() says "a class from 1 to n"
    MAX_CLASSES = 8

    def __init__(self, o, y, *, seed: int | None = None, id: str | None = None, classes: str | None = None):
        logits = np.ravel(np.asarray(o, dtype=float))
        label = int(np.argmax(np.ravel(y))) + 1
        super().__init__({"label": label, "o": logits}, seed=seed, id=id, classes=classes)

    def compose_extra(self) -> ComposeResult:
        yield MatrixEditor(
            self.exam["o"][None, :], title="logits o", name="logits o", numbered=True, show_message=False,
            min_size=(1, 2), max_size=(1, self.MAX_CLASSES), id="calc-o",
        )
        yield Note(classes="cell-errors")

    @property
    def logits(self) -> np.ndarray:
        return self.query_one("#calc-o", MatrixEditor).matrix.ravel()

    def read(self) -> dict | None:
        values = super().read()
        if values is None:
            return None
        classes = self.logits.size
        if not 1 <= values["label"] <= classes:
            self.query_one("#calc-label-note", Note).say(f"a class from 1 to {classes}")
            self.query_one("#calc-label").add_class("-invalid")
            return None
        return values

    def results(self, values: dict) -> list[str]:
        classes = self.logits.size
        y = np.eye(classes)[values["label"] - 1]  # the one-hot label of the chosen class
        return [step.text() for step in trace_softmax_cross_entropy(self.logits, y).steps]

    def draw(self) -> dict:
        classes = self.logits.size
        return {
            "label": int(self.rng.integers(1, classes + 1)),
            "o": self.rng.integers(-30, 31, size=classes) / 10,
        }

    def fill_extra(self, values: Mapping) -> None:
        self.query_one("#calc-o", MatrixEditor).set_matrix(np.asarray(values["o"])[None, :])


class GradientShapesCalculator(Calculator):
    """The shapes of ∂J/∂W₂, ∂J/∂b₂, ∂J/∂W₁, ∂J/∂b₁, ∂J/∂x for sizes d_x, d_h, n_c, and a check of
    the gradients against central finite differences, on random numbers of those sizes.

    With `formulas` (the question's formula parts' Formula objects) a formula field too: what the
    student types there is read and evaluated exactly as the grader does, and the lines say its
    shape (in symbols and at these sizes), or why it does not conform, and whether it equals each
    part's gradient.
    """

    VERDICTS = {
        "equal": "equal ✓",
        "transpose": "its transpose ✓ (counts as correct)",
        "negated": "minus it: the sign is wrong",
        "negated transpose": "minus its transpose: the sign is wrong",
        "differs": "the same shape, other numbers",
        "other shape": "another shape",
    }

    FIELDS = (  # read() says "a size from 1 to 6"
        Field("d_x", "inputs d_x", low=None, high=None),
        Field("d_h", "hidden units d_h", low=None, high=None),
        Field("n_c", "classes n_c", low=None, high=None),
    )
    MAX_SIZE = 6  # the numerical check runs two forward passes per entry

    def __init__(self, x, y, W1, b1, W2, b2, activation: str = "relu", *, formulas=(), seed=None, id=None,
                 classes=None):
        W1, W2 = np.asarray(W1, dtype=float), np.asarray(W2, dtype=float)
        sizes = {"d_x": W1.shape[1], "d_h": W1.shape[0], "n_c": W2.shape[0]}
        super().__init__(sizes, seed=seed, id=id, classes=classes)
        self.activation = activation
        self.columns = np.ndim(x) == 2  # the exam's column vectors (d, 1), else flat (d,)
        self.shape_lines: list[str] = []
        self.formulas = tuple(formulas)
        self.sizes = dict(sizes)
        self.formula_lines: list[str] = []

    def compose_extra(self) -> ComposeResult:
        if self.formulas:
            with Horizontal(classes="calc-formula"):
                yield Label("formula")
                yield Input(placeholder="type one, e.g. W₂ᵀδ₁ᵀ or W2^T d1^T", compact=True, id="calc-formula",
                            tooltip="A formula in the question's symbols: its shape, and which gradient it is")
            yield Note(id="calc-formula-note")
            yield Static(id="calc-formula-results")

    @on(Input.Changed, "#calc-formula")
    def _formula_changed(self, event: Input.Changed) -> None:
        event.prevent_default()  # the sizes did not change: no new numbers, no new check
        event.stop()
        self.show_formula()

    def show_formula(self) -> None:
        """The formula field's lines, from tutor.formula_grading.report (the grader's evaluation)."""
        if not self.formulas:
            return
        text = self.query_one("#calc-formula", Input).value
        note = self.query_one("#calc-formula-note", Note)
        lines: list[str] = []
        if text.strip():
            try:
                found = report(self.formulas, text, self.sizes)
            except ParseError as error:
                note.say(str(error))
            else:
                note.say("")
                lines = [found.said] + [f"  {target:<8} {self.VERDICTS[verdict]}" for target, verdict in found.matches]
        else:
            note.say("")
        self.formula_lines = lines
        self.query_one("#calc-formula-results", Static).update(Text("\n".join(lines)))

    def read(self) -> dict | None:
        values = super().read()
        if values is None:
            return None
        for name, size in values.items():
            if not 1 <= size <= self.MAX_SIZE:
                self.query_one(f"#calc-{name}-note", Note).say(f"a size from 1 to {self.MAX_SIZE}")
                self.query_one(f"#calc-{name}").add_class("-invalid")
                return None
        return values

    def sample(self, d_x: int, d_h: int, n_c: int) -> dict:
        """Random inputs of these sizes: tenths in −1..1, a random one-hot label."""
        def draw(*shape):
            return self.rng.integers(-10, 11, size=shape) / 10

        column = (lambda n: (n, 1)) if self.columns else (lambda n: (n,))
        label = np.eye(n_c)[int(self.rng.integers(n_c))].reshape(column(n_c))
        return {
            "x": draw(*column(d_x)), "y": label, "W1": draw(d_h, d_x), "b1": draw(*column(d_h)),
            "W2": draw(n_c, d_h), "b2": draw(*column(n_c)),
        }

    def results(self, values: dict) -> list[str]:
        self.sizes = dict(values)
        self.show_formula()
        numbers = self.sample(values["d_x"], values["d_h"], values["n_c"])
        gradients = two_layer_gradients(**numbers, activation=self.activation)
        # the solver's steps: δ₁, δ₂, then one per gradient labelled "∂J/∂W₂ (n_c×d_h = 3×4)"
        lines = ["gradient        shape (symbols = sizes)   array .shape"]
        for name, step in zip(GRADIENT_NAMES, gradients.steps[2:]):
            label, _, dims = step.label.partition(" (")
            shape = "×".join(str(n) for n in gradients[name].shape)
            lines.append(f"{label:<15} {dims.rstrip(')'):<25} {shape}")
        self.shape_lines = lines
        self.check_numerically(numbers)
        return lines + ["check against central differences: computing…"]

    @work(thread=True, exclusive=True, group="gradient-check")
    def check_numerically(self, numbers: dict) -> None:
        result = check_gradients(**numbers, activation=self.activation)
        if get_current_worker().is_cancelled:
            return
        lines = [
            f"check against central differences (h = {format_number(result.h)}), all {result.count} entries:",
            f"  max |analytic − numerical| = {format_number(result.max_difference)}",
        ]
        self.app.call_from_thread(self._show_check, lines)

    def _show_check(self, lines: list[str]) -> None:
        self.show(self.shape_lines + lines)

    def draw(self) -> dict:
        return {name: int(self.rng.integers(2, self.MAX_SIZE + 1)) for name in ("d_x", "d_h", "n_c")}
