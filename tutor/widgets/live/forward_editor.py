"""The forward-pass editor: inputs, weights, biases and targets of a small network, all live.

Built from the arguments of an `mlp_forward` call (and the targets of a squared-error call when
the question has one). Every pre-activation, activation, output and the loss come from
`tutor.solver.mlp_forward` and `trace_half_squared_error`; the widget lays them out as a network
diagram and a list of steps, and computes nothing itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from tutor.solver import ForwardResult, Traced, mlp_forward, trace_half_squared_error

from .base import LiveEditor, Note
from .matrix_editor import MatrixEditor
from .network_diagram import NetworkDiagram

SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
RANDOM_TENTHS = 20  # random numbers are tenths in −2.0 .. 2.0


def _sub(n: int) -> str:
    return str(n).translate(SUBSCRIPTS)


def network_names(widths: Sequence[int], activations: Sequence[str], given: Mapping | None) -> dict:
    """Display names of every number: the given ones (a `names` argument of mlp_forward), else
    x₁…, w⁽ˡ⁾ᵢⱼ, b⁽ˡ⁾ⱼ, z⁽ˡ⁾ⱼ, a⁽ˡ⁾ⱼ (a linear layer's activations keep the z names)."""
    given = dict(given or {})
    tags = [f"⁽{str(n).translate(SUPERSCRIPTS)}⁾" for n in range(1, len(activations) + 1)]
    pairs = list(zip(widths[:-1], widths[1:]))
    def per_unit(letter: str) -> list[list[str]]:
        return [[f"{letter}{t}{_sub(j)}" for j in range(1, m + 1)] for t, (_, m) in zip(tags, pairs)]

    names = {
        "inputs": given.get("inputs") or [f"x{_sub(i)}" for i in range(1, widths[0] + 1)],
        "weights": given.get("weights") or [
            [[f"w{t}{_sub(i)}{_sub(j)}" for j in range(1, m + 1)] for i in range(1, n + 1)]
            for t, (n, m) in zip(tags, pairs)
        ],
        "biases": given.get("biases") or per_unit("b"),
        "pre": given.get("pre") or per_unit("z"),
    }
    names["post"] = given.get("post") or [
        pre if act == "identity" else [f"a{t}{_sub(j)}" for j in range(1, len(pre) + 1)]
        for pre, t, act in zip(names["pre"], tags, activations)
    ]
    return names


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

    def __init__(
        self,
        x,
        layers,
        targets=None,
        *,
        names: Mapping | None = None,
        target_names: Sequence[str] | None = None,
        seed: int | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(seed=seed, id=id, classes=classes)
        self.exam_x = np.array(x, dtype=float).ravel()
        self.exam_layers = [
            (np.array(W, dtype=float), np.array(b, dtype=float).ravel(), act) for W, b, act in layers
        ]
        self.exam_targets = None if targets is None else np.array(targets, dtype=float).ravel()
        self.activations = [act for _, _, act in self.exam_layers]
        widths = [self.exam_x.size] + [W.shape[1] for W, _, _ in self.exam_layers]
        self.given_names = dict(names) if names else None
        self.names = network_names(widths, self.activations, names)
        width = widths[-1]
        self.target_names = list(target_names or [f"t{_sub(k)}" for k in range(1, width + 1)])
        self.result: ForwardResult | None = None
        self.loss: Traced | None = None
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
        """Run the solver's forward pass and loss on what is shown; on failure say why and dim."""
        targets = self.target_values
        try:
            result = mlp_forward(self.input_values, self.layer_values, names=self.given_names)
            loss = None
            if targets is not None:
                loss = trace_half_squared_error(
                    targets, result.output,
                    names={"targets": self.target_names, "outputs": self.names["post"][-1]},
                )
        except (ValueError, OverflowError) as error:  # impossible, or numbers past what C holds
            self.query_one("#fw-message", Note).say(str(error))
            self.query_one("#fw-diagram").add_class("-dimmed")
            self.query_one("#fw-steps").add_class("-dimmed")
            return
        self.result, self.loss = result, loss
        self.query_one("#fw-message", Note).say("")
        self.query_one("#fw-diagram").remove_class("-dimmed")
        self.query_one("#fw-steps").remove_class("-dimmed")
        self.query_one(NetworkDiagram).show(
            inputs=self.input_values, input_names=self.names["inputs"], result=result,
            pre_names=self.names["pre"], post_names=self.names["post"], activations=self.activations,
            targets=targets, target_names=self.target_names, loss=loss,
        )
        steps = list(result.steps) + (list(loss.steps) if loss is not None else [])
        self.step_lines = [step.text() for step in steps]
        self.query_one("#fw-steps", Static).update(Text("\n".join(self.step_lines)))

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
