"""Activation curves and the vanishing gradient (question 5(a)): what the activations picture draws.

`activation_curves` samples sigmoid, tanh and ReLU and their derivatives on a grid of z (by
default [−6, 6]) with the solver's own functions (`mlp.ACTIVATIONS`, and the derivatives that
backpropagation uses), with where each derivative is largest. `gradient_through_layers` is the
chain rule's product of derivatives through n layers, every layer at the same pre-activation z:
f′(z)ⁿ, which vanishes for sigmoid (σ′ ≤ 0.25) and stays 1 for ReLU at any z > 0.

numpy only: this must not depend on the UI.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from ._steps import MINUS, Step, Traced, _freeze, as_int, as_scalar, format_number, superscript
from .mlp import _DERIVATIVES, ACTIVATIONS, check_activation

CURVES = ("sigmoid", "tanh", "relu")
SYMBOLS = MappingProxyType({"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "identity": "id"})
MAX_POINTS = 10_000
MAX_LAYERS = 1_000


def format_product(x) -> str:
    """A product of derivatives as a student reads it: format_number, except that a tiny product
    stays a power of ten however small ("2.718×10⁻²⁰"), since here it is the answer, not noise.
    Only an exact zero is "0"."""
    x = float(x)
    if x == 0 or abs(x) >= 1e-12:
        return format_number(x)
    mantissa, exponent = f"{x:.4g}".split("e")
    return f"{mantissa}×10{str(int(exponent)).translate(_SUPER)}".replace("-", MINUS)


_SUPER = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _frozen_map(mapping: Mapping) -> Mapping:
    return MappingProxyType({key: _freeze(value) for key, value in mapping.items()})


def _names(names) -> tuple[str, ...]:
    if isinstance(names, str) or not isinstance(names, Sequence) or not names:
        raise ValueError("activations must be a non-empty list of names such as ('sigmoid', 'relu')")
    checked = tuple(check_activation(name) for name in names)
    if len(set(checked)) < len(checked):
        raise ValueError("activations must not name one activation twice")
    return checked


@dataclass(frozen=True, eq=False)
class ActivationCurves:
    """Each activation f and its derivative f′ sampled on one grid of z.

    z: (points,) from low to high, evenly spaced.
    names: the activations, in the order asked.
    values, derivatives: name -> (points,) f(z) and f′(z) (ReLU′(0) = 0, as backpropagation takes it).
    peak: name -> (the largest f′ on the grid, the first z where it is reached).
    ends: name -> (f′(low), f′(high)).
    """

    z: np.ndarray
    names: tuple[str, ...]
    values: Mapping[str, np.ndarray]
    derivatives: Mapping[str, np.ndarray]
    peak: Mapping[str, tuple[float, float]]
    ends: Mapping[str, tuple[float, float]]

    def __post_init__(self) -> None:
        object.__setattr__(self, "z", _freeze(self.z))
        for name in ("values", "derivatives", "peak", "ends"):
            object.__setattr__(self, name, _frozen_map(getattr(self, name)))

    @property
    def low(self) -> float:
        return float(self.z[0])

    @property
    def high(self) -> float:
        return float(self.z[-1])


def activation_curves(activations=CURVES, low=-6.0, high=6.0, points=49) -> ActivationCurves:
    """f(z) and f′(z) of each activation on `points` evenly spaced z from low to high.

    With the defaults, z = −6, −5.75, …, 6 (0 is on the grid, where σ′ and tanh′ peak).
    """
    names = _names(activations)
    lo, hi = as_scalar("low", low), as_scalar("high", high)
    if not lo < hi:
        raise ValueError(f"low ({format_number(lo)}) must be less than high ({format_number(hi)})")
    count = as_int("points", points, 2)
    if count > MAX_POINTS:
        raise ValueError(f"points must be at most {MAX_POINTS:,}, got {count:,}")
    z = np.linspace(lo, hi, count)
    values = {name: np.asarray(ACTIVATIONS[name](z), dtype=float) for name in names}
    derivatives = {name: np.asarray(_DERIVATIVES[name](z), dtype=float) for name in names}
    peak, ends = {}, {}
    for name, d in derivatives.items():
        best = int(np.argmax(d))
        peak[name] = (float(d[best]), float(z[best]))
        ends[name] = (float(d[0]), float(d[-1]))
    return ActivationCurves(z, names, values, derivatives, peak, ends)


@dataclass(frozen=True, eq=False)
class LayerProducts(Traced):
    """The product of derivatives through n = 1 … layers layers, each at pre-activation z.

    output: name -> (layers,) f′(z)ⁿ for n = 1 … layers (the factor backpropagation multiplies in).
    z: the pre-activation of every layer.
    n: (layers,) 1 … layers.
    factors: name -> f′(z), the factor of one layer.
    steps: one per activation, "σ′(1)¹⁰ = 0.1966¹⁰" with the product through all the layers.
    """

    z: float
    n: np.ndarray
    factors: Mapping[str, float]

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "output", _frozen_map(self.output))
        object.__setattr__(self, "factors", _frozen_map(self.factors))


def gradient_through_layers(z, layers=10, activations=CURVES) -> LayerProducts:
    """f′(z)ⁿ for n = 1 … layers: how much of the gradient survives n layers at pre-activation z.

    Backpropagation through a layer multiplies the gradient by f′ of that layer's pre-activation;
    with every layer at the same z that is f′(z) per layer, so n layers give f′(z)ⁿ.
    """
    where = as_scalar("z", z)
    depth = as_int("layers", layers, 1)
    if depth > MAX_LAYERS:
        raise ValueError(f"layers must be at most {MAX_LAYERS:,}, got {depth:,}")
    names = _names(activations)
    n = np.arange(1, depth + 1)
    factors = {name: float(_DERIVATIVES[name](np.array(where))) for name in names}
    # ∂a⁽ⁿ⁾/∂z⁽¹⁾ = Πₗ f′(z⁽ˡ⁾) = f′(z)ⁿ when every z⁽ˡ⁾ = z
    products = {name: np.power(factors[name], n.astype(float)) for name in names}
    f = format_number
    steps = tuple(
        Step(
            f"after {depth} {SYMBOLS[name]} layer{'s' if depth > 1 else ''} at z = {f(where)}",
            f"{SYMBOLS[name]}′({f(where)}){superscript(depth)} = {f(factors[name])}{superscript(depth)}"
            f" ≈ {format_product(products[name][-1])}",
            products[name][-1],
            f"{SYMBOLS[name]}′(z)ⁿ",
        )
        for name in names
    )
    return LayerProducts(output=products, steps=steps, z=where, n=n, factors=factors)
