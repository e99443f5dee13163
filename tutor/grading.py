"""Turning a typed answer into a score, by the part's kind, answer and the key's rubric.

`grade(part, response)` never raises for anything a student can type: an answer that cannot be
read comes back as a Grade with status "invalid" (score 0, a reason and what to type), which the
caller shows and does not record; a text answer the judge cannot decide comes back "unsure", for the
student to mark with `self_mark`. A value is found in what is written around it by `tutor.notation`
(a name, a unit, the working: each "=" of it is checked), compared by `tutor.matching` (a tolerance,
or "to 2 decimals" with rounding slips), and a part's named mistakes are said when a wrong answer is
one of them. A text answer is read clause by clause by `tutor.judge`. No UI, no sympy and no eval
here: typed text is read only by the scanners of `tutor.parsing`, `tutor.notation` and `tutor.judge`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tutor.exam import Mistake, Part
from tutor.matching import SLIP_SHARE, rounded, verdict
from tutor.matching import close as _close  # noqa: F401 (the tolerance test, kept here for any grader)
from tutor.notation import NumberReading, read_choice, read_number, split_values
from tutor.parsing import MAX_LENGTH, ParseError, format_shape, parse_bool, parse_matrix, parse_shape
from tutor.points import format_points

__all__ = ["Grade", "SELF_MARKS", "STATUSES", "SLIP_SHARE", "grade", "self_mark", "format_points", "mistake_values"]


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
    "formula": "type it in the question's symbols, e.g. Aᵀb as A^T b, A' b or A.T @ b",
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
    accepts it, a vector "d_x" is the column d_x×1; a wrong number earns `partial_points` only if
    the part has them and work_shown; with `decimals`, a rounding slip earns SLIP_SHARE).
    values: points × right/blanks, rounded to 0.5 (never up to full unless all are right; a rounding
    slip counts SLIP_SHARE of a blank); also "h1=2 h2=−0.5 …" as one str or in any one box.
    matrix: the same on cells, out of `partial_points` when the part has `work_required` and
    work_shown is False. A wrong answer that is one of the part's `mistakes` gets its feedback.
    text: the points of every TermGroup the answer states (tutor.judge: negations, opposites, the
    prompt's own words), capped at the part's, or "unsure". derivation: the student's own mark,
    "full", "partial" or "none". formula: evaluated on the solver's numbers
    (tutor.formula_grading); the right shape alone earns `partial_points`.
    Raises ValueError only for a part the content should not have (unknown kind, no blanks, a key
    shape that does not parse), never for a response.
    """
    grader = _GRADERS.get(part.kind)
    if grader is None:
        raise ValueError(f"part {part.label}: unknown kind {part.kind!r}")
    if response is None:
        response = ""
    texts = response.values() if isinstance(response, Mapping) else [response]
    longest = max((len(t) for t in texts if isinstance(t, str)), default=0)
    if longest > MAX_LENGTH:
        return _invalid(part, f"too long ({longest:,} characters)")
    return grader(part, response, work_shown)


# Helpers ------------------------------------------------------------------------------------------


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text and text[0].isalpha() else text


def _invalid(part: Part, reason: str, details: tuple = ()) -> Grade:
    hint = _HINTS.get(part.kind, "")
    reason = _said(reason, start=True)
    feedback = f"{reason} {_sentence(hint)}." if hint else reason
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


def _match(got: float, want: float, part: Part, typed: int | None = None) -> str:
    """"right", "near" (a rounding slip) or "wrong", by the part's tolerance or decimals."""
    return verdict(got, want, tolerance=part.tolerance, decimals=part.decimals, typed=typed)


def _to_decimals(part: Part, want: float) -> str:
    """The answer as the part asks for it: "2.91 (to 2 decimals)"."""
    from tutor.solver._steps import format_number

    shown = format_number(float(rounded(want, part.decimals or 0)))
    return f"{shown} to {part.decimals} decimal{'s' * (part.decimals != 1)}"


def _working(reading: NumberReading) -> str:
    """What a reading says beyond its value: the slips of the working, percentages read."""
    from tutor.solver._steps import format_number

    said = [f"{slip.shown} is {format_number(slip.value)}, not {format_number(slip.claimed)}" for slip in reading.slips]
    text = f" Check your working: {'; '.join(said)}." if said else ""
    return text + "".join(f" ({_sentence(note)}.)" for note in reading.notes)


def _said(feedback: str, start: bool = False) -> str:
    """A named mistake's feedback as the end of a sentence, or (`start`) as a sentence of its own:
    "rows and columns swapped" -> "Rows and columns swapped.", but "h₂: a sign slip" stays as it is."""
    feedback = " ".join(feedback.split())
    if start and re.match(r"[a-z]{2,}\b", feedback):
        feedback = feedback[0].upper() + feedback[1:]
    return feedback if feedback.endswith((".", "!", "?")) else feedback + "."


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
        reading = read_number(_as_text(response))
    except ParseError as exc:
        return _invalid(part, str(exc))
    got, want = reading.value, float(part.answer)
    working = _working(reading)
    verdict = _match(got, want, part, reading.decimals)
    if verdict == "right":
        return _graded(part, part.points, f"Correct: {format_number(got)}.{working}")
    if verdict == "near":
        score = _half_points(SLIP_SHARE, float(part.points))
        return _graded(
            part, score,
            f"{format_number(got)} is a rounding slip: the answer is {_to_decimals(part, want)}; a "
            f"rounding slip earns {format_points(score)} of {format_points(part.points)} (ours).{working}",
        )
    named = next((m for m in part.mistakes if _is_number_mistake(part, m, got)), None)
    lead = f"{format_number(got)} is not the answer" + (f": {_said(named.feedback)}" if named else ".")
    credit = _work_credit(part, work_shown)
    if credit:
        return _graded(
            part, credit,
            f"{lead} The rubric gives {format_points(credit)} for the working shown.{working}",
        )
    return _graded(part, 0, f"{lead}{working}")


def _is_number_mistake(part: Part, mistake: Mistake, got: float) -> bool:
    try:
        return _match(got, read_number(mistake.answer).value, part) == "right"
    except ParseError:
        return False  # `itm528-tutor check` reports an unreadable mistake; a student never sees it


def _values_from_text(part: Part, text: str) -> dict[str, str] | str:
    """A typed "h1 = 2; h2 = -0.5" or "h1=2 h2=-0.5" (or one bare number for a single blank), else a
    reason."""
    names = [b.name for b in part.blanks]
    try:
        found = split_values(text, names)
    except ParseError as exc:
        return str(exc)
    if found is not None:
        return found
    if len(part.blanks) == 1:
        return {part.blanks[0].name: text}
    named = re.match(r"\s*([^\s=:;,]+(?:\s+[^\s=:;,]+)?)\s*=", text)
    if named and not re.fullmatch(r"[\d.,+\-*/×()\s]+", named.group(1)):
        return f"{named.group(1)!r} is not one of {', '.join(names)}"
    return f"write each value as name = number, e.g. {part.blanks[0].name} = 2"


def _values_from_boxes(part: Part, typed: dict[str, Any]) -> dict[str, str] | str:
    """One text per blank from the boxes, a box that names blanks ("h1=2 h2=-0.5") spread over them."""
    names = [b.name for b in part.blanks]
    out: dict[str, str] = {}
    spread: dict[str, str] = {}
    for name, value in typed.items():
        text = _as_text(value)
        try:
            found = split_values(text, names) if "=" in text or ":" in text else None
        except ParseError as exc:
            return f"in {name}: {exc}"
        if found is None:
            out[name] = text
            continue
        for other, given in found.items():
            if other in spread and spread[other].strip() != given.strip():
                return f"{other} is given twice"
            spread[other] = given
    for name, given in spread.items():
        if out.get(name, "").strip() and out[name].strip() != given.strip():
            return f"{name} is given twice: in its own box and with the others"
        out[name] = given
    return out


def mistake_values(part: Part, mistake: Mistake) -> dict[str, str] | str:
    """The blanks a values mistake is about, with their texts ("h₂ = 0.5"), or why it cannot be read."""
    found = _values_from_text(part, mistake.answer)
    if isinstance(found, str):
        return found
    for name, text in found.items():
        try:
            read_number(text)
        except ParseError as exc:
            return f"in {name}: {exc}"
    return found


def _values(part: Part, response: Any, work_shown: bool) -> Grade:
    if not part.blanks:
        raise ValueError(f"part {part.label}: a values part needs blanks")
    if isinstance(response, Mapping):
        typed = _values_from_boxes(part, {str(k): v for k, v in response.items()})
    else:
        typed = _values_from_text(part, _as_text(response))
    if isinstance(typed, str):
        return _invalid(part, typed)
    texts = {b.name: _as_text(typed.get(b.name, "")) for b in part.blanks}
    if not any(t.strip() for t in texts.values()):
        return _invalid(part, "nothing typed")
    wrong: list[str] = []
    near: list[str] = []
    got: dict[str, float] = {}
    working = ""
    for blank in part.blanks:
        text = texts[blank.name]
        if not text.strip():
            wrong.append(blank.name)
            continue
        try:
            reading = read_number(text)
        except ParseError as exc:
            return _invalid(part, f"in {blank.name}: {exc}", (blank.name,))
        got[blank.name] = reading.value
        working += _working(reading).replace(" Check your working:", f" Check your working for {blank.name}:")
        verdict = _match(reading.value, float(blank.answer), part, reading.decimals)
        if verdict == "near":
            near.append(blank.name)
        elif verdict == "wrong":
            wrong.append(blank.name)
    n = len(part.blanks)
    right = n - len(wrong) - len(near)
    if not wrong and not near:
        return _graded(part, part.points, f"Correct: all {n} values.{working}")
    fraction = (right + SLIP_SHARE * len(near)) / n
    score = max(_half_points(fraction, float(part.points)), _work_credit(part, work_shown))
    missing = [name for name in wrong if not texts[name].strip()]
    feedback = f"{right} of {n} right."
    if wrong:
        feedback += f" Not right: {', '.join(wrong)}."
    if near:
        answers = {b.name: b.answer for b in part.blanks}
        slips = ", ".join(f"{name} is {_to_decimals(part, answers[name])}" for name in near)
        feedback += f" Rounding slips (each keeps {SLIP_SHARE:.0%} of its share, ours): {slips}."
    for mistake in part.mistakes:
        if _is_values_mistake(part, mistake, got):
            feedback += f" {_said(mistake.feedback, start=True)}"
    if missing:
        feedback += f" (Left empty: {', '.join(missing)}.)"
    details = tuple(b.name for b in part.blanks if b.name in wrong or b.name in near)
    return _graded(part, score, feedback + working, details)


def _is_values_mistake(part: Part, mistake: Mistake, got: dict[str, float]) -> bool:
    values = mistake_values(part, mistake)
    if isinstance(values, str) or not values:
        return False
    for name, text in values.items():
        if name not in got or _match(got[name], read_number(text).value, part) != "right":
            return False
    return True


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
    named = next((m for m in part.mistakes if _is_matrix_mistake(part, m, got)), None)
    said = f" {_said(named.feedback, start=True)}" if named else ""
    if got_shape != want_shape:
        return _graded(
            part, 0,
            f"Expected a {want_shape[0]}×{want_shape[1]} matrix, got {got_shape[0]}×{got_shape[1]}.{said}",
        )
    verdicts = {(r, c): _match(got[r][c], value, part) for r, row in enumerate(want) for c, value in enumerate(row)}
    wrong = tuple(cell for cell, verdict in verdicts.items() if verdict == "wrong")
    near = tuple(cell for cell, verdict in verdicts.items() if verdict == "near")
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
    if not wrong and not near:
        lead = "All" if needs_work else "Correct: all"
        return _graded(part, available, f"{lead} {cells} cells right.{work_note}")
    right = cells - len(wrong) - len(near)
    score = _half_points((right + SLIP_SHARE * len(near)) / cells, available)
    feedback = f"{right} of {cells} cells right."
    if wrong:
        feedback += f" Not right: {', '.join(f'row {r + 1} column {c + 1}' for r, c in wrong)}."
    if near:
        slips = ", ".join(f"row {r + 1} column {c + 1} is {_to_decimals(part, want[r][c])}" for r, c in near)
        feedback += f" Rounding slips (each keeps {SLIP_SHARE:.0%} of its share, ours): {slips}."
    return _graded(part, score, feedback + said + work_note, tuple(sorted(wrong + near)))


def _is_matrix_mistake(part: Part, mistake: Mistake, got: list[list[float]]) -> bool:
    try:
        rows = parse_matrix(mistake.answer)
    except ParseError:
        return False  # `itm528-tutor check` reports an unreadable mistake
    return (len(rows), len(rows[0])) == (len(got), len(got[0])) and all(
        _match(g, m, part) == "right" for got_row, row in zip(got, rows) for g, m in zip(got_row, row))


def _choice(part: Part, response: Any, work_shown: bool) -> Grade:
    letters = "abcdefghijklmnopqrstuvwxyz"
    try:
        index = read_choice(_as_text(response), part.choices)
    except ParseError as exc:
        return _invalid(part, str(exc))
    label = f"({letters[index]}) {part.choices[index]}"
    if index == int(part.answer):
        return _graded(part, part.points, f"Correct: {label}.")
    named = next((m for m in part.mistakes if _is_choice_mistake(part, m, index)), None)
    return _graded(part, 0, f"Not right: {label}." + (f" {_said(named.feedback, start=True)}" if named else ""))


def _is_choice_mistake(part: Part, mistake: Mistake, index: int) -> bool:
    try:
        return read_choice(mistake.answer, part.choices) == index
    except ParseError:
        return False


def _shape(part: Part, response: Any, work_shown: bool) -> Grade:
    try:
        got = parse_shape(_as_text(response))
    except ParseError as exc:
        return _invalid(part, str(exc))
    try:
        want = parse_shape(str(part.answer))
    except ParseError as exc:
        raise ValueError(f"part {part.label}: the key's shape {part.answer!r}: {exc}") from None
    note = ""
    if len(got) == 1 and got != ("1",) and len(want) == 2 and "1" in want:
        got, note = (*got, "1"), f" (Read {got[0]} as the column vector {got[0]}×1.)"
    if got == want:
        return _graded(part, part.points, f"Correct: {format_shape(got)}.{note}")
    if part.accept_transpose and got == tuple(reversed(want)):
        return _graded(
            part, part.points,
            f"Accepted: {format_shape(got)} is the transpose of the key's {format_shape(want)}, "
            f"and the key's rubric counts an answer that differs only by a transpose as correct.{note}",
        )
    named = next((m for m in part.mistakes if _is_shape_mistake(m, got)), None)
    said = f" {_said(named.feedback, start=True)}" if named else ""
    return _graded(part, 0, f"{format_shape(got)} is not the shape.{said}{note}")


def _is_shape_mistake(mistake: Mistake, got: tuple[str, ...]) -> bool:
    try:
        return parse_shape(mistake.answer) == got
    except ParseError:
        return False


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
