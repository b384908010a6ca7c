"""`next` reads on through a whole list as the session does; `log` re-checks do-not-call."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from dialsmile.core import session as session_module
from tests.conftest import RunCli

FAR = 2_050  # Tokyo numbers, each its own calling window: more than one pick checks


def far_list(tmp_path: Path, last: str) -> Path:
    """FAR leads in Tokyo (01:15 there at NOW, asleep), then ``last`` (a CSV row)."""
    rows = ["Name,Phone", *(f"Tokyo {n},+8135{n:07d}" for n in range(FAR)), last]
    path = tmp_path / "far.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def run(run_cli: RunCli, db: str, *args: str) -> Result:
    return run_cli("--rep", "ann", *args, db=db)


def as_json(result: Result) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def imported(run_cli: RunCli, db: str, path: Path, *extra: str) -> None:
    result = run_cli("import", str(path), "--list", "Q4", *extra, db=db)
    assert result.exit_code == 0, result.output + result.stderr


def test_the_limits_are_smaller_than_the_far_list() -> None:
    # Each pick checks at most SCAN_LIMIT leads one by one (a Tokyo number is
    # checked alone: no area code groups it); the list below needs several picks.
    assert session_module.SCAN_LIMIT < FAR


def test_next_reads_past_thousands_of_leads_outside_their_hours(
    run_cli: RunCli, any_db: str, tmp_path: Path
) -> None:
    imported(run_cli, any_db, far_list(tmp_path, "Near York,+12125550188"))
    found = run(run_cli, any_db, "next", "--json")
    assert found.exit_code == 0, found.output + found.stderr
    assert as_json(found)["name"] == "Near York"  # 11:15 in New York


def test_nothing_callable_says_the_earliest_moment_anywhere_in_the_list(
    run_cli: RunCli, any_db: str, tmp_path: Path
) -> None:
    # Tokyo opens at 09:00 JST (00:00 UTC tomorrow); the Honolulu lead at the
    # end opens at 08:00 HST, 18:00 UTC today: the earlier moment.
    imported(run_cli, any_db, far_list(tmp_path, "Hana Far,+18085550110"))
    empty = run(run_cli, any_db, "next", "--json")
    assert empty.exit_code == 3, empty.output + empty.stderr
    assert as_json(empty) == {
        "lead_id": None,
        "reason": as_json(empty)["reason"],
        "next_at": "2026-11-25T18:00:00+00:00",
    }
    assert "Hawaii" in as_json(empty)["reason"]
    said = run(run_cli, any_db, "next")
    assert said.exit_code == 3 and said.stdout == ""
    assert said.stderr.strip().endswith("next at 2026-11-25T18:00:00+00:00.")


LEADS = """\
Name,Company,Phone,State
Dana Whitfield,Globex,(512) 555-0134,TX
Priya Raman,Initech,+1 212-555-0188,NY
"""


@pytest.fixture
def leads_csv(tmp_path: Path) -> Path:
    path = tmp_path / "leads.csv"
    path.write_text(LEADS, encoding="utf-8")
    return path


def lead_row(run_cli: RunCli, db: str, lead_id: int) -> dict[str, Any]:
    leads = json.loads(run_cli("leads", "--json", db=db).stdout)
    row: dict[str, Any] = next(lead for lead in leads if lead["id"] == lead_id)
    return row


@pytest.mark.parametrize("outcome", ["yes", "no-answer", "voicemail", "callback", "bad-number"])
def test_log_refuses_a_call_to_a_number_another_rep_put_on_do_not_call(
    run_cli: RunCli, any_db: str, leads_csv: Path, outcome: str
) -> None:
    imported(run_cli, any_db, leads_csv)
    lead = as_json(run(run_cli, any_db, "next", "--json"))
    # While Ann is on the phone, Bob hears from the same number: do not call.
    added = run_cli("--rep", "bob", "dnc", "add", lead["phone"], "--reason", "asked", db=any_db)
    assert added.exit_code == 0, added.output + added.stderr
    before = lead_row(run_cli, any_db, lead["lead_id"])
    refused = run(run_cli, any_db, "log", str(lead["lead_id"]), outcome)
    assert refused.exit_code == 6, refused.output + refused.stderr
    assert refused.stdout == "" and len(refused.stderr.strip().splitlines()) == 1
    assert "internal DNC" in refused.stderr and "log do-not-call instead" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert lead_row(run_cli, any_db, lead["lead_id"]) == before  # nothing written
    # The lead is not handed back by `next` either; do-not-call itself is logged.
    assert as_json(run(run_cli, any_db, "next", "--json"))["lead_id"] != lead["lead_id"]
    logged = run(run_cli, any_db, "log", str(lead["lead_id"]), "do-not-call", "--json")
    assert logged.exit_code == 0, logged.output + logged.stderr
    assert as_json(logged)["status"] == "dnc" and as_json(logged)["attempts"] == 1


@pytest.mark.parametrize(("kind", "refused"), [("consumer", True), ("business", False)])
def test_a_national_copy_loaded_since_the_lead_was_taken_stops_consumer_calls_only(
    run_cli: RunCli, any_db: str, leads_csv: Path, tmp_path: Path, kind: str, refused: bool
) -> None:
    imported(run_cli, any_db, leads_csv, "--kind", kind)
    lead = as_json(run(run_cli, any_db, "next", "--json"))
    copy = tmp_path / "national.txt"
    copy.write_text(lead["phone"] + "\n", encoding="utf-8")
    loaded = run_cli("dnc", "import", str(copy), "--source", "national", db=any_db)
    assert loaded.exit_code == 0, loaded.output + loaded.stderr
    logged = run(run_cli, any_db, "log", str(lead["lead_id"]), "no-answer")
    if refused:
        assert logged.exit_code == 6 and "national DNC" in logged.stderr
    else:  # the national list is for consumers: a business line may still be called
        assert logged.exit_code == 0, logged.output + logged.stderr
