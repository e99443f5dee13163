"""Softmax, cross-entropy and the two-layer gradients against finite differences."""

import warnings
from collections.abc import Mapping

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tutor.solver import (
    GradientResult,
    cross_entropy,
    log_softmax,
    softmax,
    softmax_cross_entropy_grad,
    trace_softmax_cross_entropy,
    two_layer_gradients,
)

KEYS = ("W1", "b1", "W2", "b2", "x")


def numerical_gradient(f, value, eps=1e-6):
    """Central differences of the scalar f at value, entry by entry, in value's shape."""
    value = np.array(value, dtype=float)
    grad = np.zeros_like(value)
    for index in np.ndindex(value.shape):
        up, down = value.copy(), value.copy()
        up[index] += eps
        down[index] -= eps
        grad[index] = (f(up) - f(down)) / (2 * eps)
    return grad


def reference_log_softmax(o):
    m = o.max()
    return o - m - np.log(np.exp(o - m).sum())


REFERENCE_ACTIVATIONS = {
    "relu": lambda z: np.maximum(z, 0),
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": np.tanh,
    "identity": lambda z: z,
}


def reference_loss(x, y, W1, b1, W2, b2, activation):
    """J = −Σ y log softmax(W₂ act(W₁x + b₁) + b₂), written independently of the solver."""
    h = REFERENCE_ACTIVATIONS[activation](W1 @ np.ravel(x) + np.ravel(b1))
    z2 = W2 @ h + np.ravel(b2)
    return -(np.ravel(y) * reference_log_softmax(z2)).sum()


def labels(rng, n, one_hot):
    if one_hot:
        return np.eye(n)[rng.integers(n)]
    return rng.dirichlet(np.ones(n))


@st.composite
def two_layer_problems(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    d_x, d_h, n_c = draw(st.integers(1, 5)), draw(st.integers(1, 5)), draw(st.integers(2, 4))
    column = draw(st.booleans())
    activation = draw(st.sampled_from(sorted(REFERENCE_ACTIVATIONS)))
    shape = (lambda n: (n, 1)) if column else (lambda n: (n,))
    problem = {
        "x": rng.normal(size=shape(d_x)),
        "y": labels(rng, n_c, draw(st.booleans())).reshape(shape(n_c)),
        "W1": rng.normal(size=(d_h, d_x)),
        "b1": rng.normal(size=shape(d_h)),
        "W2": rng.normal(size=(n_c, d_h)),
        "b2": rng.normal(size=shape(n_c)),
    }
    if activation == "relu":
        # finite differences are meaningless at ReLU's kink
        z1 = problem["W1"] @ problem["x"].ravel() + problem["b1"].ravel()
        assume(np.abs(z1).min() > 1e-3)
    return problem, activation


@settings(deadline=None, max_examples=120)
@given(two_layer_problems())
def test_two_layer_gradients_match_finite_differences(case):
    problem, activation = case
    result = two_layer_gradients(**problem, activation=activation)
    assert result.loss == pytest.approx(reference_loss(**problem, activation=activation), rel=1e-10)
    for key in KEYS:

        def loss_at(value, key=key):
            return reference_loss(**{**problem, key: value}, activation=activation)

        expected = numerical_gradient(loss_at, problem[key])
        assert result[key].shape == problem[key].shape
        np.testing.assert_allclose(result[key], expected, rtol=1e-5, atol=1e-7, err_msg=key)


def test_gradient_shapes_are_those_of_question_6_with_columns_and_flat_vectors():
    rng = np.random.default_rng(6)
    d_x, d_h, n_c = 5, 4, 3
    W1, W2 = rng.normal(size=(d_h, d_x)), rng.normal(size=(n_c, d_h))
    columns = two_layer_gradients(
        rng.normal(size=(d_x, 1)),
        np.eye(n_c)[:, [1]],
        W1,
        np.zeros((d_h, 1)),
        W2,
        np.zeros((n_c, 1)),
    )
    assert {k: columns[k].shape for k in KEYS} == {
        "W2": (3, 4),
        "b2": (3, 1),
        "W1": (4, 5),
        "b1": (4, 1),
        "x": (5, 1),
    }
    flat = two_layer_gradients(
        rng.normal(size=d_x), np.eye(n_c)[1], W1, np.zeros(d_h), W2, np.zeros(n_c)
    )
    assert {k: flat[k].shape for k in KEYS} == {
        "W2": (3, 4),
        "b2": (3,),
        "W1": (4, 5),
        "b1": (4,),
        "x": (5,),
    }
    assert columns.delta1.shape == (1, 3) and columns.delta2.shape == (1, 4)
    assert columns.probabilities.shape == (3, 1) and flat.probabilities.shape == (3,)


def test_gradient_result_is_a_frozen_mapping_with_labelled_steps():
    result = two_layer_gradients(
        np.ones(5), [0, 0, 1], np.full((4, 5), 0.1), np.zeros(4), np.full((3, 4), 0.2), np.zeros(3)
    )
    assert isinstance(result, GradientResult) and isinstance(result, Mapping)
    assert set(result) == set(KEYS) and len(result) == 5
    assert dict(result) == result.output and isinstance(result.output, dict)
    labels_ = [step.label for step in result.steps]
    assert labels_[0].startswith("δ₁") and labels_[1].startswith("δ₂")
    assert "∂J/∂W₂ (n_c×d_h = 3×4)" in labels_
    assert "∂J/∂x (d_x = 5)" in labels_
    symbols = {step.label.split(" (")[0]: step.symbolic for step in result.steps}
    assert symbols == {
        "δ₁ = ∂J/∂z₂": "(ŷ − y)ᵀ",
        "δ₂ = ∂J/∂z₁": "δ₁ W₂ ∘ ReLU′(z₁)",
        "∂J/∂W₂": "δ₁ᵀ h₁ᵀ",
        "∂J/∂b₂": "δ₁ᵀ",
        "∂J/∂W₁": "δ₂ᵀ xᵀ",
        "∂J/∂b₁": "δ₂ᵀ",
        "∂J/∂x": "W₁ᵀ δ₂ᵀ",
    }
    with pytest.raises(ValueError):
        result["W1"][0, 0] = 1.0
    assert result.loss == pytest.approx(cross_entropy([0, 0, 1], np.full(3, 0.2 * 4 * 0.5)))
    np.testing.assert_allclose(result.probabilities, [1 / 3] * 3)


def test_relu_derivative_at_zero_is_zero():
    # z1 = (0, 1): the first hidden unit sits exactly on the kink and passes no gradient
    result = two_layer_gradients(
        [1.0], [1, 0], [[0.0], [1.0]], [0.0, 0.0], [[1.0, 2.0], [3.0, -1.0]], [0.0, 0.0]
    )
    assert (result["W1"][0] == 0).all() and result["b1"][0] == 0
    assert result["b1"][1] != 0


@settings(deadline=None, max_examples=150)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.booleans(), st.floats(0.1, 30))
def test_softmax_cross_entropy_grad_matches_finite_differences(seed, q, one_hot, scale):
    rng = np.random.default_rng(seed)
    o = rng.normal(size=q) * scale
    y = labels(rng, q, one_hot)
    grad = softmax_cross_entropy_grad(o, y)
    np.testing.assert_allclose(
        grad, numerical_gradient(lambda v: cross_entropy(y, v), o), rtol=1e-5, atol=1e-7
    )
    np.testing.assert_allclose(grad, softmax(o) - y)
    traced = trace_softmax_cross_entropy(o, y)
    np.testing.assert_array_equal(traced.output, grad)
    step_values = [
        step.value
        for step in traced.steps
        if step.label.startswith("∂l/∂o") and step.label != "∂l/∂o"
    ]
    np.testing.assert_allclose(step_values, grad)


@settings(deadline=None, max_examples=100)
@given(st.lists(st.floats(-50, 50), min_size=1, max_size=8), st.floats(-1000, 1000))
def test_softmax_is_a_distribution_and_ignores_shifts(o, shift):
    p = softmax(o)
    assert p.sum() == pytest.approx(1.0) and (p >= 0).all()
    np.testing.assert_allclose(softmax(np.array(o) + shift), p, rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(np.exp(log_softmax(o)), p, rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(log_softmax(o), reference_log_softmax(np.array(o)), atol=1e-12)


def test_large_logits_give_no_overflow_no_nan_and_no_warning():
    o = np.array([5000.0, -5000.0, 4990.0, 0.0])
    y = np.array([0.0, 1.0, 0.0, 0.0])
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        p = softmax(o)
        logp = log_softmax(o)
        loss = cross_entropy(y, o)
        grad = softmax_cross_entropy_grad(o, y)
        traced = trace_softmax_cross_entropy(o, y)
        batch = softmax(np.stack([o, -o]))
        gradients = two_layer_gradients(
            [1.0], y, [[1.0]], [0.0], [[5000.0], [-5000.0], [4990.0], [0.0]], [0.0] * 4
        )
        texts = [step.text() for step in traced.steps]
    for array in (p, logp, grad, batch, traced.output, *gradients.values()):
        assert np.isfinite(array).all()
    assert p.sum() == pytest.approx(1.0) and batch.sum(axis=1) == pytest.approx([1.0, 1.0])
    assert p[0] == pytest.approx(1 / (1 + np.exp(-10)))
    assert loss == pytest.approx(10000.0 + np.log1p(np.exp(-10)))
    assert logp[1] == pytest.approx(-10000.0 - np.log1p(np.exp(-10)))
    assert texts[0] == "m = maxₖ oₖ = max(5,000, −5,000, 4,990, 0) = 5,000"
    assert "NaN" not in " ".join(texts) and "∞" not in " ".join(texts)


def test_column_vectors_and_batches_follow_the_documented_axis_rule():
    o = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(softmax(o[:, None]), softmax(o)[:, None])
    batch = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    np.testing.assert_allclose(softmax(batch)[1], [1 / 3] * 3)
    y = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    expected = (cross_entropy(y[0], batch[0]) + cross_entropy(y[1], batch[1])) / 2
    assert cross_entropy(y, batch) == pytest.approx(expected)
    assert cross_entropy([[0.0], [1.0], [0.0]], o[:, None]) == pytest.approx(
        cross_entropy([0, 1, 0], o)
    )
    assert softmax_cross_entropy_grad(batch, y).shape == (2, 3)
    assert trace_softmax_cross_entropy(o[:, None], [[0.0], [1.0], [0.0]]).output.shape == (3, 1)


def test_trace_shows_the_exam_formulas():
    traced = trace_softmax_cross_entropy([1.0, 2.0, 0.5], [0, 1, 0])
    texts = [step.text() for step in traced.steps]
    assert texts[0].startswith("Σₖ exp(oₖ) = exp(1) + exp(2) + exp(0.5) = ")
    assert texts[1].startswith("ŷ₁ = exp(o₁)/Σₖ exp(oₖ) = exp(1)/")
    assert any(text.startswith("l = −Σⱼ yⱼ log ŷⱼ = −(") for text in texts)
    assert "∂l/∂o₂ = ŷ₂ − y₂ = 0.6285 − 1 = −0.3715" in texts
    assert texts[-1] == "∂l/∂o = softmax(o) − y = [0.2312, −0.3715, 0.1402]"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: softmax([float("nan"), 1.0]), "not a finite number"),
        (lambda: softmax([float("inf"), 1.0]), "not a finite number"),
        (lambda: softmax(np.ones((2, 2, 2))), "logits o must be a vector"),
        (lambda: softmax([]), "empty"),
        (lambda: log_softmax([[1.0, 2.0], [3.0]]), "rectangular"),
        (lambda: cross_entropy([0, 1], [1.0, 2.0, 3.0]), "differ in shape"),
        (lambda: cross_entropy([-0.5, 1.5], [1.0, 2.0]), "must not be negative"),
        (lambda: cross_entropy([1, 1], [1.0, 2.0]), "must sum to 1"),
        (lambda: cross_entropy([0, float("nan")], [1.0, 2.0]), "not a finite number"),
        (lambda: softmax_cross_entropy_grad([1.0, 2.0], [0.5, 0.4]), "must sum to 1"),
        (
            lambda: trace_softmax_cross_entropy(np.ones((2, 3)), np.full((2, 3), 1 / 3)),
            "one example",
        ),
        (
            lambda: two_layer_gradients(
                np.ones(3), [0, 1], np.ones((4, 2)), np.ones(4), np.ones((2, 4)), np.ones(2)
            ),
            "W1 has 2 columns but x has 3 entries",
        ),
        (
            lambda: two_layer_gradients(
                np.ones(2), [0, 1], np.ones((4, 2)), np.ones(3), np.ones((2, 4)), np.ones(2)
            ),
            "b1 has 3 entries",
        ),
        (
            lambda: two_layer_gradients(
                np.ones(2), [0, 1], np.ones((4, 2)), np.ones(4), np.ones((2, 3)), np.ones(2)
            ),
            "W2 has 3 columns",
        ),
        (
            lambda: two_layer_gradients(
                np.ones(2), [0, 0, 1], np.ones((4, 2)), np.ones(4), np.ones((2, 4)), np.ones(2)
            ),
            "y has 3 entries",
        ),
        (
            lambda: two_layer_gradients(
                np.ones((1, 2)), [0, 1], np.ones((4, 2)), np.ones(4), np.ones((2, 4)), np.ones(2)
            ),
            r"x must be a vector \(n,\) or a column",
        ),
        (
            lambda: two_layer_gradients(
                np.ones(2),
                [0, 1],
                np.ones((4, 2)),
                np.ones(4),
                np.ones((2, 4)),
                np.ones(2),
                activation="gelu",
            ),
            "unknown activation",
        ),
        (
            lambda: two_layer_gradients(
                np.ones(2), [0, 1], np.ones(4), np.ones(4), np.ones((2, 4)), np.ones(2)
            ),
            "W1 must be a matrix",
        ),
        (
            lambda: two_layer_gradients(
                np.ones(2), [0, 2], np.ones((4, 2)), np.ones(4), np.ones((2, 4)), np.ones(2)
            ),
            "must sum to 1",
        ),
        (
            lambda: two_layer_gradients(
                [1.0], [0, 1], [[1e300]], [0.0], [[1e300], [0.0]], [0.0, 0.0]
            ),
            "overflowed",
        ),
        (
            lambda: two_layer_gradients(
                [1.0, float("nan")],
                [0, 1],
                np.ones((4, 2)),
                np.ones(4),
                np.ones((2, 4)),
                np.ones(2),
            ),
            "not a finite number",
        ),
    ],
)
def test_bad_input_raises_a_plain_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
