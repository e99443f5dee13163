"""Prose: text from the content files, reflowed to the terminal's width and never read as markup.

The content is hard-wrapped near 100 columns; a paragraph's lines are joined so the terminal wraps
them at its own width, while indented lines (formulas, matrices) keep their layout. Square brackets
in the text ([[1, 3], ...]) are shown as typed, never parsed as Rich markup.
"""

from __future__ import annotations

from textual.widgets import Static


def reflow(text: str) -> str:
    """Join the lines of each paragraph; keep blank lines and indented lines as they are."""
    out: list[str] = []
    joining = False
    for line in text.strip("\n").rstrip().splitlines():
        if not line.strip():
            out.append("")
            joining = False
        elif line[0].isspace() or line.lstrip().startswith(("-", "•", "*", "|")) or not joining:
            out.append(line.rstrip())
            joining = not line[0].isspace()
        else:
            out[-1] += " " + line.strip()
    return "\n".join(out)


class Prose(Static):
    """A Static of reflowed content text, markup off."""

    DEFAULT_CSS = "Prose { height: auto; }"

    def __init__(self, text: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(reflow(text), markup=False, id=id, classes=classes)
