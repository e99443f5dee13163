"""The app's navigator and the overview's reads: one question (or practice) screen above the overview at
a time, its drafts kept on the way; the overview reads the store when it comes back and when a check
reaches the store, never on a row highlight."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tutor.app import make_app
from tutor.exam import load_exam
from tutor.progress import ProgressStore
from tutor.screens.overview import OverviewScreen
from tutor.screens.practice import PracticeScreen
from tutor.screens.question import QuestionScreen
from tutor.screens.results import ResultsScreen

SIZE = (80, 24)
EXAM = load_exam(prove=False)


def count_reads(store) -> dict[str, int]:
    """How often the store's reads of scores are called from now on."""
    calls = {"answers": 0, "current_attempt": 0, "best_scores": 0}
    for name in calls:
        real = getattr(store, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            return _real(*args, **kwargs)

        setattr(store, name, counted)
    return calls


async def palette(pilot, text: str) -> None:
    await pilot.press("ctrl+p", *text)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()


async def test_the_overview_is_the_default_screen_composed_with_its_rows_and_read_once(data_dir, monkeypatch):
    """The first frame shows the whole overview: it is the bottom of the stack, its rows and summary
    are there as soon as the app runs (they were filled on mount and drawn a frame later, with an
    empty table first), and its first show reads the store once (it read it twice)."""
    from tutor.screens import overview

    reads, real = [], overview.read
    monkeypatch.setattr(overview, "read", lambda *a, **k: reads.append(1) or real(*a, **k))
    app = make_app(animations=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen_stack[0]
        assert isinstance(screen, OverviewScreen) and app.screen is screen
        table = screen.query_one("#questions")
        assert table.row_count == len(EXAM.questions)
        assert "points so far" in str(screen.query_one("#summary").render())
        await pilot.pause()
        assert len(reads) == 1, "the first show read the store more than once"


async def test_the_footer_is_composed_with_its_screen_not_a_frame_later(data_dir, monkeypatch):
    """The first frame has the footer's keys: Textual's Footer started empty and recomposed with its
    keys after the screen's first refresh, a second layout before the first screen was complete.
    Tab to another answer still changes the keys it shows."""
    from tutor.widgets.footer import SteadyFooter

    recomposed = []
    real = SteadyFooter.recompose

    async def counted(self):
        recomposed.append(self.screen)
        return await real(self)

    monkeypatch.setattr(SteadyFooter, "recompose", counted)
    app = make_app(animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        keys = [str(k.description) for k in app.screen.query("FooterKey")]
        assert "Results" in keys and "Help" in keys
        assert not recomposed, "the overview's footer was composed again after its first frame"
        await pilot.press("enter")  # question 1: its footer composed with it
        await pilot.pause()
        assert "Answer" in [str(k.description) for k in app.screen.query("FooterKey")]
        await pilot.press("enter")  # answering 1(a): the keys change, so the footer recomposes
        await pilot.pause()
        assert "Check" in [str(k.description) for k in app.screen.query("FooterKey")]


async def test_highlighting_rows_reads_nothing_and_coming_back_reads_again(data_dir):
    app = make_app(animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        calls = count_reads(app.store)
        await pilot.press(*["down"] * 7)  # to question 8, which has practice: the footer changes
        await pilot.pause()
        assert sum(calls.values()) == 0, calls
        assert app.screen.check_action("practise", ()) is True
        await pilot.press("up")  # question 7: practice too; question 1 has none
        await pilot.press(*["up"] * 6)
        await pilot.pause()
        assert app.screen.check_action("practise", ()) is None  # dimmed, and still nothing read
        assert sum(calls.values()) == 0, calls
        await pilot.press("enter", "escape")  # question 1, and back: the overview reads the store again
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen) and calls["answers"] >= 1


async def test_a_check_that_reaches_the_store_after_the_question_was_left_shows_on_the_overview(data_dir):
    part = EXAM.question(4).parts[0]
    app = make_app(question=4, animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        held = []
        submit = app.saver.submit
        app.saver.submit = lambda work, done, what=(): held.append((work, done))  # the file is busy
        await pilot.press("enter", *str(int(part.answer)), "enter")  # checked: its write waits
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        assert str(app.screen.query_one("#questions").get_row("4")[3]) == "–"  # not in the store yet
        app.saver.submit = submit
        for work, done in held:  # the writes go through, as the saver's worker would do them
            submit(work, done)
        await pilot.pause()
        await pilot.pause()
        assert str(app.screen.query_one("#questions").get_row("4")[3]) == f"{part.points:g}"


@pytest.mark.slow
async def test_one_question_screen_at_a_time_and_its_drafts_kept_on_the_way(data_dir):
    app = make_app(question=4, animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", *"12")  # a draft in 4(a), not checked
        await pilot.press("escape", "right", "right")  # questions 5, then 6
        await pilot.pause()
        assert [type(s) for s in app.screen_stack] == [OverviewScreen, QuestionScreen]
        assert app.screen.question.number == 6
        await palette(pilot, "go to results")
        assert isinstance(app.screen, ResultsScreen)  # above the question it was opened from
        await pilot.press("enter")  # question 1, from the results: in place of both
        await pilot.pause()
        assert [type(s) for s in app.screen_stack] == [OverviewScreen, QuestionScreen]
        assert app.screen.question.number == 1
        await palette(pilot, "practise: question 8")
        await pilot.press("ctrl+n")  # new numbers: the practice screen is replaced, not stacked
        await pilot.pause()
        assert [type(s) for s in app.screen_stack] == [OverviewScreen, PracticeScreen]
        assert not isinstance(app.focused, Input)
    with ProgressStore.open(data_dir) as store:
        assert store.answers(store.current_attempt().id)[(4, "a")].value == "12"


@pytest.mark.slow
async def test_screens_left_are_let_go_with_their_headers_footer_keys_and_drawn_lines(data_dir):
    """A question, results or help screen left is freed with everything in it. It was not: the
    navigator kept the question last shown, Textual kept each screen's Header watching the app's
    title (which only exam mode changes), the footer's keys binding its `compact` (new keys each time
    the keys shown change), and an lru_cache of Textual's styles caches kept the drawn lines of the
    last 1024 widgets: about a megabyte more for each question opened and left."""
    import gc

    from textual._styles_cache import StylesCache
    from textual.widget import Widget

    app = make_app(question=4, animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("right", "right")  # questions 5, then 6
        await pilot.pause()
        await palette(pilot, "go to results")
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("escape", "question_mark")  # the help, above question 6
        await pilot.pause()
        await pilot.press("escape", "escape")  # question 6, the overview
        await pilot.pause()
        assert [type(s) for s in app.screen_stack] == [OverviewScreen]
        for again in range(2):  # question 1 opened and left twice
            await pilot.press(*["up"] * 5, "enter")
            await pilot.pause()
            assert isinstance(app.screen, QuestionScreen) and app.screen.question.number == 1
            await pilot.press("escape")
            await pilot.pause()
        gc.collect()
        alive = [o for o in gc.get_objects() if isinstance(o, Widget)]
        gone = sorted(type(w).__name__ for w in alive if not w.is_attached)
        assert gone == [], f"widgets of screens left still alive: {gone}"
        caches = sum(isinstance(o, StylesCache) for o in gc.get_objects())
        assert caches <= len(alive), f"{caches} styles caches for {len(alive)} widgets"


async def test_the_question_left_is_freed_before_the_next_one_is_built(monkeypatch):
    """The question left by `n` (or `p`, or the palette) is gone, collected, when the next one
    composes, and so is one left by escape once the overview has refreshed: Textual removed the old
    screen while the new one composed, and its widgets, cycles, waited for Python's next full
    collection, so two questions (and the ones before) were held at once: the tutor's peak memory
    (tutor.screens.freed)."""
    import weakref

    left: list[weakref.ref] = []
    alive_at_compose: list[bool] = []
    real = QuestionScreen.compose

    def compose(self):
        alive_at_compose.extend(ref() is not None for ref in left)
        return real(self)

    monkeypatch.setattr(QuestionScreen, "compose", compose)
    app = make_app(question=7, animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in ("n", "p"):  # to question 8, back to 7
            left.append(weakref.ref(app.screen))
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, QuestionScreen) and app.screen is not left[-1]()
        assert alive_at_compose == [False, False, False], "a question left was still alive as the next composed"
        left.append(weakref.ref(app.screen))
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        assert left[-1]() is None, "the question left by escape was not collected"


async def test_the_results_and_the_help_closed_are_freed(data_dir):
    """The results and the help close themselves (escape), and are collected once the overview has
    refreshed: the navigator kept a closed one until the next screen was shown. (The results' bars,
    drawn by `call_from_thread` in the worker's context, also kept the screen a moment longer in the
    timers of what they mounted; that depends on timing, and the test waits for the worker so as
    not to depend on it: it checks the navigator and the collection.)"""
    import weakref

    app = make_app(animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key in ("s", "question_mark"):
            await pilot.press(key)
            await pilot.pause()
            await app.workers.wait_for_complete()  # (the results' bars worked out)
            await pilot.pause()
            assert not isinstance(app.screen, OverviewScreen)
            shown = weakref.ref(app.screen)
            await pilot.press("escape")
            await pilot.pause()
            await pilot.pause()
            assert isinstance(app.screen, OverviewScreen)
            assert shown() is None, f"{key}: the screen closed is still alive"


async def test_a_question_screen_is_styled_once_as_it_opens_and_again_on_a_later_resume(monkeypatch):
    """Textual styles a pushed screen as it mounts and then all over again as it resumes
    (tutor.screens.fresh): the first resume of a screen just made skips that second pass; a later
    resume that asks for it still restyles."""
    from textual import events
    from textual.screen import Screen

    restyled = []
    real = Screen.update_node_styles
    monkeypatch.setattr(Screen, "update_node_styles",
                        lambda self, *a, **k: restyled.append(type(self).__name__) or real(self, *a, **k))
    app = make_app(animations=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_question(5)
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.screen.query("PartView")
        assert "QuestionScreen" not in restyled
        app.screen.post_message(events.ScreenResume())  # as Textual posts it when a screen is pushed again
        await pilot.pause()
        assert "QuestionScreen" in restyled
