"""Spaced review (tutor.review, tutor.readiness, tutor.exam_day): ratings from scores, fsrs's schedule capped at the exam day, readiness
from the library's own retrievability, the queue, rebuilding cards from checks, and the exam date.

Every figure of memory here is asked of fsrs itself (`Scheduler.review_card`,
`Scheduler.get_card_retrievability`), never recomputed from a copy of its formula.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from fsrs import Card, Rating, ReviewLog, Scheduler, State
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.exam import load_exam
from tutor.exam_day import day_start, local_day, parse_exam_date
from tutor.grading import grade
from tutor.readiness import due_queue, expected_score, retrievability_on, review_block
from tutor.review import (
    WINDOW_DAYS,
    CardError,
    Check,
    Rebuilt,
    load_cards,
    rating,
    rebuild,
    replan,
    review,
    review_check,
)

ROOT = Path(__file__).resolve().parents[1]
UTC = timezone.utc
CHICAGO = timezone(timedelta(hours=-6), "CST")  # a fixed zone, so no test depends on tzdata
KEY = (6, "e")
EXAM = date(2026, 5, 4)
START = datetime(2026, 3, 2, 14, 30, tzinfo=UTC)


def card(text: str) -> Card:
    return Card.from_json(text)


def history(key=KEY, grades=(3, 3, 3), start=START, gap=timedelta(days=3), exam=EXAM, tz=UTC):
    """A card reviewed with `grades` every `gap` from `start`; returns the card's JSON."""
    text = None
    for n, g in enumerate(grades):
        text, _ = review(text, g, start + n * gap, exam, key=key, tz=tz)
    return text


# -- ratings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "score, points, want",
    [(0, 4, Rating.Again), (0.5, 4, Rating.Hard), (3.5, 4, Rating.Hard), (4, 4, Rating.Good),
     (4 - 1e-12, 4, Rating.Good), (1e-12, 4, Rating.Again), (6, 6, Rating.Good), (2.5, 5, Rating.Hard)],
)
def test_ratings_follow_the_score(score, points, want):
    assert rating(score, points) == want


def test_easy_only_for_a_full_first_check_graded_by_the_tutor():
    assert rating(4, 4, first_check=True) == Rating.Easy
    assert rating(4, 4, first_check=True, self_marked=True) == Rating.Good  # own mark: at most Good
    assert rating(2, 4, first_check=True) == Rating.Hard  # a partial first check is not Easy
    assert rating(0, 4, first_check=True) == Rating.Again
    assert rating(10, 10, self_marked=True) == Rating.Good


def test_a_check_after_the_answer_was_shown_is_again_whatever_it_scored():
    assert rating(4, 4, answer_seen=True) == Rating.Again
    assert rating(4, 4, answer_seen=True, first_check=True) == Rating.Again
    assert rating(2, 4, answer_seen=True) == Rating.Again


def test_no_score_yet_is_no_review():
    # an "unsure" grade: the student has not marked it, so nothing is known and nothing is scheduled
    assert rating(None, 4) is None
    assert review_check(None, Check(START, None, 4), EXAM, key=KEY) is None


@pytest.mark.parametrize(
    "score, points",
    [(5, 4), (-1, 4), (float("nan"), 4), (float("inf"), 4), (1, 0), (1, -2), (1, float("nan")), ("4", 4)],
)
def test_impossible_scores_are_refused(score, points):
    with pytest.raises(ValueError):
        rating(score, points)


def test_ratings_from_the_graders_own_scores():
    exam = load_exam(prove=False)
    part = exam.question(9).parts[0]  # 9(a), a number
    right = grade(part, "18432")
    wrong = grade(part, "1")
    assert right.status == "correct" and rating(right.score, right.points) == Rating.Good
    assert wrong.status == "wrong" and rating(wrong.score, wrong.points) == Rating.Again
    derivation = next(p for q in exam.questions for p in q.parts if p.kind == "derivation")
    mark = grade(derivation, "partial")
    assert mark.status == "partial"
    assert rating(mark.score, mark.points, self_marked=True, first_check=True) == Rating.Hard
    full = grade(derivation, "full")
    assert rating(full.score, full.points, self_marked=True, first_check=True) == Rating.Good


# -- one review ------------------------------------------------------------------------------------


def test_without_an_exam_date_the_schedule_is_fsrs_own():
    ours = fsrs = None
    library = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    fsrs_card = Card(card_id=1, due=START)
    for n, g in enumerate([Rating.Good, Rating.Hard, Rating.Again, Rating.Good, Rating.Easy]):
        at = START + timedelta(days=4 * n, hours=n)
        ours, log = review(ours, g, at, None, key=KEY)
        fsrs_card, fsrs = library.review_card(fsrs_card, g, review_datetime=at)
        mine = card(ours)
        assert (mine.due, mine.stability, mine.difficulty, mine.state) == (
            fsrs_card.due, fsrs_card.stability, fsrs_card.difficulty, fsrs_card.state)
        assert ReviewLog.from_json(log).rating == g and ReviewLog.from_json(log).review_datetime == at


def test_cards_and_logs_are_fsrs_json_text():
    text, log = review(None, Rating.Good, START, EXAM, key=KEY)
    assert isinstance(text, str) and isinstance(log, str)
    assert set(json.loads(text)) == set(Card(card_id=1).to_dict())
    assert card(text).to_json() == Card.from_dict(json.loads(text)).to_json()
    assert card(text).card_id == ReviewLog.from_json(log).card_id
    # the id is the part's, so a rebuilt card keeps it
    assert card(text).card_id == card(review(None, Rating.Again, START, None, key=KEY)[0]).card_id
    assert card(text).card_id != card(review(None, Rating.Good, START, None, key=(6, "d"))[0]).card_id


def test_a_miss_comes_back_tomorrow_not_in_minutes():
    text, _ = review(None, Rating.Again, START, None, key=KEY)
    assert card(text).due == START + timedelta(days=1) and card(text).state == State.Review


def test_bad_calls_are_refused_plainly():
    with pytest.raises(ValueError, match="key"):
        review(None, Rating.Good, START, EXAM)
    with pytest.raises(ValueError, match="time zone"):
        review(None, Rating.Good, datetime(2026, 3, 2, 9), EXAM, key=KEY)
    for bad in (0, 5, True, None, "3"):
        with pytest.raises(ValueError, match="rating"):
            review(None, bad, START, EXAM, key=KEY)
    with pytest.raises(CardError):
        review("{", Rating.Good, START, EXAM)


def test_epoch_seconds_and_other_zones_are_the_same_moment():
    a, _ = review(None, Rating.Good, START, EXAM, key=KEY)
    b, _ = review(None, Rating.Good, START.timestamp(), EXAM, key=KEY)
    c, _ = review(None, Rating.Good, START.astimezone(CHICAGO), EXAM, key=KEY)
    assert a == b == c


# -- the exam cap ----------------------------------------------------------------------------------


def test_a_strong_card_is_held_back_to_the_start_of_the_final_window():
    exam = START.date() + timedelta(days=20)
    text = history(grades=(3, 3, 3, 3), gap=timedelta(days=4), exam=exam)
    free = history(grades=(3, 3, 3, 3), gap=timedelta(days=4), exam=None)
    window = day_start(exam - timedelta(days=WINDOW_DAYS), UTC)
    assert card(free).due > window  # fsrs alone would let it run past the window
    assert card(text).due == window
    # the memory model is the same: only the date moved
    assert (card(text).stability, card(text).difficulty) == (card(free).stability, card(free).difficulty)


def test_inside_the_window_nothing_is_due_after_the_exam_day_begins():
    strong = history(grades=(3, 3, 3), exam=None)
    late = START + timedelta(days=9)
    exam = local_day(late, UTC) + timedelta(days=1)  # tomorrow: now is inside its window
    for g in (Rating.Again, Rating.Good, Rating.Easy):
        text, _ = review(strong, g, late, exam, tz=UTC)
        free, _ = review(strong, g, late, None)
        assert card(free).due > day_start(exam, UTC)
        assert card(text).due == day_start(exam, UTC)


def test_once_the_exam_day_has_begun_nothing_is_capped():
    base = history(exam=None)
    at = START + timedelta(days=8)
    capped, _ = review(base, Rating.Good, at, local_day(at, UTC), tz=UTC)  # the exam is today
    free, _ = review(base, Rating.Good, at, None)
    assert capped == free


def test_local_midnight_is_the_day_boundary():
    assert day_start(date(2026, 3, 8), CHICAGO) == datetime(2026, 3, 8, 6, tzinfo=UTC)
    assert local_day(datetime(2026, 3, 8, 5, 59, tzinfo=UTC), CHICAGO) == date(2026, 3, 7)
    assert local_day(datetime(2026, 3, 8, 6, 0, tzinfo=UTC), CHICAGO) == date(2026, 3, 8)


def test_daylight_saving_midnights_with_a_real_zone():
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        chicago = zoneinfo.ZoneInfo("America/Chicago")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no time zone data")
    assert day_start(date(2026, 3, 8), chicago) == datetime(2026, 3, 8, 6, tzinfo=UTC)  # still CST
    assert day_start(date(2026, 3, 9), chicago) == datetime(2026, 3, 9, 5, tzinfo=UTC)  # CDT


reviews = st.lists(
    st.tuples(st.floats(min_value=0.0, max_value=24 * 9, allow_nan=False), st.sampled_from([1, 2, 3, 4])),
    min_size=1, max_size=14,
)


@settings(deadline=None, max_examples=250)
@given(
    reviews=reviews,
    lead_days=st.integers(min_value=0, max_value=60),
    hour=st.floats(min_value=0, max_value=23.99),
    offset=st.integers(min_value=-12, max_value=14),
)
def test_no_due_date_passes_the_exam_and_every_part_is_due_in_the_final_window(reviews, lead_days, hour, offset):
    tz = timezone(timedelta(hours=offset))
    exam = date(2026, 6, 1)
    first = day_start(exam - timedelta(days=lead_days), tz) + timedelta(hours=hour)
    exam_start = day_start(exam, tz)
    window_start = day_start(exam - timedelta(days=WINDOW_DAYS), tz)
    text = free = None
    at = first
    before_window = None  # the card as it stands when the window opens
    for gap_hours, g in reviews:
        at += timedelta(hours=gap_hours)
        text, log = review(text, g, at, exam, key=KEY, tz=tz)
        free, _ = review(free, g, at, None, key=KEY)
        due = card(text).due
        assert due >= at
        if at < exam_start:
            assert due <= exam_start
        if at < window_start:
            assert due <= window_start
            before_window = due
        # the cap moves dates only: stability and difficulty are fsrs's own
        assert (card(text).stability, card(text).difficulty) == (card(free).stability, card(free).difficulty)
    if before_window is not None:
        # nothing reviewed it between its last review and the window's start: it is due when the window
        # opens, and stays due until reviewed
        assert before_window <= window_start


# -- readiness -------------------------------------------------------------------------------------


def test_retrievability_on_a_day_is_the_librarys_figure_for_that_day():
    text = history(grades=(3, 2, 3), gap=timedelta(days=2), exam=None)
    c = card(text)
    for days in (0, 1, 5, 12, 40):
        day = local_day(c.last_review, UTC) + timedelta(days=days)
        library = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
        end_of_day = day_start(day + timedelta(days=1), UTC)
        assert retrievability_on(text, day, tz=UTC) == library.get_card_retrievability(c, end_of_day)
    # and it is the memory the library models: lower the longer one waits
    later = [retrievability_on(text, c.last_review.date() + timedelta(days=d), tz=UTC) for d in (1, 5, 30)]
    assert later == sorted(later, reverse=True) and later[-1] < later[0] < 1


def test_the_hour_of_a_review_does_not_change_its_day_count():
    early = review(None, Rating.Good, datetime(2026, 3, 2, 0, 30, tzinfo=CHICAGO), None, key=KEY)[0]
    late = review(None, Rating.Good, datetime(2026, 3, 2, 23, 30, tzinfo=CHICAGO), None, key=KEY)[0]
    for day in (date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 9)):
        assert retrievability_on(early, day, tz=CHICAGO) == retrievability_on(late, day, tz=CHICAGO)


def test_stability_is_the_day_count_at_which_recall_falls_to_ninety_percent():
    # a fact of FSRS (its definition of stability), asked of the library through our day arithmetic
    text = json.dumps({"card_id": 1, "state": 2, "step": None, "stability": 10.0, "difficulty": 5.0,
                       "due": "2026-03-12T10:00:00+00:00", "last_review": "2026-03-02T10:00:00+00:00"})
    assert retrievability_on(text, date(2026, 3, 12), tz=UTC) == pytest.approx(0.9)
    assert retrievability_on(text, date(2026, 3, 2), tz=UTC) == 1.0
    assert retrievability_on(text, date(2026, 2, 1), tz=UTC) == 1.0  # a day before the review: no decay


def test_expected_score_over_the_exam_from_the_librarys_retrievability():
    exam = load_exam(prove=False)
    points = {(q.number, p.label): p.points for q in exam.questions for p in q.parts}
    assert sum(points.values()) == 100
    seen = {(9, "a"): (3, 3, 3), (6, "e"): (1, 2), (5, "c"): (3,), (8, "a"): (2, 1, 3)}
    cards = {key: history(key=key, grades=g, exam=EXAM) for key, g in seen.items()}
    cards[(42, "z")] = history(key=(42, "z"), exam=EXAM)  # a part of some other exam: ignored
    got = expected_score(cards, points, EXAM, tz=UTC)
    library = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    exam_day_end = day_start(EXAM + timedelta(days=1), UTC)
    want = sum(points[k] * library.get_card_retrievability(card(cards[k]), exam_day_end) for k in seen)
    assert got.expected == pytest.approx(want)
    assert got.seen_points == sum(points[k] for k in seen) == 3 + 4 + 3 + 6
    assert got.total_points == 100 and got.unknown_points == 100 - got.seen_points
    assert set(got.unknown) == set(points) - set(seen)  # never seen: unknown, not 0
    assert 0 < got.expected < got.seen_points
    assert set(got.by_question) == {5, 6, 8, 9}
    assert got.by_question[6] == (pytest.approx(4 * library.get_card_retrievability(card(cards[(6, "e")]), exam_day_end)), 4)
    assert sum(e for e, _ in got.by_question.values()) == pytest.approx(got.expected)


def test_a_card_never_reviewed_is_unknown_not_zero():
    never = Card(card_id=1, due=START).to_json()
    assert retrievability_on(never, EXAM) is None
    got = expected_score({KEY: never}, {KEY: 4.0, (6, "d"): 4.0}, EXAM)
    assert got.expected == 0 and got.seen_points == 0 and got.unknown == ((6, "d"), KEY)


# -- the queue -------------------------------------------------------------------------------------


def test_the_queue_is_weakest_memory_first_and_holds_only_todays():
    now = datetime(2026, 4, 20, 9, 0, tzinfo=CHICAGO)
    cards = {
        (2, "a"): history(key=(2, "a"), grades=(3,), start=now - timedelta(days=30), exam=None),
        (6, "e"): history(key=(6, "e"), grades=(1,), start=now - timedelta(days=3), exam=None),
        (9, "a"): history(key=(9, "a"), grades=(3, 3, 3), start=now - timedelta(days=40), exam=None),
        (9, "b"): history(key=(9, "b"), grades=(4,), start=now - timedelta(hours=1), exam=None),  # due later
    }
    queue = due_queue(cards, now, tz=CHICAGO)
    library = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    strengths = {k: library.get_card_retrievability(card(t), now.astimezone(UTC)) for k, t in cards.items()}
    due = [k for k, t in cards.items() if card(t).due < day_start(date(2026, 4, 21), CHICAGO)]
    assert [d.key for d in queue] == sorted(due, key=lambda k: strengths[k])
    assert (9, "b") not in [d.key for d in queue] and len(queue) == 3
    assert [d.retrievability for d in queue] == sorted(strengths[k] for k in due)


@settings(deadline=None, max_examples=100)
@given(
    grades=st.lists(st.sampled_from([1, 2, 3, 4]), min_size=1, max_size=6),
    lead_days=st.integers(min_value=-3, max_value=30),
    hour=st.floats(min_value=0, max_value=23.99),
)
def test_a_part_reviewed_today_leaves_todays_queue(grades, lead_days, hour):
    # so a queue quit half-way resumes where it was: it is recomputed, and what was done is gone
    exam = date(2026, 6, 1)
    now = day_start(exam - timedelta(days=lead_days), CHICAGO) + timedelta(hours=hour)
    text = history(grades=grades, start=now - timedelta(days=20), gap=timedelta(days=3), exam=exam, tz=CHICAGO)
    text, _ = review(text, grades[-1], now, exam, tz=CHICAGO)
    last_moment_today = day_start(local_day(now, CHICAGO) + timedelta(days=1), CHICAGO) - timedelta(microseconds=1)
    assert due_queue({KEY: text}, now, tz=CHICAGO) == []
    assert due_queue({KEY: text}, last_moment_today, tz=CHICAGO) == []


def test_due_later_today_counts_as_today_and_after_midnight_does_not():
    now = datetime(2026, 4, 20, 9, 0, tzinfo=CHICAGO)
    base = json.loads(history(exam=None))
    tonight = dict(base, due=datetime(2026, 4, 20, 23, 30, tzinfo=CHICAGO).isoformat())
    tomorrow = dict(base, due=datetime(2026, 4, 21, 0, 30, tzinfo=CHICAGO).isoformat())
    cards = {(1, "a"): json.dumps(tonight), (1, "b"): json.dumps(tomorrow)}
    assert [d.key for d in due_queue(cards, now, tz=CHICAGO)] == [(1, "a")]


def test_ties_go_to_the_longest_overdue_then_exam_order():
    now = datetime(2026, 4, 20, 9, 0, tzinfo=UTC)
    base = json.loads(history(exam=None))
    cards = {
        (3, "b"): json.dumps(dict(base, due="2026-04-19T09:00:00+00:00")),
        (3, "a"): json.dumps(dict(base, due="2026-04-19T09:00:00+00:00")),
        (4, "a"): json.dumps(dict(base, due="2026-04-10T09:00:00+00:00")),
    }
    assert [d.key for d in due_queue(cards, now, tz=UTC)] == [(4, "a"), (3, "a"), (3, "b")]


# -- rebuilding and bad data -----------------------------------------------------------------------


CHECKS = [
    Check(START, 4, 4),
    Check(START + timedelta(days=2), 0, 4),
    Check(START + timedelta(days=3, hours=5), 2, 4),
    Check((START + timedelta(days=7)).timestamp(), 4, 4, answer_seen=True),
    Check(START + timedelta(days=12), 4, 4, self_marked=True),
]


def test_a_rebuilt_card_is_the_card_recorded_live():
    live, logs = None, []
    for check in CHECKS:
        live, log = review_check(live, check, EXAM, key=KEY, tz=UTC)
        logs.append(log)
    done = rebuild(KEY, reversed(CHECKS), EXAM, tz=UTC)  # any order in, time order replayed
    assert done.card == live and list(done.logs) == logs and done.skipped == 0
    assert [c.score for c in done.checks] == [c.score for c in CHECKS]  # what the store writes back
    assert [ReviewLog.from_json(x).rating for x in logs] == [
        Rating.Easy, Rating.Again, Rating.Hard, Rating.Again, Rating.Good]


def test_rebuild_skips_what_cannot_be_a_review_and_counts_it():
    bad = [Check(START, None, 4), Check(datetime(2026, 3, 1), 4, 4), Check(float("nan"), 4, 4),
           Check(START, 9, 4), Check(START, 1, 0), Check("yesterday", 1, 4)]
    done = rebuild(KEY, bad + CHECKS, EXAM, tz=UTC)
    assert done.skipped == len(bad) and done.card == rebuild(KEY, CHECKS, EXAM, tz=UTC).card
    assert rebuild(KEY, bad, EXAM) == Rebuilt(None, (), len(bad))


def test_a_check_stamped_after_now_counts_as_now():
    now = START + timedelta(days=5)
    ahead = [Check(START, 4, 4), Check(START + timedelta(days=400), 0, 4)]
    done = rebuild(KEY, ahead, EXAM, now=now, tz=UTC)
    assert card(done.card).last_review == now


def test_a_clock_moved_backwards_reviews_at_the_last_review_without_raising():
    text = history(exam=EXAM)
    last = card(text).last_review
    back, log = review(text, Rating.Good, last - timedelta(days=3), EXAM, tz=UTC)
    assert card(back).last_review == last == ReviewLog.from_json(log).review_datetime
    assert card(back).due >= last
    # and a history whose check times go backwards replays in time order
    checks = [Check(START + timedelta(days=5), 4, 4), Check(START, 0, 4), Check(START + timedelta(days=1), 2, 4)]
    assert rebuild(KEY, checks, EXAM).skipped == 0


MALFORMED = [
    "{", "", "null", "[]", '"card"', "{}", '{"card_id": 1}',
    json.dumps(dict(json.loads(history(exam=None)), stability=float("nan"))),
    json.dumps(dict(json.loads(history(exam=None)), difficulty=99)),
    json.dumps(dict(json.loads(history(exam=None)), state=9)),
    json.dumps(dict(json.loads(history(exam=None)), due="2026-03-05T10:00:00")),  # no time zone
    json.dumps(dict(json.loads(history(exam=None)), due="next week")),
    json.dumps(dict(json.loads(history(exam=None)), stability=None)),  # a Review card needs one
    json.dumps(dict(json.loads(history(exam=None)), card_id="six")),
]


@pytest.mark.parametrize("row", MALFORMED)
def test_a_malformed_row_is_rebuilt_from_the_checks_with_a_notice(row):
    now = START + timedelta(days=20)
    good = history(key=(9, "a"), exam=EXAM)
    loaded = load_cards({KEY: row, (9, "a"): good}, {KEY: CHECKS}, now, EXAM, tz=UTC)
    assert loaded.cards[KEY] == rebuild(KEY, CHECKS, EXAM, tz=UTC).card
    assert loaded.cards[(9, "a")] == good and (9, "a") not in loaded.rebuilt
    assert len(loaded.notices) == 1 and "6(e)" in loaded.notices[0] and "rebuilt from 5 checked answers" in loaded.notices[0]
    # and the queue and the readiness work on what it returns
    due_queue(loaded.cards, now, tz=UTC)
    expected_score(loaded.cards, {KEY: 4, (9, "a"): 3}, EXAM, tz=UTC)


def test_a_malformed_row_without_checks_is_dropped_with_a_notice():
    loaded = load_cards({KEY: "{"}, {}, START, EXAM)
    assert loaded.cards == {} and loaded.rebuilt[KEY].card is None
    assert "6(e)" in loaded.notices[0] and "starts again" in loaded.notices[0]


def test_a_card_from_the_future_is_rebuilt_with_a_notice_about_the_clock():
    future = history(start=START + timedelta(days=300), exam=None)
    now = START + timedelta(days=10)
    loaded = load_cards({KEY: future}, {KEY: [Check(START + timedelta(days=300), 4, 4)]}, now, EXAM, tz=UTC)
    assert card(loaded.cards[KEY]).last_review == now
    assert "clock has moved backwards" in loaded.notices[0]
    # a few minutes of skew between two machines is not a moved clock
    skew = history(start=START, grades=(3,), exam=None)
    assert load_cards({KEY: skew}, {}, START - timedelta(minutes=5), EXAM).notices == []


def test_parts_with_checks_but_no_card_get_one_silently():
    loaded = load_cards({}, {KEY: CHECKS, (1, "a"): [Check(START, None, 1)]}, START + timedelta(days=20), EXAM, tz=UTC)
    assert set(loaded.cards) == {KEY} and loaded.notices == []
    assert loaded.rebuilt[KEY].card == loaded.cards[KEY]


def test_a_new_exam_date_replans_from_the_logs():
    logs = []
    text = None
    for check in CHECKS:
        text, log = review_check(text, check, None, key=KEY)
        logs.append(log)
    later_exam = EXAM + timedelta(days=-45)
    direct = None
    for check in CHECKS:
        direct, _ = review_check(direct, check, later_exam, key=KEY, tz=UTC)
    done = replan(KEY, logs + ["{", '{"card_id": 1}'], later_exam, tz=UTC)
    assert done.card == direct and done.skipped == 2


# -- the readiness block of `progress --json` ------------------------------------------------------


def test_the_review_block_is_json_and_agrees_with_its_parts():
    now = START + timedelta(days=4)
    points = {KEY: 4.0, (9, "a"): 3.0, (1, "a"): 1.0}
    cards = {KEY: history(grades=(1,), exam=EXAM), (9, "a"): history(key=(9, "a"), exam=EXAM)}
    block = json.loads(json.dumps(review_block(cards, points, now, EXAM, tz=UTC)))
    readiness = expected_score(cards, points, EXAM, tz=UTC)
    assert block["exam_date"] == "2026-05-04" and block["days_left"] == (EXAM - now.date()).days
    assert block["due_today"] == len(due_queue(cards, now, tz=UTC)) == 1
    assert block["expected_score"] == round(readiness.expected, 2) and block["expected_out_of"] == 7.0
    assert block["unknown_parts"] == [{"question": 1, "part": "a", "points": 1.0}]
    assert [(c["question"], c["part"]) for c in block["cards"]] == [(6, "e"), (9, "a")]
    first = block["cards"][0]
    assert first["due"] == card(cards[KEY]).due.isoformat() and first["stability"] == card(cards[KEY]).stability
    assert first["retrievability_on_exam_day"] == retrievability_on(cards[KEY], EXAM, tz=UTC)
    without = review_block(cards, points, now, None, tz=UTC)
    assert without["exam_date"] is None and without["expected_score"] is None and without["unknown_parts"] == []


# -- the exam date ---------------------------------------------------------------------------------

TODAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    "text, want",
    [("2026-05-04", date(2026, 5, 4)), ("  2026-5-4 ", date(2026, 5, 4)), ("2026-03-02", TODAY),
     ("2028-03-02", date(2028, 3, 2)), ("2028-02-29", date(2028, 2, 29))],
)
def test_exam_dates_as_typed(text, want):
    assert parse_exam_date(text, TODAY) == want


@pytest.mark.parametrize(
    "text, message",
    [("2026-13-01", "there is no month 13"), ("2026-00-10", "there is no month 0"),
     ("2026-02-30", "2026-02 has no day 30"), ("2027-02-29", "2027-02 has no day 29"),
     ("2026-03-01", "has passed (today is 2026-03-02)"), ("2025-12-24", "has passed"),
     ("2028-03-03", "more than 2 years away"), ("2062-05-04", "more than 2 years away"),
     ("04/05/2026", "not a date as YYYY-MM-DD"), ("2026/05/04", "not a date as YYYY-MM-DD"),
     ("", "no date given"), ("tomorrow", "not a date"), ("2026-05-04T09:00", "not a date"),
     ("20260504", "not a date"), ("2026-W19-1", "not a date"), ("２０２６-05-04", "not a date"),
     ("0000-01-01", "has no day"), ("-2026-05-04", "not a date")],
)
def test_bad_exam_dates_say_why(text, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_exam_date(text, TODAY)


def test_two_years_from_a_leap_day():
    assert parse_exam_date("2030-02-28", date(2028, 2, 29)) == date(2030, 2, 28)
    with pytest.raises(ValueError, match="years away"):
        parse_exam_date("2030-03-01", date(2028, 2, 29))


# -- start-up cost ---------------------------------------------------------------------------------


def loaded_modules(code: str) -> set[str]:
    check = f"{code}\nimport sys\nprint(','.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.strip().split(","))


def test_importing_review_and_parsing_a_date_do_not_import_fsrs():
    code = ("import datetime, tutor.review, tutor.readiness\nfrom tutor.exam_day import parse_exam_date\n"
            "parse_exam_date('2099-01-01', datetime.date(2098, 6, 1))")
    assert "fsrs" not in loaded_modules(code)
    # and a review needs nothing of the UI, the store or the solver
    used = loaded_modules("from tutor.review import review\nreview(None, 3, 0.0, None, key=(1, 'a'))")
    assert "fsrs" in used and not used & {"textual", "sqlite3", "numpy", "sympy", "rich"}


def test_the_first_screen_does_not_import_fsrs():
    # a guard for the wiring: the due count and expected score may arrive after the first frame
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
    assert "fsrs" not in loaded_modules(code)
