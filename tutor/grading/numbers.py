"""Numbers and named values: `number` parts (one value, working checked, rounding slips, the
rubric's credit for working) and `values` parts (a blank per name, typed in boxes or as
"h₁ = 2, h₂ = −0.5"), with the part's named mistakes.

Values are read by `tutor.notation` from what is written around them and compared by
`tutor.matching`. No UI, no eval; numpy only when a number is shown (`format_number`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tutor.exam.model import Mistake, Part
from tutor.grading.common import (
    Grade,
    as_text,
    graded,
    half_points,
    invalid,
    matches,
    sentence_of,
    to_decimals,
    work_credit,
    working_note,
)
from tutor.matching import SLIP_SHARE
from tutor.notation import read_number, split_values
from tutor.parsing import ParseError
from tutor.points import format_points


def grade_number(part: Part, response: Any, work_shown: bool) -> Grade:
    from tutor.solver._steps import format_number  # numpy: loaded when a number is graded, not with this module

    try:
        reading = read_number(as_text(response))
    except ParseError as exc:
        return invalid(part, str(exc))
    got, want = reading.value, float(part.answer)
    working = working_note(reading)
    verdict = matches(got, want, part, reading.decimals)
    if verdict == "right":
        return graded(part, part.points, f"Correct: {format_number(got)}.{working}")
    if verdict == "near":
        score = half_points(SLIP_SHARE, float(part.points))
        return graded(
            part, score,
            f"{format_number(got)} is a rounding slip: the answer is {to_decimals(part, want)}; a "
            f"rounding slip earns {format_points(score)} of {format_points(part.points)} (ours).{working}",
        )
    named = next((m for m in part.mistakes if _is_number_mistake(part, m, got)), None)
    lead = f"{format_number(got)} is not the answer" + (f": {sentence_of(named.feedback)}" if named else ".")
    credit = work_credit(part, work_shown)
    if credit:
        return graded(
            part, credit,
            f"{lead} The rubric gives {format_points(credit)} for the working shown.{working}",
        )
    return graded(part, 0, f"{lead}{working}")


def _is_number_mistake(part: Part, mistake: Mistake, got: float) -> bool:
    try:
        return matches(got, read_number(mistake.answer).value, part) == "right"
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
        text = as_text(value)
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


def grade_values(part: Part, response: Any, work_shown: bool) -> Grade:
    if not part.blanks:
        raise ValueError(f"part {part.label}: a values part needs blanks")
    if isinstance(response, Mapping):
        typed = _values_from_boxes(part, {str(k): v for k, v in response.items()})
    else:
        typed = _values_from_text(part, as_text(response))
    if isinstance(typed, str):
        return invalid(part, typed)
    texts = {b.name: as_text(typed.get(b.name, "")) for b in part.blanks}
    if not any(t.strip() for t in texts.values()):
        return invalid(part, "nothing typed")
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
            return invalid(part, f"in {blank.name}: {exc}", (blank.name,))
        got[blank.name] = reading.value
        working += working_note(reading).replace(" Check your working:", f" Check your working for {blank.name}:")
        verdict = matches(reading.value, float(blank.answer), part, reading.decimals)
        if verdict == "near":
            near.append(blank.name)
        elif verdict == "wrong":
            wrong.append(blank.name)
    n = len(part.blanks)
    right = n - len(wrong) - len(near)
    if not wrong and not near:
        return graded(part, part.points, f"Correct: all {n} values.{working}")
    fraction = (right + SLIP_SHARE * len(near)) / n
    score = max(half_points(fraction, float(part.points)), work_credit(part, work_shown))
    missing = [name for name in wrong if not texts[name].strip()]
    feedback = f"{right} of {n} right."
    if wrong:
        feedback += f" Not right: {', '.join(wrong)}."
    if near:
        answers = {b.name: b.answer for b in part.blanks}
        slips = ", ".join(f"{name} is {to_decimals(part, answers[name])}" for name in near)
        feedback += f" Rounding slips (each keeps {SLIP_SHARE:.0%} of its share, ours): {slips}."
    for mistake in part.mistakes:
        if _is_values_mistake(part, mistake, got):
            feedback += f" {sentence_of(mistake.feedback, start=True)}"
    if missing:
        feedback += f" (Left empty: {', '.join(missing)}.)"
    details = tuple(b.name for b in part.blanks if b.name in wrong or b.name in near)
    return graded(part, score, feedback + working, details)


def _is_values_mistake(part: Part, mistake: Mistake, got: dict[str, float]) -> bool:
    values = mistake_values(part, mistake)
    if isinstance(values, str) or not values:
        return False
    for name, text in values.items():
        if name not in got or matches(got[name], read_number(text).value, part) != "right":
            return False
    return True
