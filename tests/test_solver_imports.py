"""tutor.solver stays below the UI: numpy and the standard library only."""

import ast
import subprocess
import sys
from pathlib import Path

import tutor.solver

SOLVER_DIR = Path(tutor.solver.__file__).parent


def test_importing_the_solver_loads_no_ui_and_no_sympy():
    code = (
        "import sys, tutor.solver; "
        "loaded = [name for name in ('textual', 'sympy', 'rich') if name in sys.modules]; "
        "print(','.join(loaded)); "
        "sys.exit(1 if loaded else 0)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_solver_modules_import_numpy_the_standard_library_and_each_other_only():
    allowed = set(sys.stdlib_module_names) | {"numpy"}
    for path in sorted(SOLVER_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), f"{path.name} has no module docstring"
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = [node.module.split(".")[0]]
            else:
                continue
            for root in roots:
                assert root in allowed, f"{path.name} imports {root}"


def test_every_name_in_all_exists():
    assert len(tutor.solver.__all__) == len(set(tutor.solver.__all__))
    for name in tutor.solver.__all__:
        assert hasattr(tutor.solver, name), name
