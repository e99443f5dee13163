"""The content as read last time, so a start need not parse the TOML again (issue 18).

`tomllib` is pure Python: reading the eleven files of the exam takes 15-25 ms on a lab server, and
checking the rubric patterns (which imports the judge) as much again, all before the first screen.
When the texts are exactly those of the last start, by the same tutor, neither is needed: their data
and field lines are read back from one JSON file in the progress folder (C-speed `json`). What is
compared is the whole text of every file, not a hash or a date, so a changed file is never taken
for the old one; the tutor's version, Python's and the size and date of the modules that check the
content are compared too, so new checks run on content cached by older code.

Only content that loaded without a problem is written. The file is the user's alone: it is read only
from a folder and as a file that are the user's and that no one else may write (as tutor.safety asks
of the progress folder), and written with mode 0600 through a temporary file. A cache that cannot
be read or written costs only the parsing: it is never an error, and nothing is said. JSON, never
pickle: reading it runs no code.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

FILE_NAME = "content-cache.json"
_CHECKERS = ("exam", "judge")  # the packages whose checks a cache hit skips or relies on
_CHECKER_FILES = ("content_schema.py", "formula_content.py", "editors.py", "formula.py")


def stamp() -> str:
    """What must not have changed since the cache was written: versions and the checking code."""
    from tutor import __version__

    here = Path(__file__).resolve().parent.parent  # the tutor package
    files = [here / name for name in _CHECKER_FILES]
    for package in _CHECKERS:
        try:
            files += sorted((here / package).glob("*.py"))
        except OSError:
            pass
    parts = [__version__, sys.version]
    for path in files:
        try:
            st = os.stat(path)
        except OSError:
            parts.append(f"{path.name}:-")
            continue
        parts.append(f"{path.name}:{st.st_size}:{st.st_mtime_ns}")
    return " ".join(parts)


def _private(st: os.stat_result) -> bool:
    """The user's, and writable by no one else (POSIX; elsewhere always true)."""
    if not hasattr(os, "geteuid"):
        return True
    return st.st_uid == os.geteuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read(folder: Path, texts: list[tuple[str, str]]) -> dict[str, tuple[dict[str, Any], dict[tuple, int]]] | None:
    """Per file name, the data and field lines stored for exactly these (name, text) pairs; None when
    the cache is missing, unsafe, unreadable, stale or for other texts."""
    try:
        if not _private(os.stat(folder)):
            return None
        fd = os.open(folder / FILE_NAME, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode) or not _private(st) or st.st_size > 16 * 1024 * 1024:
                return None
            stored = json.loads(f.read())
        if stored.get("stamp") != stamp():
            return None
        files = stored["files"]
        if [(name, text) for name, text, _, _ in files] != texts:
            return None
        return {name: (data, {tuple(path): line for path, line in lines}) for name, _, data, lines in files}
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None  # no cache, or not one this tutor wrote: the files are parsed


def write(folder: Path, files: list[tuple[str, str, dict[str, Any], dict[tuple, int]]]) -> None:
    """Store each file's (name, text, data, field lines), if the folder is there and the user's alone;
    silently nothing otherwise (a cache)."""
    try:
        if not _private(os.stat(folder)):
            return
        body = json.dumps({"stamp": stamp(), "files": [
            [name, text, data, [[list(path), line] for path, line in lines.items()]]
            for name, text, data, lines in files]}, ensure_ascii=False, allow_nan=True).encode("utf-8")
    except (OSError, TypeError, ValueError):  # no folder yet (the first start), or a date in the TOML
        return
    temporary = folder / f".{FILE_NAME}.{os.getpid()}"
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(body)
        os.replace(temporary, folder / FILE_NAME)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass
