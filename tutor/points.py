"""Points written the way the paper writes them: 4, 4.5, 0.25.

A module of its own so the first screen (the overview's scores) can show points without importing
the grading and its parsers. Standard library only.
"""

from __future__ import annotations

__all__ = ["format_points", "weighted_score"]


def format_points(x: float) -> str:
    """Points as written on the paper: 4.0 -> "4", 4.5 -> "4.5", 0.25 -> "0.25"."""
    text = f"{float(x):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def weighted_score(score: float, total: float, weight: float) -> float:
    """The score as course points: out of `total`, with the exam worth `weight` (0.35) of 100.

    80 of 100 on an exam worth 35 % is 28 course points. Rounded to 2 decimals, as shown.
    """
    return round(score / total * weight * 100, 2) if total else 0.0
