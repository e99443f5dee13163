"""Matrix parts: cell by cell against the key, rounding slips, the rubric's cap when the required
work (question 8: the windows) is not shown, and the part's named mistakes (a transpose).

Matrices are read by `tutor.parsing.parse_matrix` in every notation a student types. No UI, no eval.
"""

from __future__ import annotations

from typing import Any

from tutor.exam.model import Mistake, Part
from tutor.grading.common import Grade, as_text, graded, half_points, invalid, matches, sentence_of, to_decimals
from tutor.matching import SLIP_SHARE
from tutor.parsing import ParseError, parse_matrix
from tutor.points import format_points


def _rows(answer: Any) -> list[list[float]]:
    rows = list(answer)
    if rows and not isinstance(rows[0], (list, tuple)):
        rows = [rows]
    return [[float(v) for v in row] for row in rows]


def grade_matrix(part: Part, response: Any, work_shown: bool) -> Grade:
    try:
        got = parse_matrix(as_text(response))
    except ParseError as exc:
        return invalid(part, str(exc))
    want = _rows(part.answer)
    want_shape = (len(want), len(want[0]) if want else 0)
    got_shape = (len(got), len(got[0]))
    named = next((m for m in part.mistakes if _is_matrix_mistake(part, m, got)), None)
    said = f" {sentence_of(named.feedback, start=True)}" if named else ""
    if got_shape != want_shape:
        return graded(
            part, 0,
            f"Expected a {want_shape[0]}×{want_shape[1]} matrix, got {got_shape[0]}×{got_shape[1]}.{said}",
        )
    verdicts = {(r, c): matches(got[r][c], value, part) for r, row in enumerate(want) for c, value in enumerate(row)}
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
        return graded(part, available, f"{lead} {cells} cells right.{work_note}")
    right = cells - len(wrong) - len(near)
    score = half_points((right + SLIP_SHARE * len(near)) / cells, available)
    feedback = f"{right} of {cells} cells right."
    if wrong:
        feedback += f" Not right: {', '.join(f'row {r + 1} column {c + 1}' for r, c in wrong)}."
    if near:
        slips = ", ".join(f"row {r + 1} column {c + 1} is {to_decimals(part, want[r][c])}" for r, c in near)
        feedback += f" Rounding slips (each keeps {SLIP_SHARE:.0%} of its share, ours): {slips}."
    return graded(part, score, feedback + said + work_note, tuple(sorted(wrong + near)))


def _is_matrix_mistake(part: Part, mistake: Mistake, got: list[list[float]]) -> bool:
    try:
        rows = parse_matrix(mistake.answer)
    except ParseError:
        return False  # `itm528-tutor check` reports an unreadable mistake
    return (len(rows), len(rows[0])) == (len(got), len(got[0])) and all(
        matches(g, m, part) == "right" for got_row, row in zip(got, rows) for g, m in zip(got_row, row))
