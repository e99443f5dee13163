"""What the progress store hands out and raises: attempts, answer records, the outcome of a write,
and the plain reasons a write did not reach the file.

It exists so that callers (screens, the command line, exam mode) and the store's own modules share
these values without depending on how the file is opened or written. Standard library only: no
Textual, no rich, no sqlite3 connection (only the result codes of its errors), nothing of tutor.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MODES = ("study", "exam")
DRAFT = "typed"  # the status of what is typed but not checked: a draft
# Until schema version 3 an exam's answer kept with "I wrote out the work" ticked was stored as a
# draft with this status. The store still takes it for one release, as DRAFT with work_shown.
LEGACY_WORK_SHOWN = "typed, work shown"
DRAFT_STATUSES = frozenset({DRAFT, LEGACY_WORK_SHOWN})  # any other status is the status of a check


class SchemaTooNew(Exception):
    """The file was written by a newer itm528-tutor; it is refused and left untouched."""

    def __init__(self, path: Path | str, found: int, known: int) -> None:
        super().__init__(
            f"progress file {path} was written by a newer itm528-tutor (schema {found} > {known}); "
            "it was left untouched, and progress will not be saved"
        )
        self.found, self.known = found, known


class UnknownAttempt(LookupError):
    """No attempt has this id (it never existed, or another session reset the progress)."""


class NotSaved(Exception):
    """A write did not reach the file. `reason` says why in a few words ("locked by another
    session", "disk full", "read-only file"). Answers, marks and practice results are kept and
    tried again before the next write (see `ProgressStore.unsaved`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"not saved: {reason}")
        self.reason = reason


class Busy(NotSaved):
    """Inside `ProgressStore.quick()`: another session holds the lock longer than that allows. The
    write is not kept: the caller does it again, waiting as long as usual (off the UI thread)."""


@dataclass(frozen=True)
class Attempt:
    id: int
    number: int
    mode: str  # "study" | "exam"
    started_at: float  # epoch seconds
    deadline: float | None  # exam mode only
    submitted_at: float | None
    current_question: int


@dataclass(frozen=True)
class AnswerRecord:
    question: int
    part: str
    response: str  # JSON text of what the box holds: the draft if there is one, else the last check's
    score: float | None  # the last check's (None until checked, or a check that awaits a self-mark)
    points: float
    status: str  # the last check's status; before any check the draft's ("typed")
    checked_at: float | None  # the last check's time; None until checked
    revealed: bool
    steps_shown: int
    checked_response: str | None = None  # JSON text of what was last checked
    draft: str | None = None  # JSON text typed since the last check (None: nothing new)
    version: int = 0  # the row's version: +1 on every change
    work_shown: bool = False  # "I wrote out the work" ticked, for what the box holds (as `response`)

    @property
    def value(self) -> Any:
        """What was typed, decoded: a str, or a dict for a part with several blanks."""
        return json.loads(self.response)

    @property
    def checked(self) -> bool:
        return self.checked_at is not None

    @property
    def checked_value(self) -> Any:
        """What was last checked, decoded (None before any check)."""
        return None if self.checked_response is None else json.loads(self.checked_response)

    @property
    def edited(self) -> bool:
        """Typed differently since the last check: the score belongs to what was checked."""
        return self.checked and self.draft is not None


@dataclass(frozen=True)
class Unsaved:
    """A write kept because it failed; it is tried again before the next write."""

    attempt_id: int | None
    question: int | None
    part: str | None
    kind: str  # "check" | "draft" | "revealed" | "steps" | "current" | "practice"
    response: Any = None
    score: float | None = None
    points: float = 0.0
    status: str = ""
    reason: str = ""
    work_shown: bool = False  # a check's or a draft's "I wrote out the work"

    def describe(self) -> str:
        """ "9(a) check", "4(b) draft", "the current question"."""
        if self.kind == "current":
            return "the current question"
        what = {"revealed": "reveal", "steps": "step position", "practice": "practice result"}.get(self.kind, self.kind)
        return f"{self.question}({self.part}) {what}"


@dataclass(frozen=True)
class Saved:
    """What a write did. `retried`: earlier failed writes that reached the file before this one."""

    version: int = 0  # the row's version now: what this session has seen of it
    written: bool = True  # False: a draft kept out because the row has a newer check (in `record`)
    record: AnswerRecord | None = None
    retried: tuple[Unsaved, ...] = ()
    durable: bool = True  # False: the store keeps progress in memory only (nothing reaches a file)
    row: tuple[int, int, str] | None = field(default=None, repr=False, compare=False)  # (attempt, q, part)


# SQLite result codes (primary, the low byte) that mean the file itself is damaged, and those that
# mean we cannot write it now; either makes a write raise NotSaved (and be tried again later).
DAMAGED = frozenset({11, 26})  # SQLITE_CORRUPT, SQLITE_NOTADB
UNWRITABLE = frozenset({3, 5, 6, 8, 10, 13, 14, 15})  # PERM BUSY LOCKED READONLY IOERR FULL CANTOPEN PROTOCOL
REOPEN = frozenset({3, 8, 10, 14})  # after these, the next write opens the file afresh (it may be writable again)
LOCKED = frozenset({5, 6})  # SQLITE_BUSY, SQLITE_LOCKED: another session holds the lock
_REASONS = {
    3: "no permission to write the progress file",
    5: "locked by another session",
    6: "locked by another session",
    8: "read-only file",
    10: "disk error",
    11: "the progress file is damaged",
    13: "disk full",
    14: "cannot open the progress file",
    15: "locked by another session",
    26: "the progress file is damaged",
}


def result_code(exc: sqlite3.Error) -> int:
    """The primary SQLite result code of an error (0 when it carries none)."""
    return (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF


def why(exc: sqlite3.Error) -> str:
    """A failed write's reason in a few words, as NotSaved says it."""
    return _REASONS.get(result_code(exc), str(exc) or type(exc).__name__)
