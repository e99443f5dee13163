"""Where the tutor finds its content and keeps its progress, without a UI.

The exam's content is the top-level `content/` folder of the repository; the wheel ships it as
`tutor/content`, so an installed tutor finds it from any directory.
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "ITM528_TUTOR_DATA_DIR"
APP_NAME = "itm528-tutor"


def default_content_dir() -> Path:
    """The exam shipped with the package (wheel) or lying beside it (source checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "content", here.parent / "content"):
        if candidate.is_dir():
            return candidate
    return here / "content"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The progress folder: --data-dir, then $ITM528_TUTOR_DATA_DIR, then the platform's data dir.

    An empty (or blank) variable counts as unset, as XDG's variables do: `VAR= cmd` is the usual way
    to switch one off. An empty --data-dir is refused by the command line instead (bad usage).
    Whether the folder may be used (the user's alone) is `tutor.safety`'s to say, when it is opened."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(DATA_DIR_ENV, "")
    if env.strip():
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))
