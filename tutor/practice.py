"""Practice mode: the exam's computational questions again, with fresh random numbers.

Why it exists: a student who has solved the paper's numbers once needs new ones to practise on.
`make_variant(number, seed)` draws them with `numpy.random.default_rng(seed)` (the same seed always
gives the same problem), fills the question's template from `content/practice/qNN.toml` and
computes every answer by running the template's computations through `tutor.solver`, so the variant
is a full `tutor.exam.Question`: `tutor.grading.grade` grades it and the step-through shows it like
the exam's. The functions at the end rank parts for "practise what I missed" and "retake what I got
wrong"; they are pure over the progress records they are given.

What it must not depend on: the UI (no Textual, no rich) and sympy. No prose here (stems, prompts
and rubrics are the templates') and no answers (every one is a solver result). No I/O except reading
the templates.

Template format (`content/practice/q08.toml`; multi-line strings lose their edge newlines):

    number = 8
    title = "..."
    stem = '''Apply {size}×{size} {name} pooling ... to\n\n    {x}'''
    [draw]                     # the ranges this question's draw reads (see its _draw_* function)
    [choices.mode.max]         # optional: when the draw picks "max" for `mode`, these strings
    name = "max"               #   become fields too
    [rows]                     # optional: data = "x⁽{i}⁾ = {x}": one line per entry of a list field
    [computations.pool]        # as in the exam's files: a tutor.solver call, and its arguments,
    call = "pool2d"            #   where a string names a drawn value and anything else is literal;
    args = { x = "x", size = "size", stride = "stride", padding = "padding", mode = "mode" }
    [[parts]]                  # label, points, kind (number, values, matrix, shape, formula), prompt,
    label = "a"                #   rubric, explanation; optional answer_text (default "{answer}"),
    source = "pool"            #   steps, tolerance, decimals, accept_transpose, partial_points,
    select = "output"          #   work_required; number/matrix/shape/formula: source and select (a
                               #   tutor.exam.select path); values: blanks = [{ name, select,
                               #   source (default the part's) }]; formula: answer, target, shape,
                               #   accept, reject as in the exam's files, with the template's
                               #   top-level `symbols` and `draws`
    mistakes = [               # optional: common wrong answers, computed by the solver like the
      { source = "pool_other", feedback = "that is {other_name} pooling" },   # answers: source
    ]                          #   and select (default the part's), transpose (matrix: the answer
                               #   with rows and columns swapped), blanks (values: [{ name,
                               #   source, select }], default the part's blank's select); a mistake
                               #   that this variant's numbers make right is left out

A formula part's texts also have `shape` (its shape in this problem's numbers, "3×4"), and its
`accept` and `reject` examples are templates too; its typed shape may use the drawn sizes.

Texts are `str.format` templates over the drawn values, each shown with the solver's format_number
(numbers), format_array (vectors) or as a bracketed grid (matrices), plus `seed`, and in a part's
texts `answer` (its model answer as shown) and, for a part with `decimals`, `rounded` (the answer
rounded as asked). A field that spans lines is indented to its column.
Format specs apply to the text: "{w11:<5}" pads to 5 characters.
"""

from __future__ import annotations

import math
import os
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from tutor import content_schema as schema
from tutor import formula_content
from tutor.content_schema import Place
from tutor.exam import Blank, Computation, ContentError, Mistake, Part, Question, evaluate, select
from tutor.solver import conv_output_size, format_array, format_number, mlp_forward, pool2d
from tutor.solver._steps import superscript

__all__ = [
    "PRACTICE_QUESTIONS", "SEED_LIMIT", "SEED_MAX", "Variant", "make_variant", "new_seed", "parse_seed",
    "practice_parts", "weakest_parts", "wrong_parts",
]

SEED_LIMIT = 2**32  # new_seed() draws below this; make_variant takes any int from 0 to SEED_MAX
SEED_MAX = 2**63 - 1  # a seed is stored with its practice result: SQLite's integers are 64-bit signed
RECENT = 3  # weakest_parts averages this many of a part's newest results
PRACTICE_KINDS = ("number", "values", "matrix", "shape", "formula")


@dataclass(frozen=True)
class Variant:
    """One practice problem: question `number` drawn from `seed`, as a full Question."""

    number: int
    seed: int
    question: Question


def new_seed() -> int:
    """A fresh seed from the operating system: 1 ≤ seed < 2³²."""
    return int.from_bytes(os.urandom(4), "big") % (SEED_LIMIT - 1) + 1


def parse_seed(text: str) -> int:
    """A seed as the student types it back ("1234", " 1,234 "), 0 to SEED_MAX; ValueError with a
    plain reason (the digits are counted before they are read: no int() of 5,000 digits)."""
    typed = str(text).strip()
    shown = repr(typed if len(typed) <= 20 else typed[:20] + "…")
    cleaned = typed.replace(",", "").replace("_", "")
    if not cleaned.isascii() or not cleaned.isdigit():
        raise ValueError(f"{shown} is not a seed: type a whole number such as 1234")
    digits = cleaned.lstrip("0") or "0"  # int() counts leading zeros against its digit limit too
    if len(digits) > len(str(SEED_MAX)) or int(digits) > SEED_MAX:
        raise ValueError(f"{shown} is not a seed: seeds run from 0 to {SEED_MAX:,}")
    return int(digits)


def make_variant(number: int, seed: int | None = None, *, content_dir: Path | str | None = None) -> Variant:
    """Question `number` with new numbers drawn from `seed` (a fresh one if None).

    Raises ValueError for a question without practice or a bad seed, ContentError (one line per
    problem) for a malformed template.
    """
    if number not in _DRAWS:
        raise ValueError(f"question {number} has no practice (practice: {', '.join(map(str, PRACTICE_QUESTIONS))})")
    if seed is None:
        seed = new_seed()
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not 0 <= seed <= SEED_MAX:
        raise ValueError(f"a seed is a whole number from 0 to {SEED_MAX:,}, got {seed!r}")
    seed = int(seed)
    template = _template(number, content_dir)
    draw = _Draw(template.data.get("draw", {}), template.data.get("choices", {}), template.at)
    values = _DRAWS[number](np.random.default_rng(seed), draw)
    values.update(draw.chosen)
    return Variant(number, seed, _build(template, values, seed))


def practice_parts(content_dir: Path | str | None = None) -> tuple[tuple[int, str], ...]:
    """Every (question, part label) that has practice, in exam order (reads the templates)."""
    return tuple((n, str(p["label"])) for n in PRACTICE_QUESTIONS for p in _template(n, content_dir).data["parts"])


# --------------------------------------------------------------------------------- the templates

_TEMPLATE = schema.Schema(
    {"number": schema.INTEGER, "title": schema.TEXT, "stem": schema.TEXT, "draw": schema.TABLE,
     "choices": schema.TABLE, "rows": schema.TABLE, "computations": schema.TABLE, "parts": schema.TABLES,
     "symbols": schema.TABLES, "draws": schema.TABLES},
    frozenset({"number", "title", "stem", "draw", "computations", "parts"}),
)
_PART = schema.Schema(
    {"label": schema.TEXT, "points": schema.NUMBER, "kind": schema.TEXT, "prompt": schema.TEXT,
     "rubric": schema.TEXT, "explanation": schema.TEXT, "answer_text": schema.TEXT, "steps": schema.TEXT,
     "source": schema.TEXT, "select": schema.TEXT, "tolerance": schema.NUMBER, "blanks": schema.TABLES,
     "accept_transpose": schema.BOOLEAN, "partial_points": schema.NUMBER, "work_required": schema.TEXT,
     "decimals": schema.INTEGER, "mistakes": schema.TABLES,
     "answer": schema.TEXT, "target": schema.TEXT, "shape": schema.TEXT, "accept": schema.TEXTS,
     "reject": schema.TEXTS},
    frozenset({"label", "points", "kind", "prompt", "rubric", "explanation"}),
)
_BLANK = schema.Schema({"name": schema.TEXT, "select": schema.TEXT, "source": schema.TEXT},
                       frozenset({"name", "select"}))
_MISTAKE = schema.Schema({"source": schema.TEXT, "select": schema.TEXT, "transpose": schema.BOOLEAN,
                          "blanks": schema.TABLES, "feedback": schema.TEXT}, frozenset({"feedback"}))
_MISTAKE_BLANK = schema.Schema({"name": schema.TEXT, "select": schema.TEXT, "source": schema.TEXT},
                               frozenset({"name"}))
_COMPUTATION = schema.Schema({"call": schema.TEXT, "args": schema.TABLE, "kwargs": schema.TABLE,
                              "names": schema.ANYTHING}, frozenset({"call", "args"}))


@dataclass(frozen=True)
class _Template:
    data: dict[str, Any]  # the checked fields; parts and computations checked too
    at: Place
    path: Path


def _template(number: int, content_dir: Path | str | None) -> _Template:
    from tutor.paths import default_content_dir

    root = Path(content_dir) if content_dir is not None else default_content_dir()
    path = root / "practice" / f"q{number:02d}.toml"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _read_template(str(root), str(path), stamp, number)


@lru_cache(maxsize=32)
def _read_template(root: str, path: str, stamp: int, number: int) -> _Template:
    problems: list[str] = []
    file = schema.read_toml(Path(root), Path(path), problems)
    if file is None:
        raise ContentError(problems)
    top = Place(file)
    data = schema.check_fields(top, file.data, _TEMPLATE)
    if data.get("number", number) != number:
        top.key("number").problem(f"{data['number']} but the file is the template of question {number}")
    computations = {}
    for name, table in data.get("computations", {}).items():
        at = top.key("computations").key(name)
        if not isinstance(table, dict):
            at.problem(f"expected a table, got {schema.toml_type(table)}")
            continue
        c = schema.check_fields(at, table, _COMPUTATION)
        if c.get("call") and not _is_solver_call(c["call"]):
            at.key("call").problem(f"'{c['call']}' is not a tutor.solver function")
        c["kwargs"] = {**c.get("kwargs", {}), **({"names": c.pop("names")} if "names" in c else {})}
        computations[name] = c
    parts, labels = [], set()
    for index, table in enumerate(data.get("parts", [])):
        at = top.key("parts").item(index, str(table.get("label", index + 1)))
        p = schema.check_fields(at, table, _PART)
        if p.get("kind") and p["kind"] not in PRACTICE_KINDS:
            at.key("kind").problem(f"'{p['kind']}' is not a practice kind ({', '.join(PRACTICE_KINDS)})")
        if p.get("label") in labels:
            at.key("label").problem(f"'{p['label']}' is the label of an earlier part")
        labels.add(p.get("label"))
        if p.get("tolerance", 0) < 0:
            at.key("tolerance").problem("must be 0 or more")
        if not 0 <= p.get("partial_points", 0) <= p.get("points", math.inf):
            at.key("partial_points").problem("must be between 0 and the part's points")
        p["blanks"] = [schema.check_fields(at.key("blanks").item(i, str(b.get("name", i + 1))), b, _BLANK)
                       for i, b in enumerate(p.get("blanks", []))]
        if p.get("kind") == "values" and not p["blanks"]:
            at.key("blanks").problem("a values part needs at least one blank")
        if p.get("kind") in ("number", "matrix", "shape", "formula") and "source" not in p:
            at.key("source").problem("missing: the computation whose result is the answer")
        refs = [("source", p.get("source", "")), ("steps", p.get("steps", ""))]
        refs += [("blanks", b.get("source", "")) for b in p["blanks"]]
        for key, ref in refs:
            if ref and ref not in computations:
                at.key(key).problem(f"no computation named '{ref}'" + schema.suggestion(ref, computations))
        if p["blanks"] and not p.get("source") and not all(b.get("source") for b in p["blanks"]):
            at.key("blanks").problem("a blank has no source (on the blank or on its part)")
        if not 0 <= p.get("decimals", 0) <= 10:
            at.key("decimals").problem("must be between 0 and 10")
        p["mistakes"] = [_read_mistake(at.key("mistakes").item(i, str(i + 1)), m, p, computations)
                         for i, m in enumerate(p.get("mistakes", []))]
        parts.append(p)
    known = formula_content.symbols(top.key("symbols"), data.get("symbols", []))
    drawn = formula_content.draws(top.key("draws"), data["draws"], known) if known and "draws" in data else ()
    for index, p in enumerate(parts):
        at = top.key("parts").item(index, str(p.get("label", index + 1)))
        if p.get("kind") == "formula":
            if not known or not drawn:
                at.problem("a formula part needs the template's symbols and draws")
            for key in ("answer", "target", "shape"):
                if key not in p:
                    at.key(key).problem("missing")
    if problems:
        raise ContentError(problems)
    return _Template({**data, "computations": computations, "parts": parts, "symbols": known, "draws": drawn},
                     top, Path(path))


def _read_mistake(at: Place, table: dict[str, Any], part: dict[str, Any], computations: dict) -> dict[str, Any]:
    """One template mistake, checked: its computation exists and its blanks are the part's."""
    m = schema.check_fields(at, table, _MISTAKE)
    source = m.get("source") or part.get("source", "")
    if source and source not in computations:
        at.key("source").problem(f"no computation named '{source}'" + schema.suggestion(source, computations))
    if m.get("transpose") and part.get("kind") in PRACTICE_KINDS and part.get("kind") != "matrix":
        at.key("transpose").problem("only a matrix part's mistake can be transposed")
    names = {b.get("name") for b in part.get("blanks", [])}
    blanks = []
    for i, b in enumerate(m.get("blanks", [])):
        where = at.key("blanks").item(i, str(b.get("name", i + 1)))
        blank = schema.check_fields(where, b, _MISTAKE_BLANK)
        if blank.get("name") not in names:
            where.key("name").problem(f"'{blank.get('name')}' is not a blank of this part")
        if blank.get("source") and blank["source"] not in computations:
            where.key("source").problem(f"no computation named '{blank['source']}'")
        blanks.append(blank)
    if part.get("kind") == "values" and not blanks:
        at.key("blanks").problem("a values part's mistake names the blanks it is about")
    return {**m, "blanks": blanks}


def _is_solver_call(name: str) -> bool:
    import tutor.solver as solver

    return name in solver.__all__ and callable(getattr(solver, name, None))


# ---------------------------------------------------------------------------- filling a template


def _build(t: _Template, values: dict[str, Any], seed: int) -> Question:
    rows = t.data.get("rows", {})
    shown = {name: _show(value, rows.get(name), t.at.key("rows").key(name)) for name, value in values.items()}
    fields = {name: text for name, text in shown.items() if text is not None} | {"seed": str(seed)}
    computations, results = {}, {}
    needed = {ref for p in t.data["parts"] for ref in (p.get("source"), p.get("steps"), *(b.get("source") for b in p["blanks"]))}
    for name, spec in t.data["computations"].items():
        at = t.at.key("computations").key(name)
        args = {}
        for param, ref in spec["args"].items():
            if isinstance(ref, str) and ref not in values:
                at.key("args").key(param).problem(f"'{ref}' is not a drawn value ({', '.join(sorted(values))})")
                raise ContentError(at.file.problems)
            args[param] = _plain(values[ref]) if isinstance(ref, str) else ref
        computations[name] = Computation(name, spec["call"], args, spec["kwargs"])
        try:
            results[name] = evaluate(computations[name])
        except (TypeError, ValueError) as error:
            if name not in needed:  # only a mistake's: these numbers cannot make that mistake
                del computations[name]
                continue
            at.problem(f"the solver call {spec['call']}(...) failed: {error}")
            raise ContentError(at.file.problems) from None
    parts = tuple(_part(t.at.key("parts").item(i, p["label"]), p, results, fields, (t, computations, values))
                  for i, p in enumerate(t.data["parts"]))
    title, stem = _fill(t.data["title"], fields, t.at.key("title")), _fill(t.data["stem"], fields, t.at.key("stem"))
    return Question(t.data["number"], title, sum(p.points for p in parts), stem, parts, computations, False, t.path)


def _part(at: Place, p: dict[str, Any], results: dict[str, Any], fields: dict[str, str],
          context: tuple[_Template, dict[str, Computation], dict[str, Any]]) -> Part:
    kind, source, path = p["kind"], p.get("source", ""), p.get("select", "")

    def result(where: Place, name: str, path: str) -> Any:
        try:
            value = select(results[name], path)
        except ValueError as error:
            where.key("select").problem(f"'{path}' does not resolve in computations.{name}: {error}")
            raise ContentError(where.file.problems) from None
        if kind != "shape" and not np.all(np.isfinite(np.asarray(value, dtype=float))):
            where.problem(f"the solver gives {value!r}, not a finite number")
            raise ContentError(where.file.problems)
        return value

    blanks: tuple[Blank, ...] = ()
    if kind == "values":
        blanks = tuple(
            Blank(_fill(b["name"], fields, at), float(result(at.key("blanks").item(i, b["name"]), b.get("source") or source,
                                                              b["select"])), b.get("source") or source, b["select"])
            for i, b in enumerate(p["blanks"]))
        answer: Any = tuple(b.answer for b in blanks)
        shown = "\n".join(f"{b.name} = {format_number(b.answer)}" for b in blanks)
    elif kind == "number":
        answer = float(result(at, source, path))
        shown = format_number(answer)
    elif kind == "matrix":
        grid = np.atleast_2d(np.asarray(result(at, source, path), dtype=float))
        answer, shown = tuple(tuple(float(v) for v in row) for row in grid), _grid(grid)
    elif kind == "formula":
        formula, dims, numbers = _formula(at, p, result(at, source, path), fields, context)
        answer, shown = p["answer"], f"{p['answer']}, {formula.shape} = {numbers}"
        fields = {**fields, "shape": numbers}
    else:  # shape
        answer = shown = "×".join(str(n) for n in np.shape(result(at, source, path)))
    if kind != "formula":
        formula, dims = None, {}
    texts = {**fields, "answer": shown}
    decimals = p.get("decimals")
    if decimals is not None:
        texts["rounded"] = (_rounded_text(answer, decimals) if kind == "number" else
                            "\n".join(f"{b.name} = {_rounded_text(b.answer, decimals)}" for b in blanks))
    fill = {name: _fill(p[name], texts, at.key(name)) for name in ("prompt", "rubric", "explanation", "work_required")
            if name in p}
    built = Part(
        label=p["label"], points=p["points"], kind=kind, answer=answer, blanks=blanks,
        answer_text=_fill(p.get("answer_text", "{answer}"), texts, at.key("answer_text")),
        steps=p.get("steps", ""), tolerance=p.get("tolerance", 1e-6), source=source, select=path,
        accept_transpose=p.get("accept_transpose", False), partial_points=p.get("partial_points", 0.0),
        prompt=fill["prompt"], rubric=fill["rubric"], explanation=fill["explanation"],
        work_required=fill.get("work_required", ""), decimals=decimals, formula=formula, dims=dims,
    )
    mistakes = [_mistake(at.key("mistakes").item(i, str(i + 1)), m, built, p, result, results, texts)
                for i, m in enumerate(p.get("mistakes", []))]
    return replace(built, mistakes=tuple(m for m in mistakes if m is not None))


def _typed(value: Any) -> str:
    """A solver number as a student could type it, exactly: 18496, -0.25, 0.3333333333333333."""
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _rounded_text(value: float, decimals: int) -> str:
    """The answer rounded as the part asks (half up, as students round), for the rubric's text."""
    from decimal import ROUND_HALF_UP, Decimal

    return format_number(float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)))


def _mistake(at: Place, m: dict[str, Any], part: Part, p: dict[str, Any], result: Callable[..., Any],
             results: dict[str, Any], texts: dict[str, str]) -> Mistake | None:
    """A template mistake with this variant's numbers, as a student would type it; None when these
    numbers make it right (or name none of its blanks wrong)."""
    from tutor.exam import prove_mistakes

    source = m.get("source") or p.get("source", "")
    if any(name not in results for name in (source, *(b.get("source") or source for b in m["blanks"]))):
        return None  # its computation is impossible with these numbers
    if part.kind == "values":
        selects = {b["name"]: b["select"] for b in p["blanks"]}
        answers = {b.name: b.answer for b in part.blanks}
        pieces = []
        for blank in m["blanks"]:
            name = _fill(blank["name"], texts, at)
            value = float(result(at, blank.get("source") or source, blank.get("select") or selects[blank["name"]]))
            if not math.isclose(value, answers[name], rel_tol=0, abs_tol=1e-9):
                pieces.append(f"{name} = {_typed(value)}")
        answer = "; ".join(pieces)
    elif part.kind == "matrix":
        grid = np.atleast_2d(np.asarray(result(at, source, m.get("select") or p.get("select", "")), dtype=float))
        grid = grid.T if m.get("transpose") else grid
        answer = "; ".join(" ".join(_typed(v) for v in row) for row in grid)
    else:
        answer = _typed(result(at, source, m.get("select") or p.get("select", "")))
    if not answer:
        return None
    mistake = Mistake(answer, _fill(m["feedback"], texts, at.key("feedback")))
    return None if prove_mistakes(None, replace(part, mistakes=(mistake,))) else mistake


def _formula(at: Place, p: dict[str, Any], value: Any, fields: dict[str, str],
             context: tuple[_Template, dict[str, Computation], dict[str, Any]]) -> tuple[Any, dict[str, int], str]:
    """A formula part's Formula for this variant, the drawn sizes its typed shape may use, and its
    shape in numbers; the solver's result must have the part's shape at those sizes."""
    template, computations, values = context
    examples = {key: [_fill(text, fields, at.key(key)) for text in p.get(key, ())] for key in ("accept", "reject")}
    filled = {**p, **examples}
    formula = formula_content.build(at, filled, template.data["symbols"], template.data["draws"],
                                    computations[p["source"]])
    if formula is None:
        raise ContentError(at.file.problems)
    dims = {d: int(values[d]) for d in formula.dimensions if schema.INTEGER.test(values.get(d))}
    want = tuple(dims.get(d, int(d) if d.isdigit() else -1) for d in formula.shape.split("×"))
    if tuple(np.shape(value)) != want:
        at.key("shape").problem(f"{formula.shape} is {want} here, but the solver's result has shape {np.shape(value)}")
        raise ContentError(at.file.problems)
    return formula, dims, "×".join(map(str, want))


_FORMATTER = string.Formatter()


def _fill(text: str, fields: Mapping[str, str], at: Place) -> str:
    """str.format over text-valued fields; a multi-line field is indented to the column it starts at."""
    out = ""
    try:
        for literal, name, spec, _ in _FORMATTER.parse(text):
            out += literal
            if name is None:
                continue
            if name not in fields:
                at.problem(f"{{{name}}} is not a field here (fields: {', '.join(sorted(fields))})")
                raise ContentError(at.file.problems)
            column = len(out) - (out.rfind("\n") + 1)
            out += _FORMATTER.format_field(fields[name], spec or "").replace("\n", "\n" + " " * column)
    except ValueError as error:
        at.problem(f"not a valid template: {error}")
        raise ContentError(at.file.problems) from None
    return out


def _show(value: Any, row_template: str | None, at: Place) -> str | None:
    """A drawn value as text: numbers by format_number, vectors by format_array, matrices as a grid.

    None for a value that is not shown (such as a network's layers, only passed to the solver).
    """
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        if row_template is None:
            at.problem("missing: a line template for this list of rows")
            raise ContentError(at.file.problems)
        widths = {k: max(len(row[k]) for row in value) for k in value[0]}
        return "\n".join(_fill(row_template, {k: v.ljust(widths[k]) for k, v in row.items()}, at).rstrip()
                         for row in value)
    try:
        array = np.asarray(value)
    except ValueError:
        return None
    if array.dtype.kind not in "biuf" or array.ndim > 2 or array.size == 0:
        return None
    return _grid(array) if array.ndim == 2 else format_array(array)


def _grid(a: np.ndarray) -> str:
    """A matrix in brackets, one row a line, cells right-aligned: "⎡ 1  3 ⎤\\n⎣ 5  6 ⎦"."""
    cells = [[format_number(v) for v in row] for row in np.asarray(a).tolist()]
    width = max(len(c) for row in cells for c in row)
    lines = ["  ".join(c.rjust(width) for c in row) for row in cells]
    if len(lines) == 1:
        return f"[ {lines[0]} ]"
    edges = [("⎡", "⎤")] + [("⎢", "⎥")] * (len(lines) - 2) + [("⎣", "⎦")]
    return "\n".join(f"{left} {line} {right}" for (left, right), line in zip(edges, lines))


def _plain(value: Any) -> Any:
    """A drawn value as the exam's files hold computation arguments: lists, ints and floats."""
    if isinstance(value, np.ndarray | np.generic):
        return value.tolist()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# ------------------------------------------------------------------------------- drawing numbers


class _Draw:
    """The template's [draw] ranges and [choices], read with a plain message when one is wrong."""

    def __init__(self, table: dict[str, Any], choices: dict[str, Any], top: Place):
        self.table, self.choices, self.top = table, choices, top
        self.chosen: dict[str, str] = {}

    def fail(self, key: str, message: str, section: str = "draw") -> ContentError:
        at = self.top.key(section).key(key)
        at.problem(message)
        return ContentError(at.file.problems)

    def number(self, key: str) -> float:
        value = self.table.get(key)
        if not schema.NUMBER.test(value):
            raise self.fail(key, f"expected a number, got {value!r}")
        return value

    def span(self, key: str) -> tuple[Any, Any]:
        value = self.table.get(key)
        if not (isinstance(value, list) and len(value) == 2 and all(schema.NUMBER.test(v) for v in value)
                and value[0] <= value[1]):
            raise self.fail(key, f"expected [low, high] with low ≤ high, got {value!r}")
        return value[0], value[1]

    def options(self, key: str) -> list[Any]:
        value = self.table.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(key, f"expected a non-empty array, got {value!r}")
        return value

    def choice(self, rng: np.random.Generator, name: str) -> str:
        """One key of [choices.name]; its strings become fields."""
        options = self.choices.get(name)
        if not isinstance(options, dict) or not options or not all(
                isinstance(o, dict) and all(isinstance(s, str) for s in o.values()) for o in options.values()):
            raise self.fail(name, "expected tables of strings, one per option", "choices")
        key = _pick(rng, sorted(options))
        self.chosen.update(options[key])
        return key

    def named(self, name: str, key: str) -> str:
        """The option `key` of [choices.name], decided by the draw (not at random); its strings
        become fields."""
        options = self.choices.get(name)
        if not isinstance(options, dict) or not isinstance(options.get(key), dict) or not all(
                isinstance(s, str) for s in options[key].values()):
            raise self.fail(name, f"expected a table of strings for the option '{key}'", "choices")
        self.chosen.update(options[key])
        return key

    def first(self, make: Callable[[], dict[str, Any] | None], what: str, tries: int = 1000) -> dict[str, Any]:
        """The first draw that is not degenerate (make returns None for one)."""
        for _ in range(tries):
            values = make()
            if values is not None:
                return values
        raise self.fail("(ranges)", f"no well-posed {what} in {tries} draws: widen the ranges")


def _between(rng: np.random.Generator, low: int, high: int) -> int:
    return int(rng.integers(int(low), int(high) + 1))


def _pick(rng: np.random.Generator, options: list[Any]) -> Any:
    return options[int(rng.integers(len(options)))]


def _tenths(rng: np.random.Generator, low: float, high: float, shape: Any = None) -> Any:
    """Numbers with one decimal in [low, high]: k/10 for whole k, the same floats as typed literals."""
    drawn = rng.integers(round(low * 10), round(high * 10) + 1, size=shape) / 10
    return float(drawn) if shape is None else drawn


def _draw_regression(rng: np.random.Generator, d: _Draw) -> dict[str, Any]:
    """Question 2: n examples of d features, w, b, σ; the NLL through trace_gaussian_nll."""
    n, k = _between(rng, *d.span("examples")), _between(rng, *d.span("features"))
    low, high = d.span("values")
    X, y = _tenths(rng, low, high, (n, k)), _tenths(rng, low, high, n)
    w, b, sigma = _tenths(rng, low, high, k), _tenths(rng, low, high), float(_pick(rng, d.options("sigmas")))
    data = [{"i": superscript(i + 1), "x": format_array(X[i]), "y": format_number(y[i])} for i in range(n)]
    return {"X": X, "y": y, "w": w, "b": b, "sigma": sigma, "n": n, "d": k, "data": data}


def _draw_softmax(rng: np.random.Generator, d: _Draw) -> dict[str, Any]:
    """Question 4(c): logits o and a one-hot label y over the template's classes."""
    classes = d.options("classes")
    o, label = _tenths(rng, *d.span("logits"), len(classes)), _between(rng, 0, len(classes) - 1)
    values = {"o": o, "y": np.eye(len(classes))[label], "label": str(classes[label]), "label_number": label + 1}
    return values | {f"o{j + 1}": float(v) for j, v in enumerate(o)}


def _draw_network(rng: np.random.Generator, d: _Draw) -> dict[str, Any]:
    """Question 5: the 2-2-2 network (ReLU hidden, linear out) and targets; some hidden unit live."""
    low, high = d.span("values")

    def make() -> dict[str, Any] | None:
        x, W1, b1 = _tenths(rng, low, high, 2), _tenths(rng, low, high, (2, 2)), _tenths(rng, low, high, 2)
        W2, b2, t = _tenths(rng, low, high, (2, 2)), _tenths(rng, low, high, 2), _tenths(rng, low, high, 2)
        layers = [[W1, b1, "relu"], [W2, b2, "identity"]]
        linear = [[W1, b1, "identity"], [W2, b2, "identity"]]  # the same numbers, ReLU forgotten
        forward = mlp_forward(x, layers)
        if not (forward.pre[0] > 0).any():
            return None  # every hidden unit dead: the output would not depend on the inputs
        # wᵢⱼ from unit i below to unit j above: W1[i][j] = w(i+1)(j+1), W2[i][j] = w(i+3)(j+1)
        names = {f"w{i + 1}{j + 1}": W1[i, j] for i in range(2) for j in range(2)}
        names |= {f"w{i + 3}{j + 1}": W2[i, j] for i in range(2) for j in range(2)}
        names |= {"i1": x[0], "i2": x[1], "b1": b1[0], "b2": b1[1], "b3": b2[0], "b4": b2[1], "t1": t[0], "t2": t[1]}
        drawn = {"x": x, "layers": layers, "layers_without_relu": linear, "t": t, "o": forward.output}
        return drawn | {k: float(v) for k, v in names.items()}

    return d.first(make, "network (every hidden unit was dead)")


def _draw_backprop(rng: np.random.Generator, d: _Draw) -> dict[str, Any]:
    """Question 6: distinct d_x, d_h, n_c (so a wrong shape cannot pass), numbers with a live unit."""

    def sizes() -> dict[str, Any] | None:
        drawn = {key: _between(rng, *d.span(key)) for key in ("d_x", "d_h", "n_c")}
        return drawn if len(set(drawn.values())) == 3 else None

    dims = d.first(sizes, "sizes (d_x, d_h, n_c distinct)")
    d_x, d_h, n_c = dims["d_x"], dims["d_h"], dims["n_c"]
    low, high = d.span("values")

    def make() -> dict[str, Any] | None:
        x, W1, b1 = _tenths(rng, low, high, (d_x, 1)), _tenths(rng, low, high, (d_h, d_x)), _tenths(rng, low, high, (d_h, 1))
        W2, b2 = _tenths(rng, low, high, (n_c, d_h)), _tenths(rng, low, high, (n_c, 1))
        label = _between(rng, 0, n_c - 1)
        if not (mlp_forward(x.ravel(), [(W1.T, b1.ravel(), "relu")]).output > 0).any():
            return None  # no live hidden unit: every gradient below z₂ would be zero
        y = np.eye(n_c)[:, [label]]
        return {"x": x, "W1": W1, "b1": b1, "W2": W2, "b2": b2, "y": y, "label_number": label + 1,
                "x_row": x.ravel(), "b1_row": b1.ravel(), "b2_row": b2.ravel(), "y_row": y.ravel()}

    return dims | d.first(make, "network (no hidden unit was live)")


def _draw_sizes(rng: np.random.Generator, d: _Draw) -> dict[str, Any]:
    """Question 7: a padded and a strided convolution of one n×n input, and the transposed one back."""

    def make() -> dict[str, Any] | None:
        n = _between(rng, *d.span("n"))
        k_a, k_b = int(_pick(rng, d.options("kernels_a"))), int(_pick(rng, d.options("kernels_b")))
        p_a, p_b = _between(rng, 0, k_a // 2), _between(rng, 0, k_b // 2)
        s_b = int(_pick(rng, d.options("strides")))
        if k_a > n + 2 * p_a or k_b > n + 2 * p_b or s_b > n:
            return None  # a kernel larger than the padded input
        return {"n": n, "k_a": k_a, "p_a": p_a, "k_b": k_b, "p_b": p_b, "s_b": s_b,
                "n_t": conv_output_size(n, k_b, s_b, p_b)}

    return d.first(make, "geometry")


def _draw_pooling(rng: np.random.Generator, d: _Draw) -> dict[str, Any]:
    """Question 8: an input of other sizes, window, stride ≤ window, padding ≤ window//2, mode."""
    mode = d.choice(rng, "mode")
    low, high = d.span("values")
    least, most = d.span("windows")

    def make() -> dict[str, Any] | None:
        rows, cols = _between(rng, *d.span("rows")), _between(rng, *d.span("cols"))
        size = int(_pick(rng, d.options("sizes")))
        stride = _between(rng, 1, min(size, int(d.span("strides")[1])))
        padding = _between(rng, 0, size // 2)
        if size > min(rows, cols) + 2 * padding:
            return None  # the window would not fit the padded input
        x = rng.integers(int(low), int(high) + 1, size=(rows, cols))
        out = pool2d(x, size, stride, padding, mode).output
        if not least <= out.size <= most:
            return None
        return {"x": x, "rows": rows, "cols": cols, "size": size, "stride": stride, "padding": padding,
                "mode": mode, "windows": out.size, "out_rows": out.shape[0], "out_cols": out.shape[1]}

    drawn = d.first(make, "pooling")
    # The windows reach the last row and column of the padded input, or the floor of
    # ⌊(n + 2p − k)/s⌋ + 1 leaves some out: the stem says which (the template's [choices.coverage]).
    reach = [(n - 1) * drawn["stride"] + drawn["size"] for n in (drawn["out_rows"], drawn["out_cols"])]
    padded = [side + 2 * drawn["padding"] for side in (drawn["rows"], drawn["cols"])]
    d.named("coverage", "full" if reach == padded else "partial")
    return drawn


def _draw_bottleneck(rng: np.random.Generator, d: _Draw) -> dict[str, Any]:
    """Question 9: channel counts, kernel, and a bottleneck narrower than both ends."""
    low, high = d.span("channels")
    channels = list(range(int(low), int(high) + 1, max(int(d.number("channel_step")), 1)))
    c_in, c_out = int(_pick(rng, channels)), int(_pick(rng, channels))
    kernel = int(_pick(rng, d.options("kernels")))
    least = int(d.number("mid_min"))
    # the bottleneck: at least mid_min, at most half the narrower end, so always narrower than both
    c_mid = _between(rng, least, max(min(c_in, c_out) // 2, least))
    if not c_mid < min(c_in, c_out):
        raise d.fail("mid_min", "the bottleneck must be narrower than both channel counts")
    return {"c_in": c_in, "c_mid": c_mid, "c_out": c_out, "k": kernel}


_DRAWS: dict[int, Callable[[np.random.Generator, _Draw], dict[str, Any]]] = {
    2: _draw_regression, 4: _draw_softmax, 5: _draw_network, 6: _draw_backprop,
    7: _draw_sizes, 8: _draw_pooling, 9: _draw_bottleneck,
}
PRACTICE_QUESTIONS: tuple[int, ...] = tuple(sorted(_DRAWS))


# ------------------------------------------------------------------------ what to practise next


def _get(record: Any, name: str, default: Any = None) -> Any:
    if isinstance(record, Mapping):
        return record.get(name, default)
    return getattr(record, name, default)


def _records(answers: Any) -> Iterable[Any]:
    """The records of `answers`: a {(q, part): record} mapping, or any iterable of records."""
    return answers.values() if isinstance(answers, Mapping) else (answers or ())


def _graded(record: Any) -> tuple[tuple[int, str], float] | None:
    """((question, part), score/points) of a checked record with points; None for the rest."""
    score, points = _get(record, "score"), _get(record, "points")
    if score is None or not points or _get(record, "status") in ("typed", "invalid"):
        return None
    return (int(_get(record, "question")), str(_get(record, "part"))), float(score) / float(points)


def _exam_order(key: tuple[int, str]) -> tuple[int, int, str]:
    """(question, label) in the paper's order: "b" before "c", "2" before "10"."""
    number, label = key
    return (number, int(label), "") if label.isdigit() else (number, 1 << 30, label)


def weakest_parts(practice_results: Iterable[Any], exam_answers: Any, limit: int | None = 3, *,
                  parts: Iterable[tuple[int, str]] | None = None) -> list[tuple[int, str]]:
    """"Practise what I missed": the practice parts to do next, weakest first.

    practice_results: ProgressStore.practice_results() rows (question, part, score, points, done_at
    or at). exam_answers: an attempt's answers ({(q, part): AnswerRecord}) or any iterable of such
    records (several attempts). Drafts, unreadable answers and unchecked records do not count.

    A part's ratio is the mean score/points of its RECENT (3) newest results, practice and exam
    together, newest by done_at/at/checked_at (a record without a time counts as oldest). Order:
    parts with a ratio below 1, lowest first; then parts never attempted; then parts at full
    marks; ties in exam order. Only `parts` count (default: every part that has practice, which
    reads the templates; pass them to keep this free of I/O). `limit` None gives all.
    """
    universe = sorted(set(parts if parts is not None else practice_parts()), key=_exam_order)
    known = set(universe)
    history: dict[tuple[int, str], list[tuple[float, int, float]]] = {}
    records = [(r, _get(r, "done_at", _get(r, "at"))) for r in practice_results or ()]
    records += [(r, _get(r, "checked_at", _get(r, "at"))) for r in _records(exam_answers)]
    for position, (record, when) in enumerate(records):
        graded = _graded(record)
        if graded and graded[0] in known:
            moment = float(when) if isinstance(when, int | float) else -math.inf
            history.setdefault(graded[0], []).append((moment, -position, graded[1]))
    ratio = {key: sum(r for _, _, r in sorted(rows, reverse=True)[:RECENT]) / len(rows[:RECENT])
             for key, rows in history.items()}
    weak = sorted((k for k in universe if k in ratio and ratio[k] < 1 - 1e-9), key=lambda k: ratio[k])
    untried = [k for k in universe if k not in ratio]
    mastered = [k for k in universe if k in ratio and ratio[k] >= 1 - 1e-9]
    ranked = weak + untried + mastered
    return ranked if limit is None else ranked[:max(limit, 0)]


def wrong_parts(answers: Any) -> list[tuple[int, str]]:
    """"Retake what I got wrong": parts of an attempt checked with less than full marks, in exam order.

    answers: ProgressStore.answers(attempt_id), or any iterable of AnswerRecord-like records.
    """
    wrong = {key for key, ratio in filter(None, map(_graded, _records(answers))) if ratio < 1 - 1e-9}
    return sorted(wrong, key=_exam_order)
