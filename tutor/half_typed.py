"""Whether a value being typed is on its way to a number: what lets the live editors recompute as
the student types (a number in force at once, a half-typed one waiting, anything else said).

Why it exists apart from tutor.parsing: the question is the live editors' (a grader reads finished
answers), and it is answered by asking parse_number itself, so the two never disagree. Standard
library and tutor.parsing only; no Textual.
"""

from __future__ import annotations

from tutor.parsing import ParseError, normalise, parse_number

_COMPLETIONS = ("1", "1)", "111", "1))")


def half_typed(text: str) -> bool:
    """True when `text` is not a number yet but is on its way to one, as it is while being typed:
    nothing, "-", "−", ".", "1e", "1e-", "2×", "(1 +". A live editor waits on such a value (no
    error, nothing recomputed) and says what is wrong with anything else. Whether a number is
    reached by typing on is asked of parse_number itself, so the two never disagree."""
    cleaned = normalise(text).strip() if isinstance(text, str) else None
    if cleaned is None:
        return False
    if not cleaned:
        return True
    try:
        parse_number(cleaned)
        return False  # a number already
    except ParseError:
        pass
    for ending in _COMPLETIONS:
        try:
            parse_number(cleaned + ending)
            return True
        except ParseError:
            continue
    return False
