"""Exam mode without a UI: is an exam running, how long is left, and grading it once it is over.

While an exam runs nothing is graded: every answer is stored as typed (score None, status "typed"),
with `work_shown` when the student ticked "I wrote out the work" (the rubric of a matrix part needs
it, and the stored text alone does not say it). When the exam is submitted, or its stored
deadline has passed, `grade_exam` grades every stored answer with `tutor.grading.grade`, each on its
own, and stores the scores. It is idempotent, so an exam that ended while the app was closed is graded
on the next start. A text answer the grader cannot decide is stored as checked without a score (status
UNSURE): it is not graded again, blocks nothing, and waits for the student's own mark (`awaiting_mark`).
Each part graded with a score is a review of its card (source "exam"), written with the grade.
The functions that compare with the time take `now` (seconds, time.time() if None): the app's exam
controller passes its own clock's. No Textual here; the screens and the controllers ask these functions.
"""

from __future__ import annotations

import math
import time
from typing import Any

from tutor.exam import Exam
from tutor.progress import LEGACY_WORK_SHOWN, AnswerRecord, Attempt, ProgressStore
from tutor.progress.reviews import ReviewOf

WORK_SHOWN = LEGACY_WORK_SHOWN  # before schema 3; the store still takes it for one release: use work_shown
UNSURE = "unsure"  # checked, but the grader could not decide: no score until the student marks it


def exam_running(attempt: Attempt | None, now: float | None = None) -> bool:
    """The attempt is an exam not yet submitted, before its deadline."""
    if attempt is None or attempt.mode != "exam" or attempt.submitted_at is not None:
        return False
    return attempt.deadline is None or (time.time() if now is None else now) < attempt.deadline


def seconds_left(deadline: float, now: float | None = None) -> int:
    """Whole seconds to the deadline, rounded up (so a fresh 3-hour exam shows 3:00:00), never below 0."""
    return max(0, math.ceil(deadline - (time.time() if now is None else now)))


def format_clock(seconds: int) -> str:
    """3:00:00, 0:59:59, 0:00:05."""
    hours, rest = divmod(max(0, int(seconds)), 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def answered(record: AnswerRecord | None) -> bool:
    """Something was typed or chosen (a record can also hold only a reveal or a step position)."""
    if record is None:
        return False
    value = record.value
    if isinstance(value, dict):
        return any(str(v).strip() for v in value.values())
    return value is not None and bool(str(value).strip())


def blanks(exam: Exam, records: dict[tuple[int, str], AnswerRecord]) -> tuple[list[int], list[str]]:
    """What an exam would hand in blank: the questions with no part answered (their numbers), and
    the parts left blank in the questions begun ("2(b)")."""
    whole: list[int] = []
    parts: list[str] = []
    for q in exam.questions:
        empty = [p.label for p in q.parts if not answered(records.get((q.number, p.label)))]
        if len(empty) == len(q.parts):
            whole.append(q.number)
        else:
            parts += [f"{q.number}({label})" for label in empty]
    return whole, parts


def describe_blanks(exam: Exam, records: dict[tuple[int, str], AnswerRecord]) -> str:
    """ "Left blank (0 points): questions 3, 5, 6; parts 2(b), 4(c)." or "Nothing is left blank." """
    whole, parts = blanks(exam, records)
    if not whole and not parts:
        return "Nothing is left blank."
    said = []
    if whole:
        said.append(f"question{'s' if len(whole) > 1 else ''} {', '.join(map(str, whole))}")
    if parts:
        said.append(f"part{'s' if len(parts) > 1 else ''} {', '.join(parts)}")
    return f"Left blank (they score 0): {'; '.join(said)}."


def ungraded(store: ProgressStore, attempt_id: int) -> list[AnswerRecord]:
    """The attempt's answers that were typed but not graded yet (an unsure one was graded: checked,
    with no score until the student marks it; it is not graded again)."""
    return [r for r in store.answers(attempt_id).values() if not r.checked and answered(r)]


def awaiting_mark(store: ProgressStore, attempt_id: int) -> list[AnswerRecord]:
    """The attempt's answers the grader was unsure of, in the paper's order: the student marks them."""
    return [r for r in store.answers(attempt_id).values() if r.status == UNSURE and r.score is None]


def grade_exam(store: ProgressStore, exam: Exam, attempt_id: int) -> list[str]:
    """Grade every ungraded answer of the attempt, each on its own, and store its score; return what
    went wrong, one line per answer, for the caller to say.

    An answer that cannot be read scores 0 (status "invalid"): in an exam there is no second try (the
    exam screen says so when the answer is kept). One the grader cannot decide is stored with no score
    (status "unsure") for the student to mark. An answer whose grading fails (a bug of ours, never
    the student's) is stored the same way and reported, so it cannot stop the rest of the attempt
    from being graded, on this start or any later one. Parts the exam no longer has are left as they
    are.
    """
    from tutor.grading import grade  # and its parsers: not for the first screen, which only asks exam_running

    problems: list[str] = []
    for record in ungraded(store, attempt_id):
        part = _part(exam, record.question, record.part)
        if part is None:
            continue
        where = f"question {record.question}({record.part})"
        how = ReviewOf("exam")  # each graded part is a review of its card, made at the grading
        try:
            result = grade(part, record.value, work_shown=record.work_shown)
            score, points, status = result.score, result.points, result.status
        except Exception as error:  # a grader bug must not block the attempt: report it, store a 0
            problems.append(f"{where} could not be graded ({type(error).__name__}: {error}); it scores 0")
            score, points, status, how = 0.0, float(part.points), "invalid", None  # ours: not the student's memory
        store.save_answer(attempt_id, record.question, record.part, record.value,
                          score=None if status == UNSURE else score, points=points, status=status,
                          work_shown=record.work_shown, review=how)
    return problems


def finished_ungraded(store: ProgressStore) -> list[Attempt]:
    """Exams submitted (or out of time) with answers still to grade: they ended while the app was
    closed, or it stopped between submitting and grading. Oldest first."""
    store.current_attempt()  # settles an exam whose deadline has passed: submitted at its deadline
    return [
        a for a in store.attempts()
        if a.mode == "exam" and a.submitted_at is not None and ungraded(store, a.id)
    ]


def _part(exam: Exam, number: int, label: str) -> Any:
    try:
        question = exam.question(number)
    except KeyError:
        return None
    return next((p for p in question.parts if p.label == label), None)
