"""Central finite differences of the two-layer network's loss, to check `two_layer_gradients`.

Each loss is the solver's (`mlp_forward` then `cross_entropy`); this module only nudges one number
at a time by ±h and compares the slope with the solver's analytic gradient. numpy only, like the
rest of the solver; the question 6 calculator shows the result.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .mlp import mlp_forward
from .softmax import cross_entropy, two_layer_gradients

NAMES = ("W2", "b2", "W1", "b1", "x")


@dataclass(frozen=True)
class GradientCheck:
    """The largest |analytic − numerical| over `count` entries, with the step h used."""

    max_difference: float
    count: int
    h: float


def network_loss(x, y, W1, b1, W2, b2, activation: str) -> float:
    """J = CE(y, softmax(W₂ act(W₁x + b₁) + b₂)) through the solver's forward pass.

    mlp_forward computes x W + b with W (n_in, n_out), so the column convention's W₁ (d_h, d_x)
    is passed transposed.
    """
    layers = [
        (np.transpose(W1), np.ravel(b1), activation),
        (np.transpose(W2), np.ravel(b2), "identity"),
    ]
    # a batch of one: the same z = x W + b, without the worked steps (mlp_forward writes them only
    # for a single vector), which were most of the time of a check's 2 passes per entry
    output = mlp_forward(np.ravel(x)[None, :], layers).output
    return cross_entropy(np.ravel(y), np.ravel(output))


def check_gradients(x, y, W1, b1, W2, b2, activation: str = "relu", h: float = 1e-5) -> GradientCheck:
    """Compare two_layer_gradients with (J(θ + h) − J(θ − h))/2h for every entry θ."""
    analytic = two_layer_gradients(x, y, W1, b1, W2, b2, activation)
    given = {"x": x, "W1": W1, "b1": b1, "W2": W2, "b2": b2}
    values = {name: np.array(value, dtype=float) for name, value in given.items()}
    worst, count = 0.0, 0
    for name in NAMES:
        for index in np.ndindex(values[name].shape):
            slopes = []
            for sign in (1, -1):
                nudged = {k: v.copy() for k, v in values.items()}
                nudged[name][index] += sign * h
                slopes.append(network_loss(y=y, activation=activation, **nudged))
            # ∂J/∂θ ≈ (J(θ + h) − J(θ − h))/2h
            numerical = (slopes[0] - slopes[1]) / (2 * h)
            worst = max(worst, abs(numerical - float(np.asarray(analytic[name])[index])))
            count += 1
    return GradientCheck(worst, count, h)
