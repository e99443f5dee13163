"""Formula parts in the content: broken copies of question 6 give one clear line each, and the
check proves every example formula right or wrong against the solver (tutor.formula_content,
tutor.exam, `itm528-tutor check`)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from tutor.check import run_check
from tutor.exam import ContentError, load_exam
from tutor.paths import default_content_dir


@pytest.fixture
def q6(tmp_path: Path) -> Path:
    return Path(shutil.copytree(default_content_dir(), tmp_path / "content")) / "q06.toml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, needle: str, after: int = 0) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if number > after and needle in line:
            return number
    raise AssertionError(needle)


def problems(path: Path, prove: bool = True) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_exam(path.parent, prove=prove)
    return caught.value.problems


def part_line(path: Path, label: str, needle: str) -> int:
    return line_of(path, needle, line_of(path, f'label = "{label}"'))


def test_an_accepted_example_that_is_wrong_is_found_by_the_check(q6):
    edit(q6, 'accept = [\n  "delta1^T h1^T",', 'accept = [\n  "h1^T delta1^T", "delta1^T h1^T",')
    assert problems(q6) == [
        f"q06.toml:{part_line(q6, 'a', 'accept = [')}: parts[a].accept: 'h1^T delta1^T' should earn full marks"
        " but earns 0: h₁ᵀδ₁ᵀ does not conform: 1×d_h times n_c×1."]
    load_exam(q6.parent, prove=False)  # only proving sees it


def test_a_rejected_example_that_is_right_and_a_wrong_key_formula(q6):
    edit(q6, 'reject = [\n  "n_c×1",', 'reject = [\n  "delta1", "n_c×1",')
    edit(q6, 'answer = "δ₂ᵀxᵀ"', 'answer = "δ₂xᵀ"')
    found = problems(q6)
    assert found[0] == (f"q06.toml:{part_line(q6, 'b', 'reject = [')}: parts[b].reject: 'delta1' should be rejected"
                        " but earns full marks: δ₁ is 1×n_c ✓: the transpose of ∂J/∂b₂ (n_c×1), which the rubric"
                        " counts as correct.")
    assert found[1].startswith(f"q06.toml:{line_of(q6, 'answer = ')}: parts[c].answer: 'δ₂xᵀ' should earn full marks"
                               " but earns 0: δ₂xᵀ does not conform") or "parts[c].answer" in found[1]
    assert len(found) == 2


def test_an_example_that_does_not_read_is_found_by_the_check_and_not_read_at_start_up(q6):
    edit(q6, '"delta2^T x^T", "d2\' x\'",', '"delta2^T x^T +", "d2\' x\'",')
    assert problems(q6) == [  # proving (`check`, the tests): the line, before any proof of it
        f"q06.toml:{part_line(q6, 'c', 'accept = [')}: parts[c].accept: 'delta2^T x^T +' does not read as an"
        " answer: the formula ends after '+': something is missing"]
    # start-up reads no example (they are the check's, and reading them cost most of the loading
    # before the first screen): the part is still there, its examples kept as written
    part = load_exam(q6.parent, prove=False).question(6).parts[2]
    assert "delta2^T x^T +" in part.formula.accept


@pytest.mark.parametrize(("old", "new", "message"), [
    ("{ d_x = 3, d_h = 4, n_c = 2, seed = 6 }", "{ d_x = 3, d_h = 3, n_c = 2, seed = 6 }",
     "draws[1]: the sizes must differ and be at least 2, so that a wrong orientation or a missing transpose"
     " cannot pass by accident"),
    ("{ d_x = 5, d_h = 3, n_c = 4, seed = 7 }", "{ d_x = 5, d_h = 3, seed = 7 }",
     "draws[2].n_c: missing: a size for every dimension of the symbols"),
    ("{ d_x = 5, d_h = 3, n_c = 4, seed = 7 }", "{ d_x = 5, d_h = 3, n_c = 4, d_y = 6, seed = 7 }",
     "draws[2].d_y: not a dimension of any symbol (d_h, d_x, n_c)"),
    ("{ d_x = 5, d_h = 3, n_c = 4, seed = 7 }", "{ d_x = 5, d_h = 3, n_c = 4 }", "draws[2].seed: missing: a whole number 0 or more"),
    ('{ name = "δ₂", shape = "1×d_h", select = "delta2" }', '{ name = "δ₂", shape = "1 by d_h", select = "delta2" }',
     "symbols[δ₂].shape: '1 by d_h' is not a shape such as 'd_h×1' (or 'identity')"),
    ('{ name = "δ₂", shape = "1×d_h", select = "delta2" }', '{ name = "δ₂", shape = "1×d_h" }',
     "symbols[δ₂]: needs one of select (a path into the result) or arg (a drawn argument)"),
    ('{ name = "I", shape = "identity" }', '{ name = "I", shape = "identity", arg = "I" }',
     "symbols[I].arg: the identity takes its size from the formula, not from the solver"),
    ('{ name = "b₁", shape = "d_h×1", arg = "b1" }', '{ name = "b₁", shape = "d_h×1", select = "b1", one_hot = true }',
     "symbols[b₁].one_hot: only a drawn argument (arg) can be one-hot"),
    ('{ name = "z₂", shape = "n_c×1", select = "z2" }', '{ name = "z₂", shape = "n_c×1", select = "z2", aliases = ["Z"] }',
     "symbols[z₂].note: missing: what the feedback says when an alias is used"),
    ('{ name = "z₂", shape = "n_c×1", select = "z2" }', '{ name = "x", shape = "n_c×1", select = "z2" }',
     "symbols[x].name: 'x' is also an earlier symbol"),
    ('\nshape = "d_h×1"', '\nshape = "d_h×d_y"', "parts[d].shape: d_y is not a dimension of the symbols"),
])
def test_a_broken_symbol_or_draw_gives_one_line(q6, old, new, message):
    edit(q6, old, new)
    found = problems(q6, prove=False)
    assert len(found) == 1 and found[0].split(": ", 1)[1] == message, found
    assert found[0].startswith("q06.toml:") and int(found[0].split(":")[1]) > 1


def test_a_symbol_bound_to_a_value_of_another_shape_is_found_once(q6):
    edit(q6, '{ name = "δ₁", shape = "1×n_c", select = "delta1" }', '{ name = "δ₁", shape = "1×n_c", select = "probabilities" }')
    assert problems(q6) == [
        f"q06.toml:{line_of(q6, 'symbols = [')}: symbols: δ₁ is 1×n_c = (1, 2) on draw 1, but the result at"
        " 'probabilities' has shape (2, 1)"]


def test_formula_parts_need_the_questions_symbols_and_draws(q6):
    text = q6.read_text(encoding="utf-8")
    start, end = text.index("symbols = ["), text.index("# Two draws")
    q6.write_text(text[:start] + text[end:], encoding="utf-8")
    assert problems(q6, prove=False) == ["q06.toml:1: symbols: missing: formula parts are evaluated on the question's"
                                         " symbols and draws"]


def test_the_check_command_prints_the_problem_and_fails(q6):
    edit(q6, 'reject = [\n  "d_x×1",', 'reject = [\n  "W^T d2^T", "d_x×1",')
    out, err = io.StringIO(), io.StringIO()
    assert run_check(q6.parent, out=out, err=err) == 1
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("q06.toml:") and "parts[e].reject: 'W^T d2^T' should be rejected but earns full marks" in lines[0]
    assert lines[-1] == "itm528-tutor: the content has 1 problem"
