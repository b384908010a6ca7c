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


BOARD_LEADS = (
    LEADS
    + """\
Marcus Lee,Northwind,415-555-0132,CA
Ana Ruiz,Umbrella,(312) 555-0177,IL
Tom Baker,Aloha Surf,(808) 555-0110,HI
Kai Nui,Lava Rock,(808) 555-0111,HI
"""
)


def test_the_board_says_who_is_calling_on_a_break_idle_and_what_waits_for_its_window(
    run_cli: RunCli, any_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[dialsmile]\nchunk_size = 2\nidle_minutes = 5\nrep_timezone = "America/Chicago"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("DIALSMILE_CONFIG", str(config))
    path = tmp_path / "board.csv"
    path.write_text(BOARD_LEADS, encoding="utf-8")
    imported(run_cli, any_db, path)
    for who, outcomes in (("ann", ["no-answer", "yes"]), ("bob", ["voicemail"])):
        for outcome in outcomes:
            lead = as_json(run_cli("--rep", who, "next", "--json", db=any_db))["lead_id"]
            logged = run_cli("--rep", who, "log", str(lead), outcome, db=any_db)
            assert logged.exit_code == 0, logged.output + logged.stderr
    monkeypatch.setenv("DIALSMILE_NOW", "2026-11-25T16:25:00+00:00")  # ten minutes later
    carl = as_json(run_cli("--rep", "carl", "next", "--json", db=any_db))
    board = as_json(run_cli("floor", "--json", db=any_db))
    assert [(r["rep"], r["state"], r["since"], r["dials_today"]) for r in board["reps"]] == [
        ("ann", "on a break", "2026-11-25T16:15:00+00:00", 2),  # two calls: a chunk done
        ("bob", "idle", "2026-11-25T16:15:00+00:00", 1),  # ten minutes since his call
        ("carl", "calling", None, 0),
    ]
    assert board["reps"][2]["current_lead"]["lead_id"] == carl["lead_id"]
    totals = board["totals"]
    assert (totals["calling"], totals["on_break"], totals["yes_today"]) == (1, 1, 1)
    # 10:25 in Chicago: Tom and Kai, in Honolulu (06:25), wait for their window;
    # Ana, in Chicago, is due and inside hours (Carl holds her).
    assert totals["waiting_for_window"] == 2
    text = run_cli("floor", "--once", db=any_db)
    assert text.exit_code == 0, text.output + text.stderr
    lines = text.stdout.splitlines()
    assert lines[0] == "Q4 · Wed 25 Nov 10:25"
    assert lines[2].split()[:6] == ["ann", "on", "a", "break", "since", "10:15"]
    assert lines[3].split()[:4] == ["bob", "idle", "since", "10:15"]
    assert lines[-1].endswith("2 leads waiting for their calling window.")
    assert run_cli("floor", db=any_db).stdout == text.stdout  # not a terminal: the same


def test_a_floor_board_of_a_list_that_is_not_there_says_so(run_cli: RunCli, any_db: str) -> None:
    result = run_cli("floor", "--list", "Nope", db=any_db)
    assert result.exit_code == 3 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
