"""Benchmark: the tutor against a bare Textual app, started the same way in an 80x24 pseudo-terminal.

    python benchmarks/run.py [--runs 7] [--keys 200] [--only startup,memory,keys] [--colors 256]
                             [--json | --markdown]

Needs only the tutor (installed, or this checkout) with its Textual, and the standard library.
Measures, side by side with `benchmarks/bare_app.py` (Header, Footer, one Input), both with
animations off (no cursor blink):
- time from launch to the first screen complete on the terminal (median of --runs launches, after
  one launch of each that is not counted);
- peak memory (VmHWM) at the first screen, and after opening every question with every worked step
  shown (the sympy derivations of questions 2 and 4 included), then the results and the help;
- keystroke to repaint and bytes written per keystroke in the pooling editor (question 8), the
  forward-pass editor (question 5) and on a step reveal (question 8), over at least --keys keys,
  beside the bare app's Input.

Keystroke to repaint runs from writing the key to the arrival of the last byte that changed what
the terminal shows (characters or attributes). When a key changes a widget's size, Textual sends
the same frame a second time a frame later; it changes nothing on the screen, so it does not count
as later, but its bytes do count. The time to the last byte of all is reported too.

Every scenario proves its keys worked by reading the screen (a tiny VT parser, `vt.py`): the cells
hold the typed numbers, the solver's results follow, the steps are shown; the step positions of the
memory run are read back from the progress store. Timings are never asserted in the test suite;
this is run by hand and in review (see docs/PERFORMANCE.md).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from pty_driver import PtyProgram  # noqa: E402
from report import machine, print_markdown, print_text, quantile  # noqa: E402
from vt import Screen  # noqa: E402

try:  # installed (pip install .), or else this checkout: the tutor beside the benchmarks
    import tutor  # noqa: F401

    CHECKOUT_ENV: dict[str, str] = {}
except ImportError:
    sys.path.insert(0, str(HERE.parent))
    CHECKOUT_ENV = {"PYTHONPATH": os.pathsep.join(filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH")]))}

BARE = [sys.executable, str(HERE / "bare_app.py")]
TUTOR = [sys.executable, "-m", "tutor"]
BASE_ENV = {"ITM528_TUTOR_NO_ANIMATION": "1", **CHECKOUT_ENV}  # the same for both apps
COLS, ROWS = 80, 24
TARGETS = {"startup": 1.25, "rss_first": 1.4, "rss_all": 2.5, "repaint_ms": 16.0, "bytes": 4096}
PARTS = ("startup", "memory", "keys")

# Keys as a terminal sends them.
RIGHT, LEFT, ENTER, TAB, SHIFT_TAB = b"\x1b[C", b"\x1b[D", b"\r", b"\t", b"\x1b[Z"
SPACE, BACKSPACE, ESCAPE = b" ", b"\x7f", b"\x1b"

Check = Callable[[str], bool]


def shows(*patterns: str) -> Check:
    """A check that every regular expression matches somewhere on the screen."""
    return lambda text: all(re.search(p, text) for p in patterns)


class Terminal(PtyProgram):
    """A program in a pty, and the screen its output draws (parsed chunk by chunk, on demand)."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        super().__init__(argv, cols=COLS, rows=ROWS, env=env)
        self.screen = Screen(COLS, ROWS)
        self.parsed = 0  # chunks fed to the screen so far

    def advance(self) -> list[tuple[float, bool]]:
        """Feed the chunks read since the last call; (arrival, did it change the screen) for each."""
        changes = []
        start = self.chunks[self.parsed - 1][1] if self.parsed else 0
        for arrived, end in self.chunks[self.parsed:]:
            before = self.screen.state()
            self.screen.feed(bytes(self.output[start:end]))
            changes.append((arrived, self.screen.state() != before))
            start = end
        self.parsed = len(self.chunks)
        return changes

    def text(self) -> str:
        self.advance()
        return self.screen.text()

    def wait_until(self, check: Check, timeout: float = 30.0, what: str = "") -> None:
        deadline = time.perf_counter() + timeout
        while not check(self.text()):
            ended = self.pid and os.waitpid(self.pid, os.WNOHANG)[0]
            if ended or time.perf_counter() > deadline:
                if ended:
                    self.pid = 0  # reaped: nothing to stop
                    self.settle(0.1, limit=1.0)
                raise RuntimeError(f"{what or 'the expected screen'} never showed; the screen:\n{self.text()}")
            self._read(0.05)


def launch(argv: list[str], data: Path) -> Terminal:
    term = Terminal(argv, {"ITM528_TUTOR_DATA_DIR": str(data)} | BASE_ENV)
    term.start()
    return term


# ---- startup and memory ----------------------------------------------------------------------------


@dataclass
class App:
    name: str
    argv: list[str]
    first_screen: Check  # the first screen is complete


def first_screen_time(term: Terminal, check: Check, timeout: float = 60.0) -> float:
    """Seconds from launch to the output chunk that completed the first screen.

    Output is read (with the time each chunk arrived) until the program pauses, and parsed only
    then, so the parsing never delays the reading and the time is the chunk's arrival.
    """
    screen, parsed, start = Screen(COLS, ROWS), 0, 0
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        term.settle(quiet=0.5, limit=timeout)
        for seconds, end in term.chunks[parsed:]:
            screen.feed(bytes(term.output[start:end]))
            start, parsed = end, parsed + 1
            if check(screen.text()):
                return seconds
        if os.waitpid(term.pid, os.WNOHANG)[0]:
            term.pid = 0
            break
    raise RuntimeError(f"{' '.join(term.argv)}: the first screen never completed:\n{screen.text()}")


def startups(apps: list[App], runs: int, data_root: Path) -> dict[str, tuple[list[float], list[int]]]:
    """Each app launched `runs` + 1 times, in turn (so a change of load on a shared machine falls on
    both alike); the first launch of each, which fills caches, is not counted. Per app: the seconds
    to the first screen and the peak RSS (VmHWM, KiB) there.

    The progress folder stays the same for every launch (a student's later start, not the first).
    """
    figures: dict[str, tuple[list[float], list[int]]] = {app.name: ([], []) for app in apps}
    for run in range(runs + 1):
        for app in apps:
            term = launch(app.argv, data_root / f"startup-{app.name}")
            try:
                seconds = first_screen_time(term, app.first_screen)
                if run:
                    figures[app.name][0].append(seconds)
                    figures[app.name][1].append(term.peak_rss_kib())
            finally:
                term.stop()
    return figures


def rss_after_everything(data_root: Path) -> tuple[int, str]:
    """Peak RSS (KiB) after every question with every step shown, then the results and the help.

    After each "a" (every step of the next reveal that is not complete) it waits until the progress
    store holds that part's step position: a sympy derivation is worked out in the background and
    stored once it is shown. Returns the figure and a note of what was verified.
    """
    from tutor.exam import load_exam  # in the benchmark's own process: which parts have steps
    from tutor.progress import ProgressStore

    exam = load_exam(prove=False)
    data = data_root / "everything"
    term = launch(TUTOR + ["--question", "1"], data)
    store = None
    shown = 0
    try:
        term.wait_until(shows(r"Question 1 · "), what="question 1")
        store = ProgressStore.open(data)

        def stored(number: int, label: str) -> bool:
            record = store.answers(store.current_attempt().id).get((number, label))
            return bool(record and record.steps_shown)

        for index, question in enumerate(exam.questions):
            term.wait_until(shows(rf"Question {question.number} · "), what=f"question {question.number}")
            term.settle(0.2)
            for part in question.parts:
                if part.steps:
                    term.keystroke(b"a", quiet=0.1)
                    deadline = time.perf_counter() + 60
                    while not stored(question.number, part.label):
                        if time.perf_counter() > deadline:
                            raise RuntimeError(f"the steps of {question.number}({part.label}) never showed")
                        term.settle(0.1)
                    shown += 1
            if index + 1 < len(exam.questions):
                term.keystroke(b"n", quiet=0.2)
        term.settle(0.3)
        term.keystroke(ESCAPE, quiet=0.3)  # the overview
        term.keystroke(b"s", quiet=0.3)
        term.wait_until(shows(r"Results of attempt"), what="the results")
        term.keystroke(ESCAPE, quiet=0.3)
        term.keystroke(b"?", quiet=0.3)
        term.wait_until(shows(r"— Help"), what="the help")
        term.settle(0.5)
        peak = term.peak_rss_kib()
    finally:
        term.stop()
        if store is not None:
            store.close()
    return peak, f"every step shown in all {shown} parts that have steps (read back from the store), then results and help"


# ---- keystrokes ------------------------------------------------------------------------------------


@dataclass
class Scenario:
    """Keys repeated at one spot of an app: `halves` are (keys, check of the screen after them)."""

    name: str
    argv: list[str]
    ready: Check
    setup: list[bytes]
    setup_check: Check
    halves: list[tuple[list[bytes], Check]]
    shown: list[float] = field(default_factory=list)  # seconds to the last byte that changed the screen
    last: list[float] = field(default_factory=list)  # seconds to the last byte
    written: list[int] = field(default_factory=list)
    keys: list[bytes] = field(default_factory=list)  # the key of each figure above
    silent: int = 0  # keys that drew nothing, or nothing different
    failed: list[str] = field(default_factory=list)  # checks that did not hold

    @property
    def cycle_length(self) -> int:
        return sum(len(keys) for keys, _ in self.halves)

    @property
    def ok(self) -> bool:
        return bool(self.shown) and not self.failed and not self.silent


# Pooling editor: type into input cells (1,1) and (1,2) and commit; the solver's output follows.
POOL_A = shows(r"1\s+9\s+8\s+2\s+4\s+→\s+1\s+9\s+8\b", r"max\(9, 8, 5, 6\) = 9")
POOL_B = shows(r"1\s+2\s+7\s+2\s+4\s+→\s+1\s+7\s+8\b", r"max\(2, 7, 5, 6\) = 7")
# Forward-pass editor: type both inputs; the network diagram's units and outputs follow.
FORWARD_A = shows(r"\b3\s+2\s+i₁", r"i₁ = 3\s+─▶ h₁ = 4\.5", r"o₁ = 1\.25", r"o₂ = −4\b")
FORWARD_B = shows(r"\b1\s+4\s+i₁", r"i₁ = 1\s+─▶ h₁ = 3\.5", r"o₁ = 0\.75", r"o₂ = −3\b")


def scenarios() -> list[Scenario]:
    return [
        Scenario(
            "bare app: Input", BARE, shows("type here"), [], shows("type here"),
            [([b"x"], lambda t: "type here" not in t and re.search(r"▊\s+x\s", t) is not None),
             ([BACKSPACE], shows("type here"))],
        ),
        Scenario(
            # tab: the answer, "work shown", the steps, then the input grid of the editor
            "pooling editor (q8)", TUTOR + ["--question", "8"], shows("Question 8 · "),
            [TAB] * 4, shows(r"input x \(4×4\)"),
            [([b"9", ENTER, RIGHT, b"8", ENTER, LEFT], POOL_A), ([b"2", ENTER, RIGHT, b"7", ENTER, LEFT], POOL_B)],
        ),
        Scenario(
            # shift+tab from the question: the activations picture, targets, layer 2's biases and
            # weights, layer 1's, inputs
            "forward-pass editor (q5)", TUTOR + ["--question", "5"], shows("Question 5 · "),
            [SHIFT_TAB] * 7, shows(r"inputs\s+weights"),
            [([b"3", ENTER, RIGHT, b"2", ENTER, LEFT], FORWARD_A), ([b"1", ENTER, RIGHT, b"4", ENTER, LEFT], FORWARD_B)],
        ),
        Scenario(
            # the question has the focus: space shows the next step, backspace hides the last
            "step reveal (q8)", TUTOR + ["--question", "8"], shows("Question 8 · "),
            [], shows(r"Worked steps hidden"),
            [([SPACE] * 4, shows(r"step 4 of 5", r"window \(row 2, col 2\)")),
             ([BACKSPACE] * 4, shows(r"Worked steps hidden"))],
        ),
    ]


def press(term: Terminal, scenario: Scenario, key: bytes) -> None:
    """One timed key: when its repaint last changed the screen, when its last byte came, how much."""
    term.advance()  # everything before the key is on the screen already
    sent = time.perf_counter() - term.started
    seconds, size = term.keystroke(key)
    changes = term.advance()  # parsed after the burst, so parsing never delays the reading
    changed = [arrived for arrived, change in changes if change]
    if seconds is None or not changed:
        scenario.silent += 1
        return
    scenario.shown.append(changed[-1] - sent)
    scenario.last.append(changes[-1][0] - sent)
    scenario.written.append(size)
    scenario.keys.append(key)


def run_keys(scenario: Scenario, count: int, data_root: Path) -> Scenario:
    """Press the scenario's cycle until at least `count` keys; check the screen after every half."""
    term = launch(scenario.argv, data_root / re.sub(r"\W+", "-", scenario.name))
    try:
        term.wait_until(scenario.ready, what=f"{scenario.name}: its first screen")
        term.settle(0.5)
        for key in scenario.setup:
            term.keystroke(key, quiet=0.2)
        term.settle(0.3)
        if not scenario.setup_check(term.text()):
            scenario.failed.append(f"after the setup keys:\n{term.text()}")
        for cycle in range(math.ceil(count / scenario.cycle_length)):
            for half, (keys, check) in enumerate(scenario.halves):
                for key in keys:
                    press(term, scenario, key)
                if not check(term.text()) and len(scenario.failed) < 3:
                    scenario.failed.append(f"cycle {cycle + 1}, half {half + 1}:\n{term.text()}")
    finally:
        term.stop()
    return scenario


# ---- the report ------------------------------------------------------------------------------------


KEY_NAMES = {RIGHT: "→", LEFT: "←", ENTER: "enter", TAB: "tab", SHIFT_TAB: "shift+tab", SPACE: "space",
             BACKSPACE: "backspace", ESCAPE: "escape"}


def by_key(s: Scenario) -> str:
    """Median repaint time and bytes for each kind of key (a digit, enter, an arrow...)."""
    kinds: dict[str, list[int]] = {}
    for index, key in enumerate(s.keys):
        name = KEY_NAMES.get(key, "digit" if key.isdigit() else key.decode(errors="replace"))
        kinds.setdefault(name, []).append(index)
    return ", ".join(
        f"{name} {statistics.median(s.shown[i] for i in found) * 1000:.0f} ms"
        f" / {statistics.median(s.written[i] for i in found):.0f} B"
        for name, found in kinds.items()
    )


def row(measure: str, tutor: float, bare: float, ratio: float | None, target: str, met: bool) -> dict:
    return dict(measure=measure, tutor=tutor, bare=bare, ratio=ratio, target=target, met=met)


def measure(options: argparse.Namespace) -> dict:
    from tutor.exam import load_exam

    data_root = Path(tempfile.mkdtemp(prefix="itm528-bench-"))
    last_title = load_exam(prove=False).questions[-1].title
    tutor = App("tutor", TUTOR, shows(r"so far · enter opens a question", re.escape(last_title), r"palette"))
    bare = App("bare", BARE, shows(r"Bare Textual", r"type here", r"palette"))
    report = {"machine": machine() | {"terminal": f"{COLS}×{ROWS} pty, TERM=xterm-256color, {options.colors} colours"},
              "rows": [], "notes": [], "raw": {}}
    rows, notes, raw = report["rows"], report["notes"], report["raw"]
    try:
        if "startup" in options.only or "memory" in options.only:
            runs = options.runs if "startup" in options.only else 1
            apps = [bare, tutor] if "startup" in options.only else [bare]
            figures = startups(apps, runs, data_root)
            bare_t, bare_rss = figures["bare"]
            bare_kib = statistics.median(bare_rss)
            raw["bare"] = {"startup_s": bare_t, "rss_kib": bare_rss}
        if "startup" in options.only:
            tutor_t, tutor_rss = figures["tutor"]
            raw["tutor"] = {"startup_s": tutor_t, "rss_kib": tutor_rss}
            bt, tt = statistics.median(bare_t), statistics.median(tutor_t)
            rows.append(row(f"time to first screen, s (median of {runs})", tt, bt, tt / bt,
                            f"≤ {TARGETS['startup']}× bare", tt / bt <= TARGETS["startup"]))
            tr = statistics.median(tutor_rss)
            rows.append(row("peak RSS at first screen, MiB", tr / 1024, bare_kib / 1024, tr / bare_kib,
                            f"≤ {TARGETS['rss_first']}× bare", tr / bare_kib <= TARGETS["rss_first"]))
        if "memory" in options.only:
            all_rss, note = rss_after_everything(data_root)
            notes.append(f"memory: {note}")
            rows.append(row("peak RSS after every question, step, results, help, MiB", all_rss / 1024,
                            bare_kib / 1024, all_rss / bare_kib, f"≤ {TARGETS['rss_all']}× bare",
                            all_rss / bare_kib <= TARGETS["rss_all"]))
        if "keys" in options.only:
            bare_keys, *editors = [run_keys(s, options.keys, data_root) for s in scenarios()]
            b_ms = statistics.median(bare_keys.shown) * 1000
            b_bytes = statistics.median(bare_keys.written)
            for s in [bare_keys, *editors]:
                if s.ok:
                    notes.append(f"{s.name}: {len(s.shown)} keys, each changed the screen; every check held;"
                                 f" by key: {by_key(s)}")
                else:
                    notes.append(f"{s.name}: {s.silent} keys changed nothing; {len(s.failed)} checks failed")
                    notes.extend("  " + failure.replace("\n", "\n  ") for failure in s.failed)
                raw[s.name] = {"shown_s": s.shown, "last_s": s.last, "bytes": s.written}
            for s in editors:
                ms = statistics.median(s.shown) * 1000
                p90, last = quantile(s.shown, 0.9) * 1000, statistics.median(s.last) * 1000
                rows.append(row(f"{s.name}: key → repaint, ms (p90 {p90:.0f}, last byte {last:.0f})", ms,
                                b_ms, None, f"≤ {TARGETS['repaint_ms']:g} ms",
                                s.ok and ms <= TARGETS["repaint_ms"]))
                size = statistics.median(s.written)
                rows.append(row(f"{s.name}: bytes per key (max {max(s.written)})", size, b_bytes, None,
                                f"≤ {TARGETS['bytes']} B", s.ok and size <= TARGETS["bytes"]))
            notes.append(
                f"bare Input: key → repaint {b_ms:.1f} ms (p90 {quantile(bare_keys.shown, 0.9) * 1000:.1f},"
                f" last byte {statistics.median(bare_keys.last) * 1000:.1f}), {b_bytes:g} bytes per key"
            )
    finally:
        shutil.rmtree(data_root, ignore_errors=True)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="launches per app for the startup median")
    parser.add_argument("--keys", type=int, default=200, help="keystrokes per scenario, at least")
    parser.add_argument("--colors", choices=("truecolor", "256"), default="truecolor",
                        help="the terminal's colours: truecolor (COLORTERM set, the default), or 256, as over an"
                             " SSH link that does not pass COLORTERM on")
    parser.add_argument("--only", default=",".join(PARTS),
                        help=f"comma-separated parts to run, of {', '.join(PARTS)} (default: all)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the figures as JSON")
    output.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    options = parser.parse_args()
    options.only = {part.strip() for part in options.only.split(",")}
    if options.colors == "256":
        BASE_ENV["COLORTERM"] = ""  # Textual then draws with the 256 colours of TERM=xterm-256color
    if not options.only <= set(PARTS):
        parser.error(f"--only takes {', '.join(PARTS)}")
    report = measure(options)
    if options.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    elif options.markdown:
        print_markdown(report)
    else:
        print_text(report)
    # 1 when some keys did not do what they should: those figures would be of something else
    return 1 if any("checks failed" in note for note in report["notes"]) else 0


if __name__ == "__main__":
    sys.exit(main())
