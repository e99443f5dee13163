"""Shared by every test: progress goes to a temporary folder, never the real home directory; the
tutor's bytecode compiled once; two workers per core; in each worker, what every app of the suite
would make again and again made once (the shipped exam, the parse of the same stylesheet text) and
what is alive after collection left out of the garbage collector's full passes."""

import compileall
import gc
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


# ---- what each of the suite's ~500 apps would make again, made once a worker ------------------------

def _shipped_exam_once():
    """`make_app` without `exam` reads and checks the shipped content each time (~40 ms of CPU: the
    TOML parse, the schema, the rubric patterns), and the suite makes some 500 apps. The shipped
    content does not change while the suite runs and an Exam is frozen dataclasses that no test
    changes, so every app without a
    content folder of its own is given the one the worker read first. Reading the content is
    tested where it is the subject (tests/test_exam_loader.py, test_content_cache.py,
    test_content.py, and every test that passes a content folder or starts the command line,
    which still read it)."""
    import tutor.app

    read = tutor.app.load_exam
    shipped = {}

    def load_exam(content_dir=None, *, prove=True, cache=None):
        if content_dir is not None or prove or cache is not None:
            return read(content_dir, prove=prove, cache=cache)
        if "exam" not in shipped:
            shipped["exam"] = read(None, prove=False)
        return shipped["exam"]

    tutor.app.load_exam = load_exam


def _one_parse_of_each_stylesheet_text():
    """Textual parses an app's CSS into rules once per app (a cache on its Stylesheet): ~30 ms of
    CPU for the tutor's 40-odd sources, paid by each app again. Here the parse of the same text, from
    the same place, with the same CSS variables is shared by the worker's apps: the rules are the
    same objects Textual itself reuses for every later parse in one app."""
    from textual.css.stylesheet import Stylesheet

    own = Stylesheet._parse_rules
    shared = {}

    def _parse_rules(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        variables = getattr(self, "_suite_variables", None)
        if variables is None or variables[0] is not self._variables:
            variables = (self._variables, tuple(sorted(self._variables.items())))
            self._suite_variables = variables
        key = (css, read_from, is_default_rules, tie_breaker, scope, variables[1])
        if key not in shared:
            shared[key] = own(self, css, read_from, is_default_rules, tie_breaker, scope)
        return shared[key]

    Stylesheet._parse_rules = _parse_rules


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "slow: takes seconds (a walk of many screens, or child processes): started first")
    _shipped_exam_once()
    _one_parse_of_each_stylesheet_text()


def pytest_collection_modifyitems(config, items):
    """The tests marked slow spread evenly over the first half of the run, the rest in their order
    (every worker sorts alike, as xdist needs). Handed out last, a 20-second walk ran on while the
    other workers had nothing left to do (the last ~15 s of a run with one core of two idle); all
    first, they went to one worker, as xdist hands each worker a run of consecutive tests."""
    slow = [item for item in items if item.get_closest_marker("slow")]
    if not slow:
        return
    rest = [item for item in items if not item.get_closest_marker("slow")]
    stride = max(1, len(items) // (2 * len(slow)))
    for n, item in enumerate(slow):
        rest.insert(min(n * stride, len(rest)), item)
    items[:] = rest


def pytest_collection_finish(session):
    """What is alive once the tests are collected (pytest, Textual, the tutor, numpy, the test
    modules: ~100 000 objects) lives to the end; `gc.freeze` keeps the collector's full passes,
    ~20 % of a worker's CPU in the UI test files, from walking it each time. Nothing changes for
    what the tests make: it is collected as before."""
    gc.collect()
    gc.freeze()
