"""The command palette's tutor commands (ctrl+p): "Go to: question 5", results, retake, reset, help.

Textual's own system commands (theme, keys, quit, screenshot) stay beside these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class TutorCommands(Provider):
    """Navigation and attempt commands of the tutor app."""

    def _commands(self) -> Iterator[tuple[str, Callable[[], object], str]]:
        app = self.app
        yield "Go to: overview", app.action_overview, "The list of questions with your scores"
        for q in app.exam.questions:  # type: ignore[attr-defined]
            yield f"Go to: question {q.number}", partial(app.open_question, q.number), q.title
        yield "Go to: results", app.action_results, "Scores per question, total out of 100 and weighted"
        if not app.exam_mode.running:  # type: ignore[attr-defined]  (a retake would leave the exam behind)
            yield "Retake the quiz", app.action_retake, "Start a new attempt; earlier attempts stay in the history"
        yield from app.exam_mode.commands()  # type: ignore[attr-defined]
        yield "Reset all progress", app.action_reset, "Forget every attempt and answer (asks first)"
        from tutor.screens.practice import practice_commands  # numpy and the templates: not at start-up

        yield from practice_commands(app)
        yield "Help: keys", app.action_help, "Every key of the tutor"

    async def discover(self) -> Hits:
        for title, command, help in self._commands():
            yield DiscoveryHit(title, command, help=help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, command, help in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, help=help)
