"""Reading the content folder into an Exam: every field checked against the tables of
`tutor.content_schema`, every reference between fields resolved, and, with `prove`, every answer
proven by `tutor.exam.proof`. The format itself is docs/CONTENT.md.

Every problem in every file is collected and raised at once as one ContentError, a
`file:line: field: what is wrong` line each, never a traceback. No UI and no numerics: the judge
(to check the rubric patterns), tutor.editors (to check the editor declarations) and
tutor.symbolic's names are imported when they are needed, and what the proofs run (the solver, the
grader) only when proving. Content read from tutor.exam.cache (the same texts as a load that had
no problem, by the same code) skips the pattern and editor checks; every other check runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tutor import content_schema as schema
from tutor import formula_content
from tutor.content_schema import Place
from tutor.exam.computations import evaluate
from tutor.exam.model import KINDS, Blank, Computation, ContentError, Diagram, Exam, Mistake, Part, Question, TermGroup


def load_exam(content_dir: Path | None = None, *, prove: bool = True, cache: Path | None = None) -> Exam:
    """Read `exam.toml` and every other `*.toml` of `content_dir` (one question each) and check them.

    Every problem in every file is collected, then raised at once as a ContentError. With `prove`,
    each computation is run through tutor.solver and each numeric answer compared with its result.
    `cache`: a folder of the user's (the progress folder) where tutor.exam.cache keeps the files as
    parsed; when their texts are the same as last time, they are not parsed again and their rubric
    patterns, checked then, are not checked again (never when proving).
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
    paths = [root / "exam.toml", *sorted(p for p in root.glob("*.toml") if p.name != "exam.toml")]
    texts = [(path, schema.read_text(root, path, problems)) for path in paths]
    named = [(path.relative_to(root).as_posix(), text) for path, text in texts if text is not None]
    content_cache = None
    if cache is not None and not prove:  # (proving always parses and checks everything)
        from tutor.exam import cache as content_cache
    cached = content_cache.read(cache, named) if content_cache is not None and not problems else None

    def source(path: Path, text: str | None) -> schema.SourceFile | None:
        name = path.relative_to(root).as_posix()
        if cached is not None:
            data, lines = cached[name]
            return schema.SourceFile(name, data, schema.FieldLines.known(lines), problems)
        return schema.parse_toml(name, text, problems) if text is not None else None

    head = source(*texts[0])
    files = [head]  # each read as it is checked: problems come file by file, in order
    info = schema.check_fields(Place(head), head.data, schema.EXAM) if head else {}
    for name in ("total", "minutes"):
        if info.get(name, 1) <= 0:
            Place(head).key(name).problem("must be more than 0")
    if not 0 < info.get("weight", 1) <= 1:
        Place(head).key("weight").problem("must be a share of the course grade: more than 0, at most 1")
    questions, points, numbers = [], [], {}
    for path, text in texts[1:]:
        file = source(path, text)
        files.append(file)
        data = file.data if file else {}
        points.append(data["points"] if schema.NUMBER.test(data.get("points")) else None)
        number = data.get("number")
        if schema.INTEGER.test(number):
            if number in numbers:
                Place(file).key("number").problem(f"{number} is also the number of {numbers[number]}")
            numbers.setdefault(number, file.name)
        question = _question(file, path, prove, checked=cached is not None) if file else None
        questions += [question] if question else []
    if not points:
        problems.append(f"{root.name}:0: content: no question files (*.toml besides exam.toml)")
    elif "total" in info and None not in points and not schema.same(sum(points), info["total"]):
        Place(head).key("total").problem(
            f"{schema.show(info['total'])} but the questions add up to {schema.show(sum(points))}")
    if problems:
        raise ContentError(problems)
    if content_cache is not None and cached is None:
        content_cache.write(cache, [(f.name, text, f.data, f.lines.lines) for f, (_, text) in zip(files, texts)])
    questions.sort(key=lambda q: q.number)
    return Exam(info["title"], tuple(questions), info.get("minutes", 180), info.get("weight", 0.35),
                info.get("instructions", ""), root)


def _question(file: schema.SourceFile, path: Path, prove: bool, *, checked: bool = False) -> Question | None:
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
            computations[name] = Computation(name, c["call"], c["args"], kwargs, c.get("editor", ""),
                                              c.get("picture", ""))
    if not checked:  # (a cache hit: checked when these texts were read; the live editors are not for start-up)
        from tutor import editors

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
        placed.append((at, _part(at, table, computations, derivations, shared, checked=checked)))
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
        from tutor.exam.proof import prove_question  # (the solver's checks: not at start-up)

        prove_question(top, computations, [(at, part) for at, part in placed if part is not None])
    if len(file.problems) > before:
        return None
    return Question(q["number"], q["title"], q["points"], q["stem"], tuple(parts), computations,
                    q.get("reconstructed", False), path)


def _part(at: Place, table: dict[str, Any], computations: dict[str, Computation], derivations: Any,
          shared: tuple = ((), ()), *, checked: bool = False) -> Part | None:
    """Check one part's fields and build it; `derivations`: tutor.symbolic's names (None: unchecked);
    `shared`: the question's formula symbols and draws; `checked`: its rubric patterns were checked
    when these very texts were read before (tutor.exam.cache)."""
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
    if kind == "text" and not checked:
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
        formula = formula_content.build(at, p, *shared, computations.get(p.get("source", "")),
                                        read_examples=derivations is not None)  # (proving)
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
            try:  # each pattern built as compile_rubric builds it (its errors are parse_pattern's), without
                for source in getattr(group, kind):  # the rubric's typo index, which costs most of the time
                    parse_pattern(source, words, kind)
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
