"""The first screen stays light: building the app, or showing its first screen, imports neither numpy
nor sympy, nor fsrs (the readiness line is read after the first frame).

numpy (the solver, the live editors) loads with the first question opened and sympy only in the
child process of a derivation (`tutor.derivations`); see docs/PERFORMANCE.md and the benchmark in
benchmarks/. Checked in a fresh interpreter, since this test process has loaded everything. No
timings here: shared machines are too noisy for them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("numpy", "sympy", "fsrs")  # fsrs: the review cards are read after the first frame


def loaded_after(code: str) -> list[str]:
    """The HEAVY modules in sys.modules after running `code` in a fresh interpreter."""
    check = f"{code}\nimport sys\nprint(','.join(name for name in {HEAVY!r} if name in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return [name for name in done.stdout.strip().split(",") if name]


def test_building_the_app_imports_neither_numpy_nor_sympy():
    # the data folder comes from $ITM528_TUTOR_DATA_DIR, which the autouse fixture points at tmp_path
    code = "import tutor.cli, tutor.screens.overview\nfrom tutor.app import make_app\napp = make_app()\napp.store.close()"
    assert loaded_after(code) == []


def test_showing_the_first_screen_imports_neither():
    # its footer asks check_action about every key (the practise key asks which questions have practice)
    code = (
        "import asyncio\n"
        "from tutor.app import make_app\n"
        "async def main():\n"
        "    app = make_app(animations=False)\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.pause()\n"
        "        assert type(app.screen).__name__ == 'OverviewScreen'\n"
        "asyncio.run(main())"
    )
    assert loaded_after(code) == []


def test_the_light_list_of_practice_questions_is_the_engines():
    # the overview's catalog lists the templates; each names a draw the engine has
    from tutor.practice import draws
    from tutor.practice.catalog import practice_questions
    from tutor.practice.templates import read_template

    assert practice_questions() == (2, 4, 5, 6, 7, 8, 9)
    assert all(read_template(n).draw in draws.DRAWS for n in practice_questions())
    assert loaded_after("from tutor.practice.catalog import practice_questions\nassert practice_questions()") == []


def test_the_screens_of_the_first_screen_and_its_keys_import_neither():
    code = "import tutor.app, tutor.screens.overview, tutor.screens.confirm, tutor.screens.too_small, tutor.grading"
    assert loaded_after(code) == []


def test_a_derivation_leaves_sympy_out_of_the_app():
    code = (
        "from tutor.derivations import derivation\n"
        "steps = derivation('softmax_ce_grad')\n"
        "assert len(steps) > 3 and all(step.text() for step in steps)"
    )
    assert "sympy" not in loaded_after(code)


def test_the_first_screen_loads_no_grader_and_no_solver():
    # the content's model and loader load with the app; what grades an answer or runs a computation
    # loads with the first question that needs it
    code = (
        "import asyncio, sys\n"
        "from tutor.app import make_app\n"
        "async def main():\n"
        "    app = make_app(animations=False)\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.pause()\n"
        "asyncio.run(main())\n"
        "loaded = [m for m in ('tutor.grading', 'tutor.formula_grading', 'tutor.solver') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
        "assert 'tutor.exam.model' in sys.modules  # the check can fail: the app did load the exam\n"
    )
    assert loaded_after(code) == []


@pytest.mark.slow
def test_a_question_loads_only_the_pictures_it_shows():
    # the pictures cost nothing at start-up: each module loads when a question that shows it opens
    code = (
        "import asyncio, sys\n"
        "from tutor.app import make_app\n"
        "def pictures():\n"
        "    return {m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('tutor.widgets.pictures.')}\n"
        "async def main():\n"
        "    for number in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10):\n"
        "        before = pictures()\n"
        "        app = make_app(question=number, animations=False)\n"
        "        async with app.run_test(size=(80, 24)) as pilot:\n"
        "            await pilot.pause()\n"
        "            assert type(app.screen).__name__ == 'QuestionScreen'\n"
        "        new = sorted(pictures() - before - {'base', 'draw', 'grids'})\n"
        "        print(number, ','.join(new))\n"
        "asyncio.run(main())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    loaded = dict(line.partition(" ")[::2] for line in done.stdout.strip().splitlines())
    assert loaded == {"1": "", "2": "", "3": "", "4": "softmax_bars", "5": "activations", "6": "",
                      "7": "convolution", "8": "pooling", "9": "", "10": "residual"}


def test_the_readiness_line_loads_fsrs_only_after_the_first_frame(data_dir):
    # a student with review cards: fsrs is needed for the line, and is loaded by the deferred read
    import time

    from tutor.progress import ProgressStore
    from tutor.progress.reviews import ReviewOf

    with ProgressStore.open(data_dir) as store:
        store.save_review(6, "e", 0.0, 4.0, ReviewOf("study", at=time.time() - 2 * 86400))
    code = (
        "import asyncio, sys\n"
        "from tutor.app import make_app\n"
        "from tutor.screens import overview\n"
        "seen = []\n"
        "original = overview.OverviewScreen.refresh_readiness\n"
        "def spy(self):\n"
        "    seen.append('fsrs' in sys.modules)\n"
        "    original(self)\n"
        "overview.OverviewScreen.refresh_readiness = spy\n"
        "async def main():\n"
        "    app = make_app(animations=False)\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        for _ in range(40):\n"
        "            await pilot.pause(0.05)\n"
        "            line = str(app.screen.query_one('#readiness').render())\n"
        "            if line:\n"
        "                break\n"
        "        assert seen and seen[0] is False, seen\n"
        "        assert '1 part due today' in line, line\n"
        "asyncio.run(main())"
    )
    assert loaded_after(code) == ["fsrs"]


def test_a_start_without_arguments_is_what_the_parser_makes_of_none_and_loads_no_argparse():
    from tutor.cli import NO_ARGUMENTS, build_parser

    assert vars(build_parser().parse_args([])) == NO_ARGUMENTS  # the fast path stays the parser's
    code = (
        "import sys\n"
        "import tutor.cli\n"
        "sys.argv = ['itm528-tutor']\n"
        "tutor.cli._run_app = lambda args: print(sorted(vars(args).items()), file=sys.stderr) or 0\n"
        "tutor.cli.COMMANDS[None] = tutor.cli._run_app\n"
        "assert tutor.cli.main() == 0\n"
        "assert 'argparse' not in sys.modules, 'argparse loaded for a start without arguments'\n"
        "assert tutor.cli.main(['--question', '3']) == 0 and 'argparse' in sys.modules  # the check can fail\n"
    )
    assert loaded_after(code) == []
