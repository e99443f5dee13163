"""The house's guards, read from the source with `ast` (nothing is imported): no import circle in
tutor/, no screen or widget that imports the app (or the app's controllers), and no module past
the size where it should be split.

Every import counts: at module level, inside a function, and under `if TYPE_CHECKING:` (a type-only
import still ties the modules together for a reader). A package's `__init__` is a module of its own:
`from tutor.progress import store` is an import of `tutor.progress.store`, and a module of a package
is not taken to import the package's `__init__` (Python runs it first, but that is not a design
dependency).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tutor"
MAX_LINES = 400  # STYLE.md: a module past 400 lines is a sign to split
MAX_APP_LINES = 150
UPWARD = ("tutor.app", "tutor.controllers")  # what no screen or widget may import
BELOW = ("tutor.screens", "tutor.widgets")

# Offences known while a change is under way go here, each with a comment; an entry that is no
# longer an offence fails the test, so the set can only shrink. Issue 14's house left none.
KNOWN_UNTIL_HOUSE: set[str] = set()


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(package: Path) -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its `__init__`)."""
    root = package.parent
    return {module_name(path, root): path for path in sorted(package.rglob("*.py"))}


def imports_of(name: str, path: Path, known: Iterable[str]) -> set[str]:
    """The modules of `known` that the module `name` (at `path`) imports, anywhere in its text."""
    known = set(known)
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = name.split(".") if is_package else name.split(".")[:-1]
                here = here[: len(here) - (node.level - 1)]
                base = ".".join(here + ([base] if base else []))
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in known else base)
    return {target for target in found if target in known and target != name}


def import_graph(package: Path) -> dict[str, set[str]]:
    found = modules(package)
    return {name: imports_of(name, path, found) for name, path in found.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def offences(package: Path) -> set[str]:
    """Every breach of the house's rules in the package, one sentence each."""
    graph = import_graph(package)
    said = {"circle: " + ", ".join(component) for component in circles(graph)}
    for name, targets in graph.items():
        if any(name == b or name.startswith(b + ".") for b in BELOW):
            for target in sorted(targets):
                if any(target == u or target.startswith(u + ".") for u in UPWARD):
                    said.add(f"{name} imports {target}")
    root = package.parent
    for path in sorted(package.rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        shown = path.relative_to(root).as_posix()
        if path == package / "app.py" and lines > MAX_APP_LINES:
            said.add(f"{shown} is over {MAX_APP_LINES} lines")
        elif lines > MAX_LINES:
            said.add(f"{shown} is over {MAX_LINES} lines")
    return said


def test_the_house_keeps_its_rules():
    found = offences(PACKAGE)
    new = sorted(found - KNOWN_UNTIL_HOUSE)
    assert not new, "the house's rules are broken:\n" + "\n".join(new)


def test_every_known_offence_is_still_one():
    gone = sorted(KNOWN_UNTIL_HOUSE - offences(PACKAGE))
    assert not gone, "no longer an offence, remove it from KNOWN_UNTIL_HOUSE:\n" + "\n".join(gone)


# -- the guards themselves: they find what they are for, in a small package of our own -------------


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = tmp_path / "tutor" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for folder in [tmp_path / "tutor", *(p for p in (tmp_path / "tutor").rglob("*") if p.is_dir())]:
        (folder / "__init__.py").touch()
    return tmp_path / "tutor"


@pytest.mark.parametrize(
    "how",
    [
        "import tutor.b",
        "from tutor import b",
        "from tutor.b import thing",
        "from . import b",
        "from .b import thing",
        "def later():\n    from tutor.b import thing\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from tutor.b import Thing\n",
    ],
)
def test_a_circle_is_found_however_the_import_is_written(tmp_path, how):
    package = _package(tmp_path, {"a.py": how + "\n", "b.py": "from tutor.c import x\n", "c.py": "import tutor.a\n"})
    assert offences(package) == {"circle: tutor.a, tutor.b, tutor.c"}


def test_no_circle_without_one(tmp_path):
    package = _package(tmp_path, {"a.py": "from tutor import b\n", "b.py": "import os\nfrom tutor import c\n", "c.py": ""})
    assert offences(package) == set()


def test_a_packages_modules_importing_each_other_through_it_are_no_circle(tmp_path):
    files = {
        "p/__init__.py": "from tutor.p.store import Store\n",
        "p/store.py": "from tutor.p import records\nfrom tutor.p.records import Row\n",
        "p/records.py": "",
    }
    package = _package(tmp_path, files)
    assert import_graph(package)["tutor.p.store"] == {"tutor.p.records"}
    assert offences(package) == set()


def test_a_package_init_that_its_module_imports_back_is_a_circle(tmp_path):
    files = {"p/__init__.py": "from tutor.p.store import Store\nLIMIT = 3\n", "p/store.py": "from tutor.p import LIMIT\n"}
    assert offences(_package(tmp_path, files)) == {"circle: tutor.p, tutor.p.store"}


@pytest.mark.parametrize("where", ["screens/menu.py", "widgets/grid.py", "widgets/live/cell.py"])
def test_a_screen_or_widget_importing_the_app_or_a_controller_is_found(tmp_path, where):
    text = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from tutor.app import App\nimport tutor.controllers.exam\n"
    package = _package(tmp_path, {where: text, "app.py": "", "controllers/exam.py": ""})
    name = "tutor." + where.removesuffix(".py").replace("/", ".")
    assert offences(package) == {f"{name} imports tutor.app", f"{name} imports tutor.controllers.exam"}


def test_the_app_importing_screens_is_allowed(tmp_path):
    package = _package(tmp_path, {"app.py": "from tutor.screens.menu import Menu\n", "screens/menu.py": ""})
    assert offences(package) == set()


def test_a_long_module_and_a_long_app_are_found(tmp_path):
    files = {"long.py": "x = 1\n" * (MAX_LINES + 1), "fine.py": "x = 1\n" * MAX_LINES,
             "app.py": "x = 1\n" * (MAX_APP_LINES + 1)}
    assert offences(_package(tmp_path, files)) == {"tutor/long.py is over 400 lines", "tutor/app.py is over 150 lines"}
