"""Question 6 in the app at 80×24, answered with formulas through the keyboard, and the formula
field of its live calculator: what the screen says is what tutor.formula_grading decides."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input

from tutor.app import make_app
from tutor.exam import load_exam
from tutor.formula_grading import report
from tutor.progress import ProgressStore
from tutor.widgets.answer_inputs import AnswerInput
from tutor.widgets.live import GradientShapesCalculator, live_editor_for

SIZE = (80, 24)
EXAM = load_exam(prove=False)
Q6 = EXAM.question(6)


def feedback(pilot, label: str) -> str:
    return str(pilot.app.screen.query_one(f"#part-{label} .feedback").render())


async def answer(pilot, label: str, text: str) -> str:
    """Focus part `label`'s box with tab, replace what is there by `text`, check it: the feedback."""
    box = pilot.app.screen.query_one(f"#answer-{label}", AnswerInput).query_one(Input)
    if pilot.app.focused is not box:
        chain = pilot.app.screen.focus_chain
        start = chain.index(pilot.app.focused) + 1 if pilot.app.focused in chain else 0
        presses = next(n for n, widget in enumerate(chain[start:] + chain[:start], 1) if widget is box)
        await pilot.press(*["tab"] * presses)
    assert pilot.app.focused is box
    box.value = ""  # as a student would clear it; fewer keys to press
    await pilot.press(*text, "enter")
    await pilot.pause()
    return feedback(pilot, label)


@pytest.mark.slow
async def test_question_6_answered_with_formulas_reaches_20_of_20(data_dir):
    app = make_app(question=6, animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        line = await answer(pilot, "a", "h1' d1'")  # does not conform
        assert line == "✗ 0/4 wrong · h₁ᵀδ₁ᵀ does not conform: 1×d_h times n_c×1."
        line = await answer(pilot, "a", "delta1^T h1^T")
        assert line.startswith("✓ 4/4 correct · δ₁ᵀ is n_c×1 and h₁ᵀ is 1×d_h: their product is n_c×d_h ✓")
        line = await answer(pilot, "b", "n_c×1")  # a shape alone, copied from the stem
        assert line.startswith("◐ 1/4 partial · n_c×1 is the shape of ∂J/∂b₂, but a shape alone earns 1 of 4")
        assert (await answer(pilot, "b", "δ₁ᵀ")).startswith("✓ 4/4 correct")
        line = await answer(pilot, "c", "(d1 W2)' x'")  # no ReLU′: the right shape, the wrong numbers
        assert line.startswith("◐ 1/4 partial") and "but not its value" in line
        assert (await answer(pilot, "c", "x δ₂")).startswith("✓ 4/4 correct")  # the transpose counts
        assert (await answer(pilot, "d", "delta_2^T I^T")).startswith("✓ 4/4 correct")
        line = await answer(pilot, "e", "Wᵀδ₂ᵀ in R^(d_x x 1)")  # (the Pilot cannot press ∈ or ×)
        assert line.startswith("✓ 4/4 correct") and "W read as W₁" in line
        line = await answer(pilot, "e", "dJ/dx")  # the gradient's name alone: not an answer, not kept
        assert line.startswith("? could not read: 'dJ/dx' names the gradient")
    store = ProgressStore.open(data_dir)
    assert store.question_scores(store.current_attempt().id)[6] == 20
    assert store.answers(store.current_attempt().id)[(6, "e")].value == "Wᵀδ₂ᵀ in R^(d_x x 1)"
    store.close()


class LiveApp(App):
    def __init__(self):
        super().__init__()
        self.editor = live_editor_for(Q6, seed=7)

    def compose(self) -> ComposeResult:
        with VerticalScroll(can_focus=False):
            yield self.editor


async def test_the_calculator_evaluates_a_typed_formula_as_the_grader_does():
    app = LiveApp()
    async with app.run_test(size=SIZE) as pilot:
        calc = app.query_one(GradientShapesCalculator)
        assert len(calc.formulas) == 5
        await app.workers.wait_for_complete()
        await pilot.pause()
        before = list(calc.lines)
        field = app.query_one("#calc-formula", Input)
        field.focus()
        await pilot.press(*"W2' d1' o relu'(z1)")
        await pilot.pause()
        formulas = tuple(p.formula for p in Q6.parts)
        expected = report(formulas, "W2' d1' o relu'(z1)", {"d_x": 3, "d_h": 4, "n_c": 2})
        assert calc.formula_lines[0] == expected.said == (
            "W₂ᵀδ₁ᵀ and ReLU′(z₁) are both d_h×1, so W₂ᵀδ₁ᵀ ∘ ReLU′(z₁) is too (4×1 here)")
        assert calc.formula_lines[1:] == [
            "  ∂J/∂W₂   another shape", "  ∂J/∂b₂   another shape", "  ∂J/∂W₁   another shape",
            "  ∂J/∂b₁   equal ✓", "  ∂J/∂x    another shape"]
        assert calc.lines == before  # typing a formula draws no new numbers and runs no new check
        size = app.query_one("#calc-d_h", Input)
        size.focus()
        await pilot.press("backspace", "5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert calc.formula_lines[0].endswith("(5×1 here)")
        field.focus()
        await pilot.press(*["backspace"] * len(field.value), *"h1' d1'")
        await pilot.pause()
        assert calc.formula_lines == ["h₁ᵀδ₁ᵀ does not conform: 1×d_h times n_c×1"]
        await pilot.press("+")
        await pilot.pause()
        assert app.query_one("#calc-formula-note").said == "the formula ends after '+': something is missing"
        assert calc.formula_lines == []


def test_an_exam_without_formula_parts_gets_the_calculator_without_the_field():
    from dataclasses import replace

    bare = replace(Q6, parts=tuple(replace(p, formula=None) for p in Q6.parts))
    assert live_editor_for(bare).formulas == ()
