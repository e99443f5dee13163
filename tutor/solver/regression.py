"""Linear regression as maximum likelihood under Gaussian noise (question 2), in numbers.

The negative log-likelihood of y = Xw + b + ε, ε ~ N(0, σ²), is a constant plus the squared error
scaled by 1/(2σ²); this module computes it, its trace and its gradient so the tutor can show that
with σ fixed its minimiser is the least-squares one. numpy only: this must not depend on the UI
(the symbolic derivation is tutor.symbolic's job).
"""

from __future__ import annotations

import numpy as np

from ._steps import (
    Step,
    Traced,
    as_array,
    approximate,
    consistent_decimals,
    as_scalar,
    as_vector,
    format_array,
    format_number,
    format_shape,
    format_term,
)


def _problem(y, X, w, b, sigma):
    """Checked (y (n,), X (n, d), w (d,), w's shape, b, σ)."""
    X = as_array("X", X, (2,), "a matrix (n, d), one example per row")
    n, d = X.shape
    yv, _ = as_vector("y", y)
    if yv.size != n:
        raise ValueError(f"y has {yv.size} entries but X has {n} rows")
    wv, w_shape = as_vector("w", w)
    if wv.size != d:
        raise ValueError(f"w has {wv.size} entries but X has {d} columns")
    b = as_scalar("b", b)
    sigma = as_scalar("sigma", sigma)
    if sigma <= 0:
        raise ValueError(f"sigma must be positive, got {format_number(sigma)}")
    return yv, X, wv, w_shape, b, sigma


def trace_gaussian_nll(y, X, w, b, sigma) -> Traced:
    """−log P(y | X) = Σᵢ ½ log(2πσ²) + (yᵢ − w·xᵢ − b)²/(2σ²), step by step.

    y (n,) or (n, 1); X (n, d); w (d,) or (d, 1); b and sigma > 0 numbers.
    Steps: the residuals r (n,), the constant term, the squared-error term, the total.
    """
    yv, X, wv, _, b, sigma = _problem(y, X, w, b, sigma)
    n = yv.size
    predictions = X @ wv
    # rᵢ = yᵢ − w·xᵢ − b
    r = yv - predictions - b
    # n·½ log(2πσ²) = n·(½ log 2π + log σ)
    constant = n * (0.5 * np.log(2 * np.pi) + np.log(sigma))
    # Σᵢ rᵢ²/(2σ²) = ½ Σᵢ (rᵢ/σ)²
    squares = 0.5 * np.sum((r / sigma) ** 2)
    total = float(constant + squares)
    f = format_number
    # the total's terms carry enough decimals to add up to it as shown
    d = consistent_decimals([[constant], [squares]], total)
    steps = (
        Step(
            "residuals r",
            f"{format_array(yv)} − {format_array(predictions)} − {format_term(b)}",
            r,
            "y − Xw − b",
        ),
        Step(
            "constant term",
            f"{n}×0.5×log(2π×{format_term(sigma)}²)",
            float(constant),
            "n·½ log(2πσ²)",
        ),
        Step(
            "squared-error term",
            f"{f(float(np.sum(r**2)))}/(2×{format_term(sigma)}²)",
            float(squares),
            "Σᵢ rᵢ²/(2σ²)",
        ),
        Step(
            "−log P(y | X)",
            approximate(f"{f(float(constant), d or 4)} + {f(float(squares), d or 4)}", total, d),
            total,
            "n·½ log(2πσ²) + Σᵢ rᵢ²/(2σ²)",
        ),
    )
    return Traced(output=total, steps=steps)


def gaussian_nll(y, X, w, b, sigma) -> float:
    """Σᵢ ½ log(2πσ²) + (yᵢ − w·xᵢ − b)²/(2σ²); see trace_gaussian_nll for the shapes."""
    return float(trace_gaussian_nll(y, X, w, b, sigma).output)


def gaussian_nll_grad(y, X, w, b, sigma) -> dict:
    """Gradient of gaussian_nll: {"w": w's shape, "b": float, "sigma": float}.

    ∂/∂w = −Xᵀr/σ², ∂/∂b = −Σᵢ rᵢ/σ², ∂/∂σ = n/σ − Σᵢ rᵢ²/σ³, with r = y − Xw − b.
    Neither ∂/∂w nor ∂/∂b depends on σ except by the factor 1/σ²: the minimiser does not.
    """
    yv, X, wv, w_shape, b, sigma = _problem(y, X, w, b, sigma)
    # rᵢ = yᵢ − w·xᵢ − b
    r = yv - X @ wv - b
    return {
        # ∂/∂w = −Xᵀ r / σ²
        "w": (-(X.T @ r) / sigma**2).reshape(w_shape),
        # ∂/∂b = −Σᵢ rᵢ / σ²
        "b": float(-r.sum() / sigma**2),
        # ∂/∂σ = n/σ − Σᵢ rᵢ²/σ³
        "sigma": float(yv.size / sigma - np.sum((r / sigma) ** 2) / sigma),
    }


def mse(y, yhat) -> float:
    """Mean squared error (1/n) Σᵢ (yᵢ − ŷᵢ)²; y and yhat of one shape."""
    y = as_array("y", y)
    yhat = as_array("yhat", yhat)
    if y.shape != yhat.shape:
        raise ValueError(
            f"y ({format_shape(y.shape)}) and yhat ({format_shape(yhat.shape)}) differ in shape"
        )
    # MSE = (1/n) Σᵢ (yᵢ − ŷᵢ)²
    return float(np.mean((y - yhat) ** 2))
