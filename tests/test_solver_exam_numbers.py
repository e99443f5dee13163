"""The answer key's numbers, reproduced by the solver, and how the tutor writes numbers."""

import dataclasses

import numpy as np
import pytest

from tutor.solver import (
    Step,
    Traced,
    bottleneck_params,
    conv_output_size,
    conv_params,
    conv_transpose_output_size,
    format_array,
    format_number,
    half_squared_error,
    mlp_forward,
    pool2d,
    softmax,
    softmax_cross_entropy_grad,
    trace_bottleneck_params,
    trace_conv_params,
    trace_half_squared_error,
    trace_softmax_cross_entropy,
    two_layer_gradients,
)

# Question 5: w_ij from unit i below to unit j above; rows = i1, i2 (then h3, h4), cols = units.
Q5_X = [2.0, -1.0]
Q5_LAYERS = [
    ([[1.0, -0.5], [0.5, -1.0]], [0.5, -0.5], "relu"),
    ([[0.5, -1.0], [-0.5, 1.0]], [-1.0, 0.5], "identity"),
]
Q5_NAMES = {
    "inputs": ["i₁", "i₂"],
    "weights": [[["w₁₁", "w₁₂"], ["w₂₁", "w₂₂"]], [["w₃₁", "w₃₂"], ["w₄₁", "w₄₂"]]],
    "biases": [["b₁", "b₂"], ["b₃", "b₄"]],
    "pre": [["h₁", "h₂"], ["o₁", "o₂"]],
    "post": [["h₃", "h₄"], ["o₁", "o₂"]],
}
Q5_TARGETS = [1.0, 0.5]


def test_question_5_forward_pass():
    result = mlp_forward(Q5_X, Q5_LAYERS, names=Q5_NAMES)
    np.testing.assert_array_equal(result.pre[0], [2.0, -0.5])  # h1, h2
    np.testing.assert_array_equal(result.post[0], [2.0, 0.0])  # h3, h4
    np.testing.assert_array_equal(result.output, [0.0, -1.5])  # o1, o2
    values = {step.label: step.value for step in result.steps}
    assert values == {"h₁": 2.0, "h₂": -0.5, "h₃": 2.0, "h₄": 0.0, "o₁": 0.0, "o₂": -1.5}
    texts = [step.text() for step in result.steps]
    assert texts == [
        "h₁ = i₁·w₁₁ + i₂·w₂₁ + b₁ = 2×1 + (−1)×0.5 + 0.5 = 2",
        "h₂ = i₁·w₁₂ + i₂·w₂₂ + b₂ = 2×(−0.5) + (−1)×(−1) + (−0.5) = −0.5",
        "h₃ = max(0, h₁) = max(0, 2) = 2",
        "h₄ = max(0, h₂) = max(0, −0.5) = 0",
        "o₁ = h₃·w₃₁ + h₄·w₄₁ + b₃ = 2×0.5 + 0×(−0.5) + (−1) = 0",
        "o₂ = h₃·w₃₂ + h₄·w₄₂ + b₄ = 2×(−1) + 0×1 + 0.5 = −1.5",
    ]
    for step in result.steps:
        assert step.text().endswith(format_number(step.value))


def test_question_5_loss():
    output = mlp_forward(Q5_X, Q5_LAYERS).output
    assert half_squared_error(Q5_TARGETS, output) == 2.5
    traced = trace_half_squared_error(Q5_TARGETS, output)
    assert traced.output == 2.5
    assert traced.steps[-1].text() == (
        "E = ½(t₁ − o₁)² + ½(t₂ − o₂)² = 0.5×(1 − 0)² + 0.5×(0.5 − (−1.5))² = 0.5×1 + 0.5×4 = 2.5"
    )
    for step in traced.steps:
        assert format_number(step.value) in step.text()


def test_question_8_max_pooling():
    x = [[1, 3, 2, 4], [5, 6, 7, 8], [9, 2, 1, 5], [4, 3, 6, 7]]
    result = pool2d(x, size=2, stride=2)
    assert result.windows.reshape(4, 4).tolist() == [
        [1, 3, 5, 6],
        [2, 4, 7, 8],
        [9, 2, 4, 3],
        [1, 5, 6, 7],
    ]
    np.testing.assert_array_equal(result.output, [[6, 8], [9, 7]])
    assert [step.formula for step in result.steps[:4]] == [
        "max(1, 3, 5, 6)",
        "max(2, 4, 7, 8)",
        "max(9, 2, 4, 3)",
        "max(1, 5, 6, 7)",
    ]
    assert result.steps[0].text() == "window (row 1, col 1) = max(1, 3, 5, 6) = 6"
    assert result.steps[-1].text() == "output = [[6, 8], [9, 7]]"
    # the winning cells: 6 at (1, 1), 8 at (1, 3), 9 at (2, 0), 7 at (3, 3)
    assert result.winners.tolist() == [[[1, 1], [1, 3]], [[2, 0], [3, 3]]]


def test_question_9_parameter_counts():
    assert conv_params(32, 64, 3) == 18432
    assert bottleneck_params(32, 5, 64, 3) == 3040
    traced = trace_bottleneck_params(32, 5, 64, 3)
    assert [step.value for step in traced.steps[:3]] == [160, 2880, 3040]
    assert "32×3×3×64 = 18,432" in trace_conv_params(32, 64, 3).steps[0].text()
    assert "32×1×1×5 = 160" in traced.steps[0].text()
    assert "5×3×3×64 = 2,880" in traced.steps[1].text()
    assert traced.steps[2].text() == "total = 160 + 2,880 = 3,040"
    assert traced.steps[3].text().endswith("= 18,432 / 3,040 ≈ 6.06×")
    assert conv_params(32, 64, 3, bias=True) == 18496
    assert bottleneck_params(32, 5, 64, 3, bias=True) == 3109


def test_question_4c_gradient_is_softmax_minus_label():
    o = np.array([1.0, 2.0, 0.5, -1.0])
    y = np.array([0.0, 0.0, 1.0, 0.0])
    np.testing.assert_allclose(softmax_cross_entropy_grad(o, y), softmax(o) - y)
    np.testing.assert_allclose(trace_softmax_cross_entropy(o, y).output, softmax(o) - y)


def test_question_6_shapes_with_column_vectors():
    d_x, d_h, n_c = 5, 4, 3
    rng = np.random.default_rng(528)
    result = two_layer_gradients(
        x=rng.normal(size=(d_x, 1)),
        y=np.array([[0.0], [1.0], [0.0]]),
        W1=rng.normal(size=(d_h, d_x)),
        b1=rng.normal(size=(d_h, 1)),
        W2=rng.normal(size=(n_c, d_h)),
        b2=rng.normal(size=(n_c, 1)),
    )
    shapes = [result[key].shape for key in ("W2", "b2", "W1", "b1", "x")]
    assert shapes == [(3, 4), (3, 1), (4, 5), (4, 1), (5, 1)]
    labels = [step.label for step in result.steps[2:]]
    assert labels == [
        "∂J/∂W₂ (n_c×d_h = 3×4)",
        "∂J/∂b₂ (n_c×1 = 3×1)",
        "∂J/∂W₁ (d_h×d_x = 4×5)",
        "∂J/∂b₁ (d_h×1 = 4×1)",
        "∂J/∂x (d_x×1 = 5×1)",
    ]


def test_question_7_output_sizes():
    assert conv_output_size(n=32, kernel=3, padding=1, stride=1) == 32
    assert conv_output_size(n=32, kernel=3, padding=1, stride=2) == 16
    assert conv_transpose_output_size(n=16, kernel=4, stride=2, padding=1) == 32


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (2.0, "2"),
        (-1.5, "−1.5"),
        (0.3333333, "0.3333"),
        (18432, "18,432"),
        (18432.0, "18,432"),
        (-0.0, "0"),
        (0, "0"),
        (-7, "−7"),
        (np.int64(3040), "3,040"),
        (np.float32(0.5), "0.5"),
        (np.float64(2.5), "2.5"),
        (0.99999, "1"),
        (1.23456e-6, "1.235×10⁻⁶"),
        (1e-15, "0"),
        (2.5e20, "2.5×10²⁰"),
        (float("-inf"), "−∞"),
        (float("nan"), "NaN"),
    ],
)
def test_format_number(number, text):
    assert format_number(number) == text


def test_format_number_keeps_ints_as_ints():
    assert format_number(5) == "5" and format_number(5.0) == "5" and format_number(5.25) == "5.25"


def test_format_array_and_step_text():
    assert format_array(np.array([[6.0, 8.0], [9.0, 7.0]])) == "[[6, 8], [9, 7]]"
    assert format_array([-1.5, 0.25]) == "[−1.5, 0.25]"
    assert Step("h₃", "max(0, 2)", 2.0, "max(0, h₁)").text() == "h₃ = max(0, h₁) = max(0, 2) = 2"
    assert Step("output", "", np.array([[6, 8], [9, 7]])).text() == "output = [[6, 8], [9, 7]]"
    assert Step("a", "1.5", 1.5).text() == "a = 1.5"  # a formula equal to its value is not repeated


def test_steps_and_traced_results_are_frozen():
    data = np.array([1.0, 2.0])
    step = Step("v", "", data)
    data[0] = 99.0  # the step kept its own copy
    assert step.value[0] == 1.0
    with pytest.raises(ValueError):
        step.value[0] = 3.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        step.label = "w"
    traced = Traced(output=np.float64(2.0), steps=[step])
    assert traced.output == 2.0 and type(traced.output) is float
    assert isinstance(traced.steps, tuple)
    assert np.asarray(traced, dtype=int).tolist() == 2
