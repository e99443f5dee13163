"""Write SVG screenshots of the main screens into screenshots/, from the real app at 80×24.

    python scripts/screenshots.py [OUT_DIR]

Drives the app headless with Textual's Pilot, as a student would with the keyboard, and saves each
screen with `App.save_screenshot`; the pictures (picture-*.svg) each where it is mounted, after an
edit in its live editor, as scripts/picture_shots.py says. Progress goes to a temporary folder (never your own), seeded with
a few checked answers so the overview and the results have something to show.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZE = (80, 24)

# name -> (question to open, keys to press)
SHOTS: dict[str, tuple[int | None, list[str]]] = {
    "overview": (None, ["escape"]),
    "question-revealed": (9, ["tab", *"18432", "enter", "escape", "r"]),
    "steps-halfway": (5, ["space"] * 3),
    "derivation": (4, ["tab", "tab", "tab", "a"]),
    "review": (None, ["escape", "v"]),
    "results": (None, ["escape", "s"]),
    "help": (None, ["escape", "question_mark"]),
}


def seed(data_dir: Path) -> None:
    """Questions 1 and 3 checked (3(b) with a bare word the rubric refuses), question 4 begun, 9(a)
    missed: checked three or four days ago, each a review, with the exam 12 days away."""
    import time
    from datetime import date, timedelta

    from tutor.exam import load_exam
    from tutor.grading import grade
    from tutor.progress import ProgressStore
    from tutor.progress.reviews import ReviewOf

    exam = load_exam(prove=False)
    typed = {(1, p.label): ("T" if p.answer else "F") for p in exam.question(1).parts}
    typed |= {(3, "a"): "overfitting", (3, "b"): "regularization", (4, "a"): "3", (9, "a"): "1843"}
    with ProgressStore.open(data_dir) as store:
        store.set_exam_date(date.today() + timedelta(days=12))
        attempt = store.current_attempt().id
        for (number, label), response in typed.items():
            part = next(p for p in exam.question(number).parts if p.label == label)
            result = grade(part, response)
            days = 4 if number == 9 else 3
            store.save_answer(attempt, number, label, response, score=result.score, points=result.points,
                              status=result.status, review=ReviewOf("study", at=time.time() - days * 86400))
        store.set_current_question(attempt, 1)


async def shoot(name: str, question: int | None, keys: list[str], out: Path, data_dir: Path) -> Path:
    from tutor.app import make_app

    app = make_app(question=question, data_dir=data_dir, animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
        await app.workers.wait_for_complete()
        await pilot.pause()
        path = app.save_screenshot(filename=f"{name}.svg", path=str(out))
    return Path(path)


async def shoot_picture(name: str, question: int, show, out: Path) -> Path:
    from tutor.app import make_app

    with tempfile.TemporaryDirectory(prefix="itm528-screenshots-") as folder:
        app = make_app(question=question, data_dir=Path(folder), animations=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await show(pilot)
            path = app.save_screenshot(filename=f"{name}.svg", path=str(out))
    return Path(path)


async def main(out: Path) -> None:
    import tutor.practice.variants

    out.mkdir(parents=True, exist_ok=True)
    tutor.practice.variants.new_seed = lambda: 528  # the review's fresh numbers: the same in every run
    with tempfile.TemporaryDirectory(prefix="itm528-screenshots-") as folder:
        for name, (question, keys) in SHOTS.items():
            data_dir = Path(folder) / name
            seed(data_dir)
            print(await shoot(name, question, keys, out, data_dir))
    from picture_shots import SHOTS as PICTURES  # scripts/, beside this file

    for name, (question, show) in PICTURES.items():  # each picture where it is mounted, after an edit
        print(await shoot_picture(f"picture-{name.replace('_', '-')}", question, show, out))
    from live_demo import take_live_screenshots  # scripts/, beside this file

    for path in await take_live_screenshots(out):  # the pooling and forward-pass editors
        print(path)


if __name__ == "__main__":
    os.environ.setdefault("ITM528_TUTOR_NO_ANIMATION", "1")
    asyncio.run(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "screenshots"))
