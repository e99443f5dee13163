"""Shape parts: "n_c×d_h" against the key's shape, a vector read as a column, a transpose when the
part accepts it (the key's rule), and the part's named mistakes.

No UI, no eval: shapes are read by `tutor.parsing.parse_shape`.
"""

from __future__ import annotations

from typing import Any

from tutor.exam.model import Mistake, Part
from tutor.grading.common import Grade, as_text, graded, invalid, sentence_of
from tutor.parsing import ParseError, format_shape, parse_shape


def grade_shape(part: Part, response: Any, work_shown: bool) -> Grade:
    try:
        got = parse_shape(as_text(response))
    except ParseError as exc:
        return invalid(part, str(exc))
    try:
        want = parse_shape(str(part.answer))
    except ParseError as exc:
        raise ValueError(f"part {part.label}: the key's shape {part.answer!r}: {exc}") from None
    note = ""
    if len(got) == 1 and got != ("1",) and len(want) == 2 and "1" in want:
        got, note = (*got, "1"), f" (Read {got[0]} as the column vector {got[0]}×1.)"
    if got == want:
        return graded(part, part.points, f"Correct: {format_shape(got)}.{note}")
    if part.accept_transpose and got == tuple(reversed(want)):
        return graded(
            part, part.points,
            f"Accepted: {format_shape(got)} is the transpose of the key's {format_shape(want)}, "
            f"and the key's rubric counts an answer that differs only by a transpose as correct.{note}",
        )
    named = next((m for m in part.mistakes if _is_shape_mistake(m, got)), None)
    said = f" {sentence_of(named.feedback, start=True)}" if named else ""
    return graded(part, 0, f"{format_shape(got)} is not the shape.{said}{note}")


def _is_shape_mistake(mistake: Mistake, got: tuple[str, ...]) -> bool:
    try:
        return parse_shape(mistake.answer) == got
    except ParseError:
        return False
