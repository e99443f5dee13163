"""Help: every key, from the prose of `tutor/help.md` (prose lives in data files, not in Python).

Drawn by rich's Markdown in one Static: Textual's Markdown widget made a widget of every heading,
paragraph, table and cell of the 140 lines, 10 MiB of a student's memory for as long as the tutor
ran (issue 18: a lab server runs a class of these at once); one renderable is 2 MiB.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static
from tutor.screens.fresh import FreshScreen
from tutor.widgets.footer import SteadyFooter
from tutor.widgets.header import SteadyHeader

HELP_FILE = Path(__file__).resolve().parent.parent / "help.md"


class HelpScreen(FreshScreen):
    """The keys and how the tutor works."""

    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape,question_mark", "dismiss", "Close", key_display="esc", id="help.close",
                tooltip="Close the help"),
    ]

    def compose(self) -> ComposeResult:
        yield SteadyHeader()
        with VerticalScroll(id="help-body"):
            from rich.markdown import Markdown  # (markdown-it: not before the help is asked for)

            yield Static(Markdown(HELP_FILE.read_text(encoding="utf-8")), id="help")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Help"
        self.query_one("#help-body").focus()
