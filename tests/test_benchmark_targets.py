"""The benchmark's judgement of its figures (benchmarks/targets.py), on made-up figures: each target
is met at its bound and missed just past it, a scenario whose keys failed meets nothing, and the
capacity of a server follows from memory and CPU. Nothing here is timed."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "targets.py"
_spec = importlib.util.spec_from_file_location("benchmark_targets", PATH)
targets = importlib.util.module_from_spec(_spec)
sys.modules["benchmark_targets"] = targets  # (dataclasses look their module up by name)
_spec.loader.exec_module(targets)


def keys(ms: list[float], written: list[int] | None = None, *, kind: str = "editor", ok: bool = True) -> dict:
    return {"shown": [m / 1000 for m in ms], "written": written or [1000] * len(ms), "ok": ok, "kind": kind,
            "cpu_s": 0.002 * len(ms), "count": len(ms)}


def good() -> dict:
    """Figures that meet every target, some of them exactly at the bound."""
    return {
        "startup": {"tutor": [0.23] * 7, "bare": [0.2] * 7},  # 1.15×
        "rss_first": {"tutor": [36 * 1024] * 7, "bare": [30 * 1024] * 7},  # 1.2×
        "rss_all": {"tutor": 60 * 1024},  # 2.0×
        "keys": {
            "bare app: Input": keys([3] * 10, kind="bare"),
            "pooling editor": keys([10] * 9 + [33]),  # median 10, p90 (the 9th of 10) 10
            "step reveal": keys([16] * 10, [4096] * 10, kind="step"),
        },
        "idle": {"overview": {"cpu_s": 0.02, "window_s": 5, "bytes": 0},
                 "question 8": {"cpu_s": 0.0, "window_s": 5, "bytes": 0}},
        "idle_bare": {"bare app": {"cpu_s": 0.01, "window_s": 5, "bytes": 0}},
    }


def met(figures: dict) -> dict[str, bool]:
    return {row.measure: row.met for row in targets.judge(figures)}


def test_figures_at_the_bounds_meet_every_target():
    rows = targets.judge(good())
    assert len(rows) == 3 + 2 + 2 + 2 + 1  # startup, 2× RSS; editor median, p90; step ms, bytes; idle ×2, bytes
    assert targets.all_met(rows), [r for r in rows if not r.met]
    startup = rows[0]
    assert startup.ratio == pytest.approx(1.15) and startup.bare == pytest.approx(0.2)


@pytest.mark.parametrize(
    ("change", "missed"),
    [
        (lambda f: f["startup"].update(tutor=[0.231] * 7), "time to first screen"),
        (lambda f: f["startup"].update(tutor=[0.2] * 6, bare=[0.2] * 6), "time to first screen"),  # < 7 runs
        (lambda f: f["rss_first"].update(tutor=[36.1 * 1024] * 7), "peak RSS at first screen"),
        (lambda f: f.update(rss_all={"tutor": 60.1 * 1024}), "peak RSS after every question"),
        (lambda f: f["keys"].update({"pooling editor": keys([16.1] * 10)}), "pooling editor: key → repaint, ms, median"),
        (lambda f: f["keys"].update({"pooling editor": keys([10] * 8 + [34, 34])}), "pooling editor: key → repaint, ms, p90"),
        (lambda f: f["keys"].update({"step reveal": keys([16] * 10, [4097] * 10, kind="step")}), "step reveal: bytes"),
        (lambda f: f["keys"].update({"step reveal": keys([16.5] * 10, kind="step")}), "step reveal: key → repaint"),
        (lambda f: f["idle"]["overview"].update(cpu_s=0.025), "idle on overview"),  # 0.5 % is not < 0.5 %
        (lambda f: f["idle"]["question 8"].update(bytes=1), "idle: bytes written"),
    ],
)
def test_a_figure_just_past_its_bound_misses_that_target_only(change, missed):
    figures = good()
    change(figures)
    outcome = met(figures)
    assert [m for m, ok in outcome.items() if not ok] == [m for m in outcome if m.startswith(missed)]
    assert len([m for m, ok in outcome.items() if not ok]) == 1


def test_a_scenario_whose_keys_failed_meets_nothing_however_fast():
    figures = good()
    figures["keys"]["pooling editor"] = keys([1] * 10, ok=False)
    outcome = met(figures)
    assert not outcome["pooling editor: key → repaint, ms, median"]
    assert not outcome["pooling editor: key → repaint, ms, p90"]


def test_a_part_not_measured_has_no_rows():
    assert targets.judge({}) == []
    rows = targets.judge({"rss_all": {"tutor": 50 * 1024, "bare": 30 * 1024}})
    assert [r.measure for r in rows] == ["peak RSS after every question, step, results, help, MiB"]


def test_the_p90_is_the_nearest_rank():
    assert targets.quantile(list(range(1, 11)), 0.9) == 9
    assert targets.quantile(list(range(1, 201)), 0.9) == 180
    assert targets.quantile([5], 0.9) == 5


def test_capacity_of_a_server_by_memory_and_cpu():
    figures = good()
    bounds = targets.capacity(figures)
    memory, idle, typing = bounds.values()
    assert memory == math.floor(24 * 1024 * 1024 / (60 * 1024))  # 409 students of 60 MiB in 24 GiB
    assert idle == math.floor(2 / (0.02 / 5))  # the costliest screen, 0.4 % of a core: 500
    assert typing == math.floor(2 / 0.002)  # 2 ms of CPU a key, a key a second: 1000
    figures["idle"] = {"overview": {"cpu_s": 0.0, "window_s": 5, "bytes": 0}}
    assert targets.capacity(figures)["by CPU, every student idle on the costliest screen"] == math.inf
