"""The exam: its model, read and proven from the content files (content/exam.toml, qNN.toml).

Every fact of the exam lives in the content; this package knows its format (docs/CONTENT.md) and
nothing of what question 5 says. Its parts, each with one job (importers use the names below, from
`tutor.exam`):

- `model`: Exam, Question, Part, Blank, TermGroup, Mistake, Diagram, Computation, ContentError.
- `loader`: `load_exam`, every field checked by the tables of `tutor.content_schema`.
- `proof`: with `prove`, every answer checked against the solver and every named mistake graded.
- `computations`: `evaluate` and `select`, the one path from the content's numbers to the solver.

No UI (no Textual, no rich) and no numerics of its own; numpy, the grader and sympy's names are
imported only when a computation runs or the content is proven.
"""

from __future__ import annotations

from tutor.exam.computations import evaluate, select
from tutor.exam.loader import load_exam
from tutor.exam.model import (
    KINDS,
    Blank,
    Computation,
    ContentError,
    Diagram,
    Exam,
    Mistake,
    Part,
    Question,
    TermGroup,
)
from tutor.exam.proof import prove_mistakes

__all__ = [
    "KINDS", "Blank", "Computation", "ContentError", "Diagram", "Exam", "Mistake", "Part", "Question", "TermGroup",
    "evaluate", "load_exam", "prove_mistakes", "select",
]
