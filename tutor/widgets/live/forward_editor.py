"""The forward-pass editor: inputs, weights, biases and targets of a small network, all live.

Built on a "forward" editor (tutor.editors): its network (`mlp_forward`) and, when the question
has one, its loss (`trace_half_squared_error`, on the network's output) are evaluated again on every
change (`tutor.editors.run`, with `tutor.exam.evaluate`). Every pre-activation, activation, output,
the loss, and the name of every number (the results' `names`) come from the solver; the widget lays
them out as a network diagram and a list of steps, and computes nothing itself. What it must not
depend on: the app, and any naming of its own.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from tutor.editors import Editor, run
from tutor.exam import evaluate
from tutor.solver import ForwardResult, SquaredErrorResult

from .base import LiveEditor, Note, show_lines
from .matrix_editor import MatrixEditor
from .network_diagram import NetworkDiagram

RANDOM_TENTHS = 20  # random numbers are tenths in −2.0 .. 2.0


class ForwardEditor(LiveEditor):
    """Edit a network's inputs, weights, biases and targets; watch every unit and the loss follow."""

    DEFAULT_CSS = """
    ForwardEditor {
        & > .fw-row { height: auto; width: 100%; }
        & > .fw-row MatrixEditor { margin-right: 2; }
        & > #fw-steps-title { margin-top: 1; color: $text-muted; }
        & > #fw-steps { height: auto; }
    }
    """

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
        self.target_names = list(start["loss"].names["targets"]) if self.has_loss else []
        self.result: ForwardResult | None = None
        self.loss: SquaredErrorResult | None = None
        self.step_lines: list[str] = []  # the steps as shown

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

    @on(MatrixEditor.Changed)
    def _changed(self) -> None:
        self.recompute()

    # ---- reset and random -------------------------------------------------------------------------

    def reset(self) -> None:
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
