"""One practice problem: a question of the exam with fresh numbers, drawn from a seed.

Why it exists: `make_variant(number, seed)` is the engine's front door. It reads the question's
template (`tutor.practice.templates`), draws its numbers with the draw the template names
(`tutor.practice.draws`, from `numpy.random.default_rng(seed)`: the same seed always gives the same
problem) and fills the template (`tutor.practice.filling`), so the variant is a full
`tutor.exam.Question` whose every answer is a solver result. What it must not depend on: the UI,
sympy, and any question number (which questions have practice is the templates' presence,
`tutor.practice.catalog`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tutor.exam import Question

from . import draws
from .catalog import practice_questions
from .filling import build
from .seeds import SEED_MAX, new_seed
from .templates import read_template


@dataclass(frozen=True)
class Variant:
    """One practice problem: question `number` drawn from `seed`, as a full Question."""

    number: int
    seed: int
    question: Question


def make_variant(number: int, seed: int | None = None, *, content_dir: Path | str | None = None) -> Variant:
    """Question `number` with new numbers drawn from `seed` (a fresh one if None).

    Raises ValueError for a question without practice (no template) or a bad seed, ContentError
    (one line per problem) for a malformed template.
    """
    available = practice_questions(content_dir)
    if number not in available:
        raise ValueError(f"question {number} has no practice (practice: {', '.join(map(str, available))})")
    if seed is None:
        seed = new_seed()
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not 0 <= seed <= SEED_MAX:
        raise ValueError(f"a seed is a whole number from 0 to {SEED_MAX:,}, got {seed!r}")
    seed = int(seed)
    template = read_template(number, content_dir)
    draw = draws.Draw(template.data["draw"], template.data.get("choices", {}), template.at)
    values = draws.DRAWS[template.draw](np.random.default_rng(seed), draw)
    values.update(draw.chosen)
    return Variant(number, seed, build(template, values, seed))


def practice_parts(content_dir: Path | str | None = None) -> tuple[tuple[int, str], ...]:
    """Every (question, part label) that has practice, in exam order (reads the templates)."""
    return tuple((n, str(p["label"])) for n in practice_questions(content_dir)
                 for p in read_template(n, content_dir).data["parts"])
