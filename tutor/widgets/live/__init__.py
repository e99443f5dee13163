"""Live editors: change the numbers of a computational question and watch every value follow.

`live_editor_for(question)` builds the editor the question's content declares
(`editor = "pooling"` on the computations it edits; tutor.editors is the registry and the check)
and starts it from those computations' arguments (the exam's numbers). Every editor recomputes by
evaluating its computations again with the edited numbers (`tutor.exam.evaluate`), so every number
it shows comes from `tutor.solver`. What this package must not depend on: the app, and any
question's number or words (an editor knows its kind's roles only).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget

from tutor.editors import Editor, EditorError, editor_of, run
from tutor.exam import evaluate

from .base import LiveEditor, Unavailable
from .calculators import ConvSizeCalculator, ParamsCalculator, SoftmaxCalculator
from .forward_editor import ForwardEditor
from .gradient_calculator import GradientShapesCalculator
from .matrix_editor import MatrixEditor
from .matrix_grid import MatrixGrid
from .network_diagram import NetworkDiagram
from .pooling_editor import PoolingEditor

__all__ = [
    "BUILDERS",
    "ConvSizeCalculator",
    "ForwardEditor",
    "GradientShapesCalculator",
    "LiveEditor",
    "MatrixEditor",
    "MatrixGrid",
    "NetworkDiagram",
    "ParamsCalculator",
    "PoolingEditor",
    "SoftmaxCalculator",
    "Unavailable",
    "live_editor_for",
]


def _formulas(question) -> tuple:
    """The question's formula parts' Formula objects: the gradient calculator's formula field reads
    what is typed there as the grader does."""
    return tuple(p.formula for p in getattr(question, "parts", ()) if getattr(p, "formula", None) is not None)


# One builder per kind of tutor.editors.KINDS: (editor, its results on the exam's numbers, the
# question, seed) -> the widget.
BUILDERS: dict[str, Callable[[Editor, dict, object, int | None], Widget]] = {
    "pooling": lambda spec, start, question, seed: PoolingEditor(spec, seed=seed),
    "forward": lambda spec, start, question, seed: ForwardEditor(spec, start, seed=seed),
    "gradients": lambda spec, start, question, seed: GradientShapesCalculator(
        spec, formulas=_formulas(question), seed=seed),
    "softmax": lambda spec, start, question, seed: SoftmaxCalculator(spec, seed=seed),
    "conv_size": lambda spec, start, question, seed: ConvSizeCalculator(spec, seed=seed),
    "params": lambda spec, start, question, seed: ParamsCalculator(spec, seed=seed),
}


def live_editor_for(question, *, seed: int | None = None) -> Widget | None:
    """The live editor the question's computations declare, started from their arguments; None if
    they declare none.

    A declaration the content loader would refuse raises ValueError (tutor.editors.editor_of): an
    editor is never silently left out. When the exam's own numbers fail in the editor's
    computations (content that `itm528-tutor check` refuses), an `Unavailable` line says why in
    the editor's place.
    """
    spec = editor_of(question)
    if spec is None:
        return None
    try:
        start = run(spec, evaluate)
    except EditorError as error:
        return Unavailable(f"computations.{error.computation}: {error}")
    return BUILDERS[spec.kind.name](spec, start, question, seed)
