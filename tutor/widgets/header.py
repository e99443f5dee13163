"""SteadyHeader: Textual's Header, let go with its screen.

Textual's Header watches the app's title and sub-title, which the tutor does not change outside
exam mode: the app kept every screen's header (with its icon, title, clock and their render caches)
alive after the screen was gone, one more for each question opened (see tutor.widgets.watchers).
On unmount this header takes its own watchers off the app.

The header is on every screen and unmounts with it, so it is also where a screen that goes lets
go of what Textual's caches keep of it (tutor.widgets.watchers.forget_styles_caches).
"""

from __future__ import annotations

from textual.widgets import Header

from tutor.widgets.watchers import drop_watchers, forget_styles_caches

WATCHED_ON_THE_APP = ("title", "sub_title")  # what Header._on_mount watches on the app


class SteadyHeader(Header):
    """A Header that leaves nothing of itself or its screen on the app once the screen is gone."""

    def _on_unmount(self) -> None:
        drop_watchers(self.app, WATCHED_ON_THE_APP, lambda node: node is self)
        forget_styles_caches()
