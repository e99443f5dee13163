"""How students write an answer around its value: a name, a unit, the working, several values at once.

`tutor.parsing` reads one value strictly; this module finds that value in what a student really
types and says what else it found, so the grader can give the credit a careful teacher would:

- "18432 params", "3 outputs", "class 2 (chicken)", "≈ 6.06×", "80%": the number, words aside;
- "Total = 3,040", "E = 2.5", "32x3x3x64 = 18,432": the last value counts, and each step of the
  arithmetic shown is checked, so a wrong intermediate can be said (`Slip`);
- "h1=2 h2=-0.5, o1 = 0; o2 = -1.5" in one box: one text per named blank (`split_values`).

It never guesses: a negation ("not 18432", "18432 is wrong"), a second different number ("18432 or
18496") or a multiplier it would have to interpret ("18.4k") makes the answer unreadable, with the
reason, never right. No UI, no numpy, no eval: typed text is only scanned.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from tutor.parsing import MAX_LENGTH, ParseError, evaluate_tokens, normalise, number_tokens, parse_number

__all__ = ["NumberReading", "Slip", "read_number", "split_values", "blank_key", "read_choice"]


@dataclass(frozen=True)
class Slip:
    """A step of the working shown that does not hold: `shown` is `value`, not `claimed`."""

    shown: str
    value: float
    claimed: float


@dataclass(frozen=True)
class NumberReading:
    """The value an answer gives, the slips of the working shown with it, and what was read how."""

    value: float
    slips: tuple[Slip, ...] = ()
    notes: tuple[str, ...] = ()
    decimals: int | None = None  # the decimals typed, when the value is one plain numeral ("0.60": 2)


def _quote(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# Words that deny or doubt what stands next to them: an answer holding one is not read as right.
_NEGATIONS = {
    "not", "no", "never", "nope", "nor", "neither", "wrong", "incorrect", "false", "cannot", "isnt",
    "arent", "wasnt", "dont", "doesnt", "cant", "wont", "shouldnt",
}
_WORDS = re.compile(r"[^\W\d_][\w'’]*")
_ABBREVIATED_NO = re.compile(r"\bno\s*\.|\bno\s+of\b", re.I)  # "no. of parameters": a number, not a "no"
_MULTIPLIERS = {"k", "thousand", "thousands", "m", "mil", "million", "millions", "bn", "billion"}
_COMPARISONS = set("<>≤≥≠±")
_RELATIONS = re.compile(r"\s*(?:==|=>|⇒|→|≈|≃|≅|~=|=)\s*")
_LABEL_COLON = re.compile(r"^\s*([^\W\d][^:=]{0,40}?)\s*:\s*(?=\S)")
_RATIO = re.compile(r"\s*(?::|\bto)\s*1(?:\.0*)?\s*$")
_TIMES_WORD = re.compile(r"(?<=[\d)²³⁰-⁹])(\s*)[xX](?=\s*[\d(.])")
_IDENTIFIER = re.compile(r"(?<![\d.])[^\W\d][\w'’]*(?:-[^\W\d][\w'’]*)*")
_GLUED = re.compile(r"(?<=\d)(?![eE][+-]?\d)([^\W\d_][\w'’]*)")
_QUIET_GROUP = re.compile(r"\([§\s,;/]*\)")  # "(chicken)", "(cat, chicken, dog)": words in parentheses
_OPERATORS = "-+*/^×·⋅∙"
_SYMBOLIC = re.compile(
    "§\\s*[" + re.escape(_OPERATORS) + "(¹²³⁰-⁹]|[" + re.escape(_OPERATORS) + ")]\\s*§"
)
_EXPRESSION = re.compile(r"(?:[\d.,+\-*/^()×·⋅∙ ⁰¹²³⁴⁵⁶⁷⁸⁹⁻%]|(?<=\d)[eE](?=[+-]?\d))+")


def _negation(text: str) -> str | None:
    """The first word of `text` that denies or doubts, if any ("n't" words count)."""
    text = _ABBREVIATED_NO.sub(" ", text)
    for word in _WORDS.findall(text.lower()):
        plain = word.replace("'", "").replace("’", "")
        if plain in _NEGATIONS or word.endswith(("n't", "n’t")):
            return word
    return None


def _has_number(text: str) -> bool:
    """A digit that is not part of a name such as o1, h_2 or W1."""
    return bool(re.search(r"\d", _IDENTIFIER.sub(" ", text)))


@dataclass(frozen=True)
class _Segment:
    """One side of an "=": its value (None if it has no number), how it was typed, its rounding."""

    text: str
    value: float | None
    unit: float = 0.0  # half a unit of the last decimal of the value typed, for checking the working
    rounded: float = 0.0  # the rounding the typed decimals bring into the working
    error: str = ""  # why a side with numbers could not be read
    percent: bool = False
    named: bool = False  # it ends with a name: the "=" after it names the next value ("2,880 Total =")
    decimals: int | None = None  # the decimals typed, when the value is one plain numeral


def _half_unit(number: str) -> float:
    number = number.strip().replace(" ", "")
    decimals = len(number.split(".", 1)[1]) if "." in number and "e" not in number.lower() else 0
    return 0.5 * 10.0**-decimals


def _spans(masked: str) -> list[tuple[int, int]]:
    """The stretches of number and operator characters that hold a digit, split at list commas."""
    spans = []
    for match in _EXPRESSION.finditer(masked):
        offset = match.start()
        # list commas, and a space before "(" after a number ("18432 (32×3×3×64)": the working
        # beside the value, not a product), split the stretch
        separated = re.sub(r"\s*,\s+|\s+,\s*|(?<=[\d)])\s+(?=\()", lambda m: ";" * len(m.group()), match.group())
        for piece in re.finditer(r"[^;]+", separated):
            start, stop = offset + piece.start(), offset + piece.end()
            while start < stop and masked[start] in " ,.":
                start += 1
            while stop > start and masked[stop - 1] in " ,.":
                stop -= 1
            if re.search(r"\d", masked[start:stop]):
                spans.append((start, stop))
    return spans


def _trimmed(tokens: list[str]) -> list[str]:
    """Tokens without the marks around a number that are not operations: "6.06×", "3 -", "(0.8"."""
    while True:
        before = len(tokens)
        while tokens and tokens[-1] in ("+", "-", "*", "/", "^", "("):
            tokens = tokens[:-1]
        while tokens and tokens[0] in ("*", "/", ")"):
            tokens = tokens[1:]
        if tokens and tokens[0] == "(" and tokens.count("(") > tokens.count(")"):
            tokens = tokens[1:]
        if tokens and tokens[-1] == ")" and tokens.count(")") > tokens.count("("):
            tokens = tokens[:-1]
        if len(tokens) == before:
            return tokens


def _segment(text: str) -> _Segment:
    """The number of one side of an "=", with the names and words around it set aside."""
    typed = _TIMES_WORD.sub(lambda m: m.group(1) + "×", text)
    glued = _GLUED.search(typed)
    if glued and (len(glued.group(1)) == 1 and glued.group(1) not in "xX" or not glued.group(1).isascii()):
        return _Segment(text, None, error=f"{_quote(text)} is not a number ('{glued.group(1)}' after a number)")
    masked = _IDENTIFIER.sub(lambda m: "§" * len(m.group()), typed)
    masked = _QUIET_GROUP.sub(lambda m: " " * len(m.group()), masked)
    masked = re.sub(r"(?<=\s)[-–—:](?=\s*§)", ";", masked)  # "3 - the classes": a dash, not a minus
    if not re.search(r"\d", masked):
        return _Segment(text, None)  # a name, or words: a label
    if re.search(r"§\.\d", masked):
        return _Segment(text, None, error=f"{_quote(text)} is not a number")  # "x2.0", "o1.5"
    if _SYMBOLIC.search(masked):
        return _Segment(text, None, error=f"{_quote(text)} is not a number (it calculates with letters)")
    values: list[tuple[float, str]] = []
    percent = False
    spans = _spans(masked)
    for start, stop in spans:
        expression = typed[start:stop]
        if expression.endswith("%"):
            expression, percent = expression[:-1], True
        tokens = number_tokens(expression)
        if tokens is None:
            return _Segment(text, None, error=f"{_quote(text)} is not a number")
        tokens = _trimmed(tokens)
        try:
            value = evaluate_tokens(tokens, expression.strip())
        except ParseError as error:
            return _Segment(text, None, error=str(error))
        if not math.isfinite(value):
            return _Segment(text, None, error="not a finite number")
        values.append((value, expression))
    if not values:
        return _Segment(text, None, error=f"{_quote(text)} is not a number")
    if len({v for v, _ in values}) > 1:
        shown = " and ".join(_quote(e.strip(" ()"), 14) for _, e in values[:2])
        return _Segment(text, None, error=f"two numbers ({shown}): which one is your answer?")
    if percent and (len(values) > 1 or not re.fullmatch(r"[\d.,\s]+", values[-1][1])):
        return _Segment(text, None, error=f"{_quote(text)}: write a percentage alone, e.g. 80%")
    value, expression = values[-1]
    word = _WORDS.match(typed[spans[-1][1]:].lstrip())
    if word and word.group().lower() in _MULTIPLIERS:
        return _Segment(text, None, error=f"write {_quote(expression.strip() + ' ' + word.group())} out in full")
    numerals = re.findall(r"\d[\d, ]*(?:\.\d*)?", expression)
    unit = _half_unit(numerals[-1]) if numerals else 0.5
    rounded = sum(_half_unit(n) for n in numerals if "." in n)
    named = masked.rstrip().endswith("§")
    return _Segment(text, value / 100 if percent else value, unit, rounded, percent=percent, named=named,
                    decimals=None if percent else _typed_decimals(expression))


def _typed_decimals(text: str) -> int | None:
    """How many decimals a plain numeral was typed with ("0.60": 2, "18,432": 0); None otherwise."""
    plain = re.fullmatch(r"\s*[+-]?[\d, ]*\d(?:\.(\d*))?\s*|\s*[+-]?\.(\d+)\s*", text)
    if not plain:
        return None
    return len(plain.group(1) or plain.group(2) or "")


def read_number(text: str) -> NumberReading:
    """The number an answer gives, as a careful teacher reads it; ParseError with the reason if none.

    The last value of an "=" (or "≈") chain counts; a leading name ("Total = ", "E:") and words
    around the number ("18432 params", "class 2 (chicken)") are set aside; "80%" is 0.8; "6.06:1"
    is 6.06. Each "=" of the working whose two sides are numbers is checked, allowing for the
    rounding of the numbers typed, and reported as a Slip when it does not hold.
    """
    if not isinstance(text, str):
        raise ParseError("not text")
    cleaned = normalise(text).strip()
    if not cleaned:
        raise ParseError("nothing typed")
    try:  # the plain case, and the strict reader's own messages ("use a point for decimals")
        if re.search(r"[\d)]\s+\(", cleaned):  # "18,432 (32×3×3×64)": a value and its working
            raise ParseError(f"{_quote(cleaned)} is not a number")
        return NumberReading(parse_number(cleaned), decimals=_typed_decimals(cleaned))
    except ParseError as error:
        strict = error
    if re.fullmatch(r"[+-]?\d+,\d+", cleaned):
        raise strict
    for group in re.findall(r"(?<![\d,.])\d[\d,]*,\d+", cleaned):
        if not re.fullmatch(r"\d{1,3}(?:,\d{3})+", group):
            raise ParseError(f"{_quote(group)} is not a number (use a point for decimals: 0.5)")
    word = _negation(cleaned)
    if word:
        raise ParseError(f"{_quote(cleaned)} says '{word}': type only your answer")
    symbol = next((ch for ch in cleaned if ch in _COMPARISONS), None)
    if symbol:
        raise ParseError(f"{_quote(cleaned)} is a comparison ('{symbol}'), not a number")
    notes: list[str] = []
    label = _LABEL_COLON.match(cleaned)
    if label and not _has_number(label.group(1)):
        cleaned = cleaned[label.end():]
    ratio = _RATIO.search(cleaned)
    if ratio and _has_number(cleaned[: ratio.start()]):
        cleaned = cleaned[: ratio.start()]
        notes.append("read as a ratio to 1")
    segments = [_segment(piece) for piece in _RELATIONS.split(cleaned) if piece.strip()]
    numbered = [s for s in segments if s.value is not None or s.error]
    if not numbered:
        raise strict
    final = numbered[-1]
    if final.value is None:
        raise ParseError(final.error)
    if final.percent:
        notes.append(f"{final.text.strip()} read as {final.value:g}")
    slips = []
    for left, right in zip(numbered, numbered[1:]):
        if left.value is None or right.value is None or left.named:
            continue  # working we cannot read, or "2,880 Total = 3,040": the "=" names the next value
        tolerance = right.unit + left.rounded + 1e-9 * max(abs(left.value), abs(right.value), 1.0)
        if abs(left.value - right.value) > tolerance:
            slips.append(Slip(left.text.strip(), left.value, right.value))
    return NumberReading(final.value, tuple(slips), tuple(notes), final.decimals)


# ------------------------------------------------------------------------------ several values


_KEY_ALIASES = (("ŷ", "yhat"), ("ŷ", "yhat"), ("y^", "yhat"), ("∂", "d"), ("δ", "delta"))


def blank_key(name: str) -> str:
    """A blank's name as typed or as written in the key, reduced for matching: "h₁" == "H_1",
    "∂l/∂o₁" == "dl/do1", "ŷ₂" == "yhat2"."""
    name = name.translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789"))
    name = re.sub(r"[\s_{}]", "", name).lower()
    for typed, plain in _KEY_ALIASES:
        name = name.replace(typed, plain)
    return name


_NAME_WORD = re.compile(r"[^\s,;=:]+")


def split_values(text: str, names: Sequence[str]) -> dict[str, str] | None:
    """One text per blank from "h1=2 h2=-0.5, o1 = 0; o2 = -1.5" (any names of `names`, in any order,
    separated by spaces, commas, semicolons or new lines), or None if `text` names no blank.

    A value may show its working ("h1 = 2×1 − 1×0.5 + 0.5 = 2"): everything up to the next name is
    its text. Raises ParseError when something other than a blank is named first, or a blank twice.
    """
    if len(text) > MAX_LENGTH:
        raise ParseError(f"too long ({len(text):,} characters)")
    keys = {blank_key(n): n for n in names}
    anchors: list[tuple[int, int, str]] = []  # (start of the name, end of its "=", blank)
    for mark in re.finditer(r"[=:]", text):
        offset = max(0, mark.start() - 60)
        words = list(_NAME_WORD.finditer(text, offset, mark.start()))
        found = None
        for take in range(min(3, len(words)), 0, -1):  # "∂l / ∂o₁ =": up to three words
            key = blank_key("".join(w.group() for w in words[-take:]))
            if key in keys:
                found = (words[-take].start(), keys[key])
                break
        if found is None or anchors and found[0] < anchors[-1][1]:
            continue
        anchors.append((found[0], mark.end(), found[1]))
    if not anchors:
        return None
    lead = text[: anchors[0][0]].strip(" \t\n,;")
    if re.search(r"\d", lead):
        raise ParseError(f"{_quote(lead)} is not one of {', '.join(names)}")
    out: dict[str, str] = {}
    for i, (_, end, name) in enumerate(anchors):
        stop = anchors[i + 1][0] if i + 1 < len(anchors) else len(text)
        value = text[end:stop].strip().strip(",;").strip()
        if name in out and value != out[name]:
            raise ParseError(f"{name} is given twice")
        out[name] = value
    return out


# ------------------------------------------------------------------------------------- choices


_CHOICE_WORDS = re.compile(r"^\s*(?:(?:the\s+)?(?:answer|option|choice)(?:\s+is)?\s*[:=]?\s*)", re.I)
_CHOICE_TOKEN = re.compile(r"^[\s(\[]*([a-z]|\d{1,3})\s*(?:[)\].:,;]|$|\s)", re.I)


def read_choice(text: str, choices: Sequence[str]) -> int:
    """The 0-based option of "b", "(b)", "b)", "option b", "answer: 2", "b) the option's text" or the
    option's text itself; ParseError if none, or if the text that follows names another option."""
    n = len(choices)
    letters = "abcdefghijklmnopqrstuvwxyz"[:n]
    stripped = text.strip()
    if not stripped:
        raise ParseError("nothing typed")
    plain = " ".join(stripped.split()).lower()
    for i, choice in enumerate(choices):
        if " ".join(choice.split()).lower() == plain:
            return i
    prefixed = _CHOICE_WORDS.match(stripped)
    body = stripped[prefixed.end():] if prefixed else stripped
    match = _CHOICE_TOKEN.match(body)
    span = f"1 to {n} or a to {letters[-1]}" if n else "an option"
    refused = ParseError(f"{_quote(stripped)} is not an option (choose {span})")
    if not match:
        raise refused
    token, rest = match.group(1).lower(), body[match.end():].strip()
    if token.isdigit():
        index = int(token) - 1 if 1 <= int(token) <= n else None
    else:
        index = letters.index(token) if token in letters else None
        if token == "a" and rest and not prefixed and body[match.end(1):][:1].isspace():
            index = None  # "a residual block …": the article, not option a
    if index is None:
        raise refused
    rest_plain = " ".join(rest.split()).lower().strip(" .")
    for i, choice in enumerate(choices):
        if i != index and rest_plain and " ".join(choice.split()).lower().startswith(rest_plain):
            raise ParseError(f"{_quote(stripped)} names option {letters[index]} but gives the text of {letters[i]}")
    return index
