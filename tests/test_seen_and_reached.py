"""Issue 15 at 80×24: what a student selected, ticked, missed and can edit is always visible, with
colour and without (NO_COLOR), and reached in one key.

The screen's plain text (what a monochrome terminal or `tmux capture-pane` shows) is read from the
compositor's strips: a state shown only by a colour is not in it.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input
from textual.widgets._footer import FooterKey, FooterLabel

from tutor.app import make_app
from tutor.exam import load_exam
from tutor.exam_session import blanks, describe_blanks
from tutor.grading import grade
from tutor.progress import ProgressStore
from tutor.screens.confirm import ConfirmScreen
from tutor.screens.overview import OverviewScreen
from tutor.screens.question import QuestionScreen
from tutor.widgets.footer import SteadyFooter
from tutor.widgets.part_view import PartView, model_answer, reconstructed_note
from tutor.widgets.step_reveal import lay_out

SIZE = (80, 24)
EXAM = load_exam(prove=False)


def screen_text(app) -> str:
    """The screen as plain text, line by line: no colour, no style."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def app_at(question: int | None = None, **kwargs):
    return make_app(question=question, animations=False, **kwargs)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def part_of(number: int, kind: str):
    return next(p for p in EXAM.question(number).parts if p.kind == kind)


@pytest.fixture
def no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")


# -- selected and ticked, in glyphs ----------------------------------------------------------------


async def test_true_false_without_colour_shows_the_choice_and_names_it(no_color):
    part = EXAM.question(1).parts[0]
    wrong_word, right_word = ("False", "True") if part.answer else ("True", "False")
    app = app_at(1)
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color
        await pilot.press("tab")
        text = screen_text(app)
        assert "› ( ) True" in text  # the option under the cursor, none chosen yet
        assert "(•)" not in text
        await pilot.press(*(["down"] if right_word == "False" else []), "enter")
        await settle(pilot)
        text = screen_text(app)
        assert f"(•) {right_word}" in text and f"( ) {wrong_word}" in text
        assert f"✓ 1/1 correct · you answered {right_word}" in text


async def test_a_wrong_choice_is_named_too(no_color):
    part = EXAM.question(1).parts[1]
    wrong = "False" if part.answer else "True"
    app = app_at(1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "tab", *(["down"] if wrong == "False" else []), "enter")
        await settle(pilot)
        line = str(app.screen.query_one("#part-b .feedback").render())
        assert line.startswith("✗ 0/1 wrong") and f"you answered {wrong}" in line
        assert f"(•) {wrong}" in screen_text(app)


async def test_the_options_of_a_choice_part_are_numbered_and_the_feedback_says_which(no_color):
    part = part_of(10, "choice")
    app = app_at(10)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        text = screen_text(app)
        assert "( ) 1. " in text and "( ) 2. " in text and "(a) x" not in text  # parts are (a), options 1–4
        await pilot.press(*["down"] * int(part.answer), "enter")
        await settle(pilot)
        line = str(app.screen.query_one(f"#part-{part.label} .feedback").render())
        assert line.startswith("✓ 3/3 correct · you answered option 2 (")
        assert f"(•) 2. {part.choices[1][:30]}" in screen_text(app)


async def test_the_work_box_without_colour_shows_ticked_and_not(no_color):
    app = app_at(8)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        assert "[ ] I wrote out the work" in screen_text(app)
        await pilot.press("tab", "space")
        await pilot.pause()
        assert "[x] I wrote out the work" in screen_text(app)
        await pilot.press("space")
        await pilot.pause()
        assert "[ ] I wrote out the work" in screen_text(app)


async def test_a_derivation_mark_without_colour_shows_the_mark_chosen(no_color):
    part = part_of(4, "derivation")
    app = app_at(4)
    async with app.run_test(size=SIZE) as pilot:
        steps = app.screen.query_one(f"#steps-{part.label}")
        assert steps.can_focus  # a derivation's steps are a stop: its mark is hidden until they are shown
        while app.focused is not steps:
            await pilot.press("tab")
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("tab", "down", "enter")  # partial
        await settle(pilot)
        text = screen_text(app)
        assert "(•) partial" in text and "( ) full" in text and "( ) none" in text


async def test_typed_answers_without_colour_show_as_typed(no_color):
    app = app_at(9)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", *"18432", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "answer › 18432" in text and "✓ 3/3 correct" in text


# -- the mode line ---------------------------------------------------------------------------------


async def test_the_mode_line_says_reading_typing_choosing_and_the_editor(data_dir):
    app = app_at(5)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "reading · enter to answer" in screen_text(app)
        await pilot.press("tab")
        label = app.screen.current.part.label
        assert f"typing in 5({label}) · enter checks · esc to leave" in screen_text(app)
        await pilot.press(*"rane")  # letters go into the box: no reveal, no steps, no editor
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.value == "rane"
        assert not any(view.revealed for view in app.screen.query(PartView))
        await pilot.press("escape", "e")
        await pilot.pause()
        assert app.screen.in_editor and "live editor · arrows move" in screen_text(app)
    choices = app_at(1)
    async with choices.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        assert "choosing in 1(a) · ↑/↓ then enter · esc to leave" in screen_text(choices)


# -- one key to the live editor, and back ----------------------------------------------------------


async def test_e_goes_to_the_live_editor_in_view_and_back_to_the_answer(data_dir):
    app = app_at(5)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")  # in (a)'s first box
        first = app.focused
        await pilot.press("escape")
        await pilot.press("tab")
        assert app.focused is first
        await pilot.press("escape", "e")  # e from reading: one key
        await pilot.pause()
        screen = app.screen
        assert screen.in_editor
        body = screen.query_one("#body")
        assert body.content_region.contains_region(app.focused.region)  # the field is on screen
        await pilot.press("e")  # and back
        await pilot.pause()
        assert not screen.in_editor and app.focused is body
        await pilot.press("tab", "escape", "e", "escape")  # esc comes back to where you were: the question text
        await pilot.pause()
        assert app.focused is body


async def test_the_editors_cursor_is_scrolled_into_view(data_dir):
    from tutor.widgets.live.matrix_grid import MatrixGrid

    app = app_at(8)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        grid = app.focused
        assert isinstance(grid, MatrixGrid)
        body = app.screen.query_one("#body")
        for keys in (["down"] * 3, ["pageup", "up"], ["pagedown", "pagedown", "up"]):
            await pilot.press(*keys)
            await pilot.pause()
            header = bool(grid.title) + (grid.col_labels is not None)
            line = grid.region.y + header + grid.cursor[0]
            assert body.content_region.y <= line < body.content_region.bottom, (keys, grid.cursor)


async def test_no_editor_key_without_an_editor_or_in_an_exam(data_dir):
    app = app_at(1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.check_action("editor", ()) is False
        assert not any(k.description == "Editor" for k in app.screen.query(FooterKey))


# -- the overview follows, the submit dialog names the blanks ---------------------------------------


async def test_the_overview_highlights_the_question_last_shown(data_dir):
    app = app_at(2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen) and app.screen._highlighted() == 2
        await pilot.press("down", "down", "enter")  # 4, then n to 5, n to 6, back
        await pilot.pause()
        assert app.screen.question.number == 4
        await pilot.press("n", "n")
        await pilot.pause()
        assert app.screen.question.number == 6
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen._highlighted() == 6
        rows = [line for line in screen_text(app).splitlines() if "›" in line]
        assert len(rows) == 1 and "›6   Backpropagation" in rows[0]  # the highlight in a glyph too
        await pilot.press("p")  # practises the question just seen, not the one opened first
        await settle(pilot)
        assert app.screen.question.number == 6 and app.screen.alone
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen._highlighted() == 6


def test_blanks_are_whole_questions_and_parts_of_the_questions_begun(data_dir):
    with ProgressStore.open(data_dir) as store:
        attempt = store.current_attempt().id
        store.save_answer(attempt, 2, "a", "1.5")
        store.save_answer(attempt, 4, "a", "3", score=4.0, points=4.0, status="correct")
        store.save_answer(attempt, 4, "b", "  ")  # spaces are blank too
        store.save_answer(attempt, 5, "b", {"h1": "2", "h2": ""})  # one blank of several filled: answered
        records = store.answers(attempt)
    whole, parts = blanks(EXAM, records)
    assert whole == [1, 3, 6, 7, 8, 9, 10]
    assert "2(a)" not in parts and "4(a)" not in parts and "4(b)" in parts and "5(b)" not in parts
    assert parts[0] == "2(b)" and "5(a)" in parts
    said = describe_blanks(EXAM, records)
    assert said.startswith("Left blank (they score 0): questions 1, 3, 6, 7, 8, 9, 10; parts 2(b)")
    assert describe_blanks(EXAM, {}) == "Left blank (they score 0): questions " + ", ".join(
        str(q.number) for q in EXAM.questions) + "."


async def test_the_submit_dialog_lists_what_is_left_blank(data_dir):
    with ProgressStore.open(data_dir) as store:
        attempt = store.new_attempt("exam", minutes=EXAM.minutes)
        for part in EXAM.question(1).parts:  # all of question 1
            store.save_answer(attempt.id, 1, part.label, "T")
        store.set_current_question(attempt.id, 9)
    app = app_at()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.question.number == 9
        await pilot.press("tab", *"18432")  # typed in 9(a), not kept yet: it counts as answered
        await pilot.press("escape", "escape", "x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        message = str(app.screen.query_one("#message").render())
        assert "questions 2, 3, 4, 5, 6, 7, 8, 10" in message and "parts 9(b), 9(c)" in message
        assert "9(a)" not in message and " 1," not in message
        assert "Left blank (they score 0)" in screen_text(app)


# -- once per question, words a student understands -------------------------------------------------


async def test_the_reconstructed_note_is_said_once_per_question(data_dir):
    app = app_at(1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert text.count("Wording ours") == 1 and "reconstructed" not in text
        assert "original paper's text of this question is not known" in text
        await pilot.press("tab", "escape", "r")  # the detail is on reveal
        await pilot.pause()
        assert "Question reworded by us" in str(app.screen.query_one("#part-a .model").render())
    assert "part (a)" in reconstructed_note(EXAM.question(10))  # only a part of it is ours
    assert reconstructed_note(EXAM.question(9)) == ""


def test_the_model_answer_has_one_label():
    q9a = EXAM.question(9).parts[0]
    first = model_answer(q9a).splitlines()[0]
    assert first.startswith("Model answer, the key's: ") and "The key:" not in first
    q10a = EXAM.question(10).parts[0]
    assert "Model answer, ours (the key's answer is missing): x → weight layer" in model_answer(q10a)


def test_a_long_chain_of_equalities_is_laid_out_one_per_line():
    step = "output size = ⌊(n + 2p − k)/s⌋ + 1 = ⌊(6 + 2×1 − 3)/1⌋ + 1 = ⌊5/1⌋ + 1 = 5 + 1 = 6"
    lines = lay_out(step, 74).splitlines()
    assert lines == ["output size = ⌊(n + 2p − k)/s⌋ + 1", "            = ⌊(6 + 2×1 − 3)/1⌋ + 1",
                     "            = ⌊5/1⌋ + 1", "            = 5 + 1", "            = 6"]
    assert lay_out("h = 2 + 1 = 3", 74) == "h = 2 + 1 = 3"  # short: as it is


async def test_question_7s_formulas_stand_on_their_own_lines(data_dir):
    app = app_at(7)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")  # (a)'s steps, all
        await settle(pilot)
        steps = str(app.screen.query_one("#steps-a .lines").render()).splitlines()
        assert steps[0].endswith("= ⌊(n + 2p − k)/s⌋ + 1") and steps[-1].strip() == "= 6"
        assert all(len(line) <= 74 for line in steps)  # nothing left for the terminal to wrap
        await pilot.press("r")
        await settle(pilot)
        lines = [line.strip(" ▊▆▃▂▄▅▇█") for line in screen_text(app).splitlines()]
        assert "(n − 1)s − 2p + k" in lines  # the formula of (c)'s explanation, a line of its own
    for part in EXAM.question(7).parts:
        formulas = [line.strip() for line in model_answer(part).splitlines() if line.startswith("    ")]
        assert formulas, part.label


def test_practice_stems_say_the_points_once():
    from tutor.practice import make_variant
    from tutor.practice.catalog import practice_questions

    for number in practice_questions(EXAM.content_dir):
        variant = make_variant(number, 7)
        for part in variant.question.parts:
            assert "points)" not in part.prompt, (number, part.label)
        assert "points)" not in variant.question.stem, number


# -- the footer fits 80 columns, on every screen and focus -----------------------------------------


def footer_fits(app) -> list[str]:
    """The footer's problems: a key cut off, hidden under the palette key, or scrolled away."""
    footer = app.screen.query_one(SteadyFooter)
    problems = []
    if footer.virtual_size.width > footer.size.width:
        problems.append(f"footer content {footer.virtual_size.width} wide in {footer.size.width}")
    keys = list(footer.query(FooterKey)) + list(footer.query(FooterLabel))
    palette = [k for k in footer.query(FooterKey) if k.action == "command_palette"]
    edge = palette[0].region.x if palette else footer.region.right
    for key in keys:
        if key in palette:
            continue
        label = f"{getattr(key, 'key_display', '')} {getattr(key, 'description', '')}".strip()
        if key.region.right > edge or key.region.width < key.get_content_width(footer.size, footer.size):
            problems.append(f"cut: {label!r} at {key.region}")
    return problems


async def _states(pilot):
    """(name, ready) for each screen and focus state, driven by keys."""
    app = pilot.app
    yield "overview"
    await pilot.press("enter")  # question 1, reading
    await pilot.pause()
    yield "question reading"
    await pilot.press("tab")
    yield "question choosing"
    await pilot.press("escape")
    app.open_question(5)
    await pilot.pause()
    yield "question with an editor, reading"
    await pilot.press("tab")
    yield "question with an editor, typing"
    await pilot.press("escape", "e")
    assert app.screen.in_editor
    yield "forward editor"
    app.open_question(8)
    await pilot.pause()
    await pilot.press("tab")
    yield "matrix answer"
    await pilot.press("tab")
    assert type(app.focused).__name__ == "WorkBox"
    yield "work box"
    await pilot.press("escape", "e")
    assert app.screen.in_editor
    yield "pooling editor"
    for number in (4, 6, 7, 9):
        app.open_question(number)
        await pilot.pause()
        await pilot.press("e")
        assert app.screen.in_editor, number
        yield f"editor of question {number}"
    await pilot.press("escape", "escape", "p")  # practice of 9
    await settle(pilot)
    assert app.screen.alone
    yield "practice reading"
    await pilot.press("tab")
    yield "practice typing"
    await pilot.press("escape", "escape", "s")
    await pilot.pause()
    assert type(app.screen).__name__ == "ResultsScreen"
    yield "results"
    await pilot.press("escape", "question_mark")
    await pilot.pause()
    assert type(app.screen).__name__ == "HelpScreen"
    yield "help"


@pytest.mark.slow
@pytest.mark.parametrize("colour", [True, False], ids=["colour", "NO_COLOR"])
async def test_the_footer_fits_80_columns_on_every_screen_and_focus(colour, monkeypatch):
    if colour:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", "1")
    app = app_at()
    seen = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        async for name in _states(pilot):
            await pilot.pause()
            seen.append(name)
            assert footer_fits(app) == [], name
            last = screen_text(app).splitlines()[-1]
            assert "palette" in last, name
    assert len(seen) == 17


async def test_help_has_one_scrollbar(data_dir):
    app = app_at()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        scrolling = [w for w in app.screen.query("*") if w.show_vertical_scrollbar or w.show_horizontal_scrollbar]
        assert [w.id for w in scrolling] == ["help-body"]
        assert app.screen.query_one("#help-body").styles.scrollbar_size_vertical == 1


async def test_q_quits_at_once_when_nothing_would_be_lost(data_dir):
    app = app_at(9)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", *"18432", "enter")
        await settle(pilot)
        await pilot.press("escape", "q")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
    assert app.return_code == 0


async def test_q_in_an_answer_box_is_a_letter(data_dir):
    app = app_at(3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", *"quit")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.focused.value == "quit"


def test_prose_with_equals_signs_is_left_to_the_terminal_to_wrap():
    prose = ("What it means: the gradient is the probability the model assigns to each class minus the true"
             " label, so it vanishes only when ŷ = y: ∂l/∂o = ŷ − y")
    assert lay_out(prose, 74) == prose
    long_head = "the sum over every class k of the exponentials exp(oₖ) = 2.7 + 7.4 + 1.6 = 11.7561 in all"
    assert lay_out(long_head, 74) == long_head  # a first piece too long to stand under: as it is


async def test_the_review_screens_footer_fits_too(data_dir):
    import time

    from tutor.progress.reviews import ReviewOf

    with ProgressStore.open(data_dir) as store:  # 8(a) missed three days ago: due, on fresh numbers
        store.save_review(8, "a", 0.0, 6.0, ReviewOf("study", at=time.time() - 3 * 86400))
    app = make_app(animations=False, review=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "ReviewScreen"
        for keys in ([], ["tab"], ["escape"]):  # its answer, the work box, reading
            await pilot.press(*keys)
            await pilot.pause()
            assert footer_fits(app) == [], (keys, app.focused)
            assert "palette" in screen_text(app).splitlines()[-1]


async def test_tab_goes_from_answer_to_answer_past_the_steps_and_the_diagrams(data_dir):
    from tutor.widgets.answer_inputs import AnswerInput

    for number in (5, 9, 10):
        app = app_at(number)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            stops = [w for w in screen.focus_chain if screen._part_of(w) is not None]
            answers = [w for w in stops if any(isinstance(n, AnswerInput) for n in w.ancestors_with_self)]
            assert stops == answers, number  # every stop inside a part is an answer
