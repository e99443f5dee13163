"""The block diagrams of a choice part (question 10(a)): read from the content, checked line by line,
and saying what the choices they draw say."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_exam_loader import edit, line_of, problems

from tutor.exam import Diagram, load_exam
from tutor.paths import default_content_dir
from tutor.widgets.pictures.residual import flow

GOOD = '{ layers = ["weight layer", "ReLU", "weight layer", "ReLU"], join = "add", after = 3 },'


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return Path(shutil.copytree(default_content_dir(), tmp_path / "content"))


def test_question_10a_has_one_diagram_per_choice():
    part = load_exam(prove=False).question(10).parts[0]
    assert part.kind == "choice"
    assert len(part.diagrams) == len(part.choices) == 4
    assert part.diagrams[part.answer] == Diagram(("weight layer", "ReLU", "weight layer", "ReLU"), "add", 3)


def test_each_diagram_draws_what_its_choice_says():
    """The diagram in words is the choice's own text (up to its remark in parentheses)."""
    part = load_exam(prove=False).question(10).parts[0]
    for choice, diagram in zip(part.choices, part.diagrams):
        assert choice.split(" (")[0] == flow(diagram)


def test_a_part_without_diagrams_has_none():
    assert all(not p.diagrams for q in load_exam(prove=False).questions for p in q.parts if q.number != 10)


@pytest.mark.parametrize(
    "new, field, message",
    [
        ('{ layers = ["weight layer"], join = "add", after = 3 },', "after",
         "3 is not a place between the layers (0 to 1)"),
        ('{ layers = ["weight layer", "ReLU"], join = "multiply", after = 1 },', "join",
         "'multiply' is not a way to join (one of add, concatenate)"),
        ('{ layers = ["weight layer", "ReLU"], join = "add" },', "after",
         "missing: a shortcut needs both join and after"),
        ('{ layers = ["weight layer", "ReLU"], after = 1 },', "join",
         "missing: a shortcut needs both join and after"),
        ('{ layers = [] },', "layers", "needs at least one layer, none of them empty"),
        ('{ layers = ["weight layer", " "] },', "layers", "needs at least one layer, none of them empty"),
        ('{ layers = "weight layer" },', "layers", "expected an array of strings, got string 'weight layer'"),
        ('{ join = "add", after = 0 },', "layers", "missing"),
        ('{ layers = ["ReLU"], shortcut = true },', "shortcut", "unknown field"),
    ],
)
def test_a_broken_diagram_is_one_line_naming_its_field(content, new, field, message):
    q10 = content / "q10.toml"
    edit(q10, GOOD, new)
    line = line_of(q10, new)
    assert problems(content) == [f"q10.toml:{line}: parts[a].diagrams[2].{field}: {message}"]


def test_one_diagram_per_choice(content):
    q10 = content / "q10.toml"
    edit(q10, GOOD + "\n", "")
    assert problems(content) == [
        f"q10.toml:{line_of(q10, 'diagrams = [')}: parts[a].diagrams: 3 diagrams for 4 choices: one per choice"
    ]


def test_diagrams_belong_to_choice_parts(content):
    q4 = content / "q04.toml"
    edit(q4, 'kind = "derivation"', 'kind = "derivation"\ndiagrams = []')
    [problem] = problems(content)
    assert problem == f"q04.toml:{line_of(q4, 'diagrams = []')}: parts[c].diagrams: not a field of a derivation part"
