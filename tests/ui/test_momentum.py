"""The momentum coach in a session: the stats bar on each key, the break and the summary."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from dialsmile.config import Clock, Settings
from dialsmile.ui.app import DialsmileApp
from dialsmile.ui.screens.modals import BreakScreen
from dialsmile.ui.screens.summary import SummaryScreen
from dialsmile.ui.widgets.stats_bar import StatsBar
from tests.ui.conftest import MakeApp, later
from tests.ui.test_session import SIZE, card, screen_text


def ended_at(app: DialsmileApp) -> datetime | None:
    """When the app's session is stored as ended (None: it is still open)."""
    stored = app.session.stores.stats.session(app.session.session_id)
    assert stored is not None
    return stored.ended_at


def bar(app: DialsmileApp) -> str:
    return screen_text(app, "#stats")


def summary_text(app: DialsmileApp) -> str:
    return screen_text(app, "#summary")


async def test_the_bar_updates_on_each_key(session_app: MakeApp) -> None:
    app = session_app(chunk=5)
    async with app.run_test(size=SIZE) as pilot:
        text = bar(app)
        assert "Today 0 dials · 0 connects · 0 yes · 0 no · 0 hang-up" in text
        assert "Goal ▱▱▱▱▱▱▱▱ 0/50" in text and "Chunk ▱▱▱▱▱▱▱▱ 0/5" in text
        assert "~1 yes in 50 · ~50 to go" in text and "0 banked" in text
        await pilot.press("n")
        text = bar(app)
        assert "Today 1 dial · 1 connect · 0 yes · 1 no" in text and "streak 1" in text
        assert "0/5" not in text and "1/5" in text and "1/50" in text
        assert "~1 yes in 50 · ~49 to go" in text and "1 banked" in text
        assert "First dial of the day" in text
        await pilot.press("a")
        text = bar(app)
        assert "Today 2 dials · 1 connect" in text and "streak 2" in text
        assert "No answer" in text or "Counted" in text or "Dial 2" in text
        assert "~48 to go" in text and "2 banked" in text
        await pilot.press("y")
        text = bar(app)
        # A yes estimates again: (3 dials + 50) / (1 yes + 1), about 26.
        assert "1 yes" in text and "0 banked" in text and "~1 yes in 26 · ~26 to go" in text
        await pilot.press("s")
        assert "streak 0" in bar(app) and "Today 3 dials" in bar(app)
        await pilot.press("u")
        assert "streak 3" in bar(app) and "Taken back" in bar(app)
        await pilot.press("u")
        text = bar(app)
        assert "Today 2 dials" in text and "0 yes" in text and "2 banked" in text
        assert "~1 yes in 50 · ~48 to go" in text


async def test_idle_turns_amber_with_a_nudge(session_app: MakeApp) -> None:
    app = session_app(settings=Settings(idle_minutes=2))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        widget = app.screen.query_one("#stats", StatsBar)
        assert not widget.idle
        app.session.clock = Clock(app.session.clock.now() + timedelta(minutes=3))
        app.screen._render_stats()  # type: ignore[attr-defined]
        assert widget.idle
        text = bar(app)
        assert "last dial 3 min" in text and "One dial resets this clock." in text
        await pilot.press("space")
        assert "on call 0:00" in bar(app) and not widget.idle


async def test_the_lead_card_credits_going_past_four_attempts(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=SIZE):
        assert "most reps stop" not in card(app)
        app.session.current.lead.attempts = 4  # type: ignore[union-attr]
        app.screen._render_lead()  # type: ignore[attr-defined]
        assert "Attempt 5" in card(app)
        assert "most reps stop at 4 attempts; you keep going" in card(app)


async def test_caller_number_health(session_app: MakeApp) -> None:
    numbers = ["+15125550100", "+15125550101"]
    app = session_app(settings=Settings(caller_numbers=numbers))
    async with app.run_test(size=SIZE) as pilot:
        assert "from …0100 0/100" in bar(app)
        await pilot.press("n")
        assert "from …0101 0/100" in bar(app)
        calls = app.session.stores.stats.session_attempts(app.session.session_id)
        assert [call.caller for call in calls] == ["+15125550100"]


async def test_break_screen_between_chunks(session_app: MakeApp) -> None:
    app = session_app(chunk=2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "a")
        assert isinstance(app.screen, BreakScreen)
        text = str(app.screen.query("Static").first().render())
        assert "Chunk 1 of 3 done: 2 dials" in text
        assert "this chunk" in text and "last chunk" in text and "today" in text
        assert "1 no banked today" in text and "Take 3 minutes" in text
        await pilot.press("enter")
        assert not isinstance(app.screen, BreakScreen)
        assert "Chunk 2/" in screen_text(app, "#header")
        assert "0/2" in bar(app)


async def test_end_session_from_the_break_shows_the_summary(
    session_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = session_app(chunk=2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("y", "n")
        assert isinstance(app.screen, BreakScreen)
        await pilot.press("E")
        assert isinstance(app.screen, SummaryScreen)
        text = summary_text(app)
        assert "Session 1 · " in text
        assert "2 dials · 2 connects (100%) · 1 yes · 1 no · 0 hang-ups" in text
        assert "Nos banked: 1 this session, 1 today" in text
        assert "Best hours: not enough data yet" in text
        await pilot.press("x")
        exported = tmp_path / "dialsmile-session-1.csv"
        assert exported.read_text(encoding="utf-8").count("\n") == 3
        assert "Wrote 2 calls" in screen_text(app, "#exported")
        await pilot.press("escape")  # back to calling: the next chunk
        assert not isinstance(app.screen, SummaryScreen)
        assert "Chunk 2/" in screen_text(app, "#header")
        await pilot.press("E")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("q")
    assert ended_at(app) is not None


async def test_summary_lists_next_callbacks(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", *"tomorrow 3pm", "enter")
        await pilot.press("E")
        text = summary_text(app)
        assert "Next callbacks: Dana Whitfield Thu 26 Nov 15:00" in text
        assert "1 callback" in text and "1 callbacks" not in text


async def test_end_session_from_the_command_palette(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"end session")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert isinstance(app.screen, SummaryScreen)


async def test_ending_a_session_keeps_its_breaks(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "p")
        later(app.session, 2)
        await pilot.press("space")  # any key ends the break
        await pilot.press("E")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("q")
    stored = app.session.stores.stats.session(app.session.session_id)
    assert stored is not None and stored.ended_at is not None
    assert stored.paused_s == 120


async def test_quit_does_not_end_the_session(session_app: MakeApp) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "q")
    assert ended_at(app) is None  # the next `session` resumes it
