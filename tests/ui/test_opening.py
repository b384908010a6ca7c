"""The session layout painted first while the session opens behind it (as the CLI runs it),
and the first lead in the first frame when the session opened before it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime

import pytest

from dialsmile.commands.session import open_in_background
from dialsmile.core.opening import Working
from dialsmile.core.session import CallSession
from dialsmile.errors import NotFound
from dialsmile.ui.app import OPENING_MAX_WAIT_S, OPENING_WAIT_S, DialsmileApp, wait_for_open
from dialsmile.ui.screens.layout import OpeningScreen
from dialsmile.ui.screens.session import SessionScreen
from tests.ui.conftest import NOW, wait_until
from tests.ui.test_session import SIZE, attempts, card, screen_text


def opening_app(open_session: Callable[[], CallSession]) -> DialsmileApp:
    now = datetime.fromisoformat(NOW)
    return DialsmileApp(
        open_in_background(open_session), "America/Chicago", list_name="Q4", now=now
    )


def held_open(make_session: Callable[..., CallSession]) -> tuple[threading.Event, DialsmileApp]:
    """An app whose session opens only once the returned event is set."""
    release = threading.Event()

    def open_session() -> CallSession:
        release.wait(10)
        return make_session()

    return release, opening_app(open_session)


async def test_layout_first_then_the_lead_and_keys_meanwhile_record_nothing(
    make_session: Callable[..., CallSession],
) -> None:
    release, app = held_open(make_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)
        header = screen_text(app, "#header")
        assert "List: Q4 · opening…" in header and "Wed 10:15 local" in header
        assert "Finding the next lead you can call now" in card(app)
        await pilot.press("y", "n", "d", "s")  # no lead on screen: nothing to record
        release.set()
        await wait_until(pilot, lambda: isinstance(app.screen, SessionScreen))
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert "lead 1/" in screen_text(app, "#header")
        assert attempts(app) == []
        first = card(app).splitlines()[0]
        await pilot.press("n")
        await pilot.pause()
        assert len(attempts(app)) == 1 and attempts(app)[0][1] == "no"
        assert card(app).splitlines()[0] != first


async def test_a_failure_to_open_ends_the_app_and_is_kept_for_the_cli() -> None:
    def open_session() -> CallSession:
        raise NotFound("No list named 'Q4'.")

    app = opening_app(open_session)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: not app.is_running)
    assert isinstance(app.failure, NotFound)
    assert app.return_code == 1
    assert app.session is None


async def test_quitting_while_it_opens_leaves_no_session(
    make_session: Callable[..., CallSession],
) -> None:
    release, app = held_open(make_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("q")
        release.set()
    assert app.session is None and app.failure is None


@pytest.mark.parametrize("opens_in", [0.0, 0.1], ids=["open-already", "opens-meanwhile"])
async def test_a_session_open_by_the_first_frame_shows_its_first_lead_in_that_frame(
    make_session: Callable[..., CallSession], opens_in: float
) -> None:
    session = make_session()

    def open_session() -> CallSession:
        time.sleep(opens_in)  # the database and the rules, while Textual starts
        return session

    opening = open_in_background(open_session)
    now = datetime.fromisoformat(NOW)
    app = DialsmileApp(opening, "America/Chicago", list_name="Q4", now=now)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        picked = session.current  # the pick ran in the opening thread
        assert picked is not None
        assert isinstance(app.screen, SessionScreen)
        assert not any(isinstance(screen, OpeningScreen) for screen in app.screen_stack)
        assert "lead 1/" in screen_text(app, "#header")
        assert card(app).splitlines()[0].startswith(picked.lead.display_name)
        await pilot.press("n")
        await pilot.pause()
        assert len(attempts(app)) == 1 and attempts(app)[0][1] == "no"


async def test_an_open_still_computing_after_half_a_second_is_waited_for(
    make_session: Callable[..., CallSession],
) -> None:
    # A busy machine stretches a local open past half a second: while its thread
    # computes, painting the opening frame first would only add work.
    session = make_session()

    def open_session() -> CallSession:
        end = time.monotonic() + 0.9
        while time.monotonic() < end:
            sum(range(1000))  # computing, as reading the rules and picking a lead do
        return session

    app = opening_app(open_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert not any(isinstance(screen, OpeningScreen) for screen in app.screen_stack)
        assert "lead 1/" in screen_text(app, "#header")


async def test_an_open_waiting_longer_than_half_a_second_gets_the_opening_frame(
    make_session: Callable[..., CallSession],
) -> None:
    release, app = held_open(make_session)  # waiting, as on a server far away
    assert isinstance(app.opening, Working)
    started = time.monotonic()
    wait_for_open(app.opening)
    assert OPENING_WAIT_S <= time.monotonic() - started < OPENING_MAX_WAIT_S - 0.5
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)
        release.set()
        await wait_until(pilot, lambda: isinstance(app.screen, SessionScreen))
        await pilot.pause()
        assert "lead 1/" in screen_text(app, "#header")
