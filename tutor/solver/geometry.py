"""Where windows and kernels sit (questions 7 and 8): the geometry the convolution and pooling pictures draw.

- `conv_geometry(n, kernel, stride, padding)`: the padded input, every kernel position's top-left
  (row, col), the cells each position covers and how often each cell is covered, and the output
  size from `conv_output_size`.
- `conv_transpose_geometry(n, kernel, stride, padding, output_padding)`: the other way round,
  where each input cell's scaled kernel lands in the larger output, how many land on each cell,
  and which cells the padding crops; the output size from `conv_transpose_output_size`.
- `window_cells(origins, size)`: the cells of windows given by their top-left corners.
- `pool_windows(result, padding)`: the cells and winners of `pool2d`'s windows in the padded
  input's coordinates, from the origins and winners `pool2d` returned (nothing recomputed), and
  each window's cells and winner in the unpadded input (what the pooling editor marks).

Square inputs and kernels, dilation 1. Coordinates are 0-based (row, col). numpy only: this must
not depend on the UI.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._steps import Step, Traced, as_int, format_number, format_shape
from .conv import trace_conv_output_size, trace_conv_transpose_output_size
from .pooling import PoolResult

MAX_SIDE = 1_000  # geometry is drawn, so sizes stay small enough to hold every cell


def window_cells(origins, size) -> np.ndarray:
    """The (row, col) of every cell of size×size windows with top-left corners `origins` (..., 2).

    Returns an int array (..., size, size, 2): cells[..., a, b] = origin + (a, b).
    """
    k = as_int("window size", size, 1)
    corners = np.asarray(origins)
    if corners.dtype.kind not in "iu" or corners.ndim < 1 or corners.shape[-1] != 2:
        raise ValueError("origins must be whole-number (row, col) pairs, shape (..., 2)")
    # offsets[a, b] = (a, b) for 0 ≤ a, b < k
    offsets = np.stack(np.meshgrid(np.arange(k), np.arange(k), indexing="ij"), axis=-1)
    return corners[..., None, None, :] + offsets


def _coverage(cells: np.ndarray, side: int) -> np.ndarray:
    """How many of the windows (..., k, k, 2) cover each cell of a side×side grid."""
    counts = np.zeros((side, side), dtype=int)
    flat = cells.reshape(-1, 2)
    np.add.at(counts, (flat[:, 0], flat[:, 1]), 1)
    return counts


def _ring(shape: tuple[int, int], width: int) -> np.ndarray:
    """True on the outer `width` rows and columns of a grid of `shape`."""
    rows, cols = (np.arange(side) for side in shape)
    return ((rows < width) | (rows >= shape[0] - width))[:, None] | (
        (cols < width) | (cols >= shape[1] - width)
    )[None, :]


@dataclass(frozen=True, eq=False)
class ConvGeometry(Traced):
    """A k×k kernel moved by stride s over an n×n input padded by p on every side.

    output: the output size o = ⌊(n + 2p − k)/s⌋ + 1 (conv_output_size).
    padded_size: n + 2p. padding_mask: (n + 2p, n + 2p) bool, True on the padding ring.
    positions: (o·o, 2) int, each kernel position's top-left (row, col) in the padded input,
        row-major: position i gives output cell (i // o, i % o).
    cells: (o·o, k, k, 2) int, the padded-input cells under each position.
    coverage: (n + 2p, n + 2p) int, how many positions cover each cell (0: never read; a stride
        larger than 1 can leave the last rows and columns out).
    steps: the padded size, then the output size's formula.
    """

    n: int
    kernel: int
    stride: int
    padding: int
    padded_size: int
    padding_mask: np.ndarray
    positions: np.ndarray
    cells: np.ndarray
    coverage: np.ndarray


def conv_geometry(n, kernel, stride=1, padding=0) -> ConvGeometry:
    """The positions of a k×k kernel over an n×n input with padding p and stride s."""
    n = as_int("input size n", n, 1)
    k = as_int("kernel size", kernel, 1)
    s = as_int("stride", stride, 1)
    p = as_int("padding", padding, 0)
    if n + 2 * p > MAX_SIDE:
        raise ValueError(f"the padded input n + 2p = {n + 2 * p} is too large to lay out (at most {MAX_SIDE})")
    size = trace_conv_output_size(n, k, s, p)  # raises if the kernel is larger than the padded input
    o = int(size.output)
    side = n + 2 * p
    # top-left of output cell (i, j) = (i·s, j·s)
    axis = np.arange(o) * s
    positions = np.stack(np.meshgrid(axis, axis, indexing="ij"), axis=-1).reshape(o * o, 2)
    cells = window_cells(positions, k)
    f = format_number
    padded = Step("padded input", f"{f(n)} + 2×{f(p)}", side, "n + 2p")
    return ConvGeometry(
        output=o,
        steps=(padded, *size.steps),
        n=n,
        kernel=k,
        stride=s,
        padding=p,
        padded_size=side,
        padding_mask=_ring((side, side), p),
        positions=positions,
        cells=cells,
        coverage=_coverage(cells, side),
    )


@dataclass(frozen=True, eq=False)
class ConvTransposeGeometry(Traced):
    """A transposed convolution of an n×n input: each input cell scales the k×k kernel, and the
    scaled kernels are added into a larger grid, s cells apart; padding p then crops p rows and
    columns from each side.

    output: the output size (n − 1)s − 2p + k + output_padding (conv_transpose_output_size).
    full_size: (n − 1)s + k, the grid the scaled kernels are added into, before cropping.
    grid_size: the side of the grid drawn: full_size, or p + output where output_padding reaches
        past the full grid (those cells are zeros no kernel lands on).
    placements: (n, n, 2) int, the top-left (row, col) in the grid where input cell (i, j)'s
        scaled kernel lands: (i·s, j·s).
    cells: (n, n, k, k, 2) int, the grid cells each input cell's scaled kernel covers.
    overlap: (grid_size, grid_size) int, how many scaled kernels add into each cell.
    kept: (grid_size, grid_size) bool, True for the output's cells: rows and cols p … p + output − 1.
    steps: the full grid's size, then the output size's formula.
    """

    n: int
    kernel: int
    stride: int
    padding: int
    output_padding: int
    full_size: int
    grid_size: int
    placements: np.ndarray
    cells: np.ndarray
    overlap: np.ndarray
    kept: np.ndarray


def conv_transpose_geometry(n, kernel, stride=1, padding=0, output_padding=0) -> ConvTransposeGeometry:
    """Where each input cell's scaled kernel lands in a transposed convolution's output."""
    n = as_int("input size n", n, 1)
    k = as_int("kernel size", kernel, 1)
    s = as_int("stride", stride, 1)
    p = as_int("padding", padding, 0)
    extra = as_int("output_padding", output_padding, 0)
    size = trace_conv_transpose_output_size(n, k, s, p, extra)  # raises on an impossible setting
    o = int(size.output)
    # the scaled kernels span (n − 1)s + k cells
    full = (n - 1) * s + k
    side = max(full, p + o)
    if side > MAX_SIDE:
        raise ValueError(f"the transposed output grid {side} is too large to lay out (at most {MAX_SIDE})")
    # input cell (i, j) lands at (i·s, j·s)
    axis = np.arange(n) * s
    placements = np.stack(np.meshgrid(axis, axis, indexing="ij"), axis=-1)
    cells = window_cells(placements, k)
    index = np.arange(side)
    inside = (index >= p) & (index < p + o)
    f = format_number
    spread = Step("scaled kernels span", f"({f(n)} − 1)×{f(s)} + {f(k)}", full, "(n − 1)s + k")
    return ConvTransposeGeometry(
        output=o,
        steps=(spread, *size.steps),
        n=n,
        kernel=k,
        stride=s,
        padding=p,
        output_padding=extra,
        full_size=full,
        grid_size=side,
        placements=placements,
        cells=cells,
        overlap=_coverage(cells, side),
        kept=inside[:, None] & inside[None, :],
    )


@dataclass(frozen=True, eq=False)
class PoolWindows:
    """pool2d's windows placed on its padded input.

    cells: (oh, ow, k, k, 2) int, each window's cells in padded coordinates (from the origins).
    winners: (oh, ow, 2) int, each window's winner in padded coordinates; −1 for average pooling.
    padding_mask: the padded input's shape, True on the padding ring.
    padding: p.
    """

    cells: np.ndarray
    winners: np.ndarray
    padding_mask: np.ndarray
    padding: int

    def __post_init__(self) -> None:
        for name in ("cells", "winners", "padding_mask"):
            array = np.array(getattr(self, name), copy=True)
            array.setflags(write=False)
            object.__setattr__(self, name, array)

    def input_cells(self, row: int, col: int) -> tuple[tuple[int, int], ...]:
        """The cells of output (row, col)'s window that lie in the unpadded input, in its (row, col)
        from 0, row-major (the padding ring's cells left out)."""
        cells = self.cells[row, col].reshape(-1, 2)
        inside = ~self.padding_mask[cells[:, 0], cells[:, 1]]
        # unpadded (row, col) = padded (row, col) − p
        return tuple((int(r), int(c)) for r, c in cells[inside] - self.padding)

    def input_winner(self, row: int, col: int) -> tuple[int, int] | None:
        """Where output (row, col)'s winner is in the unpadded input, from 0; None for average pooling."""
        winner = self.winners[row, col]
        if (winner < 0).any():
            return None
        return int(winner[0]) - self.padding, int(winner[1]) - self.padding

    def winner_place(self, row: int, col: int) -> str:
        """ "row 2, col 1": where output (row, col)'s winner is in the input, counted from 1 as the
        steps count windows; "" for average pooling."""
        winner = self.input_winner(row, col)
        return "" if winner is None else f"row {winner[0] + 1}, col {winner[1] + 1}"


def pool_windows(result: PoolResult, padding=0) -> PoolWindows:
    """The cells and winners of `result`'s windows in its padded input; `padding` is pool2d's."""
    if not isinstance(result, PoolResult):
        raise ValueError("pool_windows needs the result of pool2d")
    p = as_int("padding", padding, 0)
    rows, cols = result.padded.shape
    if 2 * p >= min(rows, cols):
        raise ValueError(
            f"padding {p} leaves nothing of the padded input {format_shape(result.padded.shape)}"
        )
    k = result.windows.shape[2]
    ring = _ring((rows, cols), p)
    is_max = bool((result.winners >= 0).all())
    fill = np.isneginf(result.padded[ring]) if is_max else result.padded[ring] == 0
    if not fill.all():
        raise ValueError(f"padding {p} is not the padding of this pooling's input")
    # a winner in padded coordinates = its unpadded (row, col) + p
    winners = result.winners + p if is_max else result.winners
    return PoolWindows(window_cells(result.origins, k), winners, ring, p)
