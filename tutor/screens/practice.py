"""The practice screen: a computational question again with fresh numbers, and how a student gets there.

`PracticeScreen` is the question screen on a `tutor.practice.Variant`: the same parts, grading and
worked steps (every answer and step comes from the solver through the variant), with the seed in the
heading, ctrl+n for new numbers and s to type a seed back. A check is stored as a practice result
(`ProgressStore.save_practice`, with the seed, by its PracticeRecorder); nothing of the exam attempt
is touched: no drafts, no reveals, no place to resume. There is no live editor: new numbers are the
point of the screen.

The functions at the end are the app's practice commands ("Practise what I missed", "Retake what I
got wrong"); they choose with `tutor.practice` and ask the app for screens with messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.widget import Widget

from tutor.exam import ContentError, Exam
from tutor.exam_session import exam_running
from tutor.grading import format_points
from tutor.practice import PRACTICE_QUESTIONS, Variant, make_variant, practice_parts, weakest_parts
from tutor.progress import NotSaved, ProgressStore
from tutor.screens.confirm import ConfirmScreen
from tutor.screens.messages import OpenPractice, OpenQuestion
from tutor.screens.question import QuestionScreen
from tutor.screens.recording import PracticeRecorder, Recorder
from tutor.screens.saving import Saver
from tutor.screens.seed import SeedDialog
from tutor.widgets.part_view import PartView

if TYPE_CHECKING:
    from tutor.app import TutorApp


class PracticeScreen(QuestionScreen):
    """One practice problem: question `variant.number` with the numbers drawn from `variant.seed`."""

    BINDINGS = [
        Binding("ctrl+n", "new_numbers", "New numbers", key_display="^n", id="practice.new_numbers",
                tooltip="The same question with new random numbers (a new seed)"),
        Binding("s", "seed", "Seed", id="practice.seed",
                tooltip="Type a seed to get that practice problem again"),
    ]

    def __init__(self, exam: Exam, store: ProgressStore, variant: Variant, *, part: str | None = None,
                 blink: bool = True, saver: Saver | None = None) -> None:
        super().__init__(exam, store, variant.number, blink=blink, saver=saver)
        self.variant = variant
        self.question = variant.question
        self.focus_part = part

    def make_recorder(self) -> Recorder:
        return PracticeRecorder(self, self.store, self.saver)

    def heading(self) -> str:
        v = self.variant
        return f"Practice · question {v.number} · seed {v.seed} · {format_points(v.question.points)} pts"

    def live_editor(self) -> Widget | None:
        return None

    @property
    def in_exam(self) -> bool:
        return False  # practice is never part of an exam (and is closed while one runs)

    def on_mount(self) -> None:
        if self.focus_part is not None:  # after QuestionScreen.on_mount has focused the question text
            self.call_after_refresh(self._focus_part, self.focus_part)

    def on_screen_resume(self) -> None:  # (after QuestionScreen.on_mount, which sets the exam's)
        self.sub_title = f"Practice · seed {self.variant.seed}"

    def _focus_part(self, label: str) -> None:
        for view in self.query(PartView):
            answers = [w for w in self.focus_chain if view.part.label == label and w in view.answer.query("*")]
            if answers:
                answers[0].focus()
                answers[0].scroll_visible(animate=False)
                return

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go":
            return False  # no previous or next question: a practice problem stands alone
        if action == "seed" and self.typing:
            return False
        return super().check_action(action, parameters)

    def action_new_numbers(self) -> None:
        self.post_message(OpenPractice(self.variant.number))

    def action_seed(self) -> None:
        def chosen(seed: int | None) -> None:
            if seed is not None:
                self.post_message(OpenPractice(self.variant.number, seed))

        self.app.push_screen(SeedDialog(self.variant.number, self.variant.seed, blink=self.blink), chosen)

CLOSED = "Practice waits until the exam is over: submit it first (x on the overview, or ctrl+p)."


def practice_commands(app: TutorApp) -> Iterator[tuple[str, Callable[[], object], str]]:
    """The command palette's practice entries (title, callback, help), for tutor.commands."""
    if exam_running(app.store.current_attempt()):
        return  # no practice during a timed exam
    titles = {q.number: q.title for q in app.exam.questions}
    for number in PRACTICE_QUESTIONS:
        if number in titles:
            yield (f"Practise: question {number} (new numbers)", partial(app.post_message, OpenPractice(number)),
                   f"{titles[number]}: new numbers, graded by the solver")
    yield ("Practise what I missed", partial(practise_what_i_missed, app),
           "New numbers for the part with your lowest recent scores")
    yield ("Retake what I got wrong", partial(retake_what_i_got_wrong, app),
           "A new attempt with your right parts kept and the wrong ones open again")


def _closed(app: TutorApp) -> bool:
    """During a timed exam there is no practice (its steps would show the method)."""
    if exam_running(app.store.current_attempt()):
        app.notify(CLOSED, severity="warning")
        return True
    return False


def show_practice(app: TutorApp, message: OpenPractice) -> None:
    """Open the practice problem `message` asks for, in place of a question screen on top."""
    if _closed(app):
        return
    try:
        variant = make_variant(message.number, message.seed, content_dir=app.exam.content_dir)
    except (ValueError, ContentError) as error:
        app.notify(str(error), title="No practice", severity="error")
        return
    screen = PracticeScreen(app.exam, app.store, variant, part=message.part, blink=app.animations, saver=app.saver)
    if isinstance(app.screen, QuestionScreen):
        app.screen.save_drafts()
        app.switch_screen(screen)
    else:
        app.action_overview()
        app.push_screen(screen)


def practise_what_i_missed(app: TutorApp) -> None:
    """The weakest part by recent practice and this attempt's checks, as a new practice problem."""
    if _closed(app):
        return
    store = app.store
    answers = store.answers(store.current_attempt().id)
    practice = store.practice_results()
    try:
        weakest = weakest_parts(practice, answers, limit=1, parts=practice_parts(app.exam.content_dir))
    except ContentError as error:
        app.notify(str(error), title="No practice", severity="error")
        return
    if not weakest:
        app.notify("There is no practice to choose from.", severity="warning")
        return
    number, label = weakest[0]
    record = answers.get((number, label))
    tried = any((r["question"], r["part"]) == (number, label) for r in practice) or (record and record.score is not None)
    why = "your lowest recent score" if tried else "not tried yet"
    app.notify(f"Practising question {number}({label}): {why}.", title="Practise what I missed")
    app.post_message(OpenPractice(number, part=label))


def retake_what_i_got_wrong(app: TutorApp) -> None:
    """A new study attempt from the last attempt with a checked answer: its parts with full marks are
    carried over; the rest (wrong, partial, waiting for a self-mark, or never answered) are open."""
    if _closed(app):
        return
    store = app.store
    graded = [(a, store.answers(a.id)) for a in store.attempts()]
    graded = [(a, answers) for a, answers in graded if any(r.checked for r in answers.values())]
    if not graded:
        app.notify("Nothing to retake yet: no answer has been checked.", severity="warning")
        return
    last, answers = graded[-1]
    parts = [(q.number, p.label, p.points) for q in app.exam.questions for p in q.parts]

    def full(record: Any, points: float) -> bool:
        return record is not None and record.checked and record.score is not None and record.score >= points - 1e-9

    right = [answers[(q, label)] for q, label, points in parts if full(answers.get((q, label)), points)]
    wrong = [(q, label) for q, label, points in parts
             if (r := answers.get((q, label))) is not None and r.checked and not full(r, points)]
    blank = [(q, label) for q, label, _ in parts if not ((r := answers.get((q, label))) and r.checked)]
    todo = sorted(wrong + blank, key=lambda key: [(q, label) for q, label, _ in parts].index(key))
    source = f"attempt {last.number} ({last.mode})"
    if not todo:
        app.notify(f"Nothing to retake: every part of {source} was checked right.")
        return
    text = (f"From {source}, the last one with checked answers: a new attempt keeps the {_count(len(right))} "
            f"you got right and opens {_count(len(todo))}. Wrong or short of full marks: {_names(wrong)}. "
            f"Never answered: {_names(blank)}. Attempt {last.number} stays in the history.")

    def start() -> tuple[Any, list[str]]:  # in the app's saving thread: a lock does not freeze the screen
        attempt = store.new_attempt("study")
        failed = []
        for r in right:
            try:
                store.save_answer(attempt.id, r.question, r.part, r.value, score=r.score, points=r.points,
                                  status=r.status)
            except NotSaved as exc:  # kept by the store and tried again with the next write
                failed.append(exc.reason)
        return attempt, failed

    def started(value: Any, error: BaseException | None) -> None:
        if error is not None:
            if not isinstance(error, NotSaved):
                raise error
            app.notify(f"The retake has not started: {error}. Try again in a moment.", severity="error")
            return
        attempt, failed = value
        app.action_overview()
        app.post_message(OpenQuestion(todo[0][0]))
        app.notify(f"Retake of {source}: {_names(todo)}. In a question, enter goes to the first open part.",
                   title=f"Attempt {attempt.number}", timeout=10)
        if failed:
            app.notify(f"Not saved yet ({failed[0]}): some of the parts carried over; they are kept and tried"
                       " again with your next change.", severity="warning", timeout=10)

    def retake(yes: bool | None) -> None:
        if yes:
            app.action_overview()  # (saves what was typed first)
            app.saver.submit(start, started)

    app.push_screen(ConfirmScreen("Retake what you got wrong?", text, "Retake"), retake)


def _count(n: int) -> str:
    return f"{n} part{'s' if n != 1 else ''}"


def _names(keys: list[tuple[int, str]], most: int = 8) -> str:
    """ "none", "4(b), 9(a)", "1(a), 1(b), … and 12 more"."""
    if not keys:
        return "none"
    names = ", ".join(f"{q}({p})" for q, p in keys[:most])
    return names + (f" and {len(keys) - most} more" if len(keys) > most else "")
