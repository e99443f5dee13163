"""Softmax, cross-entropy and their gradients (questions 4(c) and 6), stable for any finite logits.

Every exponent is taken after subtracting the largest logit (log-sum-exp), so logits in the
thousands neither overflow nor give NaN. numpy only: this must not depend on the UI.

Shapes: o is a vector (q,), a column (q, 1) or a batch (m, q). The rule: a 2-D array with one
column is one example along axis 0; any other array is taken along its last axis.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from ._steps import (
    approximate,
    consistent_decimals,
    Step,
    Traced,
    _freeze,
    as_array,
    as_vector,
    format_array,
    format_number,
    format_shape,
    format_term,
    safe_exp,
    subscript,
)
from .mlp import _DERIVATIVES, ACTIVATIONS, check_activation


def _axis(o: np.ndarray) -> int:
    """The class axis: 0 for a column (q, 1), else the last."""
    return 0 if o.ndim == 2 and o.shape[1] == 1 else -1


def _logits(o) -> np.ndarray:
    return as_array("logits o", o, (1, 2), "a vector (q,), a column (q, 1) or a batch (m, q)")


def _labels(y, o: np.ndarray) -> np.ndarray:
    """y of o's shape, non-negative, each example summing to 1 (one-hot or a distribution)."""
    y = as_array("labels y", y)
    if y.shape != o.shape:
        raise ValueError(
            f"labels y ({format_shape(y.shape)}) and logits o ({format_shape(o.shape)}) "
            "differ in shape"
        )
    if (y < 0).any():
        raise ValueError("labels y must not be negative")
    sums = np.atleast_1d(y.sum(axis=_axis(o)))
    off = np.abs(sums - 1.0) > 1e-6
    if off.any():
        raise ValueError(
            f"labels y must sum to 1 (one-hot or a distribution), got {format_number(sums[off][0])}"
        )
    return y


def softmax(o) -> np.ndarray:
    """ŷ = softmax(o), same shape as o, along the class axis (see the module docstring)."""
    o = _logits(o)
    axis = _axis(o)
    # ŷⱼ = exp(oⱼ − m)/Σₖ exp(oₖ − m) with m = maxₖ oₖ: the same ratio, never overflowing
    e = safe_exp(o - o.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(o) -> np.ndarray:
    """log softmax(o), same shape as o; finite for any finite logits."""
    o = _logits(o)
    axis = _axis(o)
    shifted = o - o.max(axis=axis, keepdims=True)
    # log ŷⱼ = (oⱼ − m) − log Σₖ exp(oₖ − m)
    return shifted - np.log(safe_exp(shifted).sum(axis=axis, keepdims=True))


def cross_entropy(y, o) -> float:
    """l = −Σⱼ yⱼ log softmax(o)ⱼ with labels y of o's shape.

    A batch (m, q) gives the mean of its rows' losses.
    """
    o = _logits(o)
    y = _labels(y, o)
    # l = −Σⱼ yⱼ log ŷⱼ (per example; a batch takes the mean)
    losses = -(y * log_softmax(o)).sum(axis=_axis(o))
    return float(np.mean(losses))


def softmax_cross_entropy_grad(o, y) -> np.ndarray:
    """∂l/∂o = softmax(o) − y, same shape as o; for a batch, each row's own gradient.

    (The gradient of cross_entropy's batch mean is this divided by the number of rows.)
    """
    o = _logits(o)
    y = _labels(y, o)
    # ∂l/∂oⱼ = softmax(o)ⱼ − yⱼ
    return softmax(o) - y


def trace_softmax_cross_entropy(o, y) -> Traced:
    """The gradient softmax(o) − y of one example, o (q,) or (q, 1), with every step.

    Steps: Σₖ exp(oₖ) (after "m = max o" when a logit is above 100, so that no exp is huge), ŷⱼ
    per class, the loss l, ∂l/∂oⱼ per class, and the gradient vector (the output, o's shape).
    """
    o = _logits(o)
    if o.ndim == 2 and o.shape[1] != 1:
        raise ValueError(
            f"the trace shows one example: give o as (q,) or (q, 1), not {format_shape(o.shape)}"
        )
    y = _labels(y, o)
    ov, yv = o.ravel(), y.ravel()
    p, logp = softmax(ov), log_softmax(ov)
    grad = p - yv
    loss = float(-(yv * logp).sum())
    subs = [subscript(j) for j in range(1, ov.size + 1)]
    f = format_number

    steps = []
    top = float(ov.max())
    if top > 100:
        steps.append(Step("m", f"max({', '.join(f(v) for v in ov)})", top, "maxₖ oₖ"))
        exponents, shown, exp_of = ov - top, "exp(oₖ − m)", "exp(o{} − m)"
    else:
        exponents, shown, exp_of = ov, "exp(oₖ)", "exp(o{})"
    # Σₖ exp(oₖ) (or Σₖ exp(oₖ − m))
    exps = safe_exp(exponents)
    total = float(exps.sum())
    calls = [f"exp({f(v)})" for v in exponents]
    d = consistent_decimals([[e] for e in exps], total)  # the terms add up to the sum as shown
    steps.append(
        Step(f"Σₖ {shown}", approximate(f"{' + '.join(calls)} = {' + '.join(f(e, d or 4) for e in exps)}", total, d),
             total)
    )
    for j, s in enumerate(subs):
        steps.append(
            Step(
                f"ŷ{s}",
                f"{calls[j]}/{f(total)} = {f(exps[j])}/{f(total)}",
                p[j],
                f"{exp_of.format(s)}/Σₖ {shown}",
            )
        )
    products = " + ".join(f"{format_term(yj)}×{format_term(lj)}" for yj, lj in zip(yv, logp))
    steps.append(Step("l", f"−({products})", loss, "−Σⱼ yⱼ log ŷⱼ"))
    for j, s in enumerate(subs):
        steps.append(
            Step(f"∂l/∂o{s}", f"{f(p[j])} − {format_term(yv[j])}", grad[j], f"ŷ{s} − y{s}")
        )
    output = grad.reshape(o.shape)
    steps.append(Step("∂l/∂o", "", output, "softmax(o) − y"))
    return Traced(output=output, steps=tuple(steps))


_PRIME_NAMES = {"relu": "ReLU′", "sigmoid": "σ′", "tanh": "tanh′"}


@dataclass(frozen=True, eq=False)
class GradientResult(Mapping):
    """The five gradients of question 6, readable as a mapping: result["W1"].

    output: {"W2": (n_c, d_h), "b2": b2's shape, "W1": (d_h, d_x), "b1": b1's shape,
        "x": x's shape}, each the shape of what it differentiates.
    steps: δ₁, δ₂, then each gradient with its formula and shape.
    loss: J = CE(y, ŷ). probabilities: ŷ = softmax(z₂), in y's shape.
    delta1: δ₁ = ∂J/∂z₂ (1, n_c). delta2: δ₂ = ∂J/∂z₁ (1, d_h). Both row vectors.
    z1: z₁ = W₁x + b₁ (d_h, 1). h1: h₁ = act(z₁) (d_h, 1). z2: z₂ = W₂h₁ + b₂ (n_c, 1). Columns, as
        the key writes them, whatever the shape of x (a formula of question 6 is evaluated on these).
    """

    output: dict
    steps: tuple[Step, ...]
    loss: float
    probabilities: np.ndarray
    delta1: np.ndarray
    delta2: np.ndarray
    z1: np.ndarray
    h1: np.ndarray
    z2: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "output", {k: _freeze(v) for k, v in self.output.items()})
        for name in ("probabilities", "delta1", "delta2", "z1", "h1", "z2"):
            object.__setattr__(self, name, _freeze(getattr(self, name)))
        object.__setattr__(self, "steps", tuple(self.steps))
        object.__setattr__(self, "loss", float(self.loss))

    def __getitem__(self, key: str) -> np.ndarray:
        return self.output[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.output)

    def __len__(self) -> int:
        return len(self.output)


def two_layer_gradients(x, y, W1, b1, W2, b2, activation="relu") -> GradientResult:
    """Gradients of J = CE(y, softmax(W₂ act(W₁x + b₁) + b₂)) for one example.

    x (d_x,) or (d_x, 1); y (n_c,) or (n_c, 1), one-hot or a distribution; W1 (d_h, d_x);
    b1 (d_h,) or (d_h, 1); W2 (n_c, d_h); b2 (n_c,) or (n_c, 1). ReLU′(0) = 0.
    """
    activation = check_activation(activation)
    xv, x_shape = _vector("x", x)
    W1 = as_array("W1", W1, (2,), "a matrix (d_h, d_x)")
    W2 = as_array("W2", W2, (2,), "a matrix (n_c, d_h)")
    d_h, d_x = W1.shape
    n_c = W2.shape[0]
    if d_x != xv.size:
        raise ValueError(f"W1 has {d_x} columns but x has {xv.size} entries")
    if W2.shape[1] != d_h:
        raise ValueError(f"W2 has {W2.shape[1]} columns but W1 gives {d_h} hidden units")
    b1v, b1_shape = _vector("b1", b1, d_h)
    b2v, b2_shape = _vector("b2", b2, n_c)
    yv, y_shape = _vector("y", y, n_c)
    _labels(yv, yv)

    with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported just below
        # z₁ = W₁x + b₁ ; h₁ = act(z₁)
        z1 = W1 @ xv + b1v
        h1 = ACTIVATIONS[activation](z1) if np.isfinite(z1).all() else z1
        # z₂ = W₂h₁ + b₂
        z2 = W2 @ h1 + b2v
    if not (np.isfinite(z1).all() and np.isfinite(z2).all()):
        raise ValueError("the network overflowed: its pre-activations are not finite numbers")
    # ŷ = softmax(z₂) ; J = −Σ y log ŷ
    p = softmax(z2)
    loss = float(-(yv * log_softmax(z2)).sum())
    # δ₁ = ∂J/∂z₂ = (ŷ − y)ᵀ, a row (1, n_c)
    delta1 = (p - yv)[None, :]
    # δ₂ = ∂J/∂z₁ = δ₁ W₂ ∘ act′(z₁), a row (1, d_h)
    back = delta1 @ W2
    prime = _DERIVATIVES[activation](z1)[None, :]
    delta2 = back * prime
    gradients = {
        # ∂J/∂W₂ = δ₁ᵀ h₁ᵀ (n_c, d_h)
        "W2": delta1.T @ h1[None, :],
        # ∂J/∂b₂ = δ₁ᵀ
        "b2": delta1.reshape(b2_shape),
        # ∂J/∂W₁ = δ₂ᵀ xᵀ (d_h, d_x)
        "W1": delta2.T @ xv[None, :],
        # ∂J/∂b₁ = δ₂ᵀ
        "b1": delta2.reshape(b1_shape),
        # ∂J/∂x = W₁ᵀ δ₂ᵀ
        "x": (W1.T @ delta2.T).reshape(x_shape),
    }

    fa = format_array
    if activation == "identity":
        d2_symbolic, d2_formula = "δ₁ W₂", fa(back)
    else:
        d2_symbolic = f"δ₁ W₂ ∘ {_PRIME_NAMES[activation]}(z₁)"
        d2_formula = f"{fa(back)} ∘ {fa(prime)}"
    steps = (
        Step(f"δ₁ = ∂J/∂z₂ (1×n_c = 1×{n_c})", f"({fa(p)} − {fa(yv)})ᵀ", delta1, "(ŷ − y)ᵀ"),
        Step(f"δ₂ = ∂J/∂z₁ (1×d_h = 1×{d_h})", d2_formula, delta2, d2_symbolic),
        Step(
            f"∂J/∂W₂ (n_c×d_h = {n_c}×{d_h})",
            f"{fa(delta1.T)} {fa(h1[None, :])}",
            gradients["W2"],
            "δ₁ᵀ h₁ᵀ",
        ),
        Step(f"∂J/∂b₂ ({_dims('n_c', b2_shape)})", "", gradients["b2"], "δ₁ᵀ"),
        Step(
            f"∂J/∂W₁ (d_h×d_x = {d_h}×{d_x})",
            f"{fa(delta2.T)} {fa(xv[None, :])}",
            gradients["W1"],
            "δ₂ᵀ xᵀ",
        ),
        Step(f"∂J/∂b₁ ({_dims('d_h', b1_shape)})", "", gradients["b1"], "δ₂ᵀ"),
        Step(
            f"∂J/∂x ({_dims('d_x', x_shape)})",
            f"{fa(W1.T)} {fa(delta2.T)}",
            gradients["x"],
            "W₁ᵀ δ₂ᵀ",
        ),
    )
    return GradientResult(
        output=gradients,
        steps=steps,
        loss=loss,
        probabilities=p.reshape(y_shape),
        delta1=delta1,
        delta2=delta2,
        z1=z1[:, None],
        h1=h1[:, None],
        z2=z2[:, None],
    )


def _vector(name: str, value, size: int | None = None) -> tuple[np.ndarray, tuple[int, ...]]:
    """A vector (n,) or column (n, 1) of the expected size: the flat values and the shape given."""
    flat, shape = as_vector(name, value)
    if size is not None and flat.size != size:
        raise ValueError(f"{name} has {flat.size} entries but the network needs {size}")
    return flat, shape


def _dims(symbol: str, shape: tuple[int, ...]) -> str:
    """ "n_c×1 = 3×1" for a column, "n_c = 3" for a flat vector."""
    if len(shape) == 2:
        return f"{symbol}×1 = {shape[0]}×1"
    return f"{symbol} = {shape[0]}"
