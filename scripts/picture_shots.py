"""How each picture is shown where it is mounted: the keys a student presses in the question screen.

Shared by scripts/screenshots.py (the README's picture screenshots) and
tests/test_pictures_mounted_snapshots.py (their snapshots, in colour and with NO_COLOR): each entry
of SHOTS is (question, an async function of a Textual Pilot that edits the live editor's numbers, or
reveals, and scrolls the picture to the top of the screen).
"""

from __future__ import annotations

from textual.widgets import Input


async def _type(pilot, id: str, text: str) -> None:
    field = pilot.app.screen.query_one(f"#{id}", Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)


async def _show(pilot, selector: str) -> None:
    await pilot.pause()
    pilot.app.screen.query_one(selector).scroll_visible(top=True, animate=False)
    await pilot.pause()


async def pooling(pilot) -> None:
    """8: x₁₁ = 9, the output cursor on row 2, column 2."""
    screen = pilot.app.screen
    screen.query_one("#pool-input").focus()
    await pilot.press("9", "enter")
    screen.query_one("#pool-output").focus()
    await pilot.press("down", "right")
    await _show(pilot, "#pool-picture")


async def activations(pilot) -> None:
    """5: i₁ = 3, then ctrl+t: the hidden layer is sigmoid."""
    pilot.app.screen.query_one("#fw-x").focus()
    await pilot.press("3", "enter", "ctrl+t")
    await _show(pilot, "#fw-picture-keys")


async def softmax(pilot) -> None:
    """4(c): o₁ = 4."""
    pilot.app.screen.query_one("#calc-o").focus()
    await pilot.press("4", "enter")
    await _show(pilot, "#calc-bars")


async def convolution(pilot) -> None:
    """7: k = 4, s = 2: 6 → 3, and the transposed 3 → 6."""
    await _type(pilot, "calc-kernel", "4")
    await _type(pilot, "calc-stride", "2")
    await _show(pilot, "#calc-convolution")


async def residual_choices(pilot) -> None:
    """10(a) revealed: the choices, the answer marked."""
    await pilot.press("r")
    await _show(pilot, "#diagrams-a")


async def residual_model(pilot) -> None:
    """10(a) revealed: the model answer drawn."""
    await pilot.press("r")
    await _show(pilot, "#model-diagram-a")


SHOTS = {
    "pooling": (8, pooling),
    "activations": (5, activations),
    "softmax": (4, softmax),
    "convolution": (7, convolution),
    "residual_choices": (10, residual_choices),
    "residual_model": (10, residual_model),
}
