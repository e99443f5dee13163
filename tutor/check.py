"""`itm528-tutor check`: validate the content, prove every numeric answer with the solver, and prove
every named mistake readable by its part's grader and wrong.

No UI: plain text (or JSON) on the given streams, so the command works in scripts and CI. The
checking itself is `tutor.exam.load_exam`; this module only reports on it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TextIO

from tutor.exam import ContentError, Exam, load_exam


def run_check(
    content_dir: str | os.PathLike[str] | None = None,
    as_json: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Load and prove the content; print a summary (or the outline as JSON). 0 if sound, else 1."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        exam = load_exam(Path(content_dir) if content_dir is not None else None)
    except ContentError as error:
        for line in error.problems:
            print(line, file=err)
        print(f"itm528-tutor: the content has {_count(len(error.problems), 'problem')}", file=err)
        return 1
    if as_json:
        print(json.dumps(outline(exam), ensure_ascii=False), file=out)
    else:
        numbers, shapes = proven_answers(exam)
        formulas, examples = proven_formulas(exam)
        also = [_count(n, noun) for n, noun in ((shapes, "shape"), (formulas, "formula")) if n]
        also_said = "".join(f", {a}" for a in also[:-1]) + (f" and {also[-1]}" if also else "")
        tried = f" ({_count(examples, 'example answer')} accepted or rejected as the content says)" if examples else ""
        mistakes = sum(len(part.mistakes) for question in exam.questions for part in question.parts)
        named = f"; {_count(mistakes, 'named mistake')} read by the grader and proven wrong" if mistakes else ""
        print(
            f"{exam.title}: {_count(len(exam.questions), 'question')}, {_points(exam.total)} points, "
            f"{_count(numbers, 'numeric answer')}{also_said} proven by the solver{tried}{named}",
            file=out,
        )
    return 0


def outline(exam: Exam) -> dict:
    """The exam's shape: total, and per question its number, title, points and parts."""
    return {
        "total": _points(exam.total),
        "questions": [
            {
                "number": q.number,
                "title": q.title,
                "points": _points(q.points),
                "parts": [
                    {"label": p.label, "points": _points(p.points), "kind": p.kind} for p in q.parts
                ],
            }
            for q in exam.questions
        ],
    }


def proven_answers(exam: Exam) -> tuple[int, int]:
    """How many numbers (parts and blanks) and shapes a loaded exam has proven with the solver."""
    numbers = shapes = 0
    for question in exam.questions:
        for part in question.parts:
            if part.kind == "values":
                numbers += sum(1 for blank in part.blanks if blank.source or part.source)
            elif part.kind == "shape":
                shapes += bool(part.source)
            elif part.kind == "formula":
                continue  # proven_formulas
            elif part.source:
                numbers += 1
    return numbers, shapes


def proven_formulas(exam: Exam) -> tuple[int, int]:
    """How many formula parts a loaded exam has proven by evaluation, and how many example answers
    (the key's formula, the accepted and the rejected examples) it has checked."""
    formulas = [p.formula for q in exam.questions for p in q.parts if p.kind == "formula" and p.formula]
    return len(formulas), sum(1 + len(f.accept) + len(f.reject) for f in formulas)


def _points(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"
