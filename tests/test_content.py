"""The exam's content (content/*.toml): points, answers proven by the solver, flags, readable math."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from tutor.exam import Exam, Part, evaluate, load_exam, select

KEY_POINTS = {1: 5, 2: 14, 3: 5, 4: 20, 5: 10, 6: 20, 7: 6, 8: 6, 9: 8, 10: 6}
PART_POINTS = {
    1: {"a": 1, "b": 1, "c": 1, "d": 1, "e": 1},
    2: {"a": 10, "b": 4},
    3: {"a": 2, "b": 3},
    4: {"a": 4, "b": 4, "c": 12},
    5: {"a": 2, "b": 5, "c": 3},
    6: {"a": 4, "b": 4, "c": 4, "d": 4, "e": 4},
    7: {"a": 2, "b": 2, "c": 2},
    8: {"a": 6},
    9: {"a": 3, "b": 3, "c": 2},
    10: {"a": 3, "b": 3},
}
# Where the key is silent: the statements of question 1, 4(a), 4(b), 5(a), 10(a).
RECONSTRUCTED_PARTS = {(1, label) for label in "abcde"} | {(4, "a"), (4, "b"), (5, "a"), (10, "a")}
RECONSTRUCTED_STEMS = {1, 5}  # question 1's statements; question 5's targets t₁, t₂
RAW_LATEX = ("\\", "$", "^{", "_{")


@pytest.fixture(scope="module")
def exam() -> Exam:
    return load_exam()  # proves every numeric answer with the solver, or raises ContentError


def part(exam: Exam, number: int, label: str) -> Part:
    return next(p for p in exam.question(number).parts if p.label == label)


def result(exam: Exam, number: int, name: str):
    return evaluate(exam.question(number).computations[name])


def test_the_exam_as_a_whole(exam):
    assert exam.title == "ITM 528 Deep Learning"
    assert (exam.minutes, exam.weight, exam.total) == (180, 0.35, 100)
    assert exam.instructions
    assert [q.number for q in exam.questions] == list(range(1, 11))


def test_points_are_the_keys(exam):
    assert {q.number: q.points for q in exam.questions} == KEY_POINTS
    assert {q.number: {p.label: p.points for p in q.parts} for q in exam.questions} == PART_POINTS


def test_kinds(exam):
    kinds = {(q.number, p.label): p.kind for q in exam.questions for p in q.parts}
    assert {k for k, v in kinds.items() if v == "true_false"} == {(1, x) for x in "abcde"}
    assert {k for k, v in kinds.items() if v == "formula"} == {(6, x) for x in "abcde"}
    assert kinds[(2, "a")] == kinds[(4, "c")] == "derivation"
    assert kinds[(5, "b")] == "values" and kinds[(8, "a")] == "matrix" and kinds[(10, "a")] == "choice"
    assert {kinds[k] for k in [(4, "a"), (4, "b"), (5, "c"), (9, "a"), (9, "b")]} == {"number"}


def test_reconstructed_flags(exam):
    parts = {(q.number, p.label) for q in exam.questions for p in q.parts if p.reconstructed}
    assert parts == RECONSTRUCTED_PARTS
    assert {q.number for q in exam.questions if q.reconstructed} == RECONSTRUCTED_STEMS


def _texts(value):
    """Every string inside a dataclass, tuple or dict, recursively."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value):
        for item in dataclasses.fields(value):
            yield from _texts(getattr(value, item.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)


def test_no_raw_latex_anywhere(exam):
    texts = list(_texts(exam))
    assert len(texts) > 300
    offending = [t for t in texts if any(mark in t for mark in RAW_LATEX)]
    assert offending == []


def test_every_part_is_complete(exam):
    for q in exam.questions:
        assert q.stem and q.title
        for p in q.parts:
            assert p.prompt and p.rubric and p.explanation and p.answer_text, (q.number, p.label)
            assert not p.answer_text.endswith("\n") and not p.prompt.startswith("\n")


def test_answer_text_says_whose_words_they_are(exam):
    for q in exam.questions:
        for p in q.parts:
            assert "key" in p.answer_text.lower() or "ours" in p.answer_text.lower(), (q.number, p.label)


def test_every_numeric_answer_names_its_proof(exam):
    unproven = {(4, "a"), (4, "b")}  # reconstructed counts, no computation behind them
    for q in exam.questions:
        for p in q.parts:
            if p.kind in ("number", "matrix", "shape", "formula") and (q.number, p.label) not in unproven:
                assert p.source in q.computations, (q.number, p.label)
            if p.kind == "values":
                assert all(b.source or p.source for b in p.blanks)


def test_question5_forward_pass(exam):
    p = part(exam, 5, "b")
    forward = result(exam, 5, "forward")
    assert [b.name for b in p.blanks] == ["h₁", "h₂", "h₃", "h₄", "o₁", "o₂"]
    assert [b.answer for b in p.blanks] == [2.0, -0.5, 2.0, 0.0, 0.0, -1.5]
    assert [float(select(forward, b.select)) for b in p.blanks] == [2.0, -0.5, 2.0, 0.0, 0.0, -1.5]
    assert [s.label for s in forward.steps] == ["h₁", "h₂", "h₃", "h₄", "o₁", "o₂"]


def test_question5_loss_uses_the_forward_output_and_our_targets(exam):
    q = exam.question(5)
    forward = result(exam, 5, "forward")
    for name in ("loss", "loss_steps"):
        args = q.computations[name].args
        assert args["t"] == [1.0, 0.5]
        assert np.array_equal(args["o"], forward.output)
    assert part(exam, 5, "c").answer == 2.5
    assert result(exam, 5, "loss") == 2.5 == result(exam, 5, "loss_steps").output
    assert "t₁ = 1.0" in q.stem and "t₂ = 0.5" in q.stem and "i₂ = −1.0" in q.stem


def test_question8_pooling(exam):
    p = part(exam, 8, "a")
    assert p.answer == ((6.0, 8.0), (9.0, 7.0))
    assert result(exam, 8, "pool").output.tolist() == [[6, 8], [9, 7]]
    assert p.work_required and 0 < p.partial_points < p.points
    assert "⎡ 1  3  2  4 ⎤" in exam.question(8).stem


def test_question9_parameter_counts(exam):
    assert part(exam, 9, "a").answer == 18432 == result(exam, 9, "plain")
    assert part(exam, 9, "b").answer == 3040 == result(exam, 9, "bottleneck")
    assert result(exam, 9, "plain_steps").output == 18432
    assert result(exam, 9, "bottleneck_steps").output == 3040
    assert "32 input channels" in exam.question(9).stem and "bias" in exam.question(9).stem
    assert "3,040" in part(exam, 9, "c").explanation and "6.1" in part(exam, 9, "c").explanation


def test_question6_formulas_are_the_keys_and_graded_on_the_solvers_gradients(exam):
    from tutor.grading import grade

    sizes = {"d_x": 3, "d_h": 4, "n_c": 2}  # the worked example's
    grads = result(exam, 6, "grads")
    keys = {"a": ("δ₁ᵀh₁ᵀ", "n_c×d_h"), "b": ("δ₁ᵀ", "n_c×1"), "c": ("δ₂ᵀxᵀ", "d_h×d_x"),
            "d": ("δ₂ᵀ", "d_h×1"), "e": ("W₁ᵀδ₂ᵀ", "d_x×1")}
    for p in exam.question(6).parts:
        assert (p.answer, p.formula.shape) == keys[p.label]
        rows, cols = (sizes.get(s, 1) for s in p.formula.shape.split("×"))
        assert grads[p.select].shape == (rows, cols)
        assert p.accept_transpose and 0 < p.partial_points < p.points
        assert "ours, not the key" in " ".join(p.rubric.lower().split()) and "(the key)" in p.rubric  # whose rule
        assert p.answer in p.answer_text or p.label == "e"
        assert p.formula.accept and p.formula.reject
        assert grade(p, p.answer).status == "correct"
        assert grade(p, p.formula.shape).score == p.partial_points  # the shape alone, copied from the stem
    assert "W₁ᵀδ₂ᵀ" in part(exam, 6, "e").answer_text and "W₁" in part(exam, 6, "e").rubric
    assert "Wᵀδ₂ᵀ" in part(exam, 6, "e").formula.accept
    stem = exam.question(6).stem
    assert "δ₁W₂ ∘ ReLU′(z₁)ᵀ" in stem and "type the formula" in part(exam, 6, "a").prompt


def test_question7_examples(exam):
    assert result(exam, 7, "padded").output == 6
    assert result(exam, 7, "strided").output == 3
    assert result(exam, 7, "transposed").output == 6


def test_question4_worked_gradient_is_softmax_minus_label(exam):
    args = exam.question(4).computations["grad"].args
    o, y = np.array(args["o"]), np.array(args["y"])
    want = np.exp(o) / np.exp(o).sum() - y
    assert np.allclose(result(exam, 4, "grad").output, want)
    assert part(exam, 4, "c").example == "grad"


def test_symbolic_steps_name_real_derivations(exam):
    from tutor.symbolic import NAMES

    steps = {(q.number, p.label): p.steps for q in exam.questions for p in q.parts}
    assert steps[(2, "a")] == "symbolic:gaussian_nll" and steps[(4, "c")] == "symbolic:softmax_ce_grad"
    assert {s[len("symbolic:"):] for s in steps.values() if s.startswith("symbolic:")} <= set(NAMES)


def test_question3_bare_regularization_scores_nothing(exam):
    from tutor.grading import grade

    p = part(exam, 3, "b")
    terms = {term.lower() for group in p.terms for term in group.any}
    assert not terms & {"regularization", "regularisation", "regularize", "regularise"}
    assert grade(p, "regularization").score == 0
    assert grade(p, "dropout and weight decay").score == 3
    assert grade(part(exam, 3, "a"), "over-fitting").score == 2


def test_text_parts_have_named_groups_that_add_up(exam):
    for q in exam.questions:
        for p in q.parts:
            if p.kind == "text":
                assert p.terms and all(g.name and g.any for g in p.terms)
                assert sum(g.points for g in p.terms) == p.points


def test_question10_choice(exam):
    p = part(exam, 10, "a")
    assert p.choices[p.answer] == "x → weight layer → ReLU → weight layer → add x → ReLU → output"


def test_the_model_answers_of_text_parts_score_full_marks(exam):
    from tutor.grading import grade

    for q in exam.questions:
        for p in q.parts:
            if p.kind == "text":
                for answer in (p.answer, p.answer_text):
                    assert grade(p, answer).score == p.points, (q.number, p.label, answer)


def test_preformatted_lines_fit_an_80_column_terminal():
    """Indented lines (formulas, matrices) are shown as written, not reflowed: they must fit 80×24.

    The question body has one column of padding on each side and a scrollbar: 76 columns remain.
    """
    from tutor.paths import default_content_dir

    too_long = []
    for path in sorted(default_content_dir().rglob("*.toml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith("    ") and not line.lstrip().startswith(("#", "[", "{")) and len(line) > 76:
                too_long.append(f"{path.name}:{number}: {len(line)} columns")
    assert too_long == []
