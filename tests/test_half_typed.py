"""What the live editors wait on while a number is typed (tutor.half_typed): a number on its way
waits, a number is not half-typed, and what no key can finish is not either."""

import pytest

from tutor.half_typed import half_typed
from tutor.parsing import parse_number


@pytest.mark.parametrize("text", ["", "  ", "-", "−", "+", ".", "-.", "1e", "1e-", "2×", "2x", "(1 +", "1/", "3*"])
def test_on_its_way_to_a_number(text):
    assert half_typed(text)


@pytest.mark.parametrize("text", ["1", "-3", "1e-3", "0.5", "1/2", "18,432"])
def test_a_number_already_is_not_half_typed(text):
    parse_number(text)
    assert not half_typed(text)


@pytest.mark.parametrize("text", ["abc", "1abc", "--", "e", "1..", "inf", "nan", "-i", "1 2 3 4 a"])
def test_what_no_key_can_finish_is_not_half_typed(text):
    assert not half_typed(text)
