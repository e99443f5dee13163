"""The benchmark's targets (issue 18) and the judgement of measured figures against them.

Pure: figures in, rows of the table out, and how many students a server holds. `run.py` measures
and calls `judge`; tests/test_benchmark_targets.py checks this logic on made-up figures (the test
suite never times anything). Standard library only.

`figures` (what run.py measured; every time in seconds, every memory in KiB):
- "startup": {"tutor": [s, ...], "bare": [s, ...]}: time to the first screen, one per launch
- "rss_first": {"tutor": [KiB, ...], "bare": [KiB, ...]}: peak RSS at the first screen, per launch
- "rss_all": {"tutor": KiB}: peak RSS after every question, step, results and help
- "keys": {scenario: {"shown": [s, ...], "written": [bytes, ...], "ok": bool, "kind": "editor" | "step"
  | "bare", "cpu_s": s, "count": keys}}: per key, from the key to the last byte that changed the screen
- "idle": {screen: {"cpu_s": s, "window_s": s, "bytes": n}} and "idle_bare": the same for the bare app
Any part may be missing (run.py --only): its rows are then not in the table.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

TARGETS = {
    "startup": 1.15,  # time to the first screen, × the bare app (median of the launches)
    "rss_first": 1.2,  # peak RSS at the first screen, × the bare app
    "rss_all": 2.0,  # peak RSS after everything, × the bare app
    "key_ms": 16.0,  # an editor's key → repaint, median
    "key_p90_ms": 33.0,  # and its 90th percentile
    "step_bytes": 4096,  # a step reveal's bytes, median
    "step_ms": 16.0,  # a step reveal's key → repaint, median
    "idle_cpu_pct": 0.5,  # % of one core, idle on a screen
    "idle_bytes": 0,  # bytes written while idle (animations off)
}
SERVER = {"cores": 2, "memory_gib": 24}  # the lab server the students share
KEYS_PER_SECOND = 1.0  # a student typing steadily, for the CPU bound of concurrent students


@dataclass
class Row:
    measure: str
    tutor: float
    bare: float | None
    ratio: float | None
    target: str
    met: bool


def quantile(values: list[float], q: float) -> float:
    """The q-quantile by nearest rank (p90 of 200 keys: the 180th smallest)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def _median(values) -> float:
    return statistics.median(values) if values else math.nan


def judge(figures: dict) -> list[Row]:
    """The table's rows: each figure, the bare app's beside it, the target and whether it is met."""
    rows: list[Row] = []
    t = TARGETS
    if "startup" in figures:
        tutor, bare = _median(figures["startup"]["tutor"]), _median(figures["startup"]["bare"])
        runs = len(figures["startup"]["tutor"])
        rows.append(Row(f"time to first screen, s (median of {runs} alternated launches)", tutor, bare,
                        tutor / bare, f"≤ {t['startup']}× bare", tutor / bare <= t["startup"] and runs >= 7))
    if "rss_first" in figures:
        tutor, bare = _median(figures["rss_first"]["tutor"]), _median(figures["rss_first"]["bare"])
        rows.append(Row("peak RSS at first screen, MiB", tutor / 1024, bare / 1024, tutor / bare,
                        f"≤ {t['rss_first']}× bare", tutor / bare <= t["rss_first"]))
    if "rss_all" in figures:
        bare = _bare_rss(figures)
        tutor = figures["rss_all"]["tutor"]
        rows.append(Row("peak RSS after every question, step, results, help, MiB", tutor / 1024, bare / 1024,
                        tutor / bare, f"≤ {t['rss_all']}× bare", tutor / bare <= t["rss_all"]))
    keys = figures.get("keys", {})
    bare_keys = next((s for s in keys.values() if s["kind"] == "bare"), None)
    bare_ms = _median(bare_keys["shown"]) * 1000 if bare_keys else None
    bare_p90 = quantile(bare_keys["shown"], 0.9) * 1000 if bare_keys and bare_keys["shown"] else None
    bare_bytes = _median(bare_keys["written"]) if bare_keys else None
    for name, s in keys.items():
        if s["kind"] == "bare":
            continue
        ok = bool(s["ok"]) and bool(s["shown"])
        ms = _median(s["shown"]) * 1000
        p90 = quantile(s["shown"], 0.9) * 1000 if s["shown"] else math.nan
        size = _median(s["written"])
        if s["kind"] == "editor":
            rows.append(Row(f"{name}: key → repaint, ms, median", ms, bare_ms, None,
                            f"≤ {t['key_ms']:g} ms", ok and ms <= t["key_ms"]))
            rows.append(Row(f"{name}: key → repaint, ms, p90", p90, bare_p90, None,
                            f"≤ {t['key_p90_ms']:g} ms", ok and p90 <= t["key_p90_ms"]))
        else:
            rows.append(Row(f"{name}: key → repaint, ms, median", ms, bare_ms, None,
                            f"≤ {t['step_ms']:g} ms", ok and ms <= t["step_ms"]))
            rows.append(Row(f"{name}: bytes per key, median", size, bare_bytes, None,
                            f"≤ {t['step_bytes']} B", ok and size <= t["step_bytes"]))
    idle, idle_bare = figures.get("idle", {}), figures.get("idle_bare", {})
    if idle:
        bare = next(iter(idle_bare.values()), None)
        bare_pct = _pct(bare) if bare else None
        for screen, f in idle.items():
            pct = _pct(f)
            rows.append(Row(f"idle on {screen}: % of a core over {f['window_s']:g} s", pct, bare_pct, None,
                            f"< {t['idle_cpu_pct']:g} %", pct < t["idle_cpu_pct"]))
        written = max(f["bytes"] for f in idle.values())
        worst = max(idle, key=lambda screen: idle[screen]["bytes"])
        rows.append(Row(f"idle: bytes written, most on one screen ({worst})", written,
                        bare["bytes"] if bare else None, None, f"= {t['idle_bytes']} B",
                        written <= t["idle_bytes"]))
    return rows


def _bare_rss(figures: dict) -> float:
    return _median(figures["rss_first"]["bare"]) if "rss_first" in figures else figures["rss_all"]["bare"]


def _pct(f: dict) -> float:
    return 100 * f["cpu_s"] / f["window_s"]


def capacity(figures: dict) -> dict[str, float]:
    """How many students at once a server of SERVER holds, by memory and by CPU (idle, and typing
    KEYS_PER_SECOND). A bound that cannot be worked out from the figures is missing."""
    out: dict[str, float] = {}
    if "rss_all" in figures:
        out["by memory (peak RSS after everything)"] = math.floor(SERVER["memory_gib"] * 1024 * 1024
                                                                  / figures["rss_all"]["tutor"])
    idle = figures.get("idle", {})
    if idle:
        worst = max(f["cpu_s"] / f["window_s"] for f in idle.values())
        out["by CPU, every student idle on the costliest screen"] = (
            math.floor(SERVER["cores"] / worst) if worst > 0 else math.inf)
    editors = [s for s in figures.get("keys", {}).values() if s["kind"] != "bare" and s.get("count")]
    if editors:
        per_key = max(s["cpu_s"] / s["count"] for s in editors)
        out[f"by CPU, every student typing {KEYS_PER_SECOND:g} key/s in the costliest editor"] = (
            math.floor(SERVER["cores"] / (per_key * KEYS_PER_SECOND)) if per_key > 0 else math.inf)
    return out


def all_met(rows: list[Row]) -> bool:
    return all(row.met for row in rows)
