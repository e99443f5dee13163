"""The package installs as a wheel that carries the exam content, and the command line answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import tutor

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_version_prints_and_exits_zero():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"itm528-tutor {tutor.__version__}"


def test_bad_usage_exits_two_with_one_line():
    result = run_cli("--question", "zero")
    assert result.returncode == 2
    assert "'zero' is not a question number" in result.stderr


def test_app_without_a_terminal_says_so_instead_of_hanging(tmp_path):
    env = {**os.environ, "ITM528_TUTOR_DATA_DIR": str(tmp_path)}
    result = run_cli(env=env)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "itm528-tutor: needs a terminal: run it in a terminal, or use a subcommand (see --help)"
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
         "--quiet", "-w", str(out)],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("itm528_tutor-*.whl")
    return built


def test_wheel_ships_the_content_and_the_stylesheets(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    content = sorted(p.name for p in (ROOT / "content").glob("*.toml"))
    assert content, "the repository has no content/*.toml"
    for name in content:
        assert f"tutor/content/{name}" in names
    for tcss in ROOT.joinpath("tutor").rglob("*.tcss"):
        assert tcss.relative_to(ROOT).as_posix() in names
    assert not any(name.startswith("tests/") for name in names)


def install(wheel: Path, target: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        timeout=300,
    )


def test_installed_wheel_checks_its_content_from_any_directory(wheel, tmp_path):
    target = tmp_path / "site"
    install(wheel, target)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "ITM528_TUTOR_DATA_DIR": str(tmp_path / "data")}
    where = subprocess.run(
        [sys.executable, "-c", "import tutor.paths as p; print(p.__file__); print(p.default_content_dir())"],
        capture_output=True, text=True, cwd=elsewhere, env=env, check=True,
    ).stdout.split()
    assert where[0].startswith(str(target)) and where[1].startswith(str(target))
    result = run_cli("check", cwd=elsewhere, env=env)
    assert result.returncode == 0, result.stderr
    assert "10 questions" in result.stdout


def test_installed_wheel_derives_in_an_isolated_child_whatever_the_current_folder_holds(wheel, tmp_path):
    """The derivation child of an installed tutor imports that tutor, never one planted where it runs."""
    from tutor import symbolic

    target = tmp_path / "site"
    install(wheel, target)
    shared, marker = tmp_path / "shared", tmp_path / "imported.txt"
    (shared / "tutor").mkdir(parents=True)
    (shared / "tutor" / "__init__.py").write_text(f"open({str(marker)!r}, 'w').write(__file__)\n")
    program = (
        "import json, sys, tutor, tutor.derivations as d\n"
        "d._here = lambda name: sys.exit('derived in the app, not in the child')\n"
        "steps = d.derivation('gaussian_nll')\n"
        "print(json.dumps([tutor.__file__, [step.text() for step in steps]]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target), "ITM528_TUTOR_DATA_DIR": str(tmp_path / "data")}
    # -P: the app's own process, like the console script, does not look in the current folder either
    done = subprocess.run([sys.executable, "-P", "-c", program], capture_output=True, text=True, cwd=shared,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    where, texts = json.loads(done.stdout)
    assert where.startswith(str(target))
    assert texts == [step.text() for step in symbolic.derivation("gaussian_nll")]
    assert not marker.exists(), marker.read_text()
