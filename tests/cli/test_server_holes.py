"""A team's server at fault where the faults tests did not look: a connection lost in the
middle of a save or while committing it, many reps opening a new database at once."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import psycopg

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
