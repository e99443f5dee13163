"""pool2d against a plain-loop reference, and every way to call it wrongly."""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tutor.solver import PoolResult, pool2d


def reference_pool(x, size, stride, padding, mode):
    """Pooling with plain loops: pad explicitly, then visit the windows top-left to bottom-right.

    Max pooling pads with -inf and keeps the first strictly larger cell met row by row; average
    pooling pads with 0 and divides by size*size. Returns (output, winners) as nested lists.
    """
    n, m = len(x), len(x[0])
    fill = -math.inf if mode == "max" else 0.0
    rows, cols = n + 2 * padding, m + 2 * padding
    padded = [[fill] * cols for _ in range(rows)]
    for i in range(n):
        for j in range(m):
            padded[i + padding][j + padding] = float(x[i][j])
    output, winners = [], []
    top = 0
    while top + size <= rows:
        out_row, win_row = [], []
        left = 0
        while left + size <= cols:
            cells = [
                (padded[top + a][left + b], top + a, left + b)
                for a in range(size)
                for b in range(size)
            ]
            if mode == "max":
                best = cells[0]
                for cell in cells[1:]:
                    if cell[0] > best[0]:
                        best = cell
                out_row.append(best[0])
                win_row.append((best[1] - padding, best[2] - padding))
            else:
                out_row.append(sum(value for value, _, _ in cells) / (size * size))
                win_row.append((-1, -1))
            left += stride
        output.append(out_row)
        winners.append(win_row)
        top += stride
    return output, winners


@st.composite
def pooling_cases(draw):
    n = draw(st.integers(1, 7))
    m = draw(st.integers(1, 7))
    size = draw(st.integers(1, 5))
    padding = draw(st.integers(0, size // 2))
    assume(size <= min(n, m) + 2 * padding)
    stride = draw(st.integers(1, 4))
    mode = draw(st.sampled_from(["max", "avg"]))
    # small integers make ties common, so "first maximum" is really tested
    cells = draw(st.lists(st.integers(-9, 9), min_size=n * m, max_size=n * m))
    x = np.array(cells, dtype=float).reshape(n, m)
    return x, size, stride, padding, mode


@settings(deadline=None, max_examples=300)
@given(pooling_cases())
def test_pool2d_matches_the_loop_reference(case):
    x, size, stride, padding, mode = case
    result = pool2d(x, size=size, stride=stride, padding=padding, mode=mode)
    expected, expected_winners = reference_pool(x.tolist(), size, stride, padding, mode)

    np.testing.assert_allclose(result.output, np.array(expected), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(result.winners, np.array(expected_winners))

    n, m = x.shape
    oh = (n + 2 * padding - size) // stride + 1
    ow = (m + 2 * padding - size) // stride + 1
    assert result.output.shape == (oh, ow)
    assert result.windows.shape == (oh, ow, size, size)
    assert result.origins.shape == result.winners.shape == (oh, ow, 2)
    assert result.padded.shape == (n + 2 * padding, m + 2 * padding)
    assert len(result.steps) == oh * ow + 1


@settings(deadline=None, max_examples=200)
@given(pooling_cases())
def test_windows_origins_and_winners_agree_with_the_input(case):
    x, size, stride, padding, mode = case
    result = pool2d(x, size, stride, padding, mode)
    oh, ow = result.output.shape
    rows, cols = np.meshgrid(np.arange(oh), np.arange(ow), indexing="ij")
    np.testing.assert_array_equal(result.origins[..., 0], rows * stride)
    np.testing.assert_array_equal(result.origins[..., 1], cols * stride)
    for i in range(oh):
        for j in range(ow):
            r, c = result.origins[i, j]
            np.testing.assert_array_equal(
                result.windows[i, j], result.padded[r : r + size, c : c + size]
            )
    if mode == "max":
        # each winner is a real cell of the input and holds its window's maximum
        assert (result.winners >= 0).all()
        won = x[result.winners[..., 0], result.winners[..., 1]]
        np.testing.assert_array_equal(won, result.output)
        np.testing.assert_array_equal(result.output, result.windows.max(axis=(2, 3)))
    else:
        assert (result.winners == -1).all()
        np.testing.assert_allclose(result.output, result.windows.sum(axis=(2, 3)) / size**2)
    # the window steps carry the output values in row-major order
    values = [step.value for step in result.steps[:-1]]
    np.testing.assert_allclose(values, result.output.ravel())


def test_stride_defaults_to_the_window_size():
    x = np.arange(36.0).reshape(6, 6)
    np.testing.assert_array_equal(pool2d(x, 3).output, pool2d(x, 3, stride=3).output)
    assert pool2d(x, 3).output.shape == (2, 2)


def test_max_padding_never_wins_and_average_padding_counts_as_zero():
    x = np.array([[-5.0, -6.0], [-7.0, -8.0]])
    padded_max = pool2d(x, size=2, stride=1, padding=1, mode="max")
    assert (padded_max.output < 0).all()  # −∞ padding loses even to negative cells
    np.testing.assert_array_equal(padded_max.output, [[-5, -5, -6], [-5, -5, -6], [-7, -7, -8]])
    assert np.isneginf(padded_max.windows[0, 0, 0, 0])
    np.testing.assert_array_equal(padded_max.winners[0, 0], [0, 0])

    padded_avg = pool2d([[4.0]], size=3, padding=1, mode="avg")
    assert padded_avg.output.tolist() == [[4.0 / 9.0]]
    assert padded_avg.windows[0, 0, 0, 0] == 0.0
    assert "(0 + 0 + 0 + 0 + 4 + 0 + 0 + 0 + 0)/9" in padded_avg.steps[0].formula


def test_first_maximum_in_row_major_order_wins_ties():
    result = pool2d([[7, 1], [7, 7]], size=2)
    assert result.winners[0, 0].tolist() == [0, 0]
    result = pool2d([[1, 7], [7, 7]], size=2)
    assert result.winners[0, 0].tolist() == [0, 1]


def test_average_step_formula_and_negative_terms():
    result = pool2d([[1, -3], [5, 6]], size=2, mode="avg")
    assert result.steps[0].formula == "avg(1, −3, 5, 6) = (1 + (−3) + 5 + 6)/4"
    assert (
        result.steps[0].text()
        == "window (row 1, col 1) = avg(1, −3, 5, 6) = (1 + (−3) + 5 + 6)/4 = 2.25"
    )
    assert result.steps[-1].label == "output"


def test_result_is_frozen_and_arrays_are_read_only():
    result = pool2d(np.ones((4, 4)))
    assert isinstance(result, PoolResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.output = None
    for array in (result.output, result.windows, result.winners, result.origins, result.padded):
        with pytest.raises(ValueError):
            array[(0,) * array.ndim] = 1
    np.testing.assert_array_equal(np.asarray(result), result.output)


def test_integer_types_from_numpy_are_accepted():
    result = pool2d(
        np.ones((4, 4), dtype=np.int32), size=np.int64(2), stride=np.int32(1), padding=np.int8(1)
    )
    assert result.output.shape == (5, 5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"x": [1.0, 2.0, 3.0]}, "2-D"),
        ({"x": np.ones((2, 2, 2))}, "2-D"),
        ({"x": [[1.0, float("nan")], [1.0, 2.0]]}, "not a finite number"),
        ({"x": [[1.0, float("inf")], [1.0, 2.0]]}, "not a finite number"),
        ({"x": [[1.0, 2.0], [3.0]]}, "rectangular"),
        ({"x": [["a", "b"], ["c", "d"]]}, "numbers only"),
        ({"x": np.zeros((0, 3))}, "empty"),
        (
            {"x": np.ones((2, 2)), "size": 3},
            r"pooling window 3 is larger than the padded input 2×2",
        ),
        ({"x": np.ones((2, 5)), "size": 3, "padding": 0}, "larger than the padded input 2×5"),
        ({"x": np.ones((4, 4)), "size": 0}, "at least 1"),
        ({"x": np.ones((4, 4)), "stride": 0}, "stride must be at least 1"),
        ({"x": np.ones((4, 4)), "stride": -2}, "stride must be at least 1"),
        ({"x": np.ones((4, 4)), "padding": -1}, "must not be negative"),
        ({"x": np.ones((4, 4)), "size": 2, "padding": 2}, "more than half"),
        ({"x": np.ones((4, 4)), "size": 3, "padding": 2}, "more than half"),
        ({"x": np.ones((4, 4)), "mode": "min"}, "unknown pooling mode"),
        ({"x": np.ones((4, 4)), "mode": None}, "unknown pooling mode"),
        ({"x": np.ones((4, 4)), "size": 2.0}, "whole number"),
        ({"x": np.ones((4, 4)), "size": True}, "whole number"),
        ({"x": np.ones((4, 4)), "stride": 1.5}, "whole number"),
        ({"x": np.ones((4, 4)), "padding": False}, "whole number"),
    ],
)
def test_bad_input_raises_a_plain_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        pool2d(**kwargs)
