"""activation_curves and gradient_through_layers against math-module references and finite differences."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tutor.solver import activation_curves, format_number, format_product, gradient_through_layers

# Independent references: the math module, one number at a time.
REFERENCE = {
    "sigmoid": lambda z: 1.0 / (1.0 + math.exp(-z)),
    "tanh": math.tanh,
    "relu": lambda z: max(0.0, z),
}


def central_difference(f, z, h=1e-6):
    return (f(z + h) - f(z - h)) / (2 * h)


def test_the_default_grid_is_minus_six_to_six_with_zero_on_it():
    curves = activation_curves()
    assert curves.names == ("sigmoid", "tanh", "relu")
    assert (curves.low, curves.high) == (-6.0, 6.0)
    assert curves.z.size == 49
    assert np.allclose(np.diff(curves.z), 0.25)
    assert 0.0 in curves.z.tolist()


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_values_are_the_math_modules(name):
    curves = activation_curves()
    expected = [REFERENCE[name](z) for z in curves.z.tolist()]
    assert np.allclose(curves.values[name], expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_derivatives_are_finite_differences_of_the_references(name):
    curves = activation_curves(points=61)
    for z, d in zip(curves.z.tolist(), curves.derivatives[name].tolist()):
        if name == "relu" and abs(z) < 1e-9:
            assert d == 0.0  # the kink: backpropagation takes ReLU′(0) = 0
            continue
        assert d == pytest.approx(central_difference(REFERENCE[name], z), abs=1e-6)


def test_where_each_derivative_peaks_and_how_small_it_is_at_the_ends():
    curves = activation_curves()
    assert curves.peak["sigmoid"] == (pytest.approx(0.25), 0.0)
    assert curves.peak["tanh"] == (pytest.approx(1.0), 0.0)
    assert curves.peak["relu"] == (1.0, 0.25)  # the first z > 0 on the grid
    s6 = REFERENCE["sigmoid"](6.0)
    assert curves.ends["sigmoid"] == (pytest.approx(s6 * (1 - s6)), pytest.approx(s6 * (1 - s6)))
    assert curves.ends["tanh"][0] == pytest.approx(1 - math.tanh(6.0) ** 2)
    assert curves.ends["relu"] == (0.0, 1.0)


def test_another_range_and_a_subset():
    curves = activation_curves(("relu",), low=-1, high=3, points=5)
    assert curves.names == ("relu",)
    assert curves.z.tolist() == [-1.0, 0.0, 1.0, 2.0, 3.0]
    assert curves.values["relu"].tolist() == [0.0, 0.0, 1.0, 2.0, 3.0]
    assert set(curves.values) == {"relu"}


def test_the_result_is_frozen():
    curves = activation_curves()
    with pytest.raises(ValueError):
        curves.z[0] = 1.0
    with pytest.raises(ValueError):
        curves.values["sigmoid"][0] = 1.0
    with pytest.raises(TypeError):
        curves.values["sigmoid"] = None
    with pytest.raises(AttributeError):
        curves.z = None


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"activations": ("swish",)}, "unknown activation"),
        ({"activations": ()}, "non-empty"),
        ({"activations": "relu"}, "non-empty list"),
        ({"activations": ("relu", "relu")}, "twice"),
        ({"low": 2, "high": 1}, "must be less than"),
        ({"low": 1, "high": 1}, "must be less than"),
        ({"low": float("nan")}, "not a finite number"),
        ({"points": 1}, "at least 2"),
        ({"points": 2.5}, "whole number"),
        ({"points": True}, "whole number"),
        ({"points": 10**6}, "at most"),
    ],
)
def test_bad_curves_input_is_a_plain_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        activation_curves(**kwargs)


def loop_product(name, z, n):
    factor = central_difference(REFERENCE[name], z)
    product = 1.0
    for _ in range(n):
        product *= factor
    return product


@pytest.mark.parametrize("z", [1.0, -0.5, 2.0, 3.5])
def test_products_through_layers_are_the_chain_rule_by_loops(z):
    result = gradient_through_layers(z, layers=12)
    assert result.z == z
    assert result.n.tolist() == list(range(1, 13))
    for name in ("sigmoid", "tanh", "relu"):
        expected = [loop_product(name, z, n) for n in range(1, 13)]
        assert np.allclose(result.output[name], expected, rtol=1e-5, atol=1e-12)
        assert result.factors[name] == pytest.approx(central_difference(REFERENCE[name], z), abs=1e-6)


def test_the_sigmoid_gradient_vanishes_and_relu_keeps_it():
    result = gradient_through_layers(1.0, layers=10)
    sigmoid = result.output["sigmoid"]
    assert (np.diff(sigmoid) < 0).all()
    assert sigmoid[-1] < 0.25**10 < 1e-6
    assert result.output["relu"].tolist() == [1.0] * 10
    # a unit that is off passes nothing back
    assert gradient_through_layers(-1.0, layers=3).output["relu"].tolist() == [0.0] * 3


def test_steps_say_the_z_and_the_numbers():
    result = gradient_through_layers(1.0, layers=10)
    texts = [step.text() for step in result.steps]
    assert texts[0] == "after 10 σ layers at z = 1 = σ′(z)ⁿ = σ′(1)¹⁰ = 0.1966¹⁰ ≈ 8.632×10⁻⁸"
    assert texts[2].endswith("ReLU′(1)¹⁰ = 1¹⁰ ≈ 1")
    assert [step.value for step in result.steps] == [result.output[n][-1] for n in result.factors]


@given(st.floats(-20, 20), st.integers(1, 50))
def test_products_are_powers_of_the_factor(z, layers):
    result = gradient_through_layers(z, layers=layers)
    for name, factor in result.factors.items():
        assert 0.0 <= factor <= 1.0
        assert result.output[name][-1] == pytest.approx(factor**layers, rel=1e-9, abs=1e-300)


@pytest.mark.parametrize(
    "args, message",
    [
        ((float("inf"),), "not a finite number"),
        (("1",), "numbers only"),
        ((True,), "must be a number"),
        (([1.0, 2.0],), "single number"),
        ((1.0, 0), "at least 1"),
        ((1.0, 1.5), "whole number"),
        ((1.0, 5000), "at most"),
        ((1.0, 3, ("softplus",)), "unknown activation"),
    ],
)
def test_bad_layers_input_is_a_plain_value_error(args, message):
    with pytest.raises(ValueError, match=message):
        gradient_through_layers(*args)


@pytest.mark.parametrize(
    "x, text",
    [(0.0, "0"), (1.0, "1"), (0.1966, "0.1966"), (8.632e-8, "8.632×10⁻⁸"), (2.65e-20, "2.65×10⁻²⁰"),
     (-3e-15, "−3×10⁻¹⁵"), (1e-300, "1×10⁻³⁰⁰")],
)
def test_a_tiny_product_keeps_its_power_of_ten(x, text):
    assert format_product(x) == text
    if abs(x) >= 1e-12 or x == 0:
        assert format_product(x) == format_number(x)


def test_twenty_sigmoid_layers_are_not_written_as_zero():
    result = gradient_through_layers(2.0, layers=20)
    assert format_number(result.output["sigmoid"][-1]) == "0"  # the general rule calls it noise
    assert result.steps[0].text().endswith("≈ 2.65×10⁻²⁰")
