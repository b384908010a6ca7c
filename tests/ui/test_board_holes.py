"""The live floor board where its first tests did not look: a rep quitting or undoing,
a board left alone while states age, and a server that goes away and comes back."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Static

from dialsmile.commands.context import Context
from dialsmile.commands.floor import board_loader
from dialsmile.config import parse_instant
from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession
from dialsmile.storage.floor import FloorWatch
from dialsmile.storage.target import DbTarget
from dialsmile.ui.floor_app import FloorApp
from tests.conftest import RunCli
from tests.ui.conftest import build_db, later
from tests.ui.test_floor_board import LEADS, board_app, board_text, rep_line, until


def imported(run_cli: RunCli, db: str, tmp_path: Path) -> str:
    leads = tmp_path / "leads.csv"
    leads.write_text(LEADS, encoding="utf-8")
    result = run_cli("import", str(leads), "--list", "Q4", db=db)
    assert result.exit_code == 0, result.output + result.stderr
    return db


@pytest.fixture
def q4(run_cli: RunCli, any_db: str, tmp_path: Path) -> str:
    """Q4's three leads, on each engine in turn."""
    return imported(run_cli, any_db, tmp_path)


def rep_session(db: str, rep: str) -> CallSession:
    """The rep's session of Q4, as their screen opens it."""
    ctx = Context(DbTarget.parse(db), rep)
    stores = ctx.stores
    return CallSession(stores, stores.lists.get_list("Q4"), ctx.settings, ctx.clock)


def status_text(app: FloorApp) -> str:
    return str(app.query_one("#status", Static).content)


async def test_a_rep_quitting_and_an_undo_reach_the_board_without_a_key(q4: str) -> None:
    ann = rep_session(q4, "ann")
    offer = ann.advance()
    assert offer is not None
    app = board_app(q4)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.board is not None)
        assert rep_line(app, "ann")[:2] == ["ann", "calling"]
        assert offer.lead.name in board_text(app)
        ann.let_go()  # Ann quits her screen: the lead she held is anyone's again
        await until(pilot, lambda: offer.lead.name not in board_text(app))
        ann.advance()
        ann.record(Outcome.NO)
        await until(pilot, lambda: rep_line(app, "ann")[2] == "1")
        ann.undo()  # the call is taken back: the board counts it no more
        await until(pilot, lambda: rep_line(app, "ann")[2] == "0")


async def test_a_board_left_alone_is_read_again_as_states_age(q4: str) -> None:
    ctx = Context(DbTarget.parse(q4))
    app = FloorApp(board_loader(ctx, "Q4"), FloorWatch(ctx.target), "test", quiet_s=1.0)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.board is not None)
        first = app.reads
        await until(pilot, lambda: app.reads >= first + 2, seconds=20)


def test_a_board_hears_what_was_written_while_its_server_was_away(
    pg_url: str, server_down: Callable[[bool], None]
) -> None:
    """Outcomes logged between the server's return and the board listening again are not
    heard as notices: the first wait after the board listens again says the floor
    changed, so it reads what it missed."""
    watch = FloorWatch(DbTarget.parse(pg_url))
    watch.start()
    try:
        assert watch.wait(0.1) is False
        server_down(False)
        assert watch.wait(0.1) is False  # away: nothing heard, no error
        server_down(True)
        assert watch.wait(5) is True  # listening again: what was written meanwhile?
        assert watch.wait(0.2) is False
    finally:
        watch.close()


async def test_a_server_away_is_said_on_the_board_which_keeps_the_last_one_and_comes_back(
    run_cli: RunCli,
    pg_url: str,
    server_down: Callable[[bool], None],
    tmp_path: Path,
) -> None:
    imported(run_cli, pg_url, tmp_path)
    ctx = Context(DbTarget.parse(pg_url))
    app = FloorApp(board_loader(ctx, "Q4"), FloorWatch(ctx.target), "test", quiet_s=1.0)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.board is not None)
        server_down(False)
        await until(pilot, lambda: "Trying again" in status_text(app), seconds=30)
        said = status_text(app)
        assert said.startswith("Cannot reach the database server")
        assert "(the board shown is the last one read) Trying again…" in said
        assert "Nobody has called this list today." in board_text(app)
        await pilot.pause()
        status = app.query_one("#status", Static)
        assert status.size.height * status.size.width >= len(said)  # all of it on screen
        server_down(True)
        claimed = run_cli("--rep", "bob", "next", "--json", db=pg_url)
        assert claimed.exit_code == 0, claimed.output + claimed.stderr
        name = json.loads(claimed.stdout)["name"]
        await until(pilot, lambda: name in board_text(app), seconds=30)
        assert status_text(app).startswith("Read at")


def test_a_hold_is_renewed_once_half_of_it_has_run_not_when_it_runs_out(
    make_session: Callable[..., CallSession], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screen asks every 30 s: from 7.5 of the 15 minutes on, the hold is renewed
    from then, so another rep never finds it run out while its rep is still on it."""
    monkeypatch.setenv("DIALSMILE_REP", "Ana")
    ana = make_session(db=build_db(tmp_path))
    assert ana.advance() is not None
    later(ana, 7)
    assert ana.keep_hold() == ""
    assert ana.claimed_until == parse_instant("2026-11-25T16:30:00+00:00")  # not yet
    later(ana, 0.5)  # 16:22:30: half of it has run
    assert ana.keep_hold() == ""
    assert ana.claimed_until == parse_instant("2026-11-25T16:37:30+00:00")
