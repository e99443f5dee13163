"""Reading the review cards: retrievability on a day, today's queue, the expected exam score.

Why it exists: the overview's readiness line, the review queue and `progress --json` all read the
same cards the same way. Every figure of memory is fsrs's own (`Scheduler.get_card_retrievability`
through `tutor.review.scheduler`), never a copy of its formula. Pure logic over the cards' JSON
text, like `tutor.review`; no UI, no store, no clock (now is passed in).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from tutor.exam_day import day_start, local_day, utc
from tutor.review import Key, exam_order, read_card, scheduler

__all__ = ["Due", "Readiness", "due_queue", "expected_score", "readiness_line", "retrievability_on", "review_block"]


def retrievability_on(card_json: str, day: date, *, tz: tzinfo | None = None) -> float | None:
    """fsrs's retrievability of the card on `day`, or None for a card never reviewed.

    Taken at the day's end (the next local midnight): fsrs counts whole days since the last review,
    so this makes the count the calendar days between the review's day and `day`, whatever the hour
    of either, and the figure the lowest of the day. CardError for unreadable JSON.
    """
    card = read_card(card_json)
    if card.last_review is None or card.stability is None:
        return None
    return scheduler().get_card_retrievability(card, day_start(day + timedelta(days=1), tz))


@dataclass(frozen=True)
class Due:
    key: Key
    due: datetime  # UTC
    retrievability: float  # now, from fsrs
    stability: float | None


def due_queue(cards: Mapping[Key, str], now: datetime | float, *, tz: tzinfo | None = None) -> list[Due]:
    """The cards due today (due before the next local midnight), weakest memory first.

    Order: fsrs's retrievability now, lowest first; then the longest overdue; then exam order.
    CardError for an unreadable card: pass the store's rows through `load_cards` first.
    """
    at = utc(now)
    end_of_today = day_start(local_day(at, tz) + timedelta(days=1), tz)
    queue = []
    for key, text in cards.items():
        card = read_card(text)
        if card.due < end_of_today:
            strength = scheduler().get_card_retrievability(card, at) if card.last_review else 0.0
            queue.append(Due(key, card.due, float(strength), card.stability))
    return sorted(queue, key=lambda d: (d.retrievability, d.due, exam_order(d.key)))


@dataclass(frozen=True)
class Readiness:
    """Σ points × retrievability on the exam day over the parts reviewed; the rest are unknown."""

    expected: float  # out of seen_points
    seen_points: float  # the points of the parts with a reviewed card
    total_points: float  # every part's points
    unknown: tuple[Key, ...]  # parts never reviewed: in neither figure above, not counted as 0
    by_question: dict[int, tuple[float, float]] = field(default_factory=dict)  # n -> (expected, seen)

    @property
    def unknown_points(self) -> float:
        return self.total_points - self.seen_points


def expected_score(
    cards: Mapping[Key, str], points_by_part: Mapping[Key, float], exam_date: date, *, tz: tzinfo | None = None,
) -> Readiness:
    """The expected exam score from fsrs's retrievability of each part on the exam day.

    Parts of `points_by_part` without a reviewed card are `unknown`; cards of parts not in it (an
    older exam's) are ignored. `by_question` holds each question's share (for the results' bars). CardError for an unreadable card (see `load_cards`).
    """
    unknown = []
    by_question: dict[int, tuple[float, float]] = {}
    for key in sorted(points_by_part, key=exam_order):
        points = float(points_by_part[key])
        strength = retrievability_on(cards[key], exam_date, tz=tz) if key in cards else None
        if strength is None:
            unknown.append(key)
        else:
            expected, seen = by_question.get(key[0], (0.0, 0.0))
            by_question[key[0]] = (expected + points * strength, seen + points)
    expected = sum(e for e, _ in by_question.values())
    seen = sum(s for _, s in by_question.values())
    return Readiness(expected, seen, float(sum(points_by_part.values())), tuple(unknown), by_question)


def review_block(
    cards: Mapping[Key, str], points_by_part: Mapping[Key, float], now: datetime | float,
    exam_date: date | None, *, tz: tzinfo | None = None,
) -> dict[str, Any]:
    """The `review` block of `progress --json` (see docs/REVIEW-PLAN.md), JSON-ready."""
    at = utc(now)
    readiness = expected_score(cards, points_by_part, exam_date, tz=tz) if exam_date else None
    entries = []
    for key in sorted(cards, key=exam_order):
        card = read_card(cards[key])
        entries.append({
            "question": key[0], "part": key[1], "due": card.due.isoformat(), "stability": card.stability,
            "retrievability": scheduler().get_card_retrievability(card, at) if card.last_review else None,
            "retrievability_on_exam_day": retrievability_on(cards[key], exam_date, tz=tz) if exam_date else None,
        })
    return {
        "exam_date": exam_date.isoformat() if exam_date else None,
        "days_left": (exam_date - local_day(at, tz)).days if exam_date else None,
        "due_today": len(due_queue(cards, at, tz=tz)),
        "expected_score": round(readiness.expected, 2) if readiness and readiness.seen_points else None,
        "expected_out_of": readiness.seen_points if readiness else None,
        "unknown_parts": [{"question": q, "part": p, "points": points_by_part[(q, p)]}
                          for q, p in (readiness.unknown if readiness else ())],
        "cards": entries,
    }


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def _points(value: float) -> str:
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 or value >= 10 else f"{value:.1f}"


def readiness_line(
    cards: Mapping[Key, str], points_by_part: Mapping[Key, float], now: datetime | float, exam_date: date | None,
    *, tz: tzinfo | None = None,
) -> str:
    """Readiness at a glance, one line: "Exam in 12 days · 7 parts due today · expected score 71 / 100".

    The expected score is `expected_score`'s (fsrs's retrievability on the exam day): over every part
    when all were reviewed, else "expected 41 of 60 seen, 40 points not yet tried" (a part never
    reviewed is unknown, not 0). Without an exam date it says how to set one.
    """
    at = utc(now)
    today = local_day(at, tz)
    cards = {k: v for k, v in cards.items() if k in points_by_part}
    due = len(due_queue(cards, at, tz=tz))
    due_text = "nothing due today" if not due else f"{_count(due, 'part')} due today"
    if exam_date is None:
        return f"No exam date yet (ctrl+p: Set exam date) · {due_text}"
    days = (exam_date - today).days
    when = ("The exam is today" if days == 0 else "Exam tomorrow" if days == 1 else f"Exam in {days} days"
            if days > 1 else f"The exam day {exam_date.isoformat()} has passed (ctrl+p: Set exam date)")
    ready = expected_score(cards, points_by_part, exam_date, tz=tz)
    total = ready.total_points
    if not ready.seen_points:
        expected = "expected score unknown: no part tried yet"
    elif not ready.unknown:
        expected = f"expected score {_points(ready.expected)} / {_points(total)}"
    else:
        expected = (f"expected {_points(ready.expected)} of {_points(ready.seen_points)} seen,"
                    f" {_points(ready.unknown_points)} points not yet tried")
    return f"{when} · {due_text} · {expected}"
