"""The floor board, `next` and `log` at their edges, on both engines: skips, other lists,
ended sessions, holds that ran out, the rep's own day, windows shared by area code,
names in any case, and the one-sentence refusals of `log`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from dialsmile.commands.context import Context
from dialsmile.commands.floor import board_loader
from dialsmile.config import Clock, parse_instant
from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession
from dialsmile.storage.target import DbTarget
from tests.conftest import NOW, RunCli

pytestmark = pytest.mark.both_engines

LEADS = """\
Name,Company,Phone,State
Dana Whitfield,Globex,(512) 555-0134,TX
Priya Raman,Initech,+1 212-555-0188,NY
Marcus Lee,Northwind,415-555-0132,CA
Tom Baker,Aloha Surf,(808) 555-0110,HI
"""


@pytest.fixture(autouse=True)
def chicago(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rep works in Chicago; a rep is idle five minutes after their last call."""
    config = tmp_path / "config.toml"
    config.write_text(
        '[dialsmile]\nidle_minutes = 5\nrep_timezone = "America/Chicago"\n', encoding="utf-8"
    )
    monkeypatch.setenv("DIALSMILE_CONFIG", str(config))


def at(monkeypatch: pytest.MonkeyPatch, moment: str) -> None:
    monkeypatch.setenv("DIALSMILE_NOW", moment)


def imported(run_cli: RunCli, db: str, tmp_path: Path, text: str = LEADS, name: str = "Q4") -> None:
    path = tmp_path / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    result = run_cli("import", str(path), "--list", name, db=db)
    assert result.exit_code == 0, result.output + result.stderr


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output + result.stderr
    return result


def claim(run_cli: RunCli, db: str, rep: str, *extra: str) -> int:
    data = json.loads(ok(run_cli("--rep", rep, "next", "--json", *extra, db=db)).stdout)
    lead: int = data["lead_id"]
    return lead


def log(run_cli: RunCli, db: str, rep: str, lead: int, outcome: str, *extra: str) -> Result:
    return run_cli("--rep", rep, "log", str(lead), outcome, *extra, db=db)


def board(run_cli: RunCli, db: str, *extra: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(run_cli("floor", "--json", *extra, db=db)).stdout)
    return data


def reps(data: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [(r["rep"], r["state"], r["dials_today"]) for r in data["reps"]]


def lead_id(run_cli: RunCli, db: str, name: str) -> int:
    leads = json.loads(ok(run_cli("leads", "--json", db=db)).stdout)
    found: int = next(lead["id"] for lead in leads if lead["name"] == name)
    return found


def rep_session(db: str, rep: str, list_name: str = "Q4", at: str = "") -> CallSession:
    """The rep's session as their screen opens it (resumed when one is open); with ``at``,
    its clock stands still at that moment, so a call's times are exact to the second."""
    ctx = Context(DbTarget.parse(db), rep)
    stores = ctx.stores
    clock = Clock(parse_instant(at), running=False) if at else ctx.clock
    return CallSession(stores, stores.lists.get_list(list_name), ctx.settings, clock)


def board_at(db: str, moment: str) -> dict[str, Any]:
    """The board `dialsmile floor --json` prints, read at exactly ``moment`` (the
    command's clock runs on from $DIALSMILE_NOW, so a boundary needs a stopped one)."""
    ctx = Context(DbTarget.parse(db))
    ctx.clock = Clock(parse_instant(moment), running=False)
    data: dict[str, Any] = board_loader(ctx, "Q4")().as_json()
    return data


def called(db: str, rep: str, name: str, outcome: Outcome, at: str) -> None:
    """``rep`` takes the lead called ``name`` and logs ``outcome``, at exactly ``at``."""
    session = rep_session(db, rep, at=at)
    lead = next(
        found
        for n in range(1, 10)
        if (found := session.calls.lead(n)) is not None and found.name == name
    )
    session.take(lead)
    session.record(outcome)


def test_a_skip_is_no_dial_on_the_board(run_cli: RunCli, any_db: str, tmp_path: Path) -> None:
    imported(run_cli, any_db, tmp_path)
    ok(log(run_cli, any_db, "ann", claim(run_cli, any_db, "ann"), "skip"))
    ok(log(run_cli, any_db, "bob", claim(run_cli, any_db, "bob"), "no-answer"))
    data = board(run_cli, any_db)
    assert [(r["rep"], r["dials_today"]) for r in data["reps"]] == [("ann", 0), ("bob", 1)]
    assert data["totals"]["dials_today"] == 1


def test_the_board_of_a_list_shows_only_that_lists_reps(
    run_cli: RunCli, any_db: str, tmp_path: Path
) -> None:
    imported(run_cli, any_db, tmp_path, name="Q4")
    imported(run_cli, any_db, tmp_path, LEADS.replace("555-01", "555-02"), name="Q1")
    ok(log(run_cli, any_db, "ann", claim(run_cli, any_db, "ann", "--list", "Q1"), "yes"))
    claim(run_cli, any_db, "ann", "--list", "Q1")  # and holds the next lead of Q1
    q4 = board(run_cli, any_db, "--list", "Q4")
    assert q4["reps"] == [] and q4["totals"]["dials_today"] == 0
    assert q4["totals"]["worked"] == 0
    assert q4["totals"]["waiting_for_window"] == 1  # Q4's Tom in Honolulu, not Q1's
    text = ok(run_cli("floor", "--once", "--list", "Q4", db=any_db)).stdout
    assert "Nobody has called this list today." in text
    q1 = board(run_cli, any_db, "--list", "Q1")
    assert reps(q1) == [("ann", "calling", 1)] and q1["totals"]["yes_today"] == 1


def test_a_rep_whose_session_ended_is_done_and_holds_nothing(
    run_cli: RunCli, any_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    imported(run_cli, any_db, tmp_path)
    ok(log(run_cli, any_db, "ann", claim(run_cli, any_db, "ann"), "no"))
    bob = claim(run_cli, any_db, "bob")
    claim(run_cli, any_db, "ann")
    rep_session(any_db, "ann").end()  # Ann ends her session: her lead goes back
    at(monkeypatch, "2026-11-25T16:25:00+00:00")  # ten minutes on: past idle_minutes
    data = board(run_cli, any_db)
    assert reps(data) == [("ann", "done", 1), ("bob", "calling", 0)]
    assert data["reps"][0]["current_lead"] is None
    assert data["reps"][1]["current_lead"]["lead_id"] == bob  # Bob's hold is his still


def test_a_rep_who_opened_a_session_and_made_no_call_is_idle_not_on_a_break(
    run_cli: RunCli, any_db: str, tmp_path: Path
) -> None:
    imported(run_cli, any_db, tmp_path)
    rep_session(any_db, "ann")  # the screen is open, no lead taken yet
    data = board(run_cli, any_db)
    assert reps(data) == [("ann", "idle", 0)]
    assert data["reps"][0]["since"] is None and data["totals"]["on_break"] == 0


def test_a_hold_that_ran_out_is_no_longer_on_the_board(
    run_cli: RunCli, any_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    imported(run_cli, any_db, tmp_path)
    offer = rep_session(any_db, "ann", at=NOW).advance()  # held until 16:30:00 sharp
    assert offer is not None
    last_second = board_at(any_db, "2026-11-25T16:29:59+00:00")
    assert last_second["reps"][0]["current_lead"]["lead_id"] == offer.lead.id
    data = board_at(any_db, "2026-11-25T16:30:00+00:00")
    assert data["reps"][0]["current_lead"] is None
    assert reps(data) == [("ann", "idle", 0)]
    at(monkeypatch, "2026-11-25T16:31:00+00:00")
    assert "Dana Whitfield" not in ok(run_cli("floor", "--once", db=any_db)).stdout


def test_reps_are_sorted_by_name_whatever_their_case(
    run_cli: RunCli, any_db: str, tmp_path: Path
) -> None:
    imported(run_cli, any_db, tmp_path)
    for rep in ("bob", "Zoe", "ann"):
        claim(run_cli, any_db, rep)
    rep_session(any_db, "Carl")
    assert [r["rep"] for r in board(run_cli, any_db)["reps"]] == ["ann", "bob", "Carl", "Zoe"]


def test_a_rep_is_idle_from_exactly_idle_minutes_after_their_last_call(
    run_cli: RunCli, any_db: str, tmp_path: Path
) -> None:
    imported(run_cli, any_db, tmp_path)
    called(any_db, "ann", "Dana Whitfield", Outcome.NO, NOW)
    assert reps(board_at(any_db, "2026-11-25T16:19:59+00:00")) == [("ann", "calling", 1)]
    data = board_at(any_db, "2026-11-25T16:20:00+00:00")  # five minutes after the call
    assert reps(data) == [("ann", "idle", 1)]
    assert data["reps"][0]["since"] == "2026-11-25T16:15:00+00:00"


def test_the_boards_day_is_the_reps_day_from_midnight_on(
    run_cli: RunCli, any_db: str, tmp_path: Path
) -> None:
    """In Chicago the 25th starts at 06:00 UTC: a call at 05:59:59 is yesterday's, one
    at 06:00 sharp is today's, however the day reads in UTC."""
    imported(run_cli, any_db, tmp_path)
    called(any_db, "ann", "Dana Whitfield", Outcome.NO, "2026-11-25T05:59:59+00:00")
    called(any_db, "bob", "Priya Raman", Outcome.NO, "2026-11-25T06:00:00+00:00")
    data = board(run_cli, any_db)
    assert [(r["rep"], r["dials_today"]) for r in data["reps"]] == [("bob", 1)]
    assert data["totals"]["worked"] == 2  # the list's progress is not a day's


def test_a_callback_due_this_second_is_due_not_later(
    run_cli: RunCli, any_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    imported(run_cli, any_db, tmp_path)
    dana = claim(run_cli, any_db, "ann")
    ok(log(run_cli, any_db, "ann", dana, "callback", "--callback", "2026-11-25 11:15"))
    totals = board(run_cli, any_db)["totals"]
    assert (totals["callbacks_due"], totals["callbacks_later"]) == (0, 1)
    totals = board_at(any_db, "2026-11-25T17:15:00+00:00")["totals"]  # 11:15 in Austin
    assert (totals["callbacks_due"], totals["callbacks_later"]) == (1, 0)
    at(monkeypatch, "2026-11-25T17:15:00+00:00")
    text = ok(run_cli("floor", "--once", db=any_db)).stdout
    assert "1 callback due, 0 later;" in text


def test_a_retry_not_due_yet_does_not_wait_for_its_window(
    run_cli: RunCli, any_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tom (Honolulu, 06:15 there) waits for his window; once his line was busy, he
    waits for his retry, which the board counts elsewhere (not due)."""
    imported(run_cli, any_db, tmp_path)
    assert board(run_cli, any_db)["totals"]["waiting_for_window"] == 1
    ok(log(run_cli, any_db, "ann", lead_id(run_cli, any_db, "Tom Baker"), "busy"))
    assert board(run_cli, any_db)["totals"]["waiting_for_window"] == 0


def test_leads_that_share_a_zone_but_not_a_state_wait_apart(
    run_cli: RunCli, any_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 20:30 in New York, Florida's calling hours (to 20:00) are over and West
    Virginia's (the federal 21:00) are not: area codes 305 and 304 are both Eastern and
    have no State column, and each is checked by its own rules."""
    text = "Name,Phone\nMia Flores,(305) 555-0101\nWes Vance,(304) 555-0102\n"
    imported(run_cli, any_db, tmp_path, text)
    at(monkeypatch, "2026-11-24T01:30:00+00:00")  # Monday 23 November, 20:30 in New York
    assert board(run_cli, any_db)["totals"]["waiting_for_window"] == 1
    assert claim(run_cli, any_db, "ann") == lead_id(run_cli, any_db, "Wes Vance")


def test_quitting_lets_only_your_own_leads_go(run_cli: RunCli, any_db: str, tmp_path: Path) -> None:
    imported(run_cli, any_db, tmp_path)
    ann = claim(run_cli, any_db, "ann")
    bob = claim(run_cli, any_db, "bob")
    rep_session(any_db, "ann").let_go()  # Ann quits her screen
    data = board(run_cli, any_db)
    assert [
        (r["rep"], r["current_lead"] and r["current_lead"]["lead_id"]) for r in data["reps"]
    ] == [
        ("ann", None),
        ("bob", bob),
    ]
    refused = log(run_cli, any_db, "carl", bob, "no")
    assert refused.exit_code == 4 and "held by bob" in refused.stderr
    assert claim(run_cli, any_db, "carl") == ann  # Ann's lead is anyone's again


def test_log_books_the_callback_in_the_leads_own_time(
    run_cli: RunCli, any_db: str, tmp_path: Path
) -> None:
    imported(run_cli, any_db, tmp_path)
    marcus = lead_id(run_cli, any_db, "Marcus Lee")  # San Francisco
    booked = log(
        run_cli, any_db, "ann", marcus, "callback", "--callback", "2026-11-27 10:00", "--json"
    )
    data = json.loads(ok(booked).stdout)
    assert data["callback_at"] == "2026-11-27T18:00:00+00:00"  # 10:00 PST
    assert (data["lead_id"], data["outcome"], data["status"], data["rep"]) == (
        marcus,
        "callback",
        "callback",
        "ann",
    )


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("no", "--callback", "tomorrow"), 2, "--callback goes with the outcome callback."),
        (("callback", "--callback", "when pigs fly"), 2, ""),
        (("no",), 4, "held by bob"),
    ],
)
def test_log_refuses_in_one_sentence_and_writes_nothing(
    run_cli: RunCli, any_db: str, tmp_path: Path, args: tuple[str, ...], code: int, words: str
) -> None:
    imported(run_cli, any_db, tmp_path)
    held = claim(run_cli, any_db, "bob")
    lead = held if code == 4 else lead_id(run_cli, any_db, "Priya Raman")
    before = ok(run_cli("leads", "--json", db=any_db)).stdout
    refused = log(run_cli, any_db, "ann", lead, *args)
    assert refused.exit_code == code, refused.output + refused.stderr
    assert refused.stdout == "" and len(refused.stderr.strip().splitlines()) == 1
    assert words in refused.stderr and "Traceback" not in refused.stderr
    assert ok(run_cli("leads", "--json", db=any_db)).stdout == before
    assert board(run_cli, any_db)["totals"]["dials_today"] == 0


def test_log_of_a_lead_that_is_not_there_exits_3(
    run_cli: RunCli, any_db: str, tmp_path: Path
) -> None:
    imported(run_cli, any_db, tmp_path)
    missing = run_cli("--rep", "ann", "log", "999", "no", db=any_db)
    assert missing.exit_code == 3
    assert missing.stderr == "dialsmile: No lead 999; see `dialsmile leads`.\n"


def test_next_in_plain_text_and_as_json_name_the_same_lead_and_hold(
    run_cli: RunCli, any_db: str, tmp_path: Path
) -> None:
    imported(run_cli, any_db, tmp_path)
    data = json.loads(ok(run_cli("--rep", "ann", "next", "--json", db=any_db)).stdout)
    assert data == {
        "lead_id": data["lead_id"],
        "name": "Dana Whitfield",
        "company": "Globex",
        "phone": "+15125550134",
        "extension": None,
        "timezones": ["America/Chicago"],
        "status": "new",
        "attempts": 0,
        "notes": "",
        "reason": data["reason"],
        "claimed_until": data["claimed_until"],
    }
    # 15 minutes from the claim; the command's clock runs on from 16:15:00 while it works.
    assert data["claimed_until"][:18] == "2026-11-25T16:30:0"
    text = ok(run_cli("--rep", "ann", "next", db=any_db)).stdout.splitlines()
    assert text[0].split()[:3] == [str(data["lead_id"]), "Dana", "Whitfield"]
    assert text[1].endswith("yours until 10:30 CST")  # asked again: the lead she holds


def test_nothing_callable_in_plain_text_says_why_on_stderr(
    run_cli: RunCli, any_db: str, tmp_path: Path
) -> None:
    imported(run_cli, any_db, tmp_path, "Name,Phone\nDana Whitfield,(512) 555-0134\n")
    ok(log(run_cli, any_db, "ann", claim(run_cli, any_db, "ann"), "yes"))
    empty = run_cli("--rep", "ann", "next", db=any_db)
    assert empty.exit_code == 3 and empty.stdout == ""
    assert empty.stderr == "Nothing to call now: no open leads left in the list.\n"
    data = json.loads(run_cli("--rep", "ann", "next", "--json", db=any_db).stdout)
    assert data == {"lead_id": None, "reason": "no open leads left in the list", "next_at": None}
