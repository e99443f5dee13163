"""The Gaussian negative log-likelihood of question 2: the density, MSE, finite differences."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.solver import gaussian_nll, gaussian_nll_grad, mse, trace_gaussian_nll


def numerical_gradient(f, value, eps=1e-6):
    value = np.array(value, dtype=float)
    grad = np.zeros_like(value)
    for index in np.ndindex(value.shape):
        up, down = value.copy(), value.copy()
        up[index] += eps
        down[index] -= eps
        grad[index] = (f(up) - f(down)) / (2 * eps)
    return grad


@st.composite
def problems(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n, d = draw(st.integers(1, 8)), draw(st.integers(1, 4))
    X = rng.normal(size=(n, d))
    w = rng.normal(size=d)
    b = float(rng.normal())
    y = X @ w + b + rng.normal(size=n)
    sigma = draw(st.floats(0.2, 5.0))
    return y, X, w, b, sigma


@settings(deadline=None, max_examples=100)
@given(problems())
def test_nll_is_minus_the_log_of_the_normal_density(problem):
    y, X, w, b, sigma = problem
    density = [
        math.exp(-((yi - xi @ w - b) ** 2) / (2 * sigma**2)) / math.sqrt(2 * math.pi * sigma**2)
        for yi, xi in zip(y, X)
    ]
    expected = -sum(math.log(p) for p in density)
    assert gaussian_nll(y, X, w, b, sigma) == pytest.approx(expected, rel=1e-10)
    # with σ fixed it is a constant plus the mean squared error scaled by n/(2σ²)
    n = len(y)
    via_mse = n / 2 * math.log(2 * math.pi * sigma**2) + n * mse(y, X @ w + b) / (2 * sigma**2)
    assert gaussian_nll(y, X, w, b, sigma) == pytest.approx(via_mse, rel=1e-10)


@settings(deadline=None, max_examples=100)
@given(problems())
def test_nll_gradient_matches_finite_differences(problem):
    y, X, w, b, sigma = problem
    grad = gaussian_nll_grad(y, X, w, b, sigma)
    np.testing.assert_allclose(
        grad["w"],
        numerical_gradient(lambda v: gaussian_nll(y, X, v, b, sigma), w),
        rtol=1e-5,
        atol=1e-6,
    )
    numeric_b = numerical_gradient(lambda v: gaussian_nll(y, X, w, float(v), sigma), b)
    assert grad["b"] == pytest.approx(float(numeric_b), rel=1e-5, abs=1e-6)
    numeric_sigma = numerical_gradient(lambda v: gaussian_nll(y, X, w, b, float(v)), sigma)
    assert grad["sigma"] == pytest.approx(float(numeric_sigma), rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("sigma", [0.1, 1.0, 10.0])
def test_least_squares_minimises_the_nll_for_any_sigma(sigma):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(20, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.3 + rng.normal(size=20)
    solution, *_ = np.linalg.lstsq(np.column_stack([X, np.ones(20)]), y, rcond=None)
    grad = gaussian_nll_grad(y, X, solution[:3], solution[3], sigma)
    np.testing.assert_allclose(grad["w"], 0, atol=1e-9)
    assert grad["b"] == pytest.approx(0, abs=1e-9)


def test_trace_has_residuals_constant_squares_and_total():
    traced = trace_gaussian_nll([1.0, 3.0], [[1.0], [2.0]], [1.0], 0.5, 1.0)
    residuals, constant, squares, total = traced.steps
    np.testing.assert_allclose(residuals.value, [-0.5, 0.5])
    assert constant.value == pytest.approx(math.log(2 * math.pi))
    assert squares.value == pytest.approx(0.25)
    assert total.value == traced.output == pytest.approx(math.log(2 * math.pi) + 0.25)
    assert constant.symbolic == "n·½ log(2πσ²)" and constant.formula == "2×0.5×log(2π×1²)"
    assert total.text() == "−log P(y | X) = n·½ log(2πσ²) + Σᵢ rᵢ²/(2σ²) = 1.8379 + 0.25 = 2.0879"


def test_column_vectors_and_gradient_shape():
    grad = gaussian_nll_grad([[1.0], [2.0]], [[1.0, 0.0], [0.0, 1.0]], [[0.5], [0.5]], 0.0, 2.0)
    assert grad["w"].shape == (2, 1)
    assert gaussian_nll([[1.0], [2.0]], np.eye(2), [[0.5], [0.5]], 0.0, 2.0) == pytest.approx(
        gaussian_nll([1.0, 2.0], np.eye(2), [0.5, 0.5], 0.0, 2.0)
    )


def test_mse():
    assert mse([1.0, 2.0, 3.0], [1.0, 2.0, 5.0]) == pytest.approx(4 / 3)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: gaussian_nll([1.0], [[1.0]], [1.0], 0.0, 0.0), "sigma must be positive"),
        (lambda: gaussian_nll([1.0], [[1.0]], [1.0], 0.0, -1.0), "sigma must be positive"),
        (lambda: gaussian_nll([1.0], [[1.0]], [1.0], 0.0, float("nan")), "not a finite number"),
        (lambda: gaussian_nll([1.0], [[1.0]], [1.0], 0.0, True), "sigma must be a number"),
        (lambda: gaussian_nll([1.0], [[1.0]], [1.0], 0.0, [1.0, 2.0]), "single number"),
        (lambda: gaussian_nll([1.0], [[1.0]], [1.0], float("inf"), 1.0), "not a finite number"),
        (lambda: gaussian_nll([1.0], [1.0], [1.0], 0.0, 1.0), "X must be a matrix"),
        (
            lambda: gaussian_nll([1.0, 2.0], [[1.0]], [1.0], 0.0, 1.0),
            "y has 2 entries but X has 1 rows",
        ),
        (
            lambda: gaussian_nll([1.0], [[1.0]], [1.0, 2.0], 0.0, 1.0),
            "w has 2 entries but X has 1 columns",
        ),
        (lambda: gaussian_nll([1.0], [[1.0]], [[1.0, 2.0]], 0.0, 1.0), "w must be a vector"),
        (
            lambda: gaussian_nll_grad([1.0], [[float("nan")]], [1.0], 0.0, 1.0),
            "not a finite number",
        ),
        (lambda: trace_gaussian_nll([1.0], [[1.0]], [1.0], "b", 1.0), "numbers only"),
        (lambda: mse([1.0, 2.0], [1.0]), "differ in shape"),
        (lambda: mse([], []), "empty"),
    ],
)
def test_bad_input_raises_a_plain_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
