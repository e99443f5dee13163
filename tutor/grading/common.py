"""What every grader of `tutor.grading` shares: the Grade it returns, how a score becomes a status,
half points, the part's tolerance or decimals, and feedback said as sentences.

It exists so that each kind's grader (numbers, matrices, choices, shapes, text, marks, formula)
is a small module of its own. No UI, no sympy, no eval; numpy only through
`tutor.solver._steps.format_number`, imported inside the functions that show a number.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from tutor.exam.model import Part
from tutor.matching import rounded, verdict
from tutor.notation import NumberReading

STATUSES = ("correct", "partial", "wrong", "invalid", "unsure")

HINTS = {
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


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:] if text and text[0].isalpha() else text


def invalid(part: Part, reason: str, details: tuple = ()) -> Grade:
    hint = HINTS.get(part.kind, "")
    reason = sentence_of(reason, start=True)
    feedback = f"{reason} {capitalised(hint)}." if hint else reason
    return Grade(0.0, float(part.points), "invalid", feedback, details)


def graded(part: Part, score: float, feedback: str, details: tuple = ()) -> Grade:
    points = float(part.points)
    score = max(0.0, min(float(score), points))
    status = "correct" if score >= points else "partial" if score > 0 else "wrong"
    return Grade(score, points, status, feedback, details)


def half_points(fraction: float, available: float) -> float:
    """`fraction` of `available`, rounded to the nearest 0.5, and below `available` unless whole."""
    score = math.floor(fraction * available * 2 + 0.5) / 2
    if fraction < 1:
        score = min(score, max(available - 0.5, 0.0))
    return max(score, 0.0)


def matches(got: float, want: float, part: Part, typed: int | None = None) -> str:
    """"right", "near" (a rounding slip) or "wrong", by the part's tolerance or decimals."""
    return verdict(got, want, tolerance=part.tolerance, decimals=part.decimals, typed=typed)


def to_decimals(part: Part, want: float) -> str:
    """The answer as the part asks for it: "2.91 (to 2 decimals)"."""
    from tutor.solver._steps import format_number

    shown = format_number(float(rounded(want, part.decimals or 0)))
    return f"{shown} to {part.decimals} decimal{'s' * (part.decimals != 1)}"


def working_note(reading: NumberReading) -> str:
    """What a reading says beyond its value: the slips of the working, percentages read."""
    from tutor.solver._steps import format_number

    said = [f"{slip.shown} is {format_number(slip.value)}, not {format_number(slip.claimed)}" for slip in reading.slips]
    text = f" Check your working: {'; '.join(said)}." if said else ""
    return text + "".join(f" ({capitalised(note)}.)" for note in reading.notes)


def sentence_of(feedback: str, start: bool = False) -> str:
    """A named mistake's feedback as the end of a sentence, or (`start`) as a sentence of its own:
    "rows and columns swapped" -> "Rows and columns swapped.", but "h₂: a sign slip" stays as it is."""
    feedback = " ".join(feedback.split())
    if start and re.match(r"[a-z]{2,}\b", feedback):
        feedback = feedback[0].upper() + feedback[1:]
    return feedback if feedback.endswith((".", "!", "?")) else feedback + "."


def as_text(response: Any) -> str:
    if isinstance(response, str):
        return response
    if isinstance(response, (int, float)) and not isinstance(response, bool):
        return repr(response)
    return ""


def work_credit(part: Part, work_shown: bool) -> float:
    """What the rubric gives for working shown when the result is not right (0 if it gives none)."""
    return float(part.partial_points) if work_shown and part.partial_points > 0 else 0.0
