"""The pictures where they teach: each live editor's picture, declared in content (`picture = NAME`),
fed the editor's solver results and redrawn as the numbers change; 10(a)'s choices drawn and the
model answer on reveal.

Each test edits the editor's numbers as a student would and reads the picture's text alternative
(`describe()`) against the solver's own result for the new numbers (the picture built directly from
`tutor.solver`, or the numbers said in words). Snapshots of the mounted pictures are in
test_pictures_mounted_snapshots.py; the content's declaration errors are here too.
"""

from __future__ import annotations

import numpy as np
import pytest
from textual.widgets import Input

from test_exam_loader import content, edit, line_of, problems  # noqa: F401 (content: a fixture)
from test_live_editors import LiveApp, grid, type_in
from tutor.app import make_app
from tutor.editors import KINDS, editor_of
from tutor.exam import load_exam
from tutor.solver import (
    activation_curves,
    conv_geometry,
    conv_transpose_geometry,
    cross_entropy,
    format_number,
    gradient_through_layers,
    mlp_forward,
    pool2d,
    pool_windows,
    softmax,
    softmax_cross_entropy_grad,
)
from tutor.widgets.pictures.activations import ActivationsPicture
from tutor.widgets.pictures.convolution import ConvolutionPicture
from tutor.widgets.pictures.pooling import PoolingPicture
from tutor.widgets.pictures.residual import BlockDiagram, ChoiceDiagrams
from tutor.widgets.pictures.softmax_bars import SoftmaxBars, SoftmaxReading

EXAM = load_exam(prove=False)
SIZE = (80, 24)


# ---- the registry and the content's declarations -----------------------------------------------------


def test_every_picture_draws_a_role_of_its_kind():
    for kind in KINDS.values():
        for picture in kind.pictures:
            assert picture.draws in {role.name for role in kind.roles}, (kind.name, picture)


def test_the_exam_shows_a_picture_on_each_editor_the_plan_names():
    shown = {q.number: editor_of(q).picture.name for q in EXAM.questions
             if editor_of(q) is not None and editor_of(q).picture is not None}
    assert shown == {4: "softmax_bars", 5: "activations", 7: "convolution", 8: "pooling"}
    assert EXAM.question(10).parts[0].diagrams  # 10(a) draws its choices from its own `diagrams`


def test_an_unknown_picture_names_the_field_and_the_kinds_pictures(content):
    q8 = content / "q08.toml"
    edit(q8, 'picture = "pooling"', 'picture = "poolng"')
    assert problems(content) == [
        f"q08.toml:{line_of(q8, 'picture = ')}: computations.pool.picture: 'poolng' is not a picture of the "
        "pooling editor (one of pooling) (did you mean 'pooling'?)"
    ]


def test_a_picture_of_another_kind_or_on_the_wrong_computation_is_refused(content):
    q4, q7 = content / "q04.toml", content / "q07.toml"
    edit(q4, 'picture = "softmax_bars"', 'picture = "pooling"')
    edit(q7, 'picture = "convolution"\n', "")
    edit(q7, 'call = "trace_conv_transpose_output_size"\neditor = "conv_size"\n',
         'call = "trace_conv_transpose_output_size"\neditor = "conv_size"\npicture = "convolution"\n')
    found = problems(content)
    assert found == [
        f"q04.toml:{line_of(q4, 'picture = ')}: computations.grad.picture: 'pooling' is not a picture of the "
        "softmax editor (one of softmax_bars)",
        f"q07.toml:{line_of(q7, 'picture = ')}: computations.transposed.picture: the convolution picture draws "
        "the conv_size editor's conv (computations.padded): say picture = \"convolution\" there",
    ]


def test_a_picture_without_an_editor_or_a_second_picture_is_refused(content):
    q2, q7 = content / "q02.toml", content / "q07.toml"
    edit(q2, 'call = "trace_gaussian_nll"\n', 'call = "trace_gaussian_nll"\npicture = "convolution"\n')
    edit(q7, 'call = "trace_conv_transpose_output_size"\neditor = "conv_size"\n',
         'call = "trace_conv_transpose_output_size"\neditor = "conv_size"\npicture = "convolution"\n')
    found = [p.split(": ", 1)[1] for p in problems(content)]
    assert sorted(found) == [
        "computations.nll.picture: a picture shows in a live editor, and this question has none (no "
        "computation says editor = \"...\")",
        "computations.transposed.picture: the conv_size editor already shows the convolution picture: "
        "an editor shows one",
    ]


def test_a_question_without_the_field_shows_its_editor_without_a_picture():
    from test_live_editors import POOL_Q

    app_editor = LiveApp(POOL_Q).editor
    assert editor_of(POOL_Q).picture is None and not list(app_editor.query(PoolingPicture))


# ---- 8: the pooling windows follow the editor's cursor and its numbers ---------------------------------


async def test_the_pooling_picture_follows_the_edited_input_and_the_output_cursor():
    app = LiveApp(EXAM.question(8))
    async with app.run_test(size=SIZE) as pilot:
        picture = app.query_one(PoolingPicture)
        x = grid(app, "pool-input")
        x.focus()
        await pilot.press("9", "enter")  # x₁₁ = 1 becomes 9
        await pilot.pause()
        new_x = np.array(EXAM.question(8).computations["pool"].args["x"], dtype=float)
        new_x[0, 0] = 9
        result = pool2d(new_x, 2, 2, 0, "max")
        assert picture.describe() == PoolingPicture(result, pool_windows(result, 0), step=0).describe()
        assert "the max is 9, at row 1, column 1" in picture.describe()
        out = grid(app, "pool-output")
        out.focus()
        await pilot.press("down", "right")  # output row 2, column 2: window 4
        await pilot.pause()
        assert picture.step == 3
        assert picture.describe() == PoolingPicture(result, pool_windows(result, 0), step=3).describe()
        assert "Window 4 of 4, for output row 2, column 2" in picture.describe()
        picture.focus()
        await pilot.press("left_square_bracket")  # the picture's own key: the editor's cursor follows
        await pilot.pause()
        assert picture.step == 2 and out.cursor == (1, 0)
        assert app.editor.current_line.startswith("window (row 2, col 1) = max(9, 2, 4, 3) = 9")
        size = app.query_one("#pool-size", Input)
        await type_in(pilot, size, "3")  # a 3×3 window with stride 2 on 4×4: one window
        one = pool2d(new_x, 3, 2, 0, "max")
        assert picture.describe() == PoolingPicture(one, pool_windows(one, 0), step=0).describe()
        await type_in(pilot, size, "5")  # impossible: said in the editor, the picture dimmed, unchanged
        assert picture.has_class("-dimmed")
        assert picture.describe() == PoolingPicture(one, pool_windows(one, 0), step=0).describe()


# ---- 5(a): the activations, their gradient at the editor's unit, switched by ctrl+t --------------------


async def test_the_activations_picture_takes_z_from_the_edited_network_and_ctrl_t_switches():
    q5 = EXAM.question(5)
    app = LiveApp(q5)
    layers = q5.computations["forward"].args["layers"]
    async with app.run_test(size=SIZE) as pilot:
        picture = app.query_one(ActivationsPicture)
        assert picture.current == "relu" and picture.products.z == 2.0  # h₁ = 2 on the exam's numbers
        grid(app, "fw-x").focus()
        await pilot.press("3", "enter")  # i₁ = 2 becomes 3
        await pilot.pause()
        z = float(mlp_forward([3.0, -1.0], layers).pre[0][0])
        assert picture.products.z == z == 3.0
        assert picture.describe() == ActivationsPicture(activation_curves(), gradient_through_layers(z),
                                                        current="relu").describe()
        assert f"at z = {format_number(z)}" in picture.describe()
        assert picture.repainted == ("table",)  # a new z redraws the table, not the plots
        w1 = grid(app, "fw-W1")
        w1.focus()
        await pilot.press("right")  # the cursor on w₁₂: the hidden unit h₂
        await pilot.pause()
        h2 = float(mlp_forward([3.0, -1.0], layers).pre[0][1])
        assert picture.products.z == h2
        await pilot.press("ctrl+t")  # relu → sigmoid: the network, its numbers and the picture follow
        await pilot.pause()
        editor = app.editor
        sigmoid_layers = [[layers[0][0], layers[0][1], "sigmoid"], layers[1]]
        expected = mlp_forward([3.0, -1.0], sigmoid_layers)
        assert editor.activations == ["sigmoid", "identity"] and picture.current == "sigmoid"
        np.testing.assert_allclose(editor.result.output, expected.output)
        assert "σ (in use)" in picture.describe() and "ReLU (in use)" not in picture.describe()
        assert any(format_number(expected.output[0]) in line for line in editor.step_lines)
        assert "plots" in picture.repainted
        await pilot.press("ctrl+t")  # tanh
        await pilot.pause()
        assert editor.activations[0] == "tanh" and picture.current == "tanh"
        await pilot.press("ctrl+r")  # the exam's numbers back, and its activation
        await pilot.pause()
        assert editor.activations == ["relu", "identity"] and picture.current == "relu"
        assert picture.products.z == float(mlp_forward([2.0, -1.0], layers).pre[0][1])  # h₂, the cursor's unit


# ---- 4(c): the softmax bars follow the logits -----------------------------------------------------------


def reading(o, y) -> SoftmaxReading:
    return SoftmaxReading(o, softmax(o), y, softmax_cross_entropy_grad(o, y), cross_entropy(y, o))


async def test_the_softmax_bars_are_the_solvers_after_a_logit_is_edited():
    app = LiveApp(EXAM.question(4))
    async with app.run_test(size=SIZE) as pilot:
        bars = app.query_one(SoftmaxBars)
        y = [0.0, 1.0, 0.0]
        assert bars.describe() == SoftmaxBars(reading([1.0, 2.0, 0.5], y)).describe()
        grid(app, "calc-o").focus()
        await pilot.press("4", "enter")  # o₁ = 1 becomes 4
        await pilot.pause()
        o = [4.0, 2.0, 0.5]
        assert bars.describe() == SoftmaxBars(reading(o, y)).describe()
        assert f"ŷ₁ = {format_number(softmax(o)[0])}" in bars.describe()
        await type_in(pilot, app.query_one("#calc-label", Input), "1")  # the label: class 1
        y = [1.0, 0.0, 0.0]
        assert bars.describe() == SoftmaxBars(reading(o, y)).describe()
        await type_in(pilot, app.query_one("#calc-label", Input), "7")  # no class 7: dimmed, unchanged
        assert bars.has_class("-dimmed") and bars.describe() == SoftmaxBars(reading(o, y)).describe()


# ---- 7: padding, stride and the transposed convolution, live ----------------------------------------


async def test_the_convolution_picture_follows_n_k_s_p_and_says_when_it_is_too_large():
    app = LiveApp(EXAM.question(7))
    async with app.run_test(size=SIZE) as pilot:
        picture = app.query_one(ConvolutionPicture)

        def expected(n, k, s, p, position=0):
            conv = conv_geometry(n, k, s, p)
            return ConvolutionPicture(conv, conv_transpose_geometry(conv.output, k, s, p),
                                      position=position).describe()

        assert picture.describe() == expected(6, 3, 1, 1)
        await type_in(pilot, app.query_one("#calc-kernel", Input), "4")
        await type_in(pilot, app.query_one("#calc-stride", Input), "2")
        assert picture.describe() == expected(6, 4, 2, 1)
        assert "The output is 3×3" in picture.describe() and "leaving 6×6" in picture.describe()
        assert picture.repainted == ("conv", "transposed")  # new sizes: both grids
        picture.focus()
        await pilot.press("right_square_bracket")  # the kernel's next position: its grid alone
        await pilot.pause()
        assert picture.position == 1 and picture.repainted == ("conv",)
        assert "Position 2 of 9: the kernel's top-left at row 0, column 2" in picture.describe()
        await type_in(pilot, app.query_one("#calc-n", Input), "40")  # past what the picture draws
        note = app.query_one("#calc-picture-note")
        assert not picture.display and "n 40 (at most 16)" in note.said
        assert "⌊(40 + 2×1 − 4)/2⌋" in "\n".join(app.editor.lines)  # the sizes are still computed
        await type_in(pilot, app.query_one("#calc-n", Input), "5")
        # the kernel's position is kept where it still exists
        assert picture.display and note.said == "" and picture.describe() == expected(5, 4, 2, 1, position=1)


async def test_typing_n_keeps_the_pictures_size_until_the_field_is_left():
    """n = 6, 9, 6 in one field: the picture grows for the 9 and keeps that size for the 6 (its new
    numbers drawn in place, no layout of the screen: it laid everything under it out again and
    wrote 11 KB on every key); leaving the field fits it to the 6 again."""
    app = LiveApp(EXAM.question(7))
    async with app.run_test(size=(80, 60)) as pilot:
        picture = app.query_one(ConvolutionPicture)
        field = app.query_one("#calc-n", Input)
        await pilot.pause()
        height_6 = picture.region.height
        await type_in(pilot, field, "9")
        height_9 = picture.region.height
        assert height_9 > height_6 and "a 9×9 input" in picture.describe()
        layouts = []
        real = type(app.screen)._refresh_layout

        def counted(screen, *args, **kwargs):
            layouts.append(1)
            return real(screen, *args, **kwargs)

        type(app.screen)._refresh_layout = counted
        try:
            await pilot.press("backspace", "6")
            await pilot.pause()
            assert "a 6×6 input" in picture.describe() and "6×6" in "".join(drawn_lines(picture))
            assert picture.region.height == height_9  # kept: nothing under it moved
            await pilot.press("backspace", "9")
            await pilot.pause()
            assert picture.region.height == height_9 and "9×9" in "".join(drawn_lines(picture))
            assert not layouts, "typing within the largest size laid the screen out"
        finally:
            type(app.screen)._refresh_layout = real
        await pilot.press("backspace", "6")
        app.query_one("#calc-kernel", Input).focus()  # the field left: the picture fits the 6 again
        await pilot.pause()
        await pilot.pause()
        assert picture.region.height == height_6 and not picture.stacked


def drawn_lines(picture) -> list[str]:
    return [str(sheet.content) for sheet in picture.query("Sheet")]


# ---- 10(a): the choices drawn, the model answer on reveal ----------------------------------------------


async def test_the_residual_choices_are_drawn_and_the_model_answer_on_reveal():
    app = make_app(question=10, animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        choices = app.screen.query_one(ChoiceDiagrams)
        model = app.screen.query_one(BlockDiagram)
        part = EXAM.question(10).parts[0]
        assert choices.diagrams == part.diagrams and not choices.revealed
        assert not model.region.height  # hidden until the reveal
        assert "The model answer" not in choices.describe()
        await pilot.press("r")
        await pilot.pause()
        assert choices.revealed and f"The model answer is choice {part.answer + 1}." in choices.describe()
        assert model.diagram == part.diagrams[part.answer] and model.region.height > 0
        assert choices.repainted == (part.answer,)  # the reveal redraws the answer's diagram alone
