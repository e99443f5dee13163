"""Run one picture on its own, on the exam's numbers, with a line to change them: a developer's harness.

    python scripts/pictures_demo.py pooling|convolution|activations|softmax|residual

Until the pictures are mounted in the question screens (docs/PICTURES-PLAN.md), this is how to see
one live at 80×24 and drive it in tmux. The numbers to start from are read from the content (the
arguments of the question's computations); the line at the top takes new ones and the picture is
fed the solver's result for them, as a live editor will feed it. Enter applies the line; tab
moves to the picture, whose own keys then work ([ ] { } d, and a or r below).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual import on  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.binding import Binding  # noqa: E402
from textual.containers import VerticalScroll  # noqa: E402
from textual.widgets import Footer, Input, Static  # noqa: E402

from tutor.exam import load_exam  # noqa: E402
from tutor.widgets.pictures.base import Picture  # noqa: E402

HINTS = {
    "pooling": "size stride padding mode, e.g. 2 2 0 max (the exam's input)",
    "convolution": "n k s p, e.g. 6 4 2 1 (the transposed one takes the output back)",
    "activations": "z layers, e.g. 1 10; a switches the activation in use",
    "softmax": "logits, then the label's class, e.g. 1 2 0.5 / 2",
    "residual": "r reveals the model answer",
}
ACTIVATIONS = ("relu", "sigmoid", "tanh")


def args_of(question: int, call: str) -> dict:
    """The arguments of the first computation of `question` that calls `call`."""
    q = load_exam(prove=False).question(question)
    return next(dict(c.args) for c in q.computations.values() if c.call == call)


def numbers(text: str) -> list[float]:
    try:
        return [float(word) for word in text.replace(",", " ").split()]
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a list of numbers") from None


class Column(VerticalScroll, can_focus=False):
    """The picture's column: tab goes from the line straight to the picture."""


class PicturesDemo(App):
    BINDINGS = [
        Binding("a", "activation", "Switch activation", id="demo.activation"),
        Binding("r", "reveal", "Reveal", id="demo.reveal"),
    ]

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind
        self.current = 0
        self.animation_level = "none"

    def compose(self) -> ComposeResult:
        yield Input(placeholder=HINTS[self.kind], id="demo-line")
        yield Static(id="demo-message")
        with Column():
            yield self.first()
        yield Footer()

    def first(self) -> Picture:
        from tutor import solver

        if self.kind == "pooling":
            from tutor.widgets.pictures.pooling import PoolingPicture

            self.pool = args_of(8, "pool2d")
            result = solver.pool2d(**self.pool)
            return PoolingPicture(result, solver.pool_windows(result, self.pool["padding"]))
        if self.kind == "convolution":
            from tutor.widgets.pictures.convolution import ConvolutionPicture

            conv = args_of(7, "trace_conv_output_size")
            t = args_of(7, "trace_conv_transpose_output_size")
            return ConvolutionPicture(solver.conv_geometry(**conv), solver.conv_transpose_geometry(**t))
        if self.kind == "activations":
            from tutor.widgets.pictures.activations import ActivationsPicture

            hidden = args_of(5, "mlp_forward")["layers"][0][2]
            self.current = ACTIVATIONS.index(hidden)
            return ActivationsPicture(solver.activation_curves(), solver.gradient_through_layers(1.0, 10),
                                      current=hidden)
        if self.kind == "softmax":
            from tutor.widgets.pictures.softmax_bars import SoftmaxBars

            grad = args_of(4, "trace_softmax_cross_entropy")
            return SoftmaxBars(self.reading(grad["o"], grad["y"]))
        from tutor.widgets.pictures.residual import ChoiceDiagrams

        part = load_exam(prove=False).question(10).parts[0]
        return ChoiceDiagrams(part.diagrams, answer=part.answer)

    @staticmethod
    def reading(o, y):
        from tutor import solver
        from tutor.widgets.pictures.softmax_bars import SoftmaxReading

        return SoftmaxReading(o, solver.softmax(o), y, solver.softmax_cross_entropy_grad(o, y),
                              solver.cross_entropy(y, o))

    @property
    def picture(self) -> Picture:
        return self.query_one(Picture)

    @on(Input.Submitted)
    def apply(self, event: Input.Submitted) -> None:
        message = self.query_one("#demo-message", Static)
        try:
            self.change(event.value)
        except ValueError as error:  # the solver's plain sentence, where the user typed
            message.update(f"✗ {error}")
            return
        message.update(f"shown: {event.value}")
        event.input.clear()

    def change(self, text: str) -> None:
        from tutor import solver

        if self.kind == "pooling":
            words = text.split()
            mode = words.pop() if words and words[-1] in ("max", "avg") else "max"
            size, stride, padding = (int(v) for v in numbers(" ".join(words)) + [0] * (3 - len(words)))
            result = solver.pool2d(self.pool["x"], size, stride or None, padding, mode)
            self.picture.update(result, solver.pool_windows(result, padding))
        elif self.kind == "convolution":
            n, k, s, p = (int(v) for v in numbers(text))
            conv = solver.conv_geometry(n, k, s, p)
            self.picture.update(conv, solver.conv_transpose_geometry(conv.output, k, s, p))
        elif self.kind == "activations":
            z, layers = numbers(text)
            self.picture.update(products=solver.gradient_through_layers(z, int(layers)))
        elif self.kind == "softmax":
            logits, _, label = text.partition("/")
            o = numbers(logits)
            which = int(numbers(label)[0]) if label.strip() else 1
            if not 1 <= which <= len(o):
                raise ValueError(f"the label's class must be 1 to {len(o)}")
            y = [1.0 if j == which - 1 else 0.0 for j in range(len(o))]
            self.picture.update(self.reading(o, y))

    def action_activation(self) -> None:
        if self.kind == "activations":
            self.current = (self.current + 1) % len(ACTIVATIONS)
            self.picture.update(current=ACTIVATIONS[self.current])

    def action_reveal(self) -> None:
        if self.kind == "residual":
            self.picture.reveal(not self.picture.revealed)


if __name__ == "__main__":
    kind = sys.argv[1] if len(sys.argv) > 1 else ""
    if kind not in HINTS:
        sys.exit(f"usage: python scripts/pictures_demo.py {'|'.join(HINTS)}")
    PicturesDemo(kind).run()
