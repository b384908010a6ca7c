"""Shared fixtures: a database path per test, and a CLI runner that sees what users see."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from dialsmile.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
EXPORTS = FIXTURES / "exports"
NOW = "2026-11-25T16:15:00+00:00"  # a Wednesday, 10:15 in Chicago


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test touches the user's real database or settings; the clock is fixed."""
    monkeypatch.setenv("DIALSMILE_DB", str(tmp_path / "default.db"))
    monkeypatch.setenv("DIALSMILE_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("DIALSMILE_NOW", NOW)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "leads.db"


RunCli = Callable[..., Result]


@pytest.fixture
def run_cli(db_path: Path) -> RunCli:
    """Run ``dialsmile --db DB ARGS...``; returns click's Result (stdout, stderr, exit_code)."""

    def run(*args: str, input: str | None = None, db: Path | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(cli, ["--db", str(db or db_path), *args], input=input)

    return run


def import_json(run_cli: RunCli, path: Path, *extra: str) -> dict[str, Any]:
    result = run_cli("import", str(path), "--json", *extra)
    assert result.exit_code == 0, result.output + result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data
