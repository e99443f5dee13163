"""The exam model: questions and parts as frozen dataclasses, loaded and validated from content/*.toml.

No UI here (no Textual, no rich) and no numerics of its own: the loader asks `tutor.solver` to prove
every numeric answer. Facts of the exam live in the TOML files, never in this module.

Content format (one file per question, `q01.toml` ... ):

    number = 5
    title = "A small network by hand"
    points = 10
    stem = '''...'''                  # Unicode math, never raw LaTeX
    reconstructed = false             # optional: the stem is ours where the key is silent

    [computations.forward]            # optional: named solver calls, with the exam's inputs
    call = "mlp_forward"              # a public function of tutor.solver
    args = { x = [2.0, -1.0], layers = [[[[1.0, -0.5], [0.5, -1.0]], [0.5, -0.5], "relu"], ...] }
    names = { ... }                   # optional keyword passed through (display names)
    kwargs = { ... }                  # optional: other fixed keywords (`args` are what editors change)
    editor = "forward"                # optional: the live editor this computation feeds (one per
                                      #   question; tutor.editors.KINDS says which calls each takes)

    [[parts]]
    label = "b"
    points = 5
    kind = "values"                   # see KINDS
    prompt = "..."
    rubric = "..."                    # the key's rule: partial credit, "no score if ..."
    explanation = "..."
    reconstructed = false             # optional
    steps = "forward"                 # optional: a computation (or "symbolic:NAME") to step through
    answer_text = "..."               # optional: the model answer shown on reveal
    # kind-specific fields: see Part and tutor.content_schema.KIND_FIELDS
    source = "forward"                # values: the computation of blanks that name none
    blanks = [
      { name = "h₁", answer = 2.0, select = "pre.0.0" },   # select: a path into the result
    ]
    decimals = 2                      # optional (number, values, matrix): asked "to 2 decimals":
                                      #   any value that rounds to the answer's rounding is right,
                                      #   one unit off in the last place is a rounding slip
    mistakes = [                      # optional (number, values, matrix, choice, shape): common
      { answer = "h₂ = 0.5", feedback = "a sign slip: ..." },  # wrong answers, written as a student
    ]                                 #   types them and read by the part's own parser; the
                                      #   feedback is shown when a check matches one (a values
                                      #   mistake names only the blanks it is about)

A formula part (question 6) is graded by evaluating what the student types (tutor.formula_grading):

    symbols = [ { name = "δ₁", shape = "1×n_c", select = "delta1" }, ... ]   # the question's: see
    draws = [ { d_x = 3, d_h = 4, n_c = 2, seed = 1 }, ... ]                  # tutor.formula_content
    [[parts]]
    kind = "formula"
    answer = "δ₁ᵀh₁ᵀ"                 # the key's formula, shown on reveal; proven like the examples
    target = "∂J/∂W₂"                 # the name of what it equals, as the feedback says it
    shape = "n_c×d_h"                 # its shape in the symbols' dimension names
    source = "grads"                  # the computation whose result holds it ...
    select = "W2"                     # ... and where: the formula must equal this on every draw
    accept_transpose = true           # an answer equal to its transpose counts (question 6's key)
    partial_points = 1                # what the right shape alone earns (ours, said so in the rubric)
    accept = ["delta1^T h1^T", ...]   # examples that must get full marks ...
    reject = ["h1 delta1^T", ...]     # ... and examples that must not: `check` proves both

A text part is judged by meaning (tutor.judge, which documents the pattern syntax and how each
list counts); its rubric data lives here, never in Python:

    kind = "text"
    explain = true                    # optional: it asks why or how; a bare list of terms earns nothing
    restates = ["larger stride"]      # optional: the question's subject in other words (never counts)
    answer = "..."                    # the model answer (it must score full marks)
    [parts.words]                     # classes the patterns name as <name>
    smaller = ["smaller", "reduce", "reduces", "shrink", "<other class>"]
    [[parts.terms]]                   # one point of the rubric; the groups' points add up to the part's
    name = "smaller output"
    points = 1
    any = ["<output> + <smaller>", "downsample"]   # statements that earn it
    opposite = ["<output> + <larger>"]             # its wrong direction: nothing (mixed: unsure)
    vague = ["<smaller>"]                          # too little to decide: unsure
    no_credit = ["regularization"]                 # the key's "no score if ..."
    note = "..."                      # said when an opposite is found; no_credit_note: for no_credit

`exam.toml` beside them holds title, total (the questions' points must add up to it), and optionally
minutes, weight and instructions. The fields each kind of part takes, and their types, are the
tables of `tutor.content_schema`. `load_exam` reads and checks it all and, with `prove`, calls the
solver for every computation and compares every numeric answer with the result, and grades every
named mistake to prove it readable and wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor import content_schema as schema
from tutor import editors, formula_content
from tutor.content_schema import Place
from tutor.formula_content import Formula

KINDS = ("true_false", "number", "values", "matrix", "choice", "shape", "text", "derivation", "formula")


@dataclass(frozen=True)
class Computation:
    """A named call into tutor.solver with the exam's inputs."""

    name: str
    call: str
    args: dict[str, Any]
    kwargs: dict[str, Any] = field(default_factory=dict)
    editor: str = ""  # the live editor it feeds (a kind of tutor.editors), "" for none


@dataclass(frozen=True)
class Blank:
    """One named number of a `values` part, e.g. h₁ = 2.0, proven by `source`/`select`."""

    name: str
    answer: float
    source: str = ""  # a computation name
    select: str = ""  # a path into its result: "pre.0.1", "output.0", "output.W2"


@dataclass(frozen=True)
class Mistake:
    """A common wrong answer of a part, as a student types it, and what to tell them about it."""

    answer: str
    feedback: str


@dataclass(frozen=True)
class TermGroup:
    """One point of a `text` part's rubric, judged by tutor.judge (the pattern syntax is there).

    any: statements that earn `points`; opposite: statements of the wrong direction (nothing, and
    with a right one the judgement is unsure); vague: mentions too weak to decide (unsure);
    no_credit: words the key gives no score for. note: said when an opposite is found;
    no_credit_note: said when only a no_credit word is.
    """

    any: tuple[str, ...]
    points: float
    name: str = ""
    opposite: tuple[str, ...] = ()
    vague: tuple[str, ...] = ()
    no_credit: tuple[str, ...] = ()
    note: str = ""
    no_credit_note: str = ""


@dataclass(frozen=True)
class Diagram:
    """A choice drawn as a block diagram: layers from input to output; a shortcut from the input
    joins after `after` layers by `join` ("add" or "concatenate"; "" for no shortcut)."""

    layers: tuple[str, ...]
    join: str = ""
    after: int = 0


@dataclass(frozen=True)
class Part:
    label: str
    points: float
    kind: str
    prompt: str
    rubric: str
    explanation: str
    answer: Any  # bool | float | tuple[tuple[float, ...], ...] | str, by kind
    answer_text: str = ""  # the model answer as shown on reveal (the key's words where it has them)
    reconstructed: bool = False
    steps: str = ""  # a computation name, or "symbolic:NAME" for a tutor.symbolic derivation
    tolerance: float = 1e-6  # number, values, matrix: absolute tolerance
    source: str = ""  # number/matrix: the computation that proves the answer
    select: str = ""  # number/matrix: path into that computation's result
    blanks: tuple[Blank, ...] = ()  # values
    choices: tuple[str, ...] = ()  # choice: the options; answer is the 0-based index
    diagrams: tuple[Diagram, ...] = ()  # choice, optional: a block diagram per option, in their order
    terms: tuple[TermGroup, ...] = ()  # text
    words: tuple[tuple[str, tuple[str, ...]], ...] = ()  # text: the classes its patterns name, <name>
    explain: bool = False  # text: it asks why or how, so a bare list of key words earns nothing
    restates: tuple[str, ...] = ()  # text: phrases that say the question's subject in other words
    accept_transpose: bool = False  # shape
    partial_points: float = 0.0  # derivation: what "partial" earns; matrix: what remains without work;
    #                              number, values: what the working earns when the result is wrong
    work_required: str = ""  # matrix: what must be shown (question 8: the windows)
    example: str = ""  # derivation: a computation that works the result out with numbers
    dims: dict[str, int] = field(default_factory=dict, hash=False)  # shape: sizes of `source`'s symbols;
    #                                                                 formula: sizes a typed shape may use
    decimals: int | None = None  # number, values, matrix: asked to this many decimals (rounding rule)
    mistakes: tuple[Mistake, ...] = ()  # common wrong answers with their feedback
    formula: Formula | None = None  # formula: the symbols, draws, shape and examples it is graded with
    line: int = 0  # where the part starts in its file, for messages


@dataclass(frozen=True)
class Question:
    number: int
    title: str
    points: float
    stem: str
    parts: tuple[Part, ...]
    computations: dict[str, Computation] = field(default_factory=dict)
    reconstructed: bool = False
    path: Path | None = None


@dataclass(frozen=True)
class Exam:
    title: str
    questions: tuple[Question, ...]
    minutes: int = 180
    weight: float = 0.35  # the exam's share of the course grade
    instructions: str = ""
    content_dir: Path | None = None

    @property
    def total(self) -> float:
        return sum(q.points for q in self.questions)

    def question(self, number: int) -> Question:
        for q in self.questions:
            if q.number == number:
                return q
        raise KeyError(number)


class ContentError(Exception):
    """Every problem found in the content, one `file:line: field: what is wrong` line each."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# ----------------------------------------------------------------------------- loading and proving


def load_exam(content_dir: Path | None = None, *, prove: bool = True) -> Exam:
    """Read `exam.toml` and every other `*.toml` of `content_dir` (one question each) and check them.

    Every problem in every file is collected, then raised at once as a ContentError. With `prove`,
    each computation is run through tutor.solver and each numeric answer compared with its result.
    """
    from tutor.paths import default_content_dir

    root = Path(content_dir) if content_dir is not None else default_content_dir()
    try:
        problem = None if root.is_dir() else "is a file, not a folder" if root.exists() else "no such folder"
    except OSError as error:  # a name too long, a loop of links
        problem = f"cannot be read ({error.strerror or error})"
    if problem:
        raise ContentError([f"{root}:0: content: {problem}"])
    problems: list[str] = []
    head = schema.read_toml(root, root / "exam.toml", problems)
    info = schema.check_fields(Place(head), head.data, schema.EXAM) if head else {}
    for name in ("total", "minutes"):
        if info.get(name, 1) <= 0:
            Place(head).key(name).problem("must be more than 0")
    if not 0 < info.get("weight", 1) <= 1:
        Place(head).key("weight").problem("must be a share of the course grade: more than 0, at most 1")
    questions, points, numbers = [], [], {}
    for path in sorted(p for p in root.glob("*.toml") if p.name != "exam.toml"):
        file = schema.read_toml(root, path, problems)
        data = file.data if file else {}
        points.append(data["points"] if schema.NUMBER.test(data.get("points")) else None)
        number = data.get("number")
        if schema.INTEGER.test(number):
            if number in numbers:
                Place(file).key("number").problem(f"{number} is also the number of {numbers[number]}")
            numbers.setdefault(number, file.name)
        question = _question(file, path, prove) if file else None
        questions += [question] if question else []
    if not points:
        problems.append(f"{root.name}:0: content: no question files (*.toml besides exam.toml)")
    elif "total" in info and None not in points and not schema.same(sum(points), info["total"]):
        Place(head).key("total").problem(
            f"{schema.show(info['total'])} but the questions add up to {schema.show(sum(points))}")
    if problems:
        raise ContentError(problems)
    questions.sort(key=lambda q: q.number)
    return Exam(info["title"], tuple(questions), info.get("minutes", 180), info.get("weight", 0.35),
                info.get("instructions", ""), root)


def evaluate(computation: Computation, **overrides: Any) -> Any:
    """Call the computation's solver function with its args, `overrides` replacing any of them."""
    function = _solver_function(computation.call)
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


def _solver_function(name: str) -> Any:
    import tutor.solver as solver

    public = getattr(solver, "__all__", [n for n in dir(solver) if not n.startswith("_")])
    function = getattr(solver, name, None) if name in public else None
    return function if callable(function) and not isinstance(function, type) else None


def _question(file: schema.SourceFile, path: Path, prove: bool) -> Question | None:
    before, top = len(file.problems), Place(file)
    q = schema.check_fields(top, file.data, schema.QUESTION)  # the number's range is its type's
    computations = {}
    for name, table in q.get("computations", {}).items():
        at = top.key("computations").key(name)
        if not isinstance(table, dict):
            at.problem(f"expected a table, got {schema.toml_type(table)}")
            continue
        c = schema.check_fields(at, table, schema.COMPUTATION)
        kwargs = {**c.get("kwargs", {}), **({"names": c["names"]} if "names" in c else {})}
        if {"call", "args"} <= c.keys():
            computations[name] = Computation(name, c["call"], c["args"], kwargs, c.get("editor", ""))
    editors.check(top.key("computations"), computations, evaluate if prove else None)
    derivations = None
    if prove:
        from tutor.symbolic import NAMES as derivations
    known = formula_content.symbols(top.key("symbols"), q.get("symbols", []))
    shared = (known, formula_content.draws(top.key("draws"), q["draws"], known) if known and "draws" in q else ())
    if any(isinstance(t, dict) and t.get("kind") == "formula" for t in q.get("parts", [])):
        for name in ("symbols", "draws"):
            if name not in q:
                top.key(name).problem("missing: formula parts are evaluated on the question's symbols and draws")
    placed, labels = [], {}
    for index, table in enumerate(q.get("parts", [])):
        label = table["label"] if isinstance(table.get("label"), str) else str(index + 1)
        at = top.key("parts").item(index, label)
        placed.append((at, _part(at, table, computations, derivations, shared)))
        if label in labels:
            at.key("label").problem(f"'{label}' is also the label of part {labels[label] + 1}")
        labels.setdefault(label, index)
    parts = [part for _, part in placed]
    if "points" in q and parts and None not in parts:
        total = sum(p.points for p in parts)
        if not schema.same(total, q["points"]):
            top.key("points").problem(
                f"{schema.show(q['points'])} but the parts add up to {schema.show(total)}")
    if prove:
        _prove(top, computations, [(at, part) for at, part in placed if part is not None])
    if len(file.problems) > before:
        return None
    return Question(q["number"], q["title"], q["points"], q["stem"], tuple(parts), computations,
                    q.get("reconstructed", False), path)


def _part(at: Place, table: dict[str, Any], computations: dict[str, Computation], derivations: Any,
          shared: tuple = ((), ())) -> Part | None:
    """Check one part's fields and build it; `derivations`: tutor.symbolic's names (None: unchecked);
    `shared`: the question's formula symbols and draws."""
    before, kind = len(at.file.problems), table.get("kind")
    if not isinstance(kind, str) or kind not in schema.KIND_FIELDS:
        if isinstance(kind, str):
            at.key("kind").problem(f"unknown kind '{kind}' (one of {', '.join(KINDS)})")
        schema.check_fields(at, {k: v for k, v in table.items() if k in schema.PART.fields}, schema.PART)
        return None
    p = schema.check_fields(at, table, schema.part_schema(kind), kind)
    for name in ("points", "tolerance"):
        if p.get(name, 0) < 0:
            at.key(name).problem("must be 0 or more")
    if not 0 <= p.get("partial_points", 0) <= p.get("points", float("inf")):
        at.key("partial_points").problem("must be between 0 and the part's points")
    blanks = tuple(_blank(at.key("blanks").item(i, str(t.get("name", i + 1))), t, p.get("source", ""))
                   for i, t in enumerate(p.get("blanks", ())))
    terms = tuple(_term(at.key("terms").item(i, str(i + 1)), t) for i, t in enumerate(p.get("terms", ())))
    mistakes = tuple(_mistake(at.key("mistakes").item(i, str(i + 1)), t) for i, t in enumerate(p.get("mistakes", ())))
    diagrams = tuple(_diagram(at.key("diagrams").item(i, str(i + 1)), t) for i, t in enumerate(p.get("diagrams", ())))
    if not 0 <= p.get("decimals", 0) <= 10:
        at.key("decimals").problem("must be between 0 and 10")
    schema.check_kind(at, kind, p, blanks, terms)
    if kind == "text":
        _check_patterns(at, p.get("words", {}), terms, p.get("restates", ()), build=derivations is not None)
    for name in ("source", "steps", "example"):
        ref = p.get(name, "")
        derivation = ref[len("symbolic:"):] if name == "steps" and ref.startswith("symbolic:") else None
        if derivation is not None and derivations is not None and derivation not in derivations:
            at.key(name).problem(
                f"'{ref}' is not a derivation of tutor.symbolic (one of {', '.join(derivations)})")
        elif derivation is None and ref and ref not in computations:
            at.key(name).problem(f"no computation named '{ref}'" + schema.suggestion(ref, computations))
    for i, blank in enumerate(blanks):
        if blank and blank.source and blank.source not in computations:
            place = at.key("blanks").item(i, blank.name).key("source")
            place.problem(f"no computation named '{blank.source}'")
    formula = None
    if kind == "formula":
        formula = formula_content.build(at, p, *shared, computations.get(p.get("source", "")))
    if len(at.file.problems) > before:
        return None
    answer = p.get("answer")
    if kind == "number":
        answer = float(answer)
    elif kind == "matrix":
        answer = tuple(tuple(float(v) for v in row) for row in answer)
    elif kind == "values":
        answer = tuple(b.answer for b in blanks)
    words = tuple((name, tuple(entries)) for name, entries in p.get("words", {}).items())
    skip = {"answer", "blanks", "terms", "choices", "mistakes", "diagrams", "words", "restates",
            *formula_content.FORMULA_FIELDS}
    rest = {k: v for k, v in p.items() if k not in skip}
    return Part(answer=answer, blanks=blanks, terms=terms, choices=tuple(p.get("choices", ())),
                mistakes=mistakes, diagrams=diagrams, words=words, restates=tuple(p.get("restates", ())),
                line=at.file.lines.line(at.path), formula=formula, **rest)


def _blank(at: Place, table: dict[str, Any], part_source: str) -> Blank | None:
    b = schema.check_fields(at, table, schema.BLANK)
    if "select" in b and not (b.get("source") or part_source):
        at.key("select").problem("has no source to select from (on the blank or on its part)")
    if not schema.BLANK.required <= b.keys():
        return None
    return Blank(b["name"], float(b["answer"]), b.get("source", ""), b.get("select", ""))


def _term(at: Place, table: dict[str, Any]) -> TermGroup | None:
    t = schema.check_fields(at, table, schema.TERM)
    if "any" in t and (not t["any"] or not all(term.strip() for term in t["any"])):
        at.key("any").problem("needs at least one term, none of them empty")
    if not schema.TERM.required <= t.keys():
        return None
    return TermGroup(tuple(t["any"]), t["points"], t.get("name", ""), tuple(t.get("opposite", ())),
                     tuple(t.get("vague", ())), tuple(t.get("no_credit", ())), t.get("note", ""),
                     t.get("no_credit_note", ""))


def _check_patterns(at: Place, words: dict[str, list[str]], terms: tuple[TermGroup | None, ...],
                    restates: list[str], *, build: bool) -> None:
    """Every pattern of a text part reads, and names only classes of its `words`. With `build`
    (proving: `check` and the tests) every rubric is compiled too, which takes most of a second:
    not at start-up, where the syntax and the classes are checked."""
    from tutor.judge import PatternError, compile_rubric, parse_pattern

    if not build:
        for i, group in enumerate(terms):
            for kind in ("any", "opposite", "vague", "no_credit"):
                for source in getattr(group, kind, ()) if group is not None else ():
                    try:
                        parse_pattern(source, words, build=False)
                    except PatternError as error:
                        at.key("terms").item(i, group.name or str(i + 1)).key(kind).problem(str(error))
                        break
        return
    try:
        compile_rubric([], words, restates=restates)
    except PatternError as error:
        at.key("restates").problem(str(error))
    for i, group in enumerate(terms):
        if group is None:
            continue
        for kind in ("any", "opposite", "vague", "no_credit"):
            one = TermGroup(getattr(group, kind), 1) if kind == "any" else TermGroup((), 1, **{kind: getattr(group, kind)})
            try:
                compile_rubric([one], words)
            except PatternError as error:
                at.key("terms").item(i, group.name or str(i + 1)).key(kind).problem(str(error))


def _diagram(at: Place, table: dict[str, Any]) -> Diagram | None:
    before = len(at.file.problems)
    d = schema.check_fields(at, table, schema.DIAGRAM)
    layers = d.get("layers")
    if layers is not None and (not layers or not all(name.strip() for name in layers)):
        at.key("layers").problem("needs at least one layer, none of them empty")
    if "join" in d and d["join"] not in schema.JOINS:
        at.key("join").problem(f"'{d['join']}' is not a way to join (one of {', '.join(schema.JOINS)})")
    if ("join" in d) != ("after" in d):
        at.key("after" if "join" in d else "join").problem("missing: a shortcut needs both join and after")
    if "after" in d and layers and not 0 <= d["after"] <= len(layers):
        at.key("after").problem(f"{d['after']} is not a place between the layers (0 to {len(layers)})")
    if len(at.file.problems) > before:
        return None
    return Diagram(tuple(layers), d.get("join", ""), d.get("after", 0))


def _mistake(at: Place, table: dict[str, Any]) -> Mistake | None:
    m = schema.check_fields(at, table, schema.MISTAKE)
    for name in ("answer", "feedback"):
        if name in m and not m[name].strip():
            at.key(name).problem("must not be empty")
    if not schema.MISTAKE.required <= m.keys():
        return None
    return Mistake(m["answer"], m["feedback"])


def prove_mistakes(at: Place | None, part: Part) -> list[str]:
    """Why any named mistake of `part` is not one: it cannot be read, or it grades as right.

    A values mistake is graded as the right values with its own put in their place, and must lose
    the points of every blank it names. `at`, when given, records each problem at the mistake.
    """
    from tutor.grading import grade, mistake_values  # the grader reads typed text; it imports this module

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


def _prove(top: Place, computations: dict[str, Computation], parts: list[tuple[Place, Part]]) -> None:
    """Run every computation through the solver and compare each numeric answer with its result."""
    results = {}
    for name, computation in computations.items():
        at = top.key("computations").key(name)
        if _solver_function(computation.call) is None:
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
