"""The gradients' calculator of question 6's kind: sizes in, the five gradients' shapes out.

Why it exists: a student checking ∂J/∂W₂ = δ₁ᵀh₁ᵀ needs the shapes at sizes of their own, a proof
that the analytic gradients are right (central differences) and, for a formula they type, its shape
and which gradient it is. Built on a "gradients" editor (tutor.editors): the gradients come from its
computation by `tutor.exam.evaluate` on random numbers of the typed sizes, the check from
`tutor.solver.gradcheck` on the same numbers, a typed formula's reading from
`tutor.formula_grading.report` (the grader's own evaluation). What it must not depend on: the app,
and any shape worked out here (the shapes are the solver's arrays' and its steps' labels).
"""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static
from textual.worker import get_current_worker

from tutor.editors import Editor
from tutor.formula_grading import report
from tutor.parsing import ParseError
from tutor.solver import format_number
from tutor.solver.gradcheck import NAMES as GRADIENT_NAMES
from tutor.solver.gradcheck import check_gradients

from .base import Note
from .calculator import WAITING, Calculator, Field

INLINE_ENTRIES = 40  # a check of at most this many entries runs with the recompute (the exam's: 29)


class GradientShapesCalculator(Calculator):
    """The shapes of ∂J/∂W₂, ∂J/∂b₂, ∂J/∂W₁, ∂J/∂b₁, ∂J/∂x for sizes d_x, d_h, n_c, and a check of
    the gradients against central finite differences, on random numbers of those sizes.

    With `formulas` (the question's formula parts' Formula objects) a formula field too: what the
    student types there is read and evaluated exactly as the grader does, and the lines say its
    shape (in symbols and at these sizes), or why it does not conform, and whether it equals each
    part's gradient.
    """

    VERDICTS = {
        "equal": "equal ✓",
        "transpose": "its transpose ✓ (counts as correct)",
        "negated": "minus it: the sign is wrong",
        "negated transpose": "minus its transpose: the sign is wrong",
        "differs": "the same shape, other numbers",
        "other shape": "another shape",
    }

    FIELDS = (  # read() says "a size from 1 to 6"
        Field("d_x", "inputs d_x", low=None, high=None),
        Field("d_h", "hidden units d_h", low=None, high=None),
        Field("n_c", "classes n_c", low=None, high=None),
    )
    MAX_SIZE = 6  # the numerical check runs two forward passes per entry

    def __init__(self, spec: Editor, *, formulas=(), seed=None, id=None, classes=None):
        start = spec.starting_values("gradients")
        W1, W2 = np.asarray(start["W1"], dtype=float), np.asarray(start["W2"], dtype=float)
        sizes = {"d_x": W1.shape[1], "d_h": W1.shape[0], "n_c": W2.shape[0]}  # the exam's, read off its weights
        super().__init__(spec, sizes, seed=seed, id=id, classes=classes)
        self.activation = start["activation"]  # the content's, or the solver's default
        self.columns = np.ndim(start["x"]) == 2  # the exam's column vectors (d, 1), else flat (d,)
        self.shape_lines: list[str] = []
        self.formulas = tuple(formulas)
        self.sizes = dict(sizes)
        self.formula_lines: list[str] = []

    def compose_extra(self) -> ComposeResult:
        if self.formulas:
            with Horizontal(classes="calc-formula"):
                yield Label("formula")
                yield Input(placeholder="type one, e.g. W₂ᵀδ₁ᵀ or W2^T d1^T", compact=True, id="calc-formula",
                            tooltip="A formula in the question's symbols: its shape, and which gradient it is")
            yield Note(id="calc-formula-note")
            yield Static(id="calc-formula-results")

    @on(Input.Changed, "#calc-formula")
    def _formula_changed(self, event: Input.Changed) -> None:
        event.prevent_default()  # the sizes did not change: no new numbers, no new check
        event.stop()
        self.show_formula()

    def show_formula(self) -> None:
        """The formula field's lines, from tutor.formula_grading.report (the grader's evaluation)."""
        if not self.formulas:
            return
        text = self.query_one("#calc-formula", Input).value
        note = self.query_one("#calc-formula-note", Note)
        lines: list[str] = []
        if text.strip():
            try:
                found = report(self.formulas, text, self.sizes)
            except ParseError as error:
                note.say(str(error))
            else:
                note.say("")
                lines = [found.said] + [f"  {target:<8} {self.VERDICTS[verdict]}" for target, verdict in found.matches]
        else:
            note.say("")
        self.formula_lines = lines
        self.query_one("#calc-formula-results", Static).update(Text("\n".join(lines)))

    def read(self) -> dict | None:
        values = super().read()
        if values is None or values is WAITING:
            return values
        for name, size in values.items():
            if not 1 <= size <= self.MAX_SIZE:
                self.query_one(f"#calc-{name}-note", Note).say(f"a size from 1 to {self.MAX_SIZE}")
                self.query_one(f"#calc-{name}").add_class("-invalid")
                return None
        return values

    def sample(self, d_x: int, d_h: int, n_c: int) -> dict:
        """Random inputs of these sizes: tenths in −1..1, a random one-hot label."""
        def draw(*shape):
            return self.rng.integers(-10, 11, size=shape) / 10

        column = (lambda n: (n, 1)) if self.columns else (lambda n: (n,))
        label = np.eye(n_c)[int(self.rng.integers(n_c))].reshape(column(n_c))
        return {
            "x": draw(*column(d_x)), "y": label, "W1": draw(d_h, d_x), "b1": draw(*column(d_h)),
            "W2": draw(n_c, d_h), "b2": draw(*column(n_c)),
        }

    def results(self, values: dict) -> list[str]:
        self.sizes = dict(values)
        self.show_formula()
        numbers = self.sample(values["d_x"], values["d_h"], values["n_c"])
        gradients = self.evaluate("gradients", **numbers, activation=self.activation)
        # the solver's steps: δ₁, δ₂, then one per gradient labelled "∂J/∂W₂ (n_c×d_h = 3×4)"
        lines = ["gradient        shape (symbols = sizes)   array .shape"]
        for name, step in zip(GRADIENT_NAMES, gradients.steps[2:]):
            label, _, dims = step.label.partition(" (")
            shape = "×".join(str(n) for n in gradients[name].shape)
            lines.append(f"{label:<15} {dims.rstrip(')'):<25} {shape}")
        self.shape_lines = lines
        entries = sum(np.size(numbers[name]) for name in GRADIENT_NAMES)
        if entries <= INLINE_ENTRIES:  # quick (the exam's sizes: ~7 ms): drawn with the shapes, in one frame
            return lines + self._check_lines(check_gradients(**numbers, activation=self.activation))
        self.check_numerically(numbers)  # larger sizes (up to ~30 ms): in a thread, shown when done
        return lines + ["check against central differences: computing…", ""]  # the two rows of the check

    @staticmethod
    def _check_lines(result) -> list[str]:
        return [
            f"check against central differences (h = {format_number(result.h)}), all {result.count} entries:",
            f"  max |analytic − numerical| = {format_number(result.max_difference)}",
        ]

    @work(thread=True, exclusive=True, group="gradient-check")
    def check_numerically(self, numbers: dict) -> None:
        result = check_gradients(**numbers, activation=self.activation)
        if get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(self._show_check, self._check_lines(result))

    def _show_check(self, lines: list[str]) -> None:
        self.show(self.shape_lines + lines)

    def draw(self) -> dict:
        return {name: int(self.rng.integers(2, self.MAX_SIZE + 1)) for name in ("d_x", "d_h", "n_c")}
