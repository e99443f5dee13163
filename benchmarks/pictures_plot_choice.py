"""textual-plotext or our own braille plots for the activations picture (question 5(a)): the figures.

Each variant runs in a fresh interpreter, alternated, N times: a headless Textual app at 80×24 that
mounts one widget drawing sigmoid, tanh, ReLU and their derivatives on [−6, 6] from the solver's
`activation_curves`. Measured: the import of the widget's module (after Textual, rich and numpy,
which the app has loaded by the time a question opens), the time from mounting it to its first
frame, the time to redraw it when the activation in use switches (a key in the forward-pass
editor), and the peak RSS of the process.

    python benchmarks/pictures_plot_choice.py [--runs 7] [--python OTHER_PYTHON]

The plotext variant needs textual-plotext, which the project does not depend on: point --python at
an interpreter that has it (and textual, numpy) installed, e.g. a scratch venv. The tutor's source
is put on that interpreter's path. No figure here is asserted by a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r'''
import json, resource, sys, time, asyncio
sys.path.insert(0, {root!r})
import numpy, rich, textual.app, textual.widgets  # loaded by the app before any question opens
from textual.app import App
from tutor.solver import activation_curves, gradient_through_layers
variant = {variant!r}
curves = activation_curves()
products = gradient_through_layers(1.0, 10)
start = time.perf_counter()
if variant == "ours":
    from tutor.widgets.pictures.activations import ActivationsPicture
    make = lambda: ActivationsPicture(curves, products, current="relu")
elif variant == "plotext":
    from textual_plotext import PlotextPlot
    class Curves(PlotextPlot):
        def on_mount(self):
            self.draw("relu")
        def update(self, current):  # what a key that switches the activation would do
            self.draw(current)
            self.refresh()
        def draw(self, current):
            plt = self.plt
            plt.clear_figure()
            plt.subplots(2, 3)
            for col, name in enumerate(curves.names, start=1):
                for row, data in ((1, curves.values), (2, curves.derivatives)):
                    sub = plt.subplot(row, col)
                    sub.plot(curves.z.tolist(), data[name].tolist(), marker="braille")
                    sub.title(("> " if name == current else "") + name + ("′" if row == 2 else ""))
    make = Curves
else:
    from textual.widgets import Static
    class Nothing(Static):
        def update(self, current):
            super().update(current)
    make = lambda: Nothing("nothing")
imported = time.perf_counter()

class Probe(App):
    def compose(self):
        yield make()

async def main():
    app = Probe()
    async with app.run_test(size=(80, 24)) as pilot:
        t0 = time.perf_counter()
        await pilot.pause()
        app.export_screenshot()  # a full frame, every line of the widget rendered
        t1 = time.perf_counter()
        widget = app.screen.children[0]
        for current in ("sigmoid", "tanh", "relu") * 3:
            widget.update(current=current) if variant == "ours" else widget.update(current)
            await pilot.pause()
            app.export_screenshot()
        return t1 - t0, (time.perf_counter() - t1) / 9

painted, repainted = asyncio.run(main())
print(json.dumps({{
    "import_ms": (imported - start) * 1000,
    "paint_ms": painted * 1000,
    "repaint_ms": repainted * 1000,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}}))
'''


def run(python: str, variant: str) -> dict:
    code = CHILD.format(root=str(ROOT), variant=variant)
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{variant}: {done.stderr.strip().splitlines()[-1]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--python", default=sys.executable, help="an interpreter with textual-plotext")
    args = parser.parse_args()
    variants = ["baseline", "ours", "plotext"]
    results: dict[str, list[dict]] = {v: [] for v in variants}
    for _ in range(args.runs):
        for variant in variants:
            results[variant].append(run(args.python, variant))
    print(f"median of {args.runs} alternated runs, {args.python}")
    print(f"{'variant':<10}{'import ms':>11}{'first paint ms':>16}{'per switch ms':>15}{'peak RSS MB':>13}")
    for variant, rows in results.items():
        keys = ("import_ms", "paint_ms", "repaint_ms", "rss_mb")
        figures = [statistics.median(r[key] for r in rows) for key in keys]
        print(f"{variant:<10}{figures[0]:>11.1f}{figures[1]:>16.1f}{figures[2]:>15.1f}{figures[3]:>13.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
