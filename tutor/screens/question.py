"""The question screen: one question's stem and parts, answered, checked, revealed, stepped through.

What a check, a draft, a reveal and the steps become is its `Recorder`'s (tutor.screens.recorders):
the app's controllers hand it one for a study attempt, a running exam (checks kept without a grade;
model answers, steps and the live editor hidden) or a practice problem. The rest is configuration
given with it: the heading, the sub-title, whether the live editor is shown, whether the question
stands alone (no previous/next), the part to focus. It shows kinds of part, never a particular
question, and does no arithmetic: the worked steps come from the solver and symbolic modules via
PartView. It asks the app for other screens with the messages of tutor.screens.messages.

A mode line above the footer says where the keys go: "reading · enter to answer", "typing in 5(c) ·
esc to leave", "choosing in 1(a)", the live editor. While answering (an answer box, an option list
or the work box has the focus) the one-letter commands are off, so letters type and the footer keeps
to the keys of the answer; `e` goes to the live editor and `e` or esc comes back to where you were.

Most keys are screen bindings without priority, so a focused Input keeps left/right/backspace/space
and every letter for editing. The keys that move the focus (escape out of an answer box, enter from
the question text to the first open answer) are priority bindings that move it at once, so the keys
typed right after them go where the student meant (a key is handed to the focused widget when it
arrives; a binding without priority runs only after the key has bubbled up, too late).
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.events import DescendantFocus
from textual.widget import Widget
from textual.widgets import Input, RadioSet, Static

from tutor.exam import Exam, Question
from tutor.grading import format_points
from tutor.screens.fresh import FreshScreen
from tutor.screens.messages import OpenQuestion, ShowOverview
from tutor.screens.recording import Recorder
from tutor.widgets.answer_inputs import AnswerInput, SelfMarkAnswer
from tutor.widgets.body import Body
from tutor.widgets.footer import SteadyFooter
from tutor.widgets.header import SteadyHeader
from tutor.widgets.live import live_editor_for
from tutor.widgets.mode_line import ModeLine
from tutor.widgets.part_view import PartView, reconstructed_note
from tutor.widgets.prose import Prose
from tutor.widgets.step_reveal import StepReveal

LIVE_HEADING = "Try your own numbers · ctrl+r the exam's numbers · ctrl+n new random numbers"


class QuestionScreen(FreshScreen):
    """One question of the exam."""

    CSS_PATH = "question.tcss"
    BINDINGS = [
        Binding("left,p", "go(-1)", "Prev", key_display="←/p", id="question.previous",
                tooltip="The previous question (not while typing in an answer box)"),
        Binding("right,n", "go(1)", "Next", key_display="→/n", id="question.next",
                tooltip="The next question (not while typing in an answer box)"),
        Binding("enter", "check", "Check", key_display="⏎", id="question.check", priority=True,
                tooltip="Check the focused answer"),
        Binding("enter", "answer", "Answer", key_display="⏎", id="question.answer", priority=True,
                tooltip="Go to the first open answer (or this part's)"),
        Binding("r", "reveal", "Reveal", id="question.reveal",
                tooltip="Show the model answer and the rubric of this part"),
        Binding("space", "step(1)", "Step", key_display="␣", id="question.step",
                tooltip="Show the next step of the worked computation"),
        Binding("backspace", "step(-1)", "Step back", show=False, id="question.step_back",
                tooltip="Hide the last step of the worked computation"),
        Binding("a", "all_steps", "All steps", show=False, id="question.all_steps",
                tooltip="Show every step of the worked computation"),
        Binding("e", "editor", "Editor", id="question.editor",
                tooltip="To the live editor of this question, and back (try your own numbers)"),
        Binding("e", "leave_editor", "Back", show=False, id="question.editor_back",
                tooltip="Out of the live editor, back to where you were"),
        Binding("escape", "leave_answer", "Leave", key_display="esc", id="question.leave_answer", priority=True,
                tooltip="Leave the answer box: the question keys work again"),
        Binding("escape", "leave_editor", "Back", key_display="esc", id="question.leave_editor",
                tooltip="Leave the live editor, back to where you were"),
        Binding("escape", "back", "Back", key_display="esc", id="question.back",
                tooltip="Back to the overview"),
        Binding("q", "app.quit", "Quit", show=False, id="question.quit",  # in help and the palette: the
                tooltip="Save what you typed and quit"),  # footer keeps to the question's keys at 80 columns
    ]

    BROWSING_ONLY: ClassVar[frozenset[str]] = frozenset(  # not while answering
        {"go", "reveal", "step", "all_steps", "editor"})

    def __init__(self, exam: Exam, question: Question, recorder: Recorder, *, heading: str | None = None,
                 sub_title: str | None = None, live: bool = True, alone: bool = False, focus: str | None = None,
                 blink: bool = True) -> None:
        super().__init__()
        self.exam, self.question, self.recorder, self.blink = exam, question, recorder, blink
        q = question
        self.heading = heading or f"Question {q.number} · {q.title} · {format_points(q.points)} pts"
        self.subtitle = sub_title or f"Question {question.number} of {len(exam.questions)}"
        self.live, self.alone, self.focus_part = live, alone, focus
        recorder.attach(self)
        self.records = recorder.records(part.label for part in question.parts)
        self.current: PartView | None = None
        self.leaving_to: int | None = None  # where a quick series of left/right keys has got to
        self.before_editor: Widget | None = None  # where e (or esc) in the live editor goes back to

    def compose(self) -> ComposeResult:
        q = self.question
        yield SteadyHeader()
        with Body(id="body"):
            yield Static(self.heading, id="heading", markup=False)
            note = reconstructed_note(q)
            if note:
                yield Static(note, classes="note", id="reconstructed", markup=False)
            yield Prose(q.stem, id="stem")
            for part in q.parts:
                yield PartView(q, part, self.records.get(part.label), blink=self.blink)
            editor = live_editor_for(q) if self.live else None  # for trying one's own numbers
            if editor is not None:
                with Container(id="live-editor"):
                    yield Static(LIVE_HEADING, classes="live-heading", markup=False)
                    yield editor
        yield SteadyFooter(compact=True)
        yield ModeLine(id="mode")

    def on_mount(self) -> None:
        self.sub_title = self.subtitle
        self.recorder.place()
        for view in self.query(PartView):
            self.recorder.shown(view)
        if not self.blink:  # the live editors' fields too: a blinking cursor costs bytes over SSH
            for field in self.query(Input):
                field.cursor_blink = False
        self.set_class(self.in_exam, "-exam")  # question.tcss hides steps, model answers, live editors
        self.watch(self, "focused", self._show_mode)
        self.query_one("#body").focus()
        if self.focus_part is not None:
            self.call_after_refresh(self._focus_part, self.focus_part)

    def _focus_part(self, label: str) -> None:
        for view in self.query(PartView):
            answers = [w for w in self.focus_chain if view.part.label == label and w in view.answer.query("*")]
            if answers:
                answers[0].focus()
                answers[0].scroll_visible(animate=False)
                return

    # -- where the keys go ---------------------------------------------------------------------------

    @property
    def typing(self) -> bool:
        return isinstance(self.focused, Input)

    @property
    def answering(self) -> bool:
        """The focus is in a part's answer: a box (typing), an option list or the work box."""
        focused = self.focused
        return self.typing or (focused is not None and self._part_of(focused) is not None and any(
            isinstance(node, AnswerInput) for node in focused.ancestors_with_self))

    @property
    def in_editor(self) -> bool:
        """The focus is in the live editor, whose own keys (arrows, ctrl+r, ctrl+n) then count."""
        return self.focused is not None and any(
            node.id == "live-editor" for node in self.focused.ancestors_with_self
        )

    @property
    def in_exam(self) -> bool:
        """A running exam's question: checks store without a grade; nothing is revealed."""
        return self.recorder.exam

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"reveal", "step", "all_steps"} and self.in_exam:
            return False
        if action in self.BROWSING_ONLY and (self.answering or (self.in_editor and action != "editor")):
            return False  # answering: letters type, arrows choose; esc first (the footer stays short)
        if action in {"check", "answer"}:  # a box or an option list takes its own enter (and so does the editor)
            focused = self.focused
            free = not (self.in_editor or isinstance(focused, Input) or (
                focused is not None and any(isinstance(n, RadioSet) for n in focused.ancestors_with_self)))
            return free and (action == "check") == self.answering  # "Check" in an answer, "Answer" reading
        if action in {"leave_answer", "leave_editor", "back"}:
            where = "leave_answer" if self._part_of(self.focused) else "leave_editor" if self.in_editor else "back"
            return action == where
        if action in {"step", "all_steps"} and not self.query(StepReveal):
            return False
        if action == "editor":
            return self.live and not self.in_exam and not self.in_editor and bool(self.query("#live-editor"))
        if action == "go":  # (a practice problem stands alone)
            return not self.alone and (self._neighbour(int(parameters[0])) is not None or None)  # type: ignore
        return True

    def mode(self) -> str:
        """What the keys do now, in words: reading, typing in an answer, choosing, or the editor."""
        part = self._part_of(self.focused)
        where = f"{self.question.number}({part.part.label})" if part is not None else ""
        if part is not None and self.typing:
            return f"typing in {where} · enter checks · esc to leave"
        if part is not None and self.answering:
            if any(isinstance(node, RadioSet) for node in self.focused.ancestors_with_self):  # type: ignore[union-attr]
                return f"choosing in {where} · ↑/↓ then enter · esc to leave"
            return f"in {where} · space ticks · enter checks · esc to leave"  # the work box
        if self.in_editor:
            return "live editor · arrows move, type a number · esc back"
        return "reading · enter to answer"

    def _show_mode(self, _focused: Widget | None = None) -> None:
        modes = self.query("#mode")
        if modes:
            modes.first(ModeLine).show(self.mode())

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
            self.leaving_to = number
            self.post_message(OpenQuestion(number))

    def action_answer(self) -> None:
        self.action_check()

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
                self.set_focus((answers or inside)[0])  # now, not after the keys typed next
                return

    def action_reveal(self) -> None:
        parts = [self.current] if self.current is not None else list(self.query(PartView))
        for part in parts:
            if not part.revealed:
                part.revealed = True
                self.recorder.reveal(part.part.label)
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
        self.set_focus(self.query_one("#body"))  # now: the next key is a question key

    def action_editor(self) -> None:
        """Into the live editor (its first field, scrolled into view); e or esc goes back."""
        targets = [w for w in self.focus_chain if any(n.id == "live-editor" for n in w.ancestors_with_self)]
        if targets:
            self.before_editor = self.focused
            self.query_one("#body").scroll_to_widget(self.query_one("#live-editor"), top=True, animate=False,
                                                     immediate=True)  # its heading and first field in view
            self.set_focus(targets[0], scroll_visible=False)

    def action_leave_editor(self) -> None:
        back, self.before_editor = self.before_editor, None
        if back is None or not back.is_attached or back not in self.focus_chain:
            back = self.query_one("#body")
        self.set_focus(back)

    def action_back(self) -> None:
        self.post_message(ShowOverview())  # the app keeps what was typed, then shows the overview

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

    @on(AnswerInput.WorkToggled)
    def _work_toggled(self, event: AnswerInput.WorkToggled) -> None:
        """A checked (or, in an exam, kept) answer is graded again with the tick as it is now."""
        part = self._part_of(event.answer)
        if part is None:
            return
        if self.recorder.regrades_on_tick(part):
            self.check(part)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        part = self._part_of(event.input)
        if part is not None:
            self.recorder.typed(part)

    def check(self, view: PartView) -> None:
        """Check the part's answer through the recorder (it grades, shows and stores it). An answer
        the grader is unsure of gets its model answer, rubric and self-mark shown."""
        result = self.recorder.check(view)
        if result is None:  # kept in an exam, or nothing to keep
            return
        if result.status == "unsure":  # checked with no score yet: the student marks it
            if not view.revealed:
                view.revealed = True
                self.recorder.reveal(view.part.label)
            self.run_worker(self._ask_for_mark(view), exclusive=False)
            return
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
        if self.recorder.changed_since_check(view):
            self.notify("Your answer changed since it was checked: press enter in it to check it again.",
                        severity="warning")
            return
        if self.recorder.self_mark(view, mark) is None:
            return
        self.current = view
        self.set_focus(self.query_one("#body"), scroll_visible=False)  # reading again: q, n, p, enter work
        self.call_after_refresh(view.query_one(".feedback").scroll_visible, animate=False)

    def on_step_reveal_moved(self, event: StepReveal.Moved) -> None:
        part = self._part_of(event.reveal)
        if part is not None:
            self.recorder.steps(part.part.label, event.shown)

    def save_drafts(self) -> None:
        """Store what was typed but not checked (a draft never changes a checked score)."""
        self.recorder.draft(self.query(PartView))
