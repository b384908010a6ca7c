"""A team's server at fault where the faults tests did not look: a connection lost in the
middle of a save or while committing it, many reps opening a new database at once."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from dialsmile.cli import cli
from dialsmile.storage.migrations import LATEST
from dialsmile.storage.postgres.db import open_pg
from tests import pg
from tests.cli.test_server_faults import count, imported
from tests.conftest import RunCli


def drop_the_connection_once(url: str, deferred: bool) -> None:
    """The first write of an attempt ends its own connection, as a server restarting or
    a network gone would: mid-statement, or (``deferred``) at COMMIT, before it is kept.
    A sequence counts the times (it is not rolled back with the transaction)."""
    timing = (
        "CONSTRAINT TRIGGER planted AFTER INSERT ON attempts DEFERRABLE INITIALLY DEFERRED"
        if deferred
        else "TRIGGER planted BEFORE INSERT ON attempts"
    )
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE SEQUENCE planted_drops")
        conn.execute(
            """CREATE FUNCTION planted_drop() RETURNS trigger AS $$
               BEGIN
                 IF nextval('planted_drops') = 1 THEN
                   PERFORM pg_terminate_backend(pg_backend_pid());
                 END IF;
                 RETURN NEW;
               END $$ LANGUAGE plpgsql"""
        )
        conn.execute(f"CREATE {timing} FOR EACH ROW EXECUTE FUNCTION planted_drop()")


def held_lead(run_cli: RunCli, url: str) -> int:
    result = run_cli("--rep", "ann", "next", "--json", db=url)
    assert result.exit_code == 0, result.output + result.stderr
    lead: int = json.loads(result.stdout)["lead_id"]
    return lead


def test_a_connection_lost_in_the_middle_of_a_save_is_saved_once_on_a_new_one(
    run_cli: RunCli, pg_url: str, tmp_path: Path
) -> None:
    imported(run_cli, pg_url, tmp_path)
    lead = held_lead(run_cli, pg_url)
    drop_the_connection_once(pg_url, deferred=False)
    logged = run_cli("--rep", "ann", "log", str(lead), "voicemail", "--json", db=pg_url)
    assert logged.exit_code == 0, logged.output + logged.stderr
    assert logged.stderr == ""
    assert json.loads(logged.stdout)["status"] == "retry"
    assert count(pg_url, "attempts") == 1


def test_a_connection_lost_while_committing_is_never_saved_again_unasked(
    run_cli: RunCli, pg_url: str, tmp_path: Path
) -> None:
    """The server may have kept a COMMIT whose answer was lost: dialsmile cannot know,
    so it does not write the call a second time; it says so in one sentence (exit 5)."""
    imported(run_cli, pg_url, tmp_path)
    lead = held_lead(run_cli, pg_url)
    drop_the_connection_once(pg_url, deferred=True)
    lost = run_cli("--rep", "ann", "log", str(lead), "voicemail", db=pg_url)
    assert lost.exit_code == 5, lost.output + lost.stderr
    assert lost.stdout == "" and len(lost.stderr.strip().splitlines()) == 1
    assert lost.stderr.strip().endswith("went while it was saving; it may have kept the change.")
    assert count(pg_url, "attempts") == 0  # this time it had not: written once, by the rep
    again = run_cli("--rep", "ann", "log", str(lead), "voicemail", db=pg_url)
    assert again.exit_code == 0, again.output + again.stderr
    assert count(pg_url, "attempts") == 1


def test_many_reps_opening_a_new_database_at_once_build_its_schema_once(
    pg_server: pg.PgServer,
) -> None:
    url = pg_server.url(pg_server.create())  # empty: no schema yet
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def rep() -> None:
        try:
            start.wait()
            open_pg(url).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=rep) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with psycopg.connect(url) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM dialsmile_schema ORDER BY 1")]
    assert versions == list(range(1, LATEST + 1))


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_a_database_of_another_program_is_refused_in_one_sentence(
    engine: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """A database that already holds a table of another program's by one of dialsmile's
    names: one sentence, exit 4, and nothing of dialsmile's is written into it."""
    if engine == "sqlite":
        db = str(tmp_path / "crm.db")
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TABLE leads (id INTEGER PRIMARY KEY, email TEXT)")
        conn.close()
    else:
        server: pg.PgServer = request.getfixturevalue("pg_server")
        db = server.url(server.create())
        with psycopg.connect(db, autocommit=True) as conn:
            conn.execute("CREATE TABLE leads (id serial PRIMARY KEY, email text)")
    result = CliRunner().invoke(cli, ["--db", db, "--rep", "ann", "next"])
    assert result.exit_code == 4, result.output + result.stderr
    assert result.stderr.startswith("dialsmile: This database holds another program's tables")
    assert "give dialsmile a database of its own" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert tables(engine, db) == ["leads"]  # nothing of dialsmile's was left in it


def tables(engine: str, db: str) -> list[str]:
    if engine == "sqlite":
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        conn.close()
    else:
        with psycopg.connect(db) as pg_conn:
            rows = pg_conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
    return sorted(str(r[0]) for r in rows)


def test_a_url_naming_a_database_the_server_has_not_says_so_not_to_wait(
    pg_server: pg.PgServer,
) -> None:
    result = CliRunner().invoke(cli, ["--db", pg_server.url("no_such_floor"), "next"])
    assert result.exit_code == 4, result.output + result.stderr
    assert 'database "no_such_floor" does not exist' in result.stderr
    assert "try again once it is back" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("postgresql://ann:s3cret@127.0.0.1:99999/floor", 'invalid port number: "99999"'),
        ("postgresql://ann:s3cret@127.0.0.1:5432/floor?sslmode=bogus", "sslmode"),
        ("postgresql://ann:s3cret@[::1/floor", "IPv6"),
    ],
)
def test_a_url_libpq_cannot_read_is_bad_input_in_one_sentence(url: str, words: str) -> None:
    result = CliRunner().invoke(cli, ["--db", url, "next"])
    assert result.exit_code == 2, result.output + result.stderr
    assert result.stderr.startswith("dialsmile: The database URL postgresql://ann:***@")
    assert words in result.stderr and "s3cret" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("given", [":wrong", ""])  # a wrong password, or none at all
def test_a_wrong_password_is_one_sentence_saying_where_to_give_it(
    pg_server: pg.PgServer, given: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The server asks user ``locked`` for a password (its other users are trusted)."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    if pg_server.pg_ctl is None:
        pytest.skip("the server named in $DIALSMILE_TEST_PG is not reconfigured by the tests")
    with psycopg.connect(pg_server.admin, autocommit=True) as admin:
        hba = Path(str(admin.execute("SHOW hba_file").fetchone()[0]))  # type: ignore[index]
        if "locked" not in hba.read_text():
            hba.write_text("host all locked 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
            admin.execute("CREATE ROLE locked LOGIN PASSWORD 'right'")
            admin.execute("SELECT pg_reload_conf()")
    url = f"postgresql://locked{given}@127.0.0.1:{pg_server.port}/postgres"
    result = CliRunner().invoke(cli, ["--db", url, "next"])
    assert result.exit_code == 4, result.output + result.stderr
    assert result.stderr.startswith(
        f"dialsmile: The database server postgresql://locked{given and ':***'}@127.0.0.1:"
        f"{pg_server.port}"
        "/postgres refused the login"
    )
    assert result.stderr.strip().endswith("give the password in PGPASSWORD or ~/.pgpass.")
    assert "wrong" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
