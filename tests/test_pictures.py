"""The pictures, each mounted alone at 80×24: their numbers are the solver's, they fit 80 columns, and
without colour their glyphs and their words say what the tints do.

Each test changes an input and reads the picture's text alternative, `describe()`, against the
solver's own result for the new input. Snapshots of every picture, in colour and with NO_COLOR, are
in test_pictures_snapshots.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tutor.exam import Diagram, load_exam
from tutor.solver import (
    activation_curves,
    conv_geometry,
    conv_output_size,
    conv_transpose_geometry,
    conv_transpose_output_size,
    cross_entropy,
    format_number,
    format_product,
    gradient_through_layers,
    pool2d,
    pool_windows,
    softmax,
    softmax_cross_entropy_grad,
)
from tutor.widgets.pictures.activations import ActivationsPicture
from tutor.widgets.pictures.base import WIDTH, Picture
from tutor.widgets.pictures.convolution import ConvolutionPicture
from tutor.widgets.pictures.pooling import PoolingPicture
from tutor.widgets.pictures.residual import BlockDiagram, ChoiceDiagrams
from tutor.widgets.pictures.softmax_bars import SoftmaxBars, SoftmaxReading

ROOT = Path(__file__).resolve().parents[1]
DRAWING = set("░□■▓×│┌┐└┘─▶◀→⊕‖█▏▎▍▌▋▊▉[")
SIZE = (80, 24)
POOL_X = [[1, 3, 2, 4], [5, 6, 7, 8], [9, 2, 1, 5], [4, 3, 6, 7]]
LOGITS, LABELS = [1.0, 2.0, 0.5], [0.0, 1.0, 0.0]
Q10A = load_exam(prove=False).question(10).parts[0]


class PictureApp(App):
    """One picture in a scrolling column, focused, animations off."""

    def __init__(self, make):
        super().__init__()
        self.make = make
        self.animation_level = "none"

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield self.make()

    def on_mount(self) -> None:
        self.query_one(Picture).focus()


def pooling(x=POOL_X, size=2, stride=None, padding=0, mode="max", step=0) -> PoolingPicture:
    result = pool2d(x, size, stride, padding, mode)
    return PoolingPicture(result, pool_windows(result, padding), step=step)


def convolution(n=6, k=3, s=1, p=1, transposed=(3, 4, 2, 1)) -> ConvolutionPicture:
    return ConvolutionPicture(conv_geometry(n, k, s, p), conv_transpose_geometry(*transposed) if transposed else None)


def reading(o=LOGITS, y=LABELS) -> SoftmaxReading:
    return SoftmaxReading(o, softmax(o), y, softmax_cross_entropy_grad(o, y), cross_entropy(y, o))


def activations(z=1.0, layers=10, current="relu") -> ActivationsPicture:
    return ActivationsPicture(activation_curves(), gradient_through_layers(z, layers), current=current)


MAKERS = {
    "pooling": pooling,
    "pooling_padded_avg": lambda: pooling(size=3, stride=2, padding=1, mode="avg"),
    "convolution": convolution,
    "convolution_strided": lambda: convolution(6, 4, 2, 1),
    "activations": activations,
    "softmax": lambda: SoftmaxBars(reading()),
    "residual_choices": lambda: ChoiceDiagrams(Q10A.diagrams, answer=Q10A.answer, revealed=True),
    "residual_answer": lambda: BlockDiagram(Q10A.diagrams[Q10A.answer], "The model answer"),
}


def drawn(picture: Picture) -> list[str]:
    """The plain lines the picture draws (every Static or Sheet of its drawing)."""
    lines = []
    for static in picture.query("Static, Sheet"):
        if not static.has_class("picture-text"):
            content = static.content
            lines += (content.plain if isinstance(content, Text) else str(content)).splitlines()
    return lines


# ------------------------------------------------------------------------- the numbers are the solver's


async def test_pooling_says_the_solvers_windows_and_follows_a_changed_input():
    app = PictureApp(lambda: pooling(step=1))
    async with app.run_test(size=SIZE) as pilot:
        picture = app.query_one(PoolingPicture)
        text = picture.describe()
        assert "output is 2×2" in text
        assert "rows 1–2, columns 3–4 hold 2, 4, 7, 8; the max is 8, at row 2, column 4" in text
        assert "Output: row 1: 6, 8; row 2: 9, 7." in text
        # a new input: the 8 becomes 0, so the window's max is the 7 beside it
        x = [row[:] for row in POOL_X]
        x[1][3] = 0
        result = pool2d(x)
        picture.update(result, pool_windows(result))
        await pilot.pause()
        text = picture.describe()
        assert result.output[0, 1] == 7
        assert "hold 2, 4, 7, 0; the max is 7, at row 2, column 3" in text
        assert f"row 1: {format_number(result.output[0, 0])}, 7;" in text
        assert "[ 7]" not in " ".join(drawn(picture)) and "▶7◀" in " ".join(drawn(picture))


async def test_the_pooling_step_moves_the_window_and_its_output_cell():
    app = PictureApp(pooling)
    async with app.run_test(size=SIZE) as pilot:
        picture = app.query_one(PoolingPicture)
        assert picture.step == 0 and "▶6◀" in "".join(drawn(picture))
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert picture.step == 2
        assert "Window 3 of 4, for output row 2, column 1: rows 3–4, columns 1–2 hold 9, 2, 4, 3" in picture.describe()
        assert "y₂₁: window (row 2, col 1) = max(9, 2, 4, 3) = 9" in drawn(picture)
        await pilot.press(*["right_square_bracket"] * 5)
        assert picture.step == 3  # the last window; no further
        await pilot.press(*["left_square_bracket"] * 9)
        assert picture.step == 0


async def test_pooling_with_padding_marks_the_ring_and_says_it():
    app = PictureApp(lambda: pooling(size=3, stride=2, padding=1, mode="avg"))
    async with app.run_test(size=SIZE):
        picture = app.query_one(PoolingPicture)
        result = pool2d(POOL_X, 3, 2, 1, "avg")
        text = picture.describe()
        assert "Average pooling of a 4×4 input with 3×3 windows and padding 1 of zeros" in text
        assert "rows outside 1–4 and columns outside 1–4 are padding" in text
        assert f"their average is {format_number(result.output[0, 0])}" in text
        assert "Some of its cells are padding." in text
        lines = drawn(picture)
        assert "░0░" in lines[2] and "▶" not in "".join(lines)  # the ring, and no winner in avg


async def test_convolution_says_the_solvers_sizes_and_positions():
    app = PictureApp(convolution)
    async with app.run_test(size=SIZE) as pilot:
        picture = app.query_one(ConvolutionPicture)
        text = picture.describe()
        assert f"The output is {conv_output_size(6, 3, 1, 1)}×6" in text
        assert "36 in all, their top-left corners at rows 0, 1, 2, 3, 4, 5" in text
        assert f"leaving {conv_transpose_output_size(3, 4, 2, 1)}×6" in text
        assert "up to 4 on one cell" in text
        # new n, k, s, p: the stride skips the last row and column
        picture.update(conv_geometry(7, 3, 3, 0), conv_transpose_geometry(2, 3, 3, 0, 1))
        await pilot.pause()
        text = picture.describe()
        assert f"has {conv_output_size(7, 3, 3, 0)} positions along each side, 4 in all" in text
        assert "rows 0, 3 and the same columns" in text
        assert "1 cells" not in text and f"{7 * 7 - 36} cells of the padded input are never read" in text
        assert f"leaving {conv_transpose_output_size(2, 3, 3, 0, 1)}×7" in text
        assert "×" in "".join(drawn(picture))  # the unread cells


async def test_the_kernel_and_the_transposed_input_cell_move_on_keys():
    app = PictureApp(lambda: convolution(6, 4, 2, 1))
    async with app.run_test(size=SIZE) as pilot:
        picture = app.query_one(ConvolutionPicture)
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        g = conv_geometry(6, 4, 2, 1)
        assert picture.position == 3 and g.positions[3].tolist() == [2, 0]
        assert "Position 4 of 9: the kernel's top-left at row 2, column 0, covering rows 2–5 and columns 0–3" \
            in picture.describe()
        await pilot.press("right_curly_bracket")
        assert "Input row 0, column 1 lands at rows 0–3, columns 2–5 of the grid." in picture.describe()
        assert any("[2]" in line for line in drawn(picture))


async def test_activations_say_the_solvers_curves_and_follow_z_and_the_activation():
    app = PictureApp(activations)
    async with app.run_test(size=SIZE) as pilot:
        picture = app.query_one(ActivationsPicture)
        text = picture.describe()
        assert "σ: from 0.0025 to 0.9975; its derivative σ′ is largest, 0.25, first at z = 0" in text
        assert "ReLU (in use)" in text
        assert "σ′(1) = 0.1966 per layer" in text and "10 layers 8.632×10⁻⁸" in text
        products = gradient_through_layers(2.0, 20)
        picture.update(products=products, current="sigmoid")
        await pilot.pause()
        text = picture.describe()
        factor = format_number(products.factors["sigmoid"])
        assert f"σ′(2) = {factor} per layer" in text and factor == "0.105"
        tiny = format_product(products.output["sigmoid"][-1])
        assert tiny == "2.65×10⁻²⁰" and f"20 layers {tiny}" in text  # not "0": the gradient is tiny, not gone
        assert "σ (in use)" in text and "ReLU (in use)" not in text
        assert any(line.startswith("▶ σ") for line in drawn(picture))


async def test_softmax_bars_follow_the_logits_and_repaint_only_the_rows_that_changed():
    app = PictureApp(lambda: SoftmaxBars(reading()))
    async with app.run_test(size=SIZE) as pilot:
        bars = app.query_one(SoftmaxBars)
        p = softmax(LOGITS)
        assert f"Class 2: o₂ = 2, ŷ₂ = {format_number(p[1])}, y₂ = 1, ŷ₂ − y₂ = {format_number(p[1] - 1)}." \
            in bars.describe()
        assert bars.repainted == (0, 1, 2)
        bars.update(reading())
        await pilot.pause()
        assert bars.repainted == ()  # the same numbers: nothing rewritten
        bars.update(reading(y=[0.0, 0.0, 1.0]))  # the label moves from class 2 to class 3
        await pilot.pause()
        assert bars.repainted == (1, 2)
        o = [3.0, -1.0, 0.5]
        bars.update(reading(o=o, y=[0.0, 0.0, 1.0]))
        await pilot.pause()
        assert bars.repainted == (0, 1, 2)
        grad = softmax_cross_entropy_grad(o, [0.0, 0.0, 1.0])
        assert f"ŷ₃ − y₃ = {format_number(grad[2])}." in bars.describe()
        assert f"Loss l = {format_number(cross_entropy([0.0, 0.0, 1.0], o))}." in bars.describe()


async def test_softmax_bars_take_another_number_of_classes():
    app = PictureApp(lambda: SoftmaxBars(reading()))
    async with app.run_test(size=SIZE) as pilot:
        bars = app.query_one(SoftmaxBars)
        o, y = [0.0, 1.0, 2.0, 3.0, 4.0], [0.2, 0.2, 0.2, 0.2, 0.2]
        bars.update(reading(o, y))
        await pilot.pause()
        await pilot.pause()
        rows = [line for line in drawn(bars) if line.startswith(" 5 ")]
        assert len(rows) == 1 and format_number(softmax(o)[4]) in rows[0]
        assert "Class 5" in bars.describe()


async def test_negative_gradients_are_drawn_left_of_the_axis():
    app = PictureApp(lambda: SoftmaxBars(reading()))
    async with app.run_test(size=SIZE):
        lines = drawn(app.query_one(SoftmaxBars))
        label_row = next(line for line in lines if line.startswith(" 2 "))
        other_row = next(line for line in lines if line.startswith(" 1 "))
        assert "█│ " in label_row  # ŷ₂ − 1 < 0: the bar ends at the axis from the left
        assert "│█" in other_row or "│▏" in other_row or "│▎" in other_row or "│▌" in other_row or "│▍" in other_row or \
            "│▊" in other_row or "│▋" in other_row or "│▉" in other_row


async def test_residual_diagrams_say_each_choice_and_the_answer_on_reveal():
    app = PictureApp(lambda: ChoiceDiagrams(Q10A.diagrams, answer=Q10A.answer))
    async with app.run_test(size=SIZE) as pilot:
        picture = app.query_one(ChoiceDiagrams)
        text = picture.describe()
        assert "Choice 1: x → weight layer → ReLU → weight layer → ReLU → output, with no shortcut from x." in text
        assert "Choice 2: x → weight layer → ReLU → weight layer → add x → ReLU → output; the shortcut carries x " \
            "around the first 3 layers and is added there." in text
        assert "concatenate with x" in text and "model answer" not in text
        assert "✓" not in "".join(drawn(picture))
        picture.reveal()
        await pilot.pause()
        assert "The model answer is choice 2." in picture.describe()
        assert any(line.startswith("✓ 2. x─┴─▶") for line in drawn(picture))


async def test_a_diagram_from_other_data_is_drawn_from_that_data():
    diagram = Diagram(("conv", "BN", "ReLU"), "add", 0)
    app = PictureApp(lambda: BlockDiagram(diagram, "made up"))
    async with app.run_test(size=SIZE):
        picture = app.query_one(BlockDiagram)
        assert picture.describe() == ("made up: x → add x → conv → BN → ReLU → output; the shortcut carries x "
                                      "before any layer and is added there.")
        lines = drawn(picture)
        assert "│ BN │" in lines[3] and "⊕" in lines[3]


# ------------------------------------------------------------------------- size, colour, words, keys


@pytest.mark.parametrize("name", list(MAKERS))
async def test_every_picture_fits_80_columns_and_a_24_row_screen(name):
    app = PictureApp(MAKERS[name])
    async with app.run_test(size=SIZE):
        picture = app.query_one(Picture)
        lines = drawn(picture)
        # a drawing never wraps; a sentence under it (a worked step) may, at its spaces
        drawings = [line for line in lines if any(c in DRAWING for c in line) or any("⠀" <= c <= "⣿" for c in line)]
        assert drawings and max(Text(line).cell_len for line in drawings) <= WIDTH, name
        assert picture.size.height <= 22, name  # the drawing's rows (its grids may sit side by side)
        assert picture.size.width <= 80 and picture.virtual_size.width <= 80


@pytest.mark.parametrize("name", list(MAKERS))
async def test_with_no_color_the_words_show_under_every_picture(name, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = PictureApp(MAKERS[name])
    async with app.run_test(size=SIZE):
        assert app.no_color
        picture = app.query_one(Picture)
        words = picture.query_one(".picture-text", Static)
        assert picture.described and words.display and words.region.height > 0
        assert str(words.content) == picture.describe()


async def test_the_d_key_shows_and_hides_the_words(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = PictureApp(pooling)
    async with app.run_test(size=SIZE) as pilot:
        picture = app.query_one(Picture)
        words = picture.query_one(".picture-text", Static)
        assert not picture.described and words.region.height == 0
        await pilot.press("d")
        assert picture.described and str(words.content) == picture.describe()
        await pilot.press("]")
        assert "Window 2 of 4" in str(words.content)  # the words follow the step
        await pilot.press("d")
        assert not picture.described


TINT_GLYPHS = {"window": "[{▶■▓", "winner": "▶◀⊕‖─┴┌┐│▼ x", "padding": "░{▓"}


def tinted(text: Text, style) -> list[str]:
    """The pieces of `text` drawn in exactly `style`."""
    return [text.plain[span.start : span.end] for span in text.spans if span.style == style]


@pytest.mark.parametrize("name", ["pooling", "pooling_padded_avg", "convolution", "residual_choices"])
async def test_every_tint_has_a_glyph(name):
    """What a tint marks, a glyph marks too: the plain text (all NO_COLOR shows) says it."""
    app = PictureApp(MAKERS[name])
    async with app.run_test(size=SIZE):
        picture = app.query_one(Picture)
        drawing = picture.draw()
        seen = 0
        for tint, glyphs in TINT_GLYPHS.items():
            styles = {span.style for span in drawing.spans if tint in _names(picture, span.style)}
            for style in styles:
                for piece in tinted(drawing, style):
                    seen += 1
                    assert any(g in piece for g in glyphs), (name, tint, piece)
        assert seen


def _names(picture: Picture, style) -> set[str]:
    """Which of the picture's tints `style` carries: the window's background, the others' colour."""
    window, winner, padding = (picture.tint(name) for name in ("window", "winner", "padding"))
    return {
        name for name, present in (
            ("window", style.bgcolor is not None and style.bgcolor == window.bgcolor),
            ("winner", style.color is not None and style.color == winner.color),
            ("padding", style.color is not None and style.color == padding.color),
        ) if present
    }


def test_importing_one_picture_loads_no_other_and_the_first_screen_none():
    code = (
        "import sys, tutor.widgets.pictures.pooling\n"
        "others = [m for m in ('activations', 'convolution', 'residual', 'softmax_bars')\n"
        "          if 'tutor.widgets.pictures.' + m in sys.modules]\n"
        "print(','.join(others))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_the_first_screen_and_a_question_import_no_picture():
    """Pictures cost nothing at start-up: they load only when a question that shows one opens."""
    code = (
        "import asyncio, sys\n"
        "from tutor.app import make_app\n"
        "async def main():\n"
        "    app = make_app(animations=False)\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.pause()\n"
        "        assert type(app.screen).__name__ == 'OverviewScreen'\n"
        "        first = [m for m in sys.modules if m.startswith('tutor.widgets.pictures')]\n"
        "        await pilot.press('enter')\n"
        "        await pilot.pause()\n"
        "        assert type(app.screen).__name__ == 'QuestionScreen', type(app.screen).__name__\n"
        "        print(','.join(first))\n"
        "asyncio.run(main())"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
