"""Reading what a student types: numbers, matrices, true/false and shapes.

Plain text in, plain values out, or a `ParseError` whose message says in a few words what is wrong.
No UI, no sympy, no numpy, and never `eval`: every accepted form is matched by a small hand-written
scanner, so nothing typed can run as code.
"""

from __future__ import annotations

import math
import re

__all__ = ["ParseError", "parse_number", "parse_matrix", "parse_bool", "parse_shape", "format_shape"]


class ParseError(ValueError):
    """The text could not be read; the message is a plain reason fit to show the student."""


# Unicode minus, en dash, figure dash, small and full-width hyphen-minus: all read as "-".
_MINUSES = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2012": "-", "\ufe63": "-", "\uff0d": "-"})
_TIMES = "x×*·⋅∙"
_NOT_FINITE = {"nan", "inf", "infinity", "∞"}

# One number: thousands groups ("18,432.5") or a plain decimal, each with an optional exponent.
_NUMBER = re.compile(
    r"(?:\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d*)?|\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
)
_OPERATOR = re.compile(r"[+\-/" + re.escape(_TIMES) + r"]")


def _quote(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _tokens(text: str) -> list[str]:
    """Numbers and operators of `text`, or a ParseError naming what is neither."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        match = _NUMBER.match(text, i)
        if match:
            out.append(match.group())
            i = match.end()
            continue
        if _OPERATOR.match(ch):
            out.append("*" if ch in _TIMES else ch)
            i += 1
            continue
        if re.fullmatch(r"[+-]?\d+,\d+", text):
            raise ParseError(f"{_quote(text)} is not a number (use a point for decimals: 0.5)")
        raise ParseError(f"{_quote(text)} is not a number")
    return out


def _evaluate(tokens: list[str], text: str) -> float:
    """sum := term (("+"|"-") term)*;  term := signed (("*"|"/") signed)*;  signed := [+-] number."""
    pos = 0

    def fail() -> ParseError:
        return ParseError(f"{_quote(text)} is not a number")

    def signed() -> float:
        nonlocal pos
        sign = 1.0
        if pos < len(tokens) and tokens[pos] in "+-":
            sign = -1.0 if tokens[pos] == "-" else 1.0
            pos += 1
        if pos >= len(tokens) or not (tokens[pos][0].isdigit() or tokens[pos][0] == "."):
            raise fail()
        try:
            value = float(tokens[pos].replace(",", ""))
        except ValueError:
            raise fail() from None
        pos += 1
        return sign * value

    def term() -> float:
        nonlocal pos
        value = signed()
        while pos < len(tokens) and tokens[pos] in ("*", "/"):
            op = tokens[pos]
            pos += 1
            right = signed()
            if op == "*":
                value *= right
            elif right == 0:
                raise ParseError("division by zero")
            else:
                value /= right
        return value

    value = term()
    while pos < len(tokens) and tokens[pos] in ("+", "-"):
        op = tokens[pos]
        pos += 1
        right = term()
        value = value + right if op == "+" else value - right
    if pos != len(tokens):
        raise fail()
    return value


def parse_number(text: str) -> float:
    """A finite number from what a student typed.

    Accepts "2", " -0.5 ", "−0.5" (Unicode minus), "1e-3", "1/2", "18,432" (commas only between groups
    of three digits), products such as "32x3x3x64", "32×3×3×64" or "32*3*3*64", and sums of such terms
    ("160 + 2,880"). Anything else raises ParseError with the reason.
    """
    if not isinstance(text, str):
        raise ParseError("not text")
    cleaned = text.translate(_MINUSES).strip()
    if not cleaned:
        raise ParseError("nothing typed")
    if cleaned.lstrip("+-").strip().lower() in _NOT_FINITE:
        raise ParseError("not a finite number")
    tokens = _tokens(cleaned)
    try:
        value = _evaluate(tokens, cleaned)
    except OverflowError:  # float ops overflow to inf rather than raise, but be safe
        raise ParseError("not a finite number") from None
    if not math.isfinite(value):
        raise ParseError("not a finite number")
    return value


_BETWEEN_ROWS = re.compile(r"\]\s*[,;]?\s*\[")


def parse_matrix(text: str) -> list[list[float]]:
    """Rows of numbers: rows split by ";" or new lines, cells by spaces or commas.

    Brackets are tolerated: "[[6, 8], [9, 7]]", "[6 8; 9 7]" and "6 8\\n9 7" all read the same.
    Ragged rows and unreadable cells raise ParseError naming the row (and column).
    """
    if not isinstance(text, str):
        raise ParseError("not text")
    flat = _BETWEEN_ROWS.sub(";", text.strip())
    flat = re.sub(r"[\[\]()]", " ", flat)
    lines = [line for line in re.split(r"[;\n\r]+", flat) if line.strip()]
    if not lines:
        raise ParseError("nothing typed")
    rows: list[list[float]] = []
    for r, line in enumerate(lines, start=1):
        cells = [c for c in re.split(r"[,\s]+", line) if c]
        row = []
        for c, cell in enumerate(cells, start=1):
            try:
                row.append(parse_number(cell))
            except ParseError as exc:
                raise ParseError(f"row {r}, column {c}: {exc}") from None
        if rows and len(row) != len(rows[0]):
            raise ParseError(
                f"row {r} has {len(row)} number{'s' * (len(row) != 1)}, "
                f"row 1 has {len(rows[0])}"
            )
        rows.append(row)
    return rows


_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}


def parse_bool(text: str) -> bool:
    """True for true/t/yes/y/1, False for false/f/no/n/0, any case; otherwise ParseError."""
    if not isinstance(text, str):
        raise ParseError("not text")
    word = text.strip().rstrip(".!").strip().lower()
    if not word:
        raise ParseError("nothing typed")
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ParseError(f"{_quote(text.strip())} is not true or false (type T or F)")


# Subscript letters and digits as typed in Unicode, read as "_" plus the plain character.
_SUBSCRIPTS = {
    **{chr(0x2080 + d): str(d) for d in range(10)},
    "ₐ": "a", "ₑ": "e", "ₕ": "h", "ᵢ": "i", "ⱼ": "j", "ₖ": "k", "ₗ": "l", "ₘ": "m", "ₙ": "n",
    "ₒ": "o", "ₚ": "p", "ᵣ": "r", "ₛ": "s", "ₜ": "t", "ᵤ": "u", "ᵥ": "v", "ₓ": "x",
    "\ua700": "c", "ᶜ": "c", "ᴄ": "c",
}
_SHAPE_TOKEN = re.compile(
    r"\s+|(?P<sep>[,×*·⋅∙])|(?P<num>\d+)"
    r"|(?P<sub>[a-z]_[a-z0-9])"
    r"|(?P<run>[a-z]+)(?!_)"
)


def _split_run(run: str) -> list[str] | None:
    """A letter run as dimensions and "x" separators: "dh" -> d_h, "ncxdh" -> n_c x d_h."""
    if run in ("x", "by"):
        return ["x"]
    if len(run) > 24:  # no dimension name is this long; also bounds the recursion
        return None
    if len(run) <= 2:
        return [run[0] + ("_" + run[1:] if len(run) == 2 else "")]
    for head in (2, 1):  # longest first: "dxxdh" is d_x x d_h
        if len(run) > head and run[head] == "x":
            rest = run[head + 1 :]
            tail = _split_run(rest) if rest else []
            if tail is not None:
                return _split_run(run[:head]) + ["x"] + tail  # type: ignore[operator]
    return None


def parse_shape(text: str) -> tuple[str, ...]:
    """The dimensions of a shape as a tuple of normalised symbols.

    "n_c×d_h", "n_c x d_h", "(n_c, d_h)", "nc*dh", "ℝ^(n_c×d_h)", "n_c by d_h", "n꜀×dₕ" all give
    ("n_c", "d_h"); "d_h × 1" gives ("d_h", "1"). Symbols are lower-cased; "nc" reads as "n_c".
    """
    if not isinstance(text, str):
        raise ParseError("not text")
    t = text.strip()
    if not t:
        raise ParseError("nothing typed")
    for ch, plain in _SUBSCRIPTS.items():
        t = re.sub(r"_?" + re.escape(ch), "_" + plain, t)
    t = t.replace("\\times", "×").replace("\\cdot", "·")
    t = re.sub(r"_\{\s*(\w)\s*\}", r"_\1", t)
    t = re.sub(r"^\s*(?:∈|\\in\b)?\s*(?:ℝ|\\mathbb\s*\{?\s*R\s*\}?|R(?=\s*\^))?", "", t)
    t = re.sub(r"[\^(){}\[\]]", " ", t).lower()
    dims: list[str] = []
    pos = 0
    while pos < len(t):
        m = _SHAPE_TOKEN.match(t, pos)
        if not m or m.end() == pos:
            raise ParseError(f"{_quote(text.strip())} is not a shape (type it like n_c×d_h)")
        pos = m.end()
        if m.group("num"):
            dims.append(m.group("num"))
        elif m.group("sub"):
            dims.append(m.group("sub"))
        elif m.group("run"):
            parts = _split_run(m.group("run"))
            if parts is None:
                raise ParseError(f"{_quote(m.group('run'))} is not a dimension (type it like n_c×d_h)")
            dims.extend(p for p in parts if p != "x")
    if not dims:
        raise ParseError(f"{_quote(text.strip())} is not a shape (type it like n_c×d_h)")
    return tuple(dims)


def format_shape(dims: tuple[str, ...]) -> str:
    """("n_c", "d_h") -> "n_c×d_h"."""
    return "×".join(dims)
