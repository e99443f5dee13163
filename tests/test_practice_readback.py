"""Guard: what a practice problem says is what it computes.

Over many seeds, every number and label of each practice stem and prompt is read back from the
text the student sees and found in the inputs of the computations that grade it (and the sizes
the text announces in the solver's results). A stem that prints b₄ where it says b₃, a class name
that disagrees with the one-hot y, or an output size with rows and columns swapped passed the
suite before this guard; the tests at the end plant each of those bugs in a copy of the templates
(or in the draw) and show the guard catches them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from tutor.exam import evaluate
from tutor.paths import default_content_dir
from tutor.practice import PRACTICE_QUESTIONS, Variant, draws, make_variant
from tutor.solver._steps import MINUS

SEEDS = range(120)
SUBSCRIPT = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


def num(text: str) -> float:
    return float(text.strip().rstrip(",").replace(MINUS, "-").replace(",", ""))


def vector(text: str) -> list[float]:
    return [num(v) for v in text.strip("[]() ").split(",")]


def grid_after(text: str, name: str) -> list[list[float]]:
    """The matrix printed after "name = " in the tutor's bracket display, one row a line."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.search(re.escape(name) + r"\s*=", line))
    column = re.search(re.escape(name) + r"\s*=\s*", lines[start]).end()
    rows = []
    for line in lines[start:]:
        cells = line[column:].strip()
        if not cells or cells[0] not in "⎡⎢⎣[":
            break
        rows.append([num(c) for c in cells.strip("⎡⎢⎣⎤⎥⎦[] ").split()])
        if cells[0] in "⎣[":
            break
    return rows


def same(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=0, atol=1e-9))


def find(pattern: str, text: str) -> re.Match:
    match = re.search(pattern, text, re.S)
    assert match, f"not found: {pattern!r} in {text!r}"
    return match


def texts(v: Variant) -> tuple[str, dict[str, str]]:
    return v.question.stem, {p.label: p.prompt for p in v.question.parts}


# One reader per question: what the text says, against what is computed --------------------------


def read_regression(v: Variant) -> list[str]:
    stem, _ = texts(v)
    args = v.question.computations["nll"].args
    out = []
    m = find(r"w = (\[[^\]]*\]),\s+b = (\S+),\s+σ = (\S+)", stem)
    if not same(vector(m.group(1)), args["w"]):
        out.append(f"w: the stem says {m.group(1)}, the computation has {args['w']}")
    if not same(num(m.group(2)), args["b"]) or not same(num(m.group(3)), args["sigma"]):
        out.append(f"b, σ: the stem says {m.group(2)}, {m.group(3)}; the computation has {args['b']}, {args['sigma']}")
    rows = re.findall(r"x⁽(\S+)⁾ = (\[[^\]]*\])\s+y⁽(\S+)⁾ = (\S+)", stem)
    n = int(find(r"the (\d+) independent examples", stem).group(1))
    if n != len(rows) or n != len(args["y"]):
        out.append(f"n: the stem says {n}, shows {len(rows)} rows, the computation has {len(args['y'])}")
    for i, (sup, x, sup_y, y) in enumerate(rows):
        if not same(vector(x), args["X"][i]) or not same(num(y), args["y"][i]) or sup != sup_y:
            out.append(f"example {i + 1}: the stem says x = {x}, y = {y}")
    return out


def read_softmax(v: Variant) -> list[str]:
    stem, _ = texts(v)
    args = v.question.computations["grad"].args
    out = []
    classes = {name: int(k) for k, name in re.findall(r'class (\d+) "(\w+)"', stem)}
    q = int(find(r"q = (\d+) classes", stem).group(1))
    if q != len(classes) or q != len(args["y"]):
        out.append(f"q: the stem says {q} and names {len(classes)} classes; y has {len(args['y'])} entries")
    m = find(r"image of an? (\w+) \(label y = (\[[^\]]*\])\)", stem)
    if not same(vector(m.group(2)), args["y"]):
        out.append(f"y: the stem says {m.group(2)}, the computation has {args['y']}")
    if classes.get(m.group(1)) != int(np.argmax(args["y"])) + 1:
        out.append(f"label: the stem says a {m.group(1)} (class {classes.get(m.group(1))}), y is class {int(np.argmax(args['y'])) + 1}")
    o = vector(find(r"o = \(([^)]*)\)", stem).group(1))
    if not same(o, args["o"]) or not same(o, v.question.computations["probabilities"].args["o"]):
        out.append(f"o: the stem says {o}, the computation has {args['o']}")
    explanation = v.question.parts[0].explanation
    said = find(r"\((\d+), an? (\w+)\)", explanation)
    if (int(said.group(1)), said.group(2)) != (int(np.argmax(args["y"])) + 1, m.group(1)):
        out.append(f"the explanation says class {said.group(1)}, a {said.group(2)}")
    return out


def read_network(v: Variant) -> list[str]:
    stem, _ = texts(v)
    forward, loss = v.question.computations["forward"].args, v.question.computations["loss_steps"].args
    (W1, b1, _), (W2, b2, _) = forward["layers"]
    said = {name.translate(SUBSCRIPT): num(value) for name, value in re.findall(r"\b([iwbt][₀-₉]+) = (\S+)", stem)}
    expected = {"i1": forward["x"][0], "i2": forward["x"][1], "t1": loss["t"][0], "t2": loss["t"][1],
                "b1": b1[0], "b2": b1[1], "b3": b2[0], "b4": b2[1]}
    expected |= {f"w{i + 1}{j + 1}": W1[i][j] for i in range(2) for j in range(2)}
    expected |= {f"w{i + 3}{j + 1}": W2[i][j] for i in range(2) for j in range(2)}
    out = [f"{name}: the stem says {said.get(name)}, the computation has {value}"
           for name, value in expected.items() if name not in said or not same(said[name], value)]
    if not same(loss["o"], evaluate(v.question.computations["forward"]).output):
        out.append("the loss is not computed from the forward pass's outputs")
    return out


def read_backprop(v: Variant) -> list[str]:
    stem, _ = texts(v)
    a = v.question.computations["grads"].args
    out = []
    m = find(r"d_x = (\d+),\s+d_h = (\d+)\s+and\s+n_c = (\d+)", stem)
    d_x, d_h, n_c = map(int, m.groups())
    for name, said, want in [("xᵀ", vector(find(r"xᵀ\s+= (\[[^\]]*\])", stem).group(1)), np.ravel(a["x"])),
                             ("b₁ᵀ", vector(find(r"b₁ᵀ = (\[[^\]]*\])", stem).group(1)), np.ravel(a["b1"])),
                             ("b₂ᵀ", vector(find(r"b₂ᵀ = (\[[^\]]*\])", stem).group(1)), np.ravel(a["b2"])),
                             ("W₁", grid_after(stem, "W₁"), a["W1"]), ("W₂", grid_after(stem, "W₂"), a["W2"])]:
        if not same(said, want):
            out.append(f"{name}: the stem says {said}, the computation has {np.asarray(want).tolist()}")
    if np.shape(a["W1"]) != (d_h, d_x) or np.shape(a["W2"]) != (n_c, d_h) or np.size(a["x"]) != d_x:
        out.append(f"sizes: the stem says d_x={d_x}, d_h={d_h}, n_c={n_c}; W₁ is {np.shape(a['W1'])}")
    y = find(r"yᵀ\s+= (\[[^\]]*\])\s+\(class (\d+)\)", stem)
    if not same(vector(y.group(1)), np.ravel(a["y"])) or int(y.group(2)) != int(np.argmax(a["y"])) + 1:
        out.append(f"y: the stem says {y.group(1)} (class {y.group(2)}), y is {np.ravel(a['y']).tolist()}")
    return out


def read_sizes(v: Variant) -> list[str]:
    stem, prompts = texts(v)
    c = v.question.computations
    out = []
    n = find(r"over an? (\d+)×(\d+) input", stem)
    if {int(n.group(1)), int(n.group(2))} != {c["padded"].args["n"]} or c["strided"].args["n"] != int(n.group(1)):
        out.append(f"n: the stem says {n.group(0)}")
    for label, name in (("a", "padded"), ("b", "strided")):
        m = find(r"Kernel k = (\d+), padding p = (\d+), stride s = (\d+)", prompts[label])
        args = c[name].args
        if tuple(map(int, m.groups())) != (args["kernel"], args["padding"], args["stride"]):
            out.append(f"({label}): the prompt says {m.group(0)}, the computation has {args}")
    m = find(r"kernel k = (\d+), stride s = (\d+) and padding p = (\d+)\s+takes the (\d+)×(\d+) output of \(b\)", prompts["c"])
    args = c["transposed"].args
    k, s, p, rows, cols = map(int, m.groups())
    if (k, s, p, rows) != (args["kernel"], args["stride"], args["padding"], args["n"]) or rows != cols:
        out.append(f"(c): the prompt says {m.group(0)}, the computation has {args}")
    if rows != evaluate(c["strided"]).output:
        out.append(f"(c): the prompt says the output of (b) is {rows}×{cols}, (b)'s is {evaluate(c['strided']).output}")
    return out


def read_pooling(v: Variant) -> list[str]:
    stem, prompts = texts(v)
    pool = v.question.computations["pool"]
    args, result = pool.args, evaluate(pool)
    out = []
    m = find(r"Apply (\d+)×(\d+) (\w+) pooling with stride (\d+) and padding (\d+) to the (\d+)×(\d+) input", stem)
    size, size2, name, stride, padding, rows, cols = m.groups()
    if (int(size), int(size2), int(stride), int(padding)) != (args["size"], args["size"], args["stride"], args["padding"]):
        out.append(f"the stem says {m.group(0)}, the computation has {args}")
    if {"max": "max", "average": "avg"}.get(name) != args["mode"]:
        out.append(f"the stem says {name} pooling, the computation pools by {args['mode']}")
    x = _input_grid(stem)
    if not same(x, args["x"]) or np.shape(args["x"]) != (int(rows), int(cols)):
        out.append(f"the input: the stem shows a {np.shape(x)} grid said to be {rows}×{cols}; the computation has {np.shape(args['x'])}")
    p = find(r"The (\d+)×(\d+) output of the pooling, with the (\d+) windows shown", prompts["a"])
    if (int(p.group(1)), int(p.group(2))) != result.output.shape or int(p.group(3)) != result.output.size:
        out.append(f"the prompt says {p.group(0)!r}, the output is {result.output.shape}")
    reach = [(n - 1) * args["stride"] + args["size"] for n in result.output.shape]
    covered = reach == [int(rows) + 2 * args["padding"], int(cols) + 2 * args["padding"]]
    if covered and "left out" in stem:
        out.append("the stem says that rows or columns are left out, yet the windows reach the end")
    if not covered and "left out" not in stem:
        out.append("the stem does not say that rows or columns are left out, yet the windows do not reach the end")
    if ("pads with −∞" in stem) != (args["mode"] == "max") or ("2 decimals" in prompts["a"]) != (args["mode"] == "avg"):
        out.append("the padding or rounding rule is not the mode's")
    return out


def _input_grid(stem: str) -> list[list[float]]:
    lines = [line.strip() for line in stem.splitlines() if line.strip()[:1] in ("⎡", "⎢", "⎣", "[")]
    return [[num(c) for c in line.strip("⎡⎢⎣⎤⎥⎦[] ").split()] for line in lines]


def read_bottleneck(v: Variant) -> list[str]:
    stem, prompts = texts(v)
    c = v.question.computations
    plain, neck = c["plain_steps"].args, c["bottleneck_steps"].args
    out = []
    c_in = int(find(r"with (\d+) input channels", stem).group(1))
    a = find(r"a (\d+)×(\d+) convolution from the (\d+) input channels to (\d+) output\s+channels", prompts["a"])
    k, k2, a_in, a_out = map(int, a.groups())
    if (k, k2, a_in, a_out) != (plain["kernel"], plain["kernel"], plain["in_channels"], plain["out_channels"]):
        out.append(f"(a): the prompt says {a.group(0)!r}, the computation has {plain}")
    b = find(r"a 1×1 convolution from the (\d+) channels to (\d+) channels, then a (\d+)×(\d+)\s+convolution "
             r"from those (\d+) channels to (\d+) channels", prompts["b"])
    b_in, mid, k, k2, mid2, b_out = map(int, b.groups())
    if (b_in, mid, k, k2, mid2, b_out) != (neck["in_channels"], neck["mid_channels"], neck["kernel"], neck["kernel"],
                                           neck["mid_channels"], neck["out_channels"]):
        out.append(f"(b): the prompt says {b.group(0)!r}, the computation has {neck}")
    if not c_in == a_in == b_in:
        out.append(f"input channels: the stem says {c_in}, the prompts {a_in} and {b_in}")
    return out


READERS = {2: read_regression, 4: read_softmax, 5: read_network, 6: read_backprop, 7: read_sizes,
           8: read_pooling, 9: read_bottleneck}


def problems(number: int, seeds=SEEDS, content_dir=None) -> list[str]:
    found = []
    for seed in seeds:
        v = make_variant(number, seed, content_dir=content_dir)
        found += [f"seed {seed}: {problem}" for problem in READERS[number](v)]
    return found


def test_every_practice_question_has_a_reader():
    assert set(READERS) == set(PRACTICE_QUESTIONS)


@pytest.mark.parametrize("number", PRACTICE_QUESTIONS)
def test_every_number_and_label_of_the_text_is_the_computations(number):
    assert problems(number) == []


# The guard catches the bugs that slipped past the suite -------------------------------------------


@pytest.fixture
def content(tmp_path) -> Path:
    return Path(shutil.copytree(default_content_dir(), tmp_path / "content"))


def plant(content: Path, number: int, old: str, new: str) -> None:
    path = content / "practice" / f"q{number:02d}.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_wrong_b3_in_the_stem_is_caught(content):
    plant(content, 5, "b₃ = {b3}", "b₃ = {b4}")
    found = problems(5, range(20), content)
    assert found and all("b3: the stem says" in f for f in found)


def test_a_wrong_b3_from_the_draw_is_caught(monkeypatch):
    draw = draws.DRAWS["network"]

    def swapped(rng, d):
        values = draw(rng, d)
        return values | {"b3": values["b4"], "b4": values["b3"]}

    monkeypatch.setattr(draws, "DRAWS", {**draws.DRAWS, "network": swapped})
    found = problems(5, range(20))
    assert found and any("b3: the stem says" in f for f in found)


def test_a_class_label_that_disagrees_with_y_is_caught(content):
    plant(content, 4, 'class 1 "cat", class 2 "chicken"', 'class 1 "chicken", class 2 "cat"')
    assert any("label: the stem says" in f for f in problems(4, range(30), content))
    plant(content, 6, "(class {label_number})", "(class {n_c})")
    assert any("y: the stem says" in f for f in problems(6, range(30), content))


def test_an_output_size_with_rows_and_columns_swapped_is_caught(content):
    plant(content, 8, "The {out_rows}×{out_cols} output", "The {out_cols}×{out_rows} output")
    found = problems(8, range(60), content)
    assert found and all("the prompt says 'The" in f for f in found)  # only where the output is not square


def test_a_stem_that_hides_the_floor_rule_is_caught(content):
    plant(content, 8, "{padding_rule}{coverage_rule}", "{padding_rule}")
    assert any("does not say that rows or columns are left out" in f for f in problems(8, range(60), content))
