"""ScoreBars: per question, a bar of the best score and a bar of the expected score on the exam day.

Fed rows (`BarRow`): the question's points, its best (None: never scored) and its expected score
with the points it is over (the parts reviewed; the rest are unknown, and said so). Textual's own
ProgressBar draws each bar; this widget lays them out and writes the figures beside them. No
arithmetic of its own beyond placing the numbers it is given.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import ProgressBar, Static

from tutor.points import format_points


@dataclass(frozen=True)
class BarRow:
    number: int
    points: float
    best: float | None
    expected: float | None  # over `seen` points; None: no part of it reviewed (or no exam date)
    seen: float = 0.0


def expected_text(row: BarRow) -> str:
    """ "7.2 / 8", "5.1 of 6 seen", "unknown"."""
    if row.expected is None:
        return "unknown"
    shown = f"{row.expected:.1f}".rstrip("0").rstrip(".")
    if row.seen >= row.points - 1e-9:
        return f"{shown} / {format_points(row.points)}"
    return f"{shown} of {format_points(row.seen)} seen"


class ScoreBars(Grid):
    """The bars of every question: "#", best, its figure, expected, its figure."""

    DEFAULT_CSS = """
    ScoreBars { grid-size: 5; grid-columns: 4 18 8 18 1fr; grid-rows: 1; height: auto; margin: 0 1; }
    ScoreBars .head { color: $text-muted; }
    ScoreBars ProgressBar Bar { width: 16; }
    ScoreBars .expected Bar > .bar--bar, ScoreBars .expected Bar > .bar--complete { color: $accent; }
    """

    def __init__(self, rows: list[BarRow], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows = rows

    def compose(self) -> ComposeResult:
        for text in ("#", "best", "", "expected", ""):
            yield Static(text, classes="head", markup=False)
        for row in self.rows:
            yield Static(f"Q{row.number}", markup=False)
            best = ProgressBar(total=row.points, show_percentage=False, show_eta=False)
            best.progress = row.best or 0.0
            yield best
            yield Static("–" if row.best is None else f"{format_points(row.best)} / {format_points(row.points)}",
                         markup=False)
            expected = ProgressBar(total=row.points, show_percentage=False, show_eta=False, classes="expected")
            expected.progress = row.expected or 0.0
            yield expected
            yield Static(expected_text(row), markup=False)
