"""tutor.notation: the value in what a student writes around it, and never a guess.

Right answers in the notations students type come out as their value; negations, second numbers,
comparisons and multipliers come out as a ParseError with the reason, never as a number.
"""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.notation import blank_key, read_choice, read_number, split_values
from tutor.parsing import ParseError

# Numbers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the examples
        ("18 432", 18432),
        ("18\u2009432", 18432),  # thin space
        ("18432 params", 18432),
        ("3 outputs", 3),
        ("3 classes", 3),
        ("32x3x3x64 = 18432", 18432),
        ("Total = 3,040", 3040),
        ("E = 2.5", 2.5),
        ("3,040", 3040),
        # more names, units and words
        ("18,432 weights", 18432),
        ("18 432 parameters", 18432),
        ("18432params", 18432),
        ("params = 18432", 18432),
        ("no. of params = 18432", 18432),
        ("number of parameters: 18,432", 18432),
        ("answer: 3", 3),
        ("the answer is 3", 3),
        ("3?", 3),
        ("3 - the classes", 3),
        ("3 outputs: o1, o2, o3", 3),
        ("3 (cat, chicken, dog)", 3),
        ("class 2 (chicken)", 2),
        ("2 (chicken)", 2),
        ("2, chicken", 2),
        ("o₂ = −1.5", -1.5),
        ("o2 = -1.5", -1.5),
        ("-1.5 (o2)", -1.5),
        ("∂l/∂o₁ = 0.3", 0.3),
        ("MSE = 2.5", 2.5),
        ("18432 weights without biases", 18432),
        ("(18432)", 18432),
        ("18,432 (32×3×3×64)", 18432),  # the working beside the value, not a product
        ("3,040 (160 + 2,880)", 3040),
        # the working shown, the last value counting
        ("32 x 3 x 3 x 64 = 18,432 weights", 18432),
        ("32×3×3×64 = 18,432", 18432),
        ("160 + 2,880 = 3,040", 3040),
        ("32x1x1x5 + 5x3x3x64 = 3040", 3040),
        ("32x1x1x5 = 160 5x3x3x64 = 2,880 Total = 3,040", 3040),  # the key's own line
        ("E = 0.5×1.0 + 0.5×4.0 = 2.5", 2.5),
        ("E=0.5*(1)^2+0.5*(2)^2=2.5", 2.5),
        ("E = ½(t₁ − o₁)² + ½(t₂ − o₂)² = 0.5×1.0 + 0.5×4.0 = 2.5", 2.5),
        ("18432/3040 ≈ 6.06", 6.06),
        ("2.7568 + 0.1562 = 2.9131", 2.9131),
        # ratios and percentages
        ("≈ 6.06×", 6.06),
        ("6.06x", 6.06),
        ("6.06 times", 6.06),
        ("6.06:1", 6.06),
        ("6.06 to 1", 6.06),
        ("80%", 0.8),
        ("1e-3 units", 0.001),
        ("1.2E+3 params", 1200),
    ],
)
def test_read_number_finds_the_value(text, value):
    assert read_number(text).value == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # a negation or a second different number is never right
        ("18432 is wrong", "says 'wrong'"),
        ("not 18432", "says 'not'"),
        ("18432 isn't right", "says 'isn't'"),
        ("18432 is not the answer", "says 'not'"),
        ("no, 18432", "says 'no'"),
        ("18432 (no biases)", "says 'no'"),
        ("never 3", "says 'never'"),
        ("18432 or 18496", "two numbers"),
        ("3, 4", "two numbers"),
        ("3; 4", "two numbers"),
        ("2 (chicken, with 0.8)", "two numbers"),
        ("18496 with biases, 18432 without", "two numbers"),
        ("5 classes 3 outputs", "two numbers"),
        ("18,496 (32×3×3×64)", "two numbers"),
        # comparisons, multipliers, symbols
        ("> 18000", "comparison"),
        ("≥ 3", "comparison"),
        ("6.06 ± 0.01", "comparison"),
        ("18.4k", "not a number"),
        ("18.4 thousand", "out in full"),
        ("2 million", "out in full"),
        ("2π", "not a number"),
        ("h3 × 0.5", "calculates with letters"),
        ("2w + 3", "not a number"),
        ("x2.0", "not a number"),
        ("2.0q", "not a number"),
        # the ambiguous decimal comma keeps its message
        ("2,5", "use a point for decimals"),
        ("2,5 params", "use a point for decimals"),
        ("E = 2,5", "use a point for decimals"),
        ("1,23", "use a point for decimals"),
        # no number at all
        ("", "nothing typed"),
        ("   ", "nothing typed"),
        ("twelve", "not a number"),
        ("E =", "not a number"),
        ("How many outputs oⱼ does the model have?", "not a number"),
        ("80% and 20%", "two numbers"),
        ("50%%", "not a number"),
    ],
)
def test_read_number_refuses_with_the_reason(text, reason):
    with pytest.raises(ParseError, match=reason):
        read_number(text)


def test_the_working_is_checked_and_a_wrong_step_said():
    reading = read_number("32x3x3x65 = 18432")
    assert reading.value == 18432
    assert [(s.shown, s.value, s.claimed) for s in reading.slips] == [("32x3x3x65", 18720, 18432)]
    reading = read_number("32x3x3x64 = 18,496")
    assert reading.value == 18496 and reading.slips[0].value == 18432
    assert read_number("18432 = 18496").slips[0].shown == "18432"


@pytest.mark.parametrize(
    "text",
    [
        "32×3×3×64 = 18,432",
        "18432/3040 ≈ 6.06",  # rounded to the decimals typed
        "18432/3040 = 6.1",
        "18432/3040 = 6",
        "2.7568 + 0.1562 = 2.9131",  # each term rounded: the sum may be one unit off
        "1.23 × 4.56 = 5.61",
        "32x1x1x5 = 160 5x3x3x64 = 2,880 Total = 3,040",  # "Total" names the next value
        "18432 params = 18432",
        "E = ½(t₁ − o₁)² + ½(t₂ − o₂)² = 2.5",  # working in symbols: not checked
    ],
)
def test_right_working_and_rounding_are_not_called_slips(text):
    assert read_number(text).slips == ()


def test_notes_say_how_a_percentage_or_a_ratio_was_read():
    assert read_number("80%").notes == ("80% read as 0.8",)
    assert read_number("6.06:1").notes == ("read as a ratio to 1",)
    assert read_number("18432 params").notes == ()


def test_huge_and_long_inputs_are_refused_quickly():
    start = time.perf_counter()
    for text in ("1" * 4301, "1" * 4301 + " params", "9" * 100_000, "(" * 5000 + "1" + ")" * 5000,
                 "-" * 5000 + "1", "2^" * 3000 + "2", "1 " * 9000, "18432 " + "params " * 2500):
        try:
            value = read_number(text).value
        except ParseError as error:
            assert str(error)
        else:
            assert math.isfinite(value)
    assert time.perf_counter() - start < 5  # generous: a guard against runaway scanning, not a benchmark


@settings(deadline=None, max_examples=300)
@given(st.text(max_size=80))
def test_read_number_never_raises_anything_else(text):
    try:
        reading = read_number(text)
    except ParseError as error:
        assert str(error)
    else:
        assert math.isfinite(reading.value)


@settings(deadline=None, max_examples=300)
@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([" params", " weights", "", " (total)"]),
       st.sampled_from(["", "Total = ", "answer: ", "n = "]))
def test_a_number_with_a_name_or_a_unit_reads_as_itself(n, unit, name):
    for shown in (f"{n:,}", f"{n:,}".replace(",", " "), str(n)):
        assert read_number(f"{name}{shown}{unit}").value == n


@settings(deadline=None, max_examples=200)
@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_two_different_numbers_are_never_one_answer(a, b):
    if a != b:
        for text in (f"{a} or {b}", f"{a} params, {b} weights", f"{a}; {b}"):
            with pytest.raises(ParseError):
                read_number(text)


@settings(deadline=None, max_examples=200)
@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["not", "isn't", "wrong", "no", "never", "incorrect"]))
def test_a_negation_is_never_a_number(n, word):
    for text in (f"{word} {n}", f"{n} {word}", f"{n} is {word}", f"the answer is {word} {n}"):
        with pytest.raises(ParseError, match="says"):
            read_number(text)


# Several values in one box ------------------------------------------------------------------------

FORWARD = ["h₁", "h₂", "h₃", "h₄", "o₁", "o₂"]
RIGHT = {"h₁": "2", "h₂": "-0.5", "h₃": "2", "h₄": "0", "o₁": "0", "o₂": "-1.5"}


@pytest.mark.parametrize(
    "text",
    [
        "h1=2 h2=-0.5 h3=2 h4=0 o1=0 o2=-1.5",
        "h1 = 2, h2 = -0.5, h3 = 2, h4 = 0, o1 = 0, o2 = -1.5",
        "h1 = 2; h2 = -0.5; h3 = 2; h4 = 0; o1 = 0; o2 = -1.5",
        "h₁ = 2\nh₂ = -0.5\nh₃ = 2\nh₄ = 0\no₁ = 0\no₂ = -1.5",
        "H_1: 2  h_2: -0.5  h_3: 2  h_4: 0  o_1: 0  o_2: -1.5",
        "o2=-1.5 o1=0 h4=0 h3=2 h2=-0.5 h1=2",
        "forward pass: h1=2 h2=-0.5 h3=2 h4=0 o1=0 o2=-1.5",
    ],
)
def test_split_values_reads_every_separator(text):
    assert split_values(text, FORWARD) == RIGHT


def test_split_values_keeps_the_working_of_each_value():
    text = "h₁ = 2.0×1.0 − 1.0×0.5 + 0.5 = 2.0, h₂ = i₁×w₁₂ + i₂×w₂₂ + b₂ = −0.5"
    found = split_values(text, FORWARD)
    assert found == {"h₁": "2.0×1.0 − 1.0×0.5 + 0.5 = 2.0", "h₂": "i₁×w₁₂ + i₂×w₂₂ + b₂ = −0.5"}
    assert read_number(found["h₁"]).value == 2 and read_number(found["h₂"]).value == -0.5


def test_split_values_knows_the_names_in_every_spelling():
    names = ["ŷ₁", "ŷ₂", "ŷ₃", "∂l/∂o₁", "∂l/∂o₂", "∂l/∂o₃"]
    text = "yhat1=0.2 y^2 = 0.3 ŷ3=0.5 dl/do1 = 0.2 ∂l/∂o₂=-0.7 dl / do3 = 0.5"
    assert split_values(text, names) == {
        "ŷ₁": "0.2", "ŷ₂": "0.3", "ŷ₃": "0.5", "∂l/∂o₁": "0.2", "∂l/∂o₂": "-0.7", "∂l/∂o₃": "0.5"}
    assert blank_key("h₁") == blank_key("H_1") == blank_key("h1")
    assert blank_key("∂l/∂o₁") == blank_key("dl/do1")


def test_split_values_refuses_other_names_and_repeats():
    assert split_values("2", FORWARD) is None
    with pytest.raises(ParseError, match="'x = 3' is not one of h₁"):
        split_values("x = 3, h1 = 2", FORWARD)
    with pytest.raises(ParseError, match="h₁ is given twice"):
        split_values("h1=2 h1=3", FORWARD)
    assert split_values("h1=2 h1=2", FORWARD) == {"h₁": "2"}


# Choices ------------------------------------------------------------------------------------------

OPTIONS = ["x → layer → ReLU → output", "x → layer → add x → ReLU → output", "a third", "a fourth"]


@pytest.mark.parametrize(
    "text",
    ["b", "B", "(b)", "b)", "b.", "[b]", "option b", "Option B", "option (b)", "answer: b", "the answer is b",
     "choice 2", "2", "(2)", "b) x → layer → add x → ReLU → output", "b because it adds x",
     "x → layer → add x → ReLU → output", "  X → layer → ADD x → ReLU → output  "],
)
def test_read_choice_reads_every_way_of_naming_an_option(text):
    assert read_choice(text, OPTIONS) == 1


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "nothing typed"),
        ("e", "not an option"),
        ("5", "not an option"),
        ("0", "not an option"),
        ("1" * 4301, "not an option"),  # int() of this many digits raises: never reached
        ("a residual block adds x", "not an option"),  # the article, not option a
        ("b) x → layer → ReLU → output", "gives the text of a"),
        ("maybe", "not an option"),
    ],
)
def test_read_choice_refuses(text, reason):
    with pytest.raises(ParseError, match=reason):
        read_choice(text, OPTIONS)
