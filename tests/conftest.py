"""Shared by every test: progress goes to a temporary folder, never the real home directory; the
tutor's bytecode compiled once; two workers per core."""

import compileall
import os
import sys
from pathlib import Path

import pytest

TUTOR = Path(__file__).resolve().parents[1] / "tutor"

# Where PYTHONDONTWRITEBYTECODE is set (this project's machines set it), pytest cannot keep the test
# modules it rewrites for its asserts: each worker rewrote and compiled all of them again (~3 s of
# CPU a worker). The caches go to __pycache__ folders, which git ignores.
sys.dont_write_bytecode = False


def pytest_sessionstart(session):
    """The tutor's bytecode, compiled once before the workers start (as pip does on install): with
    PYTHONDONTWRITEBYTECODE set, an editable install is compiled from source by every worker and by
    every child interpreter the tests start (the startup, session, signal and derivation tests),
    half a second of CPU each. Nothing is compiled if the folder cannot be written to."""
    if hasattr(session.config, "workerinput"):  # a worker: the controller has done it
        return
    if os.access(TUTOR, os.W_OK):
        compileall.compile_dir(TUTOR, quiet=2)


def pytest_xdist_auto_num_workers(config):
    """`-n auto` (addopts): two workers per core. Most of a UI test's time is Textual's pilot waiting
    for a frame or a timer, so one worker per core left the cores idle half the time (2 workers:
    about 1.1 cores busy); two per core keeps them busy. $PYTEST_XDIST_AUTO_NUM_WORKERS still wins."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        cores = os.cpu_count() or 1
    return 2 * cores


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """ITM528_TUTOR_DATA_DIR points at tmp_path/data, so no test touches the real progress."""
    folder = tmp_path / "data"
    monkeypatch.setenv("ITM528_TUTOR_DATA_DIR", str(folder))
    return folder
