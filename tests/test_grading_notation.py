"""tutor.grading on what students really type: every notation of a right answer gets its credit,
plausible wrong ones do not, named mistakes are said, rounding is judged as a grader would, and no
input, however odd or huge, makes the grader raise.

The parts are built here, as in test_grading.py, so the rules are pinned whatever the content says;
the exam's own parts are graded at the end with the issue's examples.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.exam import Blank, Mistake, Part, load_exam
from tutor.grading import SLIP_SHARE, Grade, grade


def make(kind: str, points: float = 4, answer=None, **fields) -> Part:
    return Part(label="a", points=points, kind=kind, prompt="", rubric="", explanation="", answer=answer, **fields)


PARAMS = make("number", 3, 18432.0, mistakes=(
    Mistake("18496", "that counts the 64 biases"),
    Mistake("288", "one output channel's kernels"),
))
TOTAL = make("number", 3, 3040.0, mistakes=(Mistake("2,880", "the second layer only: add the 1×1 layer's 160"),))
CLASS = make("number", 4, 2.0, mistakes=(Mistake("0.8", "a probability, the question asks for the class"),))
LOSS = make("number", 3, 2.5, mistakes=(Mistake("5", "the ½ is forgotten"),))
RATIO = make("number", 2, 18432 / 3040, decimals=2)
TF = make("true_false", 1, False)
TRUE = make("true_false", 1, True)
FORWARD = make(
    "values", 5, None,
    blanks=tuple(Blank(n, v) for n, v in (("h₁", 2.0), ("h₂", -0.5), ("h₃", 2.0), ("h₄", 0.0), ("o₁", 0.0), ("o₂", -1.5))),
    mistakes=(Mistake("h₂ = 0.5", "h₂: a sign slip"), Mistake("h₄ = -0.5", "h₄: ReLU not applied"),
              Mistake("o₁ = 0.25; o₂ = -2", "o₁, o₂ use h₄ = −0.5: apply ReLU first")),
)
PROBS = make("values", 12, None, decimals=2,
             blanks=tuple(Blank(n, v) for n, v in (("ŷ₁", 0.23122), ("ŷ₂", 0.62853), ("ŷ₃", 0.14025))))
POOL = make("matrix", 6, ((6.0, 8.0), (9.0, 7.0)), partial_points=4, work_required="the four windows",
            mistakes=(Mistake("6 9; 8 7", "rows and columns swapped"),))
AVERAGE = make("matrix", 6, ((3.75, 5.25), (4.5, 4.756)), decimals=2)
CHOICE = make("choice", 3, 1, choices=("plain block", "residual block", "dense block"),
              mistakes=(Mistake("c", "that concatenates: the dense block of DenseNet"),))
COLUMN = make("shape", 4, "d_x×1", accept_transpose=True)
GRAD = make("shape", 4, "n_c×d_h", accept_transpose=True, mistakes=(Mistake("d_h×d_x", "that is W₁'s shape"),))


def check(part: Part, response, work_shown: bool = False) -> Grade:
    result = grade(part, response, work_shown=work_shown)
    assert isinstance(result, Grade) and 0 <= result.score <= result.points
    return result


# Right answers in every notation ------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["18432", "18,432", "18 432", "18\u2009432", "18\u202f432", "18432 params", "18,432 weights",
     "32x3x3x64 = 18432", "32×3×3×64 = 18,432", "32 x 3 x 3 x 64 = 18 432 parameters", "params = 18432",
     "no. of params: 18,432", "18432 weights without biases", "1.8432e4", "1.8432×10⁴", "(18432)"],
)
def test_a_number_in_every_notation_gets_full_marks(typed):
    result = check(PARAMS, typed)
    assert (result.status, result.score) == ("correct", 3), result.feedback


@pytest.mark.parametrize(
    ("part", "typed"),
    [(TOTAL, "Total = 3,040"), (TOTAL, "160 + 2,880 = 3,040"), (TOTAL, "32x1x1x5 = 160 5x3x3x64 = 2,880 Total = 3,040"),
     (TOTAL, "3 040"), (CLASS, "class 2"), (CLASS, "2 (chicken)"), (CLASS, "2, chicken"), (LOSS, "E = 2.5"),
     (LOSS, "E = 0.5×1.0 + 0.5×4.0 = 2.5"), (LOSS, "MSE = ½(1)² + ½(2)² = 2.5"), (LOSS, "2.5 units"),
     (RATIO, "6.06"), (RATIO, "6.06x"), (RATIO, "≈ 6.06×"), (RATIO, "6.06:1"), (RATIO, "18432/3040 ≈ 6.06"),
     (RATIO, "6.063"), (RATIO, "6.0632")],
)
def test_more_right_answers_in_the_notations_students_use(part, typed):
    assert check(part, typed).status == "correct"


@pytest.mark.parametrize("typed", ["F", "false", "False.", "F - it is data-driven", "False, because rules cannot be written",
                                   "False: no rule-based approach", "false (data-driven)", "No, a data-driven approach",
                                   "False, because it is not true that rules work", "f; rules fail"])
def test_a_false_verdict_with_a_reason(typed):
    assert check(TF, typed).status == "correct"


@pytest.mark.parametrize("typed", ["True, because y = wᵀx + b is one layer", "T - one dense layer", "true (a single layer)",
                                   "Yes, it is one layer", "1."])
def test_a_true_verdict_with_a_reason(typed):
    assert check(TRUE, typed).status == "correct"


@pytest.mark.parametrize(
    "typed",
    ["6 8; 9 7", "[[6, 8], [9, 7]]", "((6,8),(9,7))", "((6, 8), (9, 7))", "{{6,8},{9,7}}", "[6 8][9 7]",
     "⎡6 8⎤ ⎣9 7⎦", "⎡ 6  8 ⎤\n⎣ 9  7 ⎦", "⎡6 8⎤⎣9 7⎦", "|6 8| |9 7|", "│ 6 8 │ │ 9 7 │", "6 8 | 9 7",
     "Output = [[6, 8], [9, 7]]", "output: 6 8; 9 7", "6.0 8.0; 9.0 7.0"],
)
def test_a_matrix_in_every_notation(typed):
    result = check(POOL, typed, work_shown=True)
    assert (result.status, result.score) == ("correct", 6), result.feedback


def test_three_rows_in_the_tutors_bracket_display():
    part = make("matrix", 6, ((1.0, 2.0), (3.0, 4.0), (5.0, 6.0)))
    for typed in ("⎡1 2⎤ ⎢3 4⎥ ⎣5 6⎦", "⎡1 2⎤ │3 4│ ⎣5 6⎦", "⎡ 1  2 ⎤\n⎢ 3  4 ⎥\n⎣ 5  6 ⎦", "|1 2|\n|3 4|\n|5 6|"):
        assert check(part, typed).status == "correct", typed


@pytest.mark.parametrize(
    "typed",
    ["h1=2 h2=-0.5 h3=2 h4=0 o1=0 o2=-1.5",
     "h1 = 2, h2 = -0.5, h3 = 2, h4 = 0, o1 = 0, o2 = -1.5",
     "h₁ = 2; h₂ = −0.5; h₃ = 2; h₄ = 0; o₁ = 0; o₂ = −1.5",
     "h1 = 2.0×1.0 − 1.0×0.5 + 0.5 = 2, h2 = -0.5, h3 = max(0, h1) = 2, h4 = max(0, h2) = 0, o1 = 0, o2 = -1.5"],
)
def test_every_value_in_one_line(typed):
    assert check(FORWARD, typed).status == "correct"


def test_every_value_typed_in_the_first_box_is_spread_over_the_others():
    boxes = {"h₁": "h1=2 h2=-0.5 h3=2 h4=0 o1=0 o2=-1.5", "h₂": "", "h₃": "", "h₄": "", "o₁": "", "o₂": ""}
    assert check(FORWARD, boxes).status == "correct"
    boxes = {"h₁": "h₁ = 2", "h₂": "h2 = -0.5", "h₃": "2", "h₄": "0", "o₁": "o1 = 0", "o₂": "-1.5"}
    assert check(FORWARD, boxes).status == "correct"
    boxes = {"h₁": "h1=2 h2=3", "h₂": "-0.5", "h₃": "2", "h₄": "0", "o₁": "0", "o₂": "-1.5"}
    result = check(FORWARD, boxes)
    assert result.status == "invalid" and "h₂ is given twice" in result.feedback


@pytest.mark.parametrize("typed", ["b", "(b)", "b)", "option b", "Option B", "answer: b", "2", "b because of the shortcut"])
def test_a_choice_in_every_notation(typed):
    assert check(CHOICE, typed).status == "correct"


def test_a_vector_shape_is_read_as_a_column_with_a_note():
    for typed in ("d_x", "dx", "dₓ", "d_x×1", "1×d_x"):
        result = check(COLUMN, typed)
        assert result.status == "correct", typed
    assert "Read d_x as the column vector d_x×1" in check(COLUMN, "d_x").feedback
    strict = make("shape", 4, "d_x×1")
    assert check(strict, "d_x").status == "correct"
    assert check(strict, "d_h").status == "wrong"
    assert check(GRAD, "n_c").status == "wrong"  # a matrix is not a vector


# Plausible wrong answers must not get full marks -----------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["18432 is wrong", "not 18432", "18432 isn't right", "18432 is not the answer", "no 18432",
     "18432 or 18496", "18432, 18496", "18,432 params, 18,496 with biases", "18.4k", "> 18000", "2,5",
     "about 18 thousand", "32x3x3x66", "How many parameters does a 3×3 convolution have?", "params", ""],
)
def test_negations_second_numbers_and_prompts_are_never_right(typed):
    result = check(PARAMS, typed)
    assert result.status != "correct" and result.score == 0, (typed, result)


def test_the_unreadable_say_why():
    assert "says 'wrong'" in check(PARAMS, "18432 is wrong").feedback
    assert "Two numbers" in check(PARAMS, "18432 or 18496").feedback
    assert "use a point for decimals" in check(LOSS, "2,5").feedback
    assert check(TOTAL, "3,040").status == "correct"  # three thousand and forty, not 3.04


@pytest.mark.parametrize("typed", ["not true", "not false", "True or false", "True, or maybe false", "TF", "maybe",
                                   "it is false", "Linear regression is a single layer", "no idea", "F T"])
def test_verdicts_that_are_not_one_verdict_first(typed):
    assert check(TF, typed).status == "invalid", typed
    assert check(TRUE, typed).status == "invalid", typed


def test_a_wrong_verdict_with_a_reason_is_wrong():
    assert check(TF, "True, because rules work").status == "wrong"


def test_the_working_shown_is_checked():
    result = check(PARAMS, "32x3x3x65 = 18432")
    assert result.status == "correct" and "32x3x3x65 is 18,720, not 18,432" in result.feedback
    result = check(PARAMS, "32x3x3x64 = 18,496")
    assert result.status == "wrong" and "32x3x3x64 is 18,432, not 18,496" in result.feedback


# Named mistakes ---------------------------------------------------------------------------------------


def test_a_named_mistake_is_said_in_the_feedback_and_earns_nothing():
    for typed in ("18496", "18,496", "18 496 params", "32x3x3x64 + 64 = 18496"):
        result = check(PARAMS, typed)
        assert (result.status, result.score) == ("wrong", 0)
        assert result.feedback.startswith("18,496 is not the answer: that counts the 64 biases."), result.feedback
    assert "one output channel's kernels" in check(PARAMS, "288").feedback
    assert check(PARAMS, "18000").feedback == "18,000 is not the answer."
    assert "the second layer only" in check(TOTAL, "2880").feedback
    assert "a probability" in check(CLASS, "0.8").feedback
    assert "a probability" in check(CLASS, "80%").feedback
    assert "½ is forgotten" in check(LOSS, "E = 5").feedback


def test_named_mistakes_of_values_matrices_choices_and_shapes():
    result = check(FORWARD, "h1=2 h2=0.5 h3=2 h4=0 o1=0 o2=-1.5")
    assert result.status == "partial" and result.details == ("h₂",) and "h₂: a sign slip." in result.feedback
    no_relu = check(FORWARD, "h1=2 h2=-0.5 h3=2 h4=-0.5 o1=0.25 o2=-2")
    assert "h₄: ReLU not applied." in no_relu.feedback and "apply ReLU first" in no_relu.feedback
    assert "sign slip" not in no_relu.feedback
    swapped = check(POOL, "[[6, 9], [8, 7]]", work_shown=True)
    assert swapped.status == "partial" and "Rows and columns swapped." in swapped.feedback
    assert "DenseNet" in check(CHOICE, "c").feedback and "DenseNet" not in check(CHOICE, "a").feedback
    assert "W₁'s shape" in check(GRAD, "d_h×d_x").feedback


# Rounding: "to 2 decimals" -------------------------------------------------------------------------


def test_every_value_that_rounds_to_the_answer_is_right():
    # 18432/3040 = 6.0631…, 6.06 to 2 decimals
    for typed in ("6.06", "6.055", "6.0649", "6.0631", "6.06315789"):
        assert check(RATIO, typed).status == "correct", typed


def test_a_rounding_slip_earns_the_partial_credit_a_grader_would_give():
    for typed in ("6.07", "6.05", "6.1"):  # one unit off in the last decimal asked for, or one decimal short
        result = check(RATIO, typed)
        assert result.status == "partial" and result.score == 1.5, (typed, result)
        assert "rounding slip" in result.feedback and "6.06 to 2 decimals" in result.feedback and "ours" in result.feedback
    for typed in ("6.08", "6.04", "6", "6.2", "6.0"):
        assert check(RATIO, typed).status == "wrong", typed
    ten = make("number", 10, 2.913066, decimals=2)
    assert check(ten, "2.92").score == 9 and check(ten, "2.91").score == 10
    assert check(make("number", 4, 0.1563, decimals=2), "0.15").score == 3.5


def test_an_exact_half_is_right_rounded_either_way():
    half = make("number", 2, 2.675, decimals=2)  # 2.675 exactly: 2.67 or 2.68
    assert check(half, "2.68").status == check(half, "2.67").status == "correct"
    assert check(half, "2.66").status == "partial"


def test_rounding_slips_in_values_and_matrices_keep_most_of_their_share():
    result = check(PROBS, {"ŷ₁": "0.23", "ŷ₂": "0.62", "ŷ₃": "0.14"})  # ŷ₂ is 0.63
    assert result.status == "partial" and result.details == ("ŷ₂",)
    assert result.score == 11.5 and "ŷ₂ is 0.63 to 2 decimals" in result.feedback
    assert check(PROBS, {"ŷ₁": "0.23", "ŷ₂": "0.6285", "ŷ₃": "0.1403"}).status == "correct"
    assert check(PROBS, {"ŷ₁": "0.23", "ŷ₂": "0.60", "ŷ₃": "0.14"}).score == 8
    result = check(AVERAGE, "3.75 5.25; 4.5 4.75")  # 4.756 is 4.76
    assert result.status == "partial" and result.details == ((1, 1),) and "rounding slip" in result.feedback.lower()
    assert result.score == 5.5
    assert check(AVERAGE, "3.75 5.25; 4.5 4.76").status == "correct"
    assert SLIP_SHARE == 0.9


# Guard: an answer exactly at the tolerance edge is right ----------------------------------------


@pytest.mark.parametrize("answer", [2.5, -1.5, 0.3, 0.1 + 0.2, 6.063157894736842, 18432.0, 1e-3, 123.456])
@pytest.mark.parametrize("tolerance", [0.01, 0.05, 0.001, 0.5])
def test_an_answer_exactly_at_the_tolerance_edge_is_right_for_numbers_and_values(answer, tolerance):
    number = make("number", 3, answer, tolerance=tolerance)
    values = make("values", 2, None, tolerance=tolerance, blanks=(Blank("a", answer), Blank("b", -answer)))
    for edge in (answer + tolerance, answer - tolerance):
        typed = repr(edge)
        assert check(number, typed).status == "correct", (answer, tolerance, typed)
        assert check(values, {"a": typed, "b": repr(-answer)}).status == "correct", (answer, tolerance, typed)
    for beyond in (answer + 1.01 * tolerance, answer - 1.01 * tolerance):
        assert check(number, repr(beyond)).status == "wrong", (answer, tolerance, beyond)
        assert check(values, {"a": repr(beyond), "b": repr(-answer)}).details == ("a",)


# Never raises, never slow ---------------------------------------------------------------------------

EVERY = (PARAMS, TOTAL, CLASS, LOSS, RATIO, TF, FORWARD, PROBS, POOL, AVERAGE, CHOICE, COLUMN, GRAD)
HUGE = ["1" * 4301, "1" * 4301 + " params", "-" + "9" * 5000, "9" * 100_000, "1e" + "9" * 5000,
        "(" * 3000 + "1" + ")" * 3000, "[" * 3000, "h1=" * 3000, "2^" * 3000 + "2", "x" * 20_001,
        "18432 " * 3000, "⎡" + "1 " * 9000 + "⎤", "\x00" * 1000, "∞" * 100, "nan", "1" * 4301 + "×" + "1" * 4301]


@pytest.mark.parametrize("part", EVERY, ids=lambda p: f"{p.kind}-{p.answer}")
def test_huge_inputs_give_a_grade_quickly(part):
    start = time.perf_counter()
    for text in HUGE:
        response = {b.name: text for b in part.blanks} if part.kind == "values" else text
        result = check(part, response)
        assert result.status != "correct"
    assert time.perf_counter() - start < 10  # a guard against runaway scanning, not a benchmark


@settings(deadline=None, max_examples=150)
@given(part=st.sampled_from(EVERY), text=st.text(max_size=60), work_shown=st.booleans())
def test_any_text_gives_a_grade(part, text, work_shown):
    response = {part.blanks[0].name: text} if part.kind == "values" and text.startswith("h") else text
    check(part, response, work_shown)


@settings(deadline=None, max_examples=150)
@given(text=st.text(alphabet="0123456789 ,.=+-×x()hoHO₁₂₃₄_:;%≈k", max_size=40))
def test_number_like_text_gives_a_grade(text):
    for part in (PARAMS, RATIO, FORWARD, POOL):
        check(part, text)


# The exam's own parts, with the issue's examples ----------------------------------------------------

EXAM = load_exam(prove=False)


def part_of(number: int, label: str) -> Part:
    return next(p for p in EXAM.question(number).parts if p.label == label)


@pytest.mark.parametrize(
    ("number", "label", "typed", "status", "said"),
    [
        (9, "a", "18 432 params", "correct", ""),
        (9, "a", "32x3x3x64 = 18432", "correct", ""),
        (9, "a", "18496", "wrong", "64 biases"),
        (9, "a", "18432 is wrong", "invalid", "says 'wrong'"),
        (9, "a", "not 18432", "invalid", "says 'not'"),
        (9, "b", "Total = 3,040", "correct", ""),
        (9, "b", "32x1x1x5 = 160 5x3x3x64 = 2,880 Total = 3,040", "correct", ""),
        (9, "b", "2,880", "wrong", "the second layer only"),
        (9, "b", "3109", "wrong", "biases"),
        (4, "a", "3 outputs", "correct", ""),
        (4, "a", "4", "wrong", "pixels"),
        (4, "b", "0.8", "wrong", "a probability"),
        (4, "b", "class 2 (chicken)", "correct", ""),
        (5, "c", "E = 2.5", "correct", ""),
        (5, "c", "5", "wrong", "½ is forgotten"),
        (1, "a", "F - it is data-driven", "correct", ""),
        (1, "b", "True, because …", "correct", ""),
        (10, "a", "option b", "correct", ""),
        (10, "a", "1" * 4301, "invalid", "not an option"),
    ],
)
def test_the_issues_examples_on_the_exam(number, label, typed, status, said):
    result = check(part_of(number, label), typed)
    assert result.status == status and said in result.feedback, result


def test_the_exams_matrix_in_the_tutors_display_and_its_transpose():
    part = part_of(8, "a")
    assert check(part, "((6,8),(9,7))", work_shown=True).status == "correct"
    assert check(part, "⎡6 8⎤ ⎣9 7⎦", work_shown=True).status == "correct"
    assert "Rows and columns swapped" in check(part, "[[6, 9], [8, 7]]", work_shown=True).feedback


def test_the_exams_forward_pass_in_one_box_and_its_slips():
    part = part_of(5, "b")
    names = [b.name for b in part.blanks]
    first_box = {names[0]: "h1=2 h2=-0.5 h3=2 h4=0 o1=0 o2=-1.5"} | {n: "" for n in names[1:]}
    assert check(part, first_box).status == "correct"
    slip = check(part, "h1=2 h2=0.5 h3=2 h4=0.5 o1=0.75 o2=-1")
    assert slip.status == "partial" and "a sign slip" in slip.feedback


def test_every_named_mistake_of_the_exam_is_read_and_wrong():
    from tutor.exam import prove_mistakes

    named = [(q.number, p) for q in EXAM.questions for p in q.parts if p.mistakes]
    assert {(n, p.label) for n, p in named} >= {(4, "a"), (4, "b"), (5, "b"), (5, "c"), (8, "a"), (9, "a"), (9, "b")}
    for number, part in named:
        assert prove_mistakes(None, part) == [], (number, part.label)
