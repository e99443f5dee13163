"""Snapshots of the pooling and forward-pass editors at 80×24, and the live-editor screenshots."""

from __future__ import annotations

import sys
from pathlib import Path

from test_live_editors import FORWARD_Q, POOL_Q, LiveApp

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))  # the harness lives in scripts/
from live_demo import save_live_screenshots  # noqa: E402


def test_pooling_editor_snapshot(snap_compare):
    # the bottom-right output picked: its window tinted in the input, 7 winning
    assert snap_compare(LiveApp(POOL_Q), press=["tab", "down", "right"], terminal_size=(80, 24))


def test_pooling_editor_impossible_geometry_snapshot(snap_compare):
    async def window_too_large(pilot):
        size = pilot.app.query_one("#pool-size")
        size.focus()
        size.value = "5"
        await pilot.pause()

    assert snap_compare(LiveApp(POOL_Q), run_before=window_too_large, terminal_size=(80, 24))


def test_forward_editor_snapshot(snap_compare):
    # i₁ = 2 becomes 3: h₁, h₃, o₁, o₂ and E follow
    assert snap_compare(LiveApp(FORWARD_Q), press=["3", "enter"], terminal_size=(80, 24))


def test_live_screenshots_are_made_from_the_real_editors(tmp_path: Path):
    paths = save_live_screenshots(tmp_path)
    assert [p.name for p in paths] == ["live_pooling.svg", "live_forward.svg"]
    pooling, forward = (p.read_text(encoding="utf-8") for p in paths)
    assert "input&#160;x&#160;(4×4)" in pooling and "won&#160;by" in pooling
    assert "E&#160;=&#160;" in forward and "h₁&#160;=&#160;2" in forward
