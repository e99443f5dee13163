"""All-or-nothing readers: true/false and choice parts (by the option's number, letter or words),
with the part's named mistakes.

No UI, no eval: typed text is read by `tutor.parsing` and `tutor.notation`.
"""

from __future__ import annotations

from typing import Any

from tutor.exam.model import Mistake, Part
from tutor.grading.common import Grade, as_text, graded, invalid, sentence_of
from tutor.notation import read_choice
from tutor.parsing import ParseError, parse_bool


def grade_true_false(part: Part, response: Any, work_shown: bool) -> Grade:
    try:
        got = parse_bool(as_text(response))
    except ParseError as exc:
        return invalid(part, str(exc))
    word = "True" if got else "False"
    if got == bool(part.answer):
        return graded(part, part.points, f"Correct: you answered {word}.")
    return graded(part, 0, f"Not right: you answered {word}.")


def grade_choice(part: Part, response: Any, work_shown: bool) -> Grade:
    try:
        index = read_choice(as_text(response), part.choices)
    except ParseError as exc:
        return invalid(part, str(exc))
    label = f"you answered option {index + 1} ({part.choices[index]})"  # numbered as on screen: 1, 2, …
    if index == int(part.answer):
        return graded(part, part.points, f"Correct: {label}.")
    named = next((m for m in part.mistakes if _is_choice_mistake(part, m, index)), None)
    return graded(part, 0, f"Not right: {label}." + (f" {sentence_of(named.feedback, start=True)}" if named else ""))


def _is_choice_mistake(part: Part, mistake: Mistake, index: int) -> bool:
    try:
        return read_choice(mistake.answer, part.choices) == index
    except ParseError:
        return False
