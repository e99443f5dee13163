"""Turning a typed answer into a score, by the part's kind, answer and the key's rubric.

`grade(part, response)` never raises for anything a student can type: an answer that cannot be
read comes back as a Grade with status "invalid" (score 0, a reason and what to type), which the
caller shows and does not record. No UI, no sympy and no eval here: typed text is read only by the
scanners of `tutor.parsing`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tutor.exam import Part
from tutor.parsing import ParseError, format_shape, parse_bool, parse_matrix, parse_number, parse_shape
from tutor.points import format_points

__all__ = ["Grade", "STATUSES", "grade", "format_points"]

STATUSES = ("correct", "partial", "wrong", "invalid")

_HINTS = {
    "true_false": "type T or F",
    "number": "type a number such as 2.5, −1.5, 1/2 or 4×4×2",
    "values": "type a number in each box",
    "matrix": "type the rows separated by ';' or new lines, e.g. 6 8; 9 7",
    "choice": "type the option's number or letter",
    "shape": "type it like n_c×d_h",
    "text": "type your answer in words",
    "derivation": "mark your work full, partial or none against the rubric",
    "formula": "type it in the question's symbols, e.g. Aᵀb as A^T b, A' b or A.T @ b",
}


@dataclass(frozen=True)
class Grade:
    """What an answer earned.

    status: "correct" (all points), "partial" (some), "wrong" (none) or "invalid" (could not be read:
    score 0; the caller records nothing). details: for matrix parts the wrong cells as 0-based
    (row, col) pairs; for values parts the names of the wrong (or, if invalid, unreadable) blanks.
    """

    score: float
    points: float
    status: str
    feedback: str
    details: tuple = ()


def grade(part: Part, response: Any, *, work_shown: bool = False) -> Grade:
    """Score `response` against `part`: a str for every kind, or a name -> str mapping for "values".

    true_false, number, choice, shape: all or nothing (a transposed shape counts when the part
    accepts it; a wrong number earns `partial_points` only if the part has them and work_shown).
    values: points × right/blanks, rounded to 0.5 (never up to full unless all are right); also
    "h1 = 2; h2 = −0.5" as one str. matrix: the same on cells, out of `partial_points` when the part
    has `work_required` and work_shown is False. text: the points of every matched TermGroup,
    capped at the part's. derivation: the student's own mark, "full", "partial" or "none".
    formula: evaluated on the solver's numbers (tutor.formula_grading); the right shape alone earns
    `partial_points`.
    Raises ValueError only for a part the content should not have (unknown kind, no blanks, a key
    shape that does not parse), never for a response.
    """
    grader = _GRADERS.get(part.kind)
    if grader is None:
        raise ValueError(f"part {part.label}: unknown kind {part.kind!r}")
    if response is None:
        response = ""
    return grader(part, response, work_shown)


# Helpers ------------------------------------------------------------------------------------------


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text and text[0].isalpha() else text


def _invalid(part: Part, reason: str, details: tuple = ()) -> Grade:
    hint = _HINTS.get(part.kind, "")
    feedback = f"{_sentence(reason)}. {_sentence(hint)}." if hint else f"{_sentence(reason)}."
    return Grade(0.0, float(part.points), "invalid", feedback, details)


def _graded(part: Part, score: float, feedback: str, details: tuple = ()) -> Grade:
    points = float(part.points)
    score = max(0.0, min(float(score), points))
    status = "correct" if score >= points else "partial" if score > 0 else "wrong"
    return Grade(score, points, status, feedback, details)


def _half_points(fraction: float, available: float) -> float:
    """`fraction` of `available`, rounded to the nearest 0.5, and below `available` unless whole."""
    score = math.floor(fraction * available * 2 + 0.5) / 2
    if fraction < 1:
        score = min(score, max(available - 0.5, 0.0))
    return max(score, 0.0)


def _close(got: float, want: float, tolerance: float) -> bool:
    return abs(got - want) <= tolerance or math.isclose(got, want, rel_tol=1e-9, abs_tol=0.0)


def _as_text(response: Any) -> str:
    if isinstance(response, str):
        return response
    if isinstance(response, (int, float)) and not isinstance(response, bool):
        return repr(response)
    return ""


def _work_credit(part: Part, work_shown: bool) -> float:
    """What the rubric gives for working shown when the result is not right (0 if it gives none)."""
    return float(part.partial_points) if work_shown and part.partial_points > 0 else 0.0


# One grader per kind ------------------------------------------------------------------------------


def _true_false(part: Part, response: Any, work_shown: bool) -> Grade:
    try:
        got = parse_bool(_as_text(response))
    except ParseError as exc:
        return _invalid(part, str(exc))
    word = "True" if got else "False"
    if got == bool(part.answer):
        return _graded(part, part.points, f"Correct: {word}.")
    return _graded(part, 0, f"Not right: you answered {word}.")


def _number(part: Part, response: Any, work_shown: bool) -> Grade:
    from tutor.solver._steps import format_number  # numpy: loaded when a number is graded, not with this module

    try:
        got = parse_number(_as_text(response))
    except ParseError as exc:
        return _invalid(part, str(exc))
    if _close(got, float(part.answer), part.tolerance):
        return _graded(part, part.points, f"Correct: {format_number(got)}.")
    credit = _work_credit(part, work_shown)
    if credit:
        return _graded(
            part, credit,
            f"{format_number(got)} is not the answer; the rubric gives "
            f"{format_points(credit)} for the working shown.",
        )
    return _graded(part, 0, f"{format_number(got)} is not the answer.")


def _key(name: str) -> str:
    """A blank's name as typed or as written in the key, reduced for matching: "h₁" == "H_1"."""
    name = name.translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789"))
    return re.sub(r"[\s_{}]", "", name).lower()


def _values_from_text(part: Part, text: str) -> dict[str, str] | str:
    """A typed "h1 = 2; h2 = -0.5" (or one bare number for a single blank), else a reason."""
    if len(part.blanks) == 1 and "=" not in text:
        return {part.blanks[0].name: text}
    names = {_key(b.name): b.name for b in part.blanks}
    out: dict[str, str] = {}
    for piece in re.split(r"[;\n]+", text):
        if not piece.strip():
            continue
        if "=" not in piece:
            return f"write each value as name = number, e.g. {part.blanks[0].name} = 2"
        name, value = piece.split("=", 1)[0], piece.rsplit("=", 1)[1]
        if _key(name) not in names:
            return f"{name.strip()!r} is not one of {', '.join(b.name for b in part.blanks)}"
        out[names[_key(name)]] = value
    return out


def _values(part: Part, response: Any, work_shown: bool) -> Grade:
    if not part.blanks:
        raise ValueError(f"part {part.label}: a values part needs blanks")
    if isinstance(response, Mapping):
        typed = {str(k): v for k, v in response.items()}
    else:
        typed = _values_from_text(part, _as_text(response))
        if isinstance(typed, str):
            return _invalid(part, typed)
    texts = {b.name: _as_text(typed.get(b.name, "")) for b in part.blanks}
    if not any(t.strip() for t in texts.values()):
        return _invalid(part, "nothing typed")
    wrong: list[str] = []
    for blank in part.blanks:
        text = texts[blank.name]
        if not text.strip():
            wrong.append(blank.name)
            continue
        try:
            got = parse_number(text)
        except ParseError as exc:
            return _invalid(part, f"in {blank.name}: {exc}", (blank.name,))
        if not _close(got, float(blank.answer), part.tolerance):
            wrong.append(blank.name)
    n = len(part.blanks)
    right = n - len(wrong)
    if not wrong:
        return _graded(part, part.points, f"Correct: all {n} values.")
    score = max(_half_points(right / n, float(part.points)), _work_credit(part, work_shown))
    missing = [name for name in wrong if not texts[name].strip()]
    feedback = f"{right} of {n} right. Not right: {', '.join(wrong)}."
    if missing:
        feedback += f" (Left empty: {', '.join(missing)}.)"
    return _graded(part, score, feedback, tuple(wrong))


def _rows(answer: Any) -> list[list[float]]:
    rows = list(answer)
    if rows and not isinstance(rows[0], (list, tuple)):
        rows = [rows]
    return [[float(v) for v in row] for row in rows]


def _matrix(part: Part, response: Any, work_shown: bool) -> Grade:
    try:
        got = parse_matrix(_as_text(response))
    except ParseError as exc:
        return _invalid(part, str(exc))
    want = _rows(part.answer)
    want_shape = (len(want), len(want[0]) if want else 0)
    got_shape = (len(got), len(got[0]))
    if got_shape != want_shape:
        return _graded(
            part, 0,
            f"Expected a {want_shape[0]}×{want_shape[1]} matrix, got {got_shape[0]}×{got_shape[1]}.",
        )
    wrong = tuple(
        (r, c)
        for r, row in enumerate(want)
        for c, value in enumerate(row)
        if not _close(got[r][c], value, part.tolerance)
    )
    cells = want_shape[0] * want_shape[1]
    needs_work = bool(part.work_required) and not work_shown
    available = float(part.partial_points) if needs_work else float(part.points)
    work_note = ""
    if needs_work:
        required = part.work_required.strip()
        required += "" if required.endswith((".", "!", "?")) else "."
        work_note = (
            f" The rubric takes points off when only the result is written: {required}"
            f" Without that work the most is {format_points(available)} of"
            f" {format_points(part.points)}."
        )
    if not wrong:
        lead = "All" if needs_work else "Correct: all"
        return _graded(part, available, f"{lead} {cells} cells right.{work_note}")
    names = ", ".join(f"row {r + 1} column {c + 1}" for r, c in wrong)
    score = _half_points((cells - len(wrong)) / cells, available)
    feedback = f"{cells - len(wrong)} of {cells} cells right. Not right: {names}.{work_note}"
    return _graded(part, score, feedback, wrong)


_CHOICE_DECORATION = re.compile(r"^[\s(\[]*(.*?)[\s)\].:]*$", re.S)


def _choice(part: Part, response: Any, work_shown: bool) -> Grade:
    n = len(part.choices)
    text = _as_text(response).strip()
    if not text:
        return _invalid(part, "nothing typed")
    token = _CHOICE_DECORATION.match(text).group(1).strip().lower()  # type: ignore[union-attr]
    letters = "abcdefghijklmnopqrstuvwxyz"[:n]
    index = None
    if token.isascii() and token.isdigit() and 1 <= int(token) <= n:
        index = int(token) - 1
    elif len(token) == 1 and token in letters:
        index = letters.index(token)
    else:
        for i, choice in enumerate(part.choices):
            if " ".join(choice.split()).lower() == " ".join(text.split()).lower():
                index = i
    if index is None:
        span = f"1 to {n} or a to {letters[-1]}" if n else "an option"
        return _invalid(part, f"{text[:30]!r} is not an option (choose {span})")
    label = f"({letters[index]}) {part.choices[index]}"
    if index == int(part.answer):
        return _graded(part, part.points, f"Correct: {label}.")
    return _graded(part, 0, f"Not right: {label}.")


def _shape(part: Part, response: Any, work_shown: bool) -> Grade:
    try:
        got = parse_shape(_as_text(response))
    except ParseError as exc:
        return _invalid(part, str(exc))
    try:
        want = parse_shape(str(part.answer))
    except ParseError as exc:
        raise ValueError(f"part {part.label}: the key's shape {part.answer!r}: {exc}") from None
    if got == want:
        return _graded(part, part.points, f"Correct: {format_shape(got)}.")
    if part.accept_transpose and got == tuple(reversed(want)):
        return _graded(
            part, part.points,
            f"Accepted: {format_shape(got)} is the transpose of the key's {format_shape(want)}, "
            "and the key's rubric counts an answer that differs only by a transpose as correct.",
        )
    return _graded(part, 0, f"{format_shape(got)} is not the shape.")


# Text parts: key terms on word boundaries, tolerant of hyphens, spaces and simple inflections.

_HYPHENS = re.compile(r"[-‐‑‒–—―_]+")
_BREAKS = re.compile(r"[.,;:!?\"|]+")  # words never join across these; brackets may: "H(x) − x"
_WORD = re.compile(r"[^\W_]+")
_SLACK = 2  # extra words a key term may be split into ("dropout" as "drop out")


def _stem(word: str) -> str:
    """A crude stem that only has to agree with itself: dropouts/dropout, overfitting/overfit."""
    word = word.replace("isation", "ization").replace("ising", "izing").replace("ised", "ized")
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    return word


def _forms(words: list[str]) -> set[str]:
    """Two spellings of a run of words: stem of the whole run, and the run of stems."""
    return {_stem("".join(words)), "".join(_stem(w) for w in words)}


def _segments(text: str) -> list[list[str]]:
    text = _HYPHENS.sub(" ", text.lower().replace("'s", "").replace("’s", ""))
    return [_WORD.findall(chunk) for chunk in _BREAKS.split(text)]


def _spans(text: str, longest: int) -> set[str]:
    """The forms of every run of up to `longest` words within one clause of `text`."""
    out: set[str] = set()
    for words in _segments(text):
        for i in range(len(words)):
            for j in range(i + 1, min(i + longest, len(words)) + 1):
                out |= _forms(words[i:j])
    return out


def _term_words(term: str) -> list[str]:
    return [w for seg in _segments(term) for w in seg]


def _text(part: Part, response: Any, work_shown: bool) -> Grade:
    text = _as_text(response)
    if not text.strip():
        return _invalid(part, "nothing typed")
    if not _WORD.search(text):
        return _invalid(part, "no words typed")
    longest = max((len(_term_words(t)) for g in part.terms for t in g.any), default=1) + _SLACK
    spans = _spans(text, longest)
    found: list[str] = []
    missing: list[str] = []
    score = 0.0
    for group in part.terms:
        hit = next((t for t in group.any if _term_words(t) and _forms(_term_words(t)) & spans), None)
        if hit is None:
            missing.append(group.name or "a key term of the rubric")
        else:
            found.append(hit)
            score += float(group.points)
    score = min(score, float(part.points))
    if not found:
        return _graded(part, 0, f"No key term found: the answer needs {' and '.join(missing)}.")
    feedback = f"Found: {', '.join(found)}."
    if score < part.points and missing:
        feedback += f" Missing: {'; '.join(missing)}."
    return _graded(part, score, feedback)


_MARKS = {"full": "full", "f": "full", "partial": "partial", "p": "partial", "none": "none", "n": "none"}


def _derivation(part: Part, response: Any, work_shown: bool) -> Grade:
    text = _as_text(response).strip().lower()
    if not text:
        return _invalid(part, "nothing marked")
    mark = _MARKS.get(text)
    if mark is None:
        return _invalid(part, f"{text[:30]!r} is not a mark")
    if mark == "full":
        full = format_points(part.points)
        return _graded(part, part.points, f"Marked full against the rubric: {full} points.")
    if mark == "partial":
        credit = float(part.partial_points)
        if credit <= 0:
            return _graded(part, 0, "Marked partial, but the rubric gives no partial credit here.")
        return _graded(part, credit, f"Marked partial against the rubric: {format_points(credit)} points.")
    return _graded(part, 0, "Marked none: no points. Step through the worked derivation and try again.")


def _formula(part: Part, response: Any, work_shown: bool) -> Grade:
    """Evaluated against the solver (tutor.formula_grading, which loads numpy: only when needed)."""
    from tutor.formula_grading import judge

    verdict = judge(part, _as_text(response))
    if verdict.invalid:
        return _invalid(part, verdict.feedback)
    return _graded(part, verdict.score, verdict.feedback)


_GRADERS = {
    "true_false": _true_false,
    "number": _number,
    "values": _values,
    "matrix": _matrix,
    "choice": _choice,
    "shape": _shape,
    "text": _text,
    "derivation": _derivation,
    "formula": _formula,
}
