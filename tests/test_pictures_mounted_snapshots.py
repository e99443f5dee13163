"""Snapshots of each picture where it is mounted, in the tutor's question screen at 80×24, after an
edit in its live editor (10(a): after the reveal), in colour and with NO_COLOR.

With NO_COLOR the picture's words show under its drawing (the SVG keeps Textual's colours: its
export applies no filter). The numbers of each picture after an edit are checked against the solver
in test_pictures_mounted.py. Update only after looking at the report:
`pytest tests/test_pictures_mounted_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tutor.app import make_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))  # the keys live in scripts/
from picture_shots import SHOTS  # noqa: E402

SIZE = (80, 24)


@pytest.mark.parametrize("name", SHOTS)
def test_mounted_picture_in_colour(snap_compare, monkeypatch, name):
    monkeypatch.delenv("NO_COLOR", raising=False)
    number, run_before = SHOTS[name]
    assert snap_compare(make_app(question=number, animations=False), run_before=run_before, terminal_size=SIZE)


@pytest.mark.parametrize("name", SHOTS)
def test_mounted_picture_without_colour(snap_compare, monkeypatch, name):
    monkeypatch.setenv("NO_COLOR", "1")
    number, run_before = SHOTS[name]
    assert snap_compare(make_app(question=number, animations=False), run_before=run_before, terminal_size=SIZE)
