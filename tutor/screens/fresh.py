"""FreshScreen: a screen styled once as it is first shown, not twice.

Textual styles every widget of a screen as it mounts, then, when the pushed screen resumes, styles
the whole screen again (`ScreenResume.refresh_styles`), in case the app's classes changed while the
screen was away. A screen that was just made has not been away: the second pass restyled each of a
question's 80-100 widgets for nothing, ~35 ms of the ~300 it takes to open a question here. Its
first resume skips that pass; every later one (back from the results or the help, say) keeps it.
Dismissed, it is collected once the screen under it has refreshed (tutor.screens.freed).
"""

from __future__ import annotations

from textual import events
from textual.await_complete import AwaitComplete
from textual.screen import Screen

from tutor.screens.freed import free_later


class FreshScreen(Screen[None]):
    """A Screen whose first resume, right after it was made and styled, does not restyle it."""

    _shown_once = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # (called before Screen's own handler, which reads refresh_styles)
        if not self._shown_once:
            self._shown_once = True
            event.refresh_styles = False

    def dismiss(self, result: None = None) -> AwaitComplete:
        """Textual's dismiss, then the screen collected once it is removed and the screen under it
        has refreshed (tutor.screens.freed): the results or the help closed by escape."""
        removal = super().dismiss(result)
        self.app.call_next(free_later, self.app, removal)
        return removal
