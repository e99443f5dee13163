"""Forward pass of a small fully connected network and its squared-error loss (question 5).

Weights follow the exam's naming: w_ij goes from unit i below to unit j above, so a layer computes
z = x W + b with W of shape (n_in, n_out). Every pre-activation and activation becomes a step with
its symbols and its numbers. numpy only: this must not depend on the UI.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from ._steps import (
    approximate,
    consistent_decimals,
    Step,
    Traced,
    as_array,
    format_number,
    format_shape,
    format_term,
    safe_exp,
    subscript,
    superscript,
)


def identity(z):
    """identity(z) = z."""
    return as_array("z", z)[()]


def relu(z):
    """ReLU(z) = max(0, z), elementwise."""
    # ReLU(z) = max(0, z)
    return np.maximum(as_array("z", z), 0.0)[()]


def sigmoid(z):
    """σ(z) = 1/(1 + e^(−z)), elementwise, without overflow for any finite z."""
    z = as_array("z", z)
    e = safe_exp(-np.abs(z))
    # σ(z) = 1/(1 + e^(−z)) for z ≥ 0 and e^z/(1 + e^z) for z < 0: the exponent is never positive
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))[()]


def tanh(z):
    """tanh(z), elementwise."""
    return np.tanh(as_array("z", z))[()]


ACTIVATIONS: Mapping[str, Callable] = MappingProxyType(
    {"relu": relu, "sigmoid": sigmoid, "tanh": tanh, "identity": identity}
)


def _relu_prime(z):
    # ReLU′(z) = 1 if z > 0 else 0 (ReLU′(0) = 0)
    return (z > 0).astype(float)


def _sigmoid_prime(z):
    # σ′(z) = σ(z)(1 − σ(z))
    s = sigmoid(z)
    return s * (1.0 - s)


def _tanh_prime(z):
    # tanh′(z) = 1 − tanh²(z)
    return 1.0 - np.tanh(z) ** 2


# The derivatives backpropagation needs (softmax.two_layer_gradients); keyed like ACTIVATIONS.
_DERIVATIVES: Mapping[str, Callable] = MappingProxyType(
    {
        "relu": _relu_prime,
        "sigmoid": _sigmoid_prime,
        "tanh": _tanh_prime,
        "identity": np.ones_like,
    }
)


def check_activation(activation) -> str:
    """The activation's name, or a ValueError naming the ones there are."""
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}: use relu, sigmoid, tanh or identity")
    return activation


@dataclass(frozen=True, eq=False)
class ForwardResult(Traced):
    """The network's output with every layer's values.

    output: the last layer's activations, (n_out,) or (m, n_out) for a batch.
    pre: the pre-activations z of each layer, (n_l,) or (m, n_l) each.
    post: the activations a = act(z) of each layer, same shapes.
    steps: for one example, each unit's pre-activation then each unit's activation (none for
        identity layers), layer by layer; empty for a batch.
    names: the label of every number, as the steps use them: "inputs" (one per input), "weights"
        (per layer, W-shaped), "biases", "pre" and "post" (per layer, one per unit); tuples of str.
    """

    pre: tuple[np.ndarray, ...]
    post: tuple[np.ndarray, ...]
    names: Mapping[str, tuple] = field(default_factory=lambda: MappingProxyType({}))


def mlp_forward(x, layers, *, names=None) -> ForwardResult:
    """Run x (n_in,) or a batch (m, n_in) through layers of (W (n_in, n_out), b (n_out,), act).

    names (optional): {"inputs": [...], "weights": [W-shaped nested lists per layer], "biases":
    [[...] per layer], "pre": [[...] per layer], "post": [[...] per layer]}; any group left out gets
    x₁…, w⁽ˡ⁾ᵢⱼ, b⁽ˡ⁾ⱼ, z⁽ˡ⁾ⱼ and a⁽ˡ⁾ⱼ (an identity layer's activations keep the z names).
    """
    inputs = as_array("x", x, (1, 2), "a vector (n_in,) or a batch (m, n_in)")
    checked = _check_layers(layers, inputs.shape[-1])
    a = inputs
    pre, post = [], []
    for index, (W, b, activation) in enumerate(checked, start=1):
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is reported just below
            # z_j = Σ_i a_i w_ij + b_j, i.e. z = a W + b
            z = a @ W + b
        if not np.isfinite(z).all():
            raise ValueError(
                f"layer {index} overflowed: its pre-activations are not finite numbers"
            )
        # a = act(z)
        a = ACTIVATIONS[activation](z)
        pre.append(z)
        post.append(a)
    labels = _resolve_names(names, checked)
    steps = _forward_steps(inputs, checked, pre, post, labels) if a.ndim == 1 else ()
    return ForwardResult(output=a, steps=steps, pre=tuple(pre), post=tuple(post), names=_frozen_names(labels))


def _check_layers(layers, width: int) -> list[tuple[np.ndarray, np.ndarray, str]]:
    if isinstance(layers, (str, bytes)) or not isinstance(layers, Sequence) or not layers:
        raise ValueError("layers must be a non-empty sequence of (W, b, activation)")
    checked = []
    for index, layer in enumerate(layers, start=1):
        if isinstance(layer, (str, bytes)) or not isinstance(layer, Sequence) or len(layer) != 3:
            raise ValueError(f"layer {index} must be a triple (W, b, activation)")
        W = as_array(f"W of layer {index}", layer[0], (2,), "a 2-D matrix (n_in, n_out)")
        if W.shape[0] != width:
            raise ValueError(
                f"W of layer {index} has {W.shape[0]} rows but its input has {width} units"
            )
        b = as_array(f"b of layer {index}", layer[1], (1, 2), "a vector (n_out,)")
        if b.size != W.shape[1] or (b.ndim == 2 and 1 not in b.shape):
            raise ValueError(
                f"b of layer {index} has shape {format_shape(b.shape)} "
                f"but W gives {W.shape[1]} units"
            )
        checked.append((W, b.ravel(), check_activation(layer[2])))
        width = W.shape[1]
    return checked


_NAME_GROUPS = ("inputs", "weights", "biases", "pre", "post")


def _pair(i: int, j: int) -> str:
    """Subscript of w_ij: "₁₂", or "₁,₁₂" once an index has two digits."""
    sep = "," if i > 9 or j > 9 else ""
    return f"{subscript(i)}{sep}{subscript(j)}"


def _resolve_names(names, layers) -> dict[str, list]:
    """Every label the steps use, the given ones checked against the network's shapes."""
    given = dict(names or {})
    unknown = sorted(set(given) - set(_NAME_GROUPS))
    if unknown:
        raise ValueError(
            f"unknown name group {unknown[0]!r}: use inputs, weights, biases, pre or post"
        )
    sizes = [W.shape for W, _, _ in layers]
    tags = [f"⁽{superscript(index)}⁾" for index in range(1, len(layers) + 1)]
    defaults = {
        "inputs": [f"x{subscript(i)}" for i in range(1, sizes[0][0] + 1)],
        "weights": [
            [[f"w{tag}{_pair(i, j)}" for j in range(1, n_out + 1)] for i in range(1, n_in + 1)]
            for tag, (n_in, n_out) in zip(tags, sizes)
        ],
        "biases": [
            [f"b{tag}{subscript(j)}" for j in range(1, n + 1)] for tag, (_, n) in zip(tags, sizes)
        ],
        "pre": [
            [f"z{tag}{subscript(j)}" for j in range(1, n + 1)] for tag, (_, n) in zip(tags, sizes)
        ],
    }
    shapes = {
        "inputs": (sizes[0][0],),
        "weights": sizes,
        "biases": [(n,) for _, n in sizes],
        "pre": [(n,) for _, n in sizes],
        "post": [(n,) for _, n in sizes],
    }
    resolved: dict[str, list] = {}
    for group in ("inputs", "weights", "biases", "pre"):
        resolved[group] = (
            _checked_names(group, given[group], shapes[group])
            if group in given
            else defaults[group]
        )
    if "post" in given:
        resolved["post"] = _checked_names("post", given["post"], shapes["post"])
    else:
        resolved["post"] = [
            pre
            if activation == "identity"
            else [f"a{tag}{subscript(j)}" for j in range(1, len(pre) + 1)]
            for pre, tag, (_, _, activation) in zip(resolved["pre"], tags, layers)
        ]
    return resolved


def _frozen_names(names: Mapping[str, list]) -> Mapping[str, tuple]:
    """The resolved names as a read-only mapping of nested tuples, for a result to hand back."""
    def frozen(value):
        return tuple(frozen(item) for item in value) if isinstance(value, list | tuple) else value

    return MappingProxyType({group: frozen(value) for group, value in names.items()})


def _checked_names(group: str, value, shape) -> list:
    """Given names as nested lists of str, in the shape the network needs."""
    if group == "inputs":
        return _name_array(group, value, shape)
    if (
        isinstance(value, (str, bytes))
        or not isinstance(value, Sequence)
        or len(value) != len(shape)
    ):
        raise ValueError(f"names[{group!r}] must give one entry per layer ({len(shape)})")
    return [
        _name_array(f"{group} of layer {i}", v, s) for i, (v, s) in enumerate(zip(value, shape), 1)
    ]


def _name_array(what: str, value, shape) -> list:
    try:
        array = np.asarray(value)
    except ValueError:
        raise ValueError(f"names for {what} must be a rectangular list of strings") from None
    if array.dtype.kind != "U" or array.shape != tuple(shape):
        raise ValueError(
            f"names for {what} must be strings in the shape {format_shape(shape)}, got {value!r}"
        )
    return array.tolist()


def _forward_steps(x, layers, pre, post, names) -> tuple[Step, ...]:
    """Each unit's pre-activation, then each unit's activation, layer by layer."""
    steps = []
    values, value_names = x, names["inputs"]
    for index, (W, b, activation) in enumerate(layers):
        w_names, b_names = names["weights"][index], names["biases"][index]
        z_names, a_names = names["pre"][index], names["post"][index]
        for j in range(W.shape[1]):
            symbolic = " + ".join(f"{value_names[i]}·{w_names[i][j]}" for i in range(W.shape[0]))
            # the operands carry enough decimals for their products and the bias to add up as shown
            d = consistent_decimals(
                [[values[i], W[i, j]] for i in range(W.shape[0])] + [[b[j]]], pre[index][j]
            )
            formula = " + ".join(
                f"{format_term(values[i], d or 4)}×{format_term(W[i, j], d or 4)}" for i in range(W.shape[0])
            )
            steps.append(
                Step(
                    z_names[j],
                    approximate(f"{formula} + {format_term(b[j], d or 4)}", pre[index][j], d),
                    pre[index][j],
                    f"{symbolic} + {b_names[j]}",
                )
            )
        if activation != "identity":
            for j, (z, a) in enumerate(zip(pre[index], post[index])):
                steps.append(
                    Step(
                        a_names[j],
                        _activation_formula(activation, z),
                        a,
                        _activation_symbol(activation, z_names[j]),
                    )
                )
        values, value_names = post[index], a_names
    return tuple(steps)


def _activation_symbol(activation: str, name: str) -> str:
    return {"relu": f"max(0, {name})", "sigmoid": f"σ({name})", "tanh": f"tanh({name})"}[activation]


def _activation_formula(activation: str, z: float) -> str:
    if activation == "relu":
        return f"max(0, {format_number(z)})"
    if activation == "sigmoid":
        return f"1/(1 + exp({format_number(-z)}))"
    return f"tanh({format_number(z)})"


def _targets_outputs(t, o) -> tuple[np.ndarray, np.ndarray]:
    t = as_array("targets t", t)
    o = as_array("outputs o", o)
    if t.shape != o.shape:
        raise ValueError(
            f"targets t ({format_shape(t.shape)}) and outputs o ({format_shape(o.shape)}) "
            "differ in shape"
        )
    return t.ravel(), o.ravel()


def half_squared_error(t, o) -> float:
    """E = ½ Σₖ (tₖ − oₖ)², the loss of question 5 as the key writes it; t and o of one shape."""
    t, o = _targets_outputs(t, o)
    # E = ½ Σₖ (tₖ − oₖ)²
    return float(0.5 * np.sum((t - o) ** 2))


@dataclass(frozen=True, eq=False)
class SquaredErrorResult(Traced):
    """E = ½ Σₖ (tₖ − oₖ)² with its steps, and the labels they use.

    names: {"targets": ("t₁", ...), "outputs": ("o₁", ...)}, the given ones or the defaults.
    """

    names: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))


def trace_half_squared_error(t, o, names=None) -> SquaredErrorResult:
    """E = ½ Σₖ (tₖ − oₖ)² with one step per term and one for the total.

    names (optional): {"targets": ["t₁", ...], "outputs": ["o₁", ...]}; defaults t₁… and o₁….
    """
    t, o = _targets_outputs(t, o)
    given = dict(names or {})
    unknown = sorted(set(given) - {"targets", "outputs"})
    if unknown:
        raise ValueError(f"unknown name group {unknown[0]!r}: use targets or outputs")
    count = t.size
    t_names = (
        _name_array("targets", given["targets"], (count,))
        if "targets" in given
        else [f"t{subscript(k)}" for k in range(1, count + 1)]
    )
    o_names = (
        _name_array("outputs", given["outputs"], (count,))
        if "outputs" in given
        else [f"o{subscript(k)}" for k in range(1, count + 1)]
    )
    # eₖ = ½ (tₖ − oₖ)²
    squares = (t - o) ** 2
    terms = 0.5 * squares
    total = float(terms.sum())
    symbols = [f"½({tn} − {on})²" for tn, on in zip(t_names, o_names)]
    filled = [f"0.5×({format_number(tk)} − {format_term(ok)})²" for tk, ok in zip(t, o)]
    # each line's square, and the total's squares, carry enough decimals to give what is shown
    each = [consistent_decimals([[0.5, sq]], term) for sq, term in zip(squares, terms)]
    d = consistent_decimals([[0.5, sq] for sq in squares], total)
    steps = [
        Step(symbol, approximate(f"{fill} = 0.5×{format_number(sq, dk or 4)}", term, dk), term)
        for symbol, fill, sq, term, dk in zip(symbols, filled, squares, terms, each)
    ]
    reduced = [f"0.5×{format_number(sq, d or 4)}" for sq in squares]
    steps.append(
        Step("E", approximate(f"{' + '.join(filled)} = {' + '.join(reduced)}", total, d), total, " + ".join(symbols))
    )
    labels = _frozen_names({"targets": t_names, "outputs": o_names})
    return SquaredErrorResult(output=total, steps=tuple(steps), names=labels)
