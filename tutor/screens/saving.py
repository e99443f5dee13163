"""Writes to the progress store in the order asked, without a lock held by another session ever
freezing the screen (the store waits up to its busy timeout for one).

A write is a function of no arguments. When nothing else is waiting it is done at once, on the UI
thread, allowed to wait at most QUICK_S for a lock (`ProgressStore.quick`): the usual case, and then
a check is on disk before its feedback is shown. If another session holds the lock longer, it is
done again in a Textual thread worker with the usual wait, after any writes queued before it; its
outcome (the value, or the exception) comes back on the UI thread to the `done` callback. What each
queued write will store is described with `tutor.progress.Unsaved`, so a screen opened while it is
still on its way (or kept by the store after failing) shows it instead of what is on disk.
`flush()` finishes every write at once, on the calling thread: for quitting and hang-ups.

No Textual import: the app is handed in and only its `run_worker` and `call_later` are used.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from tutor import progress
from tutor.progress import Busy, NotSaved, ProgressStore, Unsaved

Done = Callable[[Any, BaseException | None], None]
QUICK_S = 0.1  # how long the UI thread may wait for another session's lock before the worker takes over


@dataclass
class _Job:
    work: Callable[[], Any]
    done: Done
    what: tuple[Unsaved, ...]


class Saver:
    """The app's one queue of store writes."""

    def __init__(self, app: Any, store: ProgressStore) -> None:
        self.app, self.store = app, store
        self._jobs: deque[_Job] = deque()
        self._current: _Job | None = None
        self._draining = False  # a worker is taking jobs from the queue
        self._cond = threading.Condition()

    def submit(self, work: Callable[[], Any], done: Done, what: Iterable[Unsaved] = ()) -> None:
        """Run `work` after the writes already queued (now, if there are none and no lock is in the
        way); `done(value, error)` gets its outcome."""
        job = _Job(work, done, tuple(what))
        if not self.busy:
            with self.store.quick(QUICK_S):
                value, error = _run(job)
            if not isinstance(error, Busy):
                done(value, error)
                return
        with self._cond:
            self._jobs.append(job)
            if self._draining:
                return
            self._draining = True
        self.app.run_worker(self._drain, thread=True, group="saving", exit_on_error=False, name="saving")

    def unsaved(self, attempt_id: int, question: int | None = None) -> list[Unsaved]:
        """What waits to reach the file, oldest first: writes kept by the store after failing, then
        those queued or under way."""
        with self._cond:
            waiting = [u for job in (self._current, *self._jobs) if job is not None for u in job.what]
        found = [*self.store.unsaved(attempt_id), *(u for u in waiting if u.attempt_id == attempt_id)]
        return [u for u in found if question is None or u.question == question]

    @property
    def busy(self) -> bool:
        with self._cond:
            return self._draining or bool(self._jobs)

    def flush(self) -> None:
        """Finish every queued write now, here (the app is about to end): waits for the one under
        way in the worker, then runs the rest on this thread and calls their `done` directly. (A
        worker not started yet cannot start while this blocks the app's loop; it finds nothing.)"""
        deadline = time.monotonic() + 2 * progress.BUSY_TIMEOUT_S + 1
        with self._cond:
            while self._current is not None and time.monotonic() < deadline:
                self._cond.wait(0.05)
            jobs, self._jobs = list(self._jobs), deque()
        for job in jobs:
            value, error = _run(job)
            job.done(value, error)
        with suppress(NotSaved):  # one more try for what failed earlier; the app names what is left
            self.store.retry()

    def _drain(self) -> None:  # in a worker thread
        while True:
            with self._cond:
                if not self._jobs:
                    self._draining, self._current = False, None
                    self._cond.notify_all()
                    return
                job = self._current = self._jobs.popleft()
            value, error = _run(job)
            with self._cond:
                self._current = None
                self._cond.notify_all()
            self.app.call_later(job.done, value, error)  # thread-safe: posted to the app's queue


def _run(job: _Job) -> tuple[Any, BaseException | None]:
    try:
        return job.work(), None
    except Exception as exc:  # NotSaved, UnknownAttempt, or a bug: the screen decides
        return None, exc
