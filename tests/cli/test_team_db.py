"""Every command on both engines: a SQLite file and a team's PostgreSQL server."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.cli.test_completion import complete
from tests.conftest import RunCli

LEADS = """\
First Name,Last Name,Job Title,Company,Phone,City,State,Country
Dana,Whitfield,VP Sales,Globex Logistics,(512) 555-0134,Austin,TX,United States
Priya,Raman,Head of Ops,Initech Analytics,+1 212-555-0188,New York,NY,United States
Marcus,Lee,CFO,Northwind Freight,415-555-0132 x12,San Francisco,CA,United States
"""


@pytest.fixture
def leads_csv(tmp_path: Path) -> Path:
    path = tmp_path / "leads.csv"
    path.write_text(LEADS, encoding="utf-8")
    return path


def ok(run_cli: RunCli, db: str, *args: str) -> str:
    result = run_cli(*args, db=db)
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout


def test_import_lists_leads_dnc_stats_and_exports(
    run_cli: RunCli, any_db: str, leads_csv: Path
) -> None:
    assert "3 imported" in ok(run_cli, any_db, "import", str(leads_csv), "--list", "Q4")
    assert "3 leads" in ok(run_cli, any_db, "lists") and "3 open" in ok(run_cli, any_db, "lists")
    leads = json.loads(ok(run_cli, any_db, "leads", "--json"))
    assert [lead["name"] for lead in leads] == ["Dana Whitfield", "Priya Raman", "Marcus Lee"]
    assert leads[2]["extension"] == "12"
    ok(run_cli, any_db, "dnc", "add", "+15125550134", "--reason", "asked")
    assert "2 open" in ok(run_cli, any_db, "lists")
    assert "internal" in ok(run_cli, any_db, "dnc", "list")
    ok(run_cli, any_db, "stats")
    exported = ok(run_cli, any_db, "export", "leads", "-o", "-").splitlines()
    assert len(exported) == 4 and ",dnc," in exported[1]
    again = run_cli("import", str(leads_csv), "--list", "Q4", db=any_db)
    assert "3 duplicates" in again.stdout
    assert "batch" in ok(run_cli, any_db, "imports").lower() or "leads.csv" in ok(
        run_cli, any_db, "imports"
    )
    ok(run_cli, any_db, "imports", "undo", "1")
    assert "0 leads" in ok(run_cli, any_db, "lists")


def rep(run_cli: RunCli, db: str, name: str, *args: str) -> Result:
    return run_cli("--rep", name, *args, db=db)


def as_json(result: Result) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_next_claims_a_lead_for_one_rep_and_log_lets_it_go(
    run_cli: RunCli, any_db: str, leads_csv: Path
) -> None:
    ok(run_cli, any_db, "import", str(leads_csv), "--list", "Q4")
    ann = rep(run_cli, any_db, "ann", "next", "--json")
    assert ann.exit_code == 0, ann.output + ann.stderr
    first = as_json(ann)
    assert {"lead_id", "name", "company", "phone", "extension", "timezones"} <= set(first)
    # NOW + 15 minutes (the command's clock runs on from NOW while it works, so the
    # claim can land a second or more later on a loaded machine)
    assert first["claimed_until"][:18] == "2026-11-25T16:30:0"
    # Asked again, Ann gets the lead she holds; Bob never gets it.
    assert as_json(rep(run_cli, any_db, "ann", "next", "--json"))["lead_id"] == first["lead_id"]
    bob = as_json(rep(run_cli, any_db, "bob", "next", "--json"))
    assert bob["lead_id"] not in (None, first["lead_id"])
    # Bob cannot log Ann's lead: one sentence, exit 4, nothing written.
    refused = rep(run_cli, any_db, "bob", "log", str(first["lead_id"]), "no-answer")
    assert refused.exit_code == 4
    assert "held by ann" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    logged = rep(run_cli, any_db, "ann", "log", str(first["lead_id"]), "no-answer", "--json")
    assert logged.exit_code == 0, logged.output + logged.stderr
    assert as_json(logged)["status"] == "retry" and as_json(logged)["attempts"] == 1
    # Logged, the lead is let go; Ann's next lead is the third one.
    third = as_json(rep(run_cli, any_db, "ann", "next", "--json"))
    assert third["lead_id"] not in (first["lead_id"], bob["lead_id"])
    board = as_json(run_cli("floor", "--json", db=any_db))
    assert [r["rep"] for r in board["reps"]] == ["ann", "bob"]
    assert board["reps"][0]["dials_today"] == 1
    assert board["reps"][0]["current_lead"]["lead_id"] == third["lead_id"]
    assert board["reps"][1]["current_lead"]["lead_id"] == bob["lead_id"]
    assert board["totals"]["dials_today"] == 1 and board["totals"]["worked"] == 1
    crm = run_cli("export", "session", "latest", "--format", "hubspot", "-o", "-", db=any_db)
    assert crm.exit_code == 0, crm.output + crm.stderr
    assert len(crm.stdout.strip().splitlines()) == 2  # the header and Ann's one call


def test_next_with_nothing_callable_exits_3_saying_when(
    run_cli: RunCli, any_db: str, leads_csv: Path
) -> None:
    ok(run_cli, any_db, "import", str(leads_csv), "--list", "Q4")
    for _ in range(3):
        lead = as_json(rep(run_cli, any_db, "ann", "next", "--json"))["lead_id"]
        ok(run_cli, any_db, "--rep", "ann", "log", str(lead), "busy")
    empty = rep(run_cli, any_db, "ann", "next", "--json")
    assert empty.exit_code == 3
    data = as_json(empty)
    assert data["lead_id"] is None and data["reason"]
    assert data["next_at"] == "2026-11-25T16:30:00+00:00"  # busy: again in 15 minutes


def test_a_callback_comes_back_to_the_rep_who_booked_it(
    run_cli: RunCli, any_db: str, leads_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(run_cli, any_db, "import", str(leads_csv), "--list", "Q4")
    lead = as_json(rep(run_cli, any_db, "ann", "next", "--json"))["lead_id"]
    booked = rep(run_cli, any_db, "ann", "log", str(lead), "callback", "--callback", "in 1 hour")
    assert booked.exit_code == 0, booked.output + booked.stderr
    monkeypatch.setenv("DIALSMILE_NOW", "2026-11-25T17:20:00+00:00")
    seen_by_bob = {as_json(rep(run_cli, any_db, "bob", "next", "--json"))["lead_id"]}
    assert lead not in seen_by_bob
    assert as_json(rep(run_cli, any_db, "ann", "next", "--json"))["lead_id"] == lead


def test_the_session_csv_reads_the_same_on_both_engines(
    run_cli: RunCli, any_db: str, leads_csv: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[dialsmile]\nrep_timezone = "America/Chicago"\n', encoding="utf-8")
    notes = ['said "no", 100%s sure', "=1+1 asked for a quote", ""]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DIALSMILE_CONFIG", str(config))
        ok(run_cli, any_db, "import", str(leads_csv), "--list", "Q4")
        for note, outcome in zip(notes, ["no", "voicemail", "callback"], strict=True):
            lead = as_json(rep(run_cli, any_db, "ann", "next", "--json"))["lead_id"]
            extra = ["--callback", "2026-11-27 10:00"] if outcome == "callback" else []
            logged = rep(run_cli, any_db, "ann", "log", str(lead), outcome, "--note", note, *extra)
            assert logged.exit_code == 0, logged.output + logged.stderr
        out = run_cli("export", "session", "latest", "-o", "-", db=any_db)
    assert out.exit_code == 0, out.output + out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    # As the rep typed them; a cell a spreadsheet would run as a formula starts with '.
    assert [r["note"] for r in rows] == ['said "no", 100%s sure', "'=1+1 asked for a quote", ""]
    assert [r["outcome"] for r in rows] == ["no", "voicemail", "callback"]
    # Times in the rep's zone (Chicago, 10:15 at the test clock, which runs on from
    # there), each call's length in seconds to the tenth.
    assert [r["started_at"][:16] for r in rows] == ["2026-11-25T10:15"] * 3
    assert all(r["started_at"].endswith("-06:00") for r in rows)
    assert [r["dialed"] for r in rows] == ["no"] * 3
    assert all(re.fullmatch(r"\d+\.\d", r["duration_s"]) for r in rows), rows
    # The callback is read in the lead's zone (Marcus, California) and shown in the rep's.
    assert rows[2]["callback_at"] == "2026-11-27T12:00:00-06:00"
    # The shell offers the session by its number on both engines.
    assert complete(any_db, "export session ") == ["latest", "1"]


def test_next_says_until_when_the_lead_is_yours_in_your_own_time(
    run_cli: RunCli, db_path: Path, leads_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "America/Chicago")  # the rep's zone, when no setting names one
    ok(run_cli, db_path, "import", str(leads_csv), "--list", "Q4")
    ann = rep(run_cli, str(db_path), "ann", "next")
    assert ann.exit_code == 0, ann.output + ann.stderr
    # Claimed at 16:15 UTC for 15 minutes: 10:30 in Chicago, in November's CST.
    assert ann.stdout.splitlines()[1].endswith(" · yours until 10:30 CST")
