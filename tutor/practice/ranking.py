"""What to practise next: parts ranked from the student's own progress records.

Why it exists: "Practise what I missed" and "Retake what I got wrong" choose from the scores the
student has, practice and exam alike. Pure functions over the records they are given (progress
rows, or anything with their fields): no I/O, no store, no UI, no numpy. Only `weakest_parts`
without `parts` reads the templates, to know which parts have practice.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

RECENT = 3  # weakest_parts averages this many of a part's newest results


def _get(record: Any, name: str, default: Any = None) -> Any:
    if isinstance(record, Mapping):
        return record.get(name, default)
    return getattr(record, name, default)


def _records(answers: Any) -> Iterable[Any]:
    """The records of `answers`: a {(q, part): record} mapping, or any iterable of records."""
    return answers.values() if isinstance(answers, Mapping) else (answers or ())


def _graded(record: Any) -> tuple[tuple[int, str], float] | None:
    """((question, part), score/points) of a checked record with points; None for the rest."""
    score, points = _get(record, "score"), _get(record, "points")
    if score is None or not points or _get(record, "status") in ("typed", "invalid"):
        return None
    return (int(_get(record, "question")), str(_get(record, "part"))), float(score) / float(points)


def _exam_order(key: tuple[int, str]) -> tuple[int, int, str]:
    """(question, label) in the paper's order: "b" before "c", "2" before "10"."""
    number, label = key
    return (number, int(label), "") if label.isdigit() else (number, 1 << 30, label)


def weakest_parts(practice_results: Iterable[Any], exam_answers: Any, limit: int | None = 3, *,
                  parts: Iterable[tuple[int, str]] | None = None) -> list[tuple[int, str]]:
    """"Practise what I missed": the practice parts to do next, weakest first.

    practice_results: ProgressStore.practice_results() rows (question, part, score, points, done_at
    or at). exam_answers: an attempt's answers ({(q, part): AnswerRecord}) or any iterable of such
    records (several attempts). Drafts, unreadable answers and unchecked records do not count.

    A part's ratio is the mean score/points of its RECENT (3) newest results, practice and exam
    together, newest by done_at/at/checked_at (a record without a time counts as oldest). Order:
    parts with a ratio below 1, lowest first; then parts never attempted; then parts at full
    marks; ties in exam order. Only `parts` count (default: every part that has practice, which
    reads the templates; pass them to keep this free of I/O). `limit` None gives all.
    """
    if parts is None:
        from .variants import practice_parts  # reads the templates: numpy and the solver

        parts = practice_parts()
    universe = sorted(set(parts), key=_exam_order)
    known = set(universe)
    history: dict[tuple[int, str], list[tuple[float, int, float]]] = {}
    records = [(r, _get(r, "done_at", _get(r, "at"))) for r in practice_results or ()]
    records += [(r, _get(r, "checked_at", _get(r, "at"))) for r in _records(exam_answers)]
    for position, (record, when) in enumerate(records):
        graded = _graded(record)
        if graded and graded[0] in known:
            moment = float(when) if isinstance(when, int | float) else -math.inf
            history.setdefault(graded[0], []).append((moment, -position, graded[1]))
    ratio = {key: sum(r for _, _, r in sorted(rows, reverse=True)[:RECENT]) / len(rows[:RECENT])
             for key, rows in history.items()}
    weak = sorted((k for k in universe if k in ratio and ratio[k] < 1 - 1e-9), key=lambda k: ratio[k])
    untried = [k for k in universe if k not in ratio]
    mastered = [k for k in universe if k in ratio and ratio[k] >= 1 - 1e-9]
    ranked = weak + untried + mastered
    return ranked if limit is None else ranked[:max(limit, 0)]


def wrong_parts(answers: Any) -> list[tuple[int, str]]:
    """"Retake what I got wrong": parts of an attempt checked with less than full marks, in exam order.

    answers: ProgressStore.answers(attempt_id), or any iterable of AnswerRecord-like records.
    """
    wrong = {key for key, ratio in filter(None, map(_graded, _records(answers))) if ratio < 1 - 1e-9}
    return sorted(wrong, key=_exam_order)
