"""A team's PostgreSQL server goes away mid-session: the session says it is
reconnecting, a key pressed meanwhile is saved once (and only once) when it is back,
or plainly not saved when another rep took the lead meanwhile."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from dialsmile.core.session import CallSession
from dialsmile.errors import ServerGone
from dialsmile.storage.postgres.db import PgDatabase
from dialsmile.ui.app import make_app
from dialsmile.ui.screens import reconnect
from tests import pg
from tests.conftest import OpenStores
from tests.ui.conftest import wait_until

RECONNECTING = "Reconnecting to the floor… (your last key is not saved yet)"


@pytest.fixture
def stores(pg_stores: OpenStores) -> OpenStores:
    return pg_stores


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The screen tries the server again every 0.2 s instead of from 1 s up."""
    monkeypatch.setattr(reconnect, "FIRST_WAIT_S", 0.2)
    monkeypatch.setattr(reconnect, "LONGEST_WAIT_S", 0.2)


def _db(session: CallSession) -> PgDatabase:
    db: Any = session.calls.db  # type: ignore[attr-defined]
    assert isinstance(db, PgDatabase)
    return db


def _attempts(session: CallSession) -> list[tuple[int, str, str]]:
    with psycopg.connect(_db(session).url) as conn:
        rows = conn.execute("SELECT lead_id, outcome, rep FROM attempts ORDER BY id").fetchall()
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def _notes(app: Any) -> str:
    return " ".join(str(note.message) for note in app._notifications)


def _header(app: Any) -> str:
    return str(app.screen.query_one("#header").render())


async def test_a_dropped_connection_is_made_again_and_the_key_saved_once(
    make_session: Callable[..., CallSession], pg_server: pg.PgServer
) -> None:
    session = make_session()
    app = make_app(session, "America/Chicago")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert session.current is not None
        shown = session.current.lead.id
        with psycopg.connect(pg_server.admin, autocommit=True) as admin:
            pid = _db(session).connection.info.backend_pid
            assert admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
        await pilot.press("a")
        await pilot.pause()
        assert "Reconnecting" not in _header(app) and "Not saved" not in app.screen.message
        assert session.current is not None and session.current.lead.id != shown
    assert _attempts(session) == [(shown, "no-answer", session.rep)]


async def test_a_key_pressed_while_the_server_is_down_is_saved_once_when_it_is_back(
    make_session: Callable[..., CallSession],
    pg_server: pg.PgServer,
    server_down: Callable[[bool], None],
    quick_retries: None,
) -> None:
    session = make_session()
    app = make_app(session, "America/Chicago")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert session.current is not None
        shown = session.current.lead.id
        server_down(False)
        await pilot.press("a")
        await pilot.pause()
        assert RECONNECTING in _header(app)
        assert app.screen.message == "Not saved yet: no-answer is held until the server is back."
        await pilot.press("y")  # a second key on the same call is not taken
        await pilot.pause(0.5)
        assert app.screen.message.startswith("Not taken: your last key waits")
        await pilot.press("u")  # undo (and notes, breaks...) wait for the server too
        await pilot.press("q")  # quitting would lose the held key: asked twice
        await pilot.pause()
        assert app.is_running
        assert "press q again to quit without it" in _notes(app)
        assert RECONNECTING in _header(app)
        assert session.current is not None and session.current.lead.id == shown
        server_down(True)
        await wait_until(pilot, lambda: "Reconnecting" not in _header(app), tries=500)
        assert "Reconnecting" not in _header(app)
        assert "dialsmile · List: Q4" in _header(app)
        await wait_until(pilot, lambda: app.screen.message.startswith("Saved"))
        assert app.screen.message == "Saved: no-answer, now the server is back."
        assert session.current is not None and session.current.lead.id != shown
    assert _attempts(session) == [(shown, "no-answer", session.rep)]


async def test_a_held_key_is_not_saved_over_another_reps_claim(
    make_session: Callable[..., CallSession],
    pg_server: pg.PgServer,
    server_down: Callable[[bool], None],
    quick_retries: None,
) -> None:
    session = make_session()
    app = make_app(session, "America/Chicago")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert session.current is not None
        shown = session.current.lead.id
        # The rep's claim ran out and Bob took the lead, just before the server went away.
        with psycopg.connect(_db(session).url, autocommit=True) as conn:
            conn.execute("UPDATE claims SET rep = 'bob' WHERE lead_id = %s", [shown])
        server_down(False)
        await pilot.press("a")
        await pilot.pause()
        assert RECONNECTING in _header(app)
        server_down(True)
        await wait_until(pilot, lambda: app.screen.message.startswith("Not saved:"), tries=500)
        assert app.screen.message == (
            "Not saved: bob took this lead while the server was away, "
            "so your no-answer was not saved over theirs."
        )
        assert "Reconnecting" not in _header(app)
        assert session.current is not None and session.current.lead.id != shown
    assert _attempts(session) == []


async def test_a_server_away_between_keys_is_shown_and_the_lead_held_again(
    make_session: Callable[..., CallSession],
    server_down: Callable[[bool], None],
    quick_retries: None,
) -> None:
    """No key pressed: the header (it reads the do-not-call copy's date each second on a
    consumer list) notices, and once the server is back the rep's lead is theirs again."""
    session = make_session()
    app = make_app(session, "America/Chicago")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert session.current is not None
        shown = session.current.lead.id
        server_down(False)
        await wait_until(pilot, lambda: "Reconnecting" in _header(app), tries=200)
        assert "Reconnecting to the floor…" in _header(app)
        assert "not saved yet" not in _header(app)
        server_down(True)
        await wait_until(pilot, lambda: "Reconnecting" not in _header(app), tries=500)
        assert "Reconnecting" not in _header(app)
        assert session.current is not None and session.current.lead.id == shown
        held = session.stores.claims.holder(shown, session.clock.now())
        assert held is not None and held.rep == session.rep
        await pilot.press("a")
        await pilot.pause()
    assert _attempts(session) == [(shown, "no-answer", session.rep)]


async def test_a_save_the_server_kept_before_the_connection_went_is_not_written_twice(
    make_session: Callable[..., CallSession],
    monkeypatch: pytest.MonkeyPatch,
    quick_retries: None,
) -> None:
    """The connection goes during COMMIT: the server kept the attempt but its answer
    was lost. The key is held, and once the server answers it is found saved."""
    session = make_session()
    db = _db(session)
    execute = PgDatabase.execute
    lost = {"once": True}

    def commit_then_lose(self: PgDatabase, sql: str, parameters: Any = None, /) -> Any:
        cursor = execute(self, sql, parameters)
        if sql.strip().upper() == "COMMIT" and lost.pop("once", False):
            raise ServerGone("the connection went during COMMIT", maybe_saved=True)
        return cursor

    # The server answers at once here: the first try waits long enough for the header
    # to be read before it, however loaded the machine.
    monkeypatch.setattr(reconnect, "FIRST_WAIT_S", 2.0)
    app = make_app(session, "America/Chicago")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert session.current is not None
        shown = session.current.lead.id
        monkeypatch.setattr(PgDatabase, "execute", commit_then_lose)
        await pilot.press("a")
        await pilot.pause()
        assert RECONNECTING in _header(app)
        await wait_until(pilot, lambda: app.screen.message.startswith("Saved"), tries=500)
        assert app.screen.message == "Saved: no-answer (the server had kept it)."
        assert session.current is not None and session.current.lead.id != shown
    assert db.in_transaction is False
    assert _attempts(session) == [(shown, "no-answer", session.rep)]
