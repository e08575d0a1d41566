"""The wall between the Qt-free core and the GUI, and the house style."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ("domain", "store", "services", "printing")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", CORE)
def test_core_layers_do_not_import_qt(layer: str) -> None:
    # Given every module of a core layer
    files = sorted((ROOT / "bmt_desktop" / layer).rglob("*.py"))
    assert files, f"bmt_desktop/{layer} has no modules"
    # Then none imports PySide6 (or the GUI package, which does)
    leaks = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in files
        for name in _imports(path)
        if name.split(".")[0] in {"PySide6", "shiboken6"} or name.startswith("bmt_desktop.gui")
    ]
    assert leaks == []


def test_core_runs_without_qt_loaded() -> None:
    # Importing every core module in a fresh interpreter must not pull in PySide6.
    modules = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for layer in CORE
        for path in (ROOT / "bmt_desktop" / layer).rglob("*.py")
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(any(m.split('.')[0] == 'PySide6' for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert result.stdout.strip() == "False"


def test_gui_does_not_use_the_orm() -> None:
    leaks = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "bmt_desktop" / "gui").rglob("*.py"))
        for name in _imports(path)
        if name.startswith(("bmt_desktop.store", "peewee"))
        and name not in {"bmt_desktop.store.book"}
    ]
    assert leaks == []


def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    result = subprocess.run([ruff, "check", "bmt_desktop", "tests", "tools"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
