"""Turning a typed answer into a score, by the part's kind, answer and the key's rubric.

`grade(part, response)` never raises for anything a student can type: an answer that cannot be
read comes back as a Grade with status "invalid" (score 0, a reason and what to type), which the
caller shows and does not record; a text answer the judge cannot decide comes back "unsure", for the
student to mark with `self_mark`. No UI, no sympy and no eval here: typed text is read only by the
scanners of `tutor.parsing` and, for text parts, by `tutor.judge`.
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

__all__ = ["Grade", "SELF_MARKS", "STATUSES", "grade", "self_mark", "format_points"]

STATUSES = ("correct", "partial", "wrong", "invalid", "unsure")
SELF_MARKS = ("full", "partial", "none")

_HINTS = {
    "true_false": "type T or F",
    "number": "type a number such as 2.5, −1.5, 1/2 or 4×4×2",
    "values": "type a number in each box",
    "matrix": "type the rows separated by ';' or new lines, e.g. 6 8; 9 7",
    "choice": "type the option's number or letter",
    "shape": "type it like n_c×d_h",
    "text": "type your answer in words",
    "derivation": "mark your work full, partial or none against the rubric",
}


@dataclass(frozen=True)
class Grade:
    """What an answer earned.

    status: "correct" (all points), "partial" (some), "wrong" (none), "invalid" (could not be read:
    score 0; the caller records nothing) or "unsure" (a text answer the judge cannot decide: score 0
    and no points yet; the caller stores it with no score, shows the model answer and rubric, and
    the student marks it with `self_mark`). details: for matrix parts the wrong cells as 0-based
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
    has `work_required` and work_shown is False. text: the points of every TermGroup the answer
    states (tutor.judge: negations, opposites, the prompt's own words), capped at the part's, or
    "unsure". derivation: the student's own mark, "full", "partial" or "none".
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


# Text parts: judged by meaning, clause by clause, by tutor.judge on the part's rubric data.

_WORD = re.compile(r"[^\W_]+")
_RUBRICS: dict[Part, Any] = {}


def rubric_of(part: Part) -> Any:
    """The part's compiled rubric (tutor.judge.Rubric), built once per part."""
    from tutor.judge import compile_rubric  # stdlib only, but not needed until a text part is graded

    try:
        cached = _RUBRICS.get(part)
    except TypeError:  # a part built with unhashable fields: compile it each time
        cached = None
    if cached is None:
        texts = (str(part.answer or ""), part.answer_text, part.explanation, part.rubric)
        cached = compile_rubric(part.terms, dict(part.words), part.prompt, texts, part.points, part.explain,
                                part.restates)
        try:
            if len(_RUBRICS) > 256:
                _RUBRICS.clear()
            _RUBRICS[part] = cached
        except TypeError:
            pass
    return cached


def _text(part: Part, response: Any, work_shown: bool) -> Grade:
    from tutor.judge import judge

    text = _as_text(response)
    if not text.strip():
        return _invalid(part, "nothing typed")
    if not _WORD.search(text):
        return _invalid(part, "no words typed")
    verdict = judge(rubric_of(part), text)
    if verdict.status == "unsure":
        return Grade(0.0, float(part.points), "unsure", verdict.feedback)
    return _graded(part, verdict.score, verdict.feedback)


_MARKS = {"full": "full", "f": "full", "partial": "partial", "p": "partial", "none": "none", "n": "none"}


def self_credit(part: Part) -> float:
    """What "partial" earns when a student marks themselves: the part's `partial_points`, else (an
    unsure text part) half its points, rounded down to 0.5 (ours: the key names no number)."""
    if part.partial_points > 0 or part.kind == "derivation":
        return float(part.partial_points)
    return math.floor(float(part.points)) / 2 if part.points >= 1 else 0.0


def self_mark(part: Part, mark: str) -> Grade:
    """The student's own mark, "full", "partial" or "none", of an answer the judge was unsure of
    (or of a derivation): the grade that is then stored like any check, status from the score."""
    text = _as_text(mark).strip().lower()
    if part.kind == "derivation" or not text or text not in _MARKS:
        return _derivation(part, text, False)
    mark = _MARKS[text]
    if mark == "full":
        return _graded(part, part.points, f"Marked full against the model answer: {format_points(part.points)} points.")
    if mark == "partial":
        credit = self_credit(part)
        shown = f"{format_points(credit)} of {format_points(part.points)}"
        return _graded(part, credit, f"Marked partial against the model answer: {shown} points (ours: half).")
    return _graded(part, 0, "Marked none against the model answer: no points.")


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


_GRADERS = {
    "true_false": _true_false,
    "number": _number,
    "values": _values,
    "matrix": _matrix,
    "choice": _choice,
    "shape": _shape,
    "text": _text,
    "derivation": _derivation,
}
