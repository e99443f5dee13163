"""Freeing a screen that was left before the next one is built.

Why: Textual removes a popped screen while the screen shown next composes, and a screen is a tree
of widgets that point at each other (parent and children, watchers, message pumps): cycles that
only the garbage collector's full pass frees, which Python runs when it sees fit. So the question
left and the question opened were held at once, and the screens left before them until that pass
came: the tutor's peak memory was set by these overlaps, not by any one screen (walking every
question with its steps shown: 71.5 MiB, 64.4 with each question freed before the next is built).

- `free_after(removal)`: await a popped screen's removal, then collect, before what comes next
  (the navigator awaits it before it pushes the next question).
- `free_later(app, removal)`: the same once the screen now shown has refreshed: a screen being
  removed may still queue a callback on the screen under it (to run after its next refresh), and
  that callback holds it until then (escape from a question, the results, the help).

Both run on the app's queue, so keys pressed meanwhile wait for them (~20-40 ms here, once per
screen left). No UI of their own; nothing here imports the app.
"""

from __future__ import annotations

import gc
from collections.abc import Awaitable
from typing import Any


async def free_after(removal: Awaitable[object]) -> None:
    """Once `removal` (what `App.pop_screen` returned) is done, collect the cycles of its screen."""
    await removal
    gc.collect()


async def free_later(app: Any, removal: Awaitable[object]) -> None:
    """Once `removal` is done and the screen shown now has refreshed, collect (a callback posted
    after the refresh: the list of callbacks run at the refresh no longer holds anything then)."""
    await removal
    app.screen.call_after_refresh(app.call_later, gc.collect)
