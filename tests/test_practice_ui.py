"""Practice in the app at 80×24: a variant's numbers on screen, graded and stepped through like the exam's,
stored with its seed; new numbers and a seed given back; the practice commands; `--seed` on the command line."""

from __future__ import annotations

import pytest
from textual.widgets import Checkbox, Input

from tutor.app import make_app
from tutor.cli import main
from tutor.exam import Part, evaluate, load_exam
from tutor.practice import PRACTICE_QUESTIONS, make_variant
from tutor.progress import ProgressStore
from tutor.screens.overview import OverviewScreen
from tutor.screens.practice import PracticeScreen
from tutor.screens.question import QuestionScreen
from tutor.screens.seed import SeedDialog
from tutor.widgets.part_view import PartView
from tutor.widgets.prose import reflow
from tutor.widgets.step_reveal import StepReveal

SIZE = (80, 24)
SEED = 1234
EXAM = load_exam(prove=False)


def typed(x: float) -> str:
    """A number as a student types it: at most 2 decimals, no trailing zeros."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def matrix_text(part: Part, bump: float = 0.0) -> str:
    """The part's matrix as typed ("6 8; 9 7"), with `bump` added to the last cell."""
    rows = [list(row) for row in part.answer]
    rows[-1][-1] += bump
    return "; ".join(" ".join(typed(v) for v in row) for row in rows)


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


def feedback(screen, label: str) -> str:
    return text_of(screen, f"#part-{label} .feedback")


async def check_matrix(pilot, text: str) -> None:
    """From reading: enter goes to the open answer; type it, tick the work box, enter checks."""
    if isinstance(pilot.app.focused, Input):
        await pilot.press("escape")
    await pilot.press("enter")
    assert isinstance(pilot.app.focused, Input)
    await pilot.press("ctrl+u", *text)
    if not pilot.app.screen.query_one(Checkbox).value:  # (toggling a checked answer grades it again)
        await pilot.press("tab", "space", "shift+tab")
    await pilot.press("enter")
    await pilot.pause()


async def test_a_variant_is_graded_by_the_solver_and_stored_with_its_seed(data_dir):
    variant = make_variant(8, SEED)
    part = variant.question.parts[0]
    app = make_app(question=8, seed=SEED, animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen) and screen.variant.seed == SEED
        assert text_of(screen, "#heading").startswith(f"Practice · question 8 · seed {SEED}")
        stem = text_of(screen, "#stem")
        assert stem == reflow(variant.question.stem)  # the variant's numbers, not the exam's
        assert stem != reflow(EXAM.question(8).stem)
        assert not screen.query("#live-editor")

        await check_matrix(pilot, matrix_text(part))
        assert feedback(screen, part.label).startswith(f"✓ {part.points:g}/{part.points:g} correct")

        await check_matrix(pilot, matrix_text(part, bump=1))
        assert not feedback(screen, part.label).startswith("✓")

    store = ProgressStore.open(data_dir)
    results = store.practice_results(8)
    assert [(r["part"], r["seed"], r["points"]) for r in results] == [(part.label, SEED, part.points)] * 2
    assert results[1]["score"] == part.points  # the older check: full marks
    assert results[0]["score"] < part.points  # the newest: perturbed
    assert store.answers(store.current_attempt().id) == {}  # the exam attempt is untouched
    store.close()


async def test_new_numbers_and_a_seed_given_back(data_dir):
    app = make_app(question=8, seed=SEED, animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = text_of(app.screen, "#stem")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen) and app.screen.variant.seed != SEED
        new = app.screen.variant
        assert text_of(app.screen, "#stem") == reflow(new.question.stem) != first
        assert f"seed {new.seed}" in text_of(app.screen, "#heading")

        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SeedDialog)
        await pilot.press(*str(SEED), "enter")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen) and app.screen.variant.seed == SEED
        assert text_of(app.screen, "#stem") == first  # the same problem again
        again = app.screen

        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"12a", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SeedDialog)  # still asking
        assert "not a seed" in text_of(app.screen, "#error")
        assert app.screen.query_one(Input).has_class("-invalid")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is again and again.variant.seed == SEED  # nothing changed


@pytest.mark.parametrize("number", PRACTICE_QUESTIONS)
async def test_the_steps_of_a_variant_are_the_solvers_on_its_numbers(number):
    variant = make_variant(number, SEED)
    part = next(p for p in variant.question.parts if p.steps and not p.steps.startswith("symbolic:"))
    expected = [step.text() for step in evaluate(variant.question.computations[part.steps]).steps]
    paper = next((p for p in EXAM.question(number).parts if p.label == part.label and p.steps), None)
    if paper is not None and not paper.steps.startswith("symbolic:"):  # not the exam's own numbers
        assert expected != [step.text() for step in evaluate(EXAM.question(number).computations[paper.steps]).steps]
    app = make_app(question=number, seed=SEED, animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reveal = app.screen.query_one(f"#steps-{part.label}", StepReveal)
        app.screen.current = app.screen.query_one(f"#part-{part.label}")  # as if its answer had been focused
        await pilot.press("space", "space")
        await pilot.pause()
        assert [step.text() for step in reveal.steps] == expected
        shown = " ".join("\n".join(str(line.render()) for line in reveal.children).split())
        for text in expected[:2]:  # (a long step is laid out over several lines: spaces aside)
            assert " ".join(text.split()) in shown
        await pilot.press("a")
        await pilot.pause()
        shown = " ".join("\n".join(str(line.render()) for line in reveal.children).split())
        assert reveal.complete and " ".join(expected[-1].split()) in shown


async def test_practise_what_i_missed_opens_the_weakest_part(data_dir):
    # a student without review cards (results from before spaced review): with cards, a check in
    # the app makes one, the palette has "Review what is due" instead (tests/test_review_ui.py)
    variant = make_variant(8, SEED)
    part = variant.question.parts[0]
    app = make_app(animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.store.save_practice(2, "a", 7, 1.0, 1.0)  # a part at full marks, newer than nothing
        app.store.save_practice(8, part.label, SEED, 2.0, 6.0)  # 8(a) short of full marks
        assert not app.store.has_review_cards()
        assert isinstance(app.screen, OverviewScreen)
        await pilot.press("ctrl+p", *"practise what i missed")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen) and screen.variant.number == 8
        assert screen.variant.seed != SEED  # new numbers for the weak part
        focused = app.focused
        assert focused is not None and any(
            isinstance(node, PartView) and node.part.label == part.label for node in focused.ancestors_with_self
        )


async def test_the_overview_key_practises_the_highlighted_question():
    app = make_app(animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        await pilot.press("p")  # question 1 has no practice: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        await pilot.press(*["down"] * 7, "p")  # question 8
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen) and app.screen.variant.number == 8
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)


async def test_retake_what_i_got_wrong_keeps_the_right_parts_and_opens_the_first_open_one(data_dir):
    right_q, wrong_q = EXAM.question(2), EXAM.question(5)
    right, wrong = right_q.parts[0], wrong_q.parts[0]
    store = ProgressStore.open(data_dir)
    first = store.current_attempt()
    store.save_answer(first.id, right_q.number, right.label, "x", score=right.points, points=right.points,
                      status="correct")
    store.save_answer(first.id, wrong_q.number, wrong.label, "y", score=0.0, points=wrong.points, status="wrong")
    store.close()
    app = make_app(animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # (the app resumed at the last question)
        await pilot.pause()
        await pilot.press("ctrl+p", *"retake what i got wrong")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        message = text_of(app.screen, "#message")
        assert f"From attempt {first.number} (study)" in message
        assert f"Wrong or short of full marks: {wrong_q.number}({wrong.label})." in message
        assert "Never answered: 1(a), 1(b)," in message  # parts never answered are open again too
        assert f"{right_q.number}({right.label})" not in message.split("opens")[1]
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.screen.question.number == 1  # the first open one
        attempt = app.store.current_attempt()
        assert attempt.number == first.number + 1
        answers = app.store.answers(attempt.id)
        assert set(answers) == {(right_q.number, right.label)}
        assert answers[(right_q.number, right.label)].score == right.points
        assert app.store.answers(first.id)[(wrong_q.number, wrong.label)].score == 0.0  # history kept


@pytest.mark.parametrize("argv", [["--seed", "5"], ["--question", "3", "--seed", "5"]])
def test_seed_without_a_practice_question_is_a_usage_error(argv, capsys):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and "--seed" in err


async def test_no_practice_while_a_timed_exam_runs(data_dir):
    store = ProgressStore.open(data_dir)
    store.new_attempt("exam", minutes=180)
    store.close()
    app = make_app(question=8, seed=SEED, animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, PracticeScreen)
        assert not any(isinstance(s, PracticeScreen) for s in app.screen_stack)
        await pilot.press("ctrl+p", *"practise")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert not any(isinstance(s, PracticeScreen) for s in app.screen_stack)
