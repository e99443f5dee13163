"""StepReveal: a worked computation shown one step at a time.

Shows `steps[:shown]` as lines of `Step.text()` between a "step 3 of 8" header and a line of keys,
in an area as tall as all the steps from the first one shown on (the steps not shown yet are blank
rows): a step shown or hidden repaints the area alone and moves nothing below it, where growing by
a step moved and repainted the rest of the question (12 KB a step). The keys line closes the area
and is scrolled into view with it. The steps come from a loader the
owner passes in (a solver trace, or a sympy derivation run in a thread worker so the first one does
not freeze the screen); the widget does no arithmetic and knows no question.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static
from textual.worker import Worker, WorkerState

ALL = 10**6  # "show every step" before the steps are known
WIDTH = 74  # the lines' width at 80 columns, until the widget knows its own


def lay_out(text: str, width: int) -> str:
    """A step line wider than `width` broken before each of its "=" signs, every piece under the
    first "=", so a chain of equalities reads as a column instead of wrapping mid-formula."""
    out = []
    for line in text.splitlines() or [""]:
        pieces = line.split(" = ")
        if cell_len(line) <= width or len(pieces) < 3 or ": " in line or cell_len(pieces[0]) + 1 > width // 2:
            out.append(line)  # short, one "=", or prose ("Written out for q = 3 classes: …"): as it is
            continue
        indent = cell_len(pieces[0]) + 1
        rows = [f"{pieces[0]} = {pieces[1]}", *(f"{' ' * indent}= {piece}" for piece in pieces[2:])]
        out += rows
    return "\n".join(out)


class StepReveal(Vertical, can_focus=True):
    """The steps of one worked computation; `shown` is how many are visible."""

    DEFAULT_CSS = """
    StepReveal { height: auto; padding: 0 1; border-left: tall $secondary; margin-top: 1; }
    StepReveal:focus { border-left: tall $accent; background: $boost; }
    StepReveal > .header { text-style: bold; }
    StepReveal > .keys { color: $text-muted; }
    StepReveal > .lines { display: none; }
    StepReveal.-started > .lines { display: block; }
    StepReveal.-idle > .keys { display: none; }
    """

    shown: reactive[int] = reactive(0)
    steps: reactive[tuple[Any, ...] | None] = reactive(None)
    error: reactive[str] = reactive("")

    @dataclass
    class Moved(Message):
        """The number of visible steps changed (to store it)."""

        reveal: StepReveal
        shown: int

    def __init__(
        self, load: Callable[[], Sequence[Any]], *, threaded: bool = False, shown: int = 0, id: str | None = None,
        focusable: bool = True,
    ) -> None:
        super().__init__(id=id)
        self.can_focus = focusable  # off where tab should go from answer to answer (space steps it anyway)
        self._load = load
        self._threaded = threaded
        self._loading = False
        self._rows = -1  # rows of the steps' area as last laid out (-1: none yet)
        self.set_reactive(StepReveal.shown, max(0, shown))

    def compose(self) -> ComposeResult:
        yield Static(classes="header", markup=False)
        yield Static(classes="lines", markup=False)
        yield Static(classes="keys", markup=False)

    def on_mount(self) -> None:
        if self.shown:
            self._ensure_loaded()
        self._show()

    def on_resize(self) -> None:
        self._show()  # the steps wrap anew: the blank rows of the hidden ones follow

    @property
    def total(self) -> int | None:
        return None if self.steps is None else len(self.steps)

    @property
    def complete(self) -> bool:
        return self.steps is not None and self.shown >= len(self.steps)

    def validate_shown(self, shown: int) -> int:
        limit = ALL if self.steps is None else len(self.steps)
        return max(0, min(shown, limit))

    def watch_shown(self, old: int, new: int) -> None:
        if new:
            self._ensure_loaded()
        self._show()
        if self.steps is not None and old != new:
            self.post_message(self.Moved(self, new))
            keys = self.query_one(".keys")
            self.call_after_refresh(keys.scroll_visible, animate=False)

    def watch_steps(self) -> None:
        self.shown = self.shown  # clamp a request made before the steps were known
        self._show()

    def watch_error(self) -> None:
        self._show()

    def on_resize(self) -> None:
        if self.shown:
            self._show()  # the long steps laid out for the new width

    def forward(self) -> None:
        self.shown += 1

    def back(self) -> None:
        self.shown -= 1

    def show_all(self) -> None:
        self.shown = ALL

    def _ensure_loaded(self) -> None:
        if self.steps is not None or self._loading or self.error:
            return
        self._loading = True
        if self._threaded:
            self.run_worker(self._load_steps, thread=True, exclusive=True, name="steps")
        else:
            self._finish(self._load_steps())

    def _load_steps(self) -> tuple[Any, ...] | str:
        try:
            return tuple(self._load())
        except (ValueError, KeyError, ImportError, ArithmeticError) as exc:
            return f"could not work the steps out: {exc}"

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name == "steps" and event.state == WorkerState.SUCCESS:
            self._finish(event.worker.result)

    def _finish(self, result: tuple[Any, ...] | str) -> None:
        self._loading = False
        if isinstance(result, str):
            self.error = result
        else:
            self.steps = result

    def _show(self) -> None:
        if len(self.children) != 3:  # not composed yet
            return
        header, lines, keys = self.children
        self.set_class(self.shown > 0 and self.steps is not None, "-started")
        self.set_class(self.shown == 0 and not self.error, "-idle")
        if self.error:
            header.update("Worked steps", layout=False)
            keys.update(self.error)
        elif self.shown == 0:
            hidden = " · hidden: space shows the next step, a shows all"
            header.update(Text.assemble("Worked steps", (hidden, "not bold")), layout=False)
            self._rows = -1
        elif self.steps is None:
            header.update("Worked steps", layout=False)
            keys.update("deriving…")
        else:
            total = len(self.steps)
            header.update(f"Worked steps · step {self.shown} of {total}", layout=False)
            text = Text()
            width = self.content_size.width or WIDTH
            for index, step in enumerate(self.steps[: self.shown]):
                text.append("\n" if index else "")
                heading = isinstance(step, str)
                text.append(step if heading else lay_out(step.text(), width), style="bold" if heading else "")
            rows = self._wrapped(self.steps, width)
            shown_rows = self._wrapped(self.steps[: self.shown], width)
            text.append("\n" * max(0, rows - shown_rows))  # the steps not shown yet: blank rows
            lines.update(text, layout=rows != self._rows)
            self._rows = rows
            if self.shown < total:
                keys.update("space next · backspace back · a all", layout=False)
            else:
                keys.update(f"all {total} steps shown · backspace hides the last", layout=False)

    @staticmethod
    def _wrapped(steps: Sequence[Any], width: int) -> int:
        """The rows `steps` take at `width`, laid out as shown and wrapped as Textual wraps them."""
        return sum(len(Content(step if isinstance(step, str) else lay_out(step.text(), width)).wrap(width))
                   for step in steps)
