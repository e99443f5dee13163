"""Which questions have practice: the template files of the content's `practice/` folder.

Why it exists: the overview's footer asks at start-up whether the highlighted question has
practice, and the command line whether --seed applies; loading the engine (numpy, the solver) for
that would slow the first screen. A question has practice when `practice/qNN.toml` is there (NN its
number, two digits or more, as `template_path` names it); what the file holds is checked when a
problem is drawn from it (tutor.practice.templates), with its file, line and field.

What it must not depend on: numpy, the solver, the UI, or the rest of this package (it
is imported at start-up); it lists one folder and reads no file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_NAME = re.compile(r"q(\d{2,})\.toml")


def template_path(number: int, content_dir: Path | str | None = None) -> Path:
    """Where question `number`'s practice template is: `practice/q08.toml` of the content folder."""
    return _root(content_dir) / "practice" / f"q{number:02d}.toml"


def practice_questions(content_dir: Path | str | None = None) -> tuple[int, ...]:
    """The numbers of the questions with a practice template, in order; () without a practice folder.

    Listed afresh on every call (a few entries: microseconds), so a template added or removed counts
    at once.
    """
    try:
        names = set(os.listdir(_root(content_dir) / "practice"))
    except OSError:  # no practice folder, or one that cannot be listed: no practice
        return ()
    found = (int(match.group(1)) for name in names if (match := _NAME.fullmatch(name)))
    return tuple(sorted(number for number in found if f"q{number:02d}.toml" in names))


def _root(content_dir: Path | str | None) -> Path:
    from tutor.paths import default_content_dir  # (no heavier than os and pathlib)

    return Path(content_dir) if content_dir is not None else default_content_dir()
