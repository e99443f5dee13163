"""load_exam on broken copies of the content: every problem of every file, one GNU-style line each."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tutor.content_schema import FieldLines
from tutor.exam import Computation, ContentError, evaluate, load_exam, select
from tutor.paths import default_content_dir

CONTENT = default_content_dir()


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A fresh copy of the real content, to break."""
    return Path(shutil.copytree(CONTENT, tmp_path / "content"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, needle: str, after: int = 0) -> int:
    """The 1-based number of the first line after line `after` that contains `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if number > after and needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path.name}")


def problems(content: Path, **kwargs) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_exam(content, **kwargs)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def test_the_real_content_and_the_copy_load(content):
    assert load_exam(content).total == load_exam().total == 100
    assert load_exam(str(content), prove=False).question(5).parts[1].line > 0


# ------------------------------------------------------------------------- bytes and TOML syntax


def test_broken_toml_gives_tomllibs_line(content):
    q3 = content / "q03.toml"
    edit(q3, 'title = "Overfitting"', 'title = "Overfitting')
    line = line_of(q3, 'title = "Overfitting')
    [problem] = problems(content)
    assert problem.startswith(f"q03.toml:{line}: toml: ")
    assert "column" in problem


def test_toml_broken_at_the_end_of_the_file(content):
    q3 = content / "q03.toml"
    q3.write_text(q3.read_text(encoding="utf-8") + "extra = [1, 2\n", encoding="utf-8")
    [problem] = problems(content)
    assert problem.startswith("q03.toml:") and ": toml: " in problem and "end of the file" in problem


def test_byte_order_mark_is_reported_and_the_rest_still_checked(content):
    q2 = content / "q02.toml"
    q2.write_bytes(b"\xef\xbb\xbf" + q2.read_bytes().replace(b"points = 14", b"points = 15"))
    assert problems(content) == [
        "q02.toml:1: encoding: starts with a byte-order mark; save it as UTF-8 without one",
        f"q02.toml:{line_of(q2, 'points = 15')}: points: 15 but the parts add up to 14",
        f"exam.toml:{line_of(content / 'exam.toml', 'total =')}: total: 100 but the questions add up to 101",
    ]


def test_bad_utf8_names_the_line(content):
    q4 = content / "q04.toml"
    line = line_of(q4, 'title = "Softmax regression"')
    q4.write_bytes(q4.read_bytes().replace(b'title = "Softmax', b'title = "\xffSoftmax'))
    assert problems(content) == [f"q04.toml:{line}: encoding: not valid UTF-8 (byte 0xff)"]


# --------------------------------------------------------------------- fields: missing, unknown, types


def test_missing_fields(content):
    q1, q8 = content / "q01.toml", content / "q08.toml"
    edit(q1, 'title = "True or false"\n', "")
    edit(q8, "rubric = '''\n6 points", "rubric_text = '''\n6 points")
    part = line_of(q8, "[[parts]]")
    found = problems(content)
    assert "q01.toml:1: title: missing" in found
    assert f"q08.toml:{part}: parts[a].rubric: missing" in found
    assert f"q08.toml:{line_of(q8, 'rubric_text')}: parts[a].rubric_text: unknown field (did you mean 'rubric'?)" in found


def test_unknown_fields_everywhere(content):
    q5, q2, exam = content / "q05.toml", content / "q02.toml", content / "exam.toml"
    edit(exam, "minutes = 180", "minutes = 180\nduration = 3")
    edit(q5, "number = 5", "number = 5\nauthor = \"us\"")
    edit(q5, '{ name = "h₂", answer = -0.5, select = "pre.0.1" }', '{ name = "h₂", answer = -0.5, selct = "pre.0.1" }')
    edit(q5, 'call = "half_squared_error"', 'call = "half_squared_error"\nargz = 1')
    edit(q2, 'name = "first term constant"\npoints = 1\n', 'name = "first term constant"\npts = 1\npoints = 1\n')
    found = problems(content)
    assert found == [
        f"exam.toml:{line_of(exam, 'duration')}: duration: unknown field",
        f"q02.toml:{line_of(q2, 'pts = 1')}: parts[b].terms[1].pts: unknown field (did you mean 'points'?)",
        f"q05.toml:{line_of(q5, 'author')}: author: unknown field",
        f"q05.toml:{line_of(q5, 'argz')}: computations.loss.argz: unknown field (did you mean 'args'?)",
        f"q05.toml:{line_of(q5, 'selct')}: parts[b].blanks[h₂].selct: unknown field (did you mean 'select'?)",
    ]


def test_a_field_of_another_kind(content):
    q6 = content / "q06.toml"
    edit(q6, '\nshape = "n_c×1"', '\nshape = "n_c×1"\nchoices = ["a", "b"]')
    assert problems(content) == [f"q06.toml:{line_of(q6, 'choices')}: parts[b].choices: not a field of a formula part"]


def test_wrong_types(content):
    q2, q9, q10 = content / "q02.toml", content / "q09.toml", content / "q10.toml"
    edit(q2, "points = 4\nkind", 'points = "4"\nkind')
    edit(q9, "answer = 3040", "answer = [3040]")
    edit(q10, "answer = 1\n", "answer = true\n")
    found, line = problems(content), line_of(q2, 'points = "4"')
    assert f"q02.toml:{line}: parts[b].points: expected a finite number, got string '4'" in found
    assert f"q09.toml:{line_of(q9, 'answer = [3040]')}: parts[b].answer: expected a finite number, got array [3040]" in found
    assert f"q10.toml:{line_of(q10, 'answer = true')}: parts[a].answer: expected an integer, got boolean True" in found


def test_unknown_kind(content):
    q3 = content / "q03.toml"
    edit(q3, 'points = 2\nkind = "text"', 'points = 2\nkind = "essay"')
    line = line_of(q3, 'kind = "essay"')
    assert problems(content) == [
        f"q03.toml:{line}: parts[a].kind: unknown kind 'essay' (one of true_false, number, values, matrix, "
        "choice, shape, text, derivation, formula)"
    ]


# ------------------------------------------------------------------------- numbers, labels, points


def test_duplicate_question_number_and_part_label(content):
    q7, q10 = content / "q07.toml", content / "q10.toml"
    edit(q7, "number = 7", "number = 6")
    edit(q10, 'label = "b"', 'label = "a"')
    second = line_of(q10, 'label = "a"', line_of(q10, 'label = "a"'))
    assert problems(content) == [
        f"q07.toml:{line_of(q7, 'number = 6')}: number: 6 is also the number of q06.toml",
        f"q10.toml:{second}: parts[a].label: "
        "'a' is also the label of part 1",
    ]


def test_part_points_must_add_up_and_so_must_the_questions(content):
    q4, exam = content / "q04.toml", content / "exam.toml"
    edit(q4, "points = 12", "points = 11")
    assert problems(content) == [
        f"q04.toml:{line_of(q4, 'points = 20')}: points: 20 but the parts add up to 19",
    ]
    edit(q4, "points = 20", "points = 19")
    edit(exam, "total = 100", "total = 90")
    assert problems(content) == [
        f"exam.toml:{line_of(exam, 'total = 90')}: total: 90 but the questions add up to 99",
    ]


def test_rules_of_the_kinds(content):
    q2, q10, q6 = content / "q02.toml", content / "q10.toml", content / "q06.toml"
    edit(q2, 'name = "squared error remains"\npoints = 1.5\n', 'name = "squared error remains"\npoints = 2\n')
    edit(q10, "answer = 1\n", "answer = 4\n")
    edit(q6, '\nshape = "d_h×d_x"', '\nshape = "d_h by d_x"')
    found = problems(content)
    assert f"q02.toml:{line_of(q2, '[[parts.terms]]')}: parts[b].terms: add up to 4.5 points, not the part's 4" in found
    assert f"q10.toml:{line_of(q10, 'answer = 4')}: parts[a].answer: 4 is not an option's index (0 to 3)" in found
    assert f"q06.toml:{line_of(q6, 'd_h by d_x')}: parts[c].shape: 'd_h by d_x' is not a shape such as 'n_c×d_h'" in found


# ------------------------------------------------------------------------------ computations and proofs


def test_a_call_that_is_not_a_solver_function(content):
    q9 = content / "q09.toml"
    edit(q9, 'call = "bottleneck_params"', 'call = "bottleneck_param"')
    edit(q9, 'call = "conv_params"', 'call = "Traced"')
    bottleneck = line_of(q9, 'bottleneck_param"')
    assert problems(content) == [
        f"q09.toml:{line_of(q9, 'Traced')}: computations.plain.call: 'Traced' is not a tutor.solver function",
        f"q09.toml:{bottleneck}: computations.bottleneck.call: "
        "'bottleneck_param' is not a tutor.solver function",
    ]


def test_a_call_that_fails_gives_the_solvers_message(content):
    q8 = content / "q08.toml"
    edit(q8, 'mode = "max"', 'mode = "median"')
    edit(content / "q07.toml", "n = 3, kernel = 4", "n = 3, kernal = 4")
    found = problems(content)
    assert found[0].startswith(f"q07.toml:{line_of(content / 'q07.toml', '[computations.transposed]')}: "
                               "computations.transposed: the solver call trace_conv_transpose_output_size(...) "
                               "failed: TypeError: ")
    assert found[1] == (
        f"q08.toml:{line_of(q8, '[computations.pool]')}: computations.pool: the solver call pool2d(...) "
        "failed: ValueError: unknown pooling mode 'median': use 'max' or 'avg'"
    )
    assert len(found) == 2  # the part proven by the failed call is not compared again


def test_source_and_select_must_resolve(content):
    q5, q9 = content / "q05.toml", content / "q09.toml"
    edit(q5, 'select = "post.0.0"', 'select = "post.3.0"')
    edit(q5, 'select = "output.1"', 'select = "outputs.1"')
    edit(q9, 'source = "plain"', 'source = "plane"')
    assert problems(content) == [
        f"q05.toml:{line_of(q5, 'post.3.0')}: parts[b].blanks[h₃].select: 'post.3.0' does not resolve in "
        "computations.forward: index 3 is out of range (length 2)",
        f"q05.toml:{line_of(q5, 'outputs.1')}: parts[b].blanks[o₂].select: 'outputs.1' does not resolve in "
        "computations.forward: 'outputs' is not a field, key or index of ForwardResult",
        f"q09.toml:{line_of(q9, 'plane')}: parts[a].source: no computation named 'plane' (did you mean 'plain'?)",
    ]


def test_steps_and_examples_must_name_computations_or_derivations(content):
    q4, q7 = content / "q04.toml", content / "q07.toml"
    edit(q4, 'steps = "symbolic:softmax_ce_grad"', 'steps = "symbolic:softmax_grad"')
    edit(q4, 'example = "grad"', 'example = "gard"')
    edit(q7, 'steps = "strided"', 'steps = "stride"')
    stride = line_of(q7, 'steps = "stride"')
    assert problems(content) == [
        f"q04.toml:{line_of(q4, 'symbolic:softmax_grad')}: parts[c].steps: 'symbolic:softmax_grad' is not a "
        "derivation of tutor.symbolic (one of gaussian_nll, softmax_ce_grad)",
        f"q04.toml:{line_of(q4, 'example =')}: parts[c].example: no computation named 'gard' (did you mean 'grad'?)",
        f"q07.toml:{stride}: parts[b].steps: no computation named 'stride' "
        "(did you mean 'strided'?)",
    ]


def test_answers_that_differ_from_the_solver(content):
    q5, q6, q8, q9 = (content / f"q0{n}.toml" for n in (5, 6, 8, 9))
    edit(q9, "answer = 18432", "answer = 18433")
    edit(q5, "answer = -0.5, select", "answer = -0.25, select")
    edit(q8, "answer = [[6, 8], [9, 7]]", "answer = [[6, 8], [9, 8]]")
    edit(q6, 'select = "W2"', 'select = "b2"')
    w2 = line_of(q6, 'shape = "n_c×d_h"', line_of(q6, "[[parts]]"))
    assert problems(content) == [
        f"q05.toml:{line_of(q5, '-0.25')}: parts[b].blanks[h₂].answer: -0.25 but the solver gives -0.5 "
        "(computations.forward at 'pre.0.1')",
        f"q06.toml:{w2}: parts[a].shape: n_c×d_h is (2, 4) on draw 1, but the result at 'b2' has shape (2, 1)",
        f"q08.toml:{line_of(q8, 'answer = [[6, 8], [9, 8]]')}: parts[a].answer: [[6, 8], [9, 8]] but the solver "
        "gives [[6, 8], [9, 7]] (computations.pool at 'output')",
        f"q09.toml:{line_of(q9, '18433')}: parts[a].answer: 18433 but the solver gives 18432 (computations.plain)",
    ]


def test_tolerance_allows_rounding(content):
    q5 = content / "q05.toml"
    edit(q5, "answer = 2.5\n", "answer = 2.49\ntolerance = 0.01\n")
    load_exam(content)


def test_without_prove_the_solver_is_not_asked(content):
    edit(content / "q09.toml", "answer = 18432", "answer = 18433")
    assert load_exam(content, prove=False).question(9).parts[0].answer == 18433
    assert len(problems(content)) == 1


def test_every_file_is_reported_in_one_run(content):
    edit(content / "q01.toml", "answer = false\nanswer_text = '''\nFalse. The key: it is",
         "answer = \"no\"\nanswer_text = '''\nFalse. The key: it is")
    edit(content / "q03.toml", 'number = 3', 'number = = 3')
    edit(content / "q09.toml", "answer = 3040", "answer = 3041")
    found = problems(content)
    assert [line.split(":")[0] for line in found] == ["q01.toml", "q03.toml", "q09.toml"]
    assert found[0].endswith("parts[c].answer: expected true or false, got string 'no'")


# ------------------------------------------------------------------------- folders and exam.toml


def test_missing_folder_and_missing_exam_toml(tmp_path):
    assert problems(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}:0: content: no such folder"]
    (tmp_path / "empty").mkdir()
    found = problems(tmp_path / "empty")
    assert found[0].startswith("exam.toml:0: file: cannot be read")
    assert found[1] == "empty:0: content: no question files (*.toml besides exam.toml)"


def test_exam_toml_values(content):
    exam = content / "exam.toml"
    edit(exam, "weight = 0.35", "weight = 35")
    edit(exam, 'title = "ITM 528 Deep Learning"\n', "")
    assert problems(content) == [
        "exam.toml:1: title: missing",
        f"exam.toml:{line_of(exam, 'weight')}: weight: must be a share of the course grade: more than 0, at most 1",
    ]


# ------------------------------------------------------------------------------- evaluate, select


def test_evaluate_with_overrides():
    forward = Computation("f", "mlp_forward", {"x": [1.0, 2.0], "layers": [[[[1.0], [1.0]], [0.5], "relu"]]})
    assert evaluate(forward).output.tolist() == [3.5]
    assert evaluate(forward, x=[-4.0, 1.0]).output.tolist() == [0.0]
    with pytest.raises(ValueError, match="not a tutor.solver function"):
        evaluate(Computation("g", "load_exam", {}))


def test_select_walks_attributes_keys_and_indices():
    forward = evaluate(Computation("f", "mlp_forward", {"x": [2.0, -1.0], "layers": [[[[1.0], [0.5]], [0.5], "identity"]]}))
    assert select(forward, "pre.0.0") == 2.0
    assert select(forward, "output").tolist() == [2.0]
    assert select(forward, "") is forward
    assert select({"W2": [[1, 2]]}, "W2.0.1") == 2
    for path, message in [("pre.1", "out of range"), ("nope", "not a field"), ("output.0.0", "not a field")]:
        with pytest.raises(ValueError, match=message):
            select(forward, path)


def test_field_lines_finds_tables_arrays_and_inline_entries():
    text = """# comment
number = 1
stem = '''
fake = 1
'''
[computations.f]
call = "x"

[[parts]]
label = "a"
[[parts]]
label = "b"
blanks = [
  { name = "h", answer = 1 },
  { name = "k", answer = 2 },
]
[[parts.terms]]
any = ["x"]
"""
    lines = FieldLines(text)
    assert lines.line(("number",)) == 2
    assert lines.line(("fake",)) == 1  # inside a string: not a field
    assert lines.line(("computations", "f", "call")) == 7
    assert lines.line(("parts", 0, "label")) == 10
    assert lines.line(("parts", 1)) == 11
    assert lines.line(("parts", 1, "blanks", 1, "answer")) == 15
    assert lines.line(("parts", 1, "terms", 0, "any")) == 18
    assert lines.line(("parts", 1, "missing")) == 11
