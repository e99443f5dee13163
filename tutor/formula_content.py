"""The content of formula parts: the symbols a formula may use, the draws it is evaluated on, and
the part's formula, shape and example answers, read from a question's TOML tables and checked.

Why it exists: `tutor.exam` and `tutor.practice` both load formula parts, and neither should grow
by the rules of this one kind. No numerics here (no numpy, no solver call) and no UI: proving the
examples against the solver is `tutor.formula_grading.prove`, run by the exam's loader.

In a question file (the whole format is docs/CONTENT.md):

    symbols = [                                   # every symbol a formula of this question may use
      { name = "δ₁", shape = "1×n_c", select = "delta1" },   # select: a path into the result
      { name = "x", shape = "d_x×1", arg = "x" },            # arg: an argument of the computation,
      { name = "y", shape = "n_c×1", arg = "y", one_hot = true },   # drawn at random per draw
      { name = "W₁", shape = "d_h×d_x", arg = "W1", aliases = ["W"], note = "..." },
      { name = "I", shape = "identity" },         # the identity: whatever size a product needs
    ]
    draws = [ { d_x = 3, d_h = 4, n_c = 2, seed = 1 }, ... ]   # distinct sizes, at least 2 each
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tutor import content_schema as schema
from tutor.content_schema import Place
# tutor.formula and tutor.formula_answer (the formula reader) load when a formula is read: not with the
# exam, before the first screen

__all__ = ["Formula", "FormulaDraw", "FormulaSymbol", "FORMULA_FIELDS", "build", "draws", "symbols"]

IDENTITY_SHAPE = "identity"
FORMULA_FIELDS = ("target", "shape", "accept", "reject")  # a formula part's fields kept in Formula
_SHAPE = re.compile(r"(\w+)×(\w+)")


@dataclass(frozen=True)
class FormulaSymbol:
    """A symbol formulas may use: its shape in the stem's dimension names, and where its numbers
    come from: `select` (a path into the source computation's result) or `arg` (an argument of
    that computation, drawn at random for each draw; `one_hot` for a label)."""

    name: str
    shape: str  # "1×n_c", or "identity"
    select: str = ""
    arg: str = ""
    one_hot: bool = False
    aliases: tuple[str, ...] = ()  # other spellings read as this symbol ("W" for W₁) ...
    note: str = ""  # ... and what the feedback says when one of them is used

    @property
    def dims(self) -> tuple[str, str] | None:
        """("1", "n_c") for "1×n_c"; None for the identity."""
        found = _SHAPE.fullmatch(self.shape)
        return (found.group(1), found.group(2)) if found else None


@dataclass(frozen=True)
class FormulaDraw:
    """One set of random inputs a formula is evaluated on: the sizes and the seed."""

    sizes: tuple[tuple[str, int], ...]
    seed: int

    def size(self, dim: str) -> int:
        return 1 if dim == "1" else int(dim) if dim.isdigit() else dict(self.sizes)[dim]


@dataclass(frozen=True)
class Formula:
    """What a formula part is graded against.

    target: the name of what the formula must equal, as shown ("∂J/∂W₂"); shape: its shape in
    dimension names ("n_c×d_h"); computation: the source (a tutor.exam.Computation), called with
    each draw's random arguments; select: the gradient in its result; accept, reject: example
    answers the content check proves right (full marks) and not right.
    """

    target: str
    shape: str
    symbols: tuple[FormulaSymbol, ...]
    draws: tuple[FormulaDraw, ...]
    computation: Any = field(hash=False)
    select: str = ""
    accept: tuple[str, ...] = ()
    reject: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.symbols)

    @property
    def aliases(self) -> dict[str, str]:
        return {alias: s.name for s in self.symbols for alias in s.aliases}

    @property
    def dimensions(self) -> frozenset[str]:
        """The dimension names of the symbols' shapes (d_x, d_h, n_c), without "1"."""
        return frozenset(d for s in self.symbols for d in (s.dims or ()) if not d.isdigit())

    @property
    def shapes(self) -> dict[str, tuple[str, str]]:
        """Each symbol's shape for tutor.formula.shape_of (the identity as formula.IDENTITY)."""
        from tutor.formula_answer import IDENTITY

        return {s.name: s.dims or IDENTITY for s in self.symbols}

    def symbol(self, name: str) -> FormulaSymbol:
        return next(s for s in self.symbols if s.name == name)


def symbols(at: Place, tables: list[dict[str, Any]]) -> tuple[FormulaSymbol, ...]:
    """The question's `symbols`, each checked: a problem for each one that is wrong, and then none
    at all (so that the formulas, which cannot be read without them, add no more problems)."""
    out, seen, before_all = [], set(), len(at.file.problems)
    for index, table in enumerate(tables):
        where = at.item(index, str(table.get("name", index + 1)))
        s = schema.check_fields(where, table, schema.SYMBOL)
        if not schema.SYMBOL.required <= s.keys():
            continue
        name, shape = s["name"].strip(), s["shape"]
        before = len(where.file.problems)
        if not name or name in seen:
            where.key("name").problem("empty" if not name else f"'{name}' is also an earlier symbol")
        if shape != IDENTITY_SHAPE and not _SHAPE.fullmatch(shape):
            where.key("shape").problem(f"'{shape}' is not a shape such as 'd_h×1' (or 'identity')")
        bindings = [key for key in ("select", "arg") if key in s]
        if shape == IDENTITY_SHAPE and bindings:
            where.key(bindings[0]).problem("the identity takes its size from the formula, not from the solver")
        elif shape != IDENTITY_SHAPE and len(bindings) != 1:
            where.problem("needs one of select (a path into the result) or arg (a drawn argument)")
        if s.get("one_hot") and "arg" not in s:
            where.key("one_hot").problem("only a drawn argument (arg) can be one-hot")
        if s.get("aliases") and not s.get("note"):
            where.key("note").problem("missing: what the feedback says when an alias is used")
        seen.add(name)
        if len(where.file.problems) == before:
            out.append(FormulaSymbol(name, shape, s.get("select", ""), s.get("arg", ""), s.get("one_hot", False),
                                     tuple(s.get("aliases", ())), s.get("note", "").strip()))
    names = {s.name for s in out}
    for index, symbol in enumerate(out):
        for alias in symbol.aliases:
            if alias in names:
                at.item(index, symbol.name).key("aliases").problem(f"'{alias}' is the name of another symbol")
    return tuple(out) if len(out) == len(tables) and len(at.file.problems) == before_all else ()


def draws(at: Place, tables: list[dict[str, Any]], known: tuple[FormulaSymbol, ...]) -> tuple[FormulaDraw, ...]:
    """The question's `draws`: a seed and a size of at least 2 for every dimension, all distinct."""
    dims = sorted({d for s in known for d in (s.dims or ()) if not d.isdigit()})
    out = []
    for index, table in enumerate(tables):
        where = at.item(index, str(index + 1))
        if not schema.DIMS.test(table):
            where.problem(f"expected {schema.DIMS.name}: the sizes and a seed")
            continue
        sizes = {k: v for k, v in table.items() if k != "seed"}
        before = len(where.file.problems)
        if table.get("seed", -1) < 0:
            said = "missing: a whole number 0 or more" if "seed" not in table else "must be 0 or more"
            where.key("seed").problem(said)
        for name in sorted(set(sizes) - set(dims)):
            where.key(name).problem(f"not a dimension of any symbol ({', '.join(dims)})")
        for name in sorted(set(dims) - set(sizes)):
            where.key(name).problem("missing: a size for every dimension of the symbols")
        if any(v < 2 for v in sizes.values()) or len(set(sizes.values())) < len(sizes):
            where.problem("the sizes must differ and be at least 2, so that a wrong orientation or a"
                          " missing transpose cannot pass by accident")
        if len(where.file.problems) == before:
            out.append(FormulaDraw(tuple(sorted(sizes.items())), table["seed"]))
    if not out and not tables:
        at.problem("needs at least one draw")
    return tuple(out)


def build(at: Place, p: dict[str, Any], known: tuple[FormulaSymbol, ...], drawn: tuple[FormulaDraw, ...],
          computation: Any, *, read_examples: bool = True) -> Formula | None:
    """The Formula of a formula part `p` (its checked fields), or None after recording problems.

    With `read_examples` every example must read (tutor.formula.read_answer); whether it is right
    is proven later. The exam's loader reads them only when it proves (`check`, the tests): at
    start-up reading them was most of the time the loader took, before the first screen.
    """
    before = len(at.file.problems)
    formula = Formula(p.get("target", ""), p.get("shape", ""), known, drawn, computation, p.get("select", ""),
                      tuple(p.get("accept", ())), tuple(p.get("reject", ())))
    found = _SHAPE.fullmatch(formula.shape)
    if "shape" in p and not found:
        at.key("shape").problem(f"'{formula.shape}' is not a shape such as 'n_c×d_h'")
    elif found and known:
        unknown = [d for d in found.groups() if not d.isdigit() and d not in formula.dimensions]
        if unknown:
            at.key("shape").problem(f"{', '.join(unknown)} is not a dimension of the symbols")
    if known and read_examples:
        from tutor.formula import ParseError
        from tutor.formula_answer import read_answer

        examples = [("answer", p.get("answer", ""))] + [(k, t) for k in ("accept", "reject") for t in p.get(k, ())]
        for key, text in examples:
            try:
                read_answer(text, formula.names, formula.aliases, formula.dimensions)
            except ParseError as error:
                at.key(key).problem(f"'{text}' does not read as an answer: {error}")
    if len(at.file.problems) > before or not known or not drawn or computation is None:
        return None
    return formula
