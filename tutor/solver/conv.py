"""Sizes and parameter counts of convolutions (questions 7 and 9), with the arithmetic shown.

Integer arithmetic on the sizes only; no image is convolved. Standard library and numpy only: this
must not depend on the UI. Each plain function returns the `.output` of its traced twin, so the
number the tutor grades with is the number it shows.
"""

from __future__ import annotations

from ._steps import Step, Traced, as_flag, as_int, format_number


def _sizes(n, kernel, stride, padding, dilation) -> tuple[int, int, int, int, int]:
    return (
        as_int("input size n", n, 1),
        as_int("kernel size", kernel, 1),
        as_int("stride", stride, 1),
        as_int("padding", padding, 0),
        as_int("dilation", dilation, 1),
    )


def trace_conv_output_size(n, kernel, stride=1, padding=0, dilation=1) -> Traced:
    """Output size of a convolution along one axis, ⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1."""
    n, k, s, p, d = _sizes(n, kernel, stride, padding, dilation)
    span = d * (k - 1) + 1
    if span > n + 2 * p:
        spans = f" (dilated, it spans {span})" if d > 1 else ""
        raise ValueError(f"kernel {k}{spans} is larger than the padded input {n + 2 * p}")
    # o = ⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1
    numerator = n + 2 * p - span
    output = numerator // s + 1
    f = format_number
    if d == 1:
        symbolic = "⌊(n + 2p − k)/s⌋ + 1"
        substituted = f"⌊({f(n)} + 2×{f(p)} − {f(k)})/{f(s)}⌋ + 1"
    else:
        symbolic = "⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1"
        substituted = f"⌊({f(n)} + 2×{f(p)} − {f(d)}×({f(k)} − 1) − 1)/{f(s)}⌋ + 1"
    formula = f"{substituted} = ⌊{f(numerator)}/{f(s)}⌋ + 1 = {f(numerator // s)} + 1"
    return Traced(output=output, steps=(Step("output size", formula, output, symbolic),))


def trace_conv_transpose_output_size(
    n, kernel, stride=1, padding=0, output_padding=0, dilation=1
) -> Traced:
    """Output size of a transposed convolution, (n − 1)s − 2p + d(k − 1) + output_padding + 1.

    As in PyTorch, output_padding must be smaller than the stride or the dilation.
    """
    n, k, s, p, d = _sizes(n, kernel, stride, padding, dilation)
    extra = as_int("output_padding", output_padding, 0)
    if extra >= max(s, d):
        raise ValueError(
            f"output_padding {extra} must be smaller than the stride {s} or the dilation {d}"
        )
    # o = (n − 1)s − 2p + d(k − 1) + output_padding + 1
    output = (n - 1) * s - 2 * p + d * (k - 1) + extra + 1
    f = format_number
    if d == 1 and extra == 0:
        symbolic = "(n − 1)s − 2p + k"
        formula = f"({f(n)} − 1)×{f(s)} − 2×{f(p)} + {f(k)}"
    else:
        symbolic = "(n − 1)s − 2p + d(k − 1) + pₒᵤₜ + 1"
        formula = f"({f(n)} − 1)×{f(s)} − 2×{f(p)} + {f(d)}×({f(k)} − 1) + {f(extra)} + 1"
    if output < 1:
        raise ValueError(f"padding {p} leaves no output: {formula} = {f(output)}")
    return Traced(output=output, steps=(Step("output size", formula, output, symbolic),))


def _channels(in_channels, out_channels, kernel, bias) -> tuple[int, int, int, bool]:
    return (
        as_int("in_channels", in_channels, 1),
        as_int("out_channels", out_channels, 1),
        as_int("kernel size", kernel, 1),
        as_flag("bias", bias),
    )


def _params_step(c_in: int, c_out: int, k: int, bias: bool) -> Step:
    # params = C_in·k·k·C_out (+ C_out biases)
    count = c_in * k * k * c_out + (c_out if bias else 0)
    f = format_number
    formula = f"{f(c_in)}×{k}×{k}×{f(c_out)}" + (f" + {f(c_out)}" if bias else "")
    symbolic = "Cᵢₙ·k·k·Cₒᵤₜ" + (" + Cₒᵤₜ" if bias else "")
    label = f"parameters of {k}×{k} conv, {f(c_in)}→{f(c_out)} channels"
    return Step(label, formula, count, symbolic)


def trace_conv_params(in_channels, out_channels, kernel, bias=False) -> Traced:
    """Weights of a k×k convolution, in·k·k·out, plus out biases if bias: "32×3×3×64 = 18,432"."""
    step = _params_step(*_channels(in_channels, out_channels, kernel, bias))
    return Traced(output=step.value, steps=(step,))


def trace_bottleneck_params(in_channels, mid_channels, out_channels, kernel, bias=False) -> Traced:
    """A 1×1 reduction to mid_channels then a k×k convolution to out_channels (question 9(b)).

    Steps: the 1×1 layer, the k×k layer, the total, and how many times fewer parameters than a
    plain k×k convolution from in_channels to out_channels ("18,432 / 3,040 ≈ 6.06×").
    """
    c_in, c_out, k, bias = _channels(in_channels, out_channels, kernel, bias)
    c_mid = as_int("mid_channels", mid_channels, 1)
    reduce = _params_step(c_in, c_mid, 1, bias)
    spread = _params_step(c_mid, c_out, k, bias)
    # total = C_in·1·1·C_mid + C_mid·k·k·C_out (+ biases of each layer)
    total = reduce.value + spread.value
    plain = _params_step(c_in, c_out, k, bias).value
    f = format_number
    ratio = f(round(plain / total, 2))
    steps = (
        reduce,
        spread,
        Step("total", f"{f(reduce.value)} + {f(spread.value)}", total),
        Step(
            f"ratio to a plain {k}×{k} conv, {f(c_in)}→{f(c_out)} channels",
            f"{f(plain)} / {f(total)} ≈ {ratio}×",
            plain / total,
        ),
    )
    return Traced(output=total, steps=steps)


def conv_output_size(n, kernel, stride=1, padding=0, dilation=1) -> int:
    """⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1; see trace_conv_output_size."""
    return int(trace_conv_output_size(n, kernel, stride, padding, dilation).output)


def conv_transpose_output_size(n, kernel, stride=1, padding=0, output_padding=0, dilation=1) -> int:
    """(n − 1)s − 2p + d(k − 1) + output_padding + 1; see trace_conv_transpose_output_size."""
    traced = trace_conv_transpose_output_size(n, kernel, stride, padding, output_padding, dilation)
    return int(traced.output)


def conv_params(in_channels, out_channels, kernel, bias=False) -> int:
    """in·k·k·out (+ out if bias); see trace_conv_params."""
    return int(trace_conv_params(in_channels, out_channels, kernel, bias).output)


def bottleneck_params(in_channels, mid_channels, out_channels, kernel, bias=False) -> int:
    """conv_params(in, mid, 1) + conv_params(mid, out, kernel); see trace_bottleneck_params."""
    return int(
        trace_bottleneck_params(in_channels, mid_channels, out_channels, kernel, bias).output
    )
