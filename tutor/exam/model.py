"""The exam as data: questions, parts and their rubric data as frozen dataclasses, and the error
that lists every problem found in the content.

It exists so that everything that reads the exam (the grader, the screens, exam mode, practice)
depends on these plain types alone, not on how the content is read and proven
(`tutor.exam.loader`). The fields are those of the content files: see docs/CONTENT.md. No UI, no
numerics, no I/O; facts of the exam live in the TOML files, never here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    picture: str = ""  # the picture its editor shows, drawn from its result (tutor.editors.Picture)


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
