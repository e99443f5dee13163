"""Steps of a worked computation, and numbers written the way a student reads them.

Every solver function that shows its work returns a `Traced` (or a subclass of it): the answer in
`.output` and the trace in `.steps`, one `Step` per line the UI reveals. The small input checks the
solver modules share live here too, so every bad input gets the same kind of plain sentence.

Standard library and numpy only: this must not depend on the UI (no Textual, rich or sympy), so the
screens, the content check and the tests all share the same numbers.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import numpy as np

MINUS = "\u2212"
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def format_number(x, decimals: int = 4) -> str:
    """Shortest readable text of a number: 2.0 -> "2", -1.5 -> "−1.5", 18432 -> "18,432".

    Floats keep at most `decimals` (4) decimals, rounded half up as a reader rounds (0.15625 is
    0.1563), trailing zeros stripped; magnitudes below 10⁻⁴ or from 10¹⁵ up are written as
    "1.235×10⁻⁵" so they never round to a misleading 0, except below 10⁻¹², the rounding noise of
    float arithmetic, which is written "0". Integers stay integers.
    The minus sign is U+2212; -0.0 is "0"; ±inf is "±∞" (padded cells of max pooling).
    """
    if isinstance(x, np.ndarray) and x.ndim == 0:
        x = x.item()
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, bool):
        x = int(x)
    if isinstance(x, numbers.Integral):
        return f"{int(x):,}".replace("-", MINUS)
    if not isinstance(x, numbers.Real):
        return str(x)
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "∞" if x > 0 else MINUS + "∞"
    if abs(x) < 1e-12:
        return "0"  # zero, or the rounding noise of float arithmetic (1 − 0.9 − 0.1)
    if abs(x) < 1e-4 or abs(x) >= 1e15:
        text = f"{x:.4g}"
        if "e" in text:
            mantissa, exponent = text.split("e")
            text = f"{mantissa}×10{str(int(exponent)).translate(_SUPERSCRIPT)}"
        return text.replace("-", MINUS)
    text = format(_half_up(x, decimals), ",f").rstrip("0").rstrip(".")
    return "0" if text in ("0", "-0") else text.replace("-", MINUS)


def _half_up(x: float, decimals: int) -> Decimal:
    """x rounded to `decimals` places, half up, as a reader rounds the exact value (2.675 is 2.68).

    The float's noise is dropped first, at 10 decimals (0.5×9.7969 is 4.898449999999999 in
    floating point and 4.89845 on paper: 4.8985), for magnitudes where 10 decimals are above it.
    """
    exact = Decimal(repr(float(x)))
    if abs(x) < 1e4:
        exact = exact.quantize(Decimal("1e-10"), rounding=ROUND_HALF_EVEN)
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def consistent_decimals(terms, total, *, divisor: int = 1, start: int = 4, stop: int = 8) -> int | None:
    """How many decimals a sum's terms need so that what is shown adds up to the total shown.

    `terms` are the summands, each a sequence of factors multiplied together (a summand on its own
    is a sequence of one); the shown sum is Σ Π factors, over `divisor`; the total is shown as
    format_number shows it (`start` decimals). The answer is the fewest decimals from `start` to
    `stop` for the factors at which the sum, rounded like the total, is the total shown: the
    intermediate figures carry extra digits, as on paper ("2.7568 + 0.1563 = 2.9131", never
    "… + 0.1562 = 2.9131"; "0.12744×2.5 = 0.3186", not "0.1274×2.5 = 0.3186"). None when no
    number of decimals does (write "≈" then); values written in exponent form count as they are.
    """
    values = [[float(f) for f in factors] for factors in terms]
    if not all(math.isfinite(f) and abs(f) < 1e15 for factors in values for f in factors) or not math.isfinite(total):
        return None
    want = _half_up(float(total), start)
    for d in range(start, stop + 1):
        shown = Decimal(0)
        for factors in values:
            product = Decimal(1)
            for f in factors:
                product *= _half_up(f, d)
            shown += product
        if (shown / divisor).quantize(Decimal(1).scaleb(-start), rounding=ROUND_HALF_UP) == want:
            return d
    return None


def approximate(formula: str, value, decimals: int | None) -> str:
    """`formula` as it stands when its terms add up (`decimals` not None), else followed by
    "≈ value", so the step says honestly that the shown terms only approximate it."""
    return formula if decimals is not None else f"{formula} ≈ {format_value(value)}"


def format_term(x, decimals: int = 4) -> str:
    """A number as an operand inside a formula: negatives in parentheses, "(−1)"."""
    text = format_number(x, decimals)
    return f"({text})" if text.startswith(MINUS) else text


def format_array(a, decimals: int = 4) -> str:
    """Nested brackets of format_number: [[6, 8], [9, 7]]."""
    a = np.asarray(a)
    if a.ndim == 0:
        return format_number(a.item(), decimals)

    def nested(item) -> str:
        if isinstance(item, list):
            return "[" + ", ".join(nested(sub) for sub in item) + "]"
        return format_number(item, decimals)

    return nested(a.tolist())


def format_value(value, decimals: int = 4) -> str:
    """A step's value as shown: arrays with brackets, numbers with format_number."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray):
        return format_array(value, decimals)
    return format_number(value, decimals)


def format_shape(shape) -> str:
    """(2, 2) -> "2×2"."""
    return "×".join(str(n) for n in shape) if len(shape) else "a single number"


def subscript(n: int) -> str:
    """3 -> "₃"."""
    return str(n).translate(_SUBSCRIPT)


def superscript(n: int) -> str:
    """2 -> "²"."""
    return str(n).translate(_SUPERSCRIPT)


# Below exp(−600) ≈ 10⁻²⁶¹ a term is written as exactly 0: beside a term of 1 or more it changes
# nothing, and leaving it out keeps numpy from underflowing (so np.errstate(all="raise") is safe).
EXP_FLOOR = -600.0


def safe_exp(v: np.ndarray) -> np.ndarray:
    """exp(v) elementwise for v below about 709; exactly 0 where v ≤ −600."""
    out = np.zeros_like(v, dtype=float)
    np.exp(v, out=out, where=v > EXP_FLOOR)
    return out


def _freeze(value):
    """Read-only copy of an array; numpy scalars become Python numbers; tuples frozen inside."""
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return value.item()
        frozen = np.array(value, copy=True)
        frozen.setflags(write=False)
        return frozen
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return tuple(_freeze(item) for item in value)
    return value


@dataclass(frozen=True, eq=False)
class Step:
    """One line of a worked computation.

    label: what is computed ("h₁", "window (row 1, col 2)", "∂J/∂W₂ (n_c×d_h = 3×4)").
    formula: the formula with the numbers substituted ("2×1 + (−1)×0.5 + 0.5"); "" if none.
    value: float, int or a read-only ndarray.
    symbolic: the formula in symbols ("i₁·w₁₁ + i₂·w₂₁ + b₁"); optional.
    """

    label: str
    formula: str
    value: object
    symbolic: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", _freeze(self.value))

    def text(self) -> str:
        """One display line, "label = symbolic = formula = value", without empty or repeated parts.

        A formula that already states its rounded result (it contains "≈") is not followed by the
        value again.
        """
        parts = [self.label, self.symbolic, self.formula]
        if "≈" not in self.formula:
            parts.append(format_value(self.value))
        shown: list[str] = []
        for part in parts:
            if part and (not shown or shown[-1] != part):
                shown.append(part)
        return " = ".join(shown)


@dataclass(frozen=True, eq=False)
class Traced:
    """A result with its work shown: the answer in `output`, the lines in `steps`.

    Array fields (here and in subclasses) are stored as read-only copies. Compared by identity;
    compare `.output` instead.
    """

    output: object
    steps: tuple[Step, ...]

    def __post_init__(self) -> None:
        for item in dataclasses.fields(self):
            object.__setattr__(self, item.name, _freeze(getattr(self, item.name)))
        object.__setattr__(self, "steps", tuple(self.steps))

    def __array__(self, dtype=None, copy=None):
        if copy:
            return np.array(self.output, dtype=dtype, copy=True)
        return np.asarray(self.output, dtype=dtype)


# Input checks shared by the solver modules. Each raises ValueError with a plain sentence.


def as_int(name: str, value, minimum: int | None = None) -> int:
    """A size, count or stride: a Python or numpy integer (not a bool) at least `minimum`."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        if minimum == 0:
            raise ValueError(f"{name} must not be negative, got {value}")
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value


def as_flag(name: str, value) -> bool:
    """A yes/no option such as bias: True or False only."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def as_array(name: str, value, ndims: tuple[int, ...] | None = None, what: str = "") -> np.ndarray:
    """A non-empty float array of finite numbers, optionally with one of the given ndims."""
    try:
        raw = np.asarray(value)
    except (ValueError, TypeError):
        raise ValueError(f"{name} must be a rectangular array of numbers") from None
    if raw.dtype.kind not in "biuf":
        raise ValueError(f"{name} must contain numbers only")
    array = raw.astype(float)
    if ndims is not None and array.ndim not in ndims:
        wanted = what or " or ".join(f"{n}-D" for n in ndims)
        raise ValueError(f"{name} must be {wanted}, got an array of shape {tuple(array.shape)}")
    if array.size == 0:
        raise ValueError(f"{name} is empty")
    if not np.isfinite(array).all():
        bad = array[~np.isfinite(array)].ravel()[0]
        raise ValueError(f"{name} contains {format_number(bad)}, which is not a finite number")
    return array


def as_vector(name: str, value) -> tuple[np.ndarray, tuple[int, ...]]:
    """A vector given as (n,) or as a column (n, 1): the flat (n,) array and the shape given."""
    array = as_array(name, value, (1, 2), "a vector (n,) or a column (n, 1)")
    if array.ndim == 2 and array.shape[1] != 1:
        raise ValueError(
            f"{name} must be a vector (n,) or a column (n, 1), got an array of shape {array.shape}"
        )
    return array.ravel(), array.shape


def as_scalar(name: str, value) -> float:
    """A single finite real number (not a bool)."""
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    array = as_array(name, value)
    if array.ndim != 0:
        raise ValueError(f"{name} must be a single number, got an array of shape {array.shape}")
    return float(array)
