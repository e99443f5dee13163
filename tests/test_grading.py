"""tutor.grading: every kind of part on right, partly right, wrong, empty and unreadable answers.

The parts are built here, not loaded from content/, so these tests pin the grader to the Part
contract of tutor.exam and to the key's rubrics, whatever the content files say today.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.exam import KINDS, Blank, Computation, Part, TermGroup
from tutor.formula_content import Formula, FormulaDraw, FormulaSymbol
from tutor.grading import STATUSES, Grade, format_points, grade


def make(kind: str, points: float = 4, answer=None, **fields) -> Part:
    return Part(
        label="a", points=points, kind=kind, prompt="", rubric="", explanation="", answer=answer, **fields
    )


TF = make("true_false", 1, False)
NUMBER = make("number", 3, 18432.0)
FORWARD = make(
    "values",
    5,
    None,
    blanks=tuple(
        Blank(name, value)
        for name, value in (("h₁", 2.0), ("h₂", -0.5), ("h₃", 2.0), ("h₄", 0.0), ("o₁", 0.0), ("o₂", -1.5))
    ),
)
POOL = make(
    "matrix",
    6,
    ((6.0, 8.0), (9.0, 7.0)),
    partial_points=3,
    work_required="write each 2×2 window with its maximum",
)
PLAIN_MATRIX = make("matrix", 4, ((1.0, 2.0), (3.0, 4.0)))
CHOICE = make("choice", 4, 1, choices=("cat", "chicken", "dog"))
SHAPE = make("shape", 4, "n_c×d_h", accept_transpose=True)
STRICT_SHAPE = make("shape", 4, "d_x×1")
REMEDY = make(
    "text",
    3,
    terms=(
        TermGroup(
            ("dropout", "weight decay", "early stopping", "data augmentation"),
            3,
            "a specific technique such as dropout or weight decay",
        ),
    ),
)
NAME = make("text", 2, terms=(TermGroup(("overfitting", "overfit"), 2, "the name of the problem"),))
TWO_TERMS = make(
    "text",
    2,
    terms=(
        TermGroup(("vanishing gradient",), 1, "the problem it prevents"),
        TermGroup(("relu",), 1, "the activation"),
    ),
)
DERIVATION = make("derivation", 10, partial_points=5)
# A formula part of our own (question 6's are in tests/test_formula_grading.py): the gradient of
# softmax cross-entropy, evaluated on two random draws against the solver's.
FORMULA = make(
    "formula", 4, "softmax(o) − y", accept_transpose=True, partial_points=1, source="g",
    formula=Formula(
        "∂l/∂o", "q×1",
        (FormulaSymbol("o", "q×1", arg="o"), FormulaSymbol("y", "q×1", arg="y", one_hot=True)),
        (FormulaDraw((("q", 3),), 1), FormulaDraw((("q", 5),), 2)),
        Computation("g", "softmax_cross_entropy_grad", {"o": [0.0, 0.0], "y": [1.0, 0.0]}),
    ),
)

EVERY_KIND = (TF, NUMBER, FORWARD, POOL, CHOICE, SHAPE, REMEDY, DERIVATION, FORMULA)


def test_every_kind_has_a_fixture():
    assert {p.kind for p in EVERY_KIND} == set(KINDS)


def check(g: Grade, status: str, score: float | None = None) -> Grade:
    assert g.status == status, g
    if score is not None:
        assert g.score == score, g
    assert g.feedback
    return g


# True / false -------------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["F", "false", " no "])
def test_true_false_right(answer):
    check(grade(TF, answer), "correct", 1)


def test_true_false_wrong_empty_garbage():
    check(grade(TF, "T"), "wrong", 0)
    g = check(grade(TF, ""), "invalid", 0)
    assert "nothing typed" in g.feedback.lower() and "T or F" in g.feedback
    check(grade(TF, "perhaps"), "invalid", 0)


# Numbers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["18432", "18,432", "32x3x3x64", "32×3×3×64", "1.8432e4"])
def test_number_right(answer):
    g = check(grade(NUMBER, answer), "correct", 3)
    assert "18,432" in g.feedback


def test_number_tolerance_absolute_and_relative():
    part = make("number", 3, 2.5, tolerance=0.01)
    check(grade(part, "2.505"), "correct", 3)
    check(grade(part, "2.52"), "wrong", 0)
    big = make("number", 3, 1e12, tolerance=0.0)
    check(grade(big, "1000000000001"), "correct", 3)  # within 1e-9 relative


def test_number_wrong_empty_garbage():
    check(grade(NUMBER, "18000"), "wrong", 0)
    g = check(grade(NUMBER, "   "), "invalid", 0)
    assert "Nothing typed" in g.feedback
    g = check(grade(NUMBER, "abc"), "invalid", 0)
    assert "'abc' is not a number" in g.feedback
    check(grade(NUMBER, "nan"), "invalid", 0)


def test_number_partial_credit_only_when_the_rubric_gives_it():
    check(grade(NUMBER, "18000", work_shown=True), "wrong", 0)
    generous = make("number", 3, 2.5, partial_points=1.5)
    check(grade(generous, "3", work_shown=True), "partial", 1.5)
    check(grade(generous, "3"), "wrong", 0)


# Values -------------------------------------------------------------------------------------------

RIGHT = {"h₁": "2.0", "h₂": "−0.5", "h₃": "2", "h₄": "0", "o₁": "0", "o₂": "-1.5"}


def test_values_right():
    check(grade(FORWARD, RIGHT), "correct", 5)


def test_values_partly_right_names_the_wrong_ones():
    typed = {**RIGHT, "h₂": "0.5", "o₂": "1.5"}
    g = check(grade(FORWARD, typed), "partial", 3.5)  # 5 × 4/6 = 3.33 -> 3.5
    assert g.details == ("h₂", "o₂")
    assert "h₂" in g.feedback and "o₂" in g.feedback and "h₁" not in g.feedback.split("right:")[-1]


def test_values_rounds_to_half_points_and_never_up_to_full():
    typed = {**RIGHT, "o₂": "7"}
    g = check(grade(FORWARD, typed), "partial")  # 5 × 5/6 = 4.17 -> 4
    assert g.score == 4.0
    one_wrong_of_many = make("values", 1, blanks=tuple(Blank(f"v{i}", 1.0) for i in range(10)))
    typed = {f"v{i}": "1" for i in range(10)} | {"v0": "2"}
    assert grade(one_wrong_of_many, typed).score == 0.5  # 0.9 would round to 1: capped below full


def test_values_empty_blanks_are_wrong_unless_all_empty():
    g = check(grade(FORWARD, {"h₁": "2"}), "partial", 1.0)  # 5 × 1/6 = 0.83 -> 1
    assert set(g.details) == {"h₂", "h₃", "h₄", "o₁", "o₂"}
    check(grade(FORWARD, {}), "invalid", 0)
    g = check(grade(FORWARD, {name: " " for name in RIGHT}), "invalid", 0)
    assert "Nothing typed" in g.feedback


def test_values_unreadable_blank_is_invalid_with_its_name():
    g = check(grade(FORWARD, {**RIGHT, "h₃": "two"}), "invalid", 0)
    assert g.details == ("h₃",)
    assert "In h₃: 'two' is not a number" in g.feedback


def test_values_all_wrong():
    g = check(grade(FORWARD, {name: "9" for name in RIGHT}), "wrong", 0)
    assert len(g.details) == 6


def test_values_typed_as_one_line():
    text = "h1 = 2; h2 = -0.5; h3 = 2; h4 = 0; o1 = 0; o2 = 2×(−1.0) + 0.5 = -1.5"
    check(grade(FORWARD, text), "correct", 5)
    check(grade(FORWARD, "h9 = 2"), "invalid", 0)
    single = make("values", 2, blanks=(Blank("E", 2.5),))
    check(grade(single, "2.5"), "correct", 2)


# Matrices -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["6 8; 9 7", "[[6, 8], [9, 7]]", "6 8\n9 7"])
def test_matrix_right_with_work_shown(answer):
    check(grade(POOL, answer, work_shown=True), "correct", 6)


def test_matrix_right_without_work_earns_partial_points_and_quotes_the_rubric():
    g = check(grade(POOL, "6 8; 9 7"), "partial", 3)
    assert "write each 2×2 window with its maximum" in g.feedback
    assert g.details == ()


def test_matrix_without_work_requirement_needs_no_work():
    check(grade(PLAIN_MATRIX, "1 2; 3 4"), "correct", 4)


def test_matrix_partly_right_cells():
    g = check(grade(POOL, "6 8; 9 1", work_shown=True), "partial", 4.5)  # 6 × 3/4
    assert g.details == ((1, 1),)
    assert "row 2 column 2" in g.feedback
    g = check(grade(POOL, "6 8; 1 1"), "partial", 1.5)  # 3 × 2/4
    assert g.details == ((1, 0), (1, 1))


def test_matrix_wrong_shape_and_all_wrong():
    g = check(grade(POOL, "6 8 1; 9 7 1", work_shown=True), "wrong", 0)
    assert "expected a 2×2 matrix, got 2×3" in g.feedback.lower()
    g = check(grade(POOL, "1 2; 3 4", work_shown=True), "wrong", 0)
    assert len(g.details) == 4


def test_matrix_empty_and_garbage():
    check(grade(POOL, ""), "invalid", 0)
    g = check(grade(POOL, "6 8; 9 7 1"), "invalid", 0)
    assert "row 2" in g.feedback.lower()
    g = check(grade(POOL, "six eight"), "invalid", 0)
    assert "row 1, column 1" in g.feedback.lower()


# Choices ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["2", "b", "B", "(b)", "b)", "2.", "chicken"])
def test_choice_right(answer):
    check(grade(CHOICE, answer), "correct", 4)


def test_choice_wrong_empty_garbage():
    g = check(grade(CHOICE, "a"), "wrong", 0)
    assert "cat" in g.feedback
    check(grade(CHOICE, "3"), "wrong", 0)
    check(grade(CHOICE, ""), "invalid", 0)
    g = check(grade(CHOICE, "4"), "invalid", 0)
    assert "1 to 3 or a to c" in g.feedback
    check(grade(CHOICE, "zebra"), "invalid", 0)


# Shapes -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["n_c×d_h", "nc x dh", "ℝ^(n_c×d_h)", "(n_c, d_h)"])
def test_shape_right(answer):
    g = check(grade(SHAPE, answer), "correct", 4)
    assert "transpose" not in g.feedback


def test_shape_transpose_accepted_as_the_rubric_says():
    g = check(grade(SHAPE, "d_h×n_c"), "correct", 4)
    assert "transpose" in g.feedback and "rubric" in g.feedback


def test_shape_transpose_not_accepted_without_the_rubric():
    check(grade(STRICT_SHAPE, "dx × 1"), "correct", 4)
    check(grade(STRICT_SHAPE, "1×d_x"), "wrong", 0)


def test_shape_wrong_empty_garbage():
    check(grade(SHAPE, "d_h×d_x"), "wrong", 0)
    check(grade(SHAPE, "n_c"), "wrong", 0)
    check(grade(SHAPE, ""), "invalid", 0)
    g = check(grade(SHAPE, "what?"), "invalid", 0)
    assert "n_c×d_h" in g.feedback


# Text ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    ["dropout", "Dropout", "drop-out", "use dropouts", "weight decay", "weight-decay", "Weight Decay",
     "L2 weightdecay", "early stopping", "augment the data by data augmentation", "dropout, weight decay"],
)
def test_text_remedies_score(answer):
    g = check(grade(REMEDY, answer), "correct", 3)
    assert "Found" in g.feedback


def test_text_bare_regularization_scores_nothing_and_asks_for_a_technique():
    g = check(grade(REMEDY, "regularization"), "wrong", 0)
    assert "specific technique" in g.feedback
    check(grade(REMEDY, "Regularisation of the model"), "wrong", 0)


def test_text_words_across_punctuation_do_not_join():
    check(grade(REMEDY, "drop. Out of ideas"), "wrong", 0)
    check(grade(REMEDY, "weightless decay"), "wrong", 0)


@pytest.mark.parametrize("answer", ["over-fitting", "Overfitting", "over fitting", "OVERFITTING.", "it overfits"])
def test_text_overfitting_spellings(answer):
    check(grade(NAME, answer), "correct", 2)


def test_text_wrong_term():
    g = check(grade(NAME, "underfitting"), "wrong", 0)
    assert "the name of the problem" in g.feedback


def test_text_partial_groups_name_what_is_missing():
    g = check(grade(TWO_TERMS, "ReLU is cheap"), "partial", 1)
    assert "relu" in g.feedback and "the problem it prevents" in g.feedback
    check(grade(TWO_TERMS, "ReLU prevents vanishing gradients"), "correct", 2)


def test_text_terms_with_symbols():
    part = make("text", 1, terms=(TermGroup(("H(x) − x", "doesn't depend"), 1, "the residual"),))
    check(grade(part, "it learns H(x) - x only"), "correct", 1)
    check(grade(part, "the minimiser doesn’t depend on σ"), "correct", 1)
    check(grade(part, "H(x)"), "wrong", 0)


def test_text_long_terms():
    part = make("text", 2, terms=(TermGroup(("reduce the number of model parameters",), 2, "the saving"),))
    check(grade(part, "It reduces the number of model parameters a lot."), "correct", 2)
    check(grade(part, "It reduces the number of layers."), "wrong", 0)


def test_text_score_capped_at_points():
    generous = make("text", 2, terms=(TermGroup(("dropout",), 2), TermGroup(("weight decay",), 2)))
    check(grade(generous, "dropout and weight decay"), "correct", 2)


def test_text_empty_and_garbage():
    check(grade(REMEDY, ""), "invalid", 0)
    check(grade(REMEDY, "?!  ..."), "invalid", 0)


# Derivations --------------------------------------------------------------------------------------


def test_derivation_self_marking():
    check(grade(DERIVATION, "full"), "correct", 10)
    check(grade(DERIVATION, "Partial"), "partial", 5)
    check(grade(DERIVATION, "none"), "wrong", 0)
    check(grade(DERIVATION, ""), "invalid", 0)
    check(grade(DERIVATION, "great"), "invalid", 0)


def test_derivation_partial_without_partial_points():
    g = check(grade(make("derivation", 4), "partial"), "wrong", 0)
    assert "no partial credit" in g.feedback


# Contract -----------------------------------------------------------------------------------------


def test_grade_is_frozen():
    g = grade(TF, "F")
    with pytest.raises(AttributeError):
        g.score = 0  # type: ignore[misc]
    assert g.points == 1.0 and g.details == ()


def test_none_response_is_invalid():
    for part in EVERY_KIND:
        assert grade(part, None).status == "invalid"


def test_unknown_kind_is_a_content_error():
    with pytest.raises(ValueError, match="unknown kind"):
        grade(make("essay"), "hello")


@pytest.mark.parametrize(("x", "text"), [(4, "4"), (4.0, "4"), (4.5, "4.5"), (0.25, "0.25"), (0, "0"), (100.0, "100")])
def test_format_points(x, text):
    assert format_points(x) == text


def well_formed(g: Grade, part: Part) -> None:
    assert isinstance(g, Grade)
    assert g.status in STATUSES
    assert g.points == part.points
    assert 0 <= g.score <= g.points
    assert g.feedback
    assert (g.status == "correct") == (g.score == g.points and g.status != "invalid")
    if g.status == "invalid":
        assert g.score == 0
    assert (g.score * 2) == int(g.score * 2)  # half points


@settings(deadline=None, max_examples=300)
@given(st.sampled_from(EVERY_KIND + (NAME, TWO_TERMS, STRICT_SHAPE, PLAIN_MATRIX)), st.text(), st.booleans())
def test_grade_never_raises_on_any_text(part, text, work_shown):
    well_formed(grade(part, text, work_shown=work_shown), part)


@settings(deadline=None)
@given(st.dictionaries(st.sampled_from(list(RIGHT) + ["other"]), st.text(max_size=20)))
def test_grade_values_never_raises_on_any_mapping(typed):
    well_formed(grade(FORWARD, typed), FORWARD)


@settings(deadline=None)
@given(st.lists(st.sampled_from(["6", "8", "9", "7", "1"]), min_size=4, max_size=4), st.booleans())
def test_grade_matrix_scores_are_monotone_in_right_cells(cells, work_shown):
    text = f"{cells[0]} {cells[1]}; {cells[2]} {cells[3]}"
    g = grade(POOL, text, work_shown=work_shown)
    right = sum(a == b for a, b in zip(cells, ["6", "8", "9", "7"]))
    assert len(g.details) == 4 - right
    available = 6 if work_shown else 3
    assert g.score <= available
    assert (g.score == available) == (right == 4)
