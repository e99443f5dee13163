"""Question 6 graded on its formulas: evaluated on the solver's numbers, in every notation.

The parts are the exam's own (content/q06.toml), so these tests pin the grader and the content
together: right answers in Unicode and ASCII, transposed ones (the key's rule), the key's Wᵀδ₂ᵀ,
and the wrong ones a student really writes: shapes copied from the stem, products that do not
conform, and conforming ones whose numbers are wrong (no ReLU′, the wrong sign, the wrong W).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.exam import load_exam
from tutor.formula import parse_formula
from tutor.formula_answer import ShapeError, shape_of
from tutor.formula_grading import bound_values, judge, prove, relation, report
from tutor.grading import STATUSES, grade

EXAM = load_exam()  # proves every example of the content, or raises
Q6 = {p.label: p for p in EXAM.question(6).parts}


def status(label: str, text: str) -> tuple[str, float]:
    g = grade(Q6[label], text)
    return g.status, g.score


# Right answers as students type them, beyond the content's own examples.
RIGHT = {
    "a": ["δ₁ᵀh₁ᵀ", "delta1^T h1^T", "delta_1^T*h_1^T", "d1' h1'", "d1.T @ h1.T", "δ1ᵀ·h1ᵀ", "D1'H1'",
          "(h1 d1)'", "h₁δ₁", "(yhat-y)h1'", "(ŷ − y)·h₁ᵀ", "(softmax(z2) - y) h1^T", "δ₁ᵀ ReLU(z₁)ᵀ",
          "dJ/dW2 = delta1^T h1^T", "δ₁ᵀh₁ᵀ ∈ ℝ^(n_c×d_h)", "δ₁ᵀh₁ᵀ in R^(n_c x d_h)", "δ₁ᵀh₁ᵀ (d_h×n_c)"],
    "b": ["δ₁ᵀ", "delta1^T", "d1'", "δ₁", "d1", "delta_1.T", "yhat - y", "ŷ−y", "(y_hat - y)^T",
          "-(y - yhat)", "softmax(z₂) − y", "Iδ₁ᵀ", "dJ/db2 = d1^T", "δ₁ᵀ ∈ ℝ^(n_c×1)", "δ₁ᵀ, 1×n_c"],
    "c": ["δ₂ᵀxᵀ", "delta2^T x^T", "d2' x'", "d2.T@x.T", "x δ₂", "x*d2", "(x d2)'", "(δ₁W₂ ∘ ReLU′(z₁)ᵀ)ᵀ xᵀ",
          "(relu'(z1) .* (W2' d1')) x'", "(W2^T d1^T ⊙ relu'(z1)) x^T", "x (d1 W2 ∘ relu'(z1)')",
          "diag(relu'(z1)) W2' (yhat - y) x'", "δ₂ᵀxᵀ ∈ ℝ^(d_h×d_x)"],
    "d": ["δ₂ᵀ", "delta2^T", "d2'", "δ₂", "d_2", "δ₂ᵀIᵀ", "delta2' I'", "(d1 W2 ∘ relu'(z1)')'",
          "relu'(z1) ∘ W2' d1'", "W₂ᵀ(ŷ − y) ∘ ReLU′(z₁)", "diag(ReLU′(z₁))W₂ᵀδ₁ᵀ",
          "∂J/∂b₁ = δ₂ᵀIᵀ = δ₂ᵀ ∈ ℝ^(d_h×1)", "δ₂ᵀ ∈ ℝ^(d_h)"],
    "e": ["W₁ᵀδ₂ᵀ", "W1^T delta2^T", "W1' d2'", "w1.T @ d2.T", "W_1^T δ_2^T", "δ₂W₁", "d2 W1", "(d2 W1)'",
          "Wᵀδ₂ᵀ", "W' d2'", "W1' (d1 W2 ∘ relu'(z1)')'", "W1^T (relu'(z1) .* (W2^T d1^T))",
          "(δ₁W₂ ∘ ReLU′(z₁)ᵀ)W₁", "dJ/dx = W1^T d2^T ∈ R^(d_x×1)"],
}
# Wrong answers that must not get full marks, with what they should get: 1 for the right shape
# (the shape alone, or a wrong formula of the right shape), 0 for a formula that does not
# conform or has the wrong shape, 3 for the right formula followed by a wrong shape.
WRONG = {
    "a": {"n_c×d_h": 1, "d_h×n_c": 1, "nc x dh": 1, "h₁ᵀδ₁ᵀ": 0, "δ₁h₁ᵀ": 0, "δ₁ᵀh₁": 0, "δ₁h₁": 0,
          "δ₁ᵀz₁ᵀ": 1, "(y − ŷ)h₁ᵀ": 1, "−δ₁ᵀh₁ᵀ": 1, "δ₁ᵀxᵀ": 0, "δ₁ᵀδ₂": 1, "W₂": 1, "δ₁ᵀb₁ᵀ": 1,
          "ŷh₁ᵀ": 1, "δ₁ᵀh₁ᵀ ∈ ℝ^(n_c×d_x)": 3, "δ₁ᵀxᵀ ∈ ℝ^(n_c×d_h)": 1, "δ₂ᵀh₁ᵀ": 0},
    "b": {"n_c×1": 1, "n_c": 1, "1×n_c": 1, "y − ŷ": 1, "−δ₁ᵀ": 1, "ŷ": 1, "y": 1, "b₂": 1, "z₂": 1,
          "δ₂ᵀ": 0, "δ₁W₂": 0, "δ₁ᵀh₁ᵀ": 0, "W₂h₁": 1, "δ₁ᵀ ∈ ℝ^(d_h×1)": 3, "I": 0, "softmax(z₂)": 1},
    "c": {"d_h×d_x": 1, "δ₂x": 0, "δ₂ᵀx": 0, "xᵀδ₂ᵀ": 0, "(δ₁W₂)ᵀxᵀ": 1, "W₂ᵀδ₁ᵀxᵀ": 1,
          "(δ₁W₂ ∘ h₁ᵀ)ᵀxᵀ": 1, "(δ₁W₂ ∘ ReLU′(z₁))ᵀxᵀ": 0, "−δ₂ᵀxᵀ": 1, "W₁": 1, "δ₂ᵀh₁ᵀ": 0,
          "δ₁ᵀxᵀ": 0, "δ₂ᵀxᵀ ∈ ℝ^(n_c×d_x)": 3, "h₁xᵀ": 1, "(ReLU(z₁) ∘ W₂ᵀδ₁ᵀ)xᵀ": 1},
    "d": {"d_h×1": 1, "d_h": 1, "(δ₁W₂)ᵀ": 1, "W₂ᵀδ₁ᵀ": 1, "h₁ ∘ W₂ᵀδ₁ᵀ": 1, "δ₁W₂ ∘ ReLU′(z₁)": 0,
          "−δ₂ᵀ": 1, "b₁": 1, "z₁": 1, "h₁": 1, "ReLU′(z₁)": 1, "δ₁ᵀ": 0, "δ₂ᵀxᵀ": 0, "δ₂ᵀ ∈ ℝ^(d_x×1)": 3},
    "e": {"d_x×1": 1, "d_x": 1, "W₂ᵀδ₂ᵀ": 0, "W₁δ₂ᵀ": 0, "W₁ᵀδ₂": 0, "δ₂ᵀW₁": 0, "δ₂W₂": 0,
          "W₁ᵀ(δ₁W₂)ᵀ": 1, "W₁ᵀW₂ᵀδ₁ᵀ": 1, "−W₁ᵀδ₂ᵀ": 1, "x": 1, "W₁ᵀ(δ₁W₂ ∘ h₁ᵀ)ᵀ": 1,
          "W₁ᵀδ₂ᵀ ∈ ℝ^(d_h×1)": 3, "W₂ᵀδ₁ᵀ": 0, "W₁ᵀh₁": 1},
}


@pytest.mark.parametrize(("label", "text"), [(label, text) for label, texts in RIGHT.items() for text in texts])
def test_right_formulas_in_every_notation_get_full_marks(label, text):
    assert status(label, text) == ("correct", 4.0), grade(Q6[label], text).feedback


@pytest.mark.parametrize(("label", "text", "score"),
                         [(label, text, score) for label, wrong in WRONG.items() for text, score in wrong.items()])
def test_wrong_answers_get_at_most_the_rubrics_partial_credit(label, text, score):
    g = grade(Q6[label], text)
    assert (g.score, g.status) == (score, "wrong" if score == 0 else "partial"), g.feedback


def test_the_contents_examples_are_proven():
    for part in Q6.values():
        assert prove(part) == []
        assert len(part.formula.accept) >= 10 and len(part.formula.reject) >= 10


def test_feedback_teaches_how_the_shape_comes_about():
    assert grade(Q6["a"], "δ₁ᵀh₁ᵀ").feedback.startswith(
        "δ₁ᵀ is n_c×1 and h₁ᵀ is 1×d_h: their product is n_c×d_h ✓")
    assert grade(Q6["a"], "h₁ᵀδ₁ᵀ").feedback == "h₁ᵀδ₁ᵀ does not conform: 1×d_h times n_c×1."
    transposed = grade(Q6["a"], "h1 d1").feedback
    assert "the transpose of ∂J/∂W₂ (n_c×d_h), which the rubric counts as correct" in transposed
    missing = grade(Q6["c"], "(δ₁W₂)ᵀxᵀ").feedback
    assert "the shape of ∂J/∂W₁, but not its value: the formula is wrong" in missing
    assert "The right shape earns 1 of 4 (the rubric's partial credit)" in missing
    assert "the sign is wrong" in grade(Q6["b"], "y - yhat").feedback
    assert "but ∂J/∂b₂ is n_c×1" in grade(Q6["b"], "δ₂ᵀ").feedback
    alone = grade(Q6["e"], "d_x×1").feedback
    assert alone.startswith("d_x×1 is the shape of ∂J/∂x, but a shape alone earns 1 of 4")
    assert "∘ needs two arrays of one shape, not 1×d_h and d_h×1" in grade(Q6["d"], "δ₁W₂ ∘ ReLU′(z₁)").feedback


def test_the_keys_w_means_w1_and_is_accepted_with_that_note():
    for text in ("Wᵀδ₂ᵀ", "W^T d2^T", "d2 W"):
        g = grade(Q6["e"], text)
        assert g.status == "correct" and "W read as W₁" in g.feedback
    assert "W read as W₁" not in grade(Q6["e"], "W₁ᵀδ₂ᵀ").feedback
    assert "does not conform" in grade(Q6["e"], "W₂ᵀδ₂ᵀ").feedback  # W₂ for W₁ cannot even multiply


def test_a_chain_is_graded_on_its_last_formula_and_a_wrong_link_is_said():
    assert status("d", "∂J/∂b₁ = δ₂ (∂z₁/∂b₁) = δ₂ᵀIᵀ = δ₂ᵀ") == ("correct", 4.0)
    g = grade(Q6["d"], "W₂ᵀδ₁ᵀ = δ₂ᵀ")
    assert g.status == "correct" and "Before the last '=', W₂ᵀδ₁ᵀ is not ∂J/∂b₁" in g.feedback


@pytest.mark.parametrize("text", ["", "   ", "∂J/∂W₂", "dJ/dW2", "banana", "δ₁ᵀh₁ᵀ +", "((δ₁)", "2δ₁",
                                  "δ₁ᵀh₁ᵀ" * 100, "(" * 40 + "x" + ")" * 40, "\x00", "rm -rf /", "eval('1')"])
def test_what_cannot_be_read_is_invalid_with_a_reason_and_a_hint(text):
    g = grade(Q6["a"], text)
    assert (g.status, g.score) == ("invalid", 0.0)
    assert g.feedback.endswith("Type it in the question's symbols, e.g. Aᵀb as A^T b, A' b or A.T @ b.")


SYMBOLS = ("δ₁", "δ₂", "h₁", "x", "W₁", "W₂", "ŷ", "y", "b₁", "b₂", "z₁")
# Every product of two symbols, each as written or transposed, and every symbol alone: the right
# ones, worked out by hand from the key (a transpose of the key's answer counts).
KEYS = {"a": {"δ₁ᵀh₁ᵀ", "h₁δ₁"}, "b": {"δ₁ᵀ", "δ₁"}, "c": {"δ₂ᵀxᵀ", "xδ₂"}, "d": {"δ₂ᵀ", "δ₂"},
        "e": {"W₁ᵀδ₂ᵀ", "δ₂W₁"}}


def small_formulas() -> list[str]:
    single = [s + t for s in SYMBOLS for t in ("", "ᵀ")]
    return single + [a + b for a, b in itertools.product(single, repeat=2)]


def test_among_all_small_formulas_exactly_the_keys_get_full_marks():
    """Of 22 single symbols and 484 products, only the key's formula and its transpose pass; every
    other one that conforms, has the right shape and still is wrong is rejected by its numbers."""
    names = EXAM.question(6).parts[0].formula
    for label, part in Q6.items():
        right, by_value = set(), 0
        for text in small_formulas():
            g = grade(part, text)
            if g.status == "correct":
                right.add(text)
            tree = parse_formula(text, names.names)
            try:
                shape = shape_of(tree, names.shapes)
            except ShapeError:
                continue
            want = tuple(part.formula.shape.split("×"))
            if shape in (want, want[::-1]) and g.status != "correct":
                by_value += 1  # conforms, the right shape, and only its numbers show it is wrong
        assert right == KEYS[label], label
        assert by_value >= 3, label


def test_grading_is_deterministic_and_uses_two_draws_of_distinct_sizes():
    part = Q6["c"]
    draws = part.formula.draws
    assert len(draws) == 2
    for draw in draws:
        sizes = [n for _, n in draw.sizes]
        assert len(set(sizes)) == len(sizes) and min(sizes) >= 2
    assert draws[0].sizes != draws[1].sizes
    first = [b.target.copy() for b in bound_values(part.formula)]
    bound_values.cache_clear()
    again = [b.target for b in bound_values(part.formula)]
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    # some hidden units are active and some are not on the draws: ReLU′ matters
    z1 = np.concatenate([b.values["z₁"].ravel() for b in bound_values(part.formula)])
    assert (z1 > 0).any() and (z1 <= 0).any()
    tree = parse_formula("(δ₁W₂)ᵀxᵀ", part.formula.names)
    assert relation(part.formula, tree) == "differs"


def test_the_calculators_report_is_the_graders_evaluation():
    formulas = tuple(p.formula for p in Q6.values())
    found = report(formulas, "d2 W1", {"d_x": 3, "d_h": 4, "n_c": 2})
    assert found.said == "δ₂ is 1×d_h and W₁ is d_h×d_x: their product is 1×d_x (1×3 here)"
    assert dict(found.matches) == {"∂J/∂W₂": "other shape", "∂J/∂b₂": "other shape", "∂J/∂W₁": "other shape",
                                   "∂J/∂b₁": "other shape", "∂J/∂x": "transpose"}
    assert dict(report(formulas, "W2' d1'").matches)["∂J/∂b₁"] == "differs"
    assert dict(report(formulas, "y - yhat").matches)["∂J/∂b₂"] == "negated"
    assert report(formulas, "h1' d1'").shape is None
    assert "does not conform" in report(formulas, "h1' d1'").said


@settings(max_examples=200, deadline=None)
@given(label=st.sampled_from(sorted(Q6)), text=st.text(max_size=120))
def test_any_text_gives_a_well_formed_grade(label, text):
    part = Q6[label]
    g = grade(part, text)
    assert g.status in STATUSES and 0 <= g.score <= g.points == 4 and g.feedback
    assert (g.status == "correct") == (g.score == 4)


@settings(max_examples=200, deadline=None)
@given(label=st.sampled_from(sorted(Q6)),
       text=st.text(alphabet="δ₁₂hxWyŷIzdᵀ^T'()+-∘* ∈ℝ_cn×=/∂", max_size=40))
def test_any_text_of_formula_characters_gives_a_well_formed_grade(label, text):
    g = grade(Q6[label], text)
    assert g.status in STATUSES and 0 <= g.score <= 4 and g.feedback
    assert judge(Q6[label], text).score == g.score
