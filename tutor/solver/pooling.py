"""2-D max and average pooling (question 8), with every window, its winner and its arithmetic.

The windows are read with `sliding_window_view`, and the steps are written from those computed
arrays, never recomputed. numpy only: this must not depend on the UI, which draws the windows and
marks the winning cells from the arrays returned here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._steps import (
    approximate,
    consistent_decimals,
    Step,
    Traced,
    as_array,
    as_int,
    format_number,
    format_shape,
    format_term,
)

MODES = ("max", "avg")


@dataclass(frozen=True, eq=False)
class PoolResult(Traced):
    """Pooled output with the windows it came from.

    output: (oh, ow) floats, oh = ⌊(n + 2p − k)/s⌋ + 1 (likewise ow).
    windows: (oh, ow, k, k) the values of each window; padded cells are −∞ (max) or 0 (avg).
    winners: (oh, ow, 2) int, the (row, col) in the unpadded input of each window's first maximum
        in row-major order (max); all −1 for avg.
    origins: (oh, ow, 2) int, the top-left corner of each window in padded coordinates.
    padded: (n + 2p, m + 2p) the input with its padding.
    steps: one per window in row-major order, "window (row 1, col 1)", then "output".
    """

    windows: np.ndarray
    winners: np.ndarray
    origins: np.ndarray
    padded: np.ndarray


def pool2d(x, size=2, stride=None, padding=0, mode="max") -> PoolResult:
    """Pool a matrix x (n, m) with a size×size window moved by stride (default: size).

    Max pooling pads with −∞ so padding never wins; average pooling pads with zeros and always
    divides by size², so padded zeros count. padding may be at most size // 2, so that no window
    is padding alone.
    """
    k = as_int("pooling size", size, 1)
    s = k if stride is None else as_int("stride", stride, 1)
    p = as_int("padding", padding, 0)
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"unknown pooling mode {mode!r}: use 'max' or 'avg'")
    if p > k // 2:
        raise ValueError(
            f"padding {p} is more than half the pooling window {k}: "
            "a window could hold padding only"
        )
    x = as_array("pooling input", x, (2,), "a 2-D matrix")

    fill = -np.inf if mode == "max" else 0.0
    padded = np.pad(x, p, constant_values=fill)
    if k > padded.shape[0] or k > padded.shape[1]:
        raise ValueError(
            f"pooling window {k} is larger than the padded input {format_shape(padded.shape)}"
        )
    # windows[i, j] = padded[i·s : i·s + k, j·s : j·s + k], so oh = ⌊(n + 2p − k)/s⌋ + 1
    windows = sliding_window_view(padded, (k, k))[::s, ::s]
    oh, ow = windows.shape[:2]
    # origins[i, j] = (i·s, j·s)
    origins = np.stack(np.meshgrid(np.arange(oh) * s, np.arange(ow) * s, indexing="ij"), axis=-1)
    cells = windows.reshape(oh, ow, k * k)

    if mode == "max":
        # yᵢⱼ = max of window (i, j); argmax gives the first maximum in row-major order
        best = cells.argmax(axis=-1)
        output = np.take_along_axis(cells, best[..., None], axis=-1)[..., 0]
        # winner (unpadded) = origin + (offset row, offset col) − p
        winners = origins + np.stack(np.divmod(best, k), axis=-1) - p
    else:
        # yᵢⱼ = (Σ window (i, j))/k², padded zeros included
        output = cells.sum(axis=-1) / (k * k)
        winners = np.full((oh, ow, 2), -1)

    steps = [
        Step(
            f"window (row {index // ow + 1}, col {index % ow + 1})",
            _formula(window, mode, k),
            value,
        )
        for index, (window, value) in enumerate(zip(cells.reshape(oh * ow, k * k), output.ravel()))
    ]
    steps.append(Step("output", "", output))
    return PoolResult(
        output=output,
        steps=tuple(steps),
        windows=windows,
        winners=winners,
        origins=origins,
        padded=padded,
    )


def _formula(window: np.ndarray, mode: str, k: int) -> str:
    """ "max(1, 3, 5, 6)" or "avg(1, 3, 5, 6) = (1 + 3 + 5 + 6)/4"."""
    listed = ", ".join(format_number(v) for v in window)
    if mode == "max":
        return f"max({listed})"
    mean = float(np.mean(window))
    d = consistent_decimals([[v] for v in window], mean, divisor=window.size)
    summed = " + ".join(format_term(v, d or 4) for v in window)
    return approximate(f"avg({listed}) = ({summed})/{k * k}", mean, d)
