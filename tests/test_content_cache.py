"""The content cache (tutor.exam.cache): a start whose content files are the texts of the last one
reads them back from the progress folder instead of parsing TOML; anything else parses, and the
result is always the exam the files say."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tutor import content_schema
from tutor.exam import ContentError, load_exam
from tutor.exam import cache as content_cache
from tutor.exam import loader
from tutor.paths import default_content_dir


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return Path(shutil.copytree(default_content_dir(), tmp_path / "content"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    made = tmp_path / "progress"
    made.mkdir(mode=0o700)
    return made


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every file parsed as TOML and every pattern check (a hit does neither)."""
    parsed: list[str] = []
    real_parse, real_check = content_schema.parse_toml, loader._check_patterns

    def parse(name, text, problems):
        parsed.append(name)
        return real_parse(name, text, problems)

    def check(*args, **kwargs):
        parsed.append("patterns")
        return real_check(*args, **kwargs)

    monkeypatch.setattr(content_schema, "parse_toml", parse)
    monkeypatch.setattr(loader, "_check_patterns", check)
    return parsed


def test_a_second_load_reads_the_cache_and_gives_the_same_exam(content, folder, monkeypatch):
    first = load_exam(content, prove=False, cache=folder)
    stored = folder / content_cache.FILE_NAME
    assert stored.is_file()
    assert stored.stat().st_mode & 0o777 == 0o600
    parsed = no_parsing(monkeypatch)
    second = load_exam(content, prove=False, cache=folder)
    assert parsed == []  # no TOML parsed, no pattern checked
    assert second == first
    assert second == load_exam(content, prove=False)  # and the same as without any cache
    assert [p.line for q in second.questions for p in q.parts] == [p.line for q in first.questions for p in q.parts]


def test_a_changed_file_is_parsed_again_and_its_change_shown(content, folder, monkeypatch):
    load_exam(content, prove=False, cache=folder)
    q1 = content / "q01.toml"
    q1.write_text(q1.read_text(encoding="utf-8").replace('title = "True or false"', 'title = "True or false?"'),
                  encoding="utf-8")
    parsed = no_parsing(monkeypatch)
    exam = load_exam(content, prove=False, cache=folder)
    assert exam.question(1).title == "True or false?"
    assert "q01.toml" in parsed and "patterns" in parsed  # the whole content read and checked again
    parsed.clear()
    assert load_exam(content, prove=False, cache=folder).question(1).title == "True or false?"
    assert parsed == []  # and cached anew


def test_a_file_added_or_removed_is_not_taken_for_the_cached_content(content, folder):
    load_exam(content, prove=False, cache=folder)
    (content / "q10.toml").rename(content / "q10.toml.off")
    with pytest.raises(ContentError) as error:  # the cache must not supply question 10
        load_exam(content, prove=False, cache=folder)
    assert any("the questions add up to 94" in p for p in error.value.problems)


def test_content_with_a_problem_is_never_cached_and_its_problem_is_said(content, folder, monkeypatch):
    load_exam(content, prove=False, cache=folder)
    before = (folder / content_cache.FILE_NAME).read_bytes()
    q3 = content / "q03.toml"
    text = q3.read_text(encoding="utf-8")
    assert "[[parts.terms]]" in text
    q3.write_text(text.replace("[[parts.terms]]", "[[parts.terms]]\nno_credit = [\"<nosuchclass> word\"]", 1),
                  encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_exam(content, prove=False, cache=folder)
    assert any(p.startswith("q03.toml:30: ") and "no_credit" in p for p in error.value.problems)
    assert (folder / content_cache.FILE_NAME).read_bytes() == before  # the last good content stays


@pytest.mark.parametrize("body", [b"", b"not json", b"[]", b'{"stamp": 1}', b'{"stamp": "x", "files": 3}',
                                  b"\xff\xfe", b"[" * 100_000])
def test_a_damaged_cache_is_ignored_and_rewritten(content, folder, body, monkeypatch):
    (folder / content_cache.FILE_NAME).write_bytes(body)
    os.chmod(folder / content_cache.FILE_NAME, 0o600)
    assert load_exam(content, prove=False, cache=folder) == load_exam(content, prove=False)
    assert json.loads((folder / content_cache.FILE_NAME).read_text(encoding="utf-8"))["stamp"] == content_cache.stamp()


def test_a_cache_for_other_code_is_not_used(content, folder, monkeypatch):
    load_exam(content, prove=False, cache=folder)
    monkeypatch.setattr(content_cache, "stamp", lambda: "a newer tutor")
    parsed = no_parsing(monkeypatch)
    load_exam(content, prove=False, cache=folder)
    assert "q01.toml" in parsed and "patterns" in parsed


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX modes")
@pytest.mark.parametrize("where", ["file", "folder"])
def test_a_cache_others_may_write_is_not_read(content, folder, where, monkeypatch):
    load_exam(content, prove=False, cache=folder)
    os.chmod(folder / content_cache.FILE_NAME if where == "file" else folder, 0o620 if where == "file" else 0o770)
    parsed = no_parsing(monkeypatch)
    load_exam(content, prove=False, cache=folder)
    assert "q01.toml" in parsed  # parsed, not read from what someone else could have written


def test_a_link_in_place_of_the_cache_is_not_followed(content, folder, tmp_path, monkeypatch):
    load_exam(content, prove=False, cache=folder)
    target = tmp_path / "elsewhere.json"
    (folder / content_cache.FILE_NAME).rename(target)
    (folder / content_cache.FILE_NAME).symlink_to(target)
    parsed = no_parsing(monkeypatch)
    load_exam(content, prove=False, cache=folder)
    assert "q01.toml" in parsed


def test_no_folder_yet_means_no_cache_and_no_error(content, tmp_path):
    missing = tmp_path / "not-made"
    assert load_exam(content, prove=False, cache=missing) == load_exam(content, prove=False)
    assert not missing.exists()  # the progress store makes the folder (0700, checked), not the cache


def test_proving_never_uses_the_cache(content, folder, monkeypatch):
    load_exam(content, prove=False, cache=folder)
    parsed = no_parsing(monkeypatch)
    checked, real = [], loader._question

    def question(*args, **kwargs):
        checked.append(kwargs.get("checked"))
        return real(*args, **kwargs)

    monkeypatch.setattr(loader, "_question", question)
    load_exam(content, prove=True, cache=folder)
    assert "q01.toml" in parsed and set(checked) == {False}


def test_the_command_line_keeps_the_cache_in_the_progress_folder(folder, monkeypatch):
    from tutor.cli import _load_exam

    exam, problems = _load_exam(None, str(folder))
    assert problems is None and exam.questions
    assert (folder / content_cache.FILE_NAME).is_file()
