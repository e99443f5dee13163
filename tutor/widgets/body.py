"""Body: the scrolling body of a screen, restyled alone when it takes or leaves the focus.

Textual restyles a widget and everything inside it when its focus changes, in case a rule styles
what is inside by the focus of what holds it ("X:focus Y"). A question's body holds the whole
question (80-100 widgets), and it has the focus when a question opens (reading: the arrows
scroll): opening a question and the first tab each restyled every widget on it, 20 ms each here.
No rule of the tutor's or of Textual's styles anything by the focus of a scrolling container (the
test of this module checks the stylesheet), so the body restyles itself and its scrollbars only.
"""

from __future__ import annotations

from textual.containers import VerticalScroll


class Body(VerticalScroll):
    """A VerticalScroll whose focus changes restyle only itself."""

    def watch_has_focus(self, _has_focus: bool) -> None:
        self.app.stylesheet.update_nodes([self], animate=True)
