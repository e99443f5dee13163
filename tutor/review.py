"""Spaced review toward the exam day: every gradable part is an FSRS card, without a UI or a store.

Why it exists: scores say what a student got, not when to look again. Each check of a part (study,
exam or practice) is a review of that part's card, keyed by (question, part) and scheduled by `fsrs`
(py-fsrs, the maintained Free Spaced Repetition Scheduler), with the exam day as a horizon: no
interval reaches past it, and every part comes due in the last days before it. Readiness is
Σ points × the library's retrievability on the exam day.

What it must not depend on: Textual, sqlite, numpy, the real clock (every moment is passed in).
Pure logic over plain data: a card and a review log are JSON text (fsrs's own `to_dict`), which the
progress store keeps as they are; never pickles. `fsrs` is imported on first use, so importing this
module costs nothing until the first review. Reading the cards (the queue, readiness) is
`tutor.readiness`; local days and the typed exam date are `tutor.exam_day`.

Time: moments are aware datetimes or epoch seconds, handled in UTC as fsrs requires; the exam date
is a local calendar day in `tz` (None: this machine's zone), beginning at local midnight (see
`tutor.exam_day`).

The scheduler: fsrs's default parameters and desired retention (0.9), without learning steps,
relearning steps or fuzz. Minute steps suit flashcards; a part of this exam is a problem whose model
answer was just on screen, so asking again ten minutes later would test the number, not the method.
Without steps every review schedules whole days (a miss comes back tomorrow, with fresh numbers for
a computational part). Without fuzz a card is a pure function of its reviews, so a card rebuilt from
the history equals the one recorded live; 30-odd cards need no load spreading.

The exam cap (see `review`): the final window is the WINDOW_DAYS days before the exam day. A review
before the window is due by the window's start at the latest; one inside it by the exam day's start.
Once the exam day has begun nothing is capped: there is nothing left to plan toward.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING

from tutor.exam_day import day_start, utc

if TYPE_CHECKING:
    from fsrs import Card, Rating, Scheduler

__all__ = [
    "CLOCK_SLACK", "WINDOW_DAYS", "CardError", "Check", "Key", "Loaded", "Rebuilt", "exam_order", "load_cards",
    "part_name", "rating", "read_card", "rebuild", "replan", "review", "review_check", "scheduler",
]

Key = tuple[int, str]  # (question number, part label)
WINDOW_DAYS = 2  # every part comes due at least once in these last days before the exam day
CLOCK_SLACK = timedelta(hours=1)  # a review stamped later than now by more than this: the clock moved
_EPS = 1e-9


class CardError(ValueError):
    """A stored card that cannot be read; `load_cards` rebuilds such cards."""


@lru_cache(maxsize=1)
def scheduler() -> Scheduler:
    """The one fsrs Scheduler of the tutor (see the module docstring for why these settings)."""
    from fsrs import Scheduler

    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def exam_order(key: Key) -> tuple[int, str]:
    """The sort key of parts: by question, then label."""
    return key[0], key[1]


def part_name(key: Key) -> str:
    """(6, "e") -> "6(e)", as the paper names parts."""
    return f"{key[0]}({key[1]})" if key[1] else str(key[0])


# Ratings ------------------------------------------------------------------------------------------


def rating(
    score: float | None, points: float, *, self_marked: bool = False, first_check: bool = False,
    answer_seen: bool = False,
) -> Rating | None:
    """The FSRS rating of one check of a part, or None when the check is not a review yet.

    0 → Again, partial → Hard, full → Good. Full is Easy only on the part's first check ever
    (`first_check`), graded by the tutor rather than the student's own mark: answered right before
    any study of it, the strongest sign the tutor has that it is known, and worth the longer first
    interval; later full scores (which may recall the number or the model answer seen since) and
    self-marks (students are generous with themselves) stay Good. `answer_seen` (the model answer
    or its worked steps were shown before this check) is Again whatever the score: that was reading,
    not recall. None for `score` None: the grader was unsure and the student has not marked it, so
    nothing is known and nothing is scheduled. ValueError for points ≤ 0 or a score outside 0..points.
    """
    from fsrs import Rating

    if score is None:
        return None
    if not (isinstance(points, (int, float)) and math.isfinite(points) and points > 0):
        raise ValueError(f"points must be a positive number, not {points!r}")
    if not (isinstance(score, (int, float)) and math.isfinite(score) and -_EPS <= score <= points + _EPS):
        raise ValueError(f"a score must be between 0 and {points}, not {score!r}")
    if answer_seen or score <= _EPS:
        return Rating.Again
    if score < points - _EPS:
        return Rating.Hard
    return Rating.Easy if first_check and not self_marked else Rating.Good


# Cards --------------------------------------------------------------------------------------------


def _card_id(key: Key) -> int:
    """A stable id per part, so a rebuilt card keeps the id of the one it replaces."""
    return zlib.crc32(f"{key[0]}:{key[1]}".encode())


def read_card(card_json: str) -> Card:
    """The fsrs Card of stored JSON text, checked; CardError with the reason otherwise."""
    from fsrs import Card, State

    try:
        card = Card.from_dict(json.loads(card_json))
    except (TypeError, ValueError, KeyError, AttributeError) as exc:  # json.JSONDecodeError is a ValueError
        raise CardError(f"not a card: {type(exc).__name__}: {exc}") from None
    try:
        card.due = utc(card.due)
        card.last_review = None if card.last_review is None else utc(card.last_review)
    except ValueError as exc:
        raise CardError(f"not a card: {exc}") from None
    stability, difficulty = card.stability, card.difficulty
    if stability is not None and not (math.isfinite(stability) and stability > 0):
        raise CardError(f"not a card: stability {stability}")
    if difficulty is not None and not (math.isfinite(difficulty) and 1 <= difficulty <= 10):
        raise CardError(f"not a card: difficulty {difficulty}")
    if card.state != State.Learning and (stability is None or difficulty is None):
        raise CardError(f"not a card: {card.state.name} without stability and difficulty")
    return card


def _cap(due: datetime, at: datetime, exam_date: date | None, tz: tzinfo | None) -> datetime:
    if exam_date is None:
        return due
    exam_start = day_start(exam_date, tz)
    if at >= exam_start:
        return due
    window_start = day_start(exam_date - timedelta(days=WINDOW_DAYS), tz)
    limit = window_start if at < window_start else exam_start
    return max(at, min(due, limit))


def review(
    card_json: str | None, grade: Rating | int, now: datetime | float, exam_date: date | None, *,
    key: Key | None = None, tz: tzinfo | None = None,
) -> tuple[str, str]:
    """One review with fsrs's Scheduler: (the card's new JSON, the review log's JSON).

    `card_json` None starts a new card for `key`. The due date is then capped by the exam date:
    - reviewed before the final window (the WINDOW_DAYS days before the exam day): due by the
      window's start. A card due by then stays due until it is reviewed, so every part is due
      throughout the window, and the student has the whole window, not one evening, to get to it;
    - reviewed inside the window: due by the exam day's start (it has been seen in the window);
    - never before the review itself; once the exam day has begun, or with no exam date, fsrs's
      due date as it is.
    Reviewing early is what FSRS is built for: the stability it learns comes from the real times
    between reviews and the retrievability at each, not from the due dates, so the cap moves dates
    and leaves the memory model honest.

    A clock moved backwards (`now` before the card's last review) reviews at the last review's time,
    so the history stays in order; nothing raises for it. CardError for unreadable `card_json`.
    """
    from fsrs import Card, Rating

    if isinstance(grade, bool) or not isinstance(grade, int) or grade not in (1, 2, 3, 4):
        raise ValueError(f"{grade!r} is not an FSRS rating (1 Again to 4 Easy)")
    at = utc(now)
    if card_json is None:
        if key is None:
            raise ValueError("a new card needs its key (question, part)")
        card = Card(card_id=_card_id(key), due=at)
    else:
        card = read_card(card_json)
        if card.last_review is not None and at < card.last_review:
            at = card.last_review
    card, log = scheduler().review_card(card, Rating(int(grade)), review_datetime=at)
    card.due = _cap(card.due, at, exam_date, tz)
    return json.dumps(card.to_dict()), json.dumps(log.to_dict())


@dataclass(frozen=True)
class Check:
    """One checked score of a part: when, what it earned, and how (see `rating`)."""

    at: datetime | float  # aware datetime or epoch seconds
    score: float | None
    points: float
    self_marked: bool = False
    answer_seen: bool = False


def review_check(
    card_json: str | None, check: Check, exam_date: date | None, *, key: Key, tz: tzinfo | None = None,
) -> tuple[str, str] | None:
    """A check as a review (`rating` with first_check for a new card, then `review`); None when the
    check is not a review (no score yet). The one path from a check to a card, live or replayed."""
    grade = rating(
        check.score, check.points, self_marked=check.self_marked, first_check=card_json is None,
        answer_seen=check.answer_seen,
    )
    if grade is None:
        return None
    return review(card_json, grade, check.at, exam_date, key=key, tz=tz)


@dataclass(frozen=True)
class Rebuilt:
    card: str | None  # None: no usable check, so no card
    logs: tuple[str, ...]  # one fsrs ReviewLog JSON per review replayed, in time order
    skipped: int  # checks or logs that could not be used (no score, bad time or score)
    checks: tuple[Check, ...] = ()  # rebuild: the check of each log (its time as replayed)


def rebuild(
    key: Key, checks: Iterable[Check], exam_date: date | None, *, now: datetime | float | None = None,
    tz: tzinfo | None = None,
) -> Rebuilt:
    """The part's card replayed from its checked scores in time order (ties in the given order).

    For a card that cannot be read, or whose history a moved clock has disordered. With `now`, a
    check stamped later than now (a clock that ran ahead) counts as made now. A check that cannot be
    used (no score, a bad time or score) is skipped and counted, never raised.
    """
    limit = None if now is None else utc(now)
    timed: list[tuple[datetime, int, Check]] = []
    skipped = 0
    for n, check in enumerate(checks):
        try:
            at = utc(check.at)
            rating(check.score, check.points)  # validates the score before anything is replayed
        except ValueError:
            skipped += 1
            continue
        if check.score is None:
            skipped += 1
            continue
        timed.append((min(at, limit) if limit is not None else at, n, check))
    card: str | None = None
    logs: list[str] = []
    used: list[Check] = []
    for at, _, check in sorted(timed, key=lambda t: (t[0], t[1])):
        check = replace(check, at=at)
        done = review_check(card, check, exam_date, key=key, tz=tz)
        if done is not None:  # always, since every score left was checked above
            card, log = done
            logs.append(log)
            used.append(check)
    return Rebuilt(card, tuple(logs), skipped, tuple(used))


def replan(key: Key, logs: Iterable[str], exam_date: date | None, *, tz: tzinfo | None = None) -> Rebuilt:
    """The card replayed from its review logs' ratings and times, for a new or changed exam date
    (the cap depends on it; stability and difficulty do not). Unreadable logs are skipped, counted."""
    from fsrs import ReviewLog

    events: list[tuple[datetime, int, int]] = []
    skipped = 0
    for n, text in enumerate(logs):
        try:
            log = ReviewLog.from_dict(json.loads(text))
            events.append((utc(log.review_datetime), n, int(log.rating)))
        except (TypeError, ValueError, KeyError, AttributeError):
            skipped += 1
    card: str | None = None
    out: list[str] = []
    for at, _, grade in sorted(events):
        card, log_json = review(card, grade, at, exam_date, key=key, tz=tz)
        out.append(log_json)
    return Rebuilt(card, tuple(out), skipped)


@dataclass(frozen=True)
class Loaded:
    cards: dict[Key, str]  # every readable card, rebuilt ones included
    rebuilt: dict[Key, Rebuilt]  # what the store writes back: card and logs (card None: delete the row)
    notices: list[str]  # one plain sentence per repaired card


def load_cards(
    rows: Mapping[Key, str | None], history: Mapping[Key, Iterable[Check]], now: datetime | float,
    exam_date: date | None, *, tz: tzinfo | None = None,
) -> Loaded:
    """The store's cards made safe to schedule: never raises for what the store holds.

    A row that cannot be read, or whose last review is later than `now` (the clock moved backwards
    since), is rebuilt from the part's `history` of checks, with a notice. A part with checks but no
    row (a store from before review, a lost row) gets its card built, silently: nothing was lost.
    """
    now_utc = utc(now)
    cards: dict[Key, str] = {}
    rebuilt: dict[Key, Rebuilt] = {}
    notices: list[str] = []
    for key in sorted(set(rows) | set(history), key=exam_order):
        text = rows.get(key)
        reason = None
        if text is not None:
            try:
                card = read_card(text)
            except CardError as exc:
                reason = f"could not be read ({exc})"
            else:
                if card.last_review is not None and card.last_review > now_utc + CLOCK_SLACK:
                    reason = (f"was last reviewed at {card.last_review:%Y-%m-%d %H:%M} UTC, later than now "
                              "(the clock has moved backwards)")
                else:
                    cards[key] = text
                    continue
        done = rebuild(key, history.get(key, ()), exam_date, now=now_utc, tz=tz)
        if done.card is not None:
            cards[key] = done.card
        if done.card is not None or text is not None:
            rebuilt[key] = done
        if reason is not None:
            used = len(done.logs)
            after = (f"rebuilt from {used} checked answer{'s' if used != 1 else ''}" if used
                     else "dropped: no checked answer remains, so it starts again at the next check")
            notices.append(f"The review card of {part_name(key)} {reason}; it was {after}.")
    return Loaded(cards, rebuilt, notices)
