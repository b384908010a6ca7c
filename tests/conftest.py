"""Shared fixtures: a database path per test, a CLI runner that sees what users see, and
the stores a session is handed (one fixture, so a second backend is one more param)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from dialsmile.cli import cli
from dialsmile.commands.context import Context
from dialsmile.core.stores import Stores
from tests import pg

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


OpenStores = Callable[[Path], Stores]
"""Opens the stores of the test database at a path (made by the CLI or ``build_db``)."""


def sqlite_stores(path: Path) -> Stores:
    """The SQLite stores of the database file, wired as the commands wire them."""
    return Context(path).stores


@pytest.fixture(scope="session")
def stores() -> OpenStores:
    """Every test that hands stores to a session gets them here (``make_session`` too).

    One backend today. A second one parametrizes this fixture
    (``params=[sqlite_stores, other_stores], ids=["sqlite", "other"]`` and
    ``return request.param``): each such test then runs on both and must pass
    the same assertions; the screen snapshots get one file per backend.
    """
    return sqlite_stores


@pytest.fixture(scope="session")
def pg_server(request: pytest.FixtureRequest) -> Iterator[pg.PgServer]:
    """One PostgreSQL server for the run (per xdist worker), with a migrated template database."""
    why = pg.why_unavailable()
    if why is not None:
        if os.environ.get("CI"):  # CI installs the server: a skip there would hide the team tests
            pytest.fail(f"PostgreSQL tests need a server: {why}")
        pytest.skip(f"PostgreSQL tests need a server: {why}")
    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    with pg.test_server(worker) as server:
        from dialsmile.storage.postgres.db import open_pg

        server.template = server.create()
        open_pg(server.url(server.template)).close()
        yield server


@pytest.fixture(scope="session")
def pg_stores(pg_server: pg.PgServer) -> OpenStores:
    """Opens the stores of a test database on PostgreSQL: the SQLite file the test made
    (with the CLI or ``build_db``) is copied, row for row, into a new PostgreSQL database."""
    from dialsmile.storage.postgres.db import open_pg
    from dialsmile.storage.stores import open_stores

    def open_copy(path: Path) -> Stores:
        db = open_pg(pg_server.new_database(pg_server.template))
        pg.copy_sqlite(path, db)
        return open_stores(db, rep=Context(path).rep)

    return open_copy


@pytest.fixture(params=["sqlite", "postgresql"])
def both_stores(request: pytest.FixtureRequest) -> OpenStores:
    """``stores`` on each engine in turn: a module whose tests must pass on both says
    ``stores = both_stores`` (its tests then run twice)."""
    if request.param == "sqlite":
        return sqlite_stores
    opened: OpenStores = request.getfixturevalue("pg_stores")
    return opened


@pytest.fixture
def pg_url(pg_server: pg.PgServer) -> str:
    """A new PostgreSQL database for this test, already migrated: its URL."""
    return pg_server.new_database(pg_server.template)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, db_path: Path) -> str:
    """The database of a test that must pass on both engines: a SQLite path or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(db_path)
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def server_down(pg_server: pg.PgServer) -> Iterator[Callable[[bool], None]]:
    """Stops (False) and starts (True) this run's server; it is always running after."""
    if pg_server.pg_ctl is None:
        pytest.skip("the server named in $DIALSMILE_TEST_PG is never stopped by the tests")
    control = pg_server.pg_ctl
    state = {"up": True}

    def turn(up: bool) -> None:
        control("start" if up else "stop")
        state["up"] = up

    yield turn
    if not state["up"]:
        control("start")


RunCli = Callable[..., Result]


@pytest.fixture
def run_cli(db_path: Path) -> RunCli:
    """Run ``dialsmile --db DB ARGS...``; returns click's Result (stdout, stderr, exit_code)."""

    def run(*args: str, input: str | None = None, db: Path | str | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(cli, ["--db", str(db or db_path), *args], input=input)

    return run


def import_json(run_cli: RunCli, path: Path, *extra: str) -> dict[str, Any]:
    result = run_cli("import", str(path), "--json", *extra)
    assert result.exit_code == 0, result.output + result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data
