"""The command line `itm528-tutor`: starts the app or runs a subcommand.

Parsing and dispatch only. Heavy modules (Textual, numpy, sympy) are imported inside the command that
needs them, so `--version` and a usage error stay instant. Exit status: 0 success, 1 a failed check
or an impossible action, 2 bad usage (argparse's own convention).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from tutor import __version__

if TYPE_CHECKING:  # the exam and the store load only for the commands that need them
    import argparse  # (and argparse only when there are arguments to parse)

    from tutor.exam import Exam
    from tutor.progress import ProgressStore


def _bad_value(message: str) -> Exception:
    """argparse's error for a value an option cannot take (argparse is loaded only to parse arguments)."""
    import argparse

    return argparse.ArgumentTypeError(message)


def _shown(text: str) -> str:
    """What was typed, quoted, and cut short if long: a message never repeats 5,000 characters."""
    return repr(text if len(text) <= 20 else text[:20] + "…")


def _question_number(text: str) -> int:
    from tutor.content_schema import MAX_QUESTION_NUMBER

    whole = re.fullmatch(r"\s*([+-]?)0*([0-9]+)\s*", text)
    if whole is None:
        raise _bad_value(f"{_shown(text)} is not a question number")
    # counted before int() reads them: 5,000 digits are out of range, not Python's digit limit
    number = int(whole[1] + whole[2]) if len(whole[2]) <= len(str(MAX_QUESTION_NUMBER)) else None
    if number is None or not 1 <= number <= MAX_QUESTION_NUMBER:
        raise _bad_value(f"question numbers run from 1 to {MAX_QUESTION_NUMBER}, not {_shown(text)}")
    return number


def _seed(text: str) -> int:
    from tutor.practice import parse_seed

    try:
        return parse_seed(text)
    except ValueError as error:
        raise _bad_value(str(error)) from None


def _folder(text: str) -> str:
    """A folder's name as given: not empty (that names no folder, and used to mean the default)."""
    if not text.strip():
        raise _bad_value("is empty: name a folder, or leave the option out")
    if "\0" in text:
        raise _bad_value(f"{_shown(text)} holds a NUL character, which no folder name can")
    return text


def _exam_date(text: str):
    from datetime import date

    from tutor.exam_day import parse_exam_date

    try:
        return parse_exam_date(text, date.today())
    except ValueError as error:
        raise _bad_value(str(error)) from None


def _practice_usage(args: argparse.Namespace) -> str | None:
    """Why --seed cannot be used as given, or None: it needs --question N of a question with practice."""
    if args.seed is None:
        return None
    from tutor.practice.catalog import practice_questions  # no numpy: lists the templates of --content

    with_practice = practice_questions(args.content or None)
    numbers = ", ".join(map(str, with_practice))
    if args.question is None:
        return f"--seed opens a practice problem and needs --question N, one of {numbers}"
    if args.question not in with_practice:
        return f"question {args.question} has no practice, so --seed does not apply (practice: {numbers})"
    return None


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="itm528-tutor",
        description="A terminal tutor for the ITM 528 Deep Learning exam.",
    )
    parser.add_argument("--version", action="version", version=f"itm528-tutor {__version__}")
    parser.add_argument("--question", type=_question_number, metavar="N", help="open the app at question N")
    parser.add_argument("--seed", type=_seed, metavar="S",
                        help="with --question N: practise question N with the numbers drawn from seed S "
                             "(0 to 2**63 - 1)")
    parser.add_argument("--data-dir", type=_folder, metavar="DIR",
                        help="keep progress in DIR (also $ITM528_TUTOR_DATA_DIR)")
    parser.add_argument("--content", type=_folder, metavar="DIR", help="another exam written in the same format")
    parser.add_argument("--exam-date", type=_exam_date, metavar="YYYY-MM-DD",
                        help="the day of your exam (stored): reviews are planned toward it")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = sub.add_parser("check", help="validate the content and prove each numeric answer with the solver")
    check.add_argument("--json", action="store_true", help="print the exam's outline as JSON")
    progress = sub.add_parser("progress", help="scores per question and attempt")
    progress.add_argument("--json", action="store_true", help="print the attempts as JSON")
    reset = sub.add_parser("reset", help="forget all progress (asks first unless --yes)")
    reset.add_argument("--yes", action="store_true", help="do not ask")
    review = sub.add_parser("review", help="the app on today's review queue (weakest memory first)")
    review.add_argument("--list", action="store_true", help="print today's queue instead")
    for command in (check, progress, reset, review):
        # Accept the global options after the subcommand too: `itm528-tutor check --content DIR`.
        command.add_argument("--content", dest="sub_content", type=_folder, metavar="DIR", help=argparse.SUPPRESS)
        command.add_argument("--data-dir", dest="sub_data_dir", type=_folder, metavar="DIR", help=argparse.SUPPRESS)
        command.add_argument("--exam-date", dest="sub_exam_date", type=_exam_date, metavar="YYYY-MM-DD",
                             help=argparse.SUPPRESS)
    return parser


def _fail(message: str, status: int = 1) -> int:
    print(f"itm528-tutor: {message}", file=sys.stderr)
    return status


def _load_exam(content: str | None, data_dir: str | None = None):
    """The exam of `content` (unproven), or its problems; read through the content cache of the
    progress folder (tutor.exam.cache), so a start parses no TOML when nothing changed."""
    from tutor.exam import ContentError, load_exam
    from tutor.paths import data_dir as progress_folder

    from pathlib import Path

    try:
        return load_exam(Path(content) if content else None, prove=False, cache=progress_folder(data_dir)), None
    except ContentError as error:
        return None, error.problems


def _run_app(args: argparse.Namespace) -> int:
    # Bad usage is found before the terminal is asked for, so it is 2 with or without one.
    if usage := _practice_usage(args):
        return _fail(usage, 2)
    exam, problems = _load_exam(args.content, args.data_dir)
    if problems:
        for line in problems:
            print(line, file=sys.stderr)
        return _fail("the content has problems; `itm528-tutor check` lists them")
    if args.question is not None and not any(q.number == args.question for q in exam.questions):
        numbers = ", ".join(str(q.number) for q in exam.questions)
        return _fail(f"there is no question {args.question}; the exam has {numbers}", 2)
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        return _fail("needs a terminal: run it in a terminal, or use a subcommand (see --help)")
    from tutor.app import make_app

    app = make_app(content_dir=args.content, data_dir=args.data_dir, question=args.question, seed=args.seed,
                   exam=exam, exam_date=args.exam_date,  # the exam loaded above: not a second time
                   review=args.command == "review")
    app.run()
    return app.return_code or 0


def _run_check(args: argparse.Namespace) -> int:
    from tutor.check import run_check

    return run_check(args.content, as_json=args.json)


def _open_store(args: argparse.Namespace, exam=None):
    from tutor.progress import NotSaved, ProgressStore

    store = ProgressStore.open(args.data_dir)
    if exam is not None:
        from tutor.scoreboard import Paper

        store.derivations = Paper.of(exam).self_marked
    if getattr(args, "exam_date", None) is not None:
        try:
            store.set_exam_date(args.exam_date)
        except NotSaved as exc:
            store.notices.append(f"the exam date was not stored: {exc}")
    return store


@contextmanager
def _exam_and_store(args: argparse.Namespace) -> Iterator[tuple[Exam, ProgressStore] | None]:
    """The exam and the store opened for a report command, the store's notices said on stderr and
    the store closed after; None (after saying so) when the content has problems."""
    exam, problems = _load_exam(args.content, args.data_dir)
    if problems:
        _fail("the content has problems; `itm528-tutor check` lists them")
        yield None
        return
    store = _open_store(args, exam)
    try:
        for notice in store.notices:
            print(f"itm528-tutor: {notice}", file=sys.stderr)
        yield exam, store
    finally:
        store.close()


def _run_progress(args: argparse.Namespace) -> int:
    from tutor.report import print_progress
    from tutor.scoreboard import Paper

    with _exam_and_store(args) as opened:
        if opened is None:
            return 1
        exam, store = opened
        points = {q.number: q.points for q in exam.questions}
        parts = Paper.of(exam).part_points
        if store.saving:
            return print_progress(store, points, exam.total, exam.weight, as_json=args.json, parts=parts)
        # Not the progress file (refused, not to be made, newer, or not writable): the notices say why.
        if store.attempts():  # a file that cannot be written, shown from the copy read of it
            print_progress(store, points, exam.total, exam.weight, as_json=args.json, parts=parts)
        return 1


def _run_review(args: argparse.Namespace) -> int:
    if not args.list:
        return _run_app(args)
    from tutor.report import print_review_list
    from tutor.scoreboard import Paper

    with _exam_and_store(args) as opened:
        if opened is None:
            return 1
        exam, store = opened
        return print_review_list(store, Paper.of(exam).part_points, {q.number: q.title for q in exam.questions})


def _run_reset(args: argparse.Namespace) -> int:
    from tutor.report import run_reset

    store = _open_store(args)
    try:
        for notice in store.notices:
            print(f"itm528-tutor: {notice}", file=sys.stderr)
        return run_reset(store, args.yes)
    finally:
        store.close()


COMMANDS = {None: _run_app, "check": _run_check, "progress": _run_progress, "reset": _run_reset,
            "review": _run_review}


# What `itm528-tutor` with no arguments parses to (tests/test_cli_fast_path.py checks it against the
# parser): the commonest start, a student's, then needs neither argparse nor the parser (4-5 ms).
NO_ARGUMENTS = {"question": None, "seed": None, "data_dir": None, "content": None, "exam_date": None,
                "command": None}


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv:
        args = build_parser().parse_args(argv)
    else:
        from types import SimpleNamespace

        args = SimpleNamespace(**NO_ARGUMENTS)
    args.content = getattr(args, "sub_content", None) or args.content
    args.data_dir = getattr(args, "sub_data_dir", None) or args.data_dir
    args.exam_date = getattr(args, "sub_exam_date", None) or args.exam_date
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`itm528-tutor check --json | head`): leave quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
