"""Points written the way the paper writes them: 4, 4.5, 0.25.

A module of its own so the first screen (the overview's scores) can show points without importing
the grading and its parsers. Standard library only.
"""

from __future__ import annotations

__all__ = ["format_points"]


def format_points(x: float) -> str:
    """Points as written on the paper: 4.0 -> "4", 4.5 -> "4.5", 0.25 -> "0.25"."""
    text = f"{float(x):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
