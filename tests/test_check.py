"""`itm528-tutor check` (tutor.check.run_check): the summary, the JSON outline, the problems."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from tutor.check import run_check
from tutor.paths import default_content_dir

MINI = Path(__file__).parent / "fixtures" / "mini_exam"
POINTS = [5, 14, 5, 20, 10, 20, 6, 6, 8, 6]


def check(content=None, as_json=False) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run_check(content, as_json=as_json, out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_the_real_content_passes():
    status, out, err = check()
    assert (status, err) == (0, "")
    assert out == (
        "ITM 528 Deep Learning: 10 questions, 100 points, "
        "10 numeric answers and 5 formulas proven by the solver "
        "(136 example answers accepted or rejected as the content says); "
        "24 named mistakes read by the grader and proven wrong\n"
    )


def test_json_outline():
    status, out, err = check(as_json=True)
    assert (status, err) == (0, "")
    outline = json.loads(out)
    assert list(outline) == ["total", "questions"]
    assert outline["total"] == 100 and isinstance(outline["total"], int)
    assert [q["points"] for q in outline["questions"]] == POINTS
    first = outline["questions"][0]
    assert first == {
        "number": 1,
        "title": "True or false",
        "points": 5,
        "parts": [{"label": label, "points": 1, "kind": "true_false"} for label in "abcde"],
    }
    for question in outline["questions"]:
        assert list(question) == ["number", "title", "points", "parts"]
        assert sum(p["points"] for p in question["parts"]) == question["points"]
        assert all(list(p) == ["label", "points", "kind"] for p in question["parts"])
    parts = {(q["number"], p["label"]): p for q in outline["questions"] for p in q["parts"]}
    assert parts[(2, "b")] == {"label": "b", "points": 4, "kind": "text"}
    assert parts[(5, "b")]["kind"] == "values" and parts[(8, "a")]["kind"] == "matrix"


def test_a_broken_copy_fails_with_every_line(tmp_path):
    content = Path(shutil.copytree(default_content_dir(), tmp_path / "content"))
    for name, old, new in [("q09.toml", "answer = 18432", "answer = 18000"),
                           ("q03.toml", "points = 5", "points = 6")]:
        path = content / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    for as_json in (False, True):
        status, out, err = check(str(content), as_json=as_json)
        assert (status, out) == (1, "")
        lines = err.splitlines()
        assert lines[0].startswith("q03.toml:") and lines[0].endswith(": points: 6 but the parts add up to 5")
        assert lines[1].startswith("q09.toml:") and "parts[a].answer: 18000 but the solver gives 18432" in lines[1]
        assert lines[2] == "exam.toml:4: total: 100 but the questions add up to 101"
        assert lines[3] == "itm528-tutor: the content has 3 problems"


def test_a_named_mistake_that_is_right_or_unreadable_fails_the_check(tmp_path):
    content = Path(shutil.copytree(default_content_dir(), tmp_path / "content"))
    for name, old, new in [("q09.toml", 'answer = "18496"', 'answer = "18,432 weights"'),
                           ("q09.toml", 'answer = "288"', 'answer = "two hundred"'),
                           ("q05.toml", 'answer = "h₂ = 0.5"', 'answer = "h₂ = -0.5"'),
                           ("q05.toml", 'answer = "h₄ = -0.5"', 'answer = "x = 1"'),
                           ("q08.toml", 'answer = "6 9; 8 7"', 'answer = "[[6, 8], [9, 7]]"')]:
        path = content / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    status, out, err = check(str(content))
    assert (status, out) == (1, "")
    lines = err.splitlines()
    assert len(lines) == 6 and lines[-1] == "itm528-tutor: the content has 5 problems"
    expected = [
        ("q05.toml:", "mistakes[1].answer: 'h₂ = -0.5' grades as correct"),
        ("q05.toml:", "mistakes[4].answer: 'x = 1' cannot be read: 'x' is not one of h₁"),
        ("q08.toml:", "mistakes[1].answer: '[[6, 8], [9, 7]]' grades as correct"),
        ("q09.toml:", "mistakes[1].answer: '18,432 weights' grades as correct"),
        ("q09.toml:", "mistakes[2].answer: 'two hundred' cannot be read"),
    ]
    for line, (file, message) in zip(lines, expected):
        assert line.startswith(file) and message in line, line


def test_the_mini_exam_is_another_exam_in_the_same_format():
    status, out, err = check(MINI)
    assert (status, err) == (0, "")
    assert out == "Mini quiz: convolution arithmetic: 2 questions, 10 points, 1 numeric answer proven by the solver\n"
    status, out, _ = check(MINI, as_json=True)
    outline = json.loads(out)
    assert status == 0 and outline["total"] == 10
    assert [(q["number"], q["points"], [p["kind"] for p in q["parts"]]) for q in outline["questions"]] == [
        (1, 6, ["true_false", "number"]),
        (2, 4, ["text", "choice"]),
    ]


def test_the_mini_exam_loads_as_an_exam():
    from tutor.exam import load_exam

    exam = load_exam(MINI)
    assert (exam.title, exam.total, exam.minutes, exam.weight) == ("Mini quiz: convolution arithmetic", 10, 20, 0.1)
    assert exam.question(1).parts[1].answer == 4.0
