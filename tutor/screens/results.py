"""Results: an attempt's score per question and in total, out of the exam's points and weighted to
the exam's share of the course (score × 0.35 for a 100-point exam worth 35 %); each question's best
over all attempts; and the history of every attempt, all from `tutor.scoreboard`. A running exam's
scores stay hidden. Answers the grader was unsure of (a submitted exam's, say) are listed, and m marks
each in a dialog; the mark goes to the app (`MarkAnswer`), which stores it and has the tables read
again (`refresh_scores`). Enter on an attempt of the history shows that one here.

Per question, a bar of the best score and one of the expected score on the exam day (Σ points ×
fsrs's retrievability, `tutor.readiness.expected_score`, read in a thread after the frame: fsrs is
loaded there), and a sparkline of the totals of past attempts: Textual's ProgressBar and Sparkline."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime, timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.widgets import DataTable, Sparkline, Static

from tutor.exam import Exam
from tutor.grading import format_points, grade
from tutor.progress import Attempt, ProgressStore
from tutor.scoreboard import Paper, Scoreboard, history, read
from tutor.screens.fresh import FreshScreen
from tutor.screens.messages import MarkAnswer, OpenQuestion
from tutor.widgets.body import Body
from tutor.widgets.footer import SteadyFooter
from tutor.widgets.header import SteadyHeader
from tutor.widgets.score_bars import BarRow, ScoreBars


def day(stamp: float, today: date | None = None) -> str:
    """ "today", "yesterday" or "12 Jun 2026": the day an attempt started."""
    when, today = datetime.fromtimestamp(stamp).date(), today or date.today()
    names = {today: "today", today - timedelta(days=1): "yesterday"}
    return names.get(when, when.strftime("%d %b %Y"))


class ResultsScreen(FreshScreen):
    """Scores of one attempt (the current one unless told), the best over all attempts, and the
    history of every attempt. Enter on a question opens it; enter on an attempt shows its results."""

    CSS_PATH = "results.tcss"
    BINDINGS = [
        Binding("escape", "dismiss", "Back", key_display="esc", id="results.back", tooltip="Back to where you were"),
        Binding("m", "mark", "Mark", id="results.mark",
                tooltip="Mark yourself the answers the grader was unsure of, against the model answer"),
    ]

    def __init__(self, exam: Exam, store: ProgressStore, attempt_id: int | None = None,
                 now: Callable[[], float] = time.time) -> None:
        super().__init__()
        self.exam, self.store, self.now = exam, store, now
        self.attempt_id = attempt_id
        self.board: Scoreboard | None = None  # the attempt shown, as last read
        self.marking = False  # marking one answer after another until none is left (or escape)

    def compose(self) -> ComposeResult:
        yield SteadyHeader()
        with Body(id="results"):
            yield DataTable(id="scores", cursor_type="row", zebra_stripes=True)
            yield Static(id="total", markup=False)
            yield Static("Best and expected on the exam day", id="bars-title", markup=False)
            yield Container(id="bars")
            yield Static("Attempts (enter shows one) · totals of past attempts:", id="history-title", markup=False)
            yield Sparkline([], id="totals")
            yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield SteadyFooter(compact=True)

    def attempt(self) -> Attempt:
        return self._read().attempt if self.board is None else self.board.attempt

    def _read(self) -> Scoreboard:
        found = [a for a in self.store.attempts() if a.id == self.attempt_id]
        return read(self.store, Paper.of(self.exam), found[0] if found else None, now=self.now())

    def on_mount(self) -> None:
        self.query_one("#scores", DataTable).add_columns("#", "Question", "Score", "Best", "Status")
        self.query_one("#history", DataTable).add_columns("Attempt", "Mode", "Started", "Total", "Weighted")
        self.refresh_scores()
        self.query_one("#scores", DataTable).focus()

    def refresh_scores(self, attempt_id: int | None = None) -> None:
        """Read the attempt's scoreboard (another attempt's, if given) and the history again."""
        if attempt_id is not None:
            self.attempt_id = attempt_id
        board = self.board = self._read()
        self.attempt_id = board.attempt.id
        table = self.query_one("#scores", DataTable)
        table.clear()
        for q in self.exam.questions:
            row = board.row(q.number)
            score = "–" if board.running else f"{format_points(row.score or 0.0)} / {format_points(q.points)}"
            best = "–" if row.best is None else format_points(row.best)
            table.add_row(str(q.number), q.title, score, best, row.status, key=str(q.number))
        attempt, exam = board.attempt, self.exam
        percent = round(exam.weight * 100)
        self.sub_title = f"Results of attempt {attempt.number}" + (" (exam)" if attempt.mode == "exam" else "")
        lines = [
            f"Total: {format_points(board.total)} / {format_points(exam.total)}",
            f"Weighted: {format_points(board.weighted)} / {percent} course points"
            f" (the exam is {percent} % of the course)",
        ]
        if board.running:
            lines = ["Your exam is running: its scores come when you submit it (x on the overview)."]
        elif board.to_mark:
            lines.append(f"~ To mark: {', '.join(board.marks_due)}. The grader was unsure of these; m shows each"
                         " with the model answer, and you mark it (not counted until then).")
        lines.append(
            f"Best: {format_points(board.best_total)} / {format_points(exam.total)}, weighted"
            f" {format_points(board.best_weighted)} (each question's best over all attempts)"
        )
        self.query_one("#total", Static).update("\n".join(lines))
        self._fill_history(board)
        self.run_worker(lambda: self._expected(board), thread=True, exclusive=True, group="bars")
        self.refresh_bindings()
        if self.marking:
            self.marking = bool(board.to_mark)
            if self.marking:
                self.call_after_refresh(self.action_mark)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "mark":
            return self.board is not None and bool(self.board.to_mark)
        return True

    def action_mark(self) -> None:
        """Each unsure answer in a dialog; a mark goes to the app at once; escape stops (the rest stay)."""
        from tutor.screens.self_mark import SelfMarkDialog

        board = self.board
        if board is None or not board.to_mark or not self.is_current:
            self.marking = False
            return
        record = board.to_mark[0]
        question = self.exam.question(record.question)
        part = next(p for p in question.parts if p.label == record.part)
        why = grade(part, record.value).feedback  # the grader's reason, as it was when checked

        def marked(mark: str | None) -> None:
            self.marking = mark is not None
            if mark is not None:
                self.post_message(MarkAnswer(board.attempt.id, record.question, record.part, record.value, mark))

        self.app.push_screen(SelfMarkDialog(question, part, str(record.value), why, len(board.to_mark)), marked)

    def _expected(self, board: Scoreboard) -> None:
        """In a thread: the expected score per question on the exam day, from the review cards."""
        from tutor.readiness import expected_score

        state = self.store.review_state(self.now())
        paper = Paper.of(self.exam)
        ready = (expected_score(state.cards, paper.part_points, state.exam_date) if state.exam_date else None)
        rows = [BarRow(q.number, float(q.points), board.row(q.number).best,
                       *((ready.by_question[q.number]) if ready and q.number in ready.by_question else (None, 0.0)))
                for q in self.exam.questions]
        # posted to this screen's own queue (thread-safe), not run by call_from_thread in the worker's
        # context: what that mounted (the bars, their tasks and timers) carried the worker, and with it
        # this screen, for a while after the screen was closed (tutor.screens.freed)
        self.call_later(self._show_bars, rows, state.exam_date is not None)

    def _show_bars(self, rows: list[BarRow], dated: bool) -> None:
        if not self.is_attached:
            return
        title = "Best and expected on the exam day" + ("" if dated else " (no exam date yet: ctrl+p Set exam date)")
        self.query_one("#bars-title", Static).update(title)
        bars = self.query_one("#bars", Container)
        bars.remove_children()
        bars.mount(ScoreBars(rows))

    def _fill_history(self, shown: Scoreboard) -> None:
        """One row per attempt: number (▸ the one shown), mode, start, total and weighted; the totals'
        sparkline (attempts with scores)."""
        table = self.query_one("#history", DataTable)
        table.clear()
        boards = history(self.store, Paper.of(self.exam), now=self.now())
        self.query_one("#totals", Sparkline).data = [b.total for b in boards if not b.running]
        for board in boards:
            attempt, hidden = board.attempt, board.running
            table.add_row(
                f"{'▸ ' if attempt.id == shown.attempt.id else ''}{attempt.number}",
                attempt.mode + (" (running)" if hidden else ""),
                day(attempt.started_at),
                "–" if hidden else f"{format_points(board.total)} / {format_points(self.exam.total)}",
                "–" if hidden else format_points(board.weighted),
                key=str(attempt.id),
            )

    @on(DataTable.RowSelected, "#scores")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.post_message(OpenQuestion(int(event.row_key.value or 0)))

    @on(DataTable.RowSelected, "#history")
    def _show(self, event: DataTable.RowSelected) -> None:
        self.refresh_scores(int(event.row_key.value or 0))
        self.query_one("#scores", DataTable).focus()
