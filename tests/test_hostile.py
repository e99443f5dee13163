"""Hostile input, case by case: huge seeds and question numbers, deep or huge TOML, empty and wrong
folders, data folders that cannot be used, huge pooling settings; every exit code of the command line.
(The derivation child's isolation is in test_derivations.py, the folder rules in test_safety.py,
random hostile values in test_fuzz.py.)"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sqlite3
import sys
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from textual.widgets import Input

from test_live_editors import CONV_Q, FORWARD_Q, POOL_Q, LiveApp, grid, type_in
from tutor import cli, progress
from tutor.app import make_app
from tutor.exam import ContentError, load_exam
from tutor.paths import default_content_dir
from tutor.practice import SEED_MAX, make_variant, parse_seed
from tutor.progress import ProgressStore
from tutor.screens.practice import PracticeScreen
from tutor.screens.seed import SeedDialog
from tutor.solver import pool2d
from tutor.widgets.live import PoolingEditor

HUGE_SEED = "1180591620717411303424"  # 2⁷⁰
SEED_RANGE = "seeds run from 0 to 9,223,372,036,854,775,807"


def run(*argv: str, terminal: bool = False) -> tuple[int, str, str]:
    """tutor.cli.main in-process: (status, stdout, stderr). The app itself must never start here."""
    out, err = io.StringIO(), io.StringIO()
    out.isatty = lambda: terminal  # stdout and stdin stand for a terminal, or for none
    stdin = mock.Mock(isatty=lambda: terminal)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), mock.patch.object(sys, "stdin", stdin), \
            mock.patch("tutor.app.make_app", side_effect=AssertionError("the app started")):
        try:
            status = cli.main(list(argv))
        except SystemExit as exit:
            status = exit.code
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return Path(shutil.copytree(default_content_dir(), tmp_path / "content"))


# ---- seeds ---------------------------------------------------------------------------------------


def test_seeds_run_from_zero_to_two_to_the_63_minus_one():
    assert parse_seed("0") == 0 and parse_seed(str(SEED_MAX)) == SEED_MAX == 2**63 - 1
    assert parse_seed(" 9,223,372,036,854,775,807 ") == SEED_MAX
    for bad in (str(2**63), HUGE_SEED, "9" * 5000, "0" * 30 + str(2**63)):
        with pytest.raises(ValueError, match=SEED_RANGE):
            parse_seed(bad)
    assert parse_seed("0" * 5000 + "12") == 12  # leading zeros are not digits of the number (nor int()'s)
    with pytest.raises(ValueError, match="a seed is a whole number from 0 to 9,223,372,036,854,775,807"):
        make_variant(8, 2**63)


@pytest.mark.parametrize("seed", [HUGE_SEED, str(2**63), "9" * 5000])
def test_a_huge_seed_on_the_command_line_is_bad_usage_with_the_range(seed):
    status, out, err = run("--question", "8", "--seed", seed)
    assert status == 2 and out == ""
    assert err.splitlines()[-1].startswith("itm528-tutor: error: argument --seed: '")
    assert err.splitlines()[-1].endswith(f"is not a seed: {SEED_RANGE}")
    assert "int_max_str_digits" not in err and "digits" not in err and len(err) < 500


def test_the_help_says_the_seeds_range():
    status, out, _ = run("--help")
    assert status == 0 and "(0 to 2**63 - 1)" in " ".join(out.split())


async def test_the_largest_seed_is_stored_with_its_check(data_dir):
    """The old crash: a seed SQLite cannot hold, found when the answer was stored."""
    variant = make_variant(8, SEED_MAX)
    part = variant.question.parts[0]
    app = make_app(question=8, seed=SEED_MAX, animations=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen) and app.screen.variant.seed == SEED_MAX
        await pilot.press("enter")
        text = "; ".join(" ".join(f"{v:g}" for v in row) for row in part.answer)
        await pilot.press("ctrl+u", *text, "tab", "space", "shift+tab", "enter")
        await pilot.pause()
    with ProgressStore.open(data_dir) as store:
        assert [r["seed"] for r in store.practice_results(8)] == [SEED_MAX]


async def test_the_seed_dialog_says_the_range_and_refuses_a_huge_seed_where_it_was_typed():
    app = make_app(question=8, seed=1234, animations=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        practice = app.screen
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SeedDialog)
        assert "0 to 9,223,372,036,854,775,807" in str(dialog.query_one("#message").render())
        await pilot.press(*HUGE_SEED, "enter")
        await pilot.pause()
        assert app.screen is dialog  # still asking
        assert str(dialog.query_one("#error").render()) == f"'11805916207174113034…' is not a seed: {SEED_RANGE}"
        assert dialog.query_one(Input).has_class("-invalid")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is practice and practice.variant.seed == 1234  # nothing changed


async def test_s_typed_right_after_q_quits_cleanly_without_a_traceback():
    """`qs` typed fast on a practice screen (one read from the terminal: both keys queued before
    the quit is done) quit with a traceback and status 1: the s opened the seed dialog as the app
    was closing, and the dialog found no box to focus (seen driving the tutor in tmux)."""
    from textual import events

    app = make_app(question=8, seed=1234, animations=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        app.post_message(events.Key("q", "q"))
        app.post_message(events.Key("s", "s"))
        await pilot.pause(0.3)
    assert app.return_code == 0  # (an exception in a handler would have been raised by run_test)


# ---- question numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize("terminal", [False, True], ids=["no terminal", "terminal"])
@pytest.mark.parametrize(("number", "message"), [
    ("11", "itm528-tutor: there is no question 11; the exam has 1, 2, 3, 4, 5, 6, 7, 8, 9, 10"),
    (str(2**64), "argument --question: question numbers run from 1 to 999, not '18446744073709551616'"),
    ("9" * 5000, "argument --question: question numbers run from 1 to 999, not '99999999999999999999…'"),
    ("0", "argument --question: question numbers run from 1 to 999, not '0'"),
    ("zero", "argument --question: 'zero' is not a question number"),
])
def test_a_question_that_is_not_there_is_bad_usage_with_or_without_a_terminal(number, message, terminal):
    status, out, err = run("--question", number, terminal=terminal)
    assert (status, out) == (2, "")
    assert err.splitlines()[-1].endswith(message)


def test_leading_zeros_do_not_count_as_digits():
    status, out, err = run("--question", "0" * 5000 + "8", "progress")
    assert (status, err) == (0, "") and out.startswith("No attempts yet")


def test_the_app_without_a_terminal_is_still_1():
    assert run("--question", "8")[0] == 1
    assert run("--question", "8")[2] == (
        "itm528-tutor: needs a terminal: run it in a terminal, or use a subcommand (see --help)\n")


def test_a_question_number_past_999_is_refused_by_the_content_schema(content):
    q = content / "q10.toml"
    q.write_text(q.read_text(encoding="utf-8").replace("number = 10", f"number = {2**63}"), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_exam(content)
    line = next(n for n, text in enumerate(q.read_text(encoding="utf-8").splitlines(), 1) if text.startswith("number"))
    assert caught.value.problems == [f"q10.toml:{line}: number: expected a whole number from 1 to 999, got integer {2**63}"]
    status, _, err = run("--content", str(content), "check")
    assert status == 1 and "expected a whole number from 1 to 999" in err


# ---- content that is too deep, too big, or not a folder ------------------------------------------


def test_toml_nested_500_deep_is_one_line_from_check_progress_and_the_app(content):
    (content / "q03.toml").write_text('title = "deep"\n\nx = ' + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_exam(content)
    assert caught.value.problems == ["q03.toml:3: toml: too deeply nested"]
    status, out, err = run("--content", str(content), "check")
    assert (status, out) == (1, "") and err.splitlines()[0] == "q03.toml:3: toml: too deeply nested"
    status, out, err = run("--content", str(content), "progress")
    assert (status, out) == (1, "") and "Traceback" not in err and "Recursion" not in err
    status, out, err = run("--content", str(content), "--question", "3", terminal=True)  # the app
    assert (status, out) == (1, "") and err.splitlines()[0] == "q03.toml:3: toml: too deeply nested"


def test_nested_inline_tables_too(content):
    (content / "q03.toml").write_text("x = " + "{a = " * 400 + "1" + "}" * 400 + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_exam(content)
    assert caught.value.problems == ["q03.toml:1: toml: too deeply nested"]


def test_a_huge_file_and_a_pipe_are_not_read(content):
    (content / "q03.toml").write_bytes(b"# " + b"x" * 2_000_000 + b"\n")
    os.mkfifo(content / "q99.toml")  # opening it would wait for a writer forever
    with pytest.raises(ContentError) as caught:
        load_exam(content)
    assert caught.value.problems == [
        "q03.toml:0: file: larger than 1,000,000 bytes; a question file is a few thousand",
        "q99.toml:0: file: is not a regular file",
    ]


def test_content_that_is_a_file_says_so(tmp_path):
    (tmp_path / "exam.toml").write_text("")
    status, out, err = run("--content", str(tmp_path / "exam.toml"), "check")
    assert (status, out) == (1, "")
    assert err.splitlines()[0] == f"{tmp_path / 'exam.toml'}:0: content: is a file, not a folder"
    status, _, err = run("--content", str(tmp_path / "nowhere"), "check")
    assert status == 1 and err.splitlines()[0] == f"{tmp_path / 'nowhere'}:0: content: no such folder"
    status, _, err = run("--content", "a" * 5000, "check")  # a name too long for the system
    assert status == 1 and err.splitlines()[0].endswith(":0: content: cannot be read (File name too long)")


# ---- data folders --------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [("--data-dir", ""), ("--data-dir", "  "), ("progress", "--data-dir", ""),
                                  ("--content", ""), ("reset", "--yes", "--data-dir", "")])
def test_an_empty_folder_name_is_bad_usage(argv):
    status, out, err = run(*argv)
    assert (status, out) == (2, "")
    assert "is empty: name a folder, or leave the option out" in err.splitlines()[-1]


def test_an_empty_environment_variable_counts_as_unset(monkeypatch):
    from tutor import paths

    monkeypatch.setenv("ITM528_TUTOR_DATA_DIR", "")
    assert paths.data_dir() == paths.data_dir(None) != Path("")
    monkeypatch.delenv("ITM528_TUTOR_DATA_DIR")
    unset = paths.data_dir()
    monkeypatch.setenv("ITM528_TUTOR_DATA_DIR", " ")
    assert paths.data_dir() == unset


def newer_file(folder: Path) -> Path:
    folder.mkdir(mode=0o700)
    conn = sqlite3.connect(folder / "progress.sqlite3")
    conn.execute("PRAGMA user_version = 7")
    conn.close()
    return folder / "progress.sqlite3"


@pytest.mark.parametrize("command", [("progress",), ("progress", "--json"), ("reset", "--yes")])
@pytest.mark.parametrize("place", ["open to all", "newer version", "a file"])
def test_progress_and_reset_exit_1_with_the_reason_when_the_store_cannot_be_used(tmp_path, command, place):
    folder = tmp_path / "data"
    if place == "open to all":
        folder.mkdir()
        os.chmod(folder, 0o777)
        reason = f"itm528-tutor: progress will not be saved: progress folder {folder} can be written by its group and others"
    elif place == "newer version":
        path = newer_file(folder)
        before = path.read_bytes()
        reason = f"itm528-tutor: progress file {path} was written by a newer itm528-tutor (schema 7 > {progress.schema_version()})"
    else:
        folder.write_text("")
        reason = f"itm528-tutor: progress will not be saved: cannot create {folder}: it is not a folder"
    status, out, err = run("--data-dir", str(folder), *command)
    assert status == 1
    assert out == ""  # no "No attempts yet", no table of a store that is not the file
    assert err.splitlines()[0].startswith(reason)
    if place == "newer version":
        assert path.read_bytes() == before
    if place == "open to all":
        assert list(folder.iterdir()) == []


def test_a_file_that_cannot_be_written_is_still_shown_but_exits_1(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    with ProgressStore.open(folder) as store:
        a = store.current_attempt()
        store.save_answer(a.id, 1, "a", "true", score=5.0, points=5.0, status="correct")
    real_connect = progress.opening.connect

    def read_only(target, **kwargs):  # root ignores chmod: make the connection read-only instead
        conn = real_connect(target, **kwargs)
        if str(target) == str(folder / "progress.sqlite3"):
            conn.execute("PRAGMA query_only = ON")
        return conn

    monkeypatch.setattr(progress.opening, "connect", read_only)
    status, out, err = run("--data-dir", str(folder), "progress", "--json")
    assert status == 1
    assert err.startswith(f"itm528-tutor: progress will not be saved: cannot write {folder / 'progress.sqlite3'}")
    assert '"1": 5.0' in out  # what the file holds, read from it


async def test_the_app_on_a_refused_folder_keeps_progress_in_memory_and_says_why(tmp_path):
    folder = tmp_path / "open"
    folder.mkdir()
    os.chmod(folder, 0o777)
    app = make_app(data_dir=folder, animations=False)
    said: list[str] = []
    notify = app.notify
    app.notify = lambda message, *args, **kwargs: (said.append(str(message)), notify(message, *args, **kwargs))[1]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.store.saving
        assert said == [
            f"progress will not be saved: progress folder {folder} can be written by its group and others "
            f"(mode 0777): they could swap your answers; make it yours alone (chmod 700 {folder}) or use another folder"
        ]
    assert list(folder.iterdir()) == []


def test_progress_and_reset_of_a_usable_folder_exit_0(tmp_path):
    folder = tmp_path / "data"
    status, out, _ = run("--data-dir", str(folder), "progress")
    assert status == 0 and out.startswith("No attempts yet")
    assert run("--data-dir", str(folder), "reset", "--yes")[0] == 0
    assert run("reset", "--data-dir", str(folder))[0] == 2  # it would have to ask, with no terminal


# ---- the live editors ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "typed", "said"), [
    ("stride", "1e19", "stride: '1e19' is out of range: from 1 to 8"),
    ("stride", "-1e19", "stride: '-1e19' is out of range: from 1 to 8"),
    ("size", "1000000", "size: '1000000' is out of range: from 1 to 8"),
    ("padding", "99", "padding: '99' is out of range: from 0 to 4"),
    ("padding", "9" * 40, "padding: '999999999999…' is out of range: from 0 to 4"),
])
async def test_the_pooling_editor_refuses_huge_settings_where_they_were_typed(name, typed, said):
    app = LiveApp(POOL_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = app.query_one(PoolingEditor)
        y = grid(app, "pool-output")
        before = y.matrix
        app.query_one(f"#pool-{name}", Input).value = typed  # pasted: no good value on the way
        await pilot.pause()
        assert app.query_one("#pool-message").said == said
        assert app.query_one(f"#pool-{name}").has_class("-invalid")
        assert y.dimmed and np.array_equal(y.matrix, before)  # the last good output stays, dimmed
        await type_in(pilot, app.query_one(f"#pool-{name}", Input), "1" if name != "padding" else "0")
        assert editor.error == "" and not y.dimmed
        assert np.array_equal(y.matrix, pool2d(grid(app, "pool-input").matrix, **editor.used).output)


async def test_the_conv_calculator_refuses_huge_sizes_beside_the_field():
    app = LiveApp(CONV_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_in(pilot, app.query_one("#calc-n", Input), "1e19")
        assert app.query_one("#calc-n-note").said == "'1e19' is out of range: from 1 to 99,999"
        await type_in(pilot, app.query_one("#calc-padding", Input), "-1")
        assert app.query_one("#calc-padding-note").said == "'-1' is out of range: from 0 to 99,999"


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
async def test_the_forward_editor_takes_the_largest_numbers_and_says_an_overflow():
    app = LiveApp(FORWARD_Q)
    async with app.run_test(size=(80, 24)) as pilot:
        x = grid(app, "fw-x")
        x.focus()
        await pilot.press(*"1.5e308", "enter")
        await pilot.pause()
        last = app.editor.step_lines[-1]
        assert "0.5×∞ + 0.5×∞" in last and last.endswith("∞")  # the loss overflows: said as ∞
        await pilot.press("right", *"1.5e308", "enter")
        await pilot.pause()
        assert x.matrix.tolist() == [[1.5e308, 1.5e308]]
        assert app.query_one("#fw-message").said == "layer 1 overflowed: its pre-activations are not finite numbers"
        assert app.query_one("#fw-steps").has_class("-dimmed")
