"""The session screen reads the next lead ahead; each key shows the lead the plain pick shows.

The screen's session reads ahead once a lead is painted. Beside it, a session
that never reads ahead works a copy of the same database with the same keys
and clock: after every key the card names the lead that session offers.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Static

from dialsmile.core.models import Outcome
from dialsmile.core.scripts import Objection, Script
from dialsmile.core.session import CallSession, Offer
from dialsmile.ui.app import DialsmileApp, make_app
from dialsmile.ui.screens import script_tools
from dialsmile.ui.widgets.script_panel import ScriptPanel
from tests.ui.conftest import LEADS, MakeApp, build_db, later, wait_until
from tests.ui.test_read_ahead import leads_csv

MakeSession = Callable[..., CallSession]
SIZE = (110, 34)
KEYS = {
    "n": Outcome.NO, "y": Outcome.YES, "h": Outcome.HANG_UP, "a": Outcome.NO_ANSWER,
    "v": Outcome.VOICEMAIL, "b": Outcome.BUSY, "s": Outcome.SKIP, "d": Outcome.DO_NOT_CALL,
    "x": Outcome.BAD_NUMBER,
}  # fmt: skip
THREE = """\
First Name,Last Name,Company,Phone,City,State,Country
Dana,Whitfield,Globex Logistics,(512) 555-0134,Austin,TX,United States
Dana,Okafor,Globex Logistics,(512) 555-0135,Austin,TX,United States
Priya,Raman,Initech Analytics,(212) 555-0188,New York,NY,United States
"""


def card_text(app: DialsmileApp) -> str:
    content = app.screen.query_one("#card", Static).render()
    return str(content.plain if isinstance(content, Text) else content)


def card_name(app: DialsmileApp) -> str:
    """The name the card shows first (the lead on screen), or its first sentence."""
    return card_text(app).splitlines()[0].split(" — ")[0].split(" right now.")[0]


def script_text(app: DialsmileApp) -> str:
    return app.screen.query_one(ScriptPanel).text.plain


class Beside:
    """The screen's app and a plain session on a copy of its database."""

    def __init__(self, make_session: MakeSession, tmp_path: Path, text: str) -> None:
        self.app = make_app(make_session(db=build_db(tmp_path, text)), "America/Chicago")
        self.plain = make_session(db=build_db(tmp_path, text))
        self.plain.advance()
        self.taken = 0  # keys answered by the lead read ahead
        session = self.app.session
        read_ahead = session._ahead_offer

        def counted(now: datetime) -> Offer | None:
            offer = read_ahead(now)
            self.taken += offer is not None
            return offer

        session._ahead_offer = counted  # type: ignore[method-assign]

    def later(self, minutes: float) -> None:
        later(self.app.session, minutes)
        later(self.plain, minutes)

    async def press(self, pilot: Pilot[None], key: str) -> None:
        await pilot.press(key)
        await pilot.pause()  # the screen reads ahead once the next lead is painted
        if key == "u":
            self.plain.undo()
        elif self.plain.current is not None:
            self.plain.record(KEYS[key])
            self.plain.advance()
        self.check()

    def check(self) -> None:
        offer = self.plain.current
        assert card_name(self.app) == (offer.lead.display_name if offer else "Nothing to call")
        assert self.app.session.current == offer
        if offer is not None:  # the script greets the lead on screen
            assert f"Hi {offer.lead.first_name}, this is Sam" in script_text(self.app)


@pytest.mark.parametrize("seed", range(2))
async def test_each_key_shows_the_lead_the_plain_pick_offers(
    make_session: MakeSession, tmp_path: Path, seed: int
) -> None:
    beside = Beside(make_session, tmp_path, leads_csv(24))
    rng = random.Random(seed)
    async with beside.app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        beside.check()
        for _ in range(20):
            beside.later(rng.choice([0, 0, 0.5, 3, 20]))
            await beside.press(pilot, rng.choice("nnnyhavbsdxu"))
    assert beside.taken >= 8


async def test_a_call_note_goes_with_its_lead_and_the_lead_read_ahead_comes_without_it(
    make_session: MakeSession, tmp_path: Path
) -> None:
    beside = Beside(make_session, tmp_path, LEADS)
    async with beside.app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e", *"asked for a deck", "ctrl+s")
        assert "Call note: asked for a deck" in card_text(beside.app)
        await beside.press(pilot, "v")  # Priya, read ahead while the note was written
        assert card_name(beside.app) == "Priya Raman" and beside.taken == 1
        assert "Call note" not in card_text(beside.app)


async def test_a_callback_due_while_the_rep_reads_comes_first_on_the_screen(
    make_session: MakeSession, tmp_path: Path
) -> None:
    beside = Beside(make_session, tmp_path, LEADS)
    async with beside.app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c", *"in 10 min", "enter")  # Dana calls back at 16:25
        await pilot.pause()
        booked = beside.plain.clock.now() + timedelta(minutes=10)
        beside.plain.record(Outcome.CALLBACK, callback_at=booked)
        beside.plain.advance()
        beside.check()  # Priya; Marcus read ahead
        beside.later(11)
        await beside.press(pilot, "n")
        assert card_name(beside.app) == "Dana Whitfield"


async def test_the_script_of_the_lead_read_ahead_is_filled_before_its_key(
    session_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two Danas at Globex hear the same words; Priya at Initech does not. Her
    # words are filled while the rep is on Dana Okafor; her key only paints them.
    filled: list[str] = []
    real = script_tools.script_blocks

    def counting(
        script: Script | None, fields: dict[str, str], highlight: Objection | None
    ) -> list[Text]:
        filled.append(fields.get("first_name", ""))
        return real(script, fields, highlight)

    monkeypatch.setattr(script_tools, "script_blocks", counting)
    app = session_app(text=THREE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")  # Dana Okafor
        await wait_until(pilot, lambda: filled[-1:] == ["Priya"])
        filled.clear()
        await pilot.press("n")
        assert card_name(app) == "Priya Raman" and filled == []
        assert "Hi Priya, this is Sam from Acme Software." in script_text(app)
