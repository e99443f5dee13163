"""Results: this attempt's score per question and in total, out of the exam's points and weighted to
the exam's share of the course (score × 0.35 for a 100-point exam worth 35 %)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from tutor.exam import Exam
from tutor.grading import format_points
from tutor.progress import ProgressStore
from tutor.screens.messages import OpenQuestion
from tutor.screens.overview import question_status
from tutor.widgets.footer import SteadyFooter


def weighted(score: float, exam: Exam) -> float:
    """The score as course points: a 100-point exam worth 35 % turns 80 into 28."""
    return score / exam.total * exam.weight * 100 if exam.total else 0.0


class ResultsScreen(Screen[None]):
    """Scores of the current attempt."""

    CSS_PATH = "results.tcss"
    BINDINGS = [
        Binding("escape", "dismiss", "Back", key_display="esc", id="results.back", tooltip="Back to where you were"),
    ]

    def __init__(self, exam: Exam, store: ProgressStore) -> None:
        super().__init__()
        self.exam, self.store = exam, store

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="scores", cursor_type="row", zebra_stripes=True)
        yield Static(id="total", markup=False)
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        attempt = self.store.current_attempt()
        answers = self.store.answers(attempt.id)
        scores = self.store.question_scores(attempt.id)
        table = self.query_one(DataTable)
        table.add_columns("#", "Question", "Score", "Status")
        for q in self.exam.questions:
            records = [r for (number, _), r in answers.items() if number == q.number]
            score = scores.get(q.number, 0.0)
            table.add_row(
                str(q.number), q.title, f"{format_points(score)} / {format_points(q.points)}",
                question_status(records, len(q.parts)), key=str(q.number),
            )
        total = sum(scores.values())
        percent = round(self.exam.weight * 100)
        self.sub_title = f"Results of attempt {attempt.number}"
        self.query_one("#total", Static).update(
            f"Total: {format_points(total)} / {format_points(self.exam.total)}\n"
            f"Weighted: {format_points(round(weighted(total, self.exam), 2))} / {percent} course points"
            f" (the exam is {percent} % of the course)"
        )
        table.focus()

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        self.post_message(OpenQuestion(int(event.row_key.value or 0)))
