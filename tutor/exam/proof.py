"""Proving the content against the solver and the grader: each computation runs, each numeric
answer equals the solver's result at its `select` path, each named mistake reads and grades as
wrong, and each formula part's key and examples evaluate as they claim (`tutor.formula_grading`).

It exists apart from the loader so that what is proven, and how, reads in one place. Problems are
recorded at their field (`file:line: field: ...`), never raised. The solver, the grader and the
formula grader are imported only when proving (`itm528-tutor check`, the tests), not at start-up.
"""

from __future__ import annotations

from typing import Any

from tutor import content_schema as schema
from tutor.content_schema import Place
from tutor.exam.computations import evaluate, select, solver_function
from tutor.exam.model import Computation, Part


def prove_mistakes(at: Place | None, part: Part) -> list[str]:
    """Why any named mistake of `part` is not one: it cannot be read, or it grades as right.

    A values mistake is graded as the right values with its own put in their place, and must lose
    the points of every blank it names. `at`, when given, records each problem at the mistake.
    """
    from tutor.grading import grade, mistake_values  # the grader reads typed text: only when proving

    problems = []
    for i, mistake in enumerate(part.mistakes):
        if part.kind == "values":
            values = mistake_values(part, mistake)
            if isinstance(values, str):
                problems.append((i, f"{mistake.answer!r} cannot be read: {values}"))
                continue
            response = {b.name: repr(b.answer) for b in part.blanks} | values
        else:
            response = mistake.answer
        result = grade(part, response, work_shown=True)
        if result.status == "invalid":
            problems.append((i, f"{mistake.answer!r} cannot be read: {result.feedback}"))
        elif result.status == "correct":
            problems.append((i, f"{mistake.answer!r} grades as correct: a named mistake must be wrong"))
        elif part.kind == "values" and not set(values) <= set(result.details):
            problems.append((i, f"{mistake.answer!r} is right for {', '.join(sorted(set(values) - set(result.details)))}"))
    if at is not None:
        for i, message in problems:
            at.key("mistakes").item(i, str(i + 1)).key("answer").problem(message)
    return [message for _, message in problems]


def prove_question(top: Place, computations: dict[str, Computation], parts: list[tuple[Place, Part]]) -> None:
    """Run every computation through the solver and compare each numeric answer with its result."""
    results = {}
    for name, computation in computations.items():
        at = top.key("computations").key(name)
        if solver_function(computation.call) is None:
            at.key("call").problem(f"'{computation.call}' is not a tutor.solver function")
            continue
        try:
            results[name] = evaluate(computation)
        except Exception as error:  # bad content must give a line, never a traceback
            at.problem(f"the solver call {computation.call}(...) failed: {type(error).__name__}: {error}")
    symbols_broken: bool | None = None  # the question's symbols are proven with its first formula part
    for at, part in parts:
        if part.kind == "formula":
            if part.source in results and part.formula is not None:
                symbols_broken = _prove_formula(top, at, part, symbols_broken)
            continue
        own = part.source and part.kind != "values"  # a values part's source is its blanks' default
        claims = [(at, part.answer, part.source, part.select)] if own else []
        claims += [(at.key("blanks").item(i, b.name), b.answer, b.source or part.source, b.select)
                   for i, b in enumerate(part.blanks) if b.source or part.source]
        for where, answer, source, path in claims:
            if source in results:
                _compare(where, part, answer, results[source], f"computations.{source}", path)
        prove_mistakes(at, part)


def _prove_formula(top: Place, at: Place, part: Part, symbols_broken: bool | None) -> bool:
    """The symbols have their shapes (once a question), and then the key's formula and every accepted
    example equal the solver's result and no rejected one does. Whether the symbols are broken."""
    from tutor.formula_grading import prove, prove_symbols

    if symbols_broken is None:
        problems = prove_symbols(part.formula)
        for message in problems:
            top.key("symbols").problem(message)
        symbols_broken = bool(problems)
    if not symbols_broken:
        for key, message in prove(part):
            at.key(key).problem(message)
    return symbols_broken


def _compare(at: Place, part: Part, answer: Any, result: Any, origin: str, path: str) -> None:
    try:
        value = select(result, path)
    except ValueError as error:
        at.key("select").problem(f"'{path}' does not resolve in {origin}: {error}")
        return
    origin += f" at '{path}'" if path else ""
    if part.kind == "shape":
        want = tuple(int(s) if s.isdigit() else part.dims.get(s, -1) for s in answer.split("×"))
        got = tuple(getattr(value, "shape", ()))
        if want != got:
            at.key("answer").problem(f"{answer} is {want} with {part.dims}, but {origin} has shape {got}")
        return
    got = value.tolist() if hasattr(value, "tolist") else value
    if part.kind == "matrix":
        ok = isinstance(got, list) and len(got) == len(answer) and all(
            isinstance(row, list) and len(row) == len(want)
            and all(_close(g, w, part.tolerance) for g, w in zip(row, want))
            for row, want in zip(got, answer))
    else:
        ok = _close(got, answer, part.tolerance)
    if not ok:
        shown = schema.show(got) if isinstance(got, int | float | list) else f"a {type(got).__name__}"
        at.key("answer").problem(f"{schema.show(answer)} but the solver gives {shown} ({origin})")


def _close(got: Any, want: float, tolerance: float) -> bool:
    return isinstance(got, int | float) and not isinstance(got, bool) and abs(got - want) <= tolerance
