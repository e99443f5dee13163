"""Hostile values everywhere a student (or anyone) can type: the command line's arguments and the live
editors' cells and settings. Every outcome is a message or a result, never a traceback.

The command line runs in-process (`tutor.cli.main`) with its data folders in a temporary folder; the
editors run in the real widgets at 80×24 (an exception in a handler fails the test when the app
ends). max_examples keeps each test to a few seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import sqlite3
import sys
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Checkbox, Input, Select

from test_live_editors import CONV_Q, FORWARD_Q, GRADS_Q, PARAMS_Q, POOL_Q, SOFTMAX_Q
from tutor import cli
from tutor.widgets.live import LiveEditor, MatrixEditor, live_editor_for
from tutor.widgets.live.base import Note

HOSTILE_NUMBERS = [
    "", " ", "0", "-0", "-1", "1", "2", "3", "11", "1e19", "-1e19", "1e308", "-1e308", "1e309", "1e-320",
    str(2**63 - 1), str(2**63), str(2**64), "1180591620717411303424", "9" * 400, "9" * 5000,
    "nan", "inf", "-inf", "∞", "−5", "1/0", "0/0", "1e19/1e-300", "3.5", "2**64", "1e19x", "٣", "1_0",
    "18,446,744,073,709,551,616", "0x10", "\x00", "1\n2", "+", "-", ".", "1e", "1e99999", "+-5", "--5", "0" * 5000 + "7",
]
hostile_text = st.one_of(
    st.sampled_from(HOSTILE_NUMBERS),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats().map(repr),
    st.text(max_size=16),
)
# What internals look like: none of it may reach a message.
INTERNALS = ("Traceback", "Error:", "Error(", "sys.set_int_max_str_digits", "int_max_str_digits", "C long",
             "C ssize_t", "maximum recursion", "embedded null", "Exceeds the limit", "<class ", "object at 0x",
             "invalid _")  # argparse's "invalid _question_number value": a function's name


def assert_plain(text: str) -> None:
    for sign in INTERNALS:
        assert sign not in text, text


# ---- the command line ----------------------------------------------------------------------------


@pytest.fixture
def places(tmp_path, monkeypatch) -> dict[str, str]:
    """Folders of every kind in tmp_path (the current folder, so relative names land there too)."""
    monkeypatch.chdir(tmp_path)
    open_to_all = tmp_path / "open"
    open_to_all.mkdir()
    os.chmod(open_to_all, 0o777)
    newer = tmp_path / "newer"
    newer.mkdir()
    conn = sqlite3.connect(newer / "progress.sqlite3")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    (tmp_path / "afile").write_text("not a folder")
    deep = tmp_path / "deep"
    deep.mkdir()
    (deep / "exam.toml").write_text('title = "x"\ntotal = 1\n')
    (deep / "q01.toml").write_text("x = " + "[" * 500 + "]" * 500 + "\n")
    return {"open": str(open_to_all), "newer": str(newer), "file": str(tmp_path / "afile"),
            "deep": str(deep), "nested": str(tmp_path / "a" / "b" / "c"), "long": "a" * 300}


def data_dirs(places):
    safe_names = st.text(st.characters(blacklist_characters="/~\\", blacklist_categories=("Cs",)), max_size=12)
    return st.one_of(st.sampled_from([*places.values(), "", " ", "\x00"]), safe_names)


def contents(places):
    return st.sampled_from(["", " ", places["file"], places["deep"], places["nested"], places["long"], "nowhere"])


def sometimes_hostile(usual: list[str]):
    """Mostly a usual value (so the command runs on), else a hostile one."""
    return st.one_of(st.sampled_from(usual), st.sampled_from(usual), hostile_text)


@st.composite
def argvs(draw, places):
    argv: list[str] = []
    if draw(st.integers(0, 2)) == 0:
        argv += ["--question", draw(sometimes_hostile(["1", "8", "10"]))]
    if draw(st.integers(0, 3)) == 0:
        argv += ["--seed", draw(sometimes_hostile(["0", "1234", str(2**63 - 1)]))]
    if draw(st.booleans()):
        argv += ["--data-dir", draw(data_dirs(places))]
    if draw(st.integers(0, 3)) == 0:
        argv += ["--content", draw(contents(places))]
    command = draw(st.sampled_from([None, "progress", "reset", "check"]))
    if command:
        argv.append(command)
        if command in ("progress", "check") and draw(st.booleans()):
            argv.append("--json")
        if command == "reset":
            argv.append("--yes")
        if draw(st.booleans()):
            argv += ["--data-dir", draw(data_dirs(places))]
    return argv


def run_main(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            mock.patch.object(sys, "stdin", io.StringIO()):  # no terminal: the app itself never starts
        try:
            status = cli.main(argv)
        except SystemExit as exit:  # argparse: usage errors, --help
            status = exit.code
    return status, out.getvalue(), err.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hostile_arguments_get_a_message_or_a_result(places, data):
    argv = data.draw(argvs(places))
    status, out, err = run_main(argv)
    assert status in (0, 1, 2), (argv, status, err)
    assert_plain(out + err)
    if status:
        assert err.strip(), argv  # a failure always says why
        assert all(len(line) < 400 for line in err.splitlines() if not line.startswith(places["long"])), err


# ---- the live editors ----------------------------------------------------------------------------

QUESTIONS = [POOL_Q, FORWARD_Q, CONV_Q, PARAMS_Q, SOFTMAX_Q, GRADS_Q]


class EveryEditor(App):
    """The six live editors in one scrolling pane, so one app serves every example."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(can_focus=False):
            for question in QUESTIONS:
                yield live_editor_for(question, seed=7)


@st.composite
def edits(draw):
    """A few edits: (kind, which, text); which picks a field or a cell by index."""
    kinds = st.sampled_from(["field", "cell", "cell", "resize", "mode", "flag"])
    return draw(st.lists(st.tuples(kinds, st.integers(0, 99), hostile_text), min_size=1, max_size=8))


async def apply(pilot, editor: LiveEditor, plan) -> str:
    """Put the exam's numbers back, make the edits, recompute after each; what the notes say then."""
    editor.reset()
    fields = list(editor.query(Input))
    grids = [grid for grid in editor.query(MatrixEditor) if not grid.read_only]
    for kind, which, text in plan:
        if kind == "field" and fields:
            fields[which % len(fields)].value = text
        elif kind == "cell" and grids:
            grid = grids[which % len(grids)]
            rows, cols = grid.shape
            grid.cursor = ((which // 7) % rows, which % cols)
            grid.start_editing(text)
            grid.commit()
        elif kind == "resize" and grids:
            grid = grids[which % len(grids)]
            (grid.action_add_row, grid.action_add_column, grid.action_remove_row,
             grid.action_remove_column)[which % 4]()
        elif kind == "mode":
            for select in editor.query(Select):
                select.value = ("max", "avg")[which % 2]
        elif kind == "flag":
            for box in editor.query(Checkbox):
                box.value = not box.value
        editor.recompute()  # at once, on this state (the Changed messages recompute the last one again)
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return "\n".join(note.said for note in editor.query(Note))


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")  # numpy's: shown as ∞ or said
async def test_hostile_cells_and_settings_get_a_message_or_a_result():
    """Hypothesis runs in a thread and hands each example to the running app (call_from_thread):
    one app for all examples, so a hundred of them take seconds. A handler that raised would end
    the app (return_code 1), and leaving run_test re-raises what it raised."""
    app = EveryEditor()
    async with app.run_test(size=(80, 24)) as pilot:
        editors = list(app.query(LiveEditor))
        assert len(editors) == len(QUESTIONS)

        @settings(max_examples=25, deadline=None, database=None)
        @given(which=st.integers(0, len(editors) - 1), plan=edits())
        def example(which, plan):
            said = app.call_from_thread(apply, pilot, editors[which], plan)
            assert app.return_code is None and app.is_running, (type(editors[which]).__name__, plan)
            assert_plain(said)

        await asyncio.to_thread(example)
