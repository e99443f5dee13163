"""mlp_forward, the activations and the half squared error against written-out arithmetic."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.solver import (
    ACTIVATIONS,
    ForwardResult,
    half_squared_error,
    mlp_forward,
    relu,
    sigmoid,
    tanh,
    trace_half_squared_error,
)

SCALAR_ACTIVATIONS = {
    "relu": lambda z: z if z > 0 else 0.0,
    "sigmoid": lambda z: 1.0 / (1.0 + math.exp(-z)),
    "tanh": math.tanh,
    "identity": lambda z: z,
}


def loop_forward(x, layers):
    """The forward pass unit by unit: z_j = Σ_i a_i w_ij + b_j, a_j = act(z_j)."""
    a = list(x)
    for W, b, activation in layers:
        z = [sum(a[i] * W[i][j] for i in range(len(a))) + b[j] for j in range(len(b))]
        a = [SCALAR_ACTIVATIONS[activation](value) for value in z]
    return a


@st.composite
def networks(draw):
    widths = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    values = st.floats(-3, 3, allow_nan=False)
    layers = []
    for n_in, n_out in zip(widths, widths[1:]):
        W = draw(
            st.lists(st.lists(values, min_size=n_out, max_size=n_out), min_size=n_in, max_size=n_in)
        )
        b = draw(st.lists(values, min_size=n_out, max_size=n_out))
        layers.append((W, b, draw(st.sampled_from(sorted(ACTIVATIONS)))))
    x = draw(st.lists(values, min_size=widths[0], max_size=widths[0]))
    return x, layers


@settings(deadline=None, max_examples=150)
@given(networks())
def test_forward_matches_unit_by_unit_loops(case):
    x, layers = case
    result = mlp_forward(x, layers)
    assert isinstance(result, ForwardResult)
    np.testing.assert_allclose(result.output, loop_forward(x, layers), rtol=1e-12, atol=1e-12)
    assert len(result.pre) == len(result.post) == len(layers)
    for z, a, (_, _, activation) in zip(result.pre, result.post, layers):
        np.testing.assert_allclose(a, [SCALAR_ACTIVATIONS[activation](v) for v in z], atol=1e-12)
    # one step per unit for z, one more per unit for each non-identity activation
    expected_steps = sum(
        len(b) * (1 if activation == "identity" else 2) for _, b, activation in layers
    )
    assert len(result.steps) == expected_steps
    units = [step.value for step in result.steps]
    for z in result.pre:
        for value in z:
            assert any(value == unit for unit in units)


@settings(deadline=None, max_examples=50)
@given(networks(), st.integers(1, 4))
def test_a_batch_is_every_row_run_alone(case, rows):
    x, layers = case
    batch = np.array([np.array(x) * (k + 1) for k in range(rows)])
    result = mlp_forward(batch, layers)
    assert result.steps == ()
    for k in range(rows):
        np.testing.assert_allclose(
            result.output[k], mlp_forward(batch[k], layers).output, atol=1e-12
        )


def test_steps_use_default_names_and_substitute_negatives_in_parentheses():
    result = mlp_forward([2.0, -1.0], [([[1.0], [0.5]], [0.5], "sigmoid")])
    z, a = result.steps
    assert z.label == "z⁽¹⁾₁"
    assert z.symbolic == "x₁·w⁽¹⁾₁₁ + x₂·w⁽¹⁾₂₁ + b⁽¹⁾₁"
    assert z.formula == "2×1 + (−1)×0.5 + 0.5"
    assert a.label == "a⁽¹⁾₁" and a.symbolic == "σ(z⁽¹⁾₁)" and a.formula == "1/(1 + exp(−2))"
    assert a.text().endswith("= 0.8808")


def test_identity_layers_keep_their_pre_activation_names():
    result = mlp_forward([1.0], [([[2.0]], [0.0], "identity"), ([[3.0]], [0.0], "tanh")])
    assert [step.label for step in result.steps] == ["z⁽¹⁾₁", "z⁽²⁾₁", "a⁽²⁾₁"]
    assert result.steps[1].symbolic == "z⁽¹⁾₁·w⁽²⁾₁₁ + b⁽²⁾₁"


def test_two_digit_indices_are_separated():
    result = mlp_forward(np.ones(10), [(np.ones((10, 1)), [0.0], "identity")])
    assert "w⁽¹⁾₁₀,₁" in result.steps[0].symbolic


def test_partial_names_fill_in_the_rest():
    names = {"inputs": ["i₁", "i₂"], "pre": [["h₁"]]}
    result = mlp_forward([1.0, 2.0], [([[1.0], [1.0]], [0.0], "relu")], names=names)
    assert result.steps[0].symbolic == "i₁·w⁽¹⁾₁₁ + i₂·w⁽¹⁾₂₁ + b⁽¹⁾₁"
    assert result.steps[1].label == "a⁽¹⁾₁" and result.steps[1].symbolic == "max(0, h₁)"


def test_results_are_read_only():
    result = mlp_forward([1.0, 2.0], [([[1.0], [1.0]], [0.0], "relu")])
    for array in (result.output, result.pre[0], result.post[0], result.steps[0].value):
        if isinstance(array, np.ndarray):
            with pytest.raises(ValueError):
                array[0] = 5.0


def test_activations_are_stable_and_exact_at_the_edges():
    z = np.array([-5000.0, -30.0, 0.0, 30.0, 5000.0])
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(z)
        t = tanh(z)
        r = relu(z)
    assert np.isfinite(s).all() and s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5
    np.testing.assert_allclose(s[1:4], 1 / (1 + np.exp(-z[1:4])))
    np.testing.assert_allclose(t, np.tanh(z))
    np.testing.assert_array_equal(r, [0, 0, 0, 30, 5000])
    assert sigmoid(0.0) == 0.5 and relu(-1.0) == 0.0
    assert set(ACTIVATIONS) == {"relu", "sigmoid", "tanh", "identity"}


@settings(deadline=None, max_examples=100)
@given(st.lists(st.floats(-100, 100), min_size=1, max_size=6), st.data())
def test_half_squared_error_is_half_the_sum_of_squares(t, data):
    o = data.draw(st.lists(st.floats(-100, 100), min_size=len(t), max_size=len(t)))
    expected = 0.5 * sum((a - b) ** 2 for a, b in zip(t, o))
    assert half_squared_error(t, o) == pytest.approx(expected, rel=1e-12, abs=1e-12)
    traced = trace_half_squared_error(t, o)
    assert traced.output == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert len(traced.steps) == len(t) + 1
    assert sum(step.value for step in traced.steps[:-1]) == pytest.approx(
        expected, rel=1e-9, abs=1e-9
    )


def test_half_squared_error_accepts_names():
    traced = trace_half_squared_error([1.0], [0.0], names={"targets": ["y"], "outputs": ["ŷ"]})
    assert traced.steps[-1].symbolic == "½(y − ŷ)²"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: mlp_forward([1.0, 2.0], [([[1.0], [1.0]], [0.0], "softplus")]),
            "unknown activation 'softplus'",
        ),
        (lambda: mlp_forward([1.0, 2.0], [([[1.0], [1.0]], [0.0], None)]), "unknown activation"),
        (
            lambda: mlp_forward([1.0, 2.0], [([[1.0]], [0.0], "relu")]),
            "has 1 rows but its input has 2 units",
        ),
        (lambda: mlp_forward([1.0, 2.0], [([[1.0], [1.0]], [0.0, 1.0], "relu")]), "gives 1 units"),
        (
            lambda: mlp_forward([1.0, 2.0], [([1.0, 1.0], [0.0], "relu")]),
            "W of layer 1 must be a 2-D matrix",
        ),
        (
            lambda: mlp_forward([1.0, float("nan")], [([[1.0], [1.0]], [0.0], "relu")]),
            "not a finite number",
        ),
        (
            lambda: mlp_forward([1.0, 2.0], [([[1.0], [float("inf")]], [0.0], "relu")]),
            "W of layer 1 contains ∞",
        ),
        (
            lambda: mlp_forward([1.0, 2.0], [([[1.0], [1.0]], [float("-inf")], "relu")]),
            "not a finite number",
        ),
        (
            lambda: mlp_forward(np.ones((1, 1, 2)), [([[1.0], [1.0]], [0.0], "relu")]),
            "x must be a vector",
        ),
        (lambda: mlp_forward([1.0], []), "non-empty sequence"),
        (lambda: mlp_forward([1.0], [([[1.0]], [0.0])]), "triple"),
        (
            lambda: mlp_forward([1.0], [([[1e300]], [0.0], "relu"), ([[1e300]], [0.0], "relu")]),
            "overflowed",
        ),
        (
            lambda: mlp_forward([1.0], [([[1.0]], [0.0], "relu")], names={"hidden": []}),
            "unknown name group",
        ),
        (
            lambda: mlp_forward([1.0], [([[1.0]], [0.0], "relu")], names={"inputs": ["a", "b"]}),
            "shape 1",
        ),
        (
            lambda: mlp_forward([1.0], [([[1.0]], [0.0], "relu")], names={"pre": ["h"]}),
            "names for pre",
        ),
        (lambda: half_squared_error([1.0, 2.0], [1.0]), "differ in shape"),
        (lambda: half_squared_error([1.0, float("nan")], [1.0, 2.0]), "not a finite number"),
        (lambda: trace_half_squared_error([1.0], [2.0], names={"t": ["x"]}), "unknown name group"),
        (lambda: sigmoid([float("nan")]), "not a finite number"),
    ],
)
def test_bad_input_raises_a_plain_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
