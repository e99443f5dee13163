"""Whether a folder or file is the student's alone, before progress is kept in it; no UI.

On a shared lab server anyone may have made the folder that `ITM528_TUTOR_DATA_DIR` or
`--data-dir` names, or left it open to everyone. Kept there, the answers could be read by the
other user and the files swapped under the tutor. So, as ssh's StrictModes and tmux's socket
folder do, a place that is not the student's alone is refused, with one line that names the folder
or file and what is wrong; nothing of it is changed (no chmod of a folder the student made).

The rules:
- the data folder and the progress file (and SQLite's -wal, -shm and -journal beside it) must
  belong to the user and not be writable by group or others;
- no folder above the data folder may be writable by others unless it has the sticky bit (/tmp
  has it): there anyone could move the data folder away and put their own in its place. A folder
  above that its group may write is allowed: with a group of one's own (Debian's umask 002) that
  is the usual case, and who shares it is its owner's choice;
- a symbolic link on the way must belong to the user or to root, who alone can point it elsewhere;
- the folders made here are 0700, the missing parents too (`Path.mkdir(parents=True)` would make
  them with the umask's mode, often 0775).

Standard library only. Where the platform has no owners and modes (Windows), nothing is checked.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["UnsafePlace", "check_file", "private_folder"]

SIDE_FILES = ("-wal", "-shm", "-journal")  # what SQLite keeps beside a database file
CHECKED = hasattr(os, "geteuid")  # POSIX owners and modes


class UnsafePlace(Exception):
    """A folder or file that is not the user's alone: one line naming it and what is wrong."""


def private_folder(folder: str | os.PathLike[str]) -> Path:
    """The data folder, made (0700, with any missing parents) if need be and checked to be the
    user's alone. Raises UnsafePlace for a folder that is not, OSError when it cannot be made."""
    folder = Path(folder)
    _check_above(folder)  # before anything is made inside a folder others may change
    _make(folder)
    _check_above(folder)  # a link on the way may have been made meanwhile
    if CHECKED:
        _check_owner_and_mode(f"progress folder {folder}", folder, os.stat(folder), "700")
    return folder


def check_file(path: str | os.PathLike[str]) -> None:
    """Raise UnsafePlace if the progress file or a file SQLite keeps beside it exists and is not
    the user's alone (another user's, or writable by group or others). A missing file is fine."""
    if not CHECKED:
        return
    for side in ("", *SIDE_FILES):
        name = f"{path}{side}"
        try:
            st = os.stat(name)
        except FileNotFoundError:
            continue
        _check_owner_and_mode(f"progress file {name}", Path(name), st, "600")


# ------------------------------------------------------------------------------------------- rules


def _check_owner_and_mode(what: str, path: Path, st: os.stat_result, private: str) -> None:
    me = os.geteuid()
    if st.st_uid != me:
        raise UnsafePlace(
            f"{what} belongs to {_user(st.st_uid)}, not to you ({_user(me)}): they could read and change "
            "your answers; use a folder of your own (--data-dir DIR)"
        )
    writers = [who for who, bit in (("its group", stat.S_IWGRP), ("others", stat.S_IWOTH)) if st.st_mode & bit]
    if writers:
        raise UnsafePlace(
            f"{what} can be written by {' and '.join(writers)} (mode {_mode(st)}): they could swap your "
            f"answers; make it yours alone (chmod {private} {path}) or use another folder"
        )


def _check_above(folder: Path) -> None:
    """Every folder above `folder` (as written and as resolved) not writable by others without the
    sticky bit, and every link on the way the user's or root's."""
    if not CHECKED:
        return
    written = Path(os.path.abspath(folder))
    me = os.geteuid()
    for step in (*reversed(written.parents), written):
        try:
            st = os.lstat(step)
        except FileNotFoundError:
            break  # not made yet: the rest is made by us, 0700
        if stat.S_ISLNK(st.st_mode) and st.st_uid not in (me, 0):
            raise UnsafePlace(
                f"progress folder {folder} goes through the link {step}, which belongs to {_user(st.st_uid)}, "
                "who could point it elsewhere; use a folder of your own (--data-dir DIR)"
            )
    real = Path(os.path.realpath(folder))
    for above in sorted({*written.parents, *real.parents}, key=lambda p: len(p.parts)):
        try:
            st = os.stat(above)
        except OSError:
            continue  # not there (yet), or not ours to look at: made or refused later
        if st.st_mode & stat.S_IWOTH and not st.st_mode & stat.S_ISVTX:
            raise UnsafePlace(
                f"progress folder {folder} is inside {above}, which anyone can write (mode {_mode(st)}, no "
                "sticky bit): anyone could swap the folder; use a folder of your own (--data-dir DIR)"
            )


def _make(folder: Path) -> None:
    """Make folder and its missing parents, each 0700."""
    missing = []
    for step in (folder, *folder.parents):
        if os.path.lexists(step):
            break
        missing.append(step)
    for step in reversed(missing):
        try:
            os.mkdir(step, 0o700)
        except FileExistsError:
            pass  # another session made it meanwhile: checked like any other
    if not os.path.isdir(folder):
        raise NotADirectoryError(20, "it is not a folder", str(folder))


def _mode(st: os.stat_result) -> str:
    return f"{stat.S_IMODE(st.st_mode):04o}"


def _user(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"uid {uid}"
