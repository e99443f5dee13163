"""Run one live editor on its own, on the exam's numbers, and save the live editors' screenshots.

    python scripts/live_demo.py pooling        (or forward, conv_size, params, softmax, gradients)

A developer's harness, outside the package: the editor is the one `live_editor_for` builds for the
first question of the exam whose content declares that kind of editor (tutor.editors.KINDS), so
the demo shows exactly what the question screen shows. `save_live_screenshots(out_dir)` (or
`await take_live_screenshots(out_dir)` inside an event loop) drives the pooling and forward-pass
editors headless and writes `live_pooling.svg` and `live_forward.svg` with `App.save_screenshot`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Footer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the checkout's tutor, as screenshots.py

from tutor.editors import KINDS, editor_of  # noqa: E402
from tutor.widgets.live import live_editor_for  # noqa: E402

SIZE = (80, 24)


def editor_of_kind(
    kind: str, *, content_dir: Path | None = None, seed: int | None = None
) -> tuple[str, Widget]:
    """The title of the first question whose content declares a live editor of `kind`, and that editor."""
    from tutor.exam import load_exam

    exam = load_exam(content_dir, prove=False)
    for question in exam.questions:
        spec = editor_of(question)
        if spec is not None and spec.kind.name == kind:
            return question.title, live_editor_for(question, seed=seed)
    raise LookupError(f"no question of the exam has a {kind} editor")


class LiveDemo(App):
    """One live editor in a scrolling pane, as on the question screen."""

    CSS = """
    LiveDemo VerticalScroll { padding: 0 1; }
    """

    def __init__(self, title: str, editor: Widget):
        super().__init__()
        self.title = title
        self.editor = editor

    def compose(self) -> ComposeResult:
        with VerticalScroll(can_focus=False):
            yield self.editor
        yield Footer()


async def _screenshot(kind: str, path: Path, keys: tuple[str, ...]) -> None:
    title, editor = editor_of_kind(kind, seed=528)
    app = LiveDemo(title, editor)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
        app.save_screenshot(path.name, str(path.parent))


async def take_live_screenshots(out_dir: str | Path) -> list[Path]:
    """Write live_pooling.svg (a window and its winner shown) and live_forward.svg into out_dir."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    shots = {
        "pooling": (out / "live_pooling.svg", ("down", "right", "right", "tab", "down", "right")),
        "forward": (out / "live_forward.svg", ()),
    }
    for kind, (path, keys) in shots.items():
        await _screenshot(kind, path, keys)
    return [path for path, _ in shots.values()]


def save_live_screenshots(out_dir: str | Path) -> list[Path]:
    """take_live_screenshots from code that is not already running an event loop."""
    return asyncio.run(take_live_screenshots(out_dir))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python scripts/live_demo.py", description=__doc__.splitlines()[0])
    parser.add_argument(
        "kind", nargs="?", default="pooling", choices=sorted(KINDS), help="which live editor to run"
    )
    parser.add_argument(
        "--screenshots", metavar="DIR", help="save the live editors' screenshots to DIR and exit"
    )
    args = parser.parse_args(argv)
    if args.screenshots:
        for path in save_live_screenshots(args.screenshots):
            print(path)
        return
    title, editor = editor_of_kind(args.kind)
    LiveDemo(title, editor).run()


if __name__ == "__main__":
    main()
