"""Formula parts (question 6): what the student types is evaluated on the solver's numbers by
`tutor.formula_grading`, which loads numpy, so it is imported only when a formula is graded.
It exists so that the other graders, and the first screen, never load it. No UI, no eval.
"""

from __future__ import annotations

from typing import Any

from tutor.exam.model import Part
from tutor.grading.common import Grade, as_text, graded, invalid


def grade_formula(part: Part, response: Any, work_shown: bool) -> Grade:
    """Evaluated against the solver (tutor.formula_grading, which loads numpy: only when needed)."""
    from tutor.formula_grading import judge

    verdict = judge(part, as_text(response))
    if verdict.invalid:
        return invalid(part, verdict.feedback)
    return graded(part, verdict.score, verdict.feedback)
