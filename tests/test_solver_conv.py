"""Convolution sizes and parameter counts against counting by hand."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.solver import (
    Traced,
    bottleneck_params,
    conv_output_size,
    conv_params,
    conv_transpose_output_size,
    trace_bottleneck_params,
    trace_conv_output_size,
    trace_conv_params,
    trace_conv_transpose_output_size,
)


def count_positions(n, kernel, stride, padding, dilation):
    """Slide a dilated kernel over the padded input one position at a time and count the stops."""
    span = dilation * (kernel - 1) + 1
    count, start = 0, 0
    while start + span <= n + 2 * padding:
        count += 1
        start += stride
    return count


def scatter_length(n, kernel, stride, padding, output_padding, dilation):
    """Transposed convolution: each input cell i writes to i·s + j·d; crop p each side, add op."""
    touched = [i * stride + j * dilation for i in range(n) for j in range(kernel)]
    return max(touched) + 1 - 2 * padding + output_padding


@settings(deadline=None, max_examples=300)
@given(
    n=st.integers(1, 64),
    kernel=st.integers(1, 7),
    stride=st.integers(1, 4),
    padding=st.integers(0, 3),
    dilation=st.integers(1, 3),
)
def test_conv_output_size_counts_the_kernel_positions(n, kernel, stride, padding, dilation):
    expected = count_positions(n, kernel, stride, padding, dilation)
    if expected == 0:
        with pytest.raises(ValueError, match="larger than the padded input"):
            conv_output_size(n, kernel, stride, padding, dilation)
    else:
        assert conv_output_size(n, kernel, stride, padding, dilation) == expected
        traced = trace_conv_output_size(n, kernel, stride, padding, dilation)
        assert traced.output == expected and isinstance(traced.output, int)
        assert traced.steps[-1].text().endswith(f"= {expected}")


@settings(deadline=None, max_examples=300)
@given(
    n=st.integers(1, 40),
    kernel=st.integers(1, 7),
    stride=st.integers(1, 4),
    padding=st.integers(0, 3),
    dilation=st.integers(1, 3),
    data=st.data(),
)
def test_conv_transpose_output_size_scatters_and_inverts_the_convolution(
    n, kernel, stride, padding, dilation, data
):
    output_padding = data.draw(st.integers(0, max(stride, dilation) - 1))
    expected = scatter_length(n, kernel, stride, padding, output_padding, dilation)
    if expected < 1:
        with pytest.raises(ValueError, match="leaves no output"):
            conv_transpose_output_size(n, kernel, stride, padding, output_padding, dilation)
        return
    size = conv_transpose_output_size(n, kernel, stride, padding, output_padding, dilation)
    assert size == expected
    if output_padding < stride:
        # the convolution with the same settings maps the transposed output back to n
        assert conv_output_size(size, kernel, stride, padding, dilation) == n


@settings(deadline=None, max_examples=100)
@given(
    c_in=st.integers(1, 512),
    c_out=st.integers(1, 512),
    kernel=st.integers(1, 7),
    bias=st.booleans(),
)
def test_conv_params_counts_the_weight_tensor(c_in, c_out, kernel, bias):
    weight = np.empty((c_out, c_in, kernel, kernel), dtype=np.int8)
    expected = weight.size + (c_out if bias else 0)
    assert conv_params(c_in, c_out, kernel, bias=bias) == expected


@settings(deadline=None, max_examples=100)
@given(
    c_in=st.integers(1, 256),
    c_mid=st.integers(1, 64),
    c_out=st.integers(1, 256),
    kernel=st.integers(1, 7),
    bias=st.booleans(),
)
def test_bottleneck_is_the_sum_of_its_two_layers(c_in, c_mid, c_out, kernel, bias):
    expected = conv_params(c_in, c_mid, 1, bias) + conv_params(c_mid, c_out, kernel, bias)
    assert bottleneck_params(c_in, c_mid, c_out, kernel, bias) == expected
    steps = trace_bottleneck_params(c_in, c_mid, c_out, kernel, bias).steps
    assert [step.value for step in steps[:3]] == [
        conv_params(c_in, c_mid, 1, bias),
        conv_params(c_mid, c_out, kernel, bias),
        expected,
    ]
    assert steps[3].value == pytest.approx(conv_params(c_in, c_out, kernel, bias) / expected)


def test_traced_twins_show_their_arithmetic():
    step = trace_conv_params(32, 64, 3).steps[0]
    assert "32×3×3×64 = 18,432" in step.text()
    assert step.label.startswith("parameters of 3×3 conv")
    assert "+ 64" in trace_conv_params(32, 64, 3, bias=True).steps[0].formula

    size = trace_conv_output_size(32, 3, stride=2, padding=1)
    assert size.steps[0].text() == (
        "output size = ⌊(n + 2p − k)/s⌋ + 1 = ⌊(32 + 2×1 − 3)/2⌋ + 1 = ⌊31/2⌋ + 1 = 15 + 1 = 16"
    )
    transposed = trace_conv_transpose_output_size(16, 4, stride=2, padding=1)
    assert (
        transposed.steps[0].text() == "output size = (n − 1)s − 2p + k = (16 − 1)×2 − 2×1 + 4 = 32"
    )
    assert isinstance(transposed, Traced) and int(np.asarray(transposed)) == 32


def test_numpy_integers_are_accepted():
    assert conv_output_size(np.int64(32), np.int32(3), np.int16(1), np.uint8(1)) == 32
    assert conv_params(np.int64(32), np.int64(64), np.int64(3), bias=np.bool_(False)) == 18432


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: conv_output_size(0, 3), "input size n must be at least 1"),
        (lambda: conv_output_size(32, 0), "kernel size must be at least 1"),
        (lambda: conv_output_size(32, 3, stride=0), "stride must be at least 1"),
        (lambda: conv_output_size(32, 3, padding=-1), "padding must not be negative"),
        (lambda: conv_output_size(32, 3, dilation=0), "dilation must be at least 1"),
        (lambda: conv_output_size(2, 5), "kernel 5 is larger than the padded input 2"),
        (
            lambda: conv_output_size(4, 3, dilation=2),
            r"spans 5\) is larger than the padded input 4",
        ),
        (lambda: conv_output_size(32.0, 3), "whole number"),
        (lambda: conv_output_size(32, 3.5), "whole number"),
        (lambda: conv_output_size(32, True), "whole number"),
        (lambda: conv_output_size("32", 3), "whole number"),
        (
            lambda: conv_transpose_output_size(16, 4, stride=2, output_padding=2),
            "smaller than the stride",
        ),
        (lambda: conv_transpose_output_size(16, 4, output_padding=-1), "must not be negative"),
        (lambda: conv_transpose_output_size(1, 1, padding=1), "leaves no output"),
        (lambda: conv_transpose_output_size(16, 0), "kernel size must be at least 1"),
        (lambda: conv_params(0, 64, 3), "in_channels must be at least 1"),
        (lambda: conv_params(32, 0, 3), "out_channels must be at least 1"),
        (lambda: conv_params(32, 64, 0), "kernel size must be at least 1"),
        (lambda: conv_params(32, 64, 3.0), "whole number"),
        (lambda: conv_params(32, 64, 3, bias=1), "bias must be True or False"),
        (lambda: bottleneck_params(32, 0, 64, 3), "mid_channels must be at least 1"),
        (lambda: bottleneck_params(32, 5, 64, 3, bias="no"), "bias must be True or False"),
        (lambda: trace_bottleneck_params(32, 5.0, 64, 3), "whole number"),
    ],
)
def test_bad_input_raises_a_plain_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
