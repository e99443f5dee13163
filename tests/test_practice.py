"""Practice mode: variants are well-posed, reproducible, graded by the solver's own answers, stepped
through like the exam's, and the "what next" helpers rank hand-made progress records."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor import solver
from tutor.exam import ContentError, evaluate, load_exam, select
from tutor.grading import grade
from tutor.practice import (
    PRACTICE_QUESTIONS,
    SEED_LIMIT,
    SEED_MAX,
    Variant,
    make_variant,
    new_seed,
    parse_seed,
    practice_parts,
    weakest_parts,
    wrong_parts,
)
from tutor.progress import AnswerRecord
from tutor.solver import format_number

ROOT = Path(__file__).resolve().parent.parent
SEEDS = range(200)


@pytest.fixture(scope="module")
def exam():
    return load_exam(prove=False)


@pytest.fixture(scope="module")
def variants() -> dict[int, list[Variant]]:
    return {n: [make_variant(n, seed) for seed in SEEDS] for n in PRACTICE_QUESTIONS}


def part(variant: Variant, label: str):
    return next(p for p in variant.question.parts if p.label == label)


def args(variant: Variant, name: str) -> dict:
    return variant.question.computations[name].args


def one_decimal(values, low, high) -> bool:
    a = np.asarray(values, dtype=float)
    return bool(np.all((a >= low) & (a <= high)) and np.allclose(a * 10, np.round(a * 10)))


def texts(variant: Variant) -> list[str]:
    q = variant.question
    out = [q.title, q.stem]
    for p in q.parts:
        out += [p.prompt, p.rubric, p.explanation, p.answer_text, p.work_required, *(b.name for b in p.blanks)]
    return out


# ------------------------------------------------------------------------------------- the API


def test_practice_questions_are_the_computational_ones():
    assert PRACTICE_QUESTIONS == (2, 4, 5, 6, 7, 8, 9)


def test_new_seed_is_a_positive_int_below_two_to_the_32():
    seeds = {new_seed() for _ in range(50)}
    assert all(isinstance(s, int) and 0 < s < SEED_LIMIT for s in seeds)
    assert len(seeds) > 45


def test_a_variant_without_a_seed_gets_a_fresh_one_that_reproduces_it():
    first = make_variant(8)
    again = make_variant(8, first.seed)
    assert 0 < first.seed < SEED_LIMIT
    assert again.question.stem == first.question.stem


@pytest.mark.parametrize("number", [1, 3, 10, 11, 0])
def test_questions_without_practice_are_refused(number):
    with pytest.raises(ValueError, match="no practice"):
        make_variant(number, 1)


@pytest.mark.parametrize("seed", [-1, 1.5, "12", True])
def test_bad_seeds_are_refused(seed):
    with pytest.raises(ValueError, match="seed"):
        make_variant(8, seed)


def test_parse_seed_reads_what_the_student_types_back():
    assert parse_seed(" 1,234 ") == 1234
    assert parse_seed(str(2**32 - 1)) == 2**32 - 1
    for bad in ("", "-3", "12a", "1.5", "١٢", "1" * 4301):
        with pytest.raises(ValueError, match="not a seed"):
            parse_seed(bad)


def test_practice_parts_follow_the_templates_in_exam_order():
    parts = practice_parts()
    assert parts == tuple(sorted(parts))
    assert {n for n, _ in parts} == set(PRACTICE_QUESTIONS)
    assert (8, "a") in parts and (5, "a") not in parts  # 5(a) asks why ReLU: no numbers


def test_the_module_imports_neither_textual_nor_sympy():
    code = "import sys, tutor.practice; print(sorted(m for m in ('textual', 'sympy', 'rich') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


# ------------------------------------------------------------------- variants are well-posed


def test_every_variant_is_a_full_question_matching_the_exam(variants, exam):
    for number, drawn in variants.items():
        paper = exam.question(number)
        exam_parts = {p.label: p for p in paper.parts}
        for v in drawn:
            q = v.question
            assert (v.number, q.number) == (number, number)
            assert q.points == sum(p.points for p in q.parts)
            for p in q.parts:
                assert p.label in exam_parts, f"{number}({p.label}) is not a part of the exam"
                assert p.points == exam_parts[p.label].points
                assert p.kind in ("number", "values", "matrix", "shape", "formula")
                assert p.steps in q.computations and p.source in q.computations
            for text in texts(v):
                assert "{" not in text and "}" not in text, text  # every placeholder filled
                assert "\\" not in text and "$" not in text, text  # Unicode math, no LaTeX
            json.dumps({name: c.args for name, c in q.computations.items()})  # plain data, as in the files


def test_every_answer_is_finite_and_is_the_solvers(variants):
    for drawn in variants.values():
        for v in drawn:
            results = {name: evaluate(c) for name, c in v.question.computations.items()}
            for p in v.question.parts:
                if p.kind == "values":
                    for b in p.blanks:
                        assert math.isfinite(b.answer)
                        assert b.answer == float(select(results[b.source], b.select))
                elif p.kind == "number":
                    assert math.isfinite(p.answer)
                    assert p.answer == float(select(results[p.source], p.select))
                elif p.kind == "matrix":
                    got = np.asarray(select(results[p.source], p.select), dtype=float)
                    assert np.isfinite(got).all() and np.array_equal(np.asarray(p.answer), got)
                elif p.kind == "formula":  # its shape at this variant's sizes is the solver's
                    dims = [str(p.dims.get(d, d)) for d in p.formula.shape.split("×")]
                    assert dims == [str(n) for n in np.shape(select(results[p.source], p.select))]
                    assert all(int(d) >= 1 for d in dims) and "×".join(dims) in p.answer_text
                else:
                    dims = p.answer.split("×")
                    assert dims == [str(n) for n in np.shape(select(results[p.source], p.select))]
                    assert all(int(d) >= 1 for d in dims)


def test_pooling_variants_are_well_posed(variants):
    shapes, modes = set(), set()
    for v in variants[8]:
        a = args(v, "pool")
        x, k, s, p, mode = np.asarray(a["x"]), a["size"], a["stride"], a["padding"], a["mode"]
        assert 3 <= x.shape[0] <= 6 and 3 <= x.shape[1] <= 6
        assert k in (2, 3) and 1 <= s <= min(k, 3) and 0 <= p <= k // 2 and mode in ("max", "avg")
        assert k <= min(x.shape) + 2 * p  # the window fits the padded input
        out = np.asarray(part(v, "a").answer)
        assert out.shape == tuple((n + 2 * p - k) // s + 1 for n in x.shape) and out.size >= 2
        assert np.array_equal(out, solver.pool2d(x, k, s, p, mode).output)
        shapes.add(x.shape)
        modes.add(mode)
    assert len(shapes) > 10 and modes == {"max", "avg"}


def test_network_variants_have_a_live_hidden_unit_and_tenths_in_range(variants):
    dead_some = 0
    for v in variants[5]:
        a = args(v, "forward")
        (W1, b1, act1), (W2, b2, act2) = a["layers"]
        assert (act1, act2) == ("relu", "identity")
        for values in (a["x"], W1, b1, W2, b2, args(v, "loss_steps")["t"]):
            assert one_decimal(values, -2, 2)
        forward = evaluate(v.question.computations["forward"])
        assert (forward.pre[0] > 0).any()
        dead_some += int((forward.pre[0] <= 0).any())
        assert args(v, "loss_steps")["o"] == forward.output.tolist()
    assert dead_some > 0  # one dead unit is allowed: it is part of the lesson


def test_backprop_variants_have_distinct_sizes_and_a_live_hidden_unit(variants):
    for v in variants[6]:
        a = args(v, "grads")
        d_x, d_h, n_c = len(a["x"]), len(a["b1"]), len(a["b2"])
        assert len({d_x, d_h, n_c}) == 3
        assert np.asarray(a["W1"]).shape == (d_h, d_x) and np.asarray(a["W2"]).shape == (n_c, d_h)
        assert sorted(np.ravel(a["y"]).tolist()) == [0.0] * (n_c - 1) + [1.0]
        z1 = np.asarray(a["W1"]) @ np.asarray(a["x"]) + np.asarray(a["b1"])
        assert (z1 > 0).any()
        assert [p.answer for p in v.question.parts] == ["δ₁ᵀh₁ᵀ", "δ₁ᵀ", "δ₂ᵀxᵀ", "δ₂ᵀ", "W₁ᵀδ₂ᵀ"]
        shapes = [f"{n_c}×{d_h}", f"{n_c}×1", f"{d_h}×{d_x}", f"{d_h}×1", f"{d_x}×1"]
        assert [p.answer_text.rsplit(" = ", 1)[-1] for p in v.question.parts] == shapes
        assert all(p.dims == {"d_x": d_x, "d_h": d_h, "n_c": n_c} for p in v.question.parts)


def test_size_variants_are_well_posed(variants):
    for v in variants[7]:
        padded, strided, transposed = (args(v, n) for n in ("padded", "strided", "transposed"))
        for a in (padded, strided):
            assert a["kernel"] <= a["n"] + 2 * a["padding"] and a["padding"] <= a["kernel"] // 2
        assert strided["stride"] >= 2 and padded["stride"] == 1
        sizes = [part(v, label).answer for label in "abc"]
        assert all(s >= 1 and s == int(s) for s in sizes)
        assert transposed["n"] == sizes[1]
        assert sizes[2] == solver.conv_transpose_output_size(int(sizes[1]), strided["kernel"], strided["stride"], strided["padding"])


def test_bottleneck_variants_are_well_posed(variants):
    for v in variants[9]:
        a = args(v, "bottleneck_steps")
        assert 8 <= a["in_channels"] <= 256 and 8 <= a["out_channels"] <= 256
        assert a["kernel"] in (3, 5, 7)
        assert 1 <= a["mid_channels"] < min(a["in_channels"], a["out_channels"])
        plain = solver.conv_params(a["in_channels"], a["out_channels"], a["kernel"])
        assert part(v, "a").answer == plain
        assert part(v, "b").answer == solver.bottleneck_params(**a)
        assert part(v, "c").answer == pytest.approx(plain / part(v, "b").answer)


def test_softmax_and_regression_variants_are_well_posed(variants):
    for v in variants[4]:
        a = args(v, "grad")
        assert one_decimal(a["o"], -3, 3) and sorted(a["y"]) == [0.0, 0.0, 1.0]
        answers = part(v, "c").answer
        assert sum(answers[:3]) == pytest.approx(1) and sum(answers[3:]) == pytest.approx(0, abs=1e-12)
    for v in variants[2]:
        a = args(v, "nll")
        assert a["sigma"] > 0 and one_decimal(a["X"], -2, 2)
        assert part(v, "a").answer == pytest.approx(solver.gaussian_nll(**a))


def test_the_same_seed_gives_the_same_problem_and_other_seeds_usually_differ(variants):
    for number, drawn in variants.items():
        for seed in (0, 17, 199):
            again = make_variant(number, seed)
            assert again.question.stem == drawn[seed].question.stem
            assert [p.answer for p in again.question.parts] == [p.answer for p in drawn[seed].question.parts]
            assert again.question.computations == drawn[seed].question.computations
        problems = {(v.question.stem, tuple(p.prompt for p in v.question.parts)) for v in drawn}
        assert len(problems) > 0.9 * len(drawn), number


@settings(deadline=None, max_examples=40)
@given(number=st.sampled_from(PRACTICE_QUESTIONS), seed=st.integers(0, SEED_MAX))  # what SQLite can store
def test_any_seed_gives_a_reproducible_gradable_variant(number, seed):
    v = make_variant(number, seed)
    assert v.seed == seed
    assert make_variant(number, seed).question.stem == v.question.stem
    for p in v.question.parts:
        assert grade(p, typed(p), work_shown=True).status == "correct"


# ----------------------------------------------------------------------------------- grading


def number_text(value: float, tolerance: float, decimals: int | None = None) -> str:
    """What a student types: 2 decimals where the part asks for them, else the exact number."""
    return f"{value:.{decimals}f}" if decimals is not None else format_number(value)


def typed(p) -> object:
    if p.kind == "number":
        return number_text(p.answer, p.tolerance, p.decimals)
    if p.kind == "values":
        return {b.name: number_text(b.answer, p.tolerance, p.decimals) for b in p.blanks}
    if p.kind == "matrix":
        return "; ".join(" ".join(number_text(v, p.tolerance, p.decimals) for v in row) for row in p.answer)
    return p.answer


def test_grading_accepts_the_solvers_own_answers_as_a_student_types_them(variants):
    for drawn in variants.values():
        for v in drawn[:60]:
            for p in v.question.parts:
                result = grade(p, typed(p), work_shown=True)
                assert result.status == "correct", (v.number, v.seed, p.label, typed(p), result.feedback)
                assert result.score == p.points


def test_values_typed_as_one_line_of_names_are_accepted(variants):
    v = variants[5][3]
    b = part(v, "b")
    line = "; ".join(f"{blank.name.replace('₁', '1').replace('₂', '2').replace('₃', '3').replace('₄', '4')} = {blank.answer:.2f}"
                     for blank in b.blanks)
    assert grade(b, line).status == "correct"


def test_grading_rejects_perturbed_answers(variants):
    for drawn in variants.values():
        for v in drawn[:60]:
            for p in v.question.parts:
                off = p.tolerance + 0.5
                if p.kind == "number":
                    assert grade(p, number_text(p.answer + off, p.tolerance, p.decimals)).status == "wrong"
                    assert grade(p, number_text(p.answer - off, p.tolerance, p.decimals)).status == "wrong"
                elif p.kind == "values":
                    answers = typed(p)
                    first = p.blanks[-1].name
                    answers[first] = number_text(p.blanks[-1].answer + off, p.tolerance, p.decimals)
                    result = grade(p, answers)
                    assert result.status != "correct" and result.details == (first,)
                elif p.kind == "matrix":
                    cells = [list(row) for row in p.answer]
                    cells[-1][0] += off
                    text = "; ".join(" ".join(number_text(c, p.tolerance, p.decimals) for c in row) for row in cells)
                    result = grade(p, text, work_shown=True)
                    assert result.status != "correct" and result.details == ((len(cells) - 1, 0),)


def test_a_shape_alone_earns_the_partial_credit_and_only_the_right_one(variants):
    for v in variants[6][:40]:
        a = args(v, "grads")
        sizes = {len(a["x"]), len(a["b1"]), len(a["b2"]), 1}
        for p in v.question.parts:
            rows, cols = (str(p.dims.get(d, d)) for d in p.formula.shape.split("×"))
            for typed in (f"{rows}×{cols}", f"{cols} x {rows}", p.formula.shape):
                result = grade(p, typed)
                assert (result.status, result.score) == ("partial", p.partial_points), (typed, result)
            for r in sizes:
                for c in sizes:
                    if {(str(r), str(c)), (str(c), str(r))} != {(rows, cols), (cols, rows)}:
                        assert grade(p, f"{r}×{c}").status == "wrong", (p.formula.shape, r, c)


def test_the_formula_examples_of_the_template_are_right_and_wrong_for_every_variant(variants):
    from tutor.formula_grading import prove

    for v in variants[6][:40]:
        for p in v.question.parts:
            assert prove(p) == [], (v.seed, p.label)
            assert len(p.formula.accept) >= 3 and len(p.formula.reject) >= 3


def test_pooling_without_the_windows_earns_the_exams_partial_points(variants):
    p = part(variants[8][0], "a")
    assert (p.partial_points, p.points) == (4, 6) and p.work_required
    result = grade(p, typed(p), work_shown=False)
    assert (result.status, result.score) == ("partial", 4)


def test_answers_that_are_not_whole_are_asked_to_2_decimals_and_graded_by_that_rounding(variants):
    for drawn in variants.values():
        for v in drawn:
            for p in v.question.parts:
                if p.kind in ("shape", "formula"):
                    continue
                answers = [b.answer for b in p.blanks] if p.kind == "values" else np.ravel(p.answer).tolist()
                if all(float(a).is_integer() for a in answers):
                    continue
                assert p.decimals == 2, (v.number, p.label)
                assert "2 decimals" in v.question.stem + p.prompt, (v.number, p.label)
                assert "2 decimals" in p.rubric and "ours" in p.rubric, (v.number, p.label)


# ------------------------------------------------------------------------------ step-through


def exam_computation(exam, number: int, label: str):
    paper = exam.question(number)
    p = next(p for p in paper.parts if p.label == label)
    name = p.example if p.steps.startswith("symbolic:") else p.steps
    return paper.computations[name]


def expected_steps(number: int, label: str, result) -> int:
    """The length of a complete trace, by the structure of the problem."""
    if number == 8:
        return result.output.size + 1  # one step per window, then the output
    if number == 5 and label == "b":
        return 6  # one per unit: h₁ h₂, h₃ h₄, o₁ o₂
    if number == 5:
        return 3  # one per output's squared error, then E
    if number == 4:
        return 2 * result.output.size + 3  # Σ exp, ŷⱼ, l, ∂l/∂oⱼ, the gradient
    return {2: 4, 6: 7, 7: 1, 9: {"a": 1, "b": 4, "c": 4}.get(label)}[number]


def test_the_step_trace_is_as_complete_as_the_exams(variants, exam):
    for number, drawn in variants.items():
        for v in drawn[:40]:
            for p in v.question.parts:
                ours = v.question.computations[p.steps]
                theirs = exam_computation(exam, number, p.label)
                assert ours.call == theirs.call
                mine = evaluate(ours)
                # the exam's own computation, run on this variant's numbers
                reference = evaluate(theirs, **ours.args)
                assert [s.label for s in mine.steps] == [s.label for s in reference.steps]
                assert len(mine.steps) == expected_steps(number, p.label, mine)
                assert all(s.label and s.value is not None for s in mine.steps)
    for number in PRACTICE_QUESTIONS:  # the same rule holds for the exam's own numbers
        for p in make_variant(number, 0).question.parts:
            result = evaluate(exam_computation(exam, number, p.label))
            assert len(result.steps) == expected_steps(number, p.label, result)


# ------------------------------------------------------------------------ malformed templates


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('kind = "matrix"', 'kind = "essay"', r"practice/q08\.toml:\d+: parts\[a\]\.kind: 'essay' is not a practice kind"),
        ('steps = "pool"', 'steps = "pooling"', r"parts\[a\]\.steps: no computation named 'pooling'"),
        ("{rows}×{cols} input", "{rows}×{colls} input", r"stem: \{colls\} is not a field here"),
        ('sizes = [2, 3]', 'sizes = "2"', r"draw\.sizes: expected a non-empty array"),
        ('call = "pool2d"', 'call = "pool3d"', r"computations\.pool\.call: 'pool3d' is not a tutor\.solver function"),
        ('select = "output"', 'select = "outptu"', r"parts\[a\]\.select: 'outptu' does not resolve"),
        ('kind = "pooling"', 'kind = "poolin"', r"practice/q08\.toml:17: draw\.kind: 'poolin' is not a draw "
                                                r"\(one of .*\) \(did you mean 'pooling'\?\)"),
        ('kind = "pooling"', '', r"draw\.kind: missing: the draw of these ranges \(one of regression, "),
    ],
)
def test_a_malformed_template_gives_one_clear_line(content, old, new, message):
    edit(content / "practice" / "q08.toml", old, new)
    with pytest.raises(ContentError) as raised:
        make_variant(8, 1, content_dir=content)
    assert len(raised.value.problems) == 1
    assert raised.value.problems[0].count("\n") == 0
    assert re.search(message, raised.value.problems[0]), raised.value.problems


def test_a_missing_template_is_no_practice_and_one_that_cannot_be_read_names_its_file(content):
    # which questions have practice is which templates are there: no list of numbers in Python
    (content / "practice" / "q09.toml").unlink()
    with pytest.raises(ValueError, match=r"question 9 has no practice \(practice: 2, 4, 5, 6, 7, 8\)"):
        make_variant(9, 1, content_dir=content)
    (content / "practice" / "q09.toml").symlink_to(content / "practice" / "gone.toml")  # there, unreadable
    with pytest.raises(ContentError, match=r"practice/q09\.toml:0: file: cannot be read"):
        make_variant(9, 1, content_dir=content)


def test_an_edited_template_is_read_again(content):
    first = make_variant(8, 5, content_dir=content)
    edit(content / "practice" / "q08.toml", "Show each pooling window", "Write down each pooling window")
    assert "Write down each" in make_variant(8, 5, content_dir=content).question.stem
    assert "Show each" in first.question.stem


# ----------------------------------------------------------------------- what to practise next

PARTS = [(5, "b"), (5, "c"), (6, "a"), (8, "a"), (9, "a")]


def practice(question, part, score, points, at):
    return {"question": question, "part": part, "seed": 1, "score": score, "points": points, "done_at": at}


def answer(question, part, score, points, *, status=None, at=100.0):
    if status is None:
        status = "correct" if score == points else "partial" if score else "wrong"
    checked = None if status == "typed" else at
    return AnswerRecord(question, part, '"x"', score, points, status, checked, False, 0)


def test_weakest_parts_rank_weak_then_untried_then_mastered():
    results = [  # newest first, as the store returns them
        practice(8, "a", 0, 6, 50), practice(8, "a", 6, 6, 40), practice(8, "a", 6, 6, 30),
        practice(8, "a", 0, 6, 20),  # a fourth result: too old to count
        practice(9, "a", 3, 3, 45),
    ]
    answers = {(5, "b"): answer(5, "b", 1, 5, at=10), (3, "b"): answer(3, "b", 0, 3, at=10)}
    ranked = weakest_parts(results, answers, limit=None, parts=PARTS)
    assert ranked == [(5, "b"), (8, "a"), (5, "c"), (6, "a"), (9, "a")]
    assert weakest_parts(results, answers, parts=PARTS) == ranked[:3]
    assert weakest_parts(results, answers, limit=1, parts=PARTS) == [(5, "b")]
    assert weakest_parts(results, answers, limit=0, parts=PARTS) == []


def test_exam_answers_count_by_their_time_among_the_recent_three():
    results = [practice(8, "a", 6, 6, t) for t in (50, 40, 30)]
    old = {(8, "a"): answer(8, "a", 0, 6, at=10)}
    new = {(8, "a"): answer(8, "a", 0, 6, at=60)}
    assert weakest_parts(results, old, limit=None, parts=[(8, "a"), (9, "a")]) == [(9, "a"), (8, "a")]
    assert weakest_parts(results, new, limit=None, parts=[(8, "a"), (9, "a")]) == [(8, "a"), (9, "a")]


def test_ties_follow_exam_order_and_drafts_do_not_count():
    results = [practice(9, "a", 0, 3, 5), practice(5, "c", 0, 3, 4)]
    answers = [answer(6, "a", None, 4, status="typed"), answer(8, "a", 0, 6, status="invalid")]
    assert weakest_parts(results, answers, limit=None, parts=PARTS) == [(5, "c"), (9, "a"), (5, "b"), (6, "a"), (8, "a")]


def test_weakest_parts_default_to_every_practice_part():
    ranked = weakest_parts([practice(7, "b", 1, 2, 1)], {}, limit=None)
    assert ranked[0] == (7, "b") and set(ranked) == set(practice_parts())
    assert weakest_parts([], {}) == list(practice_parts()[:3])


def test_wrong_parts_are_the_checked_parts_below_full_marks_in_exam_order():
    answers = {
        (10, "b"): answer(10, "b", 1, 3),
        (9, "a"): answer(9, "a", 3, 3),
        (2, "b"): answer(2, "b", 0, 4),
        (2, "a"): answer(2, "a", 5, 10),
        (6, "c"): answer(6, "c", None, 4, status="typed"),
        (1, "c"): answer(1, "c", 0, 1),
    }
    assert wrong_parts(answers) == [(1, "c"), (2, "a"), (2, "b"), (10, "b")]
    assert wrong_parts(list(answers.values())) == wrong_parts(answers)
    assert wrong_parts({}) == []


# ------------------------------------------------------------------------- named mistakes, rounding


def test_every_practice_mistake_is_readable_wrong_and_from_the_solver(variants):
    from tutor.exam import prove_mistakes

    counts = {}
    for number, drawn in variants.items():
        for v in drawn[:80]:
            for p in v.question.parts:
                assert prove_mistakes(None, p) == [], (number, v.seed, p.label)
                counts[(number, p.label)] = counts.get((number, p.label), 0) + len(p.mistakes)
    # the questions whose templates name mistakes carry them in most variants
    for key in [(2, "a"), (2, "b"), (4, "c"), (7, "b"), (8, "a"), (9, "a"), (9, "b")]:
        assert counts[key] >= 40, (key, counts[key])


def test_a_practice_mistake_is_said_on_a_wrong_check(variants):
    v = variants[9][0]
    a, b = part(v, "a"), part(v, "b")
    c_in, c_out, k = args(v, "plain_steps")["in_channels"], args(v, "plain_steps")["out_channels"], args(v, "plain_steps")["kernel"]
    with_biases = solver.conv_params(c_in, c_out, k, bias=True)
    result = grade(a, f"{with_biases:,} params")
    assert result.status == "wrong" and f"counts the {c_out} biases" in result.feedback
    second = solver.conv_params(args(v, "bottleneck_steps")["mid_channels"], c_out, k)
    assert "the second layer only" in grade(b, str(second)).feedback
    for v in variants[8]:
        p = part(v, "a")
        out = np.asarray(p.answer)
        if out.shape[0] == out.shape[1] and not np.allclose(out, out.T):
            typed = "; ".join(" ".join(f"{c:.2f}" for c in row) for row in out.T)
            assert "Rows and columns swapped" in grade(p, typed, work_shown=True).feedback
            break
    else:
        pytest.fail("no square, non-symmetric pooling output in 200 seeds")


def test_relu_forgotten_is_named_when_a_hidden_unit_is_negative(variants):
    for v in variants[5]:
        b = part(v, "b")
        pre = [blank.answer for blank in b.blanks[:2]]
        if min(pre) < 0:
            linear = {blank.name: f"{value:.2f}" for blank, value in zip(
                b.blanks, [*pre, *pre, *evaluate(v.question.computations["forward_without_relu"]).output])}
            result = grade(b, linear)
            assert result.status != "correct" and "ReLU not applied" in result.feedback, (v.seed, result)
            return
    pytest.fail("no variant with a negative hidden unit")


def test_a_rounding_slip_in_practice_keeps_most_of_the_credit_with_a_note(variants):
    seen = 0
    for v in variants[2][:40]:
        a = part(v, "a")
        rounded = float(f"{a.answer:.2f}")
        if abs(rounded - a.answer) > 0.004:
            continue  # near a half: either rounding is right
        result = grade(a, f"{rounded + 0.01:.2f}")
        assert (result.status, result.score) == ("partial", 9), (v.seed, result)
        assert "rounding slip" in result.feedback and "to 2 decimals" in result.feedback
        assert grade(a, f"{rounded + 0.02:.2f}").status == "wrong"
        assert grade(a, f"{a.answer:.4f}").status == "correct"
        seen += 1
    assert seen >= 20
