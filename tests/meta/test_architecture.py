"""The architecture as tests (STYLE.md, "The shape of the house").

import-linter's contracts in pyproject.toml: layers cli > app > analysis > study > model > errors
(imports point down only), nothing outside ``alliance.cli`` imports it, the model imports no
plotting, cluster or UI library, the library does not import rich, and no package has an import
cycle between its modules. The contracts are checked on the real tree and, to show that they can
fail, on copies of it with one bad import injected. Two rules import-linter cannot see are
checked over the syntax trees: no private name is imported from another module, and the library
prints only in the ``main()`` of a ``python -m`` script.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
PACKAGE = SRC / "alliance"
LIBRARY = [p for p in PACKAGE.rglob("*.py") if "cli" not in p.relative_to(PACKAGE).parts[:1]
           and p.name != "__main__.py"]


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("importlinter")
    code = ("import sys; from importlinter.cli import lint_imports_command; "
            "sys.exit(lint_imports_command(['--no-cache', '--no-logo', '--config', 'pyproject.toml']))")
    return subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(root / "src"), "PATH": "/usr/bin:/bin"})


def test_import_contracts_hold():
    res = _lint(ROOT)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "5 kept, 0 broken" in res.stdout, res.stdout


@pytest.mark.parametrize(
    ("module", "bad_import", "broken"),
    [
        ("model/rng.py", "import alliance.study.store", "Layers: imports point down only"),
        ("study/store.py", "import alliance.analysis.tables", "Layers: imports point down only"),
        ("analysis/tables.py", "from alliance.cli import common", "Nothing but the command line itself"),
        ("study/plan.py", "import alliance.study.batch", "No import cycle between the modules"),
        ("model/outcomes.py", "import plotly", "The model imports no plotting"),
        ("app/state.py", "import rich", "The library prints nothing"),
    ],
)
def test_contracts_fail_on_a_bad_import(tmp_path, module, bad_import, broken):
    shutil.copytree(PACKAGE, tmp_path / "src" / "alliance", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "src" / "alliance" / module
    lines = target.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(("import ", "from ")) and "__future__" not in line)
    lines.insert(at, bad_import)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = _lint(tmp_path)
    assert res.returncode != 0, res.stdout
    assert any(line.startswith(broken) and line.rstrip().endswith("BROKEN") for line in res.stdout.splitlines()), (
        res.stdout)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_private_name_is_imported_from_another_module():
    bad = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("alliance")):
                bad += [f"{_module_name(path)}: from {'.' * node.level}{node.module} import {a.name}"
                        for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
    assert bad == []


def test_library_prints_only_in_the_main_of_a_script():
    """``print`` and ``sys.stdout``/``sys.stderr`` appear in the library only inside ``main()`` of
    a module run as ``python -m`` (docgen, app assets); everything else reports through return
    values, exceptions or a ``Progress``."""
    bad = []
    for path in LIBRARY:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_script = "__name__ == '__main__'" in ast.unparse(tree)
        allowed: set[int] = set()
        for node in tree.body:
            if is_script and isinstance(node, ast.FunctionDef) and node.name == "main":
                allowed |= {id(n) for n in ast.walk(node)}
        for node in ast.walk(tree):
            if id(node) in allowed:
                continue
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                bad.append(f"{_module_name(path)}:{node.lineno} print")
            if (isinstance(node, ast.Attribute) and node.attr in ("stdout", "stderr")
                    and isinstance(node.value, ast.Name) and node.value.id == "sys"):
                bad.append(f"{_module_name(path)}:{node.lineno} sys.{node.attr}")
    assert bad == []


def test_no_library_module_mentions_an_import_from_the_cli():
    """The issue's own check: ``git grep -n "from .*cli" src/alliance`` finds nothing outside cli/."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    res = subprocess.run(["git", "grep", "-n", "from .*cli", "--", "src/alliance"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    hits = [line for line in res.stdout.splitlines() if not line.startswith("src/alliance/cli/")]
    assert hits == []


def test_no_module_is_longer_than_400_lines():
    long = {_module_name(p): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_no_assert_in_library_code():
    found = [f"{_module_name(p)}:{n.lineno}" for p in PACKAGE.rglob("*.py")
             for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))) if isinstance(n, ast.Assert)]
    assert found == []


def test_one_ensemble_runner_builds_the_model():
    """``AllianceModel(...)`` is built in ``model/ensemble.py`` (``run_ensemble``, which simulate,
    study chunks, tipping maps, sensitivity, validate and the app call) and nowhere else, except
    the app's month-by-month replay, which steps one live model instead of running it."""
    builders = set()
    for p in LIBRARY:
        for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "AllianceModel":
                builders.add(_module_name(p))
    assert builders == {"alliance.model.ensemble", "alliance.app.state"}
