"""Results: an attempt's score per question and in total, out of the exam's points and weighted to
the exam's share of the course (score × 0.35 for a 100-point exam worth 35 %); each question's best
over all attempts; and the history of every attempt. A running exam's scores stay hidden. Answers
the grader was unsure of (a submitted exam's, say) are listed, and m marks each in a dialog."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from tutor.exam import Exam
from tutor.exam_session import awaiting_mark, exam_running
from tutor.grading import format_points, grade, self_mark
from tutor.points import weighted_score
from tutor.progress import Attempt, NotSaved, ProgressStore
from tutor.screens.messages import OpenQuestion
from tutor.screens.overview import question_status
from tutor.widgets.footer import SteadyFooter


def weighted(score: float, exam: Exam) -> float:
    """The score as course points: a 100-point exam worth 35 % turns 80 into 28."""
    return weighted_score(score, exam.total, exam.weight)


def day(stamp: float, today: date | None = None) -> str:
    """ "today", "yesterday" or "12 Jun 2026": the day an attempt started."""
    when, today = datetime.fromtimestamp(stamp).date(), today or date.today()
    names = {today: "today", today - timedelta(days=1): "yesterday"}
    return names.get(when, when.strftime("%d %b %Y"))


class ResultsScreen(Screen[None]):
    """Scores of one attempt (the current one unless told), the best over all attempts, and the
    history of every attempt. Enter on a question opens it; enter on an attempt shows its results."""

    CSS_PATH = "results.tcss"
    BINDINGS = [
        Binding("escape", "dismiss", "Back", key_display="esc", id="results.back", tooltip="Back to where you were"),
        Binding("m", "mark", "Mark", id="results.mark",
                tooltip="Mark yourself the answers the grader was unsure of, against the model answer"),
    ]

    def __init__(self, exam: Exam, store: ProgressStore, attempt_id: int | None = None) -> None:
        super().__init__()
        self.exam, self.store = exam, store
        self.attempt_id = attempt_id

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="results"):
            yield DataTable(id="scores", cursor_type="row", zebra_stripes=True)
            yield Static(id="total", markup=False)
            yield Static("Attempts (enter shows one)", id="history-title", markup=False)
            yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield SteadyFooter(compact=True)

    def attempt(self) -> Attempt:
        found = [a for a in self.store.attempts() if a.id == self.attempt_id]
        return found[0] if found else self.store.current_attempt()

    def on_mount(self) -> None:
        attempt = self.attempt()
        running = exam_running(attempt)  # its scores stay hidden until it is submitted
        answers = self.store.answers(attempt.id)
        scores = {} if running else self.store.question_scores(attempt.id)
        best = self.store.best_scores()
        table = self.query_one("#scores", DataTable)
        table.add_columns("#", "Question", "Score", "Best", "Status")
        for q in self.exam.questions:
            records = [r for (number, _), r in answers.items() if number == q.number]
            score = scores.get(q.number, 0.0)
            table.add_row(
                str(q.number), q.title, "–" if running else f"{format_points(score)} / {format_points(q.points)}",
                format_points(best[q.number]) if q.number in best else "–",
                question_status(records, len(q.parts), exam=running), key=str(q.number),
            )
        total = sum(scores.values())
        best_total = sum(best.get(q.number, 0.0) for q in self.exam.questions)
        percent = round(self.exam.weight * 100)
        self.sub_title = f"Results of attempt {attempt.number}" + (" (exam)" if attempt.mode == "exam" else "")
        lines = [
            f"Total: {format_points(total)} / {format_points(self.exam.total)}",
            f"Weighted: {format_points(weighted(total, self.exam))} / {percent} course points"
            f" (the exam is {percent} % of the course)",
        ]
        if running:
            lines = ["Your exam is running: its scores come when you submit it (x on the overview)."]
        elif to_mark := self.to_mark(attempt):
            names = ", ".join(f"{r.question}({r.part})" for r in to_mark)
            lines.append(f"~ To mark: {names}. The grader was unsure of these; m shows each with the"
                         " model answer, and you mark it (not counted until then).")
        lines.append(
            f"Best: {format_points(best_total)} / {format_points(self.exam.total)}, weighted"
            f" {format_points(weighted(best_total, self.exam))} (each question's best over all attempts)"
        )
        self.query_one("#total", Static).update("\n".join(lines))
        self._fill_history(attempt)
        table.focus()

    def to_mark(self, attempt: Attempt) -> list:
        """The attempt's answers the grader was unsure of, of parts the exam still has."""
        labels = {(q.number, p.label) for q in self.exam.questions for p in q.parts}
        return [r for r in awaiting_mark(self.store, attempt.id) if (r.question, r.part) in labels]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "mark":
            attempt = self.attempt()
            return not exam_running(attempt) and bool(self.to_mark(attempt))
        return True

    def action_mark(self) -> None:
        """Each unsure answer in a dialog; a mark is stored at once; escape stops (the rest stay)."""
        from tutor.screens.self_mark import SelfMarkDialog

        attempt = self.attempt()
        records = self.to_mark(attempt)
        if not records or exam_running(attempt):
            return
        record = records[0]
        question = self.exam.question(record.question)
        part = next(p for p in question.parts if p.label == record.part)
        why = grade(part, record.value).feedback  # the grader's reason, as it was when checked

        def marked(mark: str | None) -> None:
            if mark is None:
                return
            result = self_mark(part, mark)
            if result.status == "invalid":
                return
            try:
                self.store.save_answer(attempt.id, record.question, record.part, record.value,
                                       score=result.score, points=result.points, status=result.status)
            except NotSaved as exc:  # kept by the store, tried again with the next write
                self.app.notify(f"Your mark of {record.question}({record.part}) is {exc}; it is tried again"
                                " with your next change.", severity="warning", timeout=10)
            self.app.switch_screen(ResultsScreen(self.exam, self.store, attempt.id))
            if len(records) > 1:
                app = self.app
                app.call_after_refresh(lambda: app.screen.action_mark() if isinstance(app.screen, ResultsScreen) else None)

        self.app.push_screen(SelfMarkDialog(question, part, str(record.value), why, len(records)), marked)

    def _fill_history(self, shown: Attempt) -> None:
        """One row per attempt: number (▸ the one shown), mode, start, total and weighted."""
        table = self.query_one("#history", DataTable)
        table.add_columns("Attempt", "Mode", "Started", "Total", "Weighted")
        for attempt in self.store.attempts():
            total = sum(self.store.question_scores(attempt.id).values())
            hidden = exam_running(attempt)
            table.add_row(
                f"{'▸ ' if attempt.id == shown.id else ''}{attempt.number}",
                attempt.mode + (" (running)" if hidden else ""),
                day(attempt.started_at),
                "–" if hidden else f"{format_points(total)} / {format_points(self.exam.total)}",
                "–" if hidden else format_points(weighted(total, self.exam)),
                key=str(attempt.id),
            )

    @on(DataTable.RowSelected, "#scores")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.post_message(OpenQuestion(int(event.row_key.value or 0)))

    @on(DataTable.RowSelected, "#history")
    def _show(self, event: DataTable.RowSelected) -> None:
        self.app.switch_screen(ResultsScreen(self.exam, self.store, int(event.row_key.value or 0)))
