"""The practice templates (`content/practice/qNN.toml`): their format, read and checked.

Why it exists: a template says in data what a practice problem is (its stem, parts, rubrics, the
computations whose results are its answers, and how its numbers are drawn), so that no prose and no
answer of practice lives in Python. `read_template` reads one with every problem said as
`practice/q08.toml:12: field: what is wrong`; filling it with drawn numbers is
`tutor.practice.filling`'s, drawing them `tutor.practice.draws`'.
What it must not depend on: the UI (no Textual, no rich) and sympy.

Template format (`content/practice/q08.toml`; multi-line strings lose their edge newlines):

    number = 8
    title = "..."
    stem = '''Apply {size}×{size} {name} pooling ... to\n\n    {x}'''
    [draw]                     # how the numbers are drawn:
    kind = "pooling"           #   the draw (tutor.practice.draws.DRAWS), and the ranges it reads
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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from tutor import content_schema as schema
from tutor import formula_content
from tutor.content_schema import Place
from tutor.exam import ContentError

from .catalog import template_path
from .draws import DRAWS

PRACTICE_KINDS = ("number", "values", "matrix", "shape", "formula")


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
class Template:
    """One template as read: its checked fields (parts and computations checked too; `draw` is the
    name of its draw, `ranges` the rest of its [draw] table), where it is, for messages."""

    data: dict[str, Any]
    at: Place
    path: Path

    @property
    def draw(self) -> str:
        return self.data["draw"]["kind"]


def read_template(number: int, content_dir: Path | str | None = None) -> Template:
    """Question `number`'s template, read and checked (again only when the file changed);
    ContentError with one `file:line: field: what is wrong` line per problem."""
    path = template_path(number, content_dir)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _read_template(str(path.parent.parent), str(path), stamp, number)


@lru_cache(maxsize=32)
def _read_template(root: str, path: str, stamp: int, number: int) -> Template:
    problems: list[str] = []
    file = schema.read_toml(Path(root), Path(path), problems)
    if file is None:
        raise ContentError(problems)
    top = Place(file)
    data = schema.check_fields(top, file.data, _TEMPLATE)
    if data.get("number", number) != number:
        top.key("number").problem(f"{data['number']} but the file is the template of question {number}")
    if "draw" in data:
        kind = data["draw"].get("kind")
        if not isinstance(kind, str):
            top.key("draw").key("kind").problem(f"missing: the draw of these ranges (one of {', '.join(DRAWS)})")
        elif kind not in DRAWS:
            top.key("draw").key("kind").problem(
                f"'{kind}' is not a draw (one of {', '.join(DRAWS)})" + schema.suggestion(kind, DRAWS))
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
    return Template({**data, "computations": computations, "parts": parts, "symbols": known, "draws": drawn},
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
