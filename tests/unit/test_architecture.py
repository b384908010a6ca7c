"""The core, the storage and the compliance rules never depend on the UI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import dialsmile

PACKAGE = Path(dialsmile.__file__).parent
HEADLESS = ("core", "storage", "compliance", "io")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_headless_packages_do_not_import_textual_in_source() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for part in HEADLESS
        for path in (PACKAGE / part).rglob("*.py")
        if any(n == "textual" or n.startswith(("textual.", "dialsmile.ui")) for n in _imports(path))
    ]
    assert offenders == []


def test_headless_packages_do_not_load_textual_at_run_time() -> None:
    modules = [
        f"dialsmile.{part}.{path.stem}"
        for part in HEADLESS
        for path in (PACKAGE / part).glob("*.py")
        if path.stem != "__init__"
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_sql_lives_in_storage_only() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "storage" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if any(word in text for word in ("SELECT ", "INSERT INTO", "UPDATE leads", "DELETE FROM")):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []
