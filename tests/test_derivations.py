"""tutor.derivations: the steps from the child process are those of tutor.symbolic, text for text,
and without a child (no interpreter to run) the derivation is done in this process instead."""

from __future__ import annotations

import sys

import pytest

from tutor import derivations, symbolic


@pytest.fixture
def fresh(monkeypatch):
    """No derivation kept from an earlier test."""
    monkeypatch.setattr(derivations, "_done", {})


@pytest.mark.parametrize("name", symbolic.NAMES)
def test_the_child_gives_the_same_steps_as_sympy_here(fresh, monkeypatch, name):
    monkeypatch.setattr(derivations, "_here", lambda name: pytest.fail("derived here, not in the child"))
    steps = derivations.derivation(name)
    assert [step.text() for step in steps] == [step.text() for step in symbolic.derivation(name)]
    assert derivations.derivation(name) is steps  # kept: no second child


def test_without_a_child_it_derives_here(fresh, monkeypatch):
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    steps = derivations.derivation("gaussian_nll")
    assert [step.text() for step in steps] == [step.text() for step in symbolic.derivation("gaussian_nll")]


def test_an_unknown_name_is_a_key_error(fresh):
    with pytest.raises(KeyError):
        derivations.derivation("no_such_derivation")


# -- the child runs our code only ------------------------------------------------------------------


def plant(folder, marker):
    """A `tutor/` and a `sympy/` in `folder` that leave `marker` behind if anything imports them, and
    whose derivation would print steps of its own."""
    for package in ("tutor", "sympy"):
        (folder / package).mkdir(parents=True)
        (folder / package / "__init__.py").write_text(
            f"open({str(marker)!r}, 'a').write({package!r} + ' imported from ' + __file__ + '\\n')\n"
        )
    (folder / "tutor" / "derivations.py").write_text(
        "import json, sys\n"
        "json.dump([{'label': 'PLANTED', 'formula': '', 'value': '', 'symbolic': ''}], sys.stdout)\n"
    )


def test_a_tutor_package_in_the_current_folder_is_never_imported(fresh, monkeypatch, tmp_path):
    marker = tmp_path / "imported.txt"
    plant(tmp_path / "shared", marker)
    monkeypatch.chdir(tmp_path / "shared")
    monkeypatch.setattr(derivations, "_here", lambda name: pytest.fail("derived here, not in the child"))
    steps = derivations.derivation("softmax_ce_grad")
    assert [step.text() for step in steps] == [step.text() for step in symbolic.derivation("softmax_ce_grad")]
    assert not marker.exists(), marker.read_text()
    assert str(tmp_path / "shared") not in derivations.child_path()


def test_a_tutor_package_on_pythonpath_is_never_imported(fresh, monkeypatch, tmp_path):
    """PYTHONPATH is the student's own: honoured after our folder, so it never replaces `tutor`."""
    marker = tmp_path / "imported.txt"
    plant(tmp_path / "elsewhere", marker)
    (tmp_path / "elsewhere" / "sympy" / "__init__.py").unlink()  # the app's own path: not this test's point
    (tmp_path / "elsewhere" / "sympy").rmdir()
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "elsewhere"))
    monkeypatch.syspath_prepend(str(tmp_path / "elsewhere"))  # as if the app had been started with it
    monkeypatch.setattr(derivations, "_here", lambda name: pytest.fail("derived here, not in the child"))
    steps = derivations.derivation("gaussian_nll")
    assert [step.text() for step in steps] == [step.text() for step in symbolic.derivation("gaussian_nll")]
    assert not marker.exists(), marker.read_text()
    path = derivations.child_path()
    assert path.index(str(tmp_path / "elsewhere")) > 0  # after our own folder


def test_the_child_is_started_isolated():
    command = derivations.child_command("gaussian_nll")
    assert command[:3] == [sys.executable, "-I", "-c"]
    assert "-m" not in command
