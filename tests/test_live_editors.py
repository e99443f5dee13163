"""The live editors, driven by keys at 80×24: every value they show follows the edits, as the solver says."""

from __future__ import annotations

import numpy as np
import pytest
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Checkbox, Footer, Input

from tutor.exam import Computation, Question
from tutor.solver import (
    half_squared_error,
    mlp_forward,
    pool2d,
    trace_bottleneck_params,
    trace_conv_output_size,
    trace_conv_params,
    trace_conv_transpose_output_size,
    trace_softmax_cross_entropy,
    two_layer_gradients,
)
from tutor.widgets.live import (
    ConvSizeCalculator,
    ForwardEditor,
    GradientShapesCalculator,
    MatrixEditor,
    ParamsCalculator,
    PoolingEditor,
    SoftmaxCalculator,
    live_editor_for,
)
from tutor.solver.gradcheck import check_gradients

POOL_X = [[1, 3, 2, 4], [5, 6, 7, 8], [9, 2, 1, 5], [4, 3, 6, 7]]
LAYERS = [
    [[[1.0, -0.5], [0.5, -1.0]], [0.5, -0.5], "relu"],
    [[[0.5, -1.0], [-0.5, 1.0]], [-1.0, 0.5], "identity"],
]
NAMES = {
    "inputs": ["i₁", "i₂"],
    "weights": [[["w₁₁", "w₁₂"], ["w₂₁", "w₂₂"]], [["w₃₁", "w₃₂"], ["w₄₁", "w₄₂"]]],
    "biases": [["b₁", "b₂"], ["b₃", "b₄"]],
    "pre": [["h₁", "h₂"], ["o₁", "o₂"]],
    "post": [["h₃", "h₄"], ["o₁", "o₂"]],
}
GRAD_ARGS = {
    "x": [[1.0], [-2.0], [0.5]],
    "y": [[0.0], [1.0]],
    "W1": [[0.2, -0.1, 0.4], [0.5, 0.3, -0.2], [-0.3, 0.1, 0.2], [0.1, -0.4, 0.3]],
    "b1": [[0.1], [0.0], [-0.1], [0.2]],
    "W2": [[0.3, -0.2, 0.5, 0.1], [-0.4, 0.2, 0.1, 0.3]],
    "b2": [[0.0], [0.1]],
}


def question(editor: str = "", **computations: tuple[str, dict] | tuple[str, dict, dict]) -> Question:
    """A question holding only the given computations: name=(call, args[, kwargs]), every one of
    them on the live editor `editor` ("" for none), as `editor = "..."` in a content file."""
    made = {
        name: Computation(name, spec[0], spec[1], spec[2] if len(spec) > 2 else {}, editor)
        for name, spec in computations.items()
    }
    return Question(number=0, title="test", points=0, stem="", parts=(), computations=made)


POOL_Q = question("pooling", pool=("pool2d", {"x": POOL_X, "size": 2, "stride": 2, "padding": 0, "mode": "max"}))
FORWARD_Q = question(
    "forward",
    forward=("mlp_forward", {"x": [2.0, -1.0], "layers": LAYERS}, {"names": NAMES}),
    loss=("trace_half_squared_error", {"t": [1.0, 0.5], "o": [0.0, -1.5]}),
)
CONV_Q = question(
    "conv_size",
    padded=("trace_conv_output_size", {"n": 6, "kernel": 3, "stride": 1, "padding": 1}),
    transposed=("trace_conv_transpose_output_size", {"n": 3, "kernel": 4, "stride": 2, "padding": 1}),
)
PARAMS_Q = question(
    "params",
    plain=("trace_conv_params", {"in_channels": 32, "out_channels": 64, "kernel": 3}),
    bottleneck=("trace_bottleneck_params", {"in_channels": 32, "mid_channels": 5, "out_channels": 64, "kernel": 3}),
)
SOFTMAX_Q = question("softmax", grad=("trace_softmax_cross_entropy", {"o": [1.0, 2.0, 0.5], "y": [0.0, 1.0, 0.0]}))
GRADS_Q = question("gradients", grads=("two_layer_gradients", GRAD_ARGS))


class LiveApp(App):
    """The editor of one question in a scrolling pane, as the question screen holds it."""

    def __init__(self, q: Question, seed: int = 7):
        super().__init__()
        self.editor = live_editor_for(q, seed=seed)

    def compose(self) -> ComposeResult:
        with VerticalScroll(can_focus=False):
            yield self.editor
        yield Footer()

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = False  # steady snapshots


def grid(app: App, id: str) -> MatrixEditor:
    return app.query_one(f"#{id}", MatrixEditor)


async def type_in(pilot, field: Input, text: str) -> None:
    """Focus `field`, clear it, and type `text`, as a student would."""
    field.focus()
    await pilot.pause()
    field.value = ""
    await pilot.press(*text)
    await pilot.pause()


# ---- choosing the editor ------------------------------------------------------------------------


def test_live_editor_for_builds_the_editor_the_content_declares():
    assert isinstance(live_editor_for(POOL_Q), PoolingEditor)
    assert isinstance(live_editor_for(FORWARD_Q), ForwardEditor)
    assert isinstance(live_editor_for(CONV_Q), ConvSizeCalculator)
    assert isinstance(live_editor_for(PARAMS_Q), ParamsCalculator)
    assert isinstance(live_editor_for(SOFTMAX_Q), SoftmaxCalculator)
    assert isinstance(live_editor_for(GRADS_Q), GradientShapesCalculator)
    assert live_editor_for(question(nll=("gaussian_nll", {"y": [1.0]}))) is None
    assert live_editor_for(question()) is None
    # a computation declared on an editor but without the arguments it starts from: said, never a
    # silently missing editor (the content loader refuses it with the same words)
    with pytest.raises(ValueError, match=r"computations\.f\.editor: the forward editor needs args x of mlp_forward"):
        live_editor_for(question("forward", f=("mlp_forward", {"layers": LAYERS})))


def test_every_computational_question_of_the_exam_declares_its_editor():
    from tutor.exam import load_exam

    kinds = {type(live_editor_for(q)).__name__ for q in load_exam(prove=False).questions}
    assert {"PoolingEditor", "ForwardEditor", "ConvSizeCalculator", "ParamsCalculator",
            "SoftmaxCalculator", "GradientShapesCalculator"} <= kinds


# ---- the matrix editor --------------------------------------------------------------------------


async def test_matrix_editor_moves_edits_cancels_and_resizes():
    app = LiveApp(POOL_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        x = grid(app, "pool-input")
        assert app.focused is x
        await pilot.press("right", "down")
        assert x.cursor == (1, 1)
        await pilot.press("4", "2", "escape")  # escape cancels: nothing changes
        assert not x.editing and x.matrix[1, 1] == 6
        await pilot.press("-", "2", ".", "5", "down")  # moving away commits
        assert x.matrix[1, 1] == -2.5 and x.cursor == (2, 1)
        await pilot.press("ctrl+down", "ctrl+right")
        assert x.shape == (5, 5) and x.matrix[4, 4] == 0
        await pilot.press("ctrl+up", "ctrl+up", "ctrl+left")
        assert x.shape == (3, 4)
        await pilot.press("ctrl+up", "ctrl+up", "ctrl+up")
        assert x.shape == (1, 4)  # never below the owner's minimum
        await pilot.press(*["ctrl+right"] * 5)
        assert x.shape == (1, 8)  # nor above its maximum


async def test_letters_pass_through_a_cell_that_is_not_being_edited():
    app = LiveApp(POOL_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        x = grid(app, "pool-input")
        assert x.check_consume_key("1", "1") and not x.check_consume_key("q", "q")
        await pilot.press("1", "a")  # once editing, any character goes into the cell
        assert x.editing and x.cell_text(0, 0) == "1a"


async def test_a_letter_on_a_cell_is_said_to_be_no_number_and_a_screens_key_stays_its_key():
    """A letter that is no key of the screen starts an edit that says why it is no number (it was
    ignored: the student saw nothing happen); a key the screen has (the question's e, r, ?) is still
    that key, never typed into the cell."""
    from tutor.app import make_app

    app = make_app(question=8, animations=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("e")  # into the pooling editor, the cursor on x₁₁
        await pilot.pause()
        x = app.screen.query_one("#pool-input")
        assert app.focused is x
        value = x.matrix[0, 0]
        await pilot.press("x")
        await pilot.pause()
        assert x.errors == {(0, 0): "'x' is not a number"} and x.matrix[0, 0] == value  # the number stays
        assert "input x: row 1, col 1: 'x' is not a number" in app.screen.query_one(".cell-errors").said
        await pilot.press("escape")  # the edit cancelled: the cell as it was, no message
        await pilot.pause()
        assert not x.errors and x.matrix[0, 0] == value
        await pilot.press("question_mark")  # a key of the app's: help, not a cell's "?"
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen" and not x.errors


async def test_a_calculators_long_chain_of_equalities_is_a_column_not_a_wrapped_line():
    from tutor.exam import load_exam

    app = LiveApp(load_exam(prove=False).question(7))
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        shown = str(app.query_one("#calc-results").render()).splitlines()
        chain = next(i for i, line in enumerate(shown) if "output size = ⌊(n + 2p − k)/s⌋ + 1" in line)
        column = shown[chain].index("=")
        assert shown[chain + 1].index("=") == column and shown[chain + 1].strip().startswith("= ⌊(6 + 2×1 − 3)/1⌋")
        assert all(len(line) <= 78 for line in shown)
        assert app.editor.lines[1].count(" = ") >= 4  # the solver's line itself is unchanged


# ---- pooling ------------------------------------------------------------------------------------


async def test_editing_a_pooling_cell_changes_the_output_and_the_winner():
    app = LiveApp(POOL_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.query_one(PoolingEditor)
        x, y = grid(app, "pool-input"), grid(app, "pool-output")
        assert y.matrix.tolist() == [[6, 8], [9, 7]]
        assert x.highlights[1, 1] == "winner"  # 6 wins the first window
        await pilot.press("9", "enter")  # the top-left 1 becomes 9
        await pilot.pause()
        expected = pool2d(x.matrix, 2, 2, 0, "max")
        assert np.array_equal(y.matrix, expected.output)
        assert y.matrix[0, 0] == 9
        assert x.highlights[0, 0] == "winner" and x.highlights[1, 1] == "window"
        assert "max(9, 3, 5, 6) = 9" in editor.current_line
        assert "won by row 1, col 1" in editor.current_line


async def test_moving_over_the_output_shows_each_window():
    app = LiveApp(POOL_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        x, y = grid(app, "pool-input"), grid(app, "pool-output")
        y.focus()
        await pilot.press("down")
        await pilot.pause()
        assert y.cursor == (1, 0)
        assert x.highlights == {(2, 0): "winner", (2, 1): "window", (3, 0): "window", (3, 1): "window"}


async def test_the_picked_output_cell_stays_picked_while_the_input_changes():
    app = LiveApp(POOL_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        x, y = grid(app, "pool-input"), grid(app, "pool-output")
        y.cursor = (1, 1)
        await pilot.pause()
        await pilot.click(x, offset=(19, 4))  # the mouse picks row 3, col 4 of the input
        assert app.focused is x and x.cursor == (2, 3)
        await pilot.press("0", "enter")
        await pilot.pause()
        assert y.cursor == (1, 1) and y.matrix[1, 1] == 7
        assert x.highlights[3, 3] == "winner" and x.highlights[2, 3] == "window"
        assert app.query_one(PoolingEditor).current_line.startswith("window (row 2, col 2) = max(1, 0, 6, 7) = 7")


async def test_average_pooling_has_windows_but_no_winner():
    app = LiveApp(POOL_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        x, y = grid(app, "pool-input"), grid(app, "pool-output")
        app.query_one("#pool-mode").value = "avg"
        await pilot.pause()
        assert np.array_equal(y.matrix, pool2d(POOL_X, mode="avg").output)
        assert set(x.highlights.values()) == {"window"} and len(x.highlights) == 4


async def test_grids_too_wide_to_sit_side_by_side_are_stacked():
    wide = (np.arange(64).reshape(8, 8) * -1.25).tolist()
    app = LiveApp(question("pooling", pool=("pool2d", {"x": wide, "size": 1})))
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.query_one("#pool-grids").has_class("-stacked")
        await type_in(pilot, app.query_one("#pool-size", Input), "8")
        assert grid(app, "pool-output").shape == (1, 1)
        assert not app.query_one("#pool-grids").has_class("-stacked")


async def test_changing_the_stride_changes_the_output_shape():
    app = LiveApp(POOL_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        y = grid(app, "pool-output")
        await type_in(pilot, app.query_one("#pool-stride", Input), "1")
        assert y.shape == (3, 3)
        assert np.array_equal(y.matrix, pool2d(POOL_X, 2, 1).output)
        await type_in(pilot, app.query_one("#pool-size", Input), "3")
        assert y.shape == (2, 2)
        assert np.array_equal(y.matrix, pool2d(POOL_X, 3, 1).output)


async def test_garbage_in_a_cell_is_marked_and_not_used():
    app = LiveApp(POOL_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        x, y = grid(app, "pool-input"), grid(app, "pool-output")
        await pilot.press("right", "down", "1")  # a number as soon as it is typed: in force at once
        await pilot.pause()
        assert x.matrix[1, 1] == 1
        before = y.matrix
        await pilot.press("a", "b", "c", "enter")
        await pilot.pause()
        assert x.errors == {(1, 1): "'1abc' is not a number"}
        assert x.message == "row 2, col 2: '1abc' is not a number"
        assert app.query_one(".cell-errors").said == "input x: row 2, col 2: '1abc' is not a number"
        assert x.cell_text(1, 1) == "1abc" and x.matrix[1, 1] == 1  # the last valid number stays
        assert np.array_equal(y.matrix, before)
        await pilot.press("enter")  # enter on a cell not being edited does nothing to it
        await pilot.press("7", "enter")
        await pilot.pause()
        assert x.errors == {} and y.matrix[0, 0] == 7
        assert not app.query_one(".cell-errors").display


async def test_impossible_geometry_is_said_and_the_last_output_stays_dimmed():
    app = LiveApp(POOL_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.query_one(PoolingEditor)
        y = grid(app, "pool-output")
        await type_in(pilot, app.query_one("#pool-size", Input), "5")
        message = app.query_one("#pool-message")
        assert message.said == "pooling window 5 is larger than the padded input 4×4"
        assert message.display and y.dimmed and y.matrix.tolist() == [[6, 8], [9, 7]]
        await type_in(pilot, app.query_one("#pool-size", Input), "2")
        await type_in(pilot, app.query_one("#pool-padding", Input), "2")
        assert editor.error.startswith("padding 2 is more than half the pooling window 2")
        said = editor.error
        await type_in(pilot, app.query_one("#pool-padding", Input), "")  # on its way to a number: it waits
        assert editor.error == said and not app.query_one("#pool-padding").has_class("-invalid")
        await type_in(pilot, app.query_one("#pool-padding", Input), "x")
        assert editor.error == "padding: 'x' is not a number"
        assert app.query_one("#pool-padding").has_class("-invalid")
        await type_in(pilot, app.query_one("#pool-padding", Input), "1")
        assert not y.dimmed and not message.display
        assert np.array_equal(y.matrix, pool2d(POOL_X, 2, 2, 1).output)


async def test_pooling_reset_and_new_numbers():
    app = LiveApp(POOL_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        x, y = grid(app, "pool-input"), grid(app, "pool-output")
        await pilot.press("ctrl+n")
        await pilot.pause()
        drawn = x.matrix
        assert not np.array_equal(drawn, POOL_X) and drawn.shape == (4, 4)
        assert np.all(drawn == np.round(drawn)) and drawn.min() >= 0 and drawn.max() <= 9
        assert np.array_equal(y.matrix, pool2d(drawn).output)
        await type_in(pilot, app.query_one("#pool-stride", Input), "1")
        x.focus()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert x.matrix.tolist() == POOL_X and y.matrix.tolist() == [[6, 8], [9, 7]]
        assert app.query_one("#pool-stride", Input).value == "2"


# ---- forward pass -------------------------------------------------------------------------------


def solver_view(editor: ForwardEditor):
    result = mlp_forward(editor.input_values, editor.layer_values)
    return result, half_squared_error(editor.target_values, result.output)


async def test_forward_editor_starts_from_the_exam_numbers():
    app = LiveApp(FORWARD_Q)
    async with app.run_test(size=(80, 24)):
        editor = app.query_one(ForwardEditor)
        text = editor.diagram_text
        for shown in ("i₁ = 2", "h₁ = 2", "h₂ = −0.5", "h₃ = 2", "h₄ = 0", "o₁ = 0", "o₂ = −1.5", "= 2.5"):
            assert shown in text
        assert editor.loss.output == 2.5


async def test_editing_a_weight_moves_h_o_and_e():
    app = LiveApp(FORWARD_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.query_one(ForwardEditor)
        grid(app, "fw-W1").focus()  # w₁₁ = 1.0 becomes 2
        await pilot.press("2", "enter")
        await pilot.pause()
        result, loss = solver_view(editor)
        assert editor.layer_values[0][0][0, 0] == 2.0
        assert np.allclose(editor.result.pre[0], result.pre[0]) and result.pre[0][0] == 4.0
        assert np.allclose(editor.result.output, result.output)
        assert editor.loss.output == pytest.approx(loss)
        assert "h₁ = 4" in editor.diagram_text and "h₃ = 4" in editor.diagram_text
        assert "h₁ = i₁·w₁₁ + i₂·w₂₁ + b₁ = 2×2 + (−1)×0.5 + 0.5 = 4" in editor.step_lines
        await pilot.press("down", "right", "1")  # w₂₂ = 1, in force as typed
        await pilot.pause()
        assert editor.layer_values[0][0][1, 1] == 1.0
        loss = editor.loss.output
        await pilot.press("x", "up")  # left as "1x", which cannot be read: nothing moves
        await pilot.pause()
        assert app.query_one(".cell-errors").said == "w₂₂: '1x' is not a number"
        assert editor.layer_values[0][0][1, 1] == 1.0 and editor.loss.output == pytest.approx(loss)


async def test_forward_reset_and_new_numbers_stay_valid():
    app = LiveApp(FORWARD_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.query_one(ForwardEditor)
        await pilot.press("ctrl+n")
        await pilot.pause()
        result, loss = solver_view(editor)
        assert not np.array_equal(editor.input_values, [2.0, -1.0])
        assert np.all(np.abs(editor.input_values) <= 2) and np.allclose(editor.input_values * 10 % 1, 0)
        assert np.allclose(editor.result.output, result.output) and editor.loss.output == pytest.approx(loss)
        assert not app.query_one("#fw-message").display
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert editor.input_values.tolist() == [2.0, -1.0] and editor.loss.output == 2.5


# ---- calculators --------------------------------------------------------------------------------


async def test_conv_size_calculator_answers_as_the_solver_does():
    app = LiveApp(CONV_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        calc = app.query_one(ConvSizeCalculator)
        values = {"n": 6, "kernel": 3, "padding": 1, "stride": 1}
        assert calc.lines[1].strip() == trace_conv_output_size(**values).steps[-1].text()
        await type_in(pilot, app.query_one("#calc-kernel", Input), "4")
        await type_in(pilot, app.query_one("#calc-stride", Input), "2")
        conv = trace_conv_output_size(n=6, kernel=4, stride=2, padding=1)
        back = trace_conv_transpose_output_size(n=conv.output, kernel=4, stride=2, padding=1)
        assert conv.output == 3 and back.output == 6
        assert calc.lines[1].strip() == conv.steps[-1].text()
        assert calc.lines[3].strip() == back.steps[-1].text()
        before = list(calc.lines)
        await type_in(pilot, app.query_one("#calc-stride", Input), "two")
        assert app.query_one("#calc-stride-note").said == "'two' is not a number"
        assert calc.lines == before and app.query_one("#calc-results").has_class("-dimmed")
        await type_in(pilot, app.query_one("#calc-stride", Input), "2")
        await type_in(pilot, app.query_one("#calc-kernel", Input), "9")
        assert app.query_one("#calc-message").said == "kernel 9 is larger than the padded input 8"
        assert calc.lines == before


async def test_params_calculator_answers_as_the_solver_does():
    app = LiveApp(PARAMS_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        calc = app.query_one(ParamsCalculator)
        plain = trace_conv_params(32, 64, 3)
        bottleneck = trace_bottleneck_params(32, 5, 64, 3)
        assert calc.lines[1].strip() == plain.steps[-1].text()
        assert [line.strip() for line in calc.lines[3:]] == [s.text() for s in bottleneck.steps]
        assert "18,432" in calc.lines[1] and "3,040" in calc.lines[5]
        app.query_one("#calc-bias", Checkbox).value = True
        await pilot.pause()
        assert "18,496" in calc.lines[1] and "3,109" in calc.lines[5]


async def test_softmax_calculator_answers_as_the_solver_does():
    app = LiveApp(SOFTMAX_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        calc = app.query_one(SoftmaxCalculator)
        expected = trace_softmax_cross_entropy([1.0, 2.0, 0.5], [0.0, 1.0, 0.0])
        assert calc.lines == [s.text() for s in expected.steps]
        await type_in(pilot, app.query_one("#calc-label", Input), "3")
        expected = trace_softmax_cross_entropy([1.0, 2.0, 0.5], [0.0, 0.0, 1.0])
        assert calc.lines == [s.text() for s in expected.steps]
        await type_in(pilot, app.query_one("#calc-label", Input), "4")
        assert app.query_one("#calc-label-note").said == "a class from 1 to 3"
        grid(app, "calc-o").focus()
        await pilot.press("ctrl+right", "right", "right", "right", "5", "enter")
        await pilot.pause()
        expected = trace_softmax_cross_entropy([1.0, 2.0, 0.5, 5.0], [0.0, 0.0, 0.0, 1.0])
        assert calc.lines == [s.text() for s in expected.steps]


async def test_gradient_calculator_gives_the_shapes_and_a_numerical_check():
    app = LiveApp(GRADS_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        calc = app.query_one(GradientShapesCalculator)
        await app.workers.wait_for_complete()
        await pilot.pause()
        shapes = two_layer_gradients(**GRAD_ARGS)
        for line, name in zip(calc.lines[1:6], ("W2", "b2", "W1", "b1", "x")):
            assert line.split()[-1] == "×".join(map(str, shapes[name].shape))
        assert calc.lines[1].startswith("∂J/∂W₂") and "n_c×d_h = 2×4" in calc.lines[1]
        assert calc.lines[-2] == "check against central differences (h = 1×10⁻⁵), all 29 entries:"
        assert calc.lines[-1].startswith("  max |analytic − numerical| = ")
        await type_in(pilot, app.query_one("#calc-n_c", Input), "5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "n_c×d_h = 5×4" in calc.lines[1] and calc.lines[1].endswith("5×4")
        assert "all 44 entries" in calc.lines[-2]
        await type_in(pilot, app.query_one("#calc-n_c", Input), "0")
        assert app.query_one("#calc-n_c-note").said == "a size from 1 to 6"


def test_the_numerical_check_agrees_with_the_analytic_gradients():
    check = check_gradients(**GRAD_ARGS)
    assert check.count == 3 + 4 * 3 + 4 + 2 * 4 + 2
    assert check.max_difference < 1e-8


# ---- as you type (issue 18): a number recomputes at once, a half-typed one waits, garbage is said --


def shown(widget) -> str:
    """What a widget draws, as plain text."""
    return str(widget.render())


async def test_a_number_typed_in_a_cell_recomputes_at_once_without_enter():
    app = LiveApp(POOL_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        x, y = grid(app, "pool-input"), grid(app, "pool-output")
        await pilot.press("right", "down", "9")  # cell (2, 2): 6 -> 9, no enter
        await pilot.pause()
        expected = pool2d([[1, 3, 2, 4], [5, 9, 7, 8], [9, 2, 1, 5], [4, 3, 6, 7]], 2, 2, 0)
        assert x.editing and x.matrix[1, 1] == 9
        assert np.array_equal(y.matrix, expected.output) and y.matrix[0, 0] == 9
        assert shown(y).splitlines()[2].split()[:3] == ["1", "9", "8"]  # drawn: row 1 of the output
        assert app.query_one(PoolingEditor).step_texts[0] == expected.steps[0].text()
        await pilot.press("enter", "right")  # enter and the arrows only move on
        await pilot.pause()
        assert not x.editing and x.cursor == (1, 2) and np.array_equal(y.matrix, expected.output)


async def test_a_half_typed_cell_waits_without_an_error_and_changes_nothing():
    app = LiveApp(POOL_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        x, y = grid(app, "pool-input"), grid(app, "pool-output")
        before_x, before_y, steps = x.matrix, y.matrix, list(app.query_one(PoolingEditor).step_texts)
        await pilot.press("right", "down", "-")
        await pilot.pause()
        assert x.editing and x.errors == {} and not app.query_one(".cell-errors").display
        assert np.array_equal(x.matrix, before_x) and np.array_equal(y.matrix, before_y)
        assert app.query_one(PoolingEditor).step_texts == steps
        await pilot.press("3")  # "-3": a number now, in force at once
        await pilot.pause()
        assert x.matrix[1, 1] == -3 and y.matrix[0, 0] == 5  # max(1, 3, 5, −3)


async def test_garbage_typed_in_a_cell_is_said_in_place_and_the_outputs_stay():
    app = LiveApp(POOL_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        x, y = grid(app, "pool-input"), grid(app, "pool-output")
        await pilot.press("right", "down", "1")
        await pilot.pause()
        before = y.matrix
        await pilot.press("a", "b", "c")  # still typing: said at once, where it is typed
        await pilot.pause()
        assert x.errors == {(1, 1): "'1abc' is not a number"}
        assert app.query_one(".cell-errors").said == "input x: row 2, col 2: '1abc' is not a number"
        assert x.matrix[1, 1] == 1 and np.array_equal(y.matrix, before)


async def test_a_calculator_recomputes_as_you_type_waits_on_a_half_typed_field_and_says_garbage():
    app = LiveApp(CONV_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        calc = app.query_one(ConvSizeCalculator)
        field, note = app.query_one("#calc-n", Input), app.query_one("#calc-n-note")
        results = app.query_one("#calc-results")
        field.focus()
        await pilot.press("end", "backspace", "9")  # 6 -> "" -> 9, no enter
        await pilot.pause()
        nine = trace_conv_output_size(n=9, kernel=3, stride=1, padding=1)
        assert calc.lines[1].strip() == nine.steps[-1].text() and "= 9" in shown(results)
        before = list(calc.lines)
        await pilot.press("backspace", "-")  # on its way to a number: no message, nothing moves
        await pilot.pause()
        assert field.value == "-" and note.said == "" and not field.has_class("-invalid")
        assert calc.lines == before and not results.has_class("-dimmed")
        await pilot.press("backspace", "a", "b", "c")
        await pilot.pause()
        assert note.said == "'abc' is not a number" and field.has_class("-invalid")
        assert calc.lines == before and results.has_class("-dimmed")  # the outputs stay, dimmed


def counted_recomputes(monkeypatch, calculator: type) -> list:
    """A list that grows by one at each recompute of `calculator` from now on."""
    runs: list = []
    real = calculator.recompute
    monkeypatch.setattr(calculator, "recompute", lambda self: runs.append(1) or real(self))
    return runs


async def test_a_calculator_computes_once_as_it_opens_and_once_a_key(monkeypatch):
    """Each input says it changed as it mounts, with the value it was made with; the calculator
    recomputed for each (five times over for the output-size calculator's four fields, each a full
    solver run) before it computes only when what is typed changes."""
    runs = counted_recomputes(monkeypatch, ConvSizeCalculator)
    app = LiveApp(CONV_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert len(runs) == 1, f"{len(runs)} computations on opening"
        calc = app.query_one(ConvSizeCalculator)
        app.query_one("#calc-n", Input).focus()
        await pilot.press("end", "backspace", "9")  # two changes: 6 -> "" (half-typed) -> 9
        await pilot.pause()
        assert len(runs) == 3
        nine = trace_conv_output_size(n=9, kernel=3, stride=1, padding=1)
        assert calc.lines[1].strip() == nine.steps[-1].text()


async def test_a_ticked_box_in_a_calculator_still_recomputes_it(monkeypatch):
    runs = counted_recomputes(monkeypatch, ParamsCalculator)
    app = LiveApp(PARAMS_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        calc = app.query_one(ParamsCalculator)
        before, opened = list(calc.lines), len(runs)
        assert opened == 1
        app.query_one("#calc-bias", Checkbox).toggle()
        await pilot.pause()
        assert len(runs) == 2 and calc.lines != before
