"""Benchmark: the tutor against a bare Textual app, started the same way in an 80x24 pseudo-terminal.

    python benchmarks/run.py [--runs 7] [--keys 200] [--idle 5] [--only startup,memory,keys,idle]
                             [--colors 256] [--json | --markdown]

Needs the tutor (installed, or this checkout) with its Textual, and pyte (the test extra has it: a
maintained VT emulator that reads the screen). Measures, side by side with `benchmarks/bare_app.py`
(Header, Footer, one Input), both with animations off (no cursor blink):
- time from launch to the first screen complete on the terminal (median of --runs launches of each
  app, alternated, after one launch of each that is not counted and that leaves the tutor's
  content cache, as a student's first start does; the tutor's bytecode compiled first, as an
  install does), and the peak memory (VmHWM) there;
- peak memory after opening every question with every worked step shown (the sympy derivations
  included), then the results and the help;
- key → repaint (median and p90) and bytes per key in the pooling editor (question 8), the
  forward-pass editor (question 5), each calculator (questions 4, 6, 7, 9) and on a step reveal
  (question 8), over at least --keys keys, beside the bare app's Input;
- idle: % of a core and bytes written over --idle seconds on every screen (--idle 60 for the
  issue's minute), beside the bare app; and from the figures how many students a 2-core, 24 GiB
  server holds.

Prints the machine, the table (each figure, the bare app's beside it, the target, met or not) and
notes, then exits 1 if any target is not met or any scenario's keys did not do what they should
(checked on the screen). The targets and their judgement are `targets.py`. Timings are never
asserted in the test suite; this is run by hand and in review (see docs/PERFORMANCE.md).
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
from report import machine, print_markdown, print_text  # noqa: E402
from screen import Screen  # noqa: E402
from targets import SERVER, all_met, capacity, judge  # noqa: E402

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
PARTS = ("startup", "memory", "keys", "idle")

# Keys as a terminal sends them.
RIGHT, LEFT, ENTER, TAB, SHIFT_TAB = b"\x1b[C", b"\x1b[D", b"\r", b"\t", b"\x1b[Z"
SPACE, BACKSPACE, ESCAPE, END = b" ", b"\x7f", b"\x1b", b"\x1b[F"

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

    def advance(self) -> list[tuple[float, bool, int]]:
        """Feed the chunks read since the last call; (arrival, did it change the screen, bytes) for each."""
        changes = []
        start = self.chunks[self.parsed - 1][1] if self.parsed else 0
        for arrived, end in self.chunks[self.parsed:]:
            before = self.screen.state()
            self.screen.feed(bytes(self.output[start:end]))
            changes.append((arrived, self.screen.state() != before, end - start))
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

    The progress folder stays the same for every launch (a student's later start, not the first):
    made before the uncounted launch, so that launch leaves the content cache (tutor.exam.cache)
    that a student's every later start finds there.
    """
    figures: dict[str, tuple[list[float], list[int]]] = {app.name: ([], []) for app in apps}
    for app in apps:
        (data_root / f"startup-{app.name}").mkdir(mode=0o700, exist_ok=True)
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
    peaks: list[str] = []
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
            term.settle(0.2)
            peaks.append(f"q{question.number} {term.peak_rss_kib() / 1024:.1f}")
            if index + 1 < len(exam.questions):
                term.keystroke(b"n", quiet=0.2)
        term.settle(0.3)
        term.keystroke(ESCAPE, quiet=0.3)  # the overview
        term.keystroke(b"s", quiet=0.3)
        term.wait_until(shows(r"Results of attempt"), what="the results")
        term.settle(0.3)
        peaks.append(f"results {term.peak_rss_kib() / 1024:.1f}")
        term.keystroke(ESCAPE, quiet=0.3)
        term.keystroke(b"?", quiet=0.3)
        term.wait_until(shows(r"— Help"), what="the help")
        term.settle(0.5)
        peak = term.peak_rss_kib()
        peaks.append(f"help {peak / 1024:.1f}")
    finally:
        term.stop()
        if store is not None:
            store.close()
    return peak, (f"every step shown in all {shown} parts that have steps (read back from the store), then results"
                  f" and help; peak RSS (MiB) after each: {', '.join(peaks)}")


# ---- keystrokes ------------------------------------------------------------------------------------


@dataclass
class Scenario:
    """Keys repeated at one spot of an app: `halves` are (keys, check of the screen after them)."""

    name: str
    kind: str  # "editor", "step" or "bare": which targets apply (targets.py)
    argv: list[str]
    ready: Check
    setup: list[bytes]
    setup_check: Check
    halves: list[tuple[list[bytes], Check]]
    cpu_s: float = 0.0  # the app's CPU over the timed keys
    sent: float = 0.0  # when the last key that drew was sent (seconds from the launch)
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


def row(*cells: str) -> str:
    """A grid row's numbers, each maybe in the cursor's [ ] (the cell under the cursor shows so)."""
    return r"\s+".join(rf"\[?{cell}\]?" for cell in cells)


# Pooling editor: type into input cells (1,1) and (1,2) and commit; the solver's output follows.
POOL_A = shows(row("1", "9", "8", "2", "4") + r"\s+→\s+" + row("1", "9", "8") + r"\b", r"max\(9, 8, 5, 6\) = 9")
POOL_B = shows(row("1", "2", "7", "2", "4") + r"\s+→\s+" + row("1", "7", "8") + r"\b", r"max\(2, 7, 5, 6\) = 7")
# Forward-pass editor: type both inputs; the network diagram's units and outputs follow.
FORWARD_A = shows(row("3", "2") + r"\s+i₁", r"i₁ = 3\s+─▶ h₁ = 4\.5", r"o₁ = 1\.25", r"o₂ = −4\b")
FORWARD_B = shows(row("1", "4") + r"\s+i₁", r"i₁ = 1\s+─▶ h₁ = 3\.5", r"o₁ = 0\.75", r"o₂ = −3\b")
# Calculators: a field's last digit replaced (the field's End, then backspace and a digit); the result
# lines follow the typed number. Between the two keys the field is empty or holds one digit less.
CONV_A = shows(r"input size n\s+9\b", r"convolution of n = 9:", r"\(9 \+ 2×1 − 3\)/1")
CONV_B = shows(r"input size n\s+6\b", r"convolution of n = 6:", r"\(6 \+ 2×1 − 3\)/1")
PARAMS_A = shows(r"out channels\s+68\b", r"3×3 conv, 32→68 channels = .* = 19,584")
PARAMS_B = shows(r"out channels\s+64\b", r"3×3 conv, 32→64 channels = .* = 18,432")
SOFTMAX_A = shows(r"label \(class number\)\s+3\b", r"∂l/∂o₃ = ŷ₃ − y₃ = 0\.1402 − 1 = −0\.8598")
SOFTMAX_B = shows(r"label \(class number\)\s+2\b", r"∂l/∂o₂ = ŷ₂ − y₂ = 0\.6285 − 1 = −0\.3715")
GRAD_A = shows(r"classes n_c\s+3\b", r"∂J/∂W₂\s+n_c×d_h = 3×4\s+3×4")
GRAD_B = shows(r"classes n_c\s+2\b", r"∂J/∂W₂\s+n_c×d_h = 2×4\s+2×4")


def calculator(name: str, question: int, back: int, ready: str, a: tuple[bytes, Check],
               b: tuple[bytes, Check]) -> Scenario:
    """A calculator's field reached by shift+tab ×`back` from the question; each half replaces its last
    digit (backspace, digit)."""
    return Scenario(
        name, "editor", TUTOR + ["--question", str(question)], shows(rf"Question {question} · "),
        [SHIFT_TAB] * back + [END], shows(ready),
        [([BACKSPACE, a[0]], a[1]), ([BACKSPACE, b[0]], b[1])],
    )


def scenarios() -> list[Scenario]:
    return [
        Scenario(
            "bare app: Input", "bare", BARE, shows("type here"), [], shows("type here"),
            [([b"x"], lambda t: "type here" not in t and re.search(r"▊\s+x\s", t) is not None),
             ([BACKSPACE], shows("type here"))],
        ),
        Scenario(
            # e: the live editor's first grid, the input, its cursor on the first cell
            "pooling editor (q8)", "editor", TUTOR + ["--question", "8"], shows("Question 8 · "),
            [b"e"], shows(r"input x \(4×4\)", r"live editor"),
            [([b"9", ENTER, RIGHT, b"8", ENTER, LEFT], POOL_A), ([b"2", ENTER, RIGHT, b"7", ENTER, LEFT], POOL_B)],
        ),
        Scenario(
            # e: the live editor's first grid, the inputs
            "forward-pass editor (q5)", "editor", TUTOR + ["--question", "5"], shows("Question 5 · "),
            [b"e"], shows(r"inputs\s+weights", r"live editor"),
            [([b"3", ENTER, RIGHT, b"2", ENTER, LEFT], FORWARD_A), ([b"1", ENTER, RIGHT, b"4", ENTER, LEFT], FORWARD_B)],
        ),
        # shift+tab from the question: the picture (questions 4 and 7), then the calculator's last field
        calculator("softmax calculator (q4)", 4, 3, r"label \(class number\)\s+2\b",
                   (b"3", SOFTMAX_A), (b"2", SOFTMAX_B)),
        calculator("gradients calculator (q6)", 6, 2, r"classes n_c\s+2\b", (b"3", GRAD_A), (b"2", GRAD_B)),
        calculator("output-size calculator (q7)", 7, 5, r"input size n\s+6\b", (b"9", CONV_A), (b"6", CONV_B)),
        calculator("parameters calculator (q9)", 9, 2, r"out channels\s+64\b", (b"8", PARAMS_A), (b"4", PARAMS_B)),
        Scenario(
            # the question has the focus: space shows the next step, backspace hides the last
            "step reveal (q8)", "step", TUTOR + ["--question", "8"], shows("Question 8 · "),
            [], shows(r"Worked steps (· )?hidden"),
            [([SPACE] * 4, shows(r"step 4 of 5", r"window \(row 2, col 2\)")),
             ([BACKSPACE] * 4, shows(r"Worked steps (· )?hidden"))],
        ),
    ]


def late_output(term: Terminal, scenario: Scenario) -> None:
    """Count what was read after the last key's burst for that key (see press)."""
    late = term.advance()
    if late and scenario.sent:
        changed = [arrived for arrived, change, _ in late if change]
        if changed:
            scenario.shown[-1] = max(scenario.shown[-1], changed[-1] - scenario.sent)
        scenario.last[-1] = max(scenario.last[-1], late[-1][0] - scenario.sent)
        scenario.written[-1] += sum(size for *_, size in late)


def press(term: Terminal, scenario: Scenario, key: bytes) -> None:
    """One timed key: when its repaint last changed the screen, when its last byte came, how much.

    Output that came after the previous key's burst had ended (a pause longer than the burst's quiet
    time, as a recompute reported a frame later) still belongs to that key: it is read and counted
    for it here, before this key is sent, so a late repaint never hides between two keys.
    """
    term.settle(quiet=0, limit=1)  # what has arrived since the previous key's burst
    late_output(term, scenario)
    sent = time.perf_counter() - term.started
    seconds, size = term.keystroke(key)
    changes = term.advance()  # parsed after the burst, so parsing never delays the reading
    changed = [arrived for arrived, change, _ in changes if change]
    if seconds is None or not changed:
        scenario.silent += 1
        scenario.sent = 0.0
        return
    scenario.sent = sent
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
        cpu = cpu_seconds(term.pid)
        for cycle in range(math.ceil(count / scenario.cycle_length)):
            for half, (keys, check) in enumerate(scenario.halves):
                for key in keys:
                    press(term, scenario, key)
                term.settle(0.25, limit=2)  # what comes now is still the last key's
                late_output(term, scenario)
                if not check(term.text()) and len(scenario.failed) < 3:
                    scenario.failed.append(f"cycle {cycle + 1}, half {half + 1}:\n{term.text()}")
        scenario.cpu_s = cpu_seconds(term.pid) - cpu
    finally:
        term.stop()
    return scenario


# ---- idle ------------------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """CPU time of the process so far, every thread, to the nanosecond (/proc/PID/task/*/schedstat:
    /proc/PID/stat counts in ticks of 10 ms, half the idle target over a 2 s window)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, IndexError, ValueError):  # a thread that ended meanwhile
            continue
    return total / 1e9


def idle_window(term: Terminal, window: float) -> dict:
    """Once the program has written nothing for a second: its CPU and bytes over `window` seconds."""
    term.settle(quiet=1.0, limit=20)
    cpu, size = cpu_seconds(term.pid), len(term.output)
    term.read_for(window)
    return {"cpu_s": cpu_seconds(term.pid) - cpu, "window_s": window, "bytes": len(term.output) - size}


# The screens left idle, one tutor session: (name, keys that lead there from the previous, its check)
IDLE_SCREENS: list[tuple[str, list[bytes], Check]] = [
    ("overview", [], shows(r"so far · enter opens a question")),
    *[(f"question {n}", [b"\r"] if n == 1 else [b"n"], shows(rf"Question {n} · ")) for n in range(1, 11)],
    ("results", [ESCAPE, b"s"], shows(r"Results of attempt")),
    ("help", [ESCAPE, b"?"], shows(r"— Help")),
]


def idle(window: float, data_root: Path) -> tuple[dict, dict]:
    """Every screen of IDLE_SCREENS left alone for `window` seconds, and the bare app the same."""
    tutor, bare = {}, {}
    term = launch(TUTOR, data_root / "idle")
    try:
        for name, keys, check in IDLE_SCREENS:
            for key in keys:
                term.keystroke(key, quiet=0.3)
            term.wait_until(check, what=f"idle: {name}")
            tutor[name] = idle_window(term, window)
    finally:
        term.stop()
    term = launch(BARE, data_root / "idle-bare")
    try:
        term.wait_until(shows("type here"), what="the bare app")
        bare["bare app"] = idle_window(term, window)
    finally:
        term.stop()
    return tutor, bare


# ---- the run ---------------------------------------------------------------------------------------


KEY_NAMES = {RIGHT: "→", LEFT: "←", ENTER: "enter", TAB: "tab", SHIFT_TAB: "shift+tab", SPACE: "space",
             BACKSPACE: "backspace", ESCAPE: "escape", END: "end"}


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


def compile_tutor() -> None:
    """Write the tutor's bytecode (as `pip install` does), so no launch compiles it.

    Textual's bytecode was written when it was installed; the tutor's is written by its first run,
    unless the checkout is run with PYTHONDONTWRITEBYTECODE set (this machine's shell sets it), when
    every launch compiled all 45 modules of the first screen, 60-70 ms that an installed tutor never
    spends. A read-only install is left as it is (pip compiled it)."""
    import compileall

    import tutor

    compileall.compile_dir(Path(tutor.__file__).parent, quiet=2)


def measure(options: argparse.Namespace) -> dict:
    from tutor.exam import load_exam

    compile_tutor()

    data_root = Path(tempfile.mkdtemp(prefix="itm528-bench-"))
    last_title = load_exam(prove=False).questions[-1].title
    tutor = App("tutor", TUTOR, shows(r"so far · enter opens a question", re.escape(last_title), r"palette"))
    bare = App("bare", BARE, shows(r"Bare Textual", r"type here", r"palette"))
    report = {"machine": machine() | {"terminal": f"{COLS}×{ROWS} pty, TERM=xterm-256color, {options.colors} colours"},
              "figures": {}, "notes": [], "raw": {}}
    figures, notes = report["figures"], report["notes"]
    try:
        if options.only & {"startup", "memory"}:
            runs = options.runs if "startup" in options.only else 1
            apps = [bare, tutor] if "startup" in options.only else [bare]
            launched = startups(apps, runs, data_root)
            figures["rss_first"] = {"bare": launched["bare"][1]}
            if "startup" in options.only:
                figures["startup"] = {name: launched[name][0] for name in launched}
                figures["rss_first"]["tutor"] = launched["tutor"][1]
            else:
                figures["rss_first_bare_only"] = True
        if "memory" in options.only:
            all_rss, note = rss_after_everything(data_root)
            figures["rss_all"] = {"tutor": all_rss}
            notes.append(f"memory: {note}")
        if "keys" in options.only:
            figures["keys"] = {}
            for s in scenarios():
                run_keys(s, options.keys, data_root)
                figures["keys"][s.name] = {"shown": s.shown, "written": s.written, "ok": s.ok, "kind": s.kind,
                                           "cpu_s": s.cpu_s, "count": len(s.shown)}
                if s.ok:
                    notes.append(f"{s.name}: {len(s.shown)} keys, each changed the screen; every check held;"
                                 f" by key: {by_key(s)}; CPU {s.cpu_s / max(1, len(s.shown)) * 1000:.1f} ms a key")
                else:
                    notes.append(f"{s.name}: {s.silent} keys changed nothing; {len(s.failed)} checks failed")
                    notes.extend("  " + failure.replace("\n", "\n  ") for failure in s.failed)
        if "idle" in options.only:
            figures["idle"], figures["idle_bare"] = idle(options.idle, data_root)
    finally:
        shutil.rmtree(data_root, ignore_errors=True)
    if figures.pop("rss_first_bare_only", False):
        figures["rss_all"]["bare"] = statistics.median(figures.pop("rss_first")["bare"])
    report["rows"] = judge(figures)
    for bound, students in capacity(figures).items():
        notes.append(f"students at once on {SERVER['cores']} cores, {SERVER['memory_gib']} GiB, {bound}: {students:g}")
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="launches per app for the startup median (≥ 7)")
    parser.add_argument("--keys", type=int, default=200, help="keystrokes per scenario, at least")
    parser.add_argument("--idle", type=float, default=5.0,
                        help="seconds left idle on each screen (default 5; 60 for the issue's minute)")
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
        print(json.dumps(report | {"rows": [vars(r) for r in report["rows"]]}, indent=2, ensure_ascii=False,
                         default=str))
    elif options.markdown:
        print_markdown(report)
    else:
        print_text(report)
    failed = [name for name, s in report["figures"].get("keys", {}).items() if not s["ok"]]
    if failed:
        print(f"\nkeys that did not do what they should: {', '.join(failed)} (their figures are of something else)")
    if not all_met(report["rows"]) or failed:
        print("\nNOT MET: " + "; ".join(r.measure for r in report["rows"] if not r.met) if not all_met(report["rows"])
              else "")
        return 1
    print("\nevery target met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
