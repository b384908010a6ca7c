"""`dialsmile stats`: the rep's own numbers per day and session, as text and JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dialsmile.config import Clock, Settings
from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession
from tests.conftest import OpenStores, RunCli, database_at, stores_at
from tests.ui.conftest import LEADS

pytestmark = pytest.mark.both_engines

NOW = datetime(2026, 11, 25, 16, 15, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _chicago(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/Chicago")


def work(stores: OpenStores, db: str, outcomes: list[Outcome], at: datetime = NOW) -> int:
    """Run a session at ``at`` recording ``outcomes`` (20 s to dial, 40 s on the call)."""
    opened = stores_at(db)
    clock = Clock(at)
    session = CallSession(
        opened, opened.lists.get_list("Q4"), Settings(), clock, resume=False, chunk_size=25
    )
    for outcome in outcomes:
        if session.advance() is None:
            break
        clock._start += timedelta(seconds=20)
        session.dial()
        clock._start += timedelta(seconds=40)
        session.record(outcome)
    return session.session_id


@pytest.fixture
def history(run_cli: RunCli, db: str, tmp_path: Path, stores: OpenStores) -> str:
    leads = tmp_path / "leads.csv"
    leads.write_text(LEADS, encoding="utf-8")
    assert run_cli("import", str(leads), "--list", "Q4").exit_code == 0
    work(stores, db, [Outcome.NO, Outcome.NO_ANSWER, Outcome.SKIP], NOW - timedelta(days=1))
    work(stores, db, [Outcome.NO, Outcome.YES, Outcome.VOICEMAIL], NOW)
    return db


def test_no_dials_yet(run_cli: RunCli) -> None:
    result = run_cli("stats")
    assert result.exit_code == 0
    assert "No dials in the last 7 days (America/Chicago)" in result.stdout


def test_per_day_per_session_and_chart(run_cli: RunCli, history: str) -> None:
    result = run_cli("stats")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "5 dials · 3 connects (60%) · 1 yes · nos banked: 2" in out
    assert "Tue 24 Nov       2     1   50%    0    1     0     1     -     20 s       2" in out
    assert "Wed 25 Nov       3     2   67%    1    1     0     0     -     20 s       3" in out
    assert "#1 24 Nov" in out and "#2 25 Nov" in out
    assert "Wed 25 Nov  ████████████████████████████████████████ 3  ■ 1 yes" in out
    assert "Thu 19 Nov  · 0" in out
    # Estimated at the yes (4 dials, 1 yes): (4 + 50) / 2 = 27; the voicemail after it is banked.
    assert (
        "About 1 yes per 27 dials at your rate as of your last yes (4 dials, 1 yes, with a "
        "prior of 1 yes per "
        "50 dials): 1 dial banked, ~26 to go." in out
    )
    assert "Best hours: not enough data yet (5 of 100 dials needed)." in out


def test_one_dial_is_one_dial(
    run_cli: RunCli,
    db: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    stores: OpenStores,
) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text(LEADS, encoding="utf-8")
    assert run_cli("import", str(leads), "--list", "Q4").exit_code == 0
    work(stores, db, [Outcome.NO])
    config = tmp_path / "config.toml"
    config.write_text('[dialsmile]\ncaller_numbers = ["+15125550100"]\n', encoding="utf-8")
    monkeypatch.setenv("DIALSMILE_CONFIG", str(config))
    out = run_cli("stats", "--days", "1").stdout
    assert "1 dial · 1 connect (100%) · 0 yes · nos banked: 1" in out
    # No yes yet: estimated at the start of today, on the prior alone; the no counts down.
    assert "About 1 yes per 50 dials at your rate as of the start of today (0 dials, 0 yes" in out
    assert "1 dial banked, ~49 to go." in out
    assert "Caller +15125550100: 0 dials today" in out


def test_json_has_the_same_numbers(run_cli: RunCli, history: str) -> None:
    result = run_cli("stats", "--days", "2", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["from"], data["to"], data["zone"]) == (
        "2026-11-24",
        "2026-11-25",
        "America/Chicago",
    )
    assert [d["dials"] for d in data["per_day"]] == [2, 3]
    assert data["per_day"][0]["skips"] == 1 and data["per_day"][0]["best_streak"] == 2
    assert data["totals"]["outcomes"]["yes"] == 1 and data["totals"]["connect_rate"] == 0.6
    assert data["totals"]["median_time_to_dial_s"] == 20.0
    assert [s["session_id"] for s in data["per_session"]] == [1, 2]
    assert data["per_session"][1]["list"] == "Q4"
    assert data["dials_to_next_yes"] == {
        "estimate": 27, "to_go": 26, "banked": 1, "dials": 4, "yes": 1,
        "prior_dials_per_yes": 50,
    }  # fmt: skip
    assert data["best_hours"]["enough"] is False
    one = json.loads(run_cli("stats", "--days", "1", "--json").stdout)
    assert one["totals"]["dials"] == 3


def test_undone_attempts_are_not_counted(run_cli: RunCli, history: str, stores: OpenStores) -> None:
    opened = stores_at(history)
    session = CallSession(opened, opened.lists.get_list("Q4"), Settings(), Clock(NOW))
    session.undo()
    data = json.loads(run_cli("stats", "--json").stdout)
    assert data["totals"]["dials"] == 4 and data["totals"]["outcomes"]["voicemail"] == 0


def test_practice_is_apart_weakest_first_with_call_parts_listed_separately(
    run_cli: RunCli, history: str
) -> None:
    db = database_at(history)
    rows = [
        ("objections", "Not interested", "nailed"),
        ("objections", "Not interested", "missed"),
        ("objections", "Send an email", "missed"),
        ("objections", "No budget", "nailed"),
        ("call", "No budget", "missed"),
        ("call", "Too busy", "nailed"),
        ("call", "Too busy", "nailed"),
        ("objections", "Too busy", "missed"),
        ("objections", "Not now", "nailed"),
        ("objections", "Call me later", "skipped"),
        *[("objections", "Pricing", result) for result in ("nailed", "missed") * 2],
        ("call", "Opening", "nailed"),
        ("call", "Close", "missed"),
    ]
    for drill, objection, result in rows:
        db.execute(
            "INSERT INTO practice (script, script_version, objection, result, drill, at) "
            "VALUES ('saas-discovery', '3', ?, ?, ?, ?)",
            [objection, result, drill, NOW.isoformat()],
        )
    out = run_cli("stats", "--practice").stdout
    assert out.splitlines()[:2] == [
        "Practice (never counted as calls), weakest first: lowest share nailed, "
        "then most answered.",
        "Each pack's versions are counted together.",
    ]
    table = [line.split("  ")[1].strip() for line in out.splitlines()[4:]]
    assert table == [
        "objection",
        "Send an email",  # 0 of 1 nailed
        "Pricing",  # 2 of 4: 50% like the next two, with more answers
        "No budget",  # 1 of 2, objection drill and call drill together
        "Not interested",  # 1 of 2
        "Too busy",  # 2 of 3
        "Not now",  # 1 of 1
        "Call me later",  # only skipped
        "part of the call drill",
        "Close",
        "Opening",
    ]
    assert " 0% nailed" in out and "67% nailed" in out
    data = json.loads(run_cli("stats", "--practice", "--json").stdout)["practice"]
    assert [(r["kind"], r["objection"], r["nailed"], r["missed"]) for r in data][:2] == [
        ("objection", "Send an email", 0, 1),
        ("objection", "Pricing", 2, 2),
    ]
    assert data[-1] == {
        "script": "saas-discovery",
        "kind": "section",
        "objection": "Opening",
        "nailed": 1,
        "missed": 0,
        "skipped": 0,
        "last_at": NOW.isoformat(),
    }
    calls = json.loads(run_cli("stats", "--json").stdout)
    assert calls["totals"]["dials"] == 5  # practice is never a dial


def test_no_practice_yet(run_cli: RunCli) -> None:
    assert "No practice yet" in run_cli("stats", "--practice").stdout


def test_bad_days(run_cli: RunCli) -> None:
    result = run_cli("stats", "--days", "0")
    assert result.exit_code == 2 and "--days" in result.stderr


def test_help_has_examples(run_cli: RunCli) -> None:
    out = run_cli("stats", "--help").stdout
    assert "dialsmile stats --days 30" in out and "weak prior of 1 yes per" in " ".join(out.split())


def test_summary_printed_after_the_session(run_cli: RunCli, history: str) -> None:
    import click
    from click.testing import CliRunner

    from dialsmile.commands.context import Context
    from dialsmile.commands.stats import print_summary
    from dialsmile.storage.target import DbTarget

    @click.command()
    @click.option("--kept/--demo", default=True)
    def show(kept: bool) -> None:
        ctx = Context(DbTarget.parse(history))
        print_summary(ctx, 2, kept=kept)

    out = CliRunner().invoke(show, []).stdout
    assert out.startswith("Session 2 · 10:15-10:18 · ")
    assert "3 dials · 2 connects (67%) · 1 yes · 1 no · 0 hang-ups" in out
    assert "Nos banked: 1 this session, 2 today" not in out  # yesterday's no is not today's
    assert "Nos banked: 1 this session, 1 today" in out
    assert "dialsmile export session 2 -o session.csv" in out
    demo = CliRunner().invoke(show, ["--demo"]).stdout
    assert "export" not in demo
