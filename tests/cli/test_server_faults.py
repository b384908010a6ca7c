"""A team's server at fault: down for `next` and `log`, transactions rolled back by
a deadlock or a serialization failure, two reps keying at once, a rep's process
killed while it holds a lead."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from dialsmile.config import Clock, Settings, parse_instant
from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession
from dialsmile.storage.postgres.db import open_pg
from dialsmile.storage.stores import open_stores
from dialsmile.storage.tx import ATTEMPTS
from tests.cli.test_faults import leads_csv
from tests.conftest import NOW, RunCli

T0 = parse_instant(NOW)


def imported(run_cli: RunCli, url: str, tmp_path: Path, rows: int = 6) -> None:
    result = run_cli("import", str(leads_csv(tmp_path / "leads.csv", rows)), "--list", "Q4", db=url)
    assert result.exit_code == 0, result.output + result.stderr


def as_rep(run_cli: RunCli, url: str, rep: str, *args: str):  # type: ignore[no-untyped-def]
    return run_cli("--rep", rep, *args, db=url)


def count(url: str, table: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert row is not None
    return int(row[0])


def test_next_and_log_on_a_server_that_is_down_exit_5_and_work_once_it_is_back(
    run_cli: RunCli, pg_url: str, tmp_path: Path, server_down: Callable[[bool], None]
) -> None:
    imported(run_cli, pg_url, tmp_path)
    held = as_rep(run_cli, pg_url, "ann", "next", "--json")
    assert held.exit_code == 0, held.output + held.stderr
    lead = json.loads(held.stdout)["lead_id"]
    server_down(False)
    for args in (("next", "--json"), ("log", str(lead), "no-answer")):
        down = as_rep(run_cli, pg_url, "ann", *args)
        assert down.exit_code == 5
        assert down.stdout == ""
        assert down.stderr.startswith("dialsmile: Cannot reach the database server")
        assert len(down.stderr.strip().splitlines()) == 1 and "Traceback" not in down.stderr
    server_down(True)
    logged = as_rep(run_cli, pg_url, "ann", "log", str(lead), "no-answer", "--json")
    assert logged.exit_code == 0, logged.output + logged.stderr
    assert count(pg_url, "attempts") == 1
    again = as_rep(run_cli, pg_url, "ann", "next", "--json")
    assert again.exit_code == 0 and json.loads(again.stdout)["lead_id"] != lead


def fail_first(url: str, times: int, state: str) -> None:
    """Every write of an attempt fails with SQLSTATE ``state`` the first ``times`` times
    (a sequence counts them: it is not rolled back with the failed transaction)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE SEQUENCE planted_failures")
        conn.execute(
            f"""CREATE FUNCTION planted_failure() RETURNS trigger AS $$
                BEGIN
                  IF nextval('planted_failures') <= {times} THEN
                    RAISE EXCEPTION 'planted conflict' USING ERRCODE = '{state}';
                  END IF;
                  RETURN NEW;
                END $$ LANGUAGE plpgsql"""
        )
        conn.execute(
            """CREATE TRIGGER planted BEFORE INSERT ON attempts
               FOR EACH ROW EXECUTE FUNCTION planted_failure()"""
        )


@pytest.mark.parametrize("state", ["40001", "40P01"])  # could not serialize; deadlock detected
def test_a_serialization_failure_or_deadlock_is_run_again_unseen(
    run_cli: RunCli, pg_url: str, tmp_path: Path, state: str
) -> None:
    imported(run_cli, pg_url, tmp_path)
    lead = json.loads(as_rep(run_cli, pg_url, "ann", "next", "--json").stdout)["lead_id"]
    fail_first(pg_url, 3, state)
    logged = as_rep(run_cli, pg_url, "ann", "log", str(lead), "voicemail", "--json")
    assert logged.exit_code == 0, logged.output + logged.stderr
    assert logged.stderr == ""
    assert count(pg_url, "attempts") == 1  # once, though three tries were rolled back


def test_a_conflict_that_never_clears_is_one_sentence_and_nothing_written(
    run_cli: RunCli, pg_url: str, tmp_path: Path
) -> None:
    imported(run_cli, pg_url, tmp_path)
    lead = json.loads(as_rep(run_cli, pg_url, "ann", "next", "--json").stdout)["lead_id"]
    fail_first(pg_url, ATTEMPTS, "40001")
    refused = as_rep(run_cli, pg_url, "ann", "log", str(lead), "voicemail")
    assert refused.exit_code == 4
    assert refused.stderr.startswith("dialsmile: Another rep's save collided with this one")
    assert len(refused.stderr.strip().splitlines()) == 1
    assert count(pg_url, "attempts") == 0
    # The next try (the conflict has cleared) saves it.
    assert as_rep(run_cli, pg_url, "ann", "log", str(lead), "voicemail").exit_code == 0
    assert count(pg_url, "attempts") == 1


def serializable_by_default(url: str) -> None:
    """The database's transactions default to SERIALIZABLE, as some teams' servers do."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            f"ALTER DATABASE {conn.info.dbname} SET default_transaction_isolation = 'serializable'"
        )


def test_two_reps_keying_neighbouring_leads_at_once_never_see_an_error(
    run_cli: RunCli, pg_url: str, tmp_path: Path
) -> None:
    """Two reps' sessions, each on its own connection, claim and log the leads side by
    side in one list as fast as they can: 400 keys, no deadlock, no error, even on a
    server whose default isolation is SERIALIZABLE (dialsmile asks for READ COMMITTED,
    which its claims are made for)."""
    imported(run_cli, pg_url, tmp_path, rows=400)
    serializable_by_default(pg_url)
    assert open_pg(pg_url).execute("SHOW transaction_isolation").fetchone() == ("read committed",)
    logged: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def rep(name: str) -> None:
        try:
            stores = open_stores(open_pg(pg_url), rep=name)
            session = CallSession(stores, stores.lists.get_list("Q4"), Settings(), Clock(T0))
            start.wait()
            while (offer := session.advance()) is not None:
                session.record(Outcome.NO_ANSWER)
                logged.append(offer.lead.id)
            session.end()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=rep, args=(name,)) for name in ("ann", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(logged) == len(set(logged)) == 400
    assert count(pg_url, "attempts") == 400


HOLDER = """
import sys, time
from dialsmile.config import Clock, Settings, parse_instant
from dialsmile.core.session import CallSession
from dialsmile.storage.postgres.db import open_pg
from dialsmile.storage.stores import open_stores
stores = open_stores(open_pg(sys.argv[1]), rep="ann")
session = CallSession(stores, stores.lists.get_list("Q4"), Settings(), Clock(parse_instant(sys.argv[2])))
print(session.advance().lead.id, flush=True)
time.sleep(60)
"""


def test_a_rep_killed_while_holding_a_lead_lets_it_go_when_the_claim_runs_out(
    run_cli: RunCli, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    imported(run_cli, pg_url, tmp_path, rows=2)
    ann = subprocess.Popen(
        [sys.executable, "-c", HOLDER, pg_url, NOW], stdout=subprocess.PIPE, text=True
    )
    assert ann.stdout is not None
    held = int(ann.stdout.readline())
    os.kill(ann.pid, signal.SIGKILL)
    ann.wait()
    bob = json.loads(as_rep(run_cli, pg_url, "bob", "next", "--json").stdout)["lead_id"]
    assert bob != held  # Ann's claim still runs
    # 15 minutes on (claim_minutes' default), Ann's claim has run out: the lead returns.
    monkeypatch.setenv("DIALSMILE_NOW", "2026-11-25T16:30:00+00:00")
    carl = as_rep(run_cli, pg_url, "carl", "next", "--json")
    assert carl.exit_code == 0, carl.output + carl.stderr
    assert json.loads(carl.stdout)["lead_id"] == held
