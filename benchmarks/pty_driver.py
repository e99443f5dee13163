"""Run a program in a pseudo-terminal of a fixed size and watch what it writes, as a terminal would.

Used by the benchmark only; nothing in the tutor imports it. Standard library alone (pty, select).
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from dataclasses import dataclass, field


@dataclass
class PtyProgram:
    argv: list[str]
    cols: int = 80
    rows: int = 24
    env: dict[str, str] = field(default_factory=dict)
    pid: int = 0
    fd: int = -1
    started: float = 0.0
    output: bytearray = field(default_factory=bytearray)
    chunks: list[tuple[float, int]] = field(default_factory=list)  # (seconds from start, end offset)

    def start(self) -> None:
        env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor", **self.env}
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # child: become the program
            os.execvpe(self.argv[0], self.argv, env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.cols, 0, 0))

    def read_for(self, seconds: float) -> bytes:
        """Everything written within `seconds` from now."""
        got = bytearray()
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            got += self._read(left)
        return bytes(got)

    def _read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not ready:
            return b""
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            return b""
        self.output += chunk
        self.chunks.append((time.perf_counter() - self.started, len(self.output)))
        return chunk

    def wait_for(self, marker: bytes, timeout: float = 30.0) -> float:
        """Seconds from start until `marker` has been written (searching the whole output)."""
        deadline = time.perf_counter() + timeout
        while marker not in self.output:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{marker!r} not written within {timeout} s by {' '.join(self.argv)}")
            self._read(0.05)
        return time.perf_counter() - self.started

    def settle(self, quiet: float = 0.3, limit: float = 10.0) -> None:
        """Read until the program has written nothing for `quiet` seconds."""
        end = time.perf_counter() + limit
        while time.perf_counter() < end:
            if not self._read(quiet):
                return

    def keystroke(self, key: bytes, quiet: float = 0.08, limit: float = 2.0) -> tuple[float | None, int]:
        """Send one key; return (seconds until the repaint finished, bytes written for it).

        The repaint is the burst of output after the key: it ends when nothing more arrives for
        `quiet` seconds; the time of its last byte is the repaint's end. A key that draws nothing
        within `limit` seconds gives (None, 0).
        """
        sent = time.perf_counter()
        os.write(self.fd, key)
        last, count = sent, 0
        end = sent + limit
        while time.perf_counter() < end:
            chunk = self._read(quiet)
            if not chunk:
                if count:
                    break
                continue
            last, count = time.perf_counter(), count + len(chunk)
        return (last - sent if count else None), count

    def peak_rss_kib(self) -> int:
        """VmHWM, the peak resident set, of the program (its own process)."""
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def stop(self) -> None:
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGTERM)
                for _ in range(50):
                    done, _ = os.waitpid(self.pid, os.WNOHANG)
                    if done:
                        break
                    self._read(0.05)
                else:
                    os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.pid = 0
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
