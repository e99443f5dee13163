"""Is a typed value the answer: within a tolerance, or rounded as asked ("to 2 decimals").

Plain numbers in, a verdict out: "right", "near" (a rounding slip, which earns SLIP_SHARE of the
credit) or "wrong". Values are compared as the decimals they stand for (their shortest form, float
noise dropped), rounded half up as students round. No UI and no numpy: the graders ask this.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

__all__ = ["SLIP_SHARE", "close", "rounded", "verdict"]

# A value one unit off in the last decimal asked for (a rounding slip) keeps this share of its
# credit, rounded to half points. Ours: the key never asks for rounding, so it says nothing of it.
SLIP_SHARE = 0.9


def close(got: float, want: float, tolerance: float) -> bool:
    """Within the tolerance, an answer exactly at its edge included ("2.49" for 2.5 ± 0.01, although
    2.5 − 2.49 is 0.010000000000000231 in floating point)."""
    slack = 1e-12 * max(1.0, abs(want))  # floating-point noise, far below any tolerance we use
    return abs(got - want) <= tolerance + slack or math.isclose(got, want, rel_tol=1e-9, abs_tol=0.0)


def _decimal(x: float) -> Decimal:
    """x as the decimal it stands for: its shortest form, without float noise below 10 decimals
    (a solver answer of 2.6749999999999998 is the 2.675 of the hand computation)."""
    exact = Decimal(repr(float(x)))
    return exact.quantize(Decimal("1e-10"), rounding=ROUND_HALF_EVEN) if abs(x) < 1e4 else exact


def _half_up(x: Decimal, decimals: int) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def rounded(x: float, decimals: int) -> Decimal:
    """x to `decimals` places, half up, as students round: 0.125 is 0.13 to 2 decimals."""
    return _half_up(_decimal(x), decimals)


def verdict(got: float, want: float, *, tolerance: float, decimals: int | None = None,
            typed: int | None = None) -> str:
    """"right", "near" (a rounding slip) or "wrong".

    Without `decimals`: right within `tolerance`. With them: right when it rounds to what the answer
    rounds to (or lies within half a unit of the answer: both roundings of an exact half count),
    near when its rounding is one unit off in the last decimal asked for, or when it was typed with
    one decimal fewer than asked (`typed`: the decimals typed, if known) and is right so.
    """
    if decimals is None:
        return "right" if close(got, want, tolerance) else "wrong"
    if abs(got) > 1e15 or abs(want) > 1e15:  # beyond the decimals anyone types
        return "right" if close(got, want, 0.0) else "wrong"
    unit = Decimal(1).scaleb(-decimals)
    g, w = _decimal(got), _decimal(want)
    if _half_up(g, decimals) == _half_up(w, decimals) or abs(g - w) <= unit / 2:
        return "right"
    if abs(_half_up(g, decimals) - _half_up(w, decimals)) <= unit or abs(g - w) <= unit * Decimal("1.5"):
        return "near"  # one unit from the answer's rounding (from either rounding of an exact half)
    one_short = typed is not None and typed == decimals - 1 and _half_up(w, typed) == g  # 6.1 for 6.06
    return "near" if one_short else "wrong"
