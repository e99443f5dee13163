"""The overview: the exam's questions with points, this attempt's score and status, and the best score.

Enter (or a click) on a row opens that question. The table is rebuilt from the progress store each
time the screen comes back, so it shows what was just checked. The line above it always names the
current attempt and its mode, so after an exam or a retake it is clear which attempt the scores
belong to.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from tutor.exam import Exam
from tutor.exam_session import answered, exam_running
from tutor.points import format_points  # not tutor.grading: its parsers are not needed here
from tutor.progress import ProgressStore
from tutor.screens.messages import OpenPractice, OpenQuestion, ShowResults, SubmitExam
from tutor.widgets.footer import SteadyFooter
from tutor.widgets.prose import Prose

COLUMNS = ("#", "Question", "Pts", "Score", "Status", "Best")


def question_status(records: list, parts: int, exam: bool = False) -> str:
    """ "not started", "in progress", "to mark" (an answer the grader was unsure of waits for the
    student's mark) or "done" (every part checked); during an exam, where nothing is checked until
    the end, "answered" (every part has an answer) instead of "done"."""
    if exam:
        count = sum(1 for r in records if answered(r))
        return "answered" if count >= parts else "in progress" if count else "not started"
    if any(r.status == "unsure" and r.score is None for r in records):
        return "~ to mark"
    checked = sum(1 for r in records if r.checked)
    if checked >= parts:
        return "done"
    return "in progress" if any(r.checked or r.value not in (None, "", {}) for r in records) else "not started"


class OverviewScreen(Screen[None]):
    """The exam at a glance; the app's first screen."""

    CSS_PATH = "overview.tcss"
    BINDINGS = [
        Binding("s", "results", "Results", id="overview.results", tooltip="Scores of this attempt, out of 100 and weighted"),
        Binding("p", "practise", "Practise", id="overview.practise",
                tooltip="The highlighted question again with new numbers (questions with practice)"),
        Binding("x", "submit_exam", "Submit exam", id="overview.submit_exam",
                tooltip="Hand in the exam now (asks first): everything you typed is graded"),
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
        exam = exam_running(attempt)
        statuses = []
        for q in self.exam.questions:
            records = [r for (number, _), r in answers.items() if number == q.number]
            status = question_status(records, len(q.parts), exam=exam)
            statuses.append(status)
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
            f"Attempt {attempt.number} · {attempt.mode} (current): {format_points(total)} of"
            f" {format_points(self.exam.total)} points so far · enter opens a question"
        )
        if exam:  # no scores until it is submitted; the time left is in the header
            summary = (
                f"Attempt {attempt.number} · exam (current, running): {statuses.count('answered')} of"
                f" {len(statuses)} answered · enter opens a question · x submits"
            )
        self.query_one("#summary", Static).update(summary)
        self.refresh_bindings()

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        self.post_message(OpenQuestion(int(event.row_key.value or 0)))

    def action_results(self) -> None:
        self.post_message(ShowResults())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "practise":  # hidden during an exam, dimmed on a question without practice
            return not exam_running(self.store.current_attempt()) and (self._has_practice() or None)
        if action == "submit_exam":
            return exam_running(self.store.current_attempt())
        return True

    def action_submit_exam(self) -> None:
        self.post_message(SubmitExam())

    def _highlighted(self) -> int | None:
        tables = self.query(DataTable)
        if not tables or not tables.first().row_count:
            return None
        table = tables.first()
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or 0)

    def _has_practice(self) -> bool:
        from tutor.practice.catalog import practice_questions  # the templates present: no numpy, at start-up

        return self._highlighted() in practice_questions(self.exam.content_dir)

    @on(DataTable.RowHighlighted)
    def _highlighted_changed(self) -> None:
        self.refresh_bindings()

    def action_practise(self) -> None:
        number = self._highlighted()
        if number is not None:
            self.post_message(OpenPractice(number))
