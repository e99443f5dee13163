"""Practice mode: the exam's computational questions again, with fresh random numbers.

Why it exists: a student who has solved the paper's numbers once needs new ones to practise on.
`make_variant(number, seed)` fills the question's template (`content/practice/qNN.toml`) with
numbers drawn from the seed and computes every answer with `tutor.solver`, so the variant is a full
`tutor.exam.Question`: `tutor.grading.grade` grades it and the step-through shows it like the
exam's. The package, by job:

- `catalog`: which questions have practice (the template files present), without numpy;
- `templates`: the template format, read and checked; `draws`: the random numbers, one draw per
  name the template gives (`[draw] kind = "pooling"`); `filling`: a template and its numbers into
  a Question; `variants`: `make_variant`, the front door;
- `seeds`: new seeds and seeds typed back; `ranking`: what to practise next, from progress records.

What it must not depend on: the UI (no Textual, no rich) and sympy. No prose here (stems, prompts
and rubrics are the templates') and no answers (every one is a solver result). The names below are
imported when first used, so that importing `tutor.practice.catalog` (the first screen does) loads
no numpy.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "PRACTICE_QUESTIONS", "SEED_LIMIT", "SEED_MAX", "Variant", "make_variant", "new_seed", "parse_seed",
    "practice_parts", "practice_questions", "weakest_parts", "wrong_parts",
]

_HOME = {
    "SEED_LIMIT": "seeds", "SEED_MAX": "seeds", "new_seed": "seeds", "parse_seed": "seeds",
    "Variant": "variants", "make_variant": "variants", "practice_parts": "variants",
    "practice_questions": "catalog", "weakest_parts": "ranking", "wrong_parts": "ranking",
}


def __getattr__(name: str) -> Any:
    if name == "PRACTICE_QUESTIONS":  # the shipped exam's (another content folder: practice_questions(dir))
        return import_module(".catalog", __name__).practice_questions()
    if name in _HOME:
        return getattr(import_module(f".{_HOME[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
