"""tutor.parsing: what a student may type for numbers, matrices, true/false and shapes."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.parsing import ParseError, format_shape, parse_bool, parse_matrix, parse_number, parse_shape

MINUS = "\u2212"


# Numbers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2", 2.0),
        (" -0.5 ", -0.5),
        ("\u22120.5", -0.5),  # Unicode minus
        ("\u20130.5", -0.5),  # en dash
        ("+3", 3.0),
        ("1e-3", 0.001),
        ("1E3", 1000.0),
        ("1e\u22123", 0.001),
        (".5", 0.5),
        ("2.", 2.0),
        ("2.5 ", 2.5),
        ("1/2", 0.5),
        ("-1/4", -0.25),
        ("18,432", 18432.0),
        ("1,234,567.5", 1234567.5),
        ("32x3x3x64", 18432.0),
        ("32×3×3×64", 18432.0),
        ("32*3*3*64", 18432.0),
        ("32 × 3 × 3 × 64", 18432.0),
        ("0.5·4", 2.0),
        ("2 × −0.5", -1.0),
        ("160 + 2,880", 3040.0),
        ("5x3x3x64 + 32x1x1x5", 3040.0),
        ("0.5*1.0 + 0.5*4.0", 2.5),
        ("3 - 1", 2.0),
        ("(2)", 2.0),
        ("18 432", 18432.0),  # thousands by a space
        ("18\u2009432", 18432.0),  # by a thin space
        ("18\u202f432", 18432.0),  # by a narrow no-break space
        ("18\u00a0432", 18432.0),  # by a no-break space
        ("1 234 567.5", 1234567.5),
        ("160 + 2 880", 3040.0),
        ("0.5(1 - 0)² + 0.5(0.5 + 1.5)²", 2.5),
        ("0.5×1.0 + 0.5×4.0", 2.5),
        ("½ × 1 + ½ × 4", 2.5),
        ("2^3^2", 512.0),
        ("-2^2", -4.0),
        ("2^-1", 0.5),
        ("1.8432×10⁴", 18432.0),
        ("5×10⁻¹", 0.5),
        ("((1 + 2) × 3)", 9.0),
        ("2(3)", 6.0),
    ],
)
def test_parse_number_accepts(text, value):
    assert parse_number(text) == pytest.approx(value, rel=1e-12, abs=0)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "nothing typed"),
        ("   ", "nothing typed"),
        ("abc", "'abc' is not a number"),
        ("nan", "not a finite number"),
        ("NaN", "not a finite number"),
        ("inf", "not a finite number"),
        ("\u2212inf", "not a finite number"),
        ("∞", "not a finite number"),
        ("1e999", "not a finite number"),
        ("1e308 * 10", "not a finite number"),
        ("1/0", "division by zero"),
        ("1,5", "use a point for decimals"),
        ("1,23", "is not a number"),
        ("12,3456", "is not a number"),
        ("1 2", "is not a number"),
        ("2x", "is not a number"),
        ("x2", "is not a number"),
        ("--2", "is not a number"),
        ("1..5", "is not a number"),
        ("1_000", "is not a number"),
        ("__import__('os')", "is not a number"),
        ("2**8", "is not a number"),
        ("(2", "is not a number"),
        ("2)", "is not a number"),
        ("()", "is not a number"),
        ("2^", "is not a number"),
        ("(-8)^(1/3)", "not a real number"),
        ("0^-1", "division by zero"),
        ("10^400", "not a finite number"),
        ("2½", "mixed fractions"),
        ("1 2", "is not a number"),
        ("1 23", "is not a number"),
        ("12 34", "is not a number"),
        ("1 2345", "is not a number"),
    ],
)
def test_parse_number_rejects(text, reason):
    with pytest.raises(ParseError, match=reason):
        parse_number(text)


def test_parse_error_is_a_value_error():
    assert issubclass(ParseError, ValueError)


finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(deadline=None)
@given(finite)
def test_parse_number_round_trips_repr(x):
    assert parse_number(repr(x)) == x
    assert parse_number(repr(x).replace("-", MINUS)) == x
    assert parse_number(f"  {x!r}\t") == x


@settings(deadline=None)
@given(finite)
def test_parse_number_round_trips_g_format(x):
    text = format(x, "g")
    assert parse_number(text) == float(text)
    assert parse_number(text.replace("-", MINUS)) == float(text)


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_parse_number_reads_thousands_separators(n):
    assert parse_number(f"{n:,}") == n


@settings(deadline=None)
@given(st.text())
def test_parse_number_never_raises_anything_else(text):
    try:
        value = parse_number(text)
    except ParseError as exc:
        assert str(exc)
    else:
        assert isinstance(value, float) and math.isfinite(value)


# Matrices -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "6 8; 9 7",
        "6 8\n9 7",
        "6, 8\n9, 7\n",
        "[[6, 8], [9, 7]]",
        "[[6,8],\n [9,7]]",
        "[6 8; 9 7]",
        "[6, 8]; [9, 7]",
        " 6  8 ;  9  7 ; ",
        "6.0 8.0; 9 7",
    ],
)
def test_parse_matrix_accepts(text):
    assert parse_matrix(text) == [[6.0, 8.0], [9.0, 7.0]]


def test_parse_matrix_unicode_minus_and_single_row():
    assert parse_matrix("\u22121 2.5 1e-3") == [[-1.0, 2.5, 0.001]]


def test_parse_matrix_ragged_rows_name_the_row():
    with pytest.raises(ParseError, match="row 2 has 3 numbers, row 1 has 2"):
        parse_matrix("6 8; 9 7 1")
    with pytest.raises(ParseError, match="row 3 has 1 number, row 1 has 2"):
        parse_matrix("6 8\n9 7\n5")


def test_parse_matrix_bad_cell_names_row_and_column():
    with pytest.raises(ParseError, match="row 2, column 1: 'x' is not a number"):
        parse_matrix("6 8; x 7")


@pytest.mark.parametrize("text", ["", "  ", "[]", "[[ ]]", ";\n;"])
def test_parse_matrix_nothing_typed(text):
    with pytest.raises(ParseError, match="nothing typed"):
        parse_matrix(text)


@settings(deadline=None)
@given(
    st.integers(min_value=1, max_value=4).flatmap(
        lambda cols: st.lists(st.lists(finite, min_size=cols, max_size=cols), min_size=1, max_size=4)
    ),
    st.sampled_from(["; ", "\n", "],[", "];["]),
    st.sampled_from([" ", ", ", ","]),
)
def test_parse_matrix_round_trips(rows, row_sep, cell_sep):
    text = row_sep.join(cell_sep.join(repr(v) for v in row) for row in rows)
    if row_sep.startswith("]"):
        text = "[[" + text + "]]"
    assert parse_matrix(text) == rows


@settings(deadline=None)
@given(st.text())
def test_parse_matrix_never_raises_anything_else(text):
    try:
        rows = parse_matrix(text)
    except ParseError as exc:
        assert str(exc)
    else:
        assert rows and all(len(row) == len(rows[0]) for row in rows)
        assert all(math.isfinite(v) for row in rows for v in row)


# True / false -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["true", "T", "t", "True", "YES", "y", "1", " true. "])
def test_parse_bool_true(text):
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", ["false", "F", "f", "FALSE", "no", "N", "0"])
def test_parse_bool_false(text):
    assert parse_bool(text) is False


def test_parse_bool_rejects():
    with pytest.raises(ParseError, match="nothing typed"):
        parse_bool("  ")
    with pytest.raises(ParseError, match="not true or false"):
        parse_bool("maybe")


# Shapes -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "n_c×d_h",
        "n_c x d_h",
        "n_c X d_h",
        "(n_c, d_h)",
        "[n_c, d_h]",
        "nc*dh",
        "nc x dh",
        "ncxdh",
        "n_cxd_h",
        "ℝ^(n_c×d_h)",
        "∈ ℝ^(n_c×d_h)",
        "R^(n_c x d_h)",
        "\\mathbb{R}^{n_c \\times d_h}",
        "n_{c} × d_{h}",
        "n_c by d_h",
        "n꜀×dₕ",
        "N_c × D_h",
        "n_c d_h",
    ],
)
def test_parse_shape_accepts(text):
    assert parse_shape(text) == ("n_c", "d_h")


@pytest.mark.parametrize(
    ("text", "dims"),
    [
        ("d_h × 1", ("d_h", "1")),
        ("dh x 1", ("d_h", "1")),
        ("dhx1", ("d_h", "1")),
        ("dₓ×1", ("d_x", "1")),
        ("dx*1", ("d_x", "1")),
        ("dxx1", ("d_x", "1")),
        ("d_x x 1", ("d_x", "1")),
        ("d_h×d_x", ("d_h", "d_x")),
        ("dhxdx", ("d_h", "d_x")),
        ("2×2", ("2", "2")),
        ("n", ("n",)),
    ],
)
def test_parse_shape_other_shapes(text, dims):
    assert parse_shape(text) == dims


@pytest.mark.parametrize("text", ["hello", "n_c + d_h", "n_c×d_h?", "x", "×"])
def test_parse_shape_rejects(text):
    with pytest.raises(ParseError, match="not a"):
        parse_shape(text)


def test_parse_shape_nothing_typed():
    with pytest.raises(ParseError, match="nothing typed"):
        parse_shape(" ")


def test_format_shape():
    assert format_shape(("n_c", "d_h")) == "n_c×d_h"


@settings(deadline=None)
@given(st.text())
def test_parse_shape_never_raises_anything_else(text):
    try:
        dims = parse_shape(text)
    except ParseError as exc:
        assert str(exc)
    else:
        assert dims and all(isinstance(d, str) and d for d in dims)


@settings(deadline=None)
@given(st.text(alphabet="ncdhx_×*, ()1ℝ^", max_size=40))
def test_parse_shape_never_raises_on_shape_like_text(text):
    try:
        parse_shape(text)
    except ParseError:
        pass
