"""Snapshots of every picture at 80×24, mounted alone, in colour and with NO_COLOR.

With NO_COLOR Textual draws in monochrome and the picture shows its words under the drawing; the
SVG keeps the colours (Textual's export applies no filter), so what the NO_COLOR snapshots add is
the words and the glyphs, which is all a monochrome screen has. Update only after looking at the
report: `pytest tests/test_pictures_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import pytest
from test_pictures import MAKERS, SIZE, PictureApp

SHOWN = ["pooling", "pooling_padded_avg", "convolution", "activations", "softmax", "residual_choices",
         "residual_answer"]


@pytest.mark.parametrize("name", SHOWN)
def test_picture_in_colour(snap_compare, monkeypatch, name):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert snap_compare(PictureApp(MAKERS[name]), terminal_size=SIZE)


@pytest.mark.parametrize("name", SHOWN)
def test_picture_without_colour(snap_compare, monkeypatch, name):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(PictureApp(MAKERS[name]), terminal_size=SIZE)


def test_pooling_after_two_steps(snap_compare, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert snap_compare(PictureApp(MAKERS["pooling"]), terminal_size=SIZE,
                        press=["right_square_bracket", "right_square_bracket"])
