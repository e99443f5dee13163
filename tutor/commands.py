"""The command palette's tutor commands (ctrl+p): "Go to: question 5", results, retake, reset, review,
the exam date, practice, help.

Textual's own system commands (theme, keys, quit, screenshot) stay beside these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider


class TutorCommands(Provider):
    """Navigation and attempt commands of the tutor app."""

    def _commands(self) -> Iterator[tuple[str, Callable[[], object], str]]:
        app: Any = self.app  # the tutor app: its navigator and controllers (not imported: no circle)
        nav = app.navigator
        yield "Go to: overview", nav.home, "The list of questions with your scores"
        for q in app.exam.questions:
            yield f"Go to: question {q.number}", partial(app.open_question, q.number), q.title
        yield "Go to: results", nav.show_results, "Scores per question, total out of 100 and weighted"
        if not app.exam_mode.running:  # (a retake would leave the exam behind)
            yield "Retake the quiz", app.attempts.retake, "Start a new attempt; earlier attempts stay in the history"
        yield from app.exam_mode.commands()
        yield "Reset all progress", app.attempts.reset, "Forget every attempt and answer (asks first)"
        yield from app.review.commands()
        yield from app.practice.commands()
        yield "Help: keys", nav.show_help, "Every key of the tutor"

    async def discover(self) -> Hits:
        for title, command, help in self._commands():
            yield DiscoveryHit(title, command, help=help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, command, help in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, help=help)
