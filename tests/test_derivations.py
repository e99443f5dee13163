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
