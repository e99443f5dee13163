"""Text parts: judged by meaning, clause by clause, by `tutor.judge` on the part's rubric data (its
terms, word classes, `explain` and `restates`: see docs/CONTENT.md). The judge may say "unsure":
then the part is not scored and the student marks it (`tutor.grading.marks`).

The judge is imported when a text part is first graded (it is standard library only, but not
needed before). No UI, no eval.
"""

from __future__ import annotations

import re
from typing import Any

from tutor.exam.model import Part
from tutor.grading.common import Grade, as_text, graded, invalid

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


def grade_text(part: Part, response: Any, work_shown: bool) -> Grade:
    from tutor.judge import judge

    text = as_text(response)
    if not text.strip():
        return invalid(part, "nothing typed")
    if not _WORD.search(text):
        return invalid(part, "no words typed")
    verdict = judge(rubric_of(part), text)
    if verdict.status == "unsure":
        return Grade(0.0, float(part.points), "unsure", verdict.feedback)
    return graded(part, verdict.score, verdict.feedback)
