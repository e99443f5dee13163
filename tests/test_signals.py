"""Leaving abruptly, for real: the app runs in a pseudo-terminal, an answer is typed and never checked
(a draft), then the SSH link drops (SIGHUP, or the terminal itself hung up) or the machine shuts
down (SIGTERM). The draft must be in the progress database and the process gone within seconds."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

from tutor.progress import ProgressStore
from tutor.signals import exit_status, terminal_hung_up

ROOT = Path(__file__).resolve().parent.parent
DRAFT = "leakyrelu"  # typed into question 5's first answer box, never checked
PROMPT = 5.0  # seconds the process may take to leave


class Terminal:
    """`python -m tutor --question 5` in an 80×24 pseudo-terminal; what it writes is kept."""

    def __init__(self, data_dir: Path) -> None:
        env = {**os.environ, "TERM": "xterm-256color", "ITM528_TUTOR_DATA_DIR": str(data_dir),
               "ITM528_TUTOR_NO_ANIMATION": "1", "PYTHONPATH": str(ROOT)}
        argv = [sys.executable, "-m", "tutor", "--question", "5"]
        pid, fd = pty.fork()
        if pid == 0:  # the child becomes the app, in a session whose terminal is the pty
            os.chdir(ROOT)
            os.execvpe(argv[0], argv, env)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.pid, self.fd, self.output = pid, fd, bytearray()

    def read(self, timeout: float) -> bytes:
        if self.fd < 0 or not select.select([self.fd], [], [], timeout)[0]:
            return b""
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # the app has gone and the pty with it
            return b""
        self.output += chunk
        return chunk

    def wait_for(self, marker: bytes, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while marker not in self.output:
            assert time.monotonic() < deadline, f"{marker!r} never shown; got {bytes(self.output[-300:])!r}"
            self.read(0.05)

    def settle(self, quiet: float = 0.3) -> None:
        while self.read(quiet):
            pass

    def type(self, text: bytes) -> None:
        os.write(self.fd, text)

    def hang_up(self) -> None:
        """Close the terminal: the kernel hangs up the app's side and sends SIGHUP, as sshd does."""
        os.close(self.fd)
        self.fd = -1

    def wait_exit(self, timeout: float) -> int | None:
        """The exit status, or None if the process is still there after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.pid = 0
                return os.waitstatus_to_exitcode(status)
            self.read(0.05) if self.fd >= 0 else time.sleep(0.05)
        return None

    def close(self) -> None:
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        if self.fd >= 0:
            os.close(self.fd)


@pytest.fixture
def app_with_a_draft(data_dir):
    """The app at question 5 with DRAFT typed into 5(a) and not checked."""
    terminal = Terminal(data_dir)
    try:
        terminal.wait_for(b"Question 5")
        terminal.settle()
        terminal.type(b"\r")  # from the question text, enter goes to the first open answer box
        terminal.settle()
        terminal.type(DRAFT.encode())
        terminal.wait_for(DRAFT.encode(), timeout=10)
        terminal.settle()
        yield terminal
    finally:
        terminal.close()


def stored_draft(data_dir: Path):
    with ProgressStore.open(data_dir) as store:
        return store.answers(store.current_attempt().id).get((5, "a"))


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_a_signal_saves_the_draft_restores_the_terminal_and_exits(app_with_a_draft, data_dir, signum):
    terminal = app_with_a_draft
    assert stored_draft(data_dir) is None  # typed, not yet saved
    sent = time.monotonic()
    os.kill(terminal.pid, signum)
    status = terminal.wait_exit(PROMPT)
    assert status == exit_status(signum), f"exit {status} after {time.monotonic() - sent:.1f} s"
    record = stored_draft(data_dir)
    assert record is not None and (record.value, record.score, record.status) == (DRAFT, None, "typed")
    terminal.settle(0.2)
    after = bytes(terminal.output).rsplit(DRAFT.encode(), 1)[-1]
    assert b"\x1b[?1049l" in after  # Textual left the alternate screen: the terminal is as it was
    assert b"Traceback" not in terminal.output


def test_a_dropped_link_hangs_up_the_terminal_and_the_draft_is_saved(app_with_a_draft, data_dir):
    terminal = app_with_a_draft
    terminal.hang_up()  # nothing can be written to the terminal any more
    status = terminal.wait_exit(PROMPT)
    assert status == exit_status(signal.SIGHUP)
    record = stored_draft(data_dir)
    assert record is not None and record.value == DRAFT


def test_exit_statuses_follow_the_shell():
    assert exit_status(signal.SIGHUP) == 129
    assert exit_status(signal.SIGTERM) == 143


def test_a_hung_up_terminal_is_told_from_a_file_or_a_pipe(tmp_path):
    master, slave = os.openpty()
    read, write = os.pipe()
    with open(tmp_path / "log", "w") as log:
        try:
            assert not terminal_hung_up(slave)
            assert not terminal_hung_up(write)
            assert not terminal_hung_up(log.fileno())
            os.close(master)
            master = -1
            assert terminal_hung_up(slave)
        finally:
            for fd in (master, slave, read, write):
                if fd >= 0:
                    os.close(fd)
