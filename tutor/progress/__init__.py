"""Attempts, answers and practice results in SQLite, so nothing checked is lost, without a UI.

The package's parts, each with one job (importers use the names below, from `tutor.progress`):

- `records`: what the store hands out and raises (Attempt, AnswerRecord, Saved, Unsaved, NotSaved).
- `store`: `ProgressStore`, the queries and writes (attempts, checks and drafts, practice, Best).
- `transactions`: how a write is done: one transaction each, failed writes kept and tried again.
- `opening`: finding and opening the file, refusing or moving aside what cannot be used, falling
  back to memory with a plain notice.
- `migrations`: the schema version by version (`PRAGMA user_version`), each step after a verified
  backup copy.

Standard library only (no Textual, no rich, no numpy): the app, the command line and the tests
share it. Stored data is plain SQL values and JSON text, never pickles or UI objects. A setting
lives in its module: `BUSY_TIMEOUT_S` in `tutor.progress.opening`, `MIGRATIONS` in
`tutor.progress.migrations` (read here, they are read there; set them there).
"""

from __future__ import annotations

from typing import Any

from tutor.progress import migrations, opening
from tutor.progress.migrations import schema_version
from tutor.progress.opening import FILENAME, NETWORK_FILESYSTEMS, SIDE_FILES, filesystem_type
from tutor.progress.records import (
    DRAFT,
    DRAFT_STATUSES,
    LEGACY_WORK_SHOWN,
    MODES,
    AnswerRecord,
    Attempt,
    Busy,
    NotSaved,
    Saved,
    SchemaTooNew,
    UnknownAttempt,
    Unsaved,
)
from tutor.progress.store import ProgressStore

__all__ = [
    "BUSY_TIMEOUT_S", "DRAFT", "DRAFT_STATUSES", "FILENAME", "LEGACY_WORK_SHOWN", "MIGRATIONS", "MODES",
    "NETWORK_FILESYSTEMS", "SIDE_FILES", "AnswerRecord", "Attempt", "Busy", "NotSaved", "ProgressStore", "Saved",
    "SchemaTooNew", "UnknownAttempt", "Unsaved", "filesystem_type", "schema_version",
]


def __getattr__(name: str) -> Any:
    """The settings as their modules hold them now (a test may have changed one there)."""
    if name == "BUSY_TIMEOUT_S":
        return opening.BUSY_TIMEOUT_S
    if name == "MIGRATIONS":
        return migrations.MIGRATIONS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
