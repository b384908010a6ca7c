"""Shared fixtures: a database path per test, a CLI runner that sees what users see, and
the stores a session is handed (one fixture, so a second backend is one more param)."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner, Result

from dialsmile.cli import cli
from dialsmile.commands.context import Context
from dialsmile.core.stores import Stores
from dialsmile.storage.target import DbTarget
from tests import pg

if TYPE_CHECKING:
    import sqlite_utils

FIXTURES = Path(__file__).parent / "fixtures"
EXPORTS = FIXTURES / "exports"
NOW = "2026-11-25T16:15:00+00:00"  # a Wednesday, 10:15 in Chicago


def pytest_configure(config: pytest.Config) -> None:
    """Temporary folders (``tmp_path``, ``tempfile``, the commands the tests run) go on the
    RAM disk when it has 2 GB free: SQLite commits with synchronous=FULL, and each commit's
    fsync on a shared disk cost more than most tests (an export test inserting 1,800 calls:
    17 s on disk, 1 s in RAM). Nothing a test checks depends on the disk; ``--basetemp``,
    ``$TMPDIR`` or ``$PYTEST_DEBUG_TEMPROOT`` still choose."""
    chosen = ("TMPDIR", "PYTEST_DEBUG_TEMPROOT")
    if config.option.basetemp is None and not any(name in os.environ for name in chosen):
        ram = pg.ram_disk(2 * 1024**3)
        if ram is not None:
            os.environ["TMPDIR"] = tempfile.tempdir = str(ram)


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


ENGINES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run a test on each engine in turn when it names ``any_db`` or ``both_stores``, or is
    marked ``both_engines`` (a module says ``pytestmark = pytest.mark.both_engines``); a
    test marked ``sqlite_only(reason)`` stays on SQLite. A test that parametrizes ``engine``
    itself (a few representative cases on PostgreSQL) is left as it says."""
    if "engine" not in metafunc.fixturenames:
        return
    for mark in metafunc.definition.iter_markers("parametrize"):
        if "engine" in str(mark.args[0]):
            return
    wants_both = metafunc.definition.get_closest_marker("both_engines") is not None or any(
        name in metafunc.fixturenames for name in ("any_db", "both_stores")
    )
    if wants_both and metafunc.definition.get_closest_marker("sqlite_only") is None:
        metafunc.parametrize("engine", ENGINES, indirect=True)


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """The engine this test runs on: SQLite unless the test runs on both (see above)."""
    name: str = getattr(request, "param", "sqlite")
    return name


@pytest.fixture
def stores(engine: str, request: pytest.FixtureRequest) -> OpenStores:
    """Every test that hands stores to a session gets them here (``make_session`` too):
    SQLite's, or PostgreSQL's copy of the file when the test runs on both engines. Each
    such test must pass the same assertions on both."""
    return _engine_stores(engine, request)


def _engine_stores(engine: str, request: pytest.FixtureRequest) -> OpenStores:
    if engine == "sqlite":
        return sqlite_stores
    copying: OpenStores = request.getfixturevalue("pg_stores")
    return copying


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


@pytest.fixture
def pg_stores(pg_server: pg.PgServer) -> OpenStores:
    """Opens the stores of a test database on PostgreSQL: the SQLite file the test made
    (with the CLI or ``build_db``) is copied, row for row, into a new PostgreSQL database
    the first time; opened again in the same test (a second rep, a resumed session), it is
    that database. A later test's file at the same path (pytest reuses the folder of a
    passed test, which it removed) is a new copy."""
    from dialsmile.storage.postgres.db import open_pg

    copies: dict[Path, str] = {}

    def open_copy(path: Path) -> Stores:
        if path not in copies:
            url = pg_server.new_database(pg_server.template)
            db = open_pg(url)
            pg.copy_sqlite(path, db)
            db.close()
            copies[path] = url
        return stores_at(copies[path])

    return open_copy


@pytest.fixture
def both_stores(engine: str, request: pytest.FixtureRequest) -> OpenStores:
    """``stores`` on each engine in turn: a module whose tests must pass on both says
    ``stores = both_stores`` (its tests then run twice)."""
    return _engine_stores(engine, request)


@pytest.fixture
def pg_url(pg_server: pg.PgServer) -> str:
    """A new PostgreSQL database for this test, already migrated: its URL."""
    return pg_server.new_database(pg_server.template)


@pytest.fixture
def db(engine: str, db_path: Path, request: pytest.FixtureRequest) -> str:
    """The test's database as ``--db`` takes it (``run_cli`` uses it): the SQLite file
    ``db_path``, or a new PostgreSQL database when the test runs on both engines."""
    if engine == "sqlite":
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


@pytest.fixture
def any_db(db: str) -> str:
    """``db``, for a test that must pass on both engines (naming it runs the test twice)."""
    return db


def stores_at(db: str | Path, rep: str | None = None) -> Stores:
    """The stores of the test's database (a path or a URL), as the commands open them."""
    return Context(DbTarget.parse(db), rep).stores


def database_at(db: str | Path) -> sqlite_utils.Database:
    """The test's database (a path or a URL), opened and migrated as the commands open it."""
    return Context(DbTarget.parse(db)).db


@contextlib.contextmanager
def opened(db: str | Path) -> Iterator[sqlite_utils.Database]:
    """The test's database (a path or a URL), opened as the commands open it, then closed."""
    context = Context(DbTarget.parse(db))
    try:
        yield context.db
    finally:
        context.close()


def rows(db: str | Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    """The rows a query reads from the test's database, on either engine."""
    with opened(db) as conn:
        return [tuple(row) for row in conn.execute(sql, params).fetchall()]


RunCli = Callable[..., Result]


@pytest.fixture
def run_cli(db: str) -> RunCli:
    """Run ``dialsmile --db DB ARGS...`` (the test's ``db`` unless given); returns click's
    Result (stdout, stderr, exit_code)."""
    default = db

    def run(*args: str, input: str | None = None, db: Path | str | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(cli, ["--db", str(db or default), *args], input=input)

    return run


def import_json(run_cli: RunCli, path: Path, *extra: str) -> dict[str, Any]:
    result = run_cli("import", str(path), "--json", *extra)
    assert result.exit_code == 0, result.output + result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data
