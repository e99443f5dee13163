"""Seeded random numbers for the live editors and the formula grader, without `numpy.random`.

Why: numpy 2 imports `numpy.random` only when it is first used, and that import holds about 7 MiB
of memory for the rest of the session (its Cython generators, hashlib, secrets). What the live
editors ("new numbers") and the formula grader (its seeded draws) need is small: integers in a
range, a pick from a few options, standard normal numbers for a small matrix. The standard
library's generator (`random.Random`, already imported by then) does that, and numpy makes the
arrays. Practice keeps numpy's generator: its seeds are given back to the student and must keep
giving the same question.

The same seed always gives the same numbers. What it must not depend on: the UI.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["Generator"]


class Generator:
    """The few draws of `numpy.random.Generator` the tutor uses outside practice, same signatures."""

    __slots__ = ("_random",)

    def __init__(self, seed: int | None = None) -> None:
        self._random = random.Random(seed)  # None: seeded from the system, like numpy's

    def integers(self, low: int, high: int | None = None, size: int | Sequence[int] | None = None) -> Any:
        """Integers in [low, high) (or [0, low) when high is None): one int, or an array of `size`."""
        if high is None:
            low, high = 0, low
        if size is None:
            return self._random.randrange(low, high)
        shape = _shape(size)
        return np.array([self._random.randrange(low, high) for _ in range(math.prod(shape))],
                        dtype=np.int64).reshape(shape)

    def choice(self, options: Sequence[Any]) -> Any:
        """One of the options, each as likely."""
        return self._random.choice(list(options))

    def normal(self, size: int | Sequence[int] | None = None) -> Any:
        """Standard normal numbers: one float, or an array of `size`."""
        if size is None:
            return self._random.gauss(0.0, 1.0)
        shape = _shape(size)
        return np.array([self._random.gauss(0.0, 1.0) for _ in range(math.prod(shape))],
                        dtype=np.float64).reshape(shape)


def _shape(size: int | Sequence[int]) -> tuple[int, ...]:
    return (int(size),) if isinstance(size, (int, np.integer)) else tuple(int(n) for n in size)
