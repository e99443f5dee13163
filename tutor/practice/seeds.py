"""The seeds of practice problems: drawn fresh, or typed back by the student.

Why it exists: a seed names a practice problem (the same seed always gives the same numbers), so a
student can come back to one; it is stored with each practice result. What it must not depend on:
numpy and the rest of the engine (the seed dialog and the command line read seeds cheaply).
"""

from __future__ import annotations

import os

SEED_LIMIT = 2**32  # new_seed() draws below this; make_variant takes any int from 0 to SEED_MAX
SEED_MAX = 2**63 - 1  # a seed is stored with its practice result: SQLite's integers are 64-bit signed


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
