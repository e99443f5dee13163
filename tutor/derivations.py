"""The symbolic derivations, worked out in a short-lived child process so sympy never loads into the app.

Why: sympy adds about 40 MB to a process and keeps it after a derivation is done; on a shared lab
server the app would hold it for the whole session. `derivation(name)` runs this module's `_main`
in a child (the same Python and the same `tutor` package), which prints the steps of
`tutor.symbolic.derivation(name)` as JSON, and rebuilds them here as `Step`s: the same steps, text
for text. Each is worked out once per process and kept. If the child cannot run or says nothing
usable, the derivation is done here instead, as before. Call it from a worker thread: the child
takes about a second (sympy's import).

The child runs only our code: it starts isolated (`python -I`: no current folder on the path, no
PYTHON* variables, no user site) and is given its module path explicitly, this very `tutor`'s
folder first, then the app's own path without the current folder. So a `tutor/` (or a `sympy/`)
in the folder the student happens to be in, on a shared server anyone's, is never imported; nor is
a `tutor/` on PYTHONPATH, which comes after ours. The rest of PYTHONPATH is honoured as in the app
itself (it is the student's own setting, and the app has already imported from it).

What it must not depend on: the UI (no Textual, no rich). sympy only in the child, or in the fallback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from tutor.solver._steps import Step

__all__ = ["derivation"]

TIMEOUT_S = 120.0
_FIELDS = ("label", "formula", "value", "symbolic")
_done: dict[str, tuple[Step, ...]] = {}
_lock = threading.Lock()


def derivation(name: str) -> tuple[Step, ...]:
    """The checked steps of the derivation `name` (one of `tutor.symbolic.NAMES`); KeyError otherwise."""
    from tutor.symbolic import NAMES  # cheap: sympy itself is imported only to derive

    if name not in NAMES:
        raise KeyError(name)
    with _lock:  # two reveals of the same derivation start one child
        if name not in _done:
            _done[name] = _in_child(name) or _here(name)
        return _done[name]


def _here(name: str) -> tuple[Step, ...]:
    from tutor.symbolic import derivation as derive

    return tuple(derive(name))


# The child's whole program: its module path from its arguments, then _main; nothing from the cwd.
_CHILD = "import sys; sys.path[:] = sys.argv[2:]; from tutor.derivations import _main; sys.exit(_main(sys.argv[1:2]))"


def child_command(name: str) -> list[str]:
    """The isolated command line that derives `name` in a child (see the module's docstring)."""
    return [sys.executable, "-I", "-c", _CHILD, name, *child_path()]


def child_path() -> list[str]:
    """The child's sys.path: this `tutor`'s folder, then the app's path minus the current folder."""
    package_parent = str(Path(__file__).resolve().parent.parent)  # this very `tutor`, installed or not
    try:
        here = os.path.realpath(os.getcwd())
    except OSError:  # the current folder was removed: nothing of it can be on the path
        here = None
    rest = [
        entry for entry in sys.path
        if os.path.isabs(entry) and entry != package_parent and os.path.realpath(entry) != here
    ]
    return [package_parent, *dict.fromkeys(rest)]


def _in_child(name: str) -> tuple[Step, ...] | None:
    """The steps from a child process, or None if it could not give them."""
    try:
        done = subprocess.run(
            child_command(name), stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT_S, check=True,
        )
        return tuple(Step(**{key: item[key] for key in _FIELDS}) for item in json.loads(done.stdout))
    except (OSError, subprocess.SubprocessError, ValueError, TypeError, KeyError):
        return None  # no child allowed, no interpreter, a failed derivation or an unreadable answer


def _main(argv: list[str]) -> int:
    """The child: print the derivation's steps as JSON (ASCII, so any locale reads it)."""
    from tutor.symbolic import derivation as derive

    steps = derive(argv[0])
    if not all(isinstance(getattr(step, key), str) for step in steps for key in _FIELDS):
        return 3  # a step the JSON would not carry exactly: let the parent derive it itself
    json.dump([{key: getattr(step, key) for key in _FIELDS} for step in steps], sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
