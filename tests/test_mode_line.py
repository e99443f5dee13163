"""The mode line repaints itself, never the whole screen's layout (tutor.widgets.mode_line)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from tutor.widgets.mode_line import ModeLine


class Lines(App[None]):  # the line under some text, as under a question
    def compose(self) -> ComposeResult:
        yield Static("above")
        yield ModeLine(id="mode")


def screen_lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def test_a_new_mode_is_shown_without_a_layout_and_a_long_one_is_cut(monkeypatch):
    app = Lines()
    async with app.run_test(size=(40, 5)) as pilot:
        await pilot.pause()
        layouts = []
        real = Screen._refresh_layout
        monkeypatch.setattr(Screen, "_refresh_layout", lambda self, *a, **k: layouts.append(1) or real(self, *a, **k))
        app.query_one(ModeLine).show("reading · enter to answer")
        await pilot.pause()
        assert screen_lines(app)[1].rstrip() == "reading · enter to answer"
        app.query_one(ModeLine).show("typing in 5(a) · enter checks · esc to leave [x]")  # 48 columns
        await pilot.pause()
        assert layouts == []  # a Static asked for one at each change
        second = screen_lines(app)[1]
        assert second.startswith("typing in 5(a) · enter checks") and "[x]" not in second
        assert screen_lines(app)[2].strip() == ""  # cut, not wrapped onto a second line
