"""Every sum a worked computation shows adds up as shown: the terms, rounded as displayed, give the
total displayed (the trace of question 2 once read 2.7568 + 0.1562 = 2.9131). Checked on the exam's
numbers and on random ones, for each trace that writes a sum: the NLL, E, Σ exp, the forward pass
and average pooling."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.solver import mlp_forward, pool2d, trace_gaussian_nll, trace_half_squared_error, trace_softmax_cross_entropy
from tutor.solver._steps import MINUS, consistent_decimals, format_number, format_value


def number(text: str) -> Decimal:
    return Decimal(text.strip().strip("()").replace(MINUS, "-").replace(",", ""))


def shown_sum(expression: str) -> tuple[Decimal, int]:
    """The exact value of "a×b + (−c)×d + e" as displayed, and the most decimals among its numbers."""
    total, decimals = Decimal(0), 0
    for term in expression.split(" + "):
        product = Decimal(1)
        for factor in term.split("×"):
            value = number(factor)
            decimals = max(decimals, -value.as_tuple().exponent)
            product *= value
        total += product
    return total, decimals


def adds_up(expression: str, value_text: str, divisor: int = 1) -> bool:
    """The terms as shown, added (and divided), rounded as the total is shown (4 decimals), give it."""
    if " ≈ " in expression:  # said to be approximate: the step does not claim equality
        return True
    total = number(value_text)
    step = Decimal(1).scaleb(-4)
    return (shown_sum(expression)[0] / divisor).quantize(step, ROUND_HALF_UP) == total.quantize(step, ROUND_HALF_UP)


def plain(text: str) -> bool:
    """Numbers written with decimals (not "1.2×10⁻⁵"), which is what the check reads."""
    return "10" not in text.replace("10,", "") or "×10" not in text


def test_the_exams_nll_adds_up():
    traced = trace_gaussian_nll([3.0, 1.0, 2.5], [[1.0, 2.0], [0.0, 1.0], [2.0, 0.5]], [1.0, 0.5], 0.5, 1.0)
    total = traced.steps[-1]
    assert total.text().endswith("= 2.7568 + 0.1563 = 2.9131")
    assert adds_up(total.formula, format_value(total.value))


def test_half_up_rounding_as_a_reader_rounds():
    assert format_number(0.15625) == "0.1563"
    assert format_number(2.675, 2) == "2.68"
    assert format_number(-0.15625) == MINUS + "0.1563"
    assert format_number(18432) == "18,432" and format_number(2.5) == "2.5"


def test_consistent_decimals_adds_decimals_only_when_needed():
    assert consistent_decimals([[1.0], [2.0]], 3.0) == 4
    assert consistent_decimals([[0.00004], [0.00004]], 0.00008) == 5  # 0.0000 + 0.0000 ≠ 0.0001
    assert consistent_decimals([[0.127436875, 2.5]], 0.3185921875) == 5  # 0.12744×2.5 = 0.3186
    assert consistent_decimals([[float("nan")]], 1.0) is None


tenths = st.integers(-30, 30).map(lambda k: k / 10)
values = st.floats(-5, 5, allow_nan=False).map(lambda v: round(v, 5))


@settings(deadline=None, max_examples=150)
@given(st.integers(1, 4), st.data())
def test_the_nll_total_adds_up(n, data):
    X = data.draw(st.lists(st.lists(values, min_size=2, max_size=2), min_size=n, max_size=n))
    y = data.draw(st.lists(values, min_size=n, max_size=n))
    w = data.draw(st.lists(values, min_size=2, max_size=2))
    b, sigma = data.draw(values), data.draw(st.sampled_from([0.5, 1.0, 1.5, 2.0, 0.3]))
    step = trace_gaussian_nll(y, X, w, b, sigma).steps[-1]
    if plain(step.text()):
        assert adds_up(step.formula, format_value(step.value)), step.text()


@settings(deadline=None, max_examples=150)
@given(st.lists(values, min_size=2, max_size=2), st.lists(values, min_size=2, max_size=2))
def test_the_half_squared_error_adds_up(t, o):
    steps = trace_half_squared_error(t, o).steps
    for step in steps:
        reduced = step.formula.split(" = ")[-1] if " ≈ " not in step.formula else step.formula
        if plain(step.text()):
            assert adds_up(reduced, format_value(step.value)), step.text()


@settings(deadline=None, max_examples=150)
@given(st.lists(values, min_size=3, max_size=3))
def test_the_sum_of_exponentials_adds_up(o):
    step = trace_softmax_cross_entropy(o, [0.0, 1.0, 0.0]).steps[0]
    terms = step.formula.split(" = ", 1)[-1]
    if plain(step.text()):
        assert adds_up(terms, format_value(step.value)), step.text()


@settings(deadline=None, max_examples=150)
@given(st.lists(values, min_size=2, max_size=2), st.lists(values, min_size=12, max_size=12))
def test_each_unit_of_the_forward_pass_adds_up(x, numbers):
    W1, b1 = np.reshape(numbers[:4], (2, 2)), numbers[4:6]
    W2, b2 = np.reshape(numbers[6:10], (2, 2)), numbers[10:12]
    result = mlp_forward(x, [(W1, b1, "relu"), (W2, b2, "identity")])
    for step in result.steps:
        if "max(" not in step.formula and plain(step.text()):
            assert adds_up(step.formula, format_value(step.value)), step.text()


@settings(deadline=None, max_examples=100)
@given(st.lists(st.lists(values, min_size=4, max_size=4), min_size=4, max_size=4))
def test_average_pooling_adds_up(x):
    result = pool2d(np.array(x), 2, 2, 0, "avg")
    for step in result.steps[:-1]:
        if " ≈ " in step.formula:
            continue  # said to be approximate (the terms' float noise decides a half)
        summed = step.formula.split(" = ", 1)[1]
        inside, divisor = summed.rsplit("/", 1)
        if plain(step.text()):
            assert adds_up(inside.strip("()"), format_value(step.value), int(divisor)), step.text()
