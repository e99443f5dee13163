"""The `progress` and `reset` commands' output: scores per attempt as a rich table or JSON, and a reset
that asks first. No Textual; rich is imported inside the function that prints the table.

The exam's facts (points per question, total, weight) come from the caller, never from the content
here, so another exam (`--content DIR`) is reported the same way.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tutor.progress import ProgressStore


def _iso(stamp: float | None) -> str | None:
    if stamp is None:
        return None
    return datetime.fromtimestamp(stamp).astimezone().isoformat(timespec="seconds")


def _num(value: float | None) -> str:
    return "–" if value is None else f"{round(value, 2):g}"


def _summary(board: Any) -> dict:
    """The exam's questions with their scores (None when nothing was checked), the total and its weight."""
    questions = {row.number: row.score for row in board.rows}
    return {"questions": questions, "total": round(board.total, 4), "weighted": board.weighted}


def _best(board: Any) -> dict:
    return {"questions": {row.number: row.best for row in board.rows}, "total": round(board.best_total, 4),
            "weighted": board.best_weighted}


def print_progress(
    store: ProgressStore,
    exam_points: Mapping[int, float],
    total: float,
    weight: float,
    as_json: bool = False,
    out: IO[str] | None = None,
    parts: Mapping[tuple[int, str], float] | None = None,
    now: float | None = None,
) -> int:
    """Print every attempt's scores per question, its total out of `total` and weighted to the course
    (`weight` is the exam's share, e.g. 0.35), then the best per question; with `parts` (each part's
    points), spaced review too: the JSON's `review` block, or the readiness line. Returns the exit status."""
    if total <= 0 or not 0 < weight <= 1:
        raise ValueError(f"total must be positive and weight a share in (0, 1], not {total} and {weight}")
    from tutor.scoreboard import Paper, history

    out = sys.stdout if out is None else out
    boards = history(store, Paper(exam_points, total, weight))
    rows = []
    for board in boards:
        attempt = board.attempt
        row = {"number": attempt.number, "mode": attempt.mode, "started_at": _iso(attempt.started_at)}
        row["submitted_at"] = _iso(attempt.submitted_at)
        row |= _summary(board)
        row["to_mark"] = board.marks_due  # the grader was unsure: checked, not counted until marked
        rows.append((attempt, row))
    best = _best(boards[-1]) if boards else {"questions": dict.fromkeys(sorted(exam_points)), "total": 0.0,
                                              "weighted": 0.0}
    if as_json:
        data = {
            "attempts": [_json_row(row) for _, row in rows],
            "best": {str(n): s for n, s in best["questions"].items()},
            "best_total": best["total"],
            "best_weighted": best["weighted"],
        }
        if parts is not None:
            from tutor.readiness import review_block

            state = store.review_state(now)
            _say_notices(state.notices)
            data["review"] = review_block(state.cards, parts, state_now(now), state.exam_date)
        print(json.dumps(data, indent=2), file=out)
        return 0
    _print_table(rows, best, exam_points, total, weight, store, out)
    if parts is not None:
        from tutor.readiness import readiness_line

        state = store.review_state(now)
        _say_notices(state.notices)
        print(readiness_line(state.cards, parts, state_now(now), state.exam_date), file=out)
    return 0


def state_now(now: float | None) -> float:
    import time

    return time.time() if now is None else now


def _say_notices(notices: list[str]) -> None:
    for notice in notices:
        print(f"itm528-tutor: {notice}", file=sys.stderr)


def print_review_list(
    store: ProgressStore, parts: Mapping[tuple[int, str], float], titles: Mapping[int, str],
    out: IO[str] | None = None, now: float | None = None,
) -> int:
    """`review --list`: today's queue, weakest memory first: the part, when it came due, recall now
    (fsrs's retrievability, as %) and the question's title; "Nothing is due today." when empty."""
    from tutor.exam_day import local_day
    from tutor.readiness import due_queue, readiness_line
    from tutor.review import part_name

    out = sys.stdout if out is None else out
    at = state_now(now)
    state = store.review_state(at)
    _say_notices(state.notices)
    cards = {k: v for k, v in state.cards.items() if k in parts}
    print(readiness_line(cards, parts, at, state.exam_date), file=out)
    queue = due_queue(cards, at)
    if not queue:
        print("Nothing is due today.", file=out)
        return 0
    today = local_day(at)
    for n, due in enumerate(queue, 1):
        day = local_day(due.due)
        when = "today" if day == today else f"since {day.strftime('%d %b')}"
        print(f"{n:>2}. {part_name(due.key):<6} due {when:<13} recall now {due.retrievability * 100:>3.0f} %"
              f"  {titles.get(due.key[0], '')}", file=out)
    print("Start it with `itm528-tutor review` (or v in the app).", file=out)
    return 0


def _json_row(row: dict) -> dict:
    return row | {"questions": {str(n): s for n, s in row["questions"].items()}}


def _print_table(rows, best, exam_points, total, weight, store, out) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, highlight=False)
    where = store.path if store.saving else "memory only: nothing is saved"
    if not rows:
        console.print(f"No attempts yet ({where}).")
        return
    # Fits 80 columns with the exam's ten questions: one space between columns, short headers.
    table = Table(
        title="Progress", caption=str(where), box=box.SIMPLE_HEAD, padding=0, show_edge=False, pad_edge=False
    )
    table.add_column("#", justify="right")
    table.add_column("mode")
    table.add_column("date")
    for number in sorted(exam_points):
        table.add_column(f"Q{number}\n/{exam_points[number]:g}", justify="right")
    table.add_column(f"total\n/{total:g}", justify="right", style="bold")
    table.add_column(f"grade\n/{weight * 100:g}", justify="right", style="bold")
    for attempt, row in rows:
        date = datetime.fromtimestamp(attempt.started_at).strftime("%d %b")
        cells = [_num(s) for s in row["questions"].values()]
        table.add_row(str(attempt.number), attempt.mode, date, *cells, _num(row["total"]), f"{row['weighted']:.2f}")
    table.add_section()
    cells = [_num(s) for s in best["questions"].values()]
    table.add_row("", "best", "", *cells, _num(best["total"]), f"{best['weighted']:.2f}", style="green")
    console.print(table)
    for attempt, row in rows:
        if row["to_mark"]:
            console.print(f"~ Attempt {attempt.number}: {', '.join(row['to_mark'])} to mark (the grader was "
                          "unsure; not counted until you mark them: results in the app, m)")


def run_reset(
    store: ProgressStore,
    yes: bool,
    input: Callable[[str], str] = input,
    out: IO[str] | None = None,
    err: IO[str] | None = None,
) -> int:
    """Forget all progress, after asking unless `yes`. 0 when reset, 1 when declined or impossible,
    2 when it would have to ask but there is no terminal to ask on."""
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    if not store.saving:
        print("itm528-tutor: progress is not being saved here, so there is nothing to reset", file=err)
        return 1
    if not yes:
        if sys.stdin is None or not sys.stdin.isatty():
            print("itm528-tutor: reset needs --yes when there is no terminal", file=err)
            return 2
        try:
            answer = input(f"Forget all progress in {store.path}? [y/N] ")
        except EOFError:
            answer = ""
            print(file=out)
        if answer.strip().lower() not in ("y", "yes"):
            print("itm528-tutor: nothing was reset", file=err)
            return 1
    from tutor.progress import NotSaved

    try:
        store.reset()
    except NotSaved as exc:  # locked by another session, a full disk, a read-only file
        print(f"itm528-tutor: nothing was reset: {exc}", file=err)
        return 1
    print(f"Forgot all progress in {store.path}.", file=out)
    _mention_kept_files(store, out)
    return 0


def _mention_kept_files(store: Any, out: IO[str]) -> None:
    """Backups and moved-aside files are the student's to delete; say that they are still there."""
    folder, name = store.path.parent, store.path.name
    kept = sorted(p.name for p in folder.glob(f"{name}.*") if not p.name.endswith(("-wal", "-shm", "-journal")))
    if kept:
        print(f"Kept in {folder}: {', '.join(kept)} (older copies; delete them to forget those too).", file=out)
