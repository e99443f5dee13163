"""The yardstick: a bare Textual app (Header, Footer, one Input) started the same way as the tutor.

The benchmark runs the tutor with its animations off (no cursor blink: a blink is a repaint every
half second that no key caused), so this app turns them off too.
"""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Input


class BareApp(App):
    TITLE = "Bare Textual"

    def __init__(self) -> None:
        super().__init__()
        self.animation_level = "none"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="type here")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = False


if __name__ == "__main__":
    BareApp().run()
