"""Leaving abruptly: a dropped SSH link (SIGHUP) or a shutdown (SIGTERM) saves what was typed, then
leaves the terminal as it was found, and the process ends with 128 + the signal's number.

Textual installs no handler for either, so by default the process dies at once: nothing at exit runs
and the drafts of the open question are lost. The handlers run in the app's event loop (asyncio's
`add_signal_handler`), between two of its callbacks, so saving may read the screens safely.

After a hangup the terminal is gone: Textual's output thread would die on the first write (EIO) and
the app would then block on its full queue. So output goes to /dev/null first, and a watchdog ends
the process if the orderly exit still does not finish.

The terminal can also go away with no signal at all (the pty is deleted, the process is not in the
terminal's session, SIGHUP is ignored): then every read of Textual's input thread ends at once in
EOF, and it spins at full CPU, or in EIO, and the thread hands the app a traceback. `watch_terminal`
looks at the terminal twice a second and leaves as on SIGHUP when it has gone; `surviving_input_loss`
wraps the driver class so that EIO ends the input thread quietly (and says so to the watch).
No tutor imports: the app passes in what to save; standard library and the app's `exit`,
`set_interval` and driver class only.
"""

from __future__ import annotations

import asyncio
import errno
import os
import signal
import termios
import threading
from collections.abc import Callable
from contextlib import suppress
from typing import Any

SIGNALS = (signal.SIGHUP, signal.SIGTERM)
GRACE_S = 3.0  # the orderly exit's time before the watchdog ends the process
WATCH_S = 0.5  # how often the terminal is looked at
GONE_ERRNOS = (errno.EIO, errno.ENXIO, errno.EBADF)  # reading a terminal that is no more
_input_lost = threading.Event()  # set by the input thread when its reads failed


def exit_status(signum: int) -> int:
    """The shell's convention for a process ended by a signal: 129 for SIGHUP, 143 for SIGTERM."""
    return 128 + signum


def leave_on_signals(app: Any, save: Callable[[], None]) -> Callable[[], None]:
    """Handle SIGHUP and SIGTERM in the running loop: `save()`, then `app.exit(return_code=...)`.

    Call it from the app's on_mount; it returns the function that removes the handlers (on_unmount).
    Where signals cannot be handled (Windows, not the main thread) it does nothing.
    """
    loop = asyncio.get_running_loop()
    installed = []
    for signum in SIGNALS:
        try:
            loop.add_signal_handler(signum, _leave, app, save, signum)
        except (NotImplementedError, RuntimeError, ValueError):
            continue
        installed.append(signum)

    def remove() -> None:
        for signum in installed:
            with suppress(Exception):  # the loop may be closing already
                loop.remove_signal_handler(signum)

    return remove


_leaving: set[int] = set()  # apps already on their way out (a signal and the watch can both come)


def _leave(app: Any, save: Callable[[], None], signum: int) -> None:
    if id(app) in _leaving:
        return
    _leaving.add(id(app))
    status = exit_status(signum)
    if not getattr(app, "is_headless", False):
        _watchdog(status)
    if signum == signal.SIGHUP and terminal_hung_up():
        _silence_output()
    try:
        save()
    finally:
        app.exit(return_code=status)


def watch_terminal(app: Any, save: Callable[[], None], fds: tuple[int, ...] = (0, 2)) -> Callable[[], None]:
    """Every WATCH_S, if the terminal behind fds has hung up (or the input thread lost it): save and
    leave with SIGHUP's status. Returns the function that stops the watch. Headless: nothing."""
    if getattr(app, "is_headless", False):
        return lambda: None

    def look() -> None:
        if _input_lost.is_set() or any(terminal_hung_up(fd) for fd in fds):
            timer.stop()
            _leave(app, save, signal.SIGHUP)

    timer = app.set_interval(WATCH_S, look)
    return timer.stop


def surviving_input_loss(driver_class: type) -> type:
    """`driver_class` whose input thread ends quietly when its terminal is gone (EIO), instead of
    handing the app a traceback; `watch_terminal` then saves and leaves."""
    if not hasattr(driver_class, "run_input_thread"):
        return driver_class  # headless, web or Windows: nothing to wrap

    class Driver(driver_class):  # type: ignore[misc, valid-type]
        def run_input_thread(self) -> None:
            try:
                super().run_input_thread()
            except OSError as exc:
                if exc.errno not in GONE_ERRNOS:
                    raise
                _input_lost.set()

    Driver.__name__ = Driver.__qualname__ = f"Surviving{driver_class.__name__}"
    return Driver


def terminal_hung_up(fd: int = 2) -> bool:
    """The terminal behind fd (Textual writes to stderr) was hung up: the kernel answers EIO.
    A file or pipe (ENOTTY) is not a hung-up terminal."""
    try:
        termios.tcgetattr(fd)
    except termios.error as exc:
        return bool(exc.args) and exc.args[0] == errno.EIO
    except OSError:
        return False
    return False


def _silence_output() -> None:
    """Send stdin, stdout and stderr to /dev/null: writes succeed and reads see the end of input."""
    null = os.open(os.devnull, os.O_RDWR)
    try:
        for fd in (0, 1, 2):
            with suppress(OSError):
                os.dup2(null, fd)
    finally:
        os.close(null)


def _watchdog(status: int) -> None:
    """End the process after GRACE_S if the orderly exit has not (a daemon thread: it never delays one)."""
    timer = threading.Timer(GRACE_S, os._exit, (status,))
    timer.daemon = True
    timer.start()
