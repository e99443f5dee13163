"""PartView: one part of a question, whatever its kind.

The prompt, the answer input for the part's kind,
the feedback line of the last check, the self-mark of a text answer the grader was unsure of, the
worked steps (if the part has any) and, once revealed, the model answer with the rubric. State comes
down through the `grade`, `revealed`, `edited` (the box differs from what was last checked), `note`
(how saving it went) and `kept` (an exam's answer stored without a grade) reactives; the answer and
the step position go up as messages of the inner widgets. No grading or storing here. A choice
part whose content draws its choices (`diagrams`) shows them as block diagrams under its input, and
on reveal the model answer drawn the same way (tutor/widgets/pictures/residual, imported only then).
`reconstructed_note(question)` is the question's one "Wording ours" line (the question screen shows
it once, at the top); a reconstructed part says so again in its revealed model answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from tutor.exam import Part, Question, evaluate
from tutor.grading import Grade, format_points
from tutor.widgets.answer_inputs import AnswerInput, SelfMarkAnswer, answer_input
from tutor.widgets.prose import Prose, reflow
from tutor.widgets.step_reveal import StepReveal

RECONSTRUCTED = ("Wording ours: the original paper's text of {what} is not known, so the words are ours where "
                 "the key is silent. Points are the key's; r shows what else is ours.")
REWORDED = "Question reworded by us: the original paper's text of this part is not known."
SYMBOLS = {"correct": "✓", "partial": "◐", "wrong": "✗", "invalid": "?", "unsure": "~"}
KEPT = "• kept · graded when you submit the exam"
UNREADABLE = "? could not read: this would score 0 — {reason}"
NOTHING_TO_KEEP = "• nothing to keep yet: type your answer first"
UNSURE_AGAIN = ("from your last check: the grader could not decide. Compare your answer with the model "
                "answer and the rubric, and mark yourself.")


def steps_loader(question: Question, part: Part) -> tuple[Callable[[], Sequence[Any]], bool]:
    """How to get the part's steps, and whether to do it in a thread (sympy is slow to import)."""
    example = question.computations.get(part.example) if part.example else None

    def with_example(steps: Sequence[Any]) -> Sequence[Any]:
        if example is None:
            return steps
        return (*steps, "With numbers:", *evaluate(example).steps)

    if part.steps.startswith("symbolic:"):
        name = part.steps.removeprefix("symbolic:")

        def derive() -> Sequence[Any]:
            from tutor.derivations import derivation  # sympy in a child process, not in the app

            return with_example(derivation(name))

        return derive, True
    computation = question.computations[part.steps]
    return (lambda: with_example(evaluate(computation).steps)), False


def feedback_line(grade: Grade) -> str:
    """ "✓ 4/4 correct", "✗ 0/4 wrong · why", "? could not read: why", "~ ?/4 unsure · why"."""
    feedback = " ".join(grade.feedback.split())  # one paragraph, wrapped by the terminal
    if grade.status == "invalid":
        return f"? could not read: {feedback}"
    if grade.status == "unsure":
        return f"~ ?/{format_points(grade.points)} unsure, not scored yet · {feedback}"
    line = f"{SYMBOLS[grade.status]} {format_points(grade.score)}/{format_points(grade.points)} {grade.status}"
    if grade.status != "correct" or not feedback.startswith("Correct"):
        line += f" · {feedback}"
    elif feedback.startswith("Correct: you answered "):  # the choice made, named (not only a colour)
        line += f" · {feedback.removeprefix('Correct: ').rstrip('.')}"
    return line


def reconstructed_note(question: Question) -> str:
    """The question's one "wording ours" note (empty if the paper's wording is known), shown once
    at the top; each part's detail is in its revealed model answer."""
    if question.reconstructed:
        return RECONSTRUCTED.format(what="this question")
    labels = [f"({p.label})" for p in question.parts if p.reconstructed]
    if not labels:
        return ""
    what = f"part {labels[0]}" if len(labels) == 1 else f"parts {', '.join(labels[:-1])} and {labels[-1]}"
    return RECONSTRUCTED.format(what=what)


LEADS = re.compile(r"(The key|Ours)((?: \([^)]*\))?):\s*")  # "The key: …", "Ours (the key's answer is missing): …"


def model_answer(part: Part) -> str:
    rubric = "Rubric (ours: the key is silent here)" if part.reconstructed else "Rubric (the key's)"
    text = reflow(part.answer_text or str(part.answer))
    lead = LEADS.match(text)
    if lead:  # one label, not "Model answer: The key: …"
        whose = "the key's" if lead.group(1) == "The key" else "ours"
        lines = [f"Model answer, {whose}{lead.group(2)}: {text[lead.end():]}"]
    else:
        lines = [f"Model answer: {text}"]
    if part.reconstructed:
        lines.insert(0, REWORDED)
    if part.rubric:
        lines.append(f"{rubric}: {reflow(part.rubric)}")
    if part.explanation:
        lines.append(f"Why: {reflow(part.explanation)}")
    return "\n".join(lines)


@dataclass(frozen=True)
class Kept:
    """An exam's answer stored as typed, graded when the exam is submitted. `unreadable`: why the
    grader could not read it (it would score 0 as it is); empty when it can be read."""

    unreadable: str = ""

    def line(self) -> str:
        return UNREADABLE.format(reason=self.unreadable) if self.unreadable else KEPT


class PartView(Widget):
    """One part: prompt, input, feedback, steps and the model answer."""

    DEFAULT_CSS = """
    PartView { height: auto; margin-bottom: 1; }
    PartView .prompt { margin-bottom: 0; }
    PartView .prompt-label { text-style: bold; color: $accent; }
    PartView .note { color: $text-muted; text-style: italic; }
    PartView .hint { color: $text-muted; }
    PartView .feedback { display: none; }
    PartView .feedback.-shown { display: block; }
    PartView .feedback.-correct { color: $text-success; }
    PartView .feedback.-partial { color: $text-warning; }
    PartView .feedback.-wrong { color: $text-error; }
    PartView .feedback.-invalid { color: $text-warning; text-style: italic; }
    PartView .feedback.-unsure { color: $text-warning; }
    PartView .model { display: none; border-left: tall $success; padding: 0 1; margin-top: 1; }
    PartView.-revealed .model { display: block; }
    PartView .model-picture { display: none; border-left: tall $success; padding: 1 1 0 1; }
    PartView.-revealed .model-picture { display: block; }
    PartView MarkAnswer { display: none; }
    PartView.-unlocked MarkAnswer { display: block; }
    PartView.-unlocked .hint { display: none; }
    PartView SelfMarkAnswer, PartView.-unlocked SelfMarkAnswer { display: none; margin-top: 1; }
    PartView.-unsure SelfMarkAnswer, PartView.-unsure.-unlocked SelfMarkAnswer { display: block; }
    """

    grade: reactive[Grade | None] = reactive(None)
    revealed: reactive[bool] = reactive(False)
    edited: reactive[bool] = reactive(False)  # typed differently since the last check
    note: reactive[str] = reactive("")  # "saving…", "not saved: why", "saved now"
    kept: reactive[Kept | None] = reactive(None)  # kept in an exam, since the box last changed

    def __init__(self, question: Question, part: Part, record: Any = None, *, blink: bool = True) -> None:
        super().__init__(id=f"part-{part.label}")
        self.question = question
        self.part = part
        self.record = record
        self.blink = blink

    def compose(self) -> ComposeResult:
        part = self.part
        prompt = f"({part.label}) {format_points(part.points)} pt{'s' if part.points != 1 else ''}  "
        yield Prose(f"{prompt}{part.prompt.strip()}", classes="prompt")
        draft = getattr(self.record, "value", None)
        shown = getattr(self.record, "steps_shown", 0) or 0
        derivation = part.kind == "derivation"
        if not derivation:
            yield answer_input(part, draft, blink=self.blink)
            yield Static(classes="feedback", markup=False)
        if part.diagrams:
            from tutor.widgets.pictures.residual import ChoiceDiagrams

            diagrams = ChoiceDiagrams(part.diagrams, answer=part.answer, id=f"diagrams-{part.label}")
            diagrams.can_focus = False  # no tab stop between two answers (its words show with NO_COLOR)
            yield diagrams
        if part.kind == "text":  # shown when the grader is unsure of the answer
            yield SelfMarkAnswer(part, id=f"selfmark-{part.label}")
        if part.steps:
            load, threaded = steps_loader(self.question, part)
            # Only a derivation's steps take the focus (its mark is hidden until they are shown): tab
            # goes from answer to answer, and space steps the part last answered.
            yield StepReveal(load, threaded=threaded, shown=shown, id=f"steps-{part.label}", focusable=derivation)
        yield Static(model_answer(part), classes="model", markup=False)
        if part.diagrams:
            from tutor.widgets.pictures.residual import BlockDiagram

            picture = BlockDiagram(part.diagrams[part.answer], "The model answer", id=f"model-diagram-{part.label}")
            picture.add_class("model-picture")
            picture.can_focus = False  # (the same: tab goes from answer to answer)
            yield picture
        if derivation:
            hint = "Write it on paper, then step through ours (space) or reveal it (r), and mark yourself here."
            yield Static(hint, classes="hint", markup=False)
            yield answer_input(part, draft, blink=self.blink)
            yield Static(classes="feedback", markup=False)

    def on_mount(self) -> None:
        record = self.record
        if record is not None:
            self.revealed = bool(getattr(record, "revealed", False))
            if record.status != "typed" and record.score is not None:
                points = record.points or self.part.points
                self.grade = Grade(record.score, points, record.status, "from your last check")
                if self.part.work_required and record.status == "correct":
                    self.answer.work_shown = True  # full marks were only possible with the work shown
            elif record.status == "unsure" and record.score is None:
                self.grade = Grade(0.0, record.points or self.part.points, "unsure", UNSURE_AGAIN)
                self.revealed = True  # its model answer and rubric are what the student marks against
            if self.part.work_required and record.work_shown:
                self.answer.work_shown = True  # kept (an exam's answer, or a check) with the work ticked
        self._update_unlocked()

    @property
    def answer(self) -> AnswerInput:
        return self.query_one(f"#answer-{self.part.label}", AnswerInput)

    @property
    def self_mark(self) -> SelfMarkAnswer | None:
        found = self.query(SelfMarkAnswer)
        return found.first() if found else None

    @property
    def step_reveal(self) -> StepReveal | None:
        found = self.query(StepReveal)
        return found.first() if found else None

    def watch_grade(self, grade: Grade | None) -> None:
        self.set_class(grade is not None and grade.status == "unsure", "-unsure")
        self._show_feedback()

    def watch_edited(self) -> None:
        self._show_feedback()

    def watch_note(self) -> None:
        self._show_feedback()

    def watch_kept(self) -> None:
        self._show_feedback()

    def _show_feedback(self) -> None:
        """The last check's line, "edited since checked" while the box differs, or what was kept
        in an exam; then the note."""
        grade, kept, line = self.grade, self.kept, self.query_one(".feedback", Static)
        texts = [feedback_line(grade)] if grade else [kept.line()] if kept else []
        if grade and self.edited and grade.status != "invalid":
            texts.append("edited since checked")
        texts += [self.note] if self.note else []
        tone = [f"-{grade.status}"] if grade else ["-invalid"] if kept and kept.unreadable else []
        line.set_classes(["feedback", *tone] + (["-shown"] if texts else []))
        line.update(" · ".join(texts))

    def watch_revealed(self, revealed: bool) -> None:
        self.set_class(revealed, "-revealed")
        for diagrams in self.query(f"#diagrams-{self.part.label}"):  # the choices drawn: the answer marked
            diagrams.reveal(revealed)
        self._update_unlocked()

    def on_step_reveal_moved(self, event: StepReveal.Moved) -> None:
        self._update_unlocked()

    def _update_unlocked(self) -> None:
        steps = self.step_reveal
        self.set_class(self.revealed or steps is None or steps.complete, "-unlocked")
