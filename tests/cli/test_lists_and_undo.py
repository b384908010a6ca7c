"""`lists`, plain `leads`, `imports undo` (and --force) and `dnc remove --source`,
checked against what the database holds afterwards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dialsmile.config import Clock, Settings, parse_instant
from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession
from dialsmile.storage.leads import LeadStore
from dialsmile.storage.stores import open_stores
from tests.conftest import NOW, RunCli, database_at, rows

pytestmark = pytest.mark.both_engines

FIRST = (
    "Name,Company,Phone,State\n"
    "Dana Whitfield,Globex Logistics,(512) 555-0134,TX\n"
    "Priya Raman,Initech,+1 212-555-0188 x7,NY\n"
    "Marcus Lee,Northwind Freight,415-555-0132,CA\n"
)
SECOND = "Name,Company,Phone\nTom Baker,Aloha Surf,(808) 555-0110\nAnn Lee,Acme,(512) 555-0140\n"


def imported(run_cli: RunCli, tmp_path: Path, text: str, list_name: str, *extra: str) -> None:
    path = tmp_path / f"{list_name}-{len(text)}.csv"
    path.write_text(text, encoding="utf-8")
    result = run_cli("import", str(path), "--list", list_name, *extra)
    assert result.exit_code == 0, result.stderr


def call_first_lead(target: str, list_name: str, outcome: Outcome) -> None:
    db = database_at(target)
    session = CallSession(
        open_stores(db), LeadStore(db).get_list(list_name), Settings(), Clock(parse_instant(NOW))
    )
    assert session.advance() is not None
    session.record(outcome)
    db.conn.close()


def test_lists_shows_each_list_with_its_kind_size_and_open_leads(
    run_cli: RunCli, tmp_path: Path, db: str
) -> None:
    assert run_cli("lists").stdout == (
        "No lists yet. Import some leads with: dialsmile import FILE.csv\n"
    )
    imported(run_cli, tmp_path, FIRST, "Q4 Nordics")
    imported(run_cli, tmp_path, SECOND, "Hawaii", "--kind", "business")
    call_first_lead(db, "Q4 Nordics", Outcome.NO)
    result = run_cli("lists")
    assert result.exit_code == 0
    lines = [line.split() for line in result.stdout.splitlines()]
    assert lines == [
        ["Q4", "Nordics", "consumer", "3", "leads", "2", "open"],
        ["Hawaii", "business", "2", "leads", "2", "open"],
    ]


def test_plain_leads_is_one_line_per_lead_in_list_order(
    run_cli: RunCli, tmp_path: Path, db: str
) -> None:
    assert run_cli("leads").stdout == "No leads yet. Import some with: dialsmile import FILE.csv\n"
    imported(run_cli, tmp_path, FIRST, "Q4")
    imported(run_cli, tmp_path, SECOND, "Hawaii")
    call_first_lead(db, "Q4", Outcome.VOICEMAIL)
    result = run_cli("leads", "--list", "Q4")
    assert result.exit_code == 0
    header, *body = result.stdout.splitlines()
    assert header.split() == ["id", "name", "company", "phone", "status", "tries"]
    assert [line.split() for line in body] == [
        ["1", "Dana", "Whitfield", "Globex", "Logistics", "+1", "512-555-0134", "retry", "1"],
        ["2", "Priya", "Raman", "Initech", "+1", "212-555-0188", "ext.", "7", "new", "0"],
        ["3", "Marcus", "Lee", "Northwind", "Freight", "+1", "415-555-0132", "new", "0"],
    ]
    everyone = run_cli("leads").stdout.splitlines()
    assert [line.split()[1] for line in everyone[1:]] == ["Dana", "Priya", "Marcus", "Tom", "Ann"]
    unknown = run_cli("leads", "--list", "Nope")
    assert unknown.exit_code == 3 and unknown.stderr.count("\n") == 1


def test_imports_undo_refuses_a_batch_with_calls_until_forced(
    run_cli: RunCli, tmp_path: Path, db: str
) -> None:
    imported(run_cli, tmp_path, FIRST, "Q4")
    imported(run_cli, tmp_path, SECOND, "Q4")
    call_first_lead(db, "Q4", Outcome.NO_ANSWER)  # Dana, of batch 1

    refused = run_cli("imports", "undo", "1")
    assert refused.exit_code == 2 and refused.stderr.count("\n") == 1
    assert "1 lead(s) of batch 1 already have call attempts" in refused.stderr
    assert "--force" in refused.stderr
    assert rows(db, "SELECT count(*) FROM leads") == [(5,)]
    assert rows(db, "SELECT count(*) FROM attempts") == [(1,)]

    forced = run_cli("imports", "undo", "1", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert forced.stdout == "Removed 3 leads of import batch 1.\n"
    assert rows(db, "SELECT name FROM leads ORDER BY id") == [("Tom Baker",), ("Ann Lee",)]
    assert rows(db, "SELECT count(*) FROM attempts") == [(0,)]

    again = run_cli("imports", "undo", "1", "--force")
    assert again.exit_code == 2 and "already undone" in again.stderr
    uncalled = run_cli("imports", "undo", "2")
    assert uncalled.exit_code == 0 and uncalled.stdout == "Removed 2 leads of import batch 2.\n"
    assert rows(db, "SELECT count(*) FROM leads") == [(0,)]
    missing = run_cli("imports", "undo", "9")
    assert missing.exit_code == 3 and "No import batch 9" in missing.stderr
    listing = run_cli("imports").stdout.splitlines()
    assert len(listing) == 2 and all("undone" in line for line in listing)


def lead_status(run_cli: RunCli) -> dict[str, str]:
    return {lead["name"]: lead["status"] for lead in json.loads(run_cli("leads", "--json").stdout)}


def test_dnc_remove_source_state_or_national_takes_it_off_that_list_only(
    run_cli: RunCli, tmp_path: Path, db: str
) -> None:
    imported(run_cli, tmp_path, FIRST, "Q4")
    state = tmp_path / "state.csv"
    state.write_text("phone\n5125550134\n2125550188\n", encoding="utf-8")
    national = tmp_path / "national.txt"
    national.write_text("2125550188\n4155550132\n", encoding="utf-8")
    for path, source, as_of in (
        (state, "state", "2026-11-02"),
        (national, "national", "2026-11-20"),
    ):
        loaded = run_cli("dnc", "import", str(path), "--source", source, "--as-of", as_of)
        assert loaded.exit_code == 0, loaded.stderr
    assert lead_status(run_cli) == {
        "Dana Whitfield": "dnc",
        "Priya Raman": "dnc",
        "Marcus Lee": "dnc",
    }

    # Dana is on the state list only: taking her off it makes her callable again.
    off = run_cli("dnc", "remove", "512-555-0134", "--source", "state", "--reason", "wrong list")
    assert off.exit_code == 0, off.stderr
    assert off.stdout.splitlines()[0] == (
        "Removed +1 512-555-0134 from the state do-not-call list (logged)."
    )
    # Priya is on both: off the state list, the national list still holds her.
    both = run_cli("dnc", "remove", "212-555-0188", "--source", "state", "--reason", "moved")
    assert both.exit_code == 0, both.stderr
    # Marcus is on the national list only.
    marcus = run_cli("dnc", "remove", "415-555-0132", "--source", "national", "--reason", "ported")
    assert marcus.exit_code == 0, marcus.stderr
    assert lead_status(run_cli) == {
        "Dana Whitfield": "new",
        "Priya Raman": "dnc",
        "Marcus Lee": "new",
    }

    check = json.loads(run_cli("dnc", "check", "212-555-0188", "--json").stdout)
    assert [entry["source"] for entry in check["lists"]] == ["national"]
    log = rows(db, "SELECT action, source, reason FROM dnc_log WHERE action = 'remove'")
    assert log == [
        ("remove", "state", "wrong list"),
        ("remove", "state", "moved"),
        ("remove", "national", "ported"),
    ]
    not_there = run_cli("dnc", "remove", "512-555-0134", "--source", "state", "--reason", "again")
    assert not_there.exit_code == 3 and "not on the state do-not-call list" in not_there.stderr
