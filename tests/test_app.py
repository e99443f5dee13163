"""The app driven by the keyboard at 80×24: every question answered right reaches 100/100; partial
and wrong answers get the key's credit; steps go forward and back; the terminal can shrink and grow;
checks are stored at once and a restart resumes where the student left off."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from tutor.app import make_app
from tutor.exam import Part, load_exam
from tutor.grading import grade
from tutor.progress import ProgressStore
from tutor.screens.overview import OverviewScreen
from tutor.screens.question import QuestionScreen
from tutor.screens.results import ResultsScreen
from tutor.screens.too_small import TooSmallScreen
from tutor.widgets.answer_inputs import AnswerInput, ChoiceAnswer
from tutor.widgets.part_view import PartView
from tutor.widgets.step_reveal import StepReveal

SIZE = (80, 24)
EXAM = load_exam(prove=False)


def app_at(question: int | None = None):
    return make_app(question=question, animations=False)


def inside(widget, kind, label: str) -> bool:
    return widget is not None and any(
        isinstance(node, kind) and node.id and node.id.endswith(f"-{label}") for node in widget.ancestors_with_self
    )


async def tab_to(pilot, accept) -> None:
    """Press tab until the focused widget is accepted (keyboard only; counted on the focus chain)."""
    if accept(pilot.app.focused):
        return
    chain = pilot.app.screen.focus_chain
    start = chain.index(pilot.app.focused) + 1 if pilot.app.focused in chain else 0
    presses = next(n for n, widget in enumerate(chain[start:] + chain[:start], 1) if accept(widget))
    await pilot.press(*["tab"] * presses)
    assert accept(pilot.app.focused), f"tab did not reach the widget; focus is on {pilot.app.focused}"


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


async def paste_text(pilot, text: str) -> None:
    """`text` into the focused box as a terminal's paste brings it (one event, as a student pasting
    from their notes): the full walk types its answers so, a key per character costing a frame."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


def number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def right_text(part: Part) -> str:
    """A short right answer of a text part (see short_right_answer)."""
    number_ = next(q.number for q in EXAM.questions if part in q.parts)
    return short_right_answer(part, number_)

def short_right_answer(part: Part, number_: int) -> str:
    """The shortest answer tests/fixtures/text_answers.toml lists as right for this text part (the
    model answer if it lists none): full marks in few keystrokes, in words a student would type."""
    import tomllib
    from pathlib import Path

    corpus = tomllib.loads((Path(__file__).parent / "fixtures" / "text_answers.toml").read_text(encoding="utf-8"))
    right = [a for e in corpus["part"] if (e["question"], e["label"]) == (number_, part.label) for a in e["right"]]
    return min(right, key=len) if right else str(part.answer)



def feedback(pilot, label: str) -> str:
    return str(pilot.app.screen.query_one(f"#part-{label} .feedback").render())


async def answer_right(pilot, part: Part, type_text=type_text) -> None:
    """Answer `part` correctly through the keyboard and check it (`type_text`: how the answer's text
    gets into its box, key by key unless told)."""
    label = part.label
    if part.kind == "derivation":
        await tab_to(pilot, lambda w: inside(w, StepReveal, label))
        await pilot.press("a")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await tab_to(pilot, lambda w: inside(w, AnswerInput, label))
        await pilot.press("enter")  # the first mark is "full"
    elif part.kind in ("true_false", "choice"):
        await tab_to(pilot, lambda w: inside(w, AnswerInput, label))
        index = (0 if part.answer else 1) if part.kind == "true_false" else int(part.answer)
        await pilot.press(*["down"] * index, "enter")
    elif part.kind == "values":
        await tab_to(pilot, lambda w: inside(w, AnswerInput, label))
        for blank in part.blanks:
            await type_text(pilot, number(blank.answer))
            await pilot.press("enter")
    else:
        await tab_to(pilot, lambda w: inside(w, AnswerInput, label) and isinstance(w, Input))
        if part.kind == "matrix":
            text = "; ".join(" ".join(number(v) for v in row) for row in part.answer)
        elif part.kind == "number":
            text = number(part.answer)
        elif part.kind == "text":
            text = right_text(part)
        else:
            text = str(part.answer)
        await type_text(pilot, text)
        if part.work_required:
            await pilot.press("tab", "space", "shift+tab")  # tick "I wrote out the work"
        await pilot.press("enter")
    await pilot.pause()


@pytest.mark.slow
async def test_every_question_answered_right_reaches_full_marks(data_dir):
    app = app_at()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, OverviewScreen)
        for index, question in enumerate(EXAM.questions):
            if index == 0:
                await pilot.press("enter")  # the overview opens the highlighted question 1
            else:
                await pilot.press("escape")  # out of the answer box, back to reading
                await pilot.press("right")
            await pilot.pause()
            assert isinstance(app.screen, QuestionScreen)
            assert app.screen.question.number == question.number
            for part in question.parts:  # every kind of box reached by tab; the texts pasted into it
                await answer_right(pilot, part, type_text=paste_text)
                line = feedback(pilot, part.label)
                assert line.startswith("✓"), f"{question.number}({part.label}): {line}"
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        total = str(app.screen.query_one("#total").render())
        assert "Total: 100 / 100" in total
        assert "Weighted: 35 " in total
    store = ProgressStore.open(data_dir)
    scores = store.question_scores(store.current_attempt().id)
    assert scores == {q.number: q.points for q in EXAM.questions}
    store.close()


def first_part(kind: str, with_steps: bool = False) -> tuple[int, Part]:
    for question in EXAM.questions:
        for part in question.parts:
            if part.kind == kind and (part.steps or not with_steps):
                return question.number, part
    raise LookupError(kind)


async def test_values_half_right_gets_the_keys_partial_credit():
    number_, part = first_part("values")
    app = app_at(number_)
    async with app.run_test(size=SIZE) as pilot:
        await tab_to(pilot, lambda w: inside(w, AnswerInput, part.label))
        typed = {}
        for i, blank in enumerate(part.blanks):
            typed[blank.name] = number(blank.answer if i % 2 == 0 else blank.answer + 1)
            await type_text(pilot, typed[blank.name])
            await pilot.press("enter")
        await pilot.pause()
        expected = grade(part, typed)
        assert expected.status == "partial"
        line = feedback(pilot, part.label)
        assert line.startswith(f"◐ {expected.score:g}/{expected.points:g} partial")


async def test_matrix_without_the_work_gets_what_the_rubric_leaves():
    number_, part = first_part("matrix")
    app = app_at(number_)
    async with app.run_test(size=SIZE) as pilot:
        await tab_to(pilot, lambda w: inside(w, AnswerInput, part.label) and isinstance(w, Input))
        await type_text(pilot, "; ".join(" ".join(number(v) for v in row) for row in part.answer))
        await pilot.press("enter")
        await pilot.pause()
        assert feedback(pilot, part.label).startswith(f"◐ {part.partial_points:g}/{part.points:g} partial")


async def test_a_bare_word_the_rubric_refuses_scores_nothing():
    question = EXAM.question(3)
    part = question.parts[1]
    app = app_at(3)
    async with app.run_test(size=SIZE) as pilot:
        await tab_to(pilot, lambda w: inside(w, AnswerInput, part.label) and isinstance(w, Input))
        await type_text(pilot, "regularization")
        await pilot.press("enter")
        await pilot.pause()
        assert feedback(pilot, part.label).startswith(f"✗ 0/{part.points:g} wrong")


async def test_garbage_and_empty_answers_are_not_read_and_not_recorded(data_dir):
    number_, part = first_part("number")
    app = app_at(number_)
    async with app.run_test(size=SIZE) as pilot:
        await tab_to(pilot, lambda w: inside(w, AnswerInput, part.label) and isinstance(w, Input))
        await pilot.press("enter")
        await pilot.pause()
        assert feedback(pilot, part.label).startswith("? could not read:")
        await type_text(pilot, "2.0q")  # ("2.0x" is a ratio now: 2.0×)
        await pilot.press("enter")
        await pilot.pause()
        assert feedback(pilot, part.label).startswith("? could not read:")
        store = app.store
        record = store.answers(store.current_attempt().id).get((number_, part.label))
        assert record is None or record.score is None


async def test_keys_for_questions_do_not_steal_from_an_input():
    number_, part = first_part("number")
    app = app_at(number_)
    async with app.run_test(size=SIZE) as pilot:
        await tab_to(pilot, lambda w: inside(w, AnswerInput, part.label) and isinstance(w, Input))
        field = app.focused
        await type_text(pilot, "12 pn ra")
        await pilot.press("left", "left", "backspace", "right", "space")
        await pilot.pause()
        assert app.screen.question.number == number_  # neither p/n nor left/right moved
        assert field.value == "12 pnr a"  # letters typed, arrows moved the cursor, backspace deleted
        assert not app.screen.query_one(f"#part-{part.label}", PartView).revealed
        await pilot.press("escape", "n")
        await pilot.pause()
        assert app.screen.question.number == number_ + 1
        await pilot.press("p")
        await pilot.pause()
        assert app.screen.question.number == number_
        await pilot.press("left")
        await pilot.pause()
        assert app.screen.question.number == number_ - 1


async def test_stepping_forward_and_back_through_a_worked_computation(data_dir):
    number_, part = first_part("values", with_steps=True)
    app = app_at(number_)
    async with app.run_test(size=SIZE) as pilot:
        reveal = app.screen.query_one(f"#steps-{part.label}", StepReveal)
        assert not reveal.can_focus  # tab goes from answer to answer; space steps the part last answered
        await tab_to(pilot, lambda w: inside(w, AnswerInput, part.label))
        await pilot.press("escape", "space", "space", "space")  # from the question text
        await pilot.pause()
        assert reveal.shown == 3
        text = " ".join("\n".join(str(line.render()) for line in reveal.children).split())
        assert f"step 3 of {reveal.total}" in text
        for step in reveal.steps[:3]:  # (a long one is laid out over several lines: spaces aside)
            assert " ".join(step.text().split()) in text
        assert " ".join(reveal.steps[3].text().split()) not in text
        await pilot.press("backspace")
        await pilot.pause()
        assert reveal.shown == 2
        await pilot.press("a")
        await pilot.pause()
        assert reveal.complete
        await pilot.press("backspace", "backspace")
        await pilot.pause()
        assert reveal.shown == reveal.total - 2
    store = ProgressStore.open(data_dir)
    record = store.answers(store.current_attempt().id)[(number_, part.label)]
    assert record.steps_shown == reveal.total - 2
    store.close()


async def test_the_terminal_too_small_and_back():
    app = app_at(5)
    async with app.run_test(size=SIZE) as pilot:
        question = app.screen
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        message = str(app.screen.query_one("Static").render())
        assert message == "terminal too small: need 80×24, have 60×20"
        await pilot.resize_terminal(79, 30)
        await pilot.pause()
        assert "have 79×30" in str(app.screen.query_one("Static").render())
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.screen is question


async def test_a_check_is_stored_at_once_and_a_restart_resumes(data_dir):
    number_, part = first_part("number")
    other = next(p for p in EXAM.question(number_).parts if p.kind in ("number", "text") and p is not part)
    app = app_at(number_)
    async with app.run_test(size=SIZE) as pilot:
        await answer_right(pilot, part)
        store = ProgressStore.open(data_dir)  # a second session sees the check at once
        record = store.answers(store.current_attempt().id)[(number_, part.label)]
        assert (record.score, record.status) == (part.points, "correct")
        store.close()
        await tab_to(pilot, lambda w: inside(w, AnswerInput, other.label) and isinstance(w, Input))
        await type_text(pilot, "draft")
        await pilot.press("escape", "r")  # reveal the part we were in
        await pilot.pause()
        await pilot.press("q")
    again = make_app(animations=False)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, QuestionScreen) and screen.question.number == number_
        assert feedback(pilot, part.label).startswith(f"✓ {part.points:g}/{part.points:g} correct")
        assert screen.query_one(f"#part-{other.label} Input", Input).value == "draft"
        assert screen.query_one(f"#part-{other.label}", PartView).revealed
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(again.screen, OverviewScreen)


@pytest.mark.parametrize("kind", ["true_false"])
async def test_choosing_an_option_checks_it(kind):
    number_, part = first_part(kind)
    app = app_at(number_)
    async with app.run_test(size=SIZE) as pilot:
        await tab_to(pilot, lambda w: inside(w, ChoiceAnswer, part.label))
        await pilot.press(*(["down"] if part.answer else []), "enter")  # the wrong one
        await pilot.pause()
        assert feedback(pilot, part.label).startswith(f"✗ 0/{part.points:g} wrong")


async def test_animations_and_cursor_blink_can_be_switched_off(monkeypatch):
    monkeypatch.setenv("ITM528_TUTOR_NO_ANIMATION", "1")
    app = make_app(question=9)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.animation_level == "none"
        assert all(not field.cursor_blink for field in app.screen.query(Input))
    monkeypatch.delenv("ITM528_TUTOR_NO_ANIMATION")
    assert make_app().animation_level != "none"


async def test_palette_goes_to_a_question_and_retake_starts_a_new_attempt(data_dir):
    app = app_at()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"question 7")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.screen.question.number == 7
        first = app.store.current_attempt().number
        await pilot.press("ctrl+p", *"retake")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        assert app.store.current_attempt().number == first + 1


async def test_starting_in_a_tiny_terminal_shows_the_message_and_only_q_works():
    app = app_at(4)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.press("question_mark", "ctrl+p", "right")
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.screen.question.number == 4


async def test_every_value_typed_in_one_box_is_checked_and_stored(data_dir):
    part = next(p for p in EXAM.question(5).parts if p.kind == "values")
    app = app_at(5)
    async with app.run_test(size=SIZE) as pilot:
        await tab_to(pilot, lambda w: inside(w, AnswerInput, part.label) and isinstance(w, Input))
        await type_text(pilot, "h1=2 h2=-0.5 h3=2 h4=0 o1=0 o2=-1.5")
        await pilot.press("enter")  # checks at once: the box names every value
        await pilot.pause()
        assert feedback(pilot, part.label).startswith(f"✓ {part.points:g}/{part.points:g} correct")
        store = app.store
        record = store.answers(store.current_attempt().id)[(5, part.label)]
        assert (record.score, record.status) == (part.points, "correct")
