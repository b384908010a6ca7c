"""The session's outcome keys refuse a call to a number put on do-not-call while it was on
screen, as `dialsmile log` does: one rule, in the session core."""

from __future__ import annotations

from dialsmile.storage.db import open_db
from dialsmile.storage.dnc import DncStore
from tests.ui.conftest import MakeApp
from tests.ui.test_session import SIZE, attempts, card, lead_row


async def test_a_number_put_on_do_not_call_while_shown_takes_only_do_not_call(
    session_app: MakeApp,
) -> None:
    app = session_app()
    async with app.run_test(size=SIZE) as pilot:
        assert "Dana Whitfield" in card(app)
        # Another rep, on their own connection, hears from Dana's number: do not call.
        path = app.session.calls.db.execute("PRAGMA database_list").fetchone()[2]
        other = open_db(path)
        DncStore(other).add("+15125550134", "asked", app.session.clock.now())
        other.conn.close()
        await pilot.press("y")
        assert "Not saved" in card(app) and "internal DNC" in card(app)
        assert attempts(app) == []
        assert "Dana Whitfield" in card(app)  # still on screen, for the one outcome left
        await pilot.press("d")
        assert attempts(app) == [("Dana Whitfield", "do-not-call")]
        assert lead_row(app, "Dana")["status"] == "dnc"
