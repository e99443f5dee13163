"""A checked score is never lost (issue 12), with real processes in real pseudo-terminals:

- two sessions of the app on one data dir: A types 4(b) = 1 and does not check it, B checks
  4(b) = 2; whichever quits first (or A hung up), the row keeps B's check and not A's stale draft;
- the terminal goes away without a hang-up signal (the app is not in the terminal's session): the
  pty's other end is closed (reads end in EIO) or the terminal is hung up (reads end in EOF). The app
  must save its draft and leave within seconds, not spin at full CPU or die with a traceback.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import textwrap
import time
from pathlib import Path

import pytest

from tutor.progress import ProgressStore
from tutor.signals import exit_status

ROOT = Path(__file__).resolve().parent.parent
PROMPT = 6.0  # seconds an app may take to leave
ENV = {"TERM": "xterm-256color", "ITM528_TUTOR_NO_ANIMATION": "1", "PYTHONPATH": str(ROOT)}


class Terminal:
    """`python -m tutor --question N` on a pty (80×24), what it writes kept. With `session=True` the
    pty is the app's controlling terminal (closing it sends SIGHUP, as sshd does); without, the app
    only has it as stdin/stdout/stderr, so no signal ever comes."""

    def __init__(self, data_dir: Path, question: int, session: bool = True) -> None:
        env = {**os.environ, **ENV, "ITM528_TUTOR_DATA_DIR": str(data_dir)}
        argv = [sys.executable, "-m", "tutor", "--question", str(question)]
        self.output, self.rusage = bytearray(), None
        if session:
            pid, fd = pty.fork()
            if pid == 0:
                os.chdir(ROOT)
                os.execvpe(argv[0], argv, env)
            self.slave_name = None
        else:
            fd, slave = os.openpty()
            self.slave_name = os.ttyname(slave)
            pid = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT,
                                   start_new_session=True).pid  # a new session: the pty is not its terminal
            os.close(slave)
        os.set_inheritable(fd, False)  # a second app must not hold this pty open (it would never hang up)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.pid, self.fd = pid, fd

    def read(self, timeout: float) -> bytes:
        if self.fd < 0 or not select.select([self.fd], [], [], timeout)[0]:
            return b""
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            return b""
        self.output += chunk
        return chunk

    def wait_for(self, marker: bytes, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while marker not in self.output:
            assert time.monotonic() < deadline, f"{marker!r} never shown; got {bytes(self.output[-300:])!r}"
            self.read(0.05)

    def settle(self, quiet: float = 0.4) -> None:
        while self.read(quiet):
            pass

    def type(self, text: bytes, then_settle: bool = True) -> None:
        os.write(self.fd, text)
        if then_settle:
            self.settle()

    def close_pty(self) -> None:
        os.close(self.fd)
        self.fd = -1

    def wait_exit(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status, rusage = os.wait4(self.pid, os.WNOHANG)
            if pid:
                self.pid, self.rusage = 0, rusage
                return os.waitstatus_to_exitcode(status)
            self.read(0.05) if self.fd >= 0 else time.sleep(0.05)
        return None

    def cpu_seconds(self) -> float:
        """User and system CPU time of the running process so far (from /proc)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        if self.fd >= 0:
            os.close(self.fd)


def _stored(data_dir: Path, question: int, part: str):
    with ProgressStore.open(data_dir) as store:
        return store.answers(store.current_attempt().id).get((question, part))


def _quit(terminal: Terminal) -> int | None:
    terminal.type(b"\x1b")  # out of the answer box (alone: escape and q together read as alt+q)
    terminal.type(b"q", then_settle=False)
    return terminal.wait_exit(PROMPT)


@pytest.mark.slow
@pytest.mark.parametrize("order", ["A quits first", "B quits first", "A is hung up"])
def test_a_second_sessions_check_wins_over_a_stale_draft_whatever_the_order(data_dir, order):
    with ProgressStore.open(data_dir) as store:
        store.current_attempt()  # both sessions work in one attempt
    a, b = Terminal(data_dir, 4), Terminal(data_dir, 4)
    try:
        for t in (a, b):
            t.wait_for(b"Question 4")
            t.settle()
        for key in (b"\t", b"\t", b"1"):  # A: 4(b) = 1, typed, not checked
            a.type(key)
        for key in (b"\t", b"\t", b"2", b"\r"):  # B: 4(b) = 2, checked
            b.type(key)
        b.wait_for(b"4/4 correct", timeout=10)
        b.settle()
        record = _stored(data_dir, 4, "b")
        assert (record.value, record.score) == ("2", 4.0)
        if order == "A quits first":
            assert _quit(a) == 0 and _quit(b) == 0
        elif order == "B quits first":
            assert _quit(b) == 0 and _quit(a) == 0
        else:
            a.close_pty()  # SIGHUP: A saves its drafts as it goes
            assert a.wait_exit(PROMPT) == exit_status(signal.SIGHUP)
            assert _quit(b) == 0
        record = _stored(data_dir, 4, "b")
        assert (record.value, record.checked_value, record.score, record.status) == ("2", "2", 4.0, "correct")
        assert not record.edited  # A's stale "1" was not written beside B's newer check
        assert b"Traceback" not in a.output + b.output
    finally:
        a.close()
        b.close()


@pytest.mark.slow
def test_a_draft_of_another_part_is_still_saved_beside_the_other_sessions_check(data_dir):
    with ProgressStore.open(data_dir) as store:
        store.current_attempt()
    a, b = Terminal(data_dir, 4), Terminal(data_dir, 4)
    try:
        for t in (a, b):
            t.wait_for(b"Question 4")
            t.settle()
        for key in (b"\t", b"3"):  # A: 4(a) = 3, not checked (B never touches 4(a))
            a.type(key)
        for key in (b"\t", b"\t", b"2", b"\r"):
            b.type(key)
        b.wait_for(b"4/4 correct", timeout=10)
        assert _quit(a) == 0 and _quit(b) == 0
        assert _stored(data_dir, 4, "a").value == "3"
        assert _stored(data_dir, 4, "b").score == 4.0
    finally:
        a.close()
        b.close()


VHANGUP = """
    import ctypes, os, signal, sys
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    os.setsid()
    fd = os.open(sys.argv[1], os.O_RDWR)  # a session leader opening a free tty: its controlling terminal
    libc = ctypes.CDLL(None, use_errno=True)
    print(libc.vhangup(), ctypes.get_errno(), flush=True)
"""


@pytest.mark.parametrize("how", ["other end closed (EIO)", "hung up (EOF)"])
def test_a_terminal_gone_without_a_signal_saves_the_draft_and_exits(data_dir, how):
    if how.startswith("hung up") and os.geteuid() != 0:
        pytest.skip("vhangup needs CAP_SYS_TTY_CONFIG")
    terminal = Terminal(data_dir, 5, session=False)
    try:
        terminal.wait_for(b"Question 5")
        terminal.settle()
        terminal.type(b"\r")  # from the question text, enter goes to the first open answer box
        terminal.type(b"leakyrelu")
        terminal.wait_for(b"leakyrelu", timeout=10)
        terminal.settle()
        assert _stored(data_dir, 5, "a") is None  # typed, not saved yet
        before = terminal.cpu_seconds()
        if how.startswith("other end"):
            terminal.close_pty()
        else:
            helper = subprocess.run([sys.executable, "-c", textwrap.dedent(VHANGUP), terminal.slave_name],
                                    capture_output=True, text=True, timeout=30)
            assert helper.stdout.split()[0] == "0", helper.stdout + helper.stderr
        sent = time.monotonic()
        status = terminal.wait_exit(PROMPT)
        assert status == exit_status(signal.SIGHUP), f"exit {status} after {time.monotonic() - sent:.1f} s"
        record = _stored(data_dir, 5, "a")
        assert record is not None and (record.value, record.score) == ("leakyrelu", None)
        spent = terminal.rusage.ru_utime + terminal.rusage.ru_stime - before
        assert spent < 2.0, f"{spent:.1f} s of CPU between the terminal going and the exit"
        assert b"Traceback" not in terminal.output
    finally:
        terminal.close()
