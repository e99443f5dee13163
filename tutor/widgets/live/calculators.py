"""Small calculators beside their questions: type a few numbers, read what the solver makes of them.

- ConvSizeCalculator (editor "conv_size"): n, k, p, s → a convolution's output size and the
  transposed convolution's; with the convolution picture (`picture = "convolution"`), the padded
  input, the kernel's positions and the output, and the transposed convolution of that output
  (`conv_geometry`, `conv_transpose_geometry`), redrawn as the numbers change.
- ParamsCalculator ("params"): channels, kernel, bottleneck width, bias → each layer's parameters,
  the total and the saving against a plain convolution.
- SoftmaxCalculator ("softmax"): logits and a label → softmax, loss and gradient; with the
  softmax bars (`picture = "softmax_bars"`), ŷ and ŷ − y drawn per class.

(The gradients' calculator is `gradient_calculator`; a picture's module is imported only when the
content shows it.) Each recomputes its editor's computations with
`tutor.exam.evaluate` (LiveEditor.evaluate); every result line is a solver step (`Step.text()`) or
a solver value formatted, nothing is computed here. What they must not depend on: the app, and any
question's number or words (they know their editor's roles only).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from textual.app import ComposeResult

from tutor.editors import Editor
from tutor.solver import cross_entropy, format_number, softmax

from .base import Note
from .calculator import WAITING, Calculator, Field
from .matrix_editor import MatrixEditor


class ConvSizeCalculator(Calculator):
    """Output size of a convolution, and of the transposed convolution with the same k, p, s."""

    # The largest numbers the picture is drawn for (its grids fit 80 columns, and its geometry stays
    # a few thousand cells); past them a line says so and the sizes are still computed.
    PICTURE_LIMITS = {"n": 16, "kernel": 8, "padding": 4, "stride": 4}

    FIELDS = (
        Field("n", "input size n", tooltip="Side of the (square) input"),
        Field("kernel", "kernel k", tooltip="Side of the kernel"),
        Field("padding", "padding p", tooltip="Cells added on every side", low=0),
        Field("stride", "stride s", tooltip="Step of the kernel"),
    )

    def __init__(self, spec: Editor, *, seed: int | None = None, id: str | None = None, classes: str | None = None):
        super().__init__(spec, spec.starting_values("conv"), seed=seed, id=id, classes=classes)

    def results(self, values: dict) -> list[str]:
        conv = self.evaluate("conv", **values)
        back = self.evaluate("transposed", **{**values, "n": conv.output})
        lines = [f"convolution of n = {format_number(values['n'])}:", "  " + conv.steps[-1].text()]
        lines += [f"transposed, of that output {format_number(conv.output)}:", "  " + back.steps[-1].text()]
        try:
            direct = self.evaluate("transposed", **values)
        except ValueError as error:
            lines += [f"transposed, of n = {format_number(values['n'])}: {error}"]
        else:
            lines += [f"transposed, of n = {format_number(values['n'])}:", "  " + direct.steps[-1].text()]
        return lines

    def compose_picture(self) -> ComposeResult:
        from tutor.widgets.pictures.convolution import ConvolutionPicture

        conv, transpose = self._geometry(self.exam)
        yield Note(id="calc-picture-note")
        picture = ConvolutionPicture(conv, transpose, id="calc-convolution")
        picture.add_class("calc-picture")
        yield picture

    def _geometry(self, values: Mapping):
        """The solver's geometry of the convolution, and of the transposed convolution of its output
        (None where the solver refuses it)."""
        from tutor.solver import conv_geometry, conv_transpose_geometry

        sizes = {name: values[name] for name in ("kernel", "stride", "padding")}
        conv = conv_geometry(values["n"], **sizes)
        try:
            transpose = conv_transpose_geometry(conv.output, **sizes)
        except ValueError:
            transpose = None
        return conv, transpose

    def draw_picture(self, values: dict) -> None:
        note = self.query_one("#calc-picture-note", Note)
        over = [f"{name} {values[name]} (at most {high})" for name, high in self.PICTURE_LIMITS.items()
                if values[name] > high]
        self.picture.display = not over
        if over:
            note.say("the picture is drawn for small numbers only: " + ", ".join(over))
            return
        note.say("")
        self.picture.update(*self._geometry(values))

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

    def __init__(self, spec: Editor, *, seed: int | None = None, id: str | None = None, classes: str | None = None):
        # the plain convolution's channels, kernel and biases; the bottleneck's width
        values = {**spec.starting_values("bottleneck"), **spec.starting_values("plain")}
        super().__init__(spec, values, seed=seed, id=id, classes=classes)

    def results(self, values: dict) -> list[str]:
        plain = self.evaluate("plain", **{name: values[name] for name in self.spec.edits("plain")})
        lines = ["without a bottleneck:", "  " + plain.steps[-1].text()]
        if values["mid_channels"] is not None:
            bottleneck = self.evaluate("bottleneck", **values)
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

    def __init__(self, spec: Editor, *, seed: int | None = None, id: str | None = None, classes: str | None = None):
        start = spec.starting_values("loss")
        logits = np.ravel(np.asarray(start["o"], dtype=float))
        label = int(np.argmax(np.ravel(start["y"]))) + 1  # the class the exam's one-hot y names
        super().__init__(spec, {"label": label, "o": logits}, seed=seed, id=id, classes=classes)

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
        if values is None or values is WAITING:
            return values
        classes = self.logits.size
        if not 1 <= values["label"] <= classes:
            self.query_one("#calc-label-note", Note).say(f"a class from 1 to {classes}")
            self.query_one("#calc-label").add_class("-invalid")
            return None
        return values

    def results(self, values: dict) -> list[str]:
        classes = self.logits.size
        y = np.eye(classes)[values["label"] - 1]  # the one-hot label of the chosen class
        self.trace = self.evaluate("loss", o=self.logits, y=y)
        self.y = y
        return [step.text() for step in self.trace.steps]

    def compose_picture(self) -> ComposeResult:
        from tutor.widgets.pictures.softmax_bars import SoftmaxBars

        logits = self.exam["o"]
        y = np.eye(logits.size)[self.exam["label"] - 1]
        picture = SoftmaxBars(self.reading(logits, y, self.evaluate("loss", o=logits, y=y)), id="calc-bars")
        picture.add_class("calc-picture")
        yield picture

    @staticmethod
    def reading(o, y, trace):
        """What the bars show: the logits, softmax(o), the label, the trace's gradient ŷ − y, the loss."""
        from tutor.widgets.pictures.softmax_bars import SoftmaxReading

        return SoftmaxReading(o, softmax(o), y, np.ravel(trace.output), cross_entropy(y, o))

    def draw_picture(self, values: dict) -> None:
        self.picture.update(self.reading(self.logits, self.y, self.trace))

    def draw(self) -> dict:
        classes = self.logits.size
        return {
            "label": int(self.rng.integers(1, classes + 1)),
            "o": self.rng.integers(-30, 31, size=classes) / 10,
        }

    def fill_extra(self, values: Mapping) -> None:
        self.query_one("#calc-o", MatrixEditor).set_matrix(np.asarray(values["o"])[None, :])
