"""An import pauses Python's cycle collector while its rows stream in, and always
turns it back on: after a finished import, a dry run, and an import that stops
half-way through the file."""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import RunCli


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def leads_file(path: Path, rows: int, long_cell_at: int | None = None) -> Path:
    lines = ["Name,Phone,Notes"]
    for i in range(rows):
        note = "n" * 300 if i == long_cell_at else "ok"
        lines.append(f"Lead {i},+1512555{i:04d},{note}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("dry_run", [False, True])
def test_the_collector_is_on_again_after_an_import(
    run_cli: RunCli, tmp_path: Path, dry_run: bool
) -> None:
    path = leads_file(tmp_path / "leads.csv", 3000)
    result = run_cli("import", str(path), "--list", "L", *(["--dry-run"] if dry_run else []))
    assert result.exit_code == 0, result.stderr
    assert "3,000" in result.stdout
    assert gc.isenabled()


def test_the_collector_is_on_again_after_an_import_stops_half_way(
    run_cli: RunCli, tmp_path: Path, db_path: Path
) -> None:
    # The long cell lies past the rows read ahead, so the import has started storing.
    path = leads_file(tmp_path / "leads.csv", 3000, long_cell_at=2500)
    result = run_cli("import", str(path), "--list", "L", "--max-cell", "200")
    assert result.exit_code == 2
    assert "300 characters" in result.stderr and "Traceback" not in result.stderr
    assert gc.isenabled()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM leads").fetchone() == (0,)
