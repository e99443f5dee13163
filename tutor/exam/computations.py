"""A content computation run through the solver: the one path from the exam's numbers to
`tutor.solver`, for the loader's proofs, the formula grader, practice and the live editors.

`evaluate(computation, **overrides)` calls the named public solver function with the
computation's `args`, any of them replaced (what a live editor changed); `select(result, path)`
walks a dotted path ("pre.0.1", "output", "W2") into the result. tutor.solver (numpy) is imported
when a computation is first evaluated, never with this module. No UI.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tutor.exam.model import Computation


def evaluate(computation: Computation, **overrides: Any) -> Any:
    """Call the computation's solver function with its args, `overrides` replacing any of them."""
    function = solver_function(computation.call)
    if function is None:
        raise ValueError(f"'{computation.call}' is not a tutor.solver function")
    return function(**{**computation.args, **overrides}, **computation.kwargs)


def select(result: Any, path: str) -> Any:
    """Walk a dotted path into a solver result: attributes, mapping keys and integer indices.

    "output" -> result.output; "pre.0.1" -> result.pre[0][1]; "W2" -> result["W2"]; "" -> result.
    Raises ValueError naming the step that does not resolve.
    """
    value = result
    for key in filter(None, path.split(".")):
        if isinstance(value, Mapping) and key in value:
            value = value[key]
        elif not key.startswith("_") and not key.isdigit() and hasattr(value, key):
            value = getattr(value, key)
        elif key.isdigit() and _length(value) is not None and not isinstance(value, str | Mapping):
            if int(key) >= _length(value):
                raise ValueError(f"index {key} is out of range (length {_length(value)})")
            value = value[int(key)]
        else:
            raise ValueError(f"'{key}' is not a field, key or index of {type(value).__name__}")
    return value


def _length(value: Any) -> int | None:
    try:
        return len(value)
    except TypeError:  # a number, or a 0-d array
        return None


def solver_function(name: str) -> Any:
    import tutor.solver as solver

    public = getattr(solver, "__all__", [n for n in dir(solver) if not n.startswith("_")])
    function = getattr(solver, name, None) if name in public else None
    return function if callable(function) and not isinstance(function, type) else None
