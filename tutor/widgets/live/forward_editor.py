"""The forward-pass editor: inputs, weights, biases and targets of a small network, all live.

Built on a "forward" editor (tutor.editors): its network (`mlp_forward`) and, when the question
has one, its loss (`trace_half_squared_error`, on the network's output) are evaluated again on every
change (`tutor.editors.run`, with `tutor.exam.evaluate`). Every pre-activation, activation, output,
the loss, and the name of every number (the results' `names`) come from the solver; the widget lays
them out as a network diagram and a list of steps, and computes nothing itself. ctrl+t switches the
hidden layers' activation (through the solver's curves, `tutor.solver.activations.CURVES`) and
everything follows; ctrl+r puts the exam's activations back with its numbers. When the content shows the activations picture (`picture = "activations"`,
tutor/widgets/pictures/activations, imported only then), it is drawn under the steps: the solver's
curves, and the gradient left after n layers (`gradient_through_layers`) at the pre-activation of
the hidden unit whose weights or bias the cursor was last on (the first at the start), the
activation in use marked. What it must not depend on: the app, and any naming of its own.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static

from tutor.editors import Editor, run
from tutor.exam import evaluate
from tutor.solver import ForwardResult, SquaredErrorResult
from tutor.solver.activations import CURVES

from .base import LiveEditor, Note, show_lines
from .matrix_editor import MatrixEditor
from .network_diagram import NetworkDiagram

RANDOM_TENTHS = 20  # random numbers are tenths in −2.0 .. 2.0
PICTURE_KEYS = ("ctrl+t switches the hidden layer's activation, and the numbers above and the picture "
                "follow; the gradient is taken at the hidden unit whose weights the cursor was last on")


class ForwardEditor(LiveEditor):
    """Edit a network's inputs, weights, biases and targets; watch every unit and the loss follow."""

    DEFAULT_CSS = """
    ForwardEditor {
        & > .fw-row { height: auto; width: 100%; }
        & > .fw-row MatrixEditor { margin-right: 2; }
        & > #fw-steps-title { margin-top: 1; color: $text-muted; }
        & > #fw-steps { height: auto; }
        & > #fw-picture-keys { margin-top: 1; color: $text-muted; }
    }
    """

    BINDINGS = [
        Binding("ctrl+t", "switch_activation", "activation", key_display="^t", id="forward.activation",
                tooltip="Switch the hidden layers' activation: " + " → ".join(CURVES)),
    ]

    def __init__(self, spec: Editor, start: dict, *, seed: int | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(spec, seed=seed, id=id, classes=classes)
        network = spec.starting_values("network")
        self.exam_x = np.array(network["x"], dtype=float).ravel()
        self.exam_layers = [
            (np.array(W, dtype=float), np.array(b, dtype=float).ravel(), act) for W, b, act in network["layers"]
        ]
        self.has_loss = spec.computation("loss") is not None
        self.exam_targets = np.array(spec.starting_values("loss")["t"], dtype=float).ravel() if self.has_loss else None
        self.activations = [act for _, _, act in self.exam_layers]
        # the solver's names for every number, from `start` (tutor.editors.run on the exam's
        # numbers); the grids keep their shapes, so the names stay
        self.names = start["network"].names
        self.start_pre = start["network"].pre
        self.target_names = list(start["loss"].names["targets"]) if self.has_loss else []
        self.result: ForwardResult | None = None
        self.loss: SquaredErrorResult | None = None
        self.step_lines: list[str] = []  # the steps as shown
        self.unit = 0  # the hidden unit the picture's gradient is taken at (its pre-activation)
        self.drawn: tuple | None = None  # (z, activation) the picture's gradient was last drawn for

    # ---- layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        names = self.names
        below = [names["inputs"]] + [post for post in names["post"]]
        editors = []
        for index, (W, b, _) in enumerate(self.exam_layers, start=1):
            w_names = names["weights"][index - 1]
            editors.append([
                self._grid(W, f"weights {w_names[0][0]}…{w_names[-1][-1]}", f"fw-W{index}", w_names,
                           rows=below[index - 1], cols=names["pre"][index - 1]),
                self._grid(b[None, :], "biases", f"fw-b{index}", [names["biases"][index - 1]]),
            ])
        editors[0].insert(0, self._grid(self.exam_x[None, :], "inputs", "fw-x", [names["inputs"]]))
        if self.exam_targets is not None:
            targets = self._grid(self.exam_targets[None, :], "targets", "fw-t", [self.target_names])
            editors[-1].append(targets)
        for row in editors:
            with Horizontal(classes="fw-row"):
                yield from row
        yield Note(classes="cell-errors")
        yield Note(id="fw-message")
        yield NetworkDiagram(id="fw-diagram")
        yield Static("steps", id="fw-steps-title")
        yield Static(id="fw-steps")
        if self.spec.picture is not None:
            from tutor.solver import activation_curves, gradient_through_layers
            from tutor.widgets.pictures.activations import ActivationsPicture

            z = self._z(self.start_pre)
            self.drawn = (z, self.hidden)
            yield Static(Text(PICTURE_KEYS), id="fw-picture-keys")
            yield ActivationsPicture(activation_curves(), gradient_through_layers(z), current=self.hidden,
                                     id="fw-picture")

    @property
    def picture(self):
        """The activations picture the content shows with this editor, or None."""
        found = self.query("#fw-picture")
        return found.first() if found else None

    @property
    def hidden(self) -> str:
        """The activation of the first hidden layer (the one ctrl+t switches, with the others)."""
        return self.activations[0]

    def _z(self, pre) -> float:
        """The pre-activation of the hidden unit the picture follows (the solver's `pre`)."""
        first = pre[0]
        return float(first[min(self.unit, len(first) - 1)])

    @staticmethod
    def _grid(values, title: str, id: str, names, *, rows=None, cols=None) -> MatrixEditor:
        """A fixed-size grid whose cells are named (w₁₁, b₁, i₁, t₁); vectors are labelled by name."""
        return MatrixEditor(
            values, title=title, row_labels=rows, col_labels=names[0] if cols is None else cols,
            cell_names=names, show_message=False, id=id,
        )

    def on_mount(self) -> None:
        self.recompute()

    # ---- the numbers ------------------------------------------------------------------------------

    def editor(self, id: str) -> MatrixEditor:
        return self.query_one(f"#{id}", MatrixEditor)

    @property
    def input_values(self) -> np.ndarray:
        return self.editor("fw-x").matrix.ravel()

    @property
    def layer_values(self) -> list[tuple[np.ndarray, np.ndarray, str]]:
        return [
            (self.editor(f"fw-W{i}").matrix, self.editor(f"fw-b{i}").matrix.ravel(), act)
            for i, act in enumerate(self.activations, start=1)
        ]

    @property
    def target_values(self) -> np.ndarray | None:
        return None if self.exam_targets is None else self.editor("fw-t").matrix.ravel()

    def recompute(self) -> None:
        """Evaluate the network and its loss on what is shown; on failure say why and dim."""
        targets = self.target_values
        edited = {"network": {"x": self.input_values, "layers": self.layer_values}, "loss": {"t": targets}}
        try:
            results = run(self.spec, evaluate, edited)
        except ValueError as error:  # impossible, or numbers past what C holds (tutor.editors.EditorError)
            self.query_one("#fw-message", Note).say(str(error))
            self.query_one("#fw-diagram").add_class("-dimmed")
            self.query_one("#fw-steps").add_class("-dimmed")
            return
        result, loss = results["network"], results.get("loss")
        self.result, self.loss = result, loss
        self.query_one("#fw-message", Note).say("")
        self.query_one("#fw-diagram").remove_class("-dimmed")
        self.query_one("#fw-steps").remove_class("-dimmed")
        self.query_one(NetworkDiagram).show(
            inputs=self.input_values, input_names=result.names["inputs"], result=result,
            pre_names=result.names["pre"], post_names=result.names["post"], activations=self.activations,
            targets=targets, target_names=self.target_names, loss=loss,
        )
        steps = list(result.steps) + (list(loss.steps) if loss is not None else [])
        old, self.step_lines = self.step_lines, [step.text() for step in steps]
        show_lines(self.query_one("#fw-steps", Static), old, self.step_lines)
        self._draw_picture()

    def _draw_picture(self) -> None:
        """Redraw the picture's gradient when its z or the activation changed (the curves stay)."""
        picture = self.picture
        if picture is None or self.result is None or len(self.activations) < 2:
            return
        z = self._z(self.result.pre)
        if (z, self.hidden) == self.drawn:
            return
        from tutor.solver import gradient_through_layers

        self.drawn = (z, self.hidden)
        picture.update(products=gradient_through_layers(z), current=self.hidden)

    @on(MatrixEditor.CursorMoved, "#fw-W1, #fw-b1")
    def _hidden_unit(self, event: MatrixEditor.CursorMoved) -> None:
        """The cursor on a hidden unit's weights or bias: the picture follows that unit."""
        self.unit = event.col
        self._draw_picture()

    def action_switch_activation(self) -> None:
        """The hidden layers take the next of the solver's curves; the network is evaluated again."""
        following = CURVES[(CURVES.index(self.hidden) + 1) % len(CURVES)] if self.hidden in CURVES else CURVES[0]
        self.activations = [following] * (len(self.activations) - 1) + self.activations[-1:]
        self.recompute()

    @on(MatrixEditor.Changed)
    def _changed(self) -> None:
        self.recompute()

    # ---- reset and random -------------------------------------------------------------------------

    def reset(self) -> None:
        self.activations = [act for _, _, act in self.exam_layers]
        self._fill(self.exam_x, self.exam_layers, self.exam_targets)

    def randomize(self) -> None:
        def draw(shape):
            return self.rng.integers(-RANDOM_TENTHS, RANDOM_TENTHS + 1, size=shape) / 10

        layers = [(draw(W.shape), draw(b.shape), act) for W, b, act in self.exam_layers]
        targets = None if self.exam_targets is None else draw(self.exam_targets.shape)
        self._fill(draw(self.exam_x.shape), layers, targets)

    def _fill(self, x, layers, targets) -> None:
        self.editor("fw-x").set_matrix(np.asarray(x)[None, :])
        for index, (W, b, _) in enumerate(layers, start=1):
            self.editor(f"fw-W{index}").set_matrix(W)
            self.editor(f"fw-b{index}").set_matrix(np.asarray(b)[None, :])
        if targets is not None:
            self.editor("fw-t").set_matrix(np.asarray(targets)[None, :])
        self.recompute()

    @property
    def diagram_text(self) -> str:
        return self.query_one(NetworkDiagram).text
