"""What a typed formula answer says: its formulas and the shape written after them, and each
formula's shape in the question's dimension names.

Why it exists: a student writes "∂J/∂W₂ = δ₁ᵀh₁ᵀ ∈ ℝ^(n_c×d_h)", a formula alone or a shape alone,
and the grader needs each piece; and a formula's shape (n_c×d_h), or the product that does not
conform, is what the feedback teaches. Pure Python over `tutor.formula`'s trees: no numpy, no UI.

- `read_answer(text, names, aliases, dimensions)` gives an `Answer` or raises
  `tutor.formula.ParseError` with the reason.
- `shape_of(tree, shapes)` works out the shape in dimension names or raises `ShapeError` saying
  which product does not conform; `describe` says how the shape comes about ("δ₁ᵀ is n_c×1 and h₁ᵀ
  is 1×d_h: their product is n_c×d_h").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tutor.formula import FUNCTIONS, MAX_LENGTH, Node, Op, ParseError, Symbol, parse_formula, show
from tutor.parsing import ParseError as _BaseParseError
from tutor.parsing import parse_shape

__all__ = ["IDENTITY", "Answer", "ShapeError", "describe", "read_answer", "shape_of"]


class ShapeError(Exception):
    """The formula reads but its shapes do not fit together; the message says where and why."""


def _quote(text: str, limit: int = 24) -> str:
    text = " ".join(text.split())
    return "'" + (text if len(text) <= limit else text[: limit - 1] + "…") + "'"


# ------------------------------------------------------------------------------ reading answers


@dataclass(frozen=True)
class Answer:
    """A typed answer: its formulas (in the order of a chain "a = b", the last one graded), and the
    shape written after it ("∈ ℝ^(n_c×d_h)"), as parse_shape's tuple, or None."""

    formulas: tuple[Node, ...]
    shape: tuple[str, ...] | None
    shape_text: str = ""


_NAME_OF_GRADIENT = re.compile(r"^\s*(?:∂|d|\\partial)\s*J\s*/|∂|\\partial|\\frac")
_NAME_THEN_COLON = re.compile(r"^(\s*(?:∂|d)\s*J\s*/\s*(?:∂|d)[^:=]{1,12}?)\s*:")
_SHAPE_START = re.compile(r"∈|\\in\b|\bin\b|ℝ|\bR\s*\^|[,;:]|\bshape\b|\bis\b")
_SHAPE_WORDS = re.compile(r"^(?:\s*(?:[,;:∈]|shape\b|is\b|of\b|in\b))*\s*")


def _as_shape(text: str, dimensions: frozenset[str]) -> tuple[str, ...] | None:
    """The dimensions of `text` if it is a shape in the question's dimension names (or numbers)."""
    try:
        dims = parse_shape(text)
    except _BaseParseError:
        return None
    if not 1 <= len(dims) <= 2 or not all(d.isdigit() or d in dimensions for d in dims):
        return None
    if len(dims) == 1 and dims[0].isdigit():
        return None  # a lone number is not a shape
    return dims


def _formula_then_shape(text: str, names, aliases, dimensions) -> tuple[Node | None, tuple[str, ...] | None, str]:
    """One piece of an answer: a formula, a formula followed by its shape, or a shape alone."""
    try:
        return parse_formula(text, names, aliases), None, ""
    except ParseError as error:
        first = error
    if (alone := _as_shape(text, dimensions)) is not None:
        return None, alone, text.strip()
    # where the shape may start: the first few "∈", "in", "," ..., then the last few spaces (a
    # shape is short: "n_c × d_h" has two), so that a long answer costs few tries
    cuts = [m.start() for m in _SHAPE_START.finditer(text)][:3]
    cuts += [m.start() for m in re.finditer(r"\s+", text)][::-1][:4]
    for cut in cuts:
        head, tail = text[:cut], _SHAPE_WORDS.sub("", text[cut:])
        if not head.strip() or (shape := _as_shape(tail, dimensions)) is None:
            continue
        try:
            return parse_formula(head, names, aliases), shape, tail.strip()
        except ParseError:
            continue
    raise first


def read_answer(text: str, names: Iterable[str], aliases: Mapping[str, str] | None = None,
                dimensions: Iterable[str] = ()) -> Answer:
    """A whole typed answer: "∂J/∂W₂ = δ₁ᵀh₁ᵀ ∈ ℝ^(n_c×d_h)", "delta1^T h1^T", "n_c×d_h" ...

    `dimensions`: the names a shape may use (d_x, n_c ...), besides numbers. The name of the
    gradient before "=" (or ":") is dropped, as are pieces of a chain written with ∂ (the chain
    rule's working); each other piece must read as a formula, and a shape may follow the last one
    or stand alone. Raises ParseError with the reason when the answer cannot be read.
    """
    if not isinstance(text, str):
        raise ParseError("not text")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"too long for a formula ({len(text)} characters, at most {MAX_LENGTH})")
    if not text.strip():
        raise ParseError("nothing typed")
    names, known = tuple(names), frozenset(dimensions)
    pieces = [p for p in _NAME_THEN_COLON.sub(r"\1 =", text).split("=") if p.strip()]
    kept = [p for p in pieces if not _NAME_OF_GRADIENT.search(p)]
    if not kept:
        raise ParseError(f"{_quote(text.strip())} names the gradient: write it in the question's symbols")
    formulas: list[Node] = []
    shape, shape_text = None, ""
    for index, piece in enumerate(kept):
        tree, found, found_text = _formula_then_shape(piece, names, aliases, known)
        if found is not None and index < len(kept) - 1:
            raise ParseError(f"a shape ({found_text}) before the end of the answer")
        if tree is not None:
            formulas.append(tree)
        if found is not None:
            shape, shape_text = found, found_text
    return Answer(tuple(formulas), shape, shape_text)


# ------------------------------------------------------------------------------------- shapes


IDENTITY = ("I", "I")  # the shape of the identity: whatever size a product needs
Shape = tuple[str, str]


def _dims(shape: Shape) -> str:
    return "×".join(shape)


def _no_identity(node: Node, shape: Shape) -> Shape:
    if shape == IDENTITY:
        raise ShapeError(f"{show(node)}: the identity I has no size of its own here; it can only"
                         " multiply something, as in δ₂ᵀIᵀ")
    return shape


def shape_of(node: Node, shapes: Mapping[str, Shape]) -> Shape:
    """The shape of `node` in dimension names, each symbol's shape from `shapes` (IDENTITY for I).

    Raises ShapeError with a plain sentence where two shapes do not fit together. The whole
    formula may not be the bare identity; products are read left to right.
    """
    return _no_identity(node, _shape(node, shapes))


def _shape(node: Node, shapes: Mapping[str, Shape]) -> Shape:
    if isinstance(node, Symbol):
        return shapes[node.name]
    parts = [_shape(arg, shapes) for arg in node.args]
    if node.op == "T":
        return parts[0] if parts[0] == IDENTITY else (parts[0][1], parts[0][0])
    if node.op == "mul":
        (a, b), (c, d) = parts
        if parts[0] == IDENTITY or parts[1] == IDENTITY:
            return parts[1] if parts[0] == IDENTITY else parts[0]
        if b != c:
            raise ShapeError(f"{show(node)} does not conform: {a}×{b} times {c}×{d}")
        return (a, d)
    parts = [_no_identity(arg, shape) for arg, shape in zip(node.args, parts)]
    if node.op in ("hadamard", "add", "sub"):
        if parts[0] != parts[1]:
            sign = {"hadamard": "∘", "add": "+", "sub": "−"}[node.op]
            raise ShapeError(f"{show(node)} does not conform: {sign} needs two arrays of one shape,"
                             f" not {_dims(parts[0])} and {_dims(parts[1])}")
        return parts[0]
    if node.op in ("neg", "relu", "relu′"):
        return parts[0]
    if "1" not in parts[0]:
        raise ShapeError(f"{show(node)}: {FUNCTIONS[node.op]} takes a vector, not a {_dims(parts[0])} matrix")
    if node.op == "softmax":
        return parts[0]
    length = parts[0][0] if parts[0][1] == "1" else parts[0][1]  # diag
    return (length, length)


def _factors(node: Node) -> list[Node]:
    if isinstance(node, Op) and node.op == "mul":
        return _factors(node.args[0]) + _factors(node.args[1])
    return [node]


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def describe(node: Node, shapes: Mapping[str, Shape]) -> str:
    """How the shape of `node` comes about, in one clause; `node` must have a shape (see shape_of)."""
    shape = _dims(shape_of(node, shapes))
    if isinstance(node, Symbol):
        return f"{show(node)} is {shape}"
    if node.op == "mul":
        factors = _factors(node)
        said = [f"{show(f)} is the identity" if _shape(f, shapes) == IDENTITY
                else f"{show(f)} is {_dims(_shape(f, shapes))}" for f in factors]
        return f"{_listing(said)}: their product is {shape}"
    inner = node.args[0]
    if node.op == "T":
        return f"{show(inner)} is {_dims(_shape(inner, shapes))}, so {show(node)} is {shape}"
    if node.op in ("add", "sub", "hadamard"):
        return f"{show(node.args[0])} and {show(node.args[1])} are both {shape}, so {show(node)} is too"
    if node.op == "neg":
        return f"{show(node)} is {shape}, like {show(inner)}"
    return f"{show(node)} is {shape}"
