"""Grading a formula part by evaluation: the typed formula against the solver's result.

Why it exists: question 6 asks for formulas (δ₁ᵀh₁ᵀ, W₁ᵀδ₂ᵀ ...), and a formula is right when it
equals the gradient, however it is written. The answer is read by `tutor.formula` (our parser, no
eval); its shape is worked out in the question's dimension names, which says whether it conforms
and what shape it has; then every symbol is bound to numbers from `tutor.solver` on each of the
part's draws (random inputs of distinct sizes from fixed seeds, so grading is deterministic), the
tree is evaluated with numpy and compared with the solver's result. An answer equal to the
transpose counts where the part says so (question 6's key). The right shape alone earns the part's
`partial_points`, which the rubric states as ours.

numpy is imported here; `tutor.grading` imports this module only when a formula is graded, and
`tutor.exam` only to prove the content. No UI.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from tutor.formula import Node, ParseError, Symbol, show
from tutor.formula_answer import ShapeError, describe, read_answer, shape_of
from tutor.formula_content import Formula
from tutor.points import format_points
from tutor.randomness import Generator
from tutor.solver import relu, softmax

__all__ = ["Report", "Verdict", "bound_values", "judge", "prove", "prove_symbols", "relation", "report", "value"]


@dataclass(frozen=True)
class Verdict:
    """What a typed formula earned: the score and the feedback; `invalid` if it could not be read."""

    score: float
    feedback: str
    invalid: bool = False


@dataclass(frozen=True, eq=False)
class Bound:
    """One draw: every symbol's numbers (None for the identity) and the result the formula must equal."""

    values: dict[str, np.ndarray | None]
    target: np.ndarray


def _drawn_arguments(formula: Formula, draw) -> dict[str, np.ndarray]:
    """Random arguments of the draw's sizes: standard normal numbers, one-hot labels; seeded."""
    rng = Generator(draw.seed)
    args = {}
    for symbol in formula.symbols:
        if not symbol.arg:
            continue
        shape = tuple(draw.size(d) for d in symbol.dims)
        if symbol.one_hot:
            label = np.zeros(shape)
            label.flat[int(rng.integers(label.size))] = 1.0
            args[symbol.arg] = label
        else:
            args[symbol.arg] = rng.normal(size=shape)
    return args


@lru_cache(maxsize=64)
def bound_values(formula: Formula) -> tuple[Bound, ...]:
    """Each draw's numbers: the drawn arguments, the solver's result at each `select`, the target.

    Raises ValueError (or the solver's error) when the content's computation cannot run.
    """
    from tutor.exam.computations import evaluate, select

    out = []
    for draw in formula.draws:
        args = _drawn_arguments(formula, draw)
        result = evaluate(formula.computation, **args)
        values: dict[str, np.ndarray | None] = {}
        for symbol in formula.symbols:
            if symbol.dims is None:
                values[symbol.name] = None
            elif symbol.arg:
                values[symbol.name] = args[symbol.arg]
            else:
                values[symbol.name] = np.asarray(select(result, symbol.select), dtype=float)
        out.append(Bound(values, np.asarray(select(result, formula.select), dtype=float)))
    return tuple(out)


def value(node: Node, values: dict[str, np.ndarray | None]) -> np.ndarray | None:
    """The numbers of a tree whose shapes conform (see tutor.formula.shape_of); None for the identity."""
    if isinstance(node, Symbol):
        return values[node.name]
    args = [value(arg, values) for arg in node.args]
    op = node.op
    if op == "T":
        return None if args[0] is None else args[0].T
    if op == "mul":
        left, right = args
        return right if left is None else left if right is None else left @ right
    if op == "neg":
        return -args[0]
    if op in ("add", "sub", "hadamard"):
        left, right = args
        return left + right if op == "add" else left - right if op == "sub" else left * right
    if op == "relu":
        return relu(args[0])
    if op == "relu′":
        # ReLU′(z) = 1 where z > 0, else 0 (ReLU′(0) = 0, as the solver takes it)
        return (args[0] > 0).astype(float)
    if op == "softmax":
        return softmax(args[0])
    return np.diag(args[0].ravel())  # diag


def _close(got: np.ndarray, want: np.ndarray) -> bool:
    scale = max(1.0, float(np.max(np.abs(want)))) if want.size else 1.0
    return got.shape == want.shape and bool(np.all(np.isfinite(got))) and np.allclose(
        got, want, rtol=1e-7, atol=1e-9 * scale)


def relation(formula: Formula, tree: Node, transposed: bool = False) -> str:
    """"equal", "negated" or "differs": the tree (whose shapes conform) against the target, or
    against its transpose, on every draw."""
    same = negated = True
    with np.errstate(all="ignore"):  # a long product may overflow: it is then simply not equal
        for bound in bound_values(formula):
            got = value(tree, bound.values)
            want = bound.target.T if transposed else bound.target
            if got is None:
                return "differs"
            same = same and _close(got, want)
            negated = negated and _close(got, -want)
    return "equal" if same else "negated" if negated else "differs"


# --------------------------------------------------------------------------------------- grading


def _resolved(shape: tuple[str, ...], sizes: dict[str, int]) -> tuple[str, ...]:
    return tuple(str(sizes.get(d, d)) for d in shape)


def _shown(shape: tuple[str, ...], sizes: dict[str, int]) -> str:
    """ "n_c×d_h", or "n_c×d_h = 3×4" where the question gives the sizes (practice)."""
    names, numbers = "×".join(shape), "×".join(_resolved(shape, sizes))
    return names if names == numbers else f"{names} = {numbers}"


def _orientations(got: tuple[str, ...], want: tuple[str, ...], sizes: dict[str, int], transpose_ok: bool) -> list[bool]:
    """[False] if `got` is `want`, [True] if it is its transpose (when that counts), both if square."""
    got, want = _resolved(got, sizes), _resolved(want, sizes)
    return [t for t in (False, True) if got == (tuple(reversed(want)) if t else want) and (transpose_ok or not t)]


def _notes(formula: Formula, trees: tuple[Node, ...]) -> str:
    used: list[str] = []

    def walk(node: Node) -> None:
        if isinstance(node, Symbol):
            note = formula.symbol(node.name).note if node.typed else ""
            if note and note not in used:
                used.append(note)
        else:
            for arg in node.args:
                walk(arg)

    for tree in trees:
        walk(tree)
    return "".join(f" ({note}{'' if note.endswith(('.', '!', '?')) else '.'})" for note in used)


def judge(part: Any, text: str) -> Verdict:
    """Grade `text` against formula part `part` (a tutor.exam.Part of kind "formula").

    Never raises for anything typed; raises ValueError for a part without its formula.
    """
    formula: Formula | None = part.formula
    if formula is None:
        raise ValueError(f"part {part.label}: a formula part needs its symbols, draws and shape")
    try:
        answer = read_answer(text, formula.names, formula.aliases, formula.dimensions)
    except ParseError as error:
        return Verdict(0.0, str(error), invalid=True)
    points = float(part.points)
    credit = min(max(float(part.partial_points), 0.0), points)
    sizes = dict(part.dims or {})
    want = tuple(formula.shape.split("×"))
    target = formula.target
    credit_said = (f" The right shape earns {format_points(credit)} of {format_points(points)}"
                   " (the rubric's partial credit)." if credit else "")
    typed, typed_note = answer.shape, ""
    if typed is not None and len(typed) == 1:
        typed, typed_note = (typed[0], "1"), f" ({answer.shape_text} read as {typed[0]}×1, a column.)"
    typed_ok = typed is not None and bool(_orientations(typed, want, sizes, part.accept_transpose))
    typed_shown = _shown(typed, sizes) if typed is not None else ""

    if not answer.formulas:  # a shape alone
        if typed_ok:
            return Verdict(credit, f"{typed_shown} is the shape of {target}, but a shape alone earns "
                           f"{format_points(credit)} of {format_points(points)} (the rubric's partial credit)."
                           f" Type the formula for all {format_points(points)}." + typed_note)
        return Verdict(0.0, f"{typed_shown} is not the shape of {target}. Type the formula in the question's"
                       " symbols." + typed_note)

    tree = answer.formulas[-1]
    notes = _notes(formula, answer.formulas) + typed_note + _chain_notes(part, formula, answer.formulas, sizes)
    typed_credit = (f" The shape you wrote, {typed_shown}, is right: {format_points(credit)} of"
                    f" {format_points(points)} for it (the rubric's partial credit)." if typed_ok and credit else "")
    try:
        got = shape_of(tree, formula.shapes)
    except ShapeError as error:
        return Verdict(credit if typed_ok else 0.0, f"{error}.{typed_credit}{notes}")
    lead = describe(tree, formula.shapes)
    if _resolved(got, sizes) != got:
        lead += f" ({'×'.join(_resolved(got, sizes))} here)"
    orientations = _orientations(got, want, sizes, part.accept_transpose)
    if not orientations:
        return Verdict(credit if typed_ok else 0.0,
                       f"{lead}, but {target} is {_shown(want, sizes)}.{typed_credit}{notes}")
    found = {t: relation(formula, tree, t) for t in orientations}
    right = [t for t, r in found.items() if r == "equal"]
    if right:
        if right[0]:
            said = (f"{lead} ✓: the transpose of {target} ({_shown(want, sizes)}), which the rubric counts"
                    " as correct.")
        else:
            said = f"{lead} ✓, and it equals {target} on the solver's numbers."
        if typed is not None and not typed_ok:
            return Verdict(points - credit, f"{said} But the shape you wrote, {typed_shown}, is not its"
                           f" shape: {format_points(credit)} off (see the rubric).{notes}")
        return Verdict(points, said + notes)
    shape_of_target = f"the shape of {target}" if not orientations[0] else f"the shape of {target} transposed"
    if "negated" in found.values():
        return Verdict(credit, f"{lead}, {shape_of_target}, but it is −{target}: the sign is wrong."
                       f"{credit_said}{notes}")
    return Verdict(credit, f"{lead}, {shape_of_target}, but not its value: the formula is wrong."
                   f"{credit_said}{notes}")


def _chain_notes(part: Any, formula: Formula, trees: tuple[Node, ...], sizes: dict[str, int]) -> str:
    """A note for each formula before the last "=" that is not the target (only the last is graded)."""
    want = tuple(formula.shape.split("×"))
    said = []
    for tree in trees[:-1]:
        try:
            orientations = _orientations(shape_of(tree, formula.shapes), want, sizes, part.accept_transpose)
        except ShapeError:
            orientations = []
        if not any(relation(formula, tree, t) == "equal" for t in orientations):
            said.append(f" (Before the last '=', {show(tree)} is not {formula.target}; the last formula is graded.)")
    return "".join(said)


# --------------------------------------------------------------------------------- the calculator


@dataclass(frozen=True)
class Report:
    """A typed formula against several formulas' targets, for the live calculator of question 6.

    shown: the formula as read; shape: its shape in dimension names, None if it does not conform;
    said: how that shape comes about, or why it does not conform; matches: (target, verdict) with
    verdict "equal", "transpose", "negated", "negated transpose", "differs" or "other shape".
    """

    shown: str
    shape: tuple[str, str] | None
    said: str
    matches: tuple[tuple[str, str], ...]


def report(formulas: tuple[Formula, ...], text: str, sizes: dict[str, int] | None = None) -> Report:
    """Read `text` in the symbols of `formulas[0]` and compare it, as the grader does, with every
    formula's target. Raises tutor.formula.ParseError when it cannot be read."""
    first = formulas[0]
    answer = read_answer(text, first.names, first.aliases, first.dimensions)
    if not answer.formulas:
        raise ParseError("that is a shape: type a formula")
    tree, sizes = answer.formulas[-1], sizes or {}
    try:
        got = shape_of(tree, first.shapes)
    except ShapeError as error:
        return Report(show(tree), None, str(error), ())
    said = describe(tree, first.shapes)
    if _resolved(got, sizes) != got:
        said += f" ({'×'.join(_resolved(got, sizes))} here)"
    matches = []
    for formula in formulas:
        want = tuple(formula.shape.split("×"))
        verdict = "other shape"
        for transposed in _orientations(got, want, {}, True):  # as written, then transposed
            found = relation(formula, tree, transposed)
            if transposed:
                found = {"equal": "transpose", "negated": "negated transpose"}.get(found, found)
            if verdict in ("other shape", "differs"):
                verdict = found
        matches.append((formula.target, verdict))
    return Report(show(tree), got, said, tuple(matches))


# --------------------------------------------------------------------------------------- proving


def prove_symbols(formula: Formula) -> list[str]:
    """Problems with the symbols' bindings: each value must have its declared shape on every draw."""
    try:
        bound = bound_values(formula)
    except Exception as error:  # bad content must give a line, never a traceback
        call = getattr(formula.computation, "call", "?")
        return [f"the solver call {call}(...) failed on a draw: {type(error).__name__}: {error}"]
    problems = []
    for number, (draw, values) in enumerate(zip(formula.draws, bound), start=1):
        for symbol in formula.symbols:
            got = values.values[symbol.name]
            if symbol.dims is None or got is None:
                continue
            expected = tuple(draw.size(d) for d in symbol.dims)
            if got.shape != expected:
                where = f"argument {symbol.arg}" if symbol.arg else f"the result at '{symbol.select}'"
                problems.append(f"{symbol.name} is {symbol.shape} = {expected} on draw {number}, but"
                                f" {where} has shape {got.shape}")
        if problems:
            break  # the first draw that shows them
    return problems


def prove(part: Any) -> list[tuple[str, str]]:
    """(field, problem) pairs: the part's shape against the solver's result, the key's formula and
    every `accept` example at full marks, no `reject` example at full marks."""
    formula: Formula = part.formula
    try:
        bound = bound_values(formula)
    except Exception:  # reported once for the question by prove_symbols
        return []
    problems = []
    for number, (draw, values) in enumerate(zip(formula.draws, bound), start=1):
        expected = tuple(draw.size(d) for d in formula.shape.split("×"))
        if values.target.shape != expected:
            return [("shape", f"{formula.shape} is {expected} on draw {number}, but the result at"
                              f" '{formula.select}' has shape {values.target.shape}")]
    examples = [("answer", part.answer, True)] + [("accept", t, True) for t in formula.accept]
    examples += [("reject", t, False) for t in formula.reject]
    for key, text, right in examples:
        verdict = judge(part, text)
        full = not verdict.invalid and verdict.score >= float(part.points)
        if right and not full:
            got = "cannot be read" if verdict.invalid else f"earns {format_points(verdict.score)}"
            problems.append((key, f"'{text}' should earn full marks but {got}: {verdict.feedback}"))
        elif not right and (full or verdict.invalid):
            got = "cannot be read" if verdict.invalid else "earns full marks"
            problems.append((key, f"'{text}' should be rejected but {got}: {verdict.feedback}"))
    return problems
