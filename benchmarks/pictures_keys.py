"""What each picture costs once its question opens: importing it, its first frame, a key, memory.

    python benchmarks/pictures_keys.py [--runs 5]

Each picture runs in a fresh interpreter that has already loaded Textual, rich, numpy and the exam
model (the app has by the time a question opens), alternated with a baseline that mounts a plain Static, at 80×24
headless. Measured: the import of the picture's module, the first frame after mounting it, a key
(the picture's own step key, or the update a live editor would make: new logits, a new z, a
reveal) up to the next full frame, and the peak RSS. A key's figure is the median of 20, less the
baseline's no-op key, so it is the picture's own work. Nothing here is asserted by a test; the
start-up cost is none by construction (tests/test_pictures.py checks that the first screen imports
no picture).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PICTURES = ("baseline", "pooling", "convolution", "activations", "softmax", "residual")

CHILD = r'''
import asyncio, json, resource, sys, time
sys.path.insert(0, {root!r})
import numpy, rich, textual.app, textual.widgets
from textual.app import App
from tutor import solver
from tutor.exam import load_exam  # the app has read the exam before any question opens
kind = {kind!r}
start = time.perf_counter()
if kind == "pooling":
    from tutor.widgets.pictures.pooling import PoolingPicture as Made
elif kind == "convolution":
    from tutor.widgets.pictures.convolution import ConvolutionPicture as Made
elif kind == "activations":
    from tutor.widgets.pictures.activations import ActivationsPicture as Made
elif kind == "softmax":
    from tutor.widgets.pictures.softmax_bars import SoftmaxBars as Made, SoftmaxReading
elif kind == "residual":
    from tutor.widgets.pictures.residual import ChoiceDiagrams as Made
else:
    from textual.widgets import Static as Made
imported = time.perf_counter() - start

def reading(o, y):
    return SoftmaxReading(o, solver.softmax(o), y, solver.softmax_cross_entropy_grad(o, y), solver.cross_entropy(y, o))

def make():
    if kind == "pooling":
        r = solver.pool2d([[1, 3, 2, 4], [5, 6, 7, 8], [9, 2, 1, 5], [4, 3, 6, 7]])
        return Made(r, solver.pool_windows(r))
    if kind == "convolution":
        return Made(solver.conv_geometry(6, 3, 1, 1), solver.conv_transpose_geometry(3, 4, 2, 1))
    if kind == "activations":
        return Made(solver.activation_curves(), solver.gradient_through_layers(1.0, 10), current="relu")
    if kind == "softmax":
        return Made(reading([1.0, 2.0, 0.5], [0.0, 1.0, 0.0]))
    if kind == "residual":
        part = load_exam(prove=False).question(10).parts[0]
        return Made(part.diagrams, answer=part.answer)
    return Made("nothing")

def key(picture, i):
    """One key's worth of change, as the student or the live editor would make it."""
    if kind == "pooling":
        picture.action_step(1 if i % 6 < 3 else -1)
    elif kind == "convolution":
        picture.action_position(1)
    elif kind == "activations":
        picture.update(products=solver.gradient_through_layers(1.0 + i % 3, 10),
                       current=("relu", "sigmoid", "tanh")[i % 3])
    elif kind == "softmax":
        picture.update(reading([1.0 + i % 4, 2.0, 0.5], [0.0, 1.0, 0.0]))
    elif kind == "residual":
        picture.reveal(i % 2 == 0)
    else:
        picture.update("nothing" if i % 2 else "still nothing")

class Probe(App):
    def compose(self):
        yield make()

async def main():
    app = Probe()
    async with app.run_test(size=(80, 24)) as pilot:
        t0 = time.perf_counter()
        await pilot.pause()
        app.export_screenshot()
        first = time.perf_counter() - t0
        picture = app.screen.children[0]
        keys = []
        for i in range(20):
            t = time.perf_counter()
            key(picture, i)
            await pilot.pause()
            app.export_screenshot()
            keys.append(time.perf_counter() - t)
        return first, sorted(keys)[len(keys) // 2]

first, per_key = asyncio.run(main())
print(json.dumps({{"import_ms": imported * 1000, "first_ms": first * 1000, "key_ms": per_key * 1000,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
'''


def run(kind: str) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), kind=kind)],
                          capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind}: {done.stderr.strip().splitlines()[-1]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows: dict[str, list[dict]] = {kind: [] for kind in PICTURES}
    for _ in range(args.runs):
        for kind in PICTURES:
            rows[kind].append(run(kind))
    med = {kind: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for kind, rs in rows.items()}
    base = med["baseline"]
    print(f"median of {args.runs} alternated runs; key = median of 20 keys less the baseline's")
    print(f"{'picture':<13}{'import ms':>10}{'first frame ms':>16}{'key ms':>9}{'RSS MB':>9}{'+RSS MB':>9}")
    for kind, m in med.items():
        key = m["key_ms"] - (0 if kind == "baseline" else base["key_ms"])
        extra = m["rss_mb"] - base["rss_mb"]
        print(f"{kind:<13}{m['import_ms']:>10.1f}{m['first_ms']:>16.1f}{key:>9.1f}{m['rss_mb']:>9.1f}{extra:>9.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
