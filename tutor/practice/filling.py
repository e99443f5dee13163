"""Filling a practice template with drawn numbers: a full Question whose answers are the solver's.

Why it exists: `build(template, values, seed)` runs the template's computations on the drawn
values through `tutor.exam.evaluate`, takes every answer and named mistake from their results, and
formats the texts (stem, prompts, rubrics) with the numbers as the solver writes them, so a variant
is graded by `tutor.grading.grade` and stepped through like the exam's questions.
What it must not depend on: the UI and sympy; no prose (the template's) and no answer of its own.
"""

from __future__ import annotations

import math
import string
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from tutor import content_schema as schema
from tutor import formula_content
from tutor.content_schema import Place
from tutor.exam import Blank, Computation, ContentError, Mistake, Part, Question, evaluate, select
from tutor.solver import format_array, format_number

from .templates import Template


def build(t: Template, values: dict[str, Any], seed: int) -> Question:
    """The template filled with the drawn `values`: every computation run by the solver, every
    answer and mistake its result, every text formatted; ContentError naming the field that fails."""
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
          context: tuple[Template, dict[str, Computation], dict[str, Any]]) -> Part:
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
             context: tuple[Template, dict[str, Computation], dict[str, Any]]) -> tuple[Any, dict[str, int], str]:
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
