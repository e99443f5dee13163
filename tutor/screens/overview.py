"""The overview: the exam's questions with points, this attempt's score and status, and the best score.

Enter (or a click) on a row opens that question. The table is rebuilt from the progress store each
time the screen comes back, so it shows what was just checked.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from tutor.exam import Exam
from tutor.grading import format_points
from tutor.progress import ProgressStore
from tutor.screens.messages import OpenQuestion, ShowResults
from tutor.widgets.footer import SteadyFooter
from tutor.widgets.prose import Prose

COLUMNS = ("#", "Question", "Pts", "Score", "Status", "Best")


def question_status(records: list, parts: int) -> str:
    """ "not started", "in progress" or "done" (every part checked)."""
    checked = sum(1 for r in records if r.score is not None)
    if checked >= parts:
        return "done"
    return "in progress" if any(r.score is not None or r.value not in (None, "", {}) for r in records) else "not started"


class OverviewScreen(Screen[None]):
    """The exam at a glance; the app's first screen."""

    CSS_PATH = "overview.tcss"
    BINDINGS = [
        Binding("s", "results", "Results", id="overview.results", tooltip="Scores of this attempt, out of 100 and weighted"),
    ]

    def __init__(self, exam: Exam, store: ProgressStore) -> None:
        super().__init__()
        self.exam, self.store = exam, store

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary", markup=False)
        yield DataTable(id="questions", cursor_type="row", zebra_stripes=True)
        if self.exam.instructions:
            yield Prose(self.exam.instructions, id="instructions")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Overview"
        table = self.query_one(DataTable)
        for name in COLUMNS:
            table.add_column(name, key=name)
        self.refresh_table()
        table.focus()

    def on_screen_resume(self) -> None:
        self.refresh_table()

    def refresh_table(self) -> None:
        if not self.query(DataTable):
            return  # not composed yet: on_mount fills it
        attempt = self.store.current_attempt()
        answers = self.store.answers(attempt.id)
        scores = self.store.question_scores(attempt.id)
        best = self.store.best_scores()
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        total = 0.0
        for q in self.exam.questions:
            records = [r for (number, _), r in answers.items() if number == q.number]
            status = question_status(records, len(q.parts))
            score = scores.get(q.number)
            total += score or 0.0
            table.add_row(
                str(q.number), q.title, format_points(q.points),
                "–" if score is None else format_points(score), status,
                "–" if q.number not in best else format_points(best[q.number]),
                key=str(q.number),
            )
        table.move_cursor(row=row, animate=False)
        summary = (
            f"Attempt {attempt.number}: {format_points(total)} of {format_points(self.exam.total)} points"
            " so far · enter opens a question"
        )
        self.query_one("#summary", Static).update(summary)

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        self.post_message(OpenQuestion(int(event.row_key.value or 0)))

    def action_results(self) -> None:
        self.post_message(ShowResults())
