"""Time for spaced review: moments in UTC, calendar days in local time, and the exam date as typed.

Why it exists: fsrs counts time in UTC moments, a student counts it in local days ("the exam is on
the 4th", "due today"); this is where the two meet, and where a typed exam date is read. Standard
library only and light: the command line reads `--exam-date` with it at start-up.

The day boundary: a day runs from one local midnight to the next in `tz` (a tzinfo; None is this
machine's zone), so the exam day begins at local midnight of the exam date. A moment is a
timezone-aware datetime or epoch seconds (what the progress store keeps); a naive datetime is a
ValueError, never guessed at.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timezone, tzinfo

__all__ = ["MAX_AHEAD_YEARS", "day_start", "local_day", "parse_exam_date", "utc"]

MAX_AHEAD_YEARS = 2  # an exam date further away than this is a typing mistake


def utc(moment: datetime | float) -> datetime:
    """A timezone-aware datetime or epoch seconds as an aware UTC datetime; ValueError otherwise."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"{moment.isoformat()} has no time zone")
        try:
            return moment.astimezone(timezone.utc)
        except OverflowError:
            raise ValueError(f"{moment.isoformat()} is out of range") from None
    if isinstance(moment, (int, float)) and not isinstance(moment, bool) and math.isfinite(moment):
        try:
            return datetime.fromtimestamp(moment, timezone.utc)
        except (OverflowError, OSError, ValueError) as exc:
            raise ValueError(f"{moment} is not a time: {exc}") from None
    raise ValueError(f"{moment!r} is not a time")


def day_start(day: date, tz: tzinfo | None = None) -> datetime:
    """The UTC moment at which `day` begins: local midnight in `tz` (None: this machine's zone)."""
    midnight = datetime.combine(day, time())
    local = midnight.astimezone() if tz is None else midnight.replace(tzinfo=tz)
    return local.astimezone(timezone.utc)


def local_day(moment: datetime | float, tz: tzinfo | None = None) -> date:
    """The local calendar day of `moment` in `tz` (None: this machine's zone)."""
    return utc(moment).astimezone(tz).date()


# The exam date ------------------------------------------------------------------------------------

_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def parse_exam_date(text: str, today: date) -> date:
    """The exam day typed as YYYY-MM-DD, from today up to MAX_AHEAD_YEARS ahead.

    ValueError with a plain sentence for anything else: another format (15/06/2026 is ambiguous,
    so only the year-first form is read), a day that does not exist (2026-13-01, 2026-02-30), a day
    that has passed, or one more than two years away (a mistyped year). Today itself is allowed.
    """
    typed = text.strip()
    found = _DATE.fullmatch(typed)
    if found is None:
        shown = f"{typed!r} is not" if typed else "no date given;"
        raise ValueError(f"{shown} a date as YYYY-MM-DD (the exam day, e.g. {today.isoformat()})")
    year, month, day = (int(g) for g in found.groups())
    if not 1 <= month <= 12:
        raise ValueError(f"{typed} is not a date: there is no month {month}")
    try:
        when = date(year, month, day)
    except ValueError:
        raise ValueError(f"{typed} is not a date: {year:04d}-{month:02d} has no day {day}") from None
    if when < today:
        raise ValueError(f"{when.isoformat()} has passed (today is {today.isoformat()})")
    try:
        furthest = today.replace(year=today.year + MAX_AHEAD_YEARS)
    except ValueError:  # 29 February
        furthest = today.replace(year=today.year + MAX_AHEAD_YEARS, day=28)
    if when > furthest:
        raise ValueError(f"{when.isoformat()} is more than {MAX_AHEAD_YEARS} years away; check the year")
    return when
