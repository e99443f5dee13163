"""The random numbers of practice: one draw per kind of problem, named in its template.

Why it exists: a template's `[draw]` table names its draw (`kind = "pooling"`) and gives the ranges
the draw reads; the draw turns `numpy.random.default_rng(seed)` into the named values the
template's texts and computations use, redrawing a degenerate problem (every hidden unit dead, a
window that does not fit). `DRAWS` is the registry by name: no question number here.
What it must not depend on: the UI, sympy, and any answer (a draw may ask the solver whether a
problem is well-posed, never what its answer is for the student).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np

from tutor import content_schema as schema
from tutor.content_schema import Place
from tutor.exam import ContentError
from tutor.solver import conv_output_size, format_array, format_number, mlp_forward, pool2d
from tutor.solver._steps import superscript


class Draw:
    """The template's [draw] ranges and [choices], read with a plain message when one is wrong;
    `chosen` gathers the strings of the choices made, which become fields of the texts."""

    def __init__(self, table: dict[str, Any], choices: dict[str, Any], top: Place):
        self.table, self.choices, self.top = table, choices, top
        self.chosen: dict[str, str] = {}

    def fail(self, key: str, message: str, section: str = "draw") -> ContentError:
        at = self.top.key(section).key(key)
        at.problem(message)
        return ContentError(at.file.problems)

    def number(self, key: str) -> float:
        value = self.table.get(key)
        if not schema.NUMBER.test(value):
            raise self.fail(key, f"expected a number, got {value!r}")
        return value

    def span(self, key: str) -> tuple[Any, Any]:
        value = self.table.get(key)
        if not (isinstance(value, list) and len(value) == 2 and all(schema.NUMBER.test(v) for v in value)
                and value[0] <= value[1]):
            raise self.fail(key, f"expected [low, high] with low ≤ high, got {value!r}")
        return value[0], value[1]

    def options(self, key: str) -> list[Any]:
        value = self.table.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(key, f"expected a non-empty array, got {value!r}")
        return value

    def choice(self, rng: np.random.Generator, name: str) -> str:
        """One key of [choices.name]; its strings become fields."""
        options = self.choices.get(name)
        if not isinstance(options, dict) or not options or not all(
                isinstance(o, dict) and all(isinstance(s, str) for s in o.values()) for o in options.values()):
            raise self.fail(name, "expected tables of strings, one per option", "choices")
        key = _pick(rng, sorted(options))
        self.chosen.update(options[key])
        return key

    def named(self, name: str, key: str) -> str:
        """The option `key` of [choices.name], decided by the draw (not at random); its strings
        become fields."""
        options = self.choices.get(name)
        if not isinstance(options, dict) or not isinstance(options.get(key), dict) or not all(
                isinstance(s, str) for s in options[key].values()):
            raise self.fail(name, f"expected a table of strings for the option '{key}'", "choices")
        self.chosen.update(options[key])
        return key

    def first(self, make: Callable[[], dict[str, Any] | None], what: str, tries: int = 1000) -> dict[str, Any]:
        """The first draw that is not degenerate (make returns None for one)."""
        for _ in range(tries):
            values = make()
            if values is not None:
                return values
        raise self.fail("(ranges)", f"no well-posed {what} in {tries} draws: widen the ranges")


def _between(rng: np.random.Generator, low: int, high: int) -> int:
    return int(rng.integers(int(low), int(high) + 1))


def _pick(rng: np.random.Generator, options: list[Any]) -> Any:
    return options[int(rng.integers(len(options)))]


def _tenths(rng: np.random.Generator, low: float, high: float, shape: Any = None) -> Any:
    """Numbers with one decimal in [low, high]: k/10 for whole k, the same floats as typed literals."""
    drawn = rng.integers(round(low * 10), round(high * 10) + 1, size=shape) / 10
    return float(drawn) if shape is None else drawn


def regression(rng: np.random.Generator, d: Draw) -> dict[str, Any]:
    """n examples of d features, w, b and σ for a Gaussian NLL (trace_gaussian_nll; question 2's kind)."""
    n, k = _between(rng, *d.span("examples")), _between(rng, *d.span("features"))
    low, high = d.span("values")
    X, y = _tenths(rng, low, high, (n, k)), _tenths(rng, low, high, n)
    w, b, sigma = _tenths(rng, low, high, k), _tenths(rng, low, high), float(_pick(rng, d.options("sigmas")))
    data = [{"i": superscript(i + 1), "x": format_array(X[i]), "y": format_number(y[i])} for i in range(n)]
    return {"X": X, "y": y, "w": w, "b": b, "sigma": sigma, "n": n, "d": k, "data": data}


def softmax(rng: np.random.Generator, d: Draw) -> dict[str, Any]:
    """Logits o and a one-hot label y over the template's classes (question 4(c)'s kind)."""
    classes = d.options("classes")
    o, label = _tenths(rng, *d.span("logits"), len(classes)), _between(rng, 0, len(classes) - 1)
    values = {"o": o, "y": np.eye(len(classes))[label], "label": str(classes[label]), "label_number": label + 1}
    return values | {f"o{j + 1}": float(v) for j, v in enumerate(o)}


def network(rng: np.random.Generator, d: Draw) -> dict[str, Any]:
    """A 2-2-2 network (ReLU hidden, linear out) and targets, some hidden unit live (question 5's kind)."""
    low, high = d.span("values")

    def make() -> dict[str, Any] | None:
        x, W1, b1 = _tenths(rng, low, high, 2), _tenths(rng, low, high, (2, 2)), _tenths(rng, low, high, 2)
        W2, b2, t = _tenths(rng, low, high, (2, 2)), _tenths(rng, low, high, 2), _tenths(rng, low, high, 2)
        layers = [[W1, b1, "relu"], [W2, b2, "identity"]]
        linear = [[W1, b1, "identity"], [W2, b2, "identity"]]  # the same numbers, ReLU forgotten
        forward = mlp_forward(x, layers)
        if not (forward.pre[0] > 0).any():
            return None  # every hidden unit dead: the output would not depend on the inputs
        # wᵢⱼ from unit i below to unit j above: W1[i][j] = w(i+1)(j+1), W2[i][j] = w(i+3)(j+1)
        names = {f"w{i + 1}{j + 1}": W1[i, j] for i in range(2) for j in range(2)}
        names |= {f"w{i + 3}{j + 1}": W2[i, j] for i in range(2) for j in range(2)}
        names |= {"i1": x[0], "i2": x[1], "b1": b1[0], "b2": b1[1], "b3": b2[0], "b4": b2[1], "t1": t[0], "t2": t[1]}
        drawn = {"x": x, "layers": layers, "layers_without_relu": linear, "t": t, "o": forward.output}
        return drawn | {k: float(v) for k, v in names.items()}

    return d.first(make, "network (every hidden unit was dead)")


def backprop(rng: np.random.Generator, d: Draw) -> dict[str, Any]:
    """Distinct d_x, d_h, n_c (so a wrong shape cannot pass) and a two-layer network's numbers with a
    live hidden unit (question 6's kind)."""

    def sizes() -> dict[str, Any] | None:
        drawn = {key: _between(rng, *d.span(key)) for key in ("d_x", "d_h", "n_c")}
        return drawn if len(set(drawn.values())) == 3 else None

    dims = d.first(sizes, "sizes (d_x, d_h, n_c distinct)")
    d_x, d_h, n_c = dims["d_x"], dims["d_h"], dims["n_c"]
    low, high = d.span("values")

    def make() -> dict[str, Any] | None:
        x, W1, b1 = _tenths(rng, low, high, (d_x, 1)), _tenths(rng, low, high, (d_h, d_x)), _tenths(rng, low, high, (d_h, 1))
        W2, b2 = _tenths(rng, low, high, (n_c, d_h)), _tenths(rng, low, high, (n_c, 1))
        label = _between(rng, 0, n_c - 1)
        if not (mlp_forward(x.ravel(), [(W1.T, b1.ravel(), "relu")]).output > 0).any():
            return None  # no live hidden unit: every gradient below z₂ would be zero
        y = np.eye(n_c)[:, [label]]
        return {"x": x, "W1": W1, "b1": b1, "W2": W2, "b2": b2, "y": y, "label_number": label + 1,
                "x_row": x.ravel(), "b1_row": b1.ravel(), "b2_row": b2.ravel(), "y_row": y.ravel()}

    return dims | d.first(make, "network (no hidden unit was live)")


def conv_sizes(rng: np.random.Generator, d: Draw) -> dict[str, Any]:
    """A padded and a strided convolution of one n×n input, and the transposed one back (question 7's
    kind)."""

    def make() -> dict[str, Any] | None:
        n = _between(rng, *d.span("n"))
        k_a, k_b = int(_pick(rng, d.options("kernels_a"))), int(_pick(rng, d.options("kernels_b")))
        p_a, p_b = _between(rng, 0, k_a // 2), _between(rng, 0, k_b // 2)
        s_b = int(_pick(rng, d.options("strides")))
        if k_a > n + 2 * p_a or k_b > n + 2 * p_b or s_b > n:
            return None  # a kernel larger than the padded input
        return {"n": n, "k_a": k_a, "p_a": p_a, "k_b": k_b, "p_b": p_b, "s_b": s_b,
                "n_t": conv_output_size(n, k_b, s_b, p_b)}

    return d.first(make, "geometry")


def pooling(rng: np.random.Generator, d: Draw) -> dict[str, Any]:
    """A pooling: an input of other sizes, window, stride ≤ window, padding ≤ window//2, mode (question
    8's kind)."""
    mode = d.choice(rng, "mode")
    low, high = d.span("values")
    least, most = d.span("windows")

    def make() -> dict[str, Any] | None:
        rows, cols = _between(rng, *d.span("rows")), _between(rng, *d.span("cols"))
        size = int(_pick(rng, d.options("sizes")))
        stride = _between(rng, 1, min(size, int(d.span("strides")[1])))
        padding = _between(rng, 0, size // 2)
        if size > min(rows, cols) + 2 * padding:
            return None  # the window would not fit the padded input
        x = rng.integers(int(low), int(high) + 1, size=(rows, cols))
        out = pool2d(x, size, stride, padding, mode).output
        if not least <= out.size <= most:
            return None
        return {"x": x, "rows": rows, "cols": cols, "size": size, "stride": stride, "padding": padding,
                "mode": mode, "windows": out.size, "out_rows": out.shape[0], "out_cols": out.shape[1]}

    drawn = d.first(make, "pooling")
    # The windows reach the last row and column of the padded input, or the floor of
    # ⌊(n + 2p − k)/s⌋ + 1 leaves some out: the stem says which (the template's [choices.coverage]).
    reach = [(n - 1) * drawn["stride"] + drawn["size"] for n in (drawn["out_rows"], drawn["out_cols"])]
    padded = [side + 2 * drawn["padding"] for side in (drawn["rows"], drawn["cols"])]
    d.named("coverage", "full" if reach == padded else "partial")
    return drawn


def bottleneck(rng: np.random.Generator, d: Draw) -> dict[str, Any]:
    """Channel counts, kernel, and a bottleneck narrower than both ends (question 9's kind)."""
    low, high = d.span("channels")
    channels = list(range(int(low), int(high) + 1, max(int(d.number("channel_step")), 1)))
    c_in, c_out = int(_pick(rng, channels)), int(_pick(rng, channels))
    kernel = int(_pick(rng, d.options("kernels")))
    least = int(d.number("mid_min"))
    # the bottleneck: at least mid_min, at most half the narrower end, so always narrower than both
    c_mid = _between(rng, least, max(min(c_in, c_out) // 2, least))
    if not c_mid < min(c_in, c_out):
        raise d.fail("mid_min", "the bottleneck must be narrower than both channel counts")
    return {"c_in": c_in, "c_mid": c_mid, "c_out": c_out, "k": kernel}


DrawFunction = Callable[[np.random.Generator, Draw], dict[str, Any]]
DRAWS: Mapping[str, DrawFunction] = MappingProxyType({
    "regression": regression, "softmax": softmax, "network": network, "backprop": backprop,
    "conv_sizes": conv_sizes, "pooling": pooling, "bottleneck": bottleneck,
})
