"""The live floor board: an outcome logged from another connection appears on it with no
key pressed, on SQLite (PRAGMA data_version) and on PostgreSQL (LISTEN/NOTIFY)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Static

from dialsmile.commands.context import Context
from dialsmile.commands.floor import board_loader
from dialsmile.storage.floor import FloorWatch
from dialsmile.storage.target import DbTarget
from dialsmile.ui.floor_app import FloorApp
from tests.conftest import RunCli

LEADS = """\
Name,Company,Phone,State
Dana Whitfield,Globex,(512) 555-0134,TX
Priya Raman,Initech,+1 212-555-0188,NY
Tom Baker,Aloha Surf,(808) 555-0110,HI
"""
NEVER = 3600.0  # the slow re-read never comes within a test: only a change redraws


@pytest.fixture
def floor_db(run_cli: RunCli, any_db: str, tmp_path: Path) -> str:
    path = tmp_path / "leads.csv"
    path.write_text(LEADS, encoding="utf-8")
    result = run_cli("import", str(path), "--list", "Q4", db=any_db)
    assert result.exit_code == 0, result.output + result.stderr
    return any_db


def board_app(db: str) -> FloorApp:
    """The board `dialsmile floor` opens on a terminal, for the list Q4."""
    ctx = Context(DbTarget.parse(db))
    return FloorApp(board_loader(ctx, "Q4"), FloorWatch(ctx.target), "test", quiet_s=NEVER)


def board_text(app: FloorApp) -> str:
    return str(app.query_one("#board", Static).content)


def rep_line(app: FloorApp, rep: str) -> list[str]:
    line = next(ln for ln in board_text(app).splitlines() if ln.startswith(rep + " "))
    return line.split()


async def until(pilot: object, done: Callable[[], bool], seconds: float = 15.0) -> None:
    """Let the app run (no key pressed) until ``done``; fail after ``seconds``."""
    end = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < end, "the board did not change"
        await pilot.pause(0.05)  # type: ignore[attr-defined]


def claimed(run_cli: RunCli, db: str, rep: str) -> dict[str, object]:
    result = run_cli("--rep", rep, "next", "--json", db=db)
    assert result.exit_code == 0, result.output + result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


async def test_an_outcome_logged_elsewhere_appears_without_a_key_press(
    run_cli: RunCli, floor_db: str
) -> None:
    lead = claimed(run_cli, floor_db, "ann")
    app = board_app(floor_db)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.board is not None)
        # ann: calling, 0 dials, 0 connects, 0 yes, holding Dana.
        assert rep_line(app, "ann")[:5] == ["ann", "calling", "0", "0", "0"]
        assert f"{lead['lead_id']} Dana Whitfield" in board_text(app)
        reads = app.reads
        logged = run_cli("--rep", "ann", "log", str(lead["lead_id"]), "yes", db=floor_db)
        assert logged.exit_code == 0, logged.output + logged.stderr
        await until(pilot, lambda: rep_line(app, "ann")[2:5] == ["1", "1", "1"])
        assert app.reads > reads
        assert "Dana Whitfield" not in board_text(app)  # the claim went with the outcome
        assert "1 of 3 leads called, 2 open" in board_text(app)


async def test_a_claim_by_another_rep_appears_and_q_quits(run_cli: RunCli, floor_db: str) -> None:
    app = board_app(floor_db)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.board is not None)
        assert "Nobody has called this list today." in board_text(app)
        lead = claimed(run_cli, floor_db, "bob")
        await until(pilot, lambda: f"{lead['lead_id']} Dana Whitfield" in board_text(app))
        assert rep_line(app, "bob")[:2] == ["bob", "calling"]
        started = time.monotonic()
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, seconds=5)
        assert time.monotonic() - started < 3


async def test_the_board_waits_quietly_when_nothing_changes(floor_db: str) -> None:
    app = board_app(floor_db)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.board is not None)
        reads = app.reads
        await pilot.pause(2.5)  # two and a half seconds: SQLite is asked twice, nothing new
        assert app.reads == reads
