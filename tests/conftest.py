"""Shared by every test: progress goes to a temporary folder, never the real home directory."""

import os

import pytest


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
