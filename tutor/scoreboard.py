"""The scores of an attempt in one place: per question its score, points, status and best; the total,
the best total and both weighted to the course; the answers left for the student to mark.

Read from the progress store once per attempt and grouped and summed here, nowhere else: the
overview, the results screen and `itm528-tutor progress` (tutor.report) all show a `Scoreboard`.
A running exam has no scores yet: its rows show none and its statuses count the parts answered.
The exam's facts come in as a `Paper` (points, part labels, total, weight), so another exam
(`--content DIR`) is scored the same way. No Textual and no grading here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tutor.exam_session import UNSURE, answered, exam_running
from tutor.points import weighted_score
from tutor.progress import AnswerRecord, Attempt, ProgressStore


@dataclass(frozen=True)
class Paper:
    """What scoring needs of an exam: each question's points (and part labels), the total, the weight."""

    points: Mapping[int, float]
    total: float
    weight: float  # the exam's share of the course: 0.35
    parts: Mapping[int, tuple[str, ...]] = field(default_factory=dict)  # none known: no statuses
    part_points: Mapping[tuple[int, str], float] = field(default_factory=dict)  # each part's: readiness
    self_marked: frozenset[tuple[int, str]] = frozenset()  # the parts the student always marks (derivations)

    @classmethod
    def of(cls, exam: Any) -> Paper:
        """The paper of a `tutor.exam.Exam`."""
        parts = [(q.number, p) for q in exam.questions for p in q.parts]
        return cls({q.number: float(q.points) for q in exam.questions}, float(exam.total), float(exam.weight),
                   {q.number: tuple(p.label for p in q.parts) for q in exam.questions},
                   {(n, p.label): float(p.points) for n, p in parts},
                   frozenset((n, p.label) for n, p in parts if p.kind == "derivation"))


@dataclass(frozen=True)
class Row:
    """One question of one attempt."""

    number: int
    points: float
    score: float | None  # the sum of its parts' last checked scores; None: nothing scored (or a running exam)
    status: str  # "not started", "in progress", "~ to mark", "done"; in a running exam "answered"
    best: float | None  # the best it ever scored, over every attempt and check


@dataclass(frozen=True)
class Scoreboard:
    """An attempt's scores. `to_mark`: its answers the grader was unsure of, in the paper's order."""

    attempt: Attempt
    running: bool  # an exam not yet submitted: no scores are shown
    rows: tuple[Row, ...]
    paper: Paper
    to_mark: tuple[AnswerRecord, ...] = ()

    @property
    def total(self) -> float:
        return sum(r.score for r in self.rows if r.score is not None)

    @property
    def weighted(self) -> float:
        return weighted_score(self.total, self.paper.total, self.paper.weight)

    @property
    def best_total(self) -> float:
        return sum(r.best for r in self.rows if r.best is not None)

    @property
    def best_weighted(self) -> float:
        return weighted_score(self.best_total, self.paper.total, self.paper.weight)

    @property
    def answered(self) -> int:
        """Questions with every part answered (what a running exam counts)."""
        return sum(1 for r in self.rows if r.status == "answered")

    @property
    def begun(self) -> int:
        """Questions with some parts answered but not all (a running exam's "in progress")."""
        return sum(1 for r in self.rows if r.status == "in progress")

    @property
    def marks_due(self) -> list[str]:
        """The answers to mark, as "9(c)"."""
        return [f"{r.question}({r.part})" for r in self.to_mark]

    def row(self, number: int) -> Row:
        return next(r for r in self.rows if r.number == number)


def question_status(records: Sequence[AnswerRecord], parts: int, exam: bool = False) -> str:
    """ "not started", "in progress", "~ to mark" (an answer the grader was unsure of waits for the
    student's mark) or "done" (every part checked); during an exam, where nothing is checked until
    the end, "answered" (every part has an answer) instead of "done"."""
    if exam:
        count = sum(1 for r in records if answered(r))
        return "answered" if count >= parts else "in progress" if count else "not started"
    if any(r.status == UNSURE and r.score is None for r in records):
        return "~ to mark"
    checked = sum(1 for r in records if r.checked)
    if checked >= parts:
        return "done"
    return "in progress" if any(r.checked or r.value not in (None, "", {}) for r in records) else "not started"


def read(store: ProgressStore, paper: Paper, attempt: Attempt | None = None, *, now: float | None = None,
         best: Mapping[int, float] | None = None) -> Scoreboard:
    """The scoreboard of `attempt` (the current one if None); `now` decides whether an exam still runs."""
    attempt = store.current_attempt() if attempt is None else attempt
    best = store.best_scores() if best is None else best
    running = exam_running(attempt, now)
    by_question: dict[int, list[AnswerRecord]] = {}
    for (number, _), record in store.answers(attempt.id).items():
        by_question.setdefault(number, []).append(record)
    rows = []
    for number, points in sorted(paper.points.items()):
        records = by_question.get(number, [])
        scores = [r.score for r in records if r.score is not None]
        rows.append(Row(number, points, None if running or not scores else sum(scores),
                        question_status(records, len(paper.parts.get(number, ())), exam=running), best.get(number)))
    labels = {(n, label) for n, parts in paper.parts.items() for label in parts}
    due = tuple(r for n in sorted(paper.points) for r in by_question.get(n, [])
                if r.status == UNSURE and r.score is None and (not labels or (r.question, r.part) in labels))
    return Scoreboard(attempt, running, tuple(rows), paper, () if running else due)


def history(store: ProgressStore, paper: Paper, *, now: float | None = None) -> list[Scoreboard]:
    """The scoreboard of every attempt, oldest first."""
    best = store.best_scores()
    return [read(store, paper, attempt, now=now, best=best) for attempt in store.attempts()]
