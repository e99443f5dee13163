"""The question screen: one question's stem and parts, answered, checked, revealed, stepped through.

Grades with `tutor.grading` and saves every check, reveal and step position to the progress store at
once (typed drafts when the student leaves). It shows kinds of part, never a particular question,
and does no arithmetic: the worked steps come from the solver and symbolic modules via PartView.

Keys are screen bindings without priority, so a focused Input keeps left/right/backspace/space and
every letter for editing; escape leaves the answer box, and then the question keys work.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.events import DescendantFocus
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, Input, Static

from tutor.exam import Exam
from tutor.exam_session import exam_running
from tutor.grading import format_points, grade, self_mark
from tutor.progress import ProgressStore, UnknownAttempt
from tutor.screens.exam_mode import draft_status, keep_ungraded
from tutor.screens.messages import OpenQuestion
from tutor.widgets.answer_inputs import AnswerInput, SelfMarkAnswer
from tutor.widgets.footer import SteadyFooter
from tutor.widgets.live import live_editor_for
from tutor.widgets.part_view import RECONSTRUCTED, PartView
from tutor.widgets.prose import Prose
from tutor.widgets.step_reveal import StepReveal

LIVE_HEADING = "Try your own numbers · ctrl+r the exam's numbers · ctrl+n new random numbers"
BROWSING_ONLY = {"go", "reveal", "step", "all_steps"}


class QuestionScreen(Screen[None]):
    """One question of the exam."""

    CSS_PATH = "question.tcss"
    BINDINGS = [
        Binding("left,p", "go(-1)", "Prev", key_display="←/p", id="question.previous",
                tooltip="The previous question (not while typing in an answer box)"),
        Binding("right,n", "go(1)", "Next", key_display="→/n", id="question.next",
                tooltip="The next question (not while typing in an answer box)"),
        Binding("enter", "check", "Check", key_display="⏎", id="question.check",
                tooltip="Check the focused answer (from the question text: go to the first open answer)"),
        Binding("r", "reveal", "Reveal", id="question.reveal",
                tooltip="Show the model answer and the rubric of this part"),
        Binding("space", "step(1)", "Step", key_display="␣", id="question.step",
                tooltip="Show the next step of the worked computation"),
        Binding("backspace", "step(-1)", "Step back", show=False, id="question.step_back",
                tooltip="Hide the last step of the worked computation"),
        Binding("a", "all_steps", "All steps", show=False, id="question.all_steps",
                tooltip="Show every step of the worked computation"),
        Binding("escape", "leave_answer", "Done", key_display="esc", id="question.leave_answer",
                tooltip="Leave the answer box: the question keys work again"),
        Binding("escape", "back", "Back", key_display="esc", id="question.back",
                tooltip="Back to the overview"),
    ]

    def __init__(self, exam: Exam, store: ProgressStore, number: int, *, blink: bool = True) -> None:
        super().__init__()
        self.exam, self.store, self.blink = exam, store, blink
        self.question = exam.question(number)
        self.attempt = store.current_attempt()
        records = store.answers(self.attempt.id)
        self.records = {part.label: records.get((number, part.label)) for part in self.question.parts}
        self.saved: dict[str, Any] = {
            label: record.value for label, record in self.records.items() if record is not None
        }
        self.current: PartView | None = None
        self.leaving_to: int | None = None  # where a quick series of left/right keys has got to

    def compose(self) -> ComposeResult:
        q = self.question
        yield Header()
        with VerticalScroll(id="body"):
            yield Static(self.heading(), id="heading", markup=False)
            if q.reconstructed:
                yield Static(RECONSTRUCTED, classes="note", markup=False)
            yield Prose(q.stem, id="stem")
            for part in q.parts:
                yield PartView(q, part, self.records.get(part.label), blink=self.blink)
            editor = self.live_editor()
            if editor is not None:
                with Container(id="live-editor"):
                    yield Static(LIVE_HEADING, classes="live-heading", markup=False)
                    yield editor
        yield SteadyFooter(compact=True)

    def heading(self) -> str:
        """The bold line above the stem (the practice screen shows its seed here)."""
        q = self.question
        return f"Question {q.number} · {q.title} · {format_points(q.points)} pts"

    def live_editor(self) -> Widget | None:
        """The editor under the parts for trying one's own numbers, if the question has one."""
        return live_editor_for(self.question)

    def on_mount(self) -> None:
        numbers = [q.number for q in self.exam.questions]
        self.sub_title = f"Question {self.question.number} of {len(numbers)}"
        self._store(self.store.set_current_question, self.question.number)
        if not self.blink:  # the live editors' fields too: a blinking cursor costs bytes over SSH
            for field in self.query(Input):
                field.cursor_blink = False
        self.set_class(self.in_exam, "-exam")  # question.tcss hides steps, model answers, live editors
        self.query_one("#body").focus()

    # -- where the keys go ---------------------------------------------------------------------------

    @property
    def typing(self) -> bool:
        return isinstance(self.focused, Input)

    @property
    def in_editor(self) -> bool:
        """The focus is in the live editor, whose own keys (arrows, ctrl+r, ctrl+n) then count."""
        return self.focused is not None and any(
            node.id == "live-editor" for node in self.focused.ancestors_with_self
        )

    @property
    def in_exam(self) -> bool:
        """This attempt is an exam not yet submitted: checks store without a grade; nothing is revealed."""
        return exam_running(self.attempt)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"reveal", "step", "all_steps"} and self.in_exam:
            return False
        if action in BROWSING_ONLY and (self.typing or self.in_editor):
            return False
        if action == "check" and self.in_editor:
            return False
        if action in {"leave_answer", "back"}:
            answering = self._part_of(self.focused) is not None or self.in_editor
            return answering == (action == "leave_answer")
        if action in {"step", "all_steps"} and not self.query(StepReveal):
            return False
        if action == "go":
            return self._neighbour(int(parameters[0])) is not None or None  # type: ignore[call-overload]
        return True

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        part = self._part_of(event.widget)
        if part is not None:
            self.current = part

    @staticmethod
    def _part_of(widget: Widget | None) -> PartView | None:
        for node in widget.ancestors_with_self if widget is not None else ():
            if isinstance(node, PartView):
                return node
        return None

    def _neighbour(self, delta: int) -> int | None:
        numbers = [q.number for q in self.exam.questions]
        index = numbers.index(self.leaving_to or self.question.number) + delta
        return numbers[index] if 0 <= index < len(numbers) else None

    def _target_steps(self) -> StepReveal | None:
        if self.current is not None and self.current.step_reveal is not None:
            return self.current.step_reveal
        reveals = list(self.query(StepReveal))
        return next((r for r in reveals if not r.complete), reveals[0] if reveals else None)

    # -- actions -----------------------------------------------------------------------------------

    def action_go(self, delta: int) -> None:
        number = self._neighbour(delta)
        if number is not None:
            self.save_drafts()
            self.leaving_to = number
            self.post_message(OpenQuestion(number))

    def action_check(self) -> None:
        """Check the focused answer; elsewhere in a part go to its answer; else to the first open one."""
        part = self._part_of(self.focused)
        if part is not None and self.focused in part.answer.query("*"):
            self.check(part)
            return
        parts = list(self.query(PartView))
        todo = [part] if part is not None else [p for p in parts if p.grade is None or p.grade.status != "correct"]
        chain = self.focus_chain  # only what can take the focus now (not a hidden self-mark)
        for view in todo or parts:
            inside = [w for w in chain if self._part_of(w) is view]
            answers = [w for w in inside if w in view.answer.query("*")]
            if answers or inside:
                (answers or inside)[0].focus()
                return

    def action_reveal(self) -> None:
        parts = [self.current] if self.current is not None else list(self.query(PartView))
        for part in parts:
            if not part.revealed:
                part.revealed = True
                self._store(self.store.mark, self.question.number, part.part.label, revealed=True)
        self.call_after_refresh(parts[-1].query_one(".model").scroll_visible, animate=False)

    def action_step(self, delta: int) -> None:
        reveal = self._target_steps()
        if reveal is not None:
            reveal.forward() if delta > 0 else reveal.back()

    def action_all_steps(self) -> None:
        reveal = self._target_steps()
        if reveal is not None:
            reveal.show_all()

    def action_leave_answer(self) -> None:
        self.query_one("#body").focus()

    def action_back(self) -> None:
        self.save_drafts()
        self.dismiss()

    # -- checking and storing ----------------------------------------------------------------------

    @on(AnswerInput.Submitted)
    def _submitted(self, event: AnswerInput.Submitted) -> None:
        part = self._part_of(event.answer)
        if part is None:
            return
        if isinstance(event.answer, SelfMarkAnswer):
            self.mark_unsure(part, event.answer.response)
        else:
            self.check(part)

    def check(self, view: PartView) -> None:
        """Grade the part's answer, show the feedback, and store it unless it could not be read. An
        answer the grader is unsure of is stored as checked with no score, and its model answer,
        rubric and self-mark are shown."""
        answer = view.answer
        if self.in_exam:  # graded only when the exam is submitted
            keep_ungraded(self, view)
            return
        result = grade(view.part, answer.response, work_shown=answer.work_shown)
        view.grade = result
        label = view.part.label
        if result.status == "unsure":
            self._store(self.store.save_answer, self.question.number, label, answer.response,
                        points=result.points, status="unsure")
            self.saved[label] = answer.response
            if not view.revealed:
                view.revealed = True
                self._store(self.store.mark, self.question.number, label, revealed=True)
            self.run_worker(self._ask_for_mark(view), exclusive=False)
            return
        if result.status != "invalid":
            self._store(
                self.store.save_answer, self.question.number, label, answer.response,
                score=result.score, points=result.points, status=result.status,
            )
            self.saved[label] = answer.response
        self.call_after_refresh(view.query_one(".feedback").scroll_visible, animate=False)

    async def _ask_for_mark(self, view: PartView) -> None:
        """A fresh self-mark under the unsure answer, focused and in view."""
        mark = view.self_mark
        if mark is None:
            return
        await mark.reset()
        self.call_after_refresh(self._focus_mark, view)

    def _focus_mark(self, view: PartView) -> None:
        mark = view.self_mark
        if mark is not None:
            targets = [w for w in self.focus_chain if w in mark.query("*")]
            if targets:
                targets[0].focus(scroll_visible=False)
            view.query_one(".feedback").scroll_visible(top=True, animate=False)  # why, then the mark

    def mark_unsure(self, view: PartView, mark: str) -> None:
        """The student's own mark of an answer the grader was unsure of: stored like any check."""
        answer, label = view.answer, view.part.label
        if answer.response != self.saved.get(label):
            self.notify("Your answer changed since it was checked: press enter in it to check it again.",
                        severity="warning")
            return
        result = self_mark(view.part, mark)
        if result.status == "invalid":
            return
        view.grade = result
        self._store(self.store.save_answer, self.question.number, label, answer.response,
                    score=result.score, points=result.points, status=result.status)
        self.current = view
        self.query_one("#body").focus(scroll_visible=False)  # reading again: q, n, p, enter work
        self.call_after_refresh(view.query_one(".feedback").scroll_visible, animate=False)

    def on_step_reveal_moved(self, event: StepReveal.Moved) -> None:
        part = self._part_of(event.reveal)
        if part is not None:
            self._store(self.store.mark, self.question.number, part.part.label, steps_shown=event.shown)

    def save_drafts(self) -> None:
        """Store what was typed but not checked (a draft replaces the grade of an older answer)."""
        for view in self.query(PartView):
            answer = view.answer
            label = view.part.label
            if not answer.is_blank() and answer.response != self.saved.get(label):
                status = draft_status(self.attempt, answer)  # an exam's keeps the work tick
                self._store(self.store.save_answer, self.question.number, label, answer.response, status=status)
                self.saved[label] = answer.response

    def _store(self, method: Any, *args: Any, **kwargs: Any) -> None:
        try:
            method(self.attempt.id, *args, **kwargs)
        except UnknownAttempt:
            # Another session reset the progress or the attempt is gone: carry on in a current one.
            self.attempt = self.store.current_attempt()
            self.notify("Your progress was reset elsewhere; this is a new attempt.", severity="warning")
            method(self.attempt.id, *args, **kwargs)
