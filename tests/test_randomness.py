"""tutor.randomness: the seeded draws of the live editors and the formula grader, without numpy.random
(which holds ~7 MiB once imported; see docs/PERFORMANCE.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tutor.randomness import Generator

ROOT = Path(__file__).resolve().parents[1]


def test_the_same_seed_gives_the_same_numbers_and_another_seed_others():
    def draws(seed):
        g = Generator(seed)
        return (g.integers(1, 6), g.integers(-10, 11, size=(3, 2)).tolist(), g.choice([16, 32, 64, 128]),
                g.normal(size=4).tolist(), g.integers(5))

    assert draws(528) == draws(528)
    assert draws(528) != draws(529)


@given(st.integers(-50, 50), st.integers(1, 40), st.integers(0, 2**32 - 1))
def test_integers_stay_in_the_half_open_range_like_numpys(low, span, seed):
    g = Generator(seed)
    one = g.integers(low, low + span)
    assert isinstance(one, int) and low <= one < low + span
    many = g.integers(low, low + span, size=(4, 5))
    assert many.shape == (4, 5) and many.dtype == np.int64
    assert many.min() >= low and many.max() < low + span
    assert 0 <= g.integers(span) < span  # integers(n): 0 .. n-1


def test_every_value_of_a_small_range_comes_up_and_the_high_end_never():
    values = Generator(1).integers(0, 3, size=300)
    assert set(values.tolist()) == {0, 1, 2}


def test_normal_numbers_have_the_shape_asked_and_look_standard():
    g = Generator(7)
    assert isinstance(g.normal(), float)
    sample = g.normal(size=(100, 50))
    assert sample.shape == (100, 50) and sample.dtype == np.float64
    assert abs(sample.mean()) < 0.05 and abs(sample.std() - 1) < 0.05  # 5 000 draws: far inside these


@pytest.mark.parametrize("size", [0, (0, 3)])
def test_an_empty_size_gives_an_empty_array(size):
    assert Generator(3).integers(0, 5, size=size).size == 0


def test_choice_picks_only_among_the_options():
    g = Generator(11)
    picks = {g.choice([3, 5, 7]) for _ in range(100)}
    assert picks == {3, 5, 7}


@pytest.mark.slow
def test_grading_a_formula_and_opening_the_live_editors_leave_numpy_random_unloaded():
    code = (
        "import asyncio, sys\n"
        "from tutor.app import make_app\n"
        "from tutor.exam import load_exam\n"
        "from tutor.grading import grade\n"
        "from tutor.widgets.live.base import LiveEditor\n"
        "from tutor import randomness\n"
        "drawn, calls = [], []\n"
        "for name in ('integers', 'choice', 'normal'):\n"
        "    real = getattr(randomness.Generator, name)\n"
        "    setattr(randomness.Generator, name, lambda self, *a, _real=real, **k: calls.append(1) or _real(self, *a, **k))\n"
        "part = load_exam(prove=False).question(6).parts[0]\n"
        "assert grade(part, 'delta1^T h1^T').status == 'correct'\n"
        "assert grade(part, 'delta2^T h1^T').status == 'wrong'\n"
        "async def main():\n"
        "    for number in (4, 5, 6, 7, 8, 9):  # the questions with live editors\n"
        "        app = make_app(question=number, animations=False)\n"
        "        async with app.run_test(size=(80, 24)) as pilot:\n"
        "            await pilot.pause()\n"
        "            editors = list(app.screen.query(LiveEditor))\n"
        "            assert editors, number\n"
        "            for editor in editors:  # ctrl+n: new random numbers, drawn by tutor.randomness\n"
        "                before = len(calls)\n"
        "                editor.action_randomize()\n"
        "                await pilot.pause()\n"
        "                drawn.append(len(calls) > before)\n"
        "asyncio.run(main())\n"
        "print(all(drawn), len(drawn), 'numpy' in sys.modules, 'numpy.random' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    drew, editors, numpy, numpy_random = done.stdout.split()
    assert drew == "True" and int(editors) >= 6, "a live editor drew no new numbers"
    assert (numpy, numpy_random) == ("True", "False")
