"""The practice screen: a computational question again with fresh numbers.

It is the question screen on a `tutor.practice.Variant`, given a `PracticeRecorder` (a check is a
practice result with the seed; nothing of the exam attempt is touched) and its configuration: the
seed in the heading, no live editor (new numbers are the point), no previous or next question. The
same parts, grading and worked steps (every answer and step comes from the solver through the
variant). What it adds are its two keys, ctrl+n for new numbers and s to type a seed back, which
ask the app for the problem with messages. (Keys are declared per class in Textual, so they are
this subclass's; it switches nothing of the question screen off.)
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding

from tutor.exam import Exam
from tutor.grading import format_points
from tutor.practice import Variant
from tutor.screens.messages import OpenPractice
from tutor.screens.question import QuestionScreen
from tutor.screens.recording import Recorder
from tutor.screens.seed import SeedDialog


class PracticeScreen(QuestionScreen):
    """One practice problem: question `variant.number` with the numbers drawn from `variant.seed`."""

    BINDINGS = [
        Binding("ctrl+n", "new_numbers", "New numbers", key_display="^n", id="practice.new_numbers",
                tooltip="The same question with new random numbers (a new seed)"),
        Binding("s", "seed", "Seed", id="practice.seed",
                tooltip="Type a seed to get that practice problem again"),
    ]
    BROWSING_ONLY: ClassVar[frozenset[str]] = QuestionScreen.BROWSING_ONLY | {"seed"}

    def __init__(self, exam: Exam, variant: Variant, recorder: Recorder, *, part: str | None = None,
                 blink: bool = True) -> None:
        v = variant
        heading = f"Practice · question {v.number} · seed {v.seed} · {format_points(v.question.points)} pts"
        super().__init__(exam, v.question, recorder, live=False, alone=True, focus=part, blink=blink,
                         heading=heading, sub_title=f"Practice · seed {v.seed}")
        self.variant = variant

    def action_new_numbers(self) -> None:
        self.post_message(OpenPractice(self.variant.number))

    def action_seed(self) -> None:
        def chosen(seed: int | None) -> None:
            if seed is not None:
                self.post_message(OpenPractice(self.variant.number, seed))

        self.app.push_screen(SeedDialog(self.variant.number, self.variant.seed, blink=self.blink), chosen)
