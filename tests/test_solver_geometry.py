"""Convolution, transposed-convolution and pooling geometry against brute-force loops."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.solver import (
    conv_geometry,
    conv_output_size,
    conv_transpose_geometry,
    conv_transpose_output_size,
    pool2d,
    pool_windows,
    window_cells,
)

POOL_X = [[1, 3, 2, 4], [5, 6, 7, 8], [9, 2, 1, 5], [4, 3, 6, 7]]


def loop_positions(n, k, s, p):
    """Every top-left corner where the kernel fits inside the padded input, s apart, row-major."""
    side = n + 2 * p
    starts = [r for r in range(side) if r % s == 0 and r + k <= side]
    return [(r, c) for r in starts for c in starts]


def loop_coverage(n, k, s, p):
    side = n + 2 * p
    counts = [[0] * side for _ in range(side)]
    for r, c in loop_positions(n, k, s, p):
        for a in range(k):
            for b in range(k):
                counts[r + a][c + b] += 1
    return counts


@st.composite
def conv_cases(draw):
    n = draw(st.integers(1, 12))
    p = draw(st.integers(0, 3))
    k = draw(st.integers(1, n + 2 * p))
    s = draw(st.integers(1, 5))
    return n, k, s, p


@settings(max_examples=150, deadline=None)
@given(conv_cases())
def test_conv_geometry_is_the_brute_force_layout(case):
    n, k, s, p = case
    g = conv_geometry(n, k, s, p)
    positions = loop_positions(n, k, s, p)
    assert [tuple(x) for x in g.positions.tolist()] == positions
    assert g.output == conv_output_size(n, k, s, p)
    assert g.output**2 == len(positions)
    assert g.padded_size == n + 2 * p
    assert g.coverage.tolist() == loop_coverage(n, k, s, p)
    ring = [[not (p <= r < n + p and p <= c < n + p) for c in range(n + 2 * p)] for r in range(n + 2 * p)]
    assert g.padding_mask.tolist() == ring
    for (r, c), cells in zip(positions, g.cells.tolist()):
        assert [tuple(x) for row in cells for x in row] == [(r + a, c + b) for a in range(k) for b in range(k)]


def test_the_exam_settings_of_question_7():
    same = conv_geometry(6, 3, 1, 1)
    assert (same.output, same.padded_size) == (6, 8)
    assert same.coverage.min() == 1 and same.coverage.max() == 9
    assert [s.text() for s in same.steps] == [
        "padded input = n + 2p = 6 + 2×1 = 8",
        "output size = ⌊(n + 2p − k)/s⌋ + 1 = ⌊(6 + 2×1 − 3)/1⌋ + 1 = ⌊5/1⌋ + 1 = 5 + 1 = 6",
    ]
    strided = conv_geometry(6, 4, 2, 1)
    assert strided.output == 3
    assert strided.positions.tolist() == [[r, c] for r in (0, 2, 4) for c in (0, 2, 4)]


def test_a_stride_can_leave_the_last_cells_unread():
    g = conv_geometry(5, 2, 2, 0)
    assert g.output == 2
    assert g.coverage[4].tolist() == [0] * 5 and g.coverage[:, 4].tolist() == [0] * 5
    assert (g.coverage[:4, :4] == 1).all()


def brute_conv(image, kernel, s, p):
    """Plain convolution (cross-correlation) of a square image with zero padding p and stride s."""
    n, k = len(image), len(kernel)
    side = n + 2 * p
    padded = [[0.0] * side for _ in range(side)]
    for i in range(n):
        for j in range(n):
            padded[i + p][j + p] = image[i][j]
    starts = [r for r in range(0, side - k + 1, s)]
    return [
        [sum(padded[r + a][c + b] * kernel[a][b] for a in range(k) for b in range(k)) for c in starts]
        for r in starts
    ]


def transposed_by_geometry(x, kernel, g):
    """The transposed convolution as the picture draws it: each x[i, j]·kernel added at its cells,
    then the kept cells read out."""
    grid = np.zeros((g.grid_size, g.grid_size))
    for i in range(g.n):
        for j in range(g.n):
            cells = g.cells[i, j].reshape(-1, 2)
            grid[cells[:, 0], cells[:, 1]] += x[i][j] * np.asarray(kernel).ravel()
    return grid[g.kept].reshape(g.output, g.output)


@st.composite
def transpose_cases(draw):
    n = draw(st.integers(1, 6))
    k = draw(st.integers(1, 5))
    s = draw(st.integers(1, 4))
    p = draw(st.integers(0, 3))
    extra = draw(st.integers(0, s - 1))
    return n, k, s, p, extra


@settings(max_examples=150, deadline=None)
@given(transpose_cases(), st.integers(0, 2**32 - 1))
def test_the_transposed_layout_is_the_adjoint_of_the_convolution(case, seed):
    """⟨conv(y), x⟩ = ⟨y, convᵀ(x)⟩ for every y of the transposed output's size: the placements,
    the overlaps and the crop are those of the convolution run backwards."""
    n, k, s, p, extra = case
    try:
        o = conv_transpose_output_size(n, k, s, p, extra)
    except ValueError:
        with pytest.raises(ValueError):
            conv_transpose_geometry(n, k, s, p, extra)
        return
    g = conv_transpose_geometry(n, k, s, p, extra)
    assert g.output == o
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, n))
    kernel = rng.normal(size=(k, k))
    y = rng.normal(size=(o, o))
    back = np.asarray(brute_conv(y.tolist(), kernel.tolist(), s, p))
    assert back.shape == (n, n)  # the convolution takes the transposed output back to n×n
    assert np.sum(back * x) == pytest.approx(np.sum(y * transposed_by_geometry(x, kernel, g)), abs=1e-9)


def test_overlaps_and_placements_by_loops():
    g = conv_transpose_geometry(3, 4, 2, 1)
    assert (g.full_size, g.grid_size, g.output) == (8, 8, 6)
    assert g.placements.tolist() == [[[r, c] for c in (0, 2, 4)] for r in (0, 2, 4)]
    counts = [[0] * 8 for _ in range(8)]
    for i in range(3):
        for j in range(3):
            for a in range(4):
                for b in range(4):
                    counts[2 * i + a][2 * j + b] += 1
    assert g.overlap.tolist() == counts
    assert g.kept.sum() == 36 and not g.kept[0].any() and not g.kept[:, 7].any() and g.kept[1:7, 1:7].all()
    assert [st.text() for st in g.steps] == [
        "scaled kernels span = (n − 1)s + k = (3 − 1)×2 + 4 = 8",
        "output size = (n − 1)s − 2p + k = (3 − 1)×2 − 2×1 + 4 = 6",
    ]


def test_output_padding_past_the_kernels_gives_cells_no_kernel_reaches():
    g = conv_transpose_geometry(2, 1, 3, 0, 2)
    assert (g.full_size, g.output, g.grid_size) == (4, 6, 6)
    assert g.overlap[4:].sum() == 0 and g.kept.all()


def test_window_cells():
    cells = window_cells(np.array([[0, 0], [2, 4]]), 2)
    assert cells.shape == (2, 2, 2, 2)
    assert cells[1].reshape(-1, 2).tolist() == [[2, 4], [2, 5], [3, 4], [3, 5]]
    with pytest.raises(ValueError, match="whole-number"):
        window_cells(np.array([[0.5, 1.0]]), 2)
    with pytest.raises(ValueError, match="at least 1"):
        window_cells(np.array([[0, 0]]), 0)


@pytest.mark.parametrize(
    "call, args, message",
    [
        (conv_geometry, (0, 3), "at least 1"),
        (conv_geometry, (4, 7, 1, 1), "larger than the padded input"),
        (conv_geometry, (4, 3, 0), "stride must be at least 1"),
        (conv_geometry, (4, 3, 1, -1), "must not be negative"),
        (conv_geometry, (4.0, 3), "whole number"),
        (conv_geometry, (999, 3, 1, 2), "too large"),
        (conv_transpose_geometry, (3, 4, 2, 1, 2), "output_padding 2 must be smaller"),
        (conv_transpose_geometry, (1, 1, 1, 1), "leaves no output"),
        (conv_transpose_geometry, (True, 3), "whole number"),
        (conv_transpose_geometry, (600, 3, 2), "too large"),
    ],
)
def test_bad_geometry_input_is_a_plain_value_error(call, args, message):
    with pytest.raises(ValueError, match=message):
        call(*args)


def test_pool_windows_of_the_exam():
    result = pool2d(POOL_X)
    windows = pool_windows(result)
    assert windows.winners.tolist() == [[[1, 1], [1, 3]], [[2, 0], [3, 3]]]
    assert not windows.padding_mask.any()
    # the cells hold the window's values, and the winner is the window's output
    padded = np.asarray(result.padded)
    for i in range(2):
        for j in range(2):
            cells = windows.cells[i, j].reshape(-1, 2)
            assert padded[cells[:, 0], cells[:, 1]].tolist() == result.windows[i, j].ravel().tolist()
            r, c = windows.winners[i, j]
            assert padded[r, c] == result.output[i, j]


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 6), st.integers(1, 6), st.integers(1, 4), st.integers(1, 3), st.sampled_from(["max", "avg"]),
    st.integers(0, 2**32 - 1),
)
def test_pool_windows_agree_with_the_values_pool2d_read(n, m, size, stride, mode, seed):
    padding = seed % (size // 2 + 1)
    x = np.random.default_rng(seed).integers(-5, 6, size=(n, m))
    try:
        result = pool2d(x, size, stride, padding, mode)
    except ValueError:
        return
    windows = pool_windows(result, padding)
    padded = np.asarray(result.padded)
    ring = np.ones(padded.shape, dtype=bool)
    ring[padding : padding + n, padding : padding + m] = False
    assert windows.padding_mask.tolist() == ring.tolist()
    cells = windows.cells.reshape(*windows.cells.shape[:2], -1, 2)
    read = padded[cells[..., 0], cells[..., 1]]
    assert read.tolist() == np.asarray(result.windows).reshape(read.shape).tolist()
    if mode == "max":
        won = padded[windows.winners[..., 0], windows.winners[..., 1]]
        assert won.tolist() == np.asarray(result.output).tolist()
        assert not windows.padding_mask[windows.winners[..., 0], windows.winners[..., 1]].any()
    else:
        assert (windows.winners == -1).all()


def test_pool_windows_refuse_a_padding_that_is_not_the_results():
    result = pool2d(POOL_X, size=2, stride=1, padding=1)
    assert pool_windows(result, 1).padding == 1
    with pytest.raises(ValueError, match="not the padding"):
        pool_windows(pool2d(POOL_X), 1)
    with pytest.raises(ValueError, match="leaves nothing"):
        pool_windows(result, 3)
    with pytest.raises(ValueError, match="needs the result of pool2d"):
        pool_windows(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="must not be negative"):
        pool_windows(result, -1)
