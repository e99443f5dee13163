"""Reading what a student types: numbers, matrices, true/false and shapes.

Plain text in, plain values out, or a `ParseError` whose message says in a few words what is wrong.
No UI, no sympy, no numpy, and never `eval`: every accepted form is matched by a small hand-written
scanner, so nothing typed can run as code. These are the strict readers of one value; the whole
answers students write around a value (a label, a unit, the working, a reason) are read by
`tutor.notation` on top of them.
"""

from __future__ import annotations

import math
import re

__all__ = [
    "ParseError", "parse_number", "parse_matrix", "parse_bool", "parse_shape", "format_shape",
    "normalise", "number_tokens", "evaluate_tokens", "MAX_LENGTH",
]

MAX_LENGTH = 20_000  # characters: longer text is refused before any scanning


class ParseError(ValueError):
    """The text could not be read; the message is a plain reason fit to show the student."""


# Unicode minus, en dash, figure dash, small and full-width hyphen-minus: all read as "-".
_MINUSES = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2012": "-", "\ufe63": "-", "\uff0d": "-"})
# No-break, thin, narrow no-break and figure spaces: thousands separators as often as spaces.
_SPACES = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ", "\u2002": " ", "\u2003": " "})
_FRACTIONS = {"½": "0.5", "¼": "0.25", "¾": "0.75"}
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_TIMES = "x×*·⋅∙"
_NOT_FINITE = {"nan", "inf", "infinity", "∞"}
_MAX_DEPTH = 40  # nested parentheses and signs: deeper is refused, so recursion stays bounded

# One number: thousands groups by commas ("18,432.5") or by spaces ("18 432", thin spaces too), or
# a plain decimal, each with an optional exponent.
_NUMBER = re.compile(
    r"(?:\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d*)?"
    r"|\d{1,3}(?: \d{3})+(?![\d])(?:\.\d*)?"
    r"|\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
)
_OPERATOR = re.compile(r"[+\-/^()" + re.escape(_TIMES) + r"]")
_SUPERSCRIPT = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+")


def _quote(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def normalise(text: str) -> str:
    """Minus signs and odd spaces made plain, and ½ ¼ ¾ standing alone written as decimals."""
    if len(text) > MAX_LENGTH:
        raise ParseError(f"too long ({len(text):,} characters)")
    text = text.translate(_MINUSES).translate(_SPACES)
    for symbol, decimal in _FRACTIONS.items():
        if symbol in text:
            if re.search(r"\d" + symbol + "|" + symbol + r"\d", text):
                raise ParseError(f"{_quote(text)}: write mixed fractions as decimals (2½ is 2.5)")
            text = text.replace(symbol, decimal)
    return text


def number_tokens(text: str, start: int = 0, stop: int | None = None) -> list[str] | None:
    """Numbers and operators of text[start:stop] ("^2" for "²"), or None if anything else is there."""
    out: list[str] = []
    i, n = start, len(text) if stop is None else stop
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        match = _NUMBER.match(text, i, n)
        if match:
            out.append(match.group())
            i = match.end()
            continue
        sup = _SUPERSCRIPT.match(text, i, n)
        if sup:
            digits = sup.group().translate(_SUPERSCRIPT_DIGITS)
            sign, digits = ("-", digits[1:]) if digits.startswith("-") else ("", digits)
            if not digits.isdigit():
                return None
            out += ["^", sign, digits] if sign else ["^", digits]
            i = sup.end()
            continue
        if _OPERATOR.match(ch):
            out.append("*" if ch in _TIMES else ch)
            i += 1
            continue
        return None
    return out


def evaluate_tokens(tokens: list[str], text: str) -> float:
    """The value of number and operator tokens, by the usual precedence.

    sum := term (("+"|"-") term)*;  term := signed (("*"|"/") signed | "(" sum ")")*;
    signed := ["+"|"-"] power;  power := primary ["^" signed];  primary := number | "(" sum ")".
    One sign at most before a value ("--2" is refused); a product may be written "0.5(4)".
    """
    pos = 0

    def fail() -> ParseError:
        return ParseError(f"{_quote(text)} is not a number")

    def peek() -> str:
        return tokens[pos] if pos < len(tokens) else ""

    def primary(depth: int) -> float:
        nonlocal pos
        token = peek()
        if token == "(":
            if depth > _MAX_DEPTH:
                raise ParseError("too many parentheses")
            pos += 1
            value = total(depth + 1)
            if peek() != ")":
                raise fail()
            pos += 1
            return value
        if not token or not (token[0].isdigit() or token[0] == "."):
            raise fail()
        try:
            value = float(token.replace(",", "").replace(" ", ""))
        except ValueError:
            raise fail() from None
        pos += 1
        return value

    def power(depth: int) -> float:
        nonlocal pos
        base = primary(depth)
        if peek() != "^":
            return base
        pos += 1
        exponent = signed(depth + 1)
        if base == 0 and exponent < 0:
            raise ParseError("division by zero")
        if base < 0 and not float(exponent).is_integer():
            raise ParseError(f"{_quote(text)} is not a real number")
        try:
            return math.pow(base, exponent)
        except (OverflowError, ValueError):
            raise ParseError("not a finite number") from None

    def signed(depth: int) -> float:
        nonlocal pos
        if depth > _MAX_DEPTH:
            raise ParseError("too many signs and powers")
        sign = 1.0
        if peek() in ("+", "-"):
            sign = -1.0 if peek() == "-" else 1.0
            pos += 1
        return sign * power(depth)

    def term(depth: int) -> float:
        nonlocal pos
        value = signed(depth)
        while peek() in ("*", "/", "("):
            op = peek()
            if op != "(":
                pos += 1
            right = signed(depth) if op != "(" else power(depth)
            if op == "/":
                if right == 0:
                    raise ParseError("division by zero")
                value /= right
            else:
                value *= right
        return value

    def total(depth: int) -> float:
        nonlocal pos
        value = term(depth)
        while peek() in ("+", "-"):
            op = peek()
            pos += 1
            right = term(depth)
            value = value + right if op == "+" else value - right
        return value

    value = total(0)
    if pos != len(tokens):
        raise fail()
    return value


def parse_number(text: str) -> float:
    """A finite number from what a student typed.

    Accepts "2", " -0.5 ", "−0.5" (Unicode minus), "1e-3", "1/2", "18,432" (commas only between groups
    of three digits), "18 432" (spaces or thin spaces between groups of three), products such as
    "32x3x3x64", "32×3×3×64" or "32*3*3*64", sums of such terms ("160 + 2,880"), parentheses and
    powers ("0.5(1 − 0)² + 0.5×2^2"), and ½ ¼ ¾. Anything else raises ParseError with the reason.
    """
    if not isinstance(text, str):
        raise ParseError("not text")
    cleaned = normalise(text).strip()
    if not cleaned:
        raise ParseError("nothing typed")
    if cleaned.lstrip("+-").strip().lower() in _NOT_FINITE:
        raise ParseError("not a finite number")
    tokens = number_tokens(cleaned)
    if tokens is None:
        if re.fullmatch(r"[+-]?\d+,\d+", cleaned):
            raise ParseError(f"{_quote(cleaned)} is not a number (use a point for decimals: 0.5)")
        raise ParseError(f"{_quote(cleaned)} is not a number")
    try:
        value = evaluate_tokens(tokens, cleaned)
    except OverflowError:  # float ops overflow to inf rather than raise, but be safe
        raise ParseError("not a finite number") from None
    if not math.isfinite(value):
        raise ParseError("not a finite number")
    return value


# The tutor draws matrices with bracket pieces, one row a line: ⎡ 6  8 ⎤ / ⎣ 9  7 ⎦ (⎢ ⎥ between);
# students also type │ or | around rows, and nested brackets or parentheses of any kind.
_OPENS = "[({⎡⎢⎣"
_CLOSES = "])}⎤⎥⎦"
_BARS = "│|"
_BETWEEN_ROWS = re.compile(
    "[" + re.escape(_CLOSES + _BARS) + r"]\s*[,;]?\s*[" + re.escape(_OPENS + _BARS) + "]"
)
_BRACKETS = re.compile("[" + re.escape(_OPENS + _CLOSES) + "]")
_MATRIX_LABEL = re.compile(r"^\s*[^\W\d][\w\s]{0,30}?\s*[=:]\s*")


def parse_matrix(text: str) -> list[list[float]]:
    """Rows of numbers: rows split by ";" or new lines, cells by spaces or commas.

    Brackets are tolerated: "[[6, 8], [9, 7]]", "((6, 8), (9, 7))", "[6 8; 9 7]", "6 8\\n9 7", the
    tutor's own display "⎡6 8⎤ ⎣9 7⎦" (⎢ ⎥ or │ │ around the rows between) and "6 8 | 9 7" all read
    the same, and so does a leading name such as "Output = ". Ragged rows and unreadable cells raise
    ParseError naming the row (and column).
    """
    if not isinstance(text, str):
        raise ParseError("not text")
    flat = normalise(text).strip()
    label = _MATRIX_LABEL.match(flat)
    if label:
        flat = flat[label.end():]
    flat = _BETWEEN_ROWS.sub(";", flat)
    flat = _BRACKETS.sub(" ", flat)
    flat = re.sub("[" + _BARS + "]", ";", flat)
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
_VERDICT = re.compile(r"\s*([^\W_]+)(.*)", re.S)
_REASON = re.compile(r"\s*(?:[,.;:!?)(\-–—]|because\b|since\b|as\b)")
_NEGATED = re.compile(r"\b(?:not|never|isn['’]?t|wasn['’]?t|aren['’]?t)\s+(?:\w+\s+)?$")


def parse_bool(text: str) -> bool:
    """True for true/t/yes/y/1, False for false/f/no/n/0, any case; otherwise ParseError.

    A reason may follow the verdict after a space or a mark ("True, because …", "F - it is
    data-driven", "False: not always"); a reason that also says the opposite verdict ("true … or
    false") is refused, and so is a verdict that does not come first ("not true").
    """
    if not isinstance(text, str):
        raise ParseError("not text")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"too long ({len(text):,} characters)")
    stripped = text.strip()
    match = _VERDICT.match(stripped.lower())
    if not stripped or not match:
        raise ParseError("nothing typed" if not stripped.strip(".!?") else
                         f"{_quote(stripped)} is not true or false (type T or F)")
    word, reason = match.group(1), match.group(2)
    if word not in _TRUE | _FALSE:
        raise ParseError(f"{_quote(stripped)} is not true or false (type T or F)")
    verdict = word in _TRUE
    if reason.strip() and not _REASON.match(reason):
        raise ParseError(f"{_quote(stripped)}: type T or F first, then any reason after a comma")
    opposite = "false" if verdict else "true"
    for found in re.finditer(r"\b" + opposite + r"\b", reason):
        if not _NEGATED.search(reason[: found.start()]):
            raise ParseError(f"{_quote(stripped)} says both true and false: type T or F first")
    return verdict
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
