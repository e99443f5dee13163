"""The benchmark's report: the machine it ran on, and the table of figures as text or Markdown.

Standard library only; `run.py` measures, this prints.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path


def machine() -> dict[str, str]:
    from importlib.metadata import version

    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return {
        "system": f"{platform.system()} {platform.release()} {platform.machine()}",
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "textual": version("textual"),
        "load average at start": load,
    }


def number(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}" if value < 1000 else f"{value:.0f}"


def print_text(report: dict) -> None:
    for key, value in report["machine"].items():
        print(f"{key + ':':24}{value}")
    print()
    print(f"{'measure':62} {'tutor':>7} {'bare':>7} {'ratio':>5}  {'target':<13} met")
    for r in report["rows"]:
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else "–"
        print(f"{r.measure:62} {number(r.tutor):>7} {number(r.bare):>7} {ratio:>5}  "
              f"{r.target:<13} {'yes' if r.met else 'NO'}")
    print()
    for note in report["notes"]:
        print(note)


def print_markdown(report: dict) -> None:
    for key, value in report["machine"].items():
        print(f"- {key}: {value}")
    print()
    print("| measure | tutor | bare | ratio | target | met |")
    print("|---|---:|---:|---:|---|---|")
    for r in report["rows"]:
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else "–"
        print(f"| {r.measure} | {number(r.tutor)} | {number(r.bare)} | {ratio} | "
              f"{r.target} | {'yes' if r.met else '**no**'} |")
    print()
    for note in report["notes"]:
        print(f"- {note}")
