"""The student's own mark, "full", "partial" or "none": of a derivation (written on paper and marked
against the rubric) and of a text answer the judge was unsure of.

No UI; nothing is read from the mark but the word.
"""

from __future__ import annotations

import math
from typing import Any

from tutor.exam.model import Part
from tutor.grading.common import Grade, as_text, graded, invalid
from tutor.points import format_points

SELF_MARKS = ("full", "partial", "none")

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
    text = as_text(mark).strip().lower()
    if part.kind == "derivation" or not text or text not in _MARKS:
        return grade_derivation(part, text, False)
    mark = _MARKS[text]
    if mark == "full":
        return graded(part, part.points, f"Marked full against the model answer: {format_points(part.points)} points.")
    if mark == "partial":
        credit = self_credit(part)
        shown = f"{format_points(credit)} of {format_points(part.points)}"
        return graded(part, credit, f"Marked partial against the model answer: {shown} points (ours: half).")
    return graded(part, 0, "Marked none against the model answer: no points.")


def grade_derivation(part: Part, response: Any, work_shown: bool) -> Grade:
    text = as_text(response).strip().lower()
    if not text:
        return invalid(part, "nothing marked")
    mark = _MARKS.get(text)
    if mark is None:
        return invalid(part, f"{text[:30]!r} is not a mark")
    if mark == "full":
        full = format_points(part.points)
        return graded(part, part.points, f"Marked full against the rubric: {full} points.")
    if mark == "partial":
        credit = float(part.partial_points)
        if credit <= 0:
            return graded(part, 0, "Marked partial, but the rubric gives no partial credit here.")
        return graded(part, credit, f"Marked partial against the rubric: {format_points(credit)} points.")
    return graded(part, 0, "Marked none: no points. Step through the worked derivation and try again.")
