"""The overview: the exam's questions with points, this attempt's score and status, and the best score.

Enter (or a click) on a row opens that question. The table shows a `tutor.scoreboard.Scoreboard`,
read from the progress store when the screen composes (the app's default screen: the summary and
every row are in the first frame, which is drawn once), each time it comes back, and when the app says
a check reached the store (`refresh_table`); the keys' checks read the board already read, never the
store. The line above it always names the current attempt and its mode, so after an exam or a
retake it is clear which attempt the scores belong to.

Under it, readiness at a glance ("Exam in 12 days · 7 parts due today · expected score 71 / 100",
`tutor.readiness.readiness_line`), read in a thread worker after the first frame and after each
refresh: fsrs is not for the first screen, so the line may arrive a moment later. v opens the
review queue (`OpenReview`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tutor.exam import Exam
from tutor.points import format_points  # not tutor.grading: its parsers are not needed here
from tutor.progress import NotSaved, ProgressStore
from tutor.scoreboard import Paper, Scoreboard, read
from tutor.screens.messages import OpenPractice, OpenQuestion, OpenReview, ShowResults, SubmitExam
from tutor.widgets.footer import SteadyFooter
from tutor.widgets.header import SteadyHeader
from tutor.widgets.prose import Prose

COLUMNS = ("#", "Question", "Pts", "Score", "Status", "Best")


class OverviewScreen(Screen[None]):
    """The exam at a glance; the app's first screen."""

    CSS_PATH = "overview.tcss"
    BINDINGS = [
        Binding("s", "results", "Results", id="overview.results", tooltip="Scores of this attempt, out of 100 and weighted"),
        Binding("p", "practise", "Practise", id="overview.practise",
                tooltip="The highlighted question again with new numbers (questions with practice)"),
        Binding("v", "review", "Review", id="overview.review",
                tooltip="The parts due today for review, weakest memory first"),
        Binding("x", "submit_exam", "Submit exam", id="overview.submit_exam",
                tooltip="Hand in the exam now (asks first): everything you typed is graded"),
    ]

    def __init__(self, exam: Exam, store: ProgressStore, now: Callable[[], float] = time.time) -> None:
        super().__init__()
        self.exam, self.store, self.now = exam, store, now
        self.board: Scoreboard | None = None  # as last read
        self._resumed = False  # the first ScreenResume is the first show: the table was just filled

    def compose(self) -> ComposeResult:
        yield SteadyHeader()
        summary = Static(id="summary", markup=False)
        table = DataTable(id="questions", cursor_type="row", zebra_stripes=True)
        for name in COLUMNS:
            table.add_column(Text(name), key=name)
        try:
            self._fill(table, summary)  # filled before the first layout, so the first frame is complete
        except NotSaved:
            pass  # the store cannot be read at all: the app is leaving and says why (Lifecycle.start)
        yield summary
        yield Static("", id="readiness", markup=False)
        yield table
        if self.exam.instructions:
            yield Prose(self.exam.instructions, id="instructions")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Overview"
        self.query_one(DataTable).focus()
        self.refresh_bindings()
        self.call_after_refresh(self.refresh_readiness)  # after the frame: fsrs is not for the first one

    def on_screen_resume(self) -> None:
        if self._resumed:
            self.refresh_table()
        self._resumed = True

    def refresh_table(self) -> None:
        if not self.query(DataTable):
            return  # not composed yet: compose fills it
        self._fill(self.query_one(DataTable), self.query_one("#summary", Static))
        self.refresh_bindings()
        self.call_after_refresh(self.refresh_readiness)  # after the frame: fsrs is not for the first one

    def _fill(self, table: DataTable, summary_line: Static) -> None:
        """The scoreboard read from the store into the table's rows and the summary line."""
        board = self.board = read(self.store, Paper.of(self.exam), now=self.now())
        row = table.cursor_row
        table.clear()
        for q in self.exam.questions:
            score = board.row(q.number)
            cells = (f" {q.number}", q.title, format_points(q.points),
                     "–" if score.score is None else format_points(score.score), score.status,
                     "–" if score.best is None else format_points(score.best))
            table.add_row(*map(Text, cells), key=str(q.number))  # plain text: a "[" in a title is no markup
        table.move_cursor(row=row, animate=False)
        self._point(table)
        attempt = board.attempt
        summary = (
            f"Attempt {attempt.number} · {attempt.mode} (current): {format_points(board.total)} of"
            f" {format_points(self.exam.total)} points so far · enter opens a question"
        )
        if board.running:  # no scores until it is submitted; the time left is in the header
            summary = (
                f"Attempt {attempt.number} · exam (current, running): {board.answered} of"
                f" {len(board.rows)} questions answered in full, {board.begun} begun · x submits"
            )
        summary_line.update(summary)

    def refresh_readiness(self) -> None:
        """Read the readiness line again, in a thread (the store, then fsrs over the cards)."""
        if not self.is_attached or self.board is None:
            return
        if self.board.running:  # the exam's own clock is what counts now
            self.query_one("#readiness", Static).update("")
            return
        self.run_worker(self._readiness, thread=True, exclusive=True, group="readiness")

    def _readiness(self) -> None:
        from tutor.readiness import readiness_line

        state = self.store.review_state(self.now())
        line = readiness_line(state.cards, Paper.of(self.exam).part_points, self.now(), state.exam_date)
        self.app.call_from_thread(self._show_readiness, line, state.notices)

    def _show_readiness(self, line: str, notices: list[str]) -> None:
        for notice in notices:
            self.notify(notice, severity="warning", timeout=10)
        if self.is_attached:
            self.query_one("#readiness", Static).update(line)

    def highlight(self, number: int) -> None:
        """Put the cursor on question `number` (the one last shown), so p and enter act on it."""
        tables = self.query(DataTable)
        numbers = [q.number for q in self.exam.questions]
        if tables and number in numbers:
            table = tables.first()
            table.move_cursor(row=numbers.index(number), animate=False)

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        self.post_message(OpenQuestion(int(event.row_key.value or 0)))

    def action_results(self) -> None:
        self.post_message(ShowResults())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        running = self.board is not None and self.board.running
        if action == "practise":  # hidden during an exam, dimmed on a question without practice
            return not running and (self._has_practice() or None)
        if action == "submit_exam":
            return running
        if action == "review":
            return not running
        return True

    def action_review(self) -> None:
        self.post_message(OpenReview())

    def action_submit_exam(self) -> None:
        self.post_message(SubmitExam())

    def _highlighted(self, table: DataTable | None = None) -> int | None:
        if table is None:
            tables = self.query(DataTable)
            if not tables:
                return None
            table = tables.first()
        if not table.row_count:
            return None
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or 0)

    def _has_practice(self) -> bool:
        from tutor.practice.catalog import practice_questions  # the templates present: no numpy, at start-up

        return self._highlighted() in practice_questions(self.exam.content_dir)

    @on(DataTable.RowHighlighted)
    def _highlighted_changed(self) -> None:
        self.refresh_bindings()
        self._point()

    def _point(self, table: DataTable | None = None) -> None:
        """A › before the highlighted question's number: the row's highlight is a colour only."""
        table = self.query_one(DataTable) if table is None else table
        current = self._highlighted(table)
        for q in self.exam.questions:
            mark = f"›{q.number}" if q.number == current else f" {q.number}"
            if str(table.get_cell(str(q.number), "#")) != mark:
                table.update_cell(str(q.number), "#", Text(mark))

    def action_practise(self) -> None:
        number = self._highlighted()
        if number is not None:
            self.post_message(OpenPractice(number))
