"""Shown on top of everything while the terminal is smaller than the layout needs (80×24)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 80, 24


def too_small(size: Size) -> bool:
    return size.width < MIN_WIDTH or size.height < MIN_HEIGHT


def too_small_message(size: Size) -> str:
    return f"terminal too small: need {MIN_WIDTH}×{MIN_HEIGHT}, have {size.width}×{size.height}"


def cover_if_too_small(app: App, size: Size) -> None:
    """Push a TooSmallScreen below 80×24; pop it once the terminal is big enough again."""
    small = too_small(size)
    if small and not isinstance(app.screen, TooSmallScreen):
        app.push_screen(TooSmallScreen())
    elif not small and isinstance(app.screen, TooSmallScreen):
        app.pop_screen()


class TooSmallScreen(Screen[None]):
    """A single centred sentence; the app pops it when the terminal is big enough again."""

    CSS_PATH = "too_small.tcss"

    def compose(self) -> ComposeResult:
        yield Static(too_small_message(self.app.size), markup=False)

    def on_resize(self) -> None:
        self.query_one(Static).update(too_small_message(self.app.size))

    def on_screen_resume(self) -> None:
        if not too_small(self.app.size):  # grown while another screen was on top
            self.call_later(self.dismiss)
