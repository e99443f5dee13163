"""SteadyFooter: Textual's Footer, rebuilt only when the keys it shows change.

Textual's Footer rebuilds all its keys on every focus move, and starts empty: its keys come a frame
after the screen's first. On a question screen most moves (tab from
one answer box to the next) change nothing the footer shows, and the rebuild is the costliest part of
the keystroke, which matters over a slow SSH link.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tutor.widgets.watchers import closed, drop_watchers


class SteadyFooter(Footer):
    """A Footer that skips the rebuild when the shown bindings are the same as last time (and keeps
    a space after a group's label: "±col ^r exam numbers", not "±col^r")."""

    DEFAULT_CSS = """
    SteadyFooter.-compact FooterLabel { margin-right: 1; }
    """

    _shown: tuple | None = None

    @staticmethod
    def _signature(screen: Screen) -> tuple:
        return tuple(
            (key, binding.action, binding.description, binding.key_display, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show or key == screen.app.COMMAND_PALETTE_BINDING
        )

    def compose(self):  # type: ignore[no-untyped-def]
        """The keys known when the screen composes, in its first frame: Textual's Footer starts empty
        and composes them a frame later, a second layout of the whole screen (20-50 ms here) before
        the first screen is complete. The first change of bindings then recomposes only if it
        changes what is shown."""
        if not self._bindings_ready and self.is_attached:
            self.set_reactive(Footer._bindings_ready, True)
            self._shown = self._signature(self.screen)
        compact = self.compact
        for widget in super().compose():
            if compact and isinstance(widget, FooterKey):
                # each key binds the footer's compact, which sets it again as the key mounts and
                # adds the class then, restyling the key a second time: it has the class already
                widget.add_class("-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        if screen.app.app_focus and screen is self.screen:
            shown = self._signature(screen)
            if shown == self._shown:
                return
            self._shown = shown
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        """Textual's recompose, then the keys it removed let go: each key binds the footer's `compact`,
        which keeps it alive until `compact` changes (see tutor.widgets.watchers)."""
        await super().recompose()
        drop_watchers(self, ("compact",), closed)
