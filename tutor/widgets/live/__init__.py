"""Live editors: change the numbers of a computational question and watch every value follow.

`live_editor_for(question)` picks the editor from the names of the solver calls in
`question.computations` and starts it from their arguments (the exam's numbers). It knows solver
call names and their arguments only, never question numbers or what a question says. Every number
an editor shows comes from `tutor.solver`.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget

from .base import LiveEditor
from .calculators import ConvSizeCalculator, GradientShapesCalculator, ParamsCalculator, SoftmaxCalculator
from .forward_editor import ForwardEditor
from .matrix_editor import MatrixEditor
from .network_diagram import NetworkDiagram
from .pooling_editor import PoolingEditor

__all__ = [
    "ConvSizeCalculator",
    "ForwardEditor",
    "GradientShapesCalculator",
    "LiveEditor",
    "MatrixEditor",
    "NetworkDiagram",
    "ParamsCalculator",
    "PoolingEditor",
    "SoftmaxCalculator",
    "live_editor_for",
]

CONV_SIZE_CALLS = (
    "conv_output_size",
    "trace_conv_output_size",
    "conv_transpose_output_size",
    "trace_conv_transpose_output_size",
)
PARAMS_CALLS = ("conv_params", "trace_conv_params", "bottleneck_params", "trace_bottleneck_params")
SOFTMAX_CALLS = ("trace_softmax_cross_entropy", "softmax_cross_entropy_grad")
LOSS_CALLS = ("half_squared_error", "trace_half_squared_error")


def _first(computations, calls) -> object | None:
    """The first computation whose call is one of `calls` (in the order of `calls`)."""
    for call in calls:
        for computation in computations:
            if computation.call == call:
                return computation
    return None


def _merged(computations, calls) -> dict:
    """The arguments of every computation calling one of `calls`, the earliest first."""
    merged: dict = {}
    for call in calls:
        for computation in computations:
            if computation.call == call:
                for name, value in computation.args.items():
                    merged.setdefault(name, value)
    return merged


def _pooling(computations, seed) -> Widget | None:
    pool = _first(computations, ("pool2d",))
    return PoolingEditor(**pool.args, seed=seed) if pool else None


def _forward(computations, seed) -> Widget | None:
    forward = _first(computations, ("mlp_forward",))
    if forward is None:
        return None
    loss = _first(computations, LOSS_CALLS)
    target_names = None
    if loss is not None:
        target_names = (loss.kwargs.get("names") or {}).get("targets")
    return ForwardEditor(
        forward.args["x"], forward.args["layers"], loss.args["t"] if loss else None,
        names=forward.kwargs.get("names"), target_names=target_names, seed=seed,
    )


def _gradients(computations, seed, parts=()) -> Widget | None:
    grads = _first(computations, ("two_layer_gradients",))
    if grads is None:
        return None
    formulas = tuple(p.formula for p in parts if getattr(p, "formula", None) is not None)
    return GradientShapesCalculator(**grads.args, formulas=formulas, seed=seed)


def _softmax(computations, seed) -> Widget | None:
    found = _first(computations, SOFTMAX_CALLS)
    return SoftmaxCalculator(found.args["o"], found.args["y"], seed=seed) if found else None


def _conv_size(computations, seed) -> Widget | None:
    args = _merged(computations, CONV_SIZE_CALLS)
    if not args:
        return None
    values = {
        "n": args["n"],
        "kernel": args["kernel"],
        "padding": args.get("padding", 0),
        "stride": args.get("stride", 1),
    }
    return ConvSizeCalculator(values, seed=seed)


def _params(computations, seed) -> Widget | None:
    args = _merged(computations, PARAMS_CALLS)
    if not args:
        return None
    values = {
        "in_channels": args["in_channels"],
        "kernel": args["kernel"],
        "mid_channels": args.get("mid_channels"),
        "out_channels": args["out_channels"],
        "bias": args.get("bias", False),
    }
    return ParamsCalculator(values, seed=seed)


# In order of preference: the first that finds its solver call builds the editor.
BUILDERS: tuple[Callable, ...] = (_pooling, _forward, _gradients, _softmax, _conv_size, _params)


def live_editor_for(question, *, seed: int | None = None) -> Widget | None:
    """The live editor of a question, started from its computations' arguments; None if none fits.

    Picks by solver call name: pool2d → PoolingEditor; mlp_forward → ForwardEditor (targets from a
    half_squared_error call); two_layer_gradients → GradientShapesCalculator (with the question's
    formula parts, for its formula field);
    trace_softmax_cross_entropy / softmax_cross_entropy_grad → SoftmaxCalculator; the output-size
    calls → ConvSizeCalculator; the parameter-count calls → ParamsCalculator. Arguments that do
    not fit the editor (a missing or malformed one) give None rather than an error.
    """
    computations = list(getattr(question, "computations", {}).values())
    parts = tuple(getattr(question, "parts", ()))
    for build in BUILDERS:
        try:
            # the gradient calculator also takes the formula parts, to evaluate what is typed
            editor = build(computations, seed, parts) if build is _gradients else build(computations, seed)
        except (KeyError, TypeError, ValueError, IndexError):
            continue
        if editor is not None:
            return editor
    return None
