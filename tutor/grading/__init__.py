"""Turning a typed answer into a score, by the part's kind, answer and the key's rubric.

`grade(part, response)` never raises for anything a student can type: an answer that cannot be
read comes back as a Grade with status "invalid" (score 0, a reason and what to type), which the
caller shows and does not record; a text answer the judge cannot decide comes back "unsure", for the
student to mark with `self_mark`. A value is found in what is written around it by `tutor.notation`
(a name, a unit, the working: each "=" of it is checked), compared by `tutor.matching` (a tolerance,
or "to 2 decimals" with rounding slips), and a part's named mistakes are said when a wrong answer is
one of them. A text answer is read clause by clause by `tutor.judge`.

One module per kind of reader, each small: `numbers` (number, values), `matrices`, `choices`
(true/false, choice), `shapes`, `text` (the judge's entry), `marks` (the student's own mark:
derivations, unsure text), `formula` (tutor.formula_grading, loaded when first needed); `common`
holds the Grade and what they share. No UI, no sympy and no eval here: typed text is read only by
the scanners of `tutor.parsing`, `tutor.notation` and `tutor.judge`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tutor.exam.model import Part
from tutor.grading.choices import grade_choice, grade_true_false
from tutor.grading.common import STATUSES, Grade, invalid
from tutor.grading.formula import grade_formula
from tutor.grading.marks import SELF_MARKS, grade_derivation, self_credit, self_mark
from tutor.grading.matrices import grade_matrix
from tutor.grading.numbers import grade_number, grade_values, mistake_values
from tutor.grading.shapes import grade_shape
from tutor.grading.text import grade_text, rubric_of
from tutor.matching import SLIP_SHARE
from tutor.parsing import MAX_LENGTH
from tutor.points import format_points

__all__ = [
    "Grade", "SELF_MARKS", "STATUSES", "SLIP_SHARE", "grade", "self_mark", "self_credit", "format_points",
    "mistake_values", "rubric_of",
]

_GRADERS: dict[str, Callable[[Part, Any, bool], Grade]] = {
    "true_false": grade_true_false,
    "number": grade_number,
    "values": grade_values,
    "matrix": grade_matrix,
    "choice": grade_choice,
    "shape": grade_shape,
    "text": grade_text,
    "derivation": grade_derivation,
    "formula": grade_formula,
}


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
        return invalid(part, f"too long ({longest:,} characters)")
    return grader(part, response, work_shown)

