"""A small fully connected network drawn as text, every unit with its current value.

    inputs       hidden (ReLU)             outputs (linear)   targets
    i₁ = 2   ─▶  h₁ = 2    → h₃ = 2    ─▶  o₁ = 0             t₁ = 1
    i₂ = −1  ─▶  h₂ = −0.5 → h₄ = 0    ─▶  o₂ = −1.5          t₂ = 0.5
    E = ½(t₁ − o₁)² + ½(t₂ − o₂)² = 2.5

It draws what it is given (the solver's ForwardResult and loss trace) and computes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from tutor.solver import ForwardResult, Traced, format_number

ACTIVATION_NAMES = {"relu": "ReLU", "sigmoid": "σ", "tanh": "tanh", "identity": "linear"}
ARROW = " ─▶ "


class NetworkDiagram(Static):
    """The network as columns of units: inputs, each layer (pre → post), targets; the loss below."""

    DEFAULT_CSS = """
    NetworkDiagram {
        width: 100%;
        height: auto;
        padding: 0 1;
        border: round $primary 50%;
        &.-dimmed { text-opacity: 55%; }
    }
    """

    text: str = ""
    """The diagram as plain text (what the widget shows)."""

    def show(
        self,
        *,
        inputs: Sequence[float],
        input_names: Sequence[str],
        result: ForwardResult,
        pre_names: Sequence[Sequence[str]],
        post_names: Sequence[Sequence[str]],
        activations: Sequence[str],
        targets: Sequence[float] | None = None,
        target_names: Sequence[str] = (),
        loss: Traced | None = None,
    ) -> None:
        """Draw the network with these values (all from the solver)."""
        old, self.text = self.text, diagram_text(
            inputs=inputs, input_names=input_names, result=result, pre_names=pre_names,
            post_names=post_names, activations=activations, targets=targets,
            target_names=target_names, loss=loss,
        )
        if self.text != old:  # (no wrap: as many rows as lines, so the same count needs no layout)
            self.update(Text(self.text, no_wrap=True, overflow="ellipsis"),
                        layout=self.text.count("\n") != old.count("\n") or not old)


def _unit(name: str, value) -> str:
    return f"{name} = {format_number(value)}"


def _column(header: str, cells: list[str]) -> list[str]:
    width = max(len(header), *(len(c) for c in cells))
    return [header.ljust(width)] + [c.ljust(width) for c in cells]


def diagram_text(
    *, inputs, input_names, result, pre_names, post_names, activations, targets, target_names, loss
) -> str:
    """The diagram as lines of text (see the module docstring)."""
    columns = [_column("inputs", [_unit(n, v) for n, v in zip(input_names, inputs)])]
    last = len(activations) - 1
    for index, activation in enumerate(activations):
        pre, post = result.pre[index], result.post[index]
        if activation == "identity":
            cells = [_unit(n, v) for n, v in zip(pre_names[index], pre)]
        else:
            befores = [_unit(zn, z) for zn, z in zip(pre_names[index], pre)]
            width = max(len(b) for b in befores)
            cells = [
                f"{before:<{width}} → {_unit(an, a)}"
                for before, an, a in zip(befores, post_names[index], post)
            ]
        kind = "outputs" if index == last else ("hidden" if last == 1 else f"hidden {index + 1}")
        columns.append(_column(f"{kind} ({ACTIVATION_NAMES.get(activation, activation)})", cells))
    if targets is not None:
        columns.append(_column("targets", [_unit(n, v) for n, v in zip(target_names, targets)]))

    height = max(len(c) for c in columns)
    lines = []
    for row in range(height):
        parts = []
        for index, column in enumerate(columns):
            cell = column[row] if row < len(column) else " " * len(column[0])
            if index:
                is_target = targets is not None and index == len(columns) - 1
                joins = row and row < len(columns[index - 1]) and row < len(column)
                parts.append("   " if is_target else (ARROW if joins else " " * len(ARROW)))
            parts.append(cell)
        lines.append("".join(parts).rstrip())
    if loss is not None:
        total = loss.steps[-1]
        lines.append(f"{total.label} = {total.symbolic} = {format_number(total.value)}")
    return "\n".join(lines)
