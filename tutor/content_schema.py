"""The fields of the content files, their types, and the line each one sits on; no UI, no numerics.

Why it exists: the loaders (`tutor.exam.loader`, `tutor.practice`) check the content against these
tables, so which fields a file, a part of each kind, a blank, a term group, a mistake, a formula
symbol, a diagram and a computation may have, which are required and what type each takes is
written down once. What each field means is docs/CONTENT.md (tests/test_content_docs.py fails when
a field here is missing there). `FieldLines` finds the line of a field in a TOML text (best effort,
for messages), because `tomllib` keeps no positions; `read_toml` and `check_fields` turn a file's
bytes and tables into data plus `file:line: field: what is wrong` problems. Standard library only.
"""

from __future__ import annotations

import codecs
import difflib
import math
import os
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple


class FieldType(NamedTuple):
    """A field's type: its name for messages and the test a value must pass."""

    name: str
    test: Callable[[Any], bool]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_matrix(value: Any) -> bool:
    if not isinstance(value, list) or not value or not all(isinstance(row, list) and row for row in value):
        return False
    return len({len(row) for row in value}) == 1 and all(_is_number(v) for row in value for v in row)


TEXT = FieldType("a string", lambda v: isinstance(v, str))
INTEGER = FieldType("an integer", lambda v: isinstance(v, int) and not isinstance(v, bool))
NUMBER = FieldType("a finite number", _is_number)
BOOLEAN = FieldType("true or false", lambda v: isinstance(v, bool))
TABLE = FieldType("a table", lambda v: isinstance(v, dict))
TABLES = FieldType(
    "an array of tables", lambda v: isinstance(v, list) and all(isinstance(t, dict) for t in v)
)
TEXTS = FieldType("an array of strings", lambda v: isinstance(v, list) and all(isinstance(t, str) for t in v))
MATRIX = FieldType("a rectangular array of arrays of numbers", _is_matrix)
DIMS = FieldType(
    "a table of integers",
    lambda v: isinstance(v, dict) and all(INTEGER.test(n) for n in v.values()),
)
WORDS = FieldType(
    "a table of arrays of strings",
    lambda v: isinstance(v, dict) and all(TEXTS.test(e) and e for e in v.values()),
)
ANYTHING = FieldType("any value", lambda v: True)

MAX_QUESTION_NUMBER = 999  # a question's number reaches SQLite and every screen: 1 to 999
QUESTION_NUMBER = FieldType(
    f"a whole number from 1 to {MAX_QUESTION_NUMBER}",
    lambda v: INTEGER.test(v) and 1 <= v <= MAX_QUESTION_NUMBER,
)
MAX_FILE_BYTES = 1_000_000  # a content file is a few kB: more is not one (or it is /dev/zero)


class Schema(NamedTuple):
    fields: dict[str, FieldType]
    required: frozenset[str]


def _schema(required: Iterable[str], **fields: FieldType) -> Schema:
    return Schema(fields, frozenset(required))


EXAM = _schema(
    ("title", "total"), title=TEXT, total=NUMBER, minutes=INTEGER, weight=NUMBER, instructions=TEXT
)
QUESTION = _schema(
    ("number", "title", "points", "stem", "parts"),
    number=QUESTION_NUMBER, title=TEXT, points=NUMBER, stem=TEXT, reconstructed=BOOLEAN,
    computations=TABLE, parts=TABLES, symbols=TABLES, draws=TABLES,  # symbols, draws: formula parts
)
COMPUTATION = _schema(("call", "args"), call=TEXT, args=TABLE, kwargs=TABLE, names=ANYTHING, editor=TEXT,
                      picture=TEXT)
BLANK = _schema(("name", "answer"), name=TEXT, answer=NUMBER, source=TEXT, select=TEXT)
TERM = _schema(
    ("any", "points"), any=TEXTS, points=NUMBER, name=TEXT, opposite=TEXTS, vague=TEXTS, no_credit=TEXTS,
    note=TEXT, no_credit_note=TEXT,
)
MISTAKE = _schema(("answer", "feedback"), answer=TEXT, feedback=TEXT)  # a common wrong answer
SYMBOL = _schema(  # a symbol of a question's formula parts (tutor.formula_content)
    ("name", "shape"), name=TEXT, shape=TEXT, select=TEXT, arg=TEXT, one_hot=BOOLEAN, aliases=TEXTS, note=TEXT
)
# A choice's block diagram (the residual-block picture): its layers from input to output, and
# where a shortcut from the input joins (after that many layers) and how.
DIAGRAM = _schema(("layers",), layers=TEXTS, join=TEXT, after=INTEGER)
JOINS = ("add", "concatenate")

# Every part has these; `kind` then adds its own fields (KIND_FIELDS) and required ones (KIND_REQUIRED).
PART = _schema(
    ("label", "points", "kind", "prompt", "rubric", "explanation"),
    label=TEXT, points=NUMBER, kind=TEXT, prompt=TEXT, rubric=TEXT, explanation=TEXT,
    answer_text=TEXT, reconstructed=BOOLEAN, steps=TEXT,
)
_PROOF = {"source": TEXT, "select": TEXT, "tolerance": NUMBER}
_NAMED = {"mistakes": TABLES}  # common wrong answers: MISTAKE tables
_ROUNDED = {"decimals": INTEGER, **_NAMED}  # asked to so many decimals
KIND_FIELDS: dict[str, dict[str, FieldType]] = {
    "true_false": {"answer": BOOLEAN},
    "number": {"answer": NUMBER, **_PROOF, "partial_points": NUMBER, **_ROUNDED},
    "values": {"blanks": TABLES, "source": TEXT, "tolerance": NUMBER, "partial_points": NUMBER, **_ROUNDED},
    "matrix": {"answer": MATRIX, **_PROOF, "work_required": TEXT, "partial_points": NUMBER, **_ROUNDED},
    "choice": {"choices": TEXTS, "answer": INTEGER, "diagrams": TABLES, **_NAMED},
    "shape": {"answer": TEXT, "accept_transpose": BOOLEAN, "source": TEXT, "select": TEXT, "dims": DIMS,
              **_NAMED},
    "text": {"answer": TEXT, "terms": TABLES, "words": WORDS, "explain": BOOLEAN, "restates": TEXTS},
    "derivation": {"answer": TEXT, "partial_points": NUMBER, "example": TEXT},
    "formula": {"answer": TEXT, "target": TEXT, "shape": TEXT, "source": TEXT, "select": TEXT,
                "accept_transpose": BOOLEAN, "partial_points": NUMBER, "accept": TEXTS, "reject": TEXTS},
}
_REQUIRED_BY_KIND = {"values": {"blanks"}, "choice": {"choices", "answer"}, "text": {"answer", "terms"},
                     "formula": {"answer", "target", "shape", "source"}}
KIND_REQUIRED: dict[str, frozenset[str]] = {
    kind: frozenset(_REQUIRED_BY_KIND.get(kind, {"answer"})) for kind in KIND_FIELDS
}


def part_schema(kind: str) -> Schema:
    return Schema({**PART.fields, **KIND_FIELDS[kind]}, PART.required | KIND_REQUIRED[kind])


def toml_type(value: Any) -> str:
    """The TOML name of a value's type, for 'expected X, got Y' messages."""
    names = {bool: "boolean", int: "integer", float: "float", str: "string", list: "array", dict: "table"}
    name = names.get(type(value), "date/time")
    shown = repr(value)
    return f"{name} {shown}" if len(shown) <= 30 else name


def suggestion(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+|\"[^\"]*\")\s*=")


class FieldLines:
    """Where each field of a TOML text starts: a path such as ("parts", 1, "blanks", 0, "answer") -> line.

    Best effort: tables, arrays of tables, keys, and the entries of a multi-line array of inline
    tables (one `{ ... }` per line) are found; anything else falls back to its nearest parent.
    """

    def __init__(self, text: str):
        self.lines: dict[tuple, int] = {}
        self._count: dict[tuple, int] = {}
        section: tuple = ()
        quote = ""  # the delimiter of a multi-line string we are inside
        array: tuple | None = None  # the path of a multi-line array we are inside
        depth = entries = 0
        for number, line in enumerate(text.splitlines(), start=1):
            if quote:
                quote = "" if line.count(quote) % 2 else quote
                continue
            if array is not None:
                if line.lstrip().startswith("{"):
                    self.lines.setdefault(array + (entries,), number)
                    entries += 1
                depth += line.count("[") - line.count("]")
                array = None if depth <= 0 else array
                continue
            header, key = _HEADER.match(line), _KEY.match(line)
            if header and not key:
                section = self._table(header.group(2), header.group(1) == "[[")
                self.lines.setdefault(section, number)
                if header.group(1) == "[[":  # the array itself starts at its first table
                    self.lines.setdefault(section[:-1], number)
            elif key:
                path = section + (key.group(1).strip('"'),)
                self.lines.setdefault(path, number)
                value = line[key.end():]
                for delimiter in ("'''", '"""'):
                    if value.count(delimiter) % 2:
                        quote = delimiter
                depth = value.count("[") - value.count("]")
                if depth > 0 and not quote:
                    array, entries = path, 0
                    if value.strip().startswith("[") and "{" in value:
                        self.lines.setdefault(path + (0,), number)
                        entries = 1

    @classmethod
    def known(cls, lines: dict[tuple, int]) -> FieldLines:
        """The lines found in an earlier reading of the same text (tutor.exam.cache)."""
        found = cls.__new__(cls)
        found.lines, found._count = lines, {}
        return found

    def _table(self, dotted: str, is_array: bool) -> tuple:
        path: tuple = ()
        keys = [k.strip().strip('"') for k in dotted.split(".")]
        for i, key in enumerate(keys):
            path += (key,)
            last = i == len(keys) - 1
            if last and is_array:
                index = self._count.get(path, -1) + 1
                self._count[path] = index
                path += (index,)
            elif path in self._count:
                path += (self._count[path],)
        return path

    def line(self, path: tuple) -> int:
        """The line of `path`, or of its nearest parent that was found, or 1."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1


@dataclass
class SourceFile:
    """One content file as read: its name as messages show it, its data, and where its fields are."""

    name: str  # relative to the content folder
    data: dict[str, Any]
    lines: FieldLines
    problems: list[str]  # shared by every file of one load


@dataclass(frozen=True)
class Place:
    """A place in a content file: its path, for finding the line, and the field as messages name it."""

    file: SourceFile
    path: tuple = ()
    field: str = ""

    def key(self, name: str) -> Place:
        return Place(self.file, self.path + (name,), f"{self.field}.{name}" if self.field else name)

    def item(self, index: int, shown: str) -> Place:
        return Place(self.file, self.path + (index,), f"{self.field}[{shown}]")

    def problem(self, message: str) -> None:
        line = self.file.lines.line(self.path)
        self.file.problems.append(f"{self.file.name}:{line}: {self.field or 'file'}: {message}")


def read_toml(root: Path, path: Path, problems: list[str]) -> SourceFile | None:
    """Read one content file; on a problem with its bytes or its TOML, record it and return None."""
    text = read_text(root, path, problems)
    return parse_toml(path.relative_to(root).as_posix(), text, problems) if text is not None else None


def read_text(root: Path, path: Path, problems: list[str]) -> str | None:
    """One content file's text; on a problem with its bytes, record it and return None (a byte-order
    mark is recorded and dropped: the rest is still read, for its other problems)."""
    name = path.relative_to(root).as_posix()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a pipe or a device would block or never end
            problems.append(f"{name}:0: file: is not a regular file")
            return None
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        problems.append(f"{name}:0: file: cannot be read ({error.strerror or error})")
        return None
    if len(raw) > MAX_FILE_BYTES:
        problems.append(f"{name}:0: file: larger than {MAX_FILE_BYTES:,} bytes; a question file is a few thousand")
        return None
    if raw.startswith(codecs.BOM_UTF8):
        problems.append(f"{name}:1: encoding: starts with a byte-order mark; save it as UTF-8 without one")
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(f"{name}:{line}: encoding: not valid UTF-8 (byte 0x{raw[error.start]:02x})")
        return None


def parse_toml(name: str, text: str, problems: list[str]) -> SourceFile | None:
    """A content file's text as data and the lines of its fields; a TOML problem is recorded (None)."""
    import tomllib  # (not when the content comes from tutor.exam.cache)

    try:
        data = tomllib.loads(text)
    except (RecursionError, MemoryError) as error:  # tomllib recurses once per level of nesting
        reason = "too deeply nested" if isinstance(error, RecursionError) else "too deeply nested or too large"
        problems.append(f"{name}:{deepest_line(text)}: toml: {reason}")
        return None
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column (\d+)\)$", str(error))
        line = int(found.group(1)) if found else max(text.count("\n"), 1)
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)$", "", str(error))
        where = f"column {found.group(2)}" if found else "at the end of the file"
        problems.append(f"{name}:{line}: toml: {message} ({where})")
        return None
    return SourceFile(name, data, FieldLines(text), problems)


def deepest_line(text: str) -> int:
    """The line where brackets and braces nest deepest (best effort: strings are not told apart)."""
    depth = deepest = 0
    line = where = 1
    for char in text:
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest, where = depth, line
        elif char in "]}":
            depth -= 1
        elif char == "\n":
            line += 1
    return where


def check_fields(at: Place, table: dict[str, Any], spec: Schema, kind: str = "") -> dict[str, Any]:
    """The fields of `table` that `spec` knows, with the right type; a problem for each of the rest."""
    good = {}
    for name, value in table.items():
        expected = spec.fields.get(name)
        if expected is None:
            elsewhere = kind and any(name in fields for fields in KIND_FIELDS.values())
            at.key(name).problem(f"not a field of a {kind} part" if elsewhere else
                                 "unknown field" + suggestion(name, spec.fields))
        elif not expected.test(value):
            at.key(name).problem(f"expected {expected.name}, got {toml_type(value)}")
        else:
            # A multi-line string drops its first newline but keeps its last: drop both edges.
            good[name] = value.strip("\n") if isinstance(value, str) else value
    for name in sorted(spec.required - table.keys()):
        at.key(name).problem("missing")
    return good


def check_kind(at: Place, kind: str, p: dict[str, Any], blanks: tuple, terms: tuple) -> None:
    """The rules of a kind of part that the types of its fields alone do not express.

    `p` holds the part's well-typed fields; `blanks` and `terms` the built Blank and TermGroup
    objects of tutor.exam, None where one was broken (already reported).
    """
    if kind == "choice" and "choices" in p:
        if len(p["choices"]) < 2:
            at.key("choices").problem("needs at least two options")
        if "answer" in p and not 0 <= p["answer"] < len(p["choices"]):
            at.key("answer").problem(f"{p['answer']} is not an option's index (0 to {len(p['choices']) - 1})")
        if "diagrams" in p and len(p["diagrams"]) != len(p["choices"]):
            at.key("diagrams").problem(f"{len(p['diagrams'])} diagrams for {len(p['choices'])} choices: one per choice")
    if kind == "values" and "blanks" in p and not blanks:
        at.key("blanks").problem("needs at least one blank")
    names = [b.name for b in blanks if b]
    if len(set(names)) < len(names):
        at.key("blanks").problem("two blanks have the same name")
    if kind == "text" and "terms" in p and None not in terms and "points" in p:
        total = sum(t.points for t in terms)
        if not terms:
            at.key("terms").problem("needs at least one group of key terms")
        elif not same(total, p["points"]):
            at.key("terms").problem(f"add up to {show(total)} points, not the part's {show(p['points'])}")
    if kind == "shape" and "answer" in p and not re.fullmatch(r"\w+×\w+", p["answer"]):
        at.key("answer").problem(f"'{p['answer']}' is not a shape such as 'd_h×d_x'")
    if kind == "shape" and "source" in p and "dims" not in p:
        at.key("dims").problem("missing: a shape proven from a source needs the sizes of its symbols")
    if kind == "shape" and "dims" in p and "answer" in p:
        unsized = [s for s in p["answer"].split("×") if not s.isdigit() and s not in p["dims"]]
        if unsized:
            at.key("dims").problem(f"no size for {', '.join(unsized)}")
    if "select" in p and "source" not in p:
        at.key("select").problem("has no source to select from")


def same(a: float, b: float) -> bool:
    """Points agree: equal up to float rounding (1.5 + 1.5 + 1 == 4)."""
    return abs(a - b) <= 1e-9


def show(value: Any) -> str:
    """A number as a reader writes it: 4 not 4.0; lists and tuples as [a, b]."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, tuple | list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return str(value)
