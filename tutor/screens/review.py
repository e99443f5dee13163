"""The review screen: one part due today, on fresh numbers when it is computational, checked like any
part; its rating goes to the card of the exam's part (the screen's `ReviewRecorder` writes it).

It is the question screen on a question cut to the due part, standing alone, without the live
editor, answers fresh (nothing of an attempt is shown or touched). Its own key, v, asks the app for
the next due part (`OpenReview`): the queue is read again each time, so a part just reviewed has
left it, and quitting and coming back resumes where the student was.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding

from tutor.exam import Exam, Question
from tutor.screens.messages import OpenReview
from tutor.screens.question import QuestionScreen
from tutor.screens.recording import Recorder


class ReviewScreen(QuestionScreen):
    """One due part of the review queue."""

    BINDINGS = [
        Binding("v", "next_due", "Next due", id="review.next_due",
                tooltip="The next part due today, weakest memory first (the queue is read again)"),
    ]
    BROWSING_ONLY: ClassVar[frozenset[str]] = QuestionScreen.BROWSING_ONLY | {"next_due"}

    def __init__(self, exam: Exam, question: Question, recorder: Recorder, *, part: str, heading: str,
                 sub_title: str, blink: bool = True) -> None:
        super().__init__(exam, question, recorder, live=False, alone=True, focus=part, blink=blink,
                         heading=heading, sub_title=sub_title)

    def action_next_due(self) -> None:
        self.post_message(OpenReview())
