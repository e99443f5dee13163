"""The exam's two derivations, done with sympy and shown as readable Unicode steps.

Question 2 ("gaussian_nll"): Gaussian noise makes −log P(y | X) a sum of a constant and the squared
error over 2σ², so least squares is maximum likelihood. Question 4(c) ("softmax_ce_grad"): the
gradient of the softmax cross-entropy with respect to the logits is softmax(o) − y.

Each step's `label` says in words what the step does and ends with the left-hand side; its `formula`
is the right-hand side in Unicode, so `Step.text()` reads "… : −log P(y | X) = Σᵢ₌₁ⁿ […]"; `value`
is "". The algebra is done by sympy on a small concrete case (n = 2 examples, q = 3 classes):
`derivation` proves every step on that case before returning, and a few "Written out for …" steps
show it, printed from sympy's own expressions. sympy takes a large part of a second to import, so it is imported only inside functions,
on the first derivation: importing this module stays cheap. It never reads user input: only our own
expressions are built, printed, substituted or lambdified here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from tutor.solver._steps import Step

__all__ = [
    "NAMES",
    "derivation",
    "to_unicode",
    "gaussian_nll_expr",
    "gaussian_nll_value",
    "softmax_ce_expr",
    "softmax_ce_grad_expr",
    "softmax_ce_grad_value",
    "softmax_ce_value",
]

NAMES = ("gaussian_nll", "softmax_ce_grad")

_SHOW_N = 2  # examples in the concrete case of question 2
_SHOW_Q = 3  # classes in the concrete case of question 4(c)
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


@cache
def _sympy() -> Any:
    import sympy

    return sympy


# Printing ---------------------------------------------------------------------------------------


def _tidy(text: str) -> str:
    """sympy's one-line text as the tutor writes formulas: x² not x**2, · not *, − not -."""
    text = re.sub(r"\*\*\((-?\d+)\)", lambda m: m.group(1).translate(_SUP), text)
    text = re.sub(r"\*\*(\d+)", lambda m: m.group(1).translate(_SUP), text)
    text = text.replace("**", "^").replace("⋅", "·").replace("*", "·")
    text = re.sub(r"\bsqrt\(", "√(", text)
    text = re.sub(r"\bpi\b", "π", text)
    text = re.sub(r"(?<![\w⁾])(\d+)·(?=[^\W\d])", r"\1", text)  # 2·σ² -> 2σ²
    text = re.sub(r"π·(?=[^\W\d])", "π", text)  # 2·π·σ² -> 2πσ²
    text = text.replace(" - ", " − ").replace("-", "−")
    text = re.sub(r"\(\(([^()]*)\)\)", r"(\1)", text)  # ((2σ²)) -> (2σ²)
    text = re.sub(r"/\(([^\W\d_][⁰¹²³⁴⁵⁶⁷⁸⁹]*)\)", r"/\1", text)  # /(σ²) -> /σ², not /(2σ²)
    return text


def to_unicode(expr: Any) -> str:
    """A sympy expression as one line of readable Unicode (never LaTeX, never ** or *)."""
    sp = _sympy()
    pretty = sp.pretty(expr, use_unicode=True, wrap_line=False)
    if "\n" not in pretty:
        return _tidy(pretty)
    return _tidy(sp.sstr(expr, order="none"))


def _step(says: str, rhs: str) -> Step:
    """A derivation line: `says` (words ending in the left-hand side) and the right-hand side.

    Step.text() joins them with " = ", so each line reads as one sentence: "... : P(y | X) = ∏ᵢ …".
    """
    return Step(says, rhs, "")


# Question 2: the Gaussian negative log-likelihood -------------------------------------------------


@cache
def _nll_symbols(n: int, d: int) -> tuple[tuple, tuple, tuple, Any, Any]:
    """y⁽ⁱ⁾, x⁽ⁱ⁾ (rows of d features), w, b and σ; scalars when d = 1."""
    sp = _sympy()
    sup = lambda i: f"⁽{str(i).translate(_SUP)}⁾"  # noqa: E731
    sub = lambda j: str(j).translate(_SUB) if d > 1 else ""  # noqa: E731
    ys = tuple(sp.Symbol(f"y{sup(i)}", real=True) for i in range(1, n + 1))
    xs = tuple(
        tuple(sp.Symbol(f"x{sup(i)}{sub(j)}", real=True) for j in range(1, d + 1))
        for i in range(1, n + 1)
    )
    ws = tuple(sp.Symbol(f"w{sub(j)}", real=True) for j in range(1, d + 1))
    return ys, xs, ws, sp.Symbol("b", real=True), sp.Symbol("σ", positive=True)


def _residual(y, x, ws, b) -> Any:
    """ε⁽ⁱ⁾ = y⁽ⁱ⁾ − wᵀx⁽ⁱ⁾ − b."""
    return y - sum(w * xj for w, xj in zip(ws, x)) - b


def _density(eps, sigma) -> Any:
    """p(ε) = 1/√(2πσ²) · exp(−ε²/(2σ²))."""
    sp = _sympy()
    return 1 / sp.sqrt(2 * sp.pi * sigma**2) * sp.exp(-(eps**2) / (2 * sigma**2))


@cache
def gaussian_nll_expr(n: int, d: int = 1) -> Any:
    """−log P(y | X) for n examples of d features, derived from the product of Gaussian densities."""
    sp = _sympy()
    ys, xs, ws, b, sigma = _nll_symbols(n, d)
    likelihood = sp.Mul(*(_density(_residual(y, x, ws, b), sigma) for y, x in zip(ys, xs)))
    return sp.expand_log(-sp.log(likelihood), force=True)


def gaussian_nll_value(
    y: Sequence[float], X: Sequence[Sequence[float]], w: Sequence[float], b: float, sigma: float
) -> float:
    """The derived expression evaluated at numbers (X is n×d, w has d entries)."""
    rows = [list(row) for row in X]
    f = _lambdified_nll(len(rows), len(rows[0]))
    return float(f(*y, *(v for row in rows for v in row), *w, b, sigma))


@cache
def _lambdified_nll(n: int, d: int) -> Any:
    sp = _sympy()
    ys, xs, ws, b, sigma = _nll_symbols(n, d)
    args = [*ys, *(v for row in xs for v in row), *ws, b, sigma]
    return sp.lambdify(args, gaussian_nll_expr(n, d), modules="math")


def _check(sp: Any, lhs: Any, rhs: Any, what: str) -> None:
    """Raise unless sympy proves lhs = rhs (our own bug if it ever fires: tests build every step)."""
    if sp.simplify(sp.expand_log(lhs.doit() - rhs.doit(), force=True)) != 0:
        raise RuntimeError(f"derivation step does not check out: {what}")


def _shown_residual(y, x, ws, b) -> Any:
    """y⁽ⁱ⁾ − w·x⁽ⁱ⁾ − b in the key's order (sympy would sort it)."""
    sp = _sympy()
    return sp.Add(y, *(-sp.Mul(w, xj, evaluate=False) for w, xj in zip(ws, x)), -b, evaluate=False)


def _shown_nll_term(eps, sigma) -> Any:
    sp = _sympy()
    return sp.Add(
        sp.log(2 * sp.pi * sigma**2, evaluate=False) / 2,
        sp.Mul(sp.Pow(eps, 2, evaluate=False), sp.Pow(2 * sigma**2, -1, evaluate=False), evaluate=False),
        evaluate=False,
    )


def _gaussian_nll_steps() -> tuple[Step, ...]:
    sp = _sympy()
    n = _SHOW_N
    ys, xs, ws, b, sigma = _nll_symbols(n, 1)
    eps = [_shown_residual(y, x, ws, b) for y, x in zip(ys, xs)]
    densities = [_density(e, sigma) for e in eps]

    # −log of the product is the sum of −log of each density ...
    nll = gaussian_nll_expr(n, 1)
    _check(sp, nll, sp.Add(*(-sp.log(p) for p in densities)), "the log of the product is a sum")
    # ... each of which is ½ log(2πσ²) + ε²/(2σ²) ...
    terms = [_shown_nll_term(e, sigma) for e in eps]
    _check(sp, -sp.log(densities[0]), terms[0], "−log of one Gaussian density")
    total = sp.Add(*(arg for term in terms for arg in term.args), evaluate=False)
    _check(sp, nll, total, "the sum of the per-example terms")
    # ... a constant in w and b plus the squared error over 2σ², so σ only scales the gradient.
    sse = sp.Add(*(e**2 for e in eps)) / 2
    for param in (*ws, b):
        _check(sp, sp.diff(nll, param), sp.diff(sse, param) / sigma**2, "σ only scales the gradient")
    grad_w = sp.Mul(
        -1,
        sp.Add(*(sp.Mul(x[0], e, evaluate=False) for x, e in zip(xs, eps)), evaluate=False),
        sp.Pow(sigma**2, -1, evaluate=False),
        evaluate=False,
    )
    _check(sp, sp.diff(nll, ws[0]), grad_w, "the gradient in w")

    case = f"Written out for n = {n} examples of one feature: "
    return (
        _step("Gaussian noise ε ~ N(0, σ²) has the density p(ε)", "1/√(2πσ²) · exp(−ε²/(2σ²))"),
        _step(
            "One example: y⁽ⁱ⁾ = wᵀx⁽ⁱ⁾ + b + ε⁽ⁱ⁾, so ε⁽ⁱ⁾ = y⁽ⁱ⁾ − wᵀx⁽ⁱ⁾ − b and P(y⁽ⁱ⁾ | x⁽ⁱ⁾)",
            "1/√(2πσ²) · exp(−(y⁽ⁱ⁾ − wᵀx⁽ⁱ⁾ − b)²/(2σ²))",
        ),
        _step(
            "The examples are independent, so the likelihood is a product: P(y | X)",
            "∏ᵢ₌₁ⁿ P(y⁽ⁱ⁾ | x⁽ⁱ⁾)",
        ),
        _step("Take −log; the log turns the product into a sum: −log P(y | X)", "−Σᵢ₌₁ⁿ log P(y⁽ⁱ⁾ | x⁽ⁱ⁾)"),
        _step(
            "With log(1/√a) = −½ log a and log(exp(u)) = u, each term is −log P(y⁽ⁱ⁾ | x⁽ⁱ⁾)",
            "½ log(2πσ²) + (y⁽ⁱ⁾ − wᵀx⁽ⁱ⁾ − b)²/(2σ²)",
        ),
        _step(
            "So the negative log-likelihood is −log P(y | X)",
            "Σᵢ₌₁ⁿ [½ log(2πσ²) + (y⁽ⁱ⁾ − wᵀx⁽ⁱ⁾ − b)²/(2σ²)]",
        ),
        _step(case + "−log P(y | X)", to_unicode(total)),
        _step(
            "Fix σ: the first term is a constant and the rest is the squared error scaled by 1/(2σ²): "
            "−log P(y | X)",
            "(n/2) log(2πσ²) + (1/(2σ²)) · Σᵢ₌₁ⁿ (y⁽ⁱ⁾ − wᵀx⁽ⁱ⁾ − b)²",
        ),
        _step(
            "σ only scales the gradient: ∂(−log P(y | X))/∂w",
            "(1/σ²) · ∂(½ Σᵢ₌₁ⁿ (y⁽ⁱ⁾ − wᵀx⁽ⁱ⁾ − b)²)/∂w, and the same for b",
        ),
        _step(case + "∂(−log P(y | X))/∂w", to_unicode(grad_w)),
        _step(
            "So the minimiser does not depend on σ, and minimising the mean squared error is maximum "
            "likelihood under additive Gaussian noise: argmin over w, b of −log P(y | X)",
            "argmin over w, b of Σᵢ₌₁ⁿ (y⁽ⁱ⁾ − wᵀx⁽ⁱ⁾ − b)²",
        ),
    )


# Question 4(c): the gradient of softmax cross-entropy --------------------------------------------


@cache
def _ce_symbols(q: int) -> tuple[tuple, tuple]:
    sp = _sympy()
    os_ = tuple(sp.Symbol(f"o{str(j).translate(_SUB)}", real=True) for j in range(1, q + 1))
    ys = tuple(sp.Symbol(f"y{str(j).translate(_SUB)}", real=True) for j in range(1, q + 1))
    return os_, ys


def _softmax(os_: tuple, j: int) -> Any:
    sp = _sympy()
    return sp.exp(os_[j]) / sp.Add(*(sp.exp(o) for o in os_))


@cache
def softmax_ce_expr(q: int) -> Any:
    """l(y, ŷ) = −Σⱼ yⱼ log ŷⱼ with ŷ = softmax(o), over q classes, as built from the definitions."""
    sp = _sympy()
    os_, ys = _ce_symbols(q)
    return -sp.Add(*(ys[j] * sp.log(_softmax(os_, j)) for j in range(q)))


@cache
def softmax_ce_grad_expr(q: int) -> tuple[Any, ...]:
    """(∂l/∂o₁, …, ∂l/∂o_q) of the simplified loss log Σₖ exp(oₖ) − Σⱼ yⱼ oⱼ (valid when Σⱼ yⱼ = 1)."""
    sp = _sympy()
    os_, ys = _ce_symbols(q)
    loss = _simplified_loss(os_, ys)
    return tuple(sp.diff(loss, o) for o in os_)


def _simplified_loss(os_: tuple, ys: tuple) -> Any:
    sp = _sympy()
    return sp.log(sp.Add(*(sp.exp(o) for o in os_))) - sp.Add(*(y * o for y, o in zip(ys, os_)))


@cache
def _lambdified_grad(q: int) -> Any:
    sp = _sympy()
    os_, ys = _ce_symbols(q)
    return sp.lambdify([*os_, *ys], list(softmax_ce_grad_expr(q)), modules="math")


@cache
def _lambdified_loss(q: int) -> Any:
    sp = _sympy()
    os_, ys = _ce_symbols(q)
    return sp.lambdify([*os_, *ys], softmax_ce_expr(q), modules="math")


def softmax_ce_value(o: Sequence[float], y: Sequence[float]) -> float:
    """The loss −Σⱼ yⱼ log softmax(o)ⱼ built from the definitions, evaluated at numbers."""
    return float(_lambdified_loss(len(o))(*o, *y))


def softmax_ce_grad_value(o: Sequence[float], y: Sequence[float]) -> list[float]:
    """The derived gradient evaluated at numbers (small logits: math.exp, no shift)."""
    f = _lambdified_grad(len(o))
    return [float(v) for v in f(*o, *y)]


def _softmax_ce_grad_steps() -> tuple[Step, ...]:
    sp = _sympy()
    q = _SHOW_Q
    os_, ys = _ce_symbols(q)
    S = sp.Add(*(sp.exp(o) for o in os_))
    one_hot = {ys[-1]: 1 - sp.Add(*ys[:-1])}  # Σⱼ yⱼ = 1

    loss = softmax_ce_expr(q)
    log_softmax = sp.Add(os_[0], -sp.log(S), evaluate=False)
    _check(sp, sp.log(_softmax(os_, 0)), log_softmax, "log softmax")
    expanded = sp.Add(*ys) * sp.log(S) - sp.Add(*(y * o for y, o in zip(ys, os_)))
    _check(sp, loss, expanded, "substituting log ŷⱼ")
    shown_loss = sp.Add(
        sp.log(S), *(-sp.Mul(y, o, evaluate=False) for y, o in zip(ys, os_)), evaluate=False
    )
    _check(sp, _simplified_loss(os_, ys), shown_loss, "the simplified loss")
    _check(sp, loss.subs(one_hot), shown_loss.doit().subs(one_hot), "using Σⱼ yⱼ = 1")
    grads = softmax_ce_grad_expr(q)
    for j in range(q):
        _check(sp, grads[j], _softmax(os_, j) - ys[j], f"∂l/∂o{j + 1}")
        raw = sp.diff(loss, os_[j])  # before Σⱼ yⱼ = 1: (Σₖ yₖ) softmax(o)ⱼ − yⱼ
        _check(sp, raw, sp.Add(*ys) * _softmax(os_, j) - ys[j], f"∂l/∂o{j + 1} before Σ y = 1")
        _check(sp, raw.subs(one_hot), grads[j].subs(one_hot), f"∂l/∂o{j + 1} with Σ y = 1")
    shown_grad = sp.Add(_softmax(os_, 0), -ys[0], evaluate=False)

    case = f"Written out for q = {q} classes: "
    return (
        _step("Softmax turns the logits o into probabilities: ŷⱼ = softmax(o)ⱼ", "exp(oⱼ) / Σₖ exp(oₖ)"),
        _step(case + "ŷ₁", to_unicode(_softmax(os_, 0))),
        _step("Cross-entropy loss with a one-hot label y: l(y, ŷ)", "−Σⱼ yⱼ log ŷⱼ"),
        _step("The log of a softmax: log ŷⱼ", "oⱼ − log Σₖ exp(oₖ)"),
        _step("Substitute it: l", "(Σⱼ yⱼ) log Σₖ exp(oₖ) − Σⱼ yⱼ oⱼ"),
        _step("y is one-hot, so Σⱼ yⱼ = 1 and l", "log Σₖ exp(oₖ) − Σⱼ yⱼ oⱼ"),
        _step(case + "l", to_unicode(shown_loss)),
        _step(
            "Differentiate with respect to oⱼ; the log-sum-exp gives the softmax: ∂l/∂oⱼ",
            "exp(oⱼ) / Σₖ exp(oₖ) − yⱼ",
        ),
        _step(case + "∂l/∂o₁", to_unicode(shown_grad)),
        _step("Written with softmax: ∂l/∂oⱼ", "softmax(o)ⱼ − yⱼ = ŷⱼ − yⱼ"),
        _step(
            "What it means: the gradient is the probability the model assigns to each class minus "
            "the true label, so it is cheap to compute and vanishes only when ŷ = y: ∂l/∂o",
            "ŷ − y",
        ),
    )


_BUILDERS = {"gaussian_nll": _gaussian_nll_steps, "softmax_ce_grad": _softmax_ce_grad_steps}


@cache
def derivation(name: str) -> tuple[Step, ...]:
    """The checked steps of a derivation named in NAMES; KeyError for any other name."""
    if name not in _BUILDERS:
        raise KeyError(name)
    return _BUILDERS[name]()
