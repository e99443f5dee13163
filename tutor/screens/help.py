"""Help: every key, from the prose of `tutor/help.md` (prose lives in data files, not in Python)."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Markdown
from tutor.widgets.footer import SteadyFooter

HELP_FILE = Path(__file__).resolve().parent.parent / "help.md"


class HelpScreen(Screen[None]):
    """The keys and how the tutor works."""

    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape,question_mark", "dismiss", "Close", key_display="esc", id="help.close",
                tooltip="Close the help"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="help-body"):
            yield Markdown(HELP_FILE.read_text(encoding="utf-8"), id="help")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Help"
        self.query_one("#help-body").focus()
