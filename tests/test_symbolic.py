"""tutor.symbolic: the derivations agree with the numpy solver, print as Unicode, load sympy lazily."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tutor import solver, symbolic
from tutor.solver._steps import Step

ROOT = Path(__file__).resolve().parents[1]
DRAWS = 6


def run_python(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


# Lazy imports -------------------------------------------------------------------------------------


def test_importing_symbolic_does_not_import_sympy_until_a_derivation():
    result = run_python(
        "import sys\n"
        "import tutor.symbolic as s\n"
        "assert 'sympy' not in sys.modules, 'sympy imported with tutor.symbolic'\n"
        "assert s.NAMES == ('gaussian_nll', 'softmax_ce_grad')\n"
        "s.derivation('softmax_ce_grad')\n"
        "assert 'sympy' in sys.modules\n"
    )
    assert result.returncode == 0, result.stderr


def test_grading_never_imports_sympy_or_textual():
    result = run_python(
        "import sys\n"
        "import tutor.grading as g, tutor.parsing\n"
        "from tutor.exam import Part, TermGroup\n"
        "p = Part('a', 3, 'text', '', '', '', None, terms=(TermGroup(('dropout',), 3),))\n"
        "assert g.grade(p, 'dropout').status == 'correct'\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('sympy', 'textual', 'rich'))\n"
        "assert not bad, bad\n"
    )
    assert result.returncode == 0, result.stderr


# The steps ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", symbolic.NAMES)
def test_steps_are_readable_unicode(name):
    steps = symbolic.derivation(name)
    assert len(steps) >= 5
    for step in steps:
        assert isinstance(step, Step)
        for text in (step.label, step.formula, str(step.value), step.symbolic, step.text()):
            assert "\\" not in text, text
            assert "**" not in text, text
            assert "*" not in text, text
            assert "frac" not in text and "mathbf" not in text, text
        assert step.label and step.formula and "\n" not in step.text()


def test_derivation_is_cached_and_unknown_names_raise():
    assert symbolic.derivation("gaussian_nll") is symbolic.derivation("gaussian_nll")
    with pytest.raises(KeyError):
        symbolic.derivation("backprop")


def test_gaussian_nll_steps_reach_the_keys_result():
    lines = [s.text() for s in symbolic.derivation("gaussian_nll")]
    assert lines[0].endswith("p(ε) = 1/√(2πσ²) · exp(−ε²/(2σ²))")
    assert any(
        line.endswith("−log P(y | X) = Σᵢ₌₁ⁿ [½ log(2πσ²) + (y⁽ⁱ⁾ − wᵀx⁽ⁱ⁾ − b)²/(2σ²)]") for line in lines
    )
    assert any("the product into a sum" in line for line in lines)
    text = " ".join(lines)
    assert "constant" in text and "does not depend on σ" in text and "maximum likelihood" in text
    assert "(y⁽²⁾ − w·x⁽²⁾ − b)²/(2σ²)" in text  # the case written out by sympy


def test_softmax_ce_grad_steps_reach_the_keys_result():
    lines = [s.text() for s in symbolic.derivation("softmax_ce_grad")]
    assert any(line.endswith("∂l/∂oⱼ = exp(oⱼ) / Σₖ exp(oₖ) − yⱼ") for line in lines)
    assert any(line.endswith("∂l/∂oⱼ = softmax(o)ⱼ − yⱼ = ŷⱼ − yⱼ") for line in lines)
    assert any("Σⱼ yⱼ = 1" in line for line in lines)
    assert "∂l/∂o₁ = exp(o₁)/(exp(o₁) + exp(o₂) + exp(o₃)) − y₁" in " ".join(lines)
    assert "minus the true label" in lines[-1]


def test_steps_read_as_sentences():
    for name in symbolic.NAMES:
        for step in symbolic.derivation(name):
            assert step.value == "" and step.symbolic == ""
            assert step.text().count(" = ") >= 1
            assert step.text() == f"{step.label} = {step.formula}"


# Agreement with the solver ------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(DRAWS))
def test_gaussian_nll_expression_matches_the_solver(seed):
    rng = np.random.default_rng(seed)
    n, d = int(rng.integers(1, 5)), int(rng.integers(1, 4))
    X = rng.normal(size=(n, d))
    y = rng.normal(size=n)
    w = rng.normal(size=d)
    b = float(rng.normal())
    sigma = float(rng.uniform(0.2, 3.0))
    ours = symbolic.gaussian_nll_value(y.tolist(), X.tolist(), w.tolist(), b, sigma)
    assert ours == pytest.approx(solver.gaussian_nll(y, X, w, b, sigma), rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("seed", range(DRAWS))
def test_gaussian_nll_expression_by_substitution(seed):
    rng = np.random.default_rng(100 + seed)
    n, d = 2, 2
    X, y, w = rng.normal(size=(n, d)), rng.normal(size=n), rng.normal(size=d)
    b, sigma = float(rng.normal()), float(rng.uniform(0.5, 2.0))
    ys, xs, ws, b_, s_ = symbolic._nll_symbols(n, d)
    values = {b_: b, s_: sigma}
    values.update(zip(ys, y.tolist()))
    values.update(zip(ws, w.tolist()))
    values.update({sym: float(X[i, j]) for i, row in enumerate(xs) for j, sym in enumerate(row)})
    ours = float(symbolic.gaussian_nll_expr(n, d).subs(values).evalf())
    assert ours == pytest.approx(solver.gaussian_nll(y, X, w, b, sigma), rel=1e-10)


@pytest.mark.parametrize("seed", range(DRAWS))
def test_softmax_ce_grad_expression_matches_the_solver(seed):
    rng = np.random.default_rng(seed)
    q = int(rng.integers(2, 6))
    o = rng.normal(scale=3.0, size=q)
    y = np.zeros(q)
    y[rng.integers(q)] = 1.0
    ours = symbolic.softmax_ce_grad_value(o.tolist(), y.tolist())
    np.testing.assert_allclose(ours, solver.softmax_cross_entropy_grad(o, y), rtol=1e-10, atol=1e-12)
    assert symbolic.softmax_ce_value(o.tolist(), y.tolist()) == pytest.approx(
        solver.cross_entropy(y, o), rel=1e-10
    )


@pytest.mark.parametrize("seed", range(3))
def test_softmax_ce_grad_with_a_label_distribution(seed):
    rng = np.random.default_rng(50 + seed)
    o = rng.normal(size=3)
    y = rng.dirichlet(np.ones(3))
    np.testing.assert_allclose(
        symbolic.softmax_ce_grad_value(o.tolist(), y.tolist()),
        solver.softmax_cross_entropy_grad(o, y),
        rtol=1e-10,
        atol=1e-12,
    )


def test_softmax_ce_grad_expression_is_softmax_minus_y():
    sp = pytest.importorskip("sympy")
    os_, ys = symbolic._ce_symbols(3)
    total = sp.Add(*(sp.exp(o) for o in os_))
    for j, g in enumerate(symbolic.softmax_ce_grad_expr(3)):
        assert sp.simplify(g - (sp.exp(os_[j]) / total - ys[j])) == 0


# Printing -----------------------------------------------------------------------------------------


def test_to_unicode():
    sp = pytest.importorskip("sympy")
    x, s = sp.Symbol("x"), sp.Symbol("σ", positive=True)
    assert symbolic.to_unicode(x**2) == "x²"
    assert symbolic.to_unicode(sp.log(2 * sp.pi * s**2)) == "log(2πσ²)"
    assert symbolic.to_unicode(x**2 / (2 * s**2)) == "x²/(2σ²)"
    assert symbolic.to_unicode(x - 1) == "x − 1"
    text = symbolic.to_unicode(sp.exp(-(x**2) / (2 * s**2)) / sp.sqrt(2 * sp.pi * s**2))
    assert "\n" not in text and "**" not in text and "*" not in text and "\\" not in text
