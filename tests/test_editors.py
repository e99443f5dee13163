"""The live editors as the content declares them: the registry (tutor.editors), the loader's and
`check`'s lines for a bad declaration, and what the solver hands the editors (names, windows)."""

from __future__ import annotations

import inspect
import io

import numpy as np
import pytest
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

import tutor.solver as solver
from test_exam_loader import content, edit, line_of, problems  # noqa: F401 (content: a fixture)
from test_live_editors import LAYERS, POOL_X, question
from tutor.check import run_check
from tutor.editors import KINDS, editor_of
from tutor.exam import load_exam
from tutor.widgets.live import BUILDERS, ForwardEditor, MatrixEditor, PoolingEditor, Unavailable, live_editor_for

# ---- the registry -----------------------------------------------------------------------------------


def test_every_kind_has_a_widget_and_every_role_real_solver_calls_and_arguments():
    assert set(BUILDERS) == set(KINDS)
    for kind in KINDS.values():
        for role in kind.roles:
            assert set(role.needs) <= set(role.edits)  # it starts from what it needs
            for call in role.calls:
                assert call in solver.__all__ and callable(getattr(solver, call))
                parameters = inspect.signature(getattr(solver, call)).parameters
                assert set(role.edits) | set(role.needs) | set(role.fed) <= set(parameters), (kind.name, call)
                # what the loader skips when proving: a missing needed argument is the solver's own refusal
                required = {name for name, p in parameters.items() if p.default is inspect.Parameter.empty}
                assert set(role.needs) <= required, (kind.name, call)


def test_the_exam_declares_one_editor_on_each_computational_question():
    declared = {q.number: editor_of(q) for q in load_exam(prove=False).questions}
    kinds = {number: spec.kind.name for number, spec in declared.items() if spec is not None}
    assert kinds == {4: "softmax", 5: "forward", 6: "gradients", 7: "conv_size", 8: "pooling", 9: "params"}
    assert {role: c.name for role, c in declared[5].computations.items()} == {"network": "forward", "loss": "loss_steps"}
    assert {role: c.name for role, c in declared[7].computations.items()} == {"conv": "padded", "transposed": "transposed"}


# ---- a bad declaration is a content error with its file, line and field -------------------------------


def test_an_unknown_editor_names_the_field_and_the_kinds(content):
    q8 = content / "q08.toml"
    edit(q8, 'editor = "pooling"', 'editor = "poolng"')
    assert problems(content) == [
        f"q08.toml:{line_of(q8, 'editor = ')}: computations.pool.editor: 'poolng' is not a live editor "
        "(one of pooling, forward, gradients, softmax, conv_size, params) (did you mean 'pooling'?)"
    ]


def test_a_call_the_editor_does_not_take_is_refused(content):
    q9 = content / "q09.toml"
    edit(q9, 'call = "conv_params"\n', 'call = "conv_params"\neditor = "params"\n')
    [problem] = problems(content)
    assert problem == (
        f"q09.toml:{line_of(q9, 'editor = ')}: computations.plain.editor: the params editor takes "
        "trace_conv_params (plain) or trace_bottleneck_params (bottleneck), not conv_params"
    )


def test_a_role_filled_twice_and_a_role_left_empty_are_said(content):
    q7 = content / "q07.toml"
    edit(q7, 'call = "trace_conv_transpose_output_size"\neditor = "conv_size"\n',
         'call = "trace_conv_transpose_output_size"\n')
    text = q7.read_text(encoding="utf-8").replace(
        '[computations.strided]\ncall = "trace_conv_output_size"\n',
        '[computations.strided]\ncall = "trace_conv_output_size"\neditor = "conv_size"\n')
    q7.write_text(text, encoding="utf-8")
    found = problems(content)
    assert [p.split(": ", 1)[1] for p in found] == [
        "computations.strided.editor: the conv_size editor already has its conv in computations.padded",
        "computations.padded.editor: the conv_size editor needs a trace_conv_transpose_output_size "
        'computation too (its transposed), with editor = "conv_size"',
    ]


def test_two_editors_on_one_question_are_refused(content):
    q5 = content / "q05.toml"
    edit(q5, 'call = "trace_half_squared_error"\neditor = "forward"', 'call = "trace_half_squared_error"\neditor = "softmax"')
    [problem] = problems(content)
    assert problem.endswith("computations.loss_steps.editor: 'softmax', but computations.forward is on the forward "
                            "editor: a question has one live editor")


def test_a_missing_argument_is_the_editors_at_start_up_and_the_solvers_when_proving(content):
    q8 = content / "q08.toml"
    edit(q8, "args = { x = [[1, 3, 2, 4], [5, 6, 7, 8], [9, 2, 1, 5], [4, 3, 6, 7]], size",
         "args = { y = [[1, 3, 2, 4], [5, 6, 7, 8], [9, 2, 1, 5], [4, 3, 6, 7]], size")
    [at_start] = problems(content, prove=False)
    assert at_start.endswith("computations.pool.editor: the pooling editor needs args x of pool2d "
                             "(the exam's numbers it starts from)")
    proving = problems(content)
    assert proving[0].endswith("computations.pool: the solver call pool2d(...) failed: TypeError: "
                               "pool2d() got an unexpected keyword argument 'y'")
    assert not any(".editor:" in p for p in proving)  # said once, by the solver


def test_a_loss_that_cannot_take_the_networks_output_fails_the_check(content):
    q5 = content / "q05.toml"
    edit(q5, 'editor = "forward"\nargs = { t = [1.0, 0.5], o = [0.0, -1.5] }',
         'editor = "forward"\nargs = { t = [1.0, 0.5, 2.0], o = [0.0, -1.5, 1.0] }')
    out, err = io.StringIO(), io.StringIO()
    assert run_check(content, out=out, err=err) == 1
    assert err.getvalue().splitlines()[0] == (
        f"q05.toml:{line_of(q5, '[computations.loss_steps]') + 2}: computations.loss_steps.editor: the forward editor cannot start "
        "from the exam's numbers: targets t (3) and outputs o (2) differ in shape"
    )


# ---- the widgets: never silently missing, never a traceback ---------------------------------------------


def test_a_declaration_the_loader_refuses_raises_for_a_question_built_by_hand():
    with pytest.raises(ValueError, match=r"computations\.p\.editor: the pooling editor takes pool2d \(pool\), "
                                         r"not trace_conv_params"):
        live_editor_for(question("pooling", p=("trace_conv_params", {"in_channels": 1})))


def test_exam_numbers_the_solver_refuses_give_a_line_in_the_editors_place():
    broken = question("pooling", pool=("pool2d", {"x": POOL_X, "size": 9}))
    shown = live_editor_for(broken)
    assert isinstance(shown, Unavailable)
    assert shown.reason == "computations.pool: pooling window 9 is larger than the padded input 4×4"


class One(App):
    def __init__(self, editor):
        super().__init__()
        self.editor = editor

    def compose(self) -> ComposeResult:
        with VerticalScroll(can_focus=False):
            yield self.editor


async def test_the_forward_editor_names_cells_as_the_solver_does_two_digit_indices_too():
    wide = [[[0.1] * 11 for _ in range(10)], [0.0] * 11, "relu"]  # 10 inputs, 11 hidden units, no names
    q = question("forward", net=("mlp_forward", {"x": [1.0] * 10, "layers": [wide]}))
    names = solver.mlp_forward([1.0] * 10, [wide]).names
    assert names["weights"][0][9][10] == "w⁽¹⁾₁₀,₁₁"  # the solver's: a comma once an index has two digits
    app = One(live_editor_for(q))
    async with app.run_test(size=(120, 40)):
        editor = app.query_one(ForwardEditor)
        weights = app.query_one("#fw-W1", MatrixEditor)
        assert weights.cell_name(9, 10) == "w⁽¹⁾₁₀,₁₁"
        assert editor.names == names
        assert "z⁽¹⁾₁₁ = " in editor.diagram_text


async def test_the_forward_editor_takes_its_target_names_from_the_loss():
    q = question(
        "forward",
        net=("mlp_forward", {"x": [2.0, -1.0], "layers": LAYERS}),
        loss=("trace_half_squared_error", {"t": [1.0, 0.5], "o": [0.0, 0.0]}, {"names": {"targets": ["y₁", "y₂"]}}),
    )
    app = One(live_editor_for(q))
    async with app.run_test(size=(80, 24)):
        editor = app.query_one(ForwardEditor)
        assert app.query_one("#fw-t", MatrixEditor).cell_name(0, 1) == "y₂"
        assert "½(y₁ − o₁)²" in "\n".join(editor.step_lines)


@pytest.mark.parametrize(("size", "stride", "padding", "mode"), [(3, 2, 1, "max"), (2, 1, 1, "avg"), (3, 3, 0, "max")])
async def test_the_pooling_editor_marks_the_solvers_window_cells(size, stride, padding, mode):
    x = np.arange(25, dtype=float).reshape(5, 5) % 7
    q = question("pooling", pool=("pool2d", {"x": x.tolist(), "size": size, "stride": stride,
                                             "padding": padding, "mode": mode}))
    app = One(live_editor_for(q))
    async with app.run_test(size=(80, 40)) as pilot:
        editor = app.query_one(PoolingEditor)
        output = app.query_one("#pool-output", MatrixEditor)
        result = solver.pool2d(x, size, stride, padding, mode)
        for row, col in np.ndindex(result.output.shape):
            output.cursor = (row, col)
            await pilot.pause()
            top, left = row * stride - padding, col * stride - padding  # brute force, in input coordinates
            cells = {(r, c) for r in range(top, top + size) for c in range(left, left + size)
                     if 0 <= r < 5 and 0 <= c < 5}
            marks = app.query_one("#pool-input", MatrixEditor).highlights
            assert set(marks) == cells
            if mode == "max":
                best = max(cells, key=lambda cell: (x[cell], -cell[0], -cell[1]))  # the first maximum
                assert [cell for cell, kind in marks.items() if kind == "winner"] == [best]
                assert f"won by row {best[0] + 1}, col {best[1] + 1}" in editor.current_line
            else:
                assert set(marks.values()) == {"window"} and "won by" not in editor.current_line
