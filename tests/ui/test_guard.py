"""The guard in the session: status colours, overrides, stale DNC copies, the why panel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import Static

from dialsmile.config import Clock, Settings, parse_instant
from dialsmile.core import session as session_module
from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession
from dialsmile.core.stores import AttemptRecord
from dialsmile.storage.dnc import DncStore
from dialsmile.ui.app import DialsmileApp, make_app
from dialsmile.ui.screens.modals import WhyScreen
from dialsmile.ui.screens.override import OverrideScreen
from tests.ui.conftest import NOW, build_db, wait_until

SIZE = (110, 34)
NIGHT = "2026-11-25T11:00:00+00:00"  # 05:00 in Chicago: nobody is callable
MakeSession = Callable[..., CallSession]


def card_text(app: DialsmileApp) -> Text:
    content = app.screen.query_one("#card", Static).content
    assert isinstance(content, Text)
    return content


def status_style(app: DialsmileApp, marker: str) -> str:
    text = card_text(app)
    start = text.plain.index(marker)
    styles = [str(span.style) for span in text.spans if span.start <= start < span.end]
    return " ".join(styles)


def header(app: DialsmileApp) -> str:
    content = app.screen.query_one("#header", Static).render()
    return content.plain if isinstance(content, Text) else str(content)


def overrides(session: CallSession) -> list[tuple[str, str, str, str]]:
    return [(o.phone, o.who, o.reason, o.blocked_because) for o in session.dnc.overrides()]


async def test_green_status(make_session: MakeSession) -> None:
    app = make_app(make_session(), "America/Chicago")
    async with app.run_test(size=SIZE):
        assert "✓ open" in card_text(app).plain
        assert "green" in status_style(app, "✓ open")


async def test_amber_when_the_window_closes_soon(make_session: MakeSession) -> None:
    # 20:45 in Austin: Texas allows calls until 21:00.
    app = make_app(make_session(now="2026-11-26T02:45:00+00:00"), "America/Chicago")
    async with app.run_test(size=SIZE):
        plain = card_text(app).plain
        assert "Dana Whitfield" in plain
        assert "! open · window closes in 15 min" in plain
        assert "yellow" in status_style(app, "! open")


async def test_amber_one_call_before_a_cap(make_session: MakeSession, tmp_path: Path) -> None:
    leads = "Name,Phone,State\nFlora Fisher,(305) 555-0101,FL\n"
    db = build_db(tmp_path, leads)
    session = make_session(db=db)
    lead = session.calls.lead(1)
    assert lead is not None
    for hours in (3, 2):
        at = parse_instant(NOW) - timedelta(hours=hours)
        session.calls.record(
            AttemptRecord(
                1, session.session_id, lead.phone, "", "no-answer", at, at, at, 0.0, False
            ),
            {"attempts": 3 - hours + 1},
        )
    app = make_app(make_session(db=db), "America/Chicago")
    async with app.run_test(size=SIZE):
        plain = card_text(app).plain
        assert "Flora Fisher" in plain and "! open · last call before the cap" in plain
        assert (
            "Florida (US-FL, from the lead's State column and area code 305) cap: 3 per 24 h"
            in plain
        )


async def test_override_disabled(make_session: MakeSession) -> None:
    session = make_session(now=NIGHT)
    app = make_app(session, "America/Chicago")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        assert not isinstance(app.screen, OverrideScreen)
        assert "Overrides are off" in card_text(app).plain
        assert overrides(session) == []


async def test_override_enabled_logs_and_records(make_session: MakeSession) -> None:
    settings = Settings(rep_name="Sam", rep_company="Acme", allow_overrides=True)
    session = make_session(now=NIGHT, settings=settings)
    app = make_app(session, "America/Chicago")
    async with app.run_test(size=SIZE) as pilot:
        assert "Nothing to call right now" in card_text(app).plain
        await pilot.press("o")
        assert isinstance(app.screen, OverrideScreen)
        await pilot.press("enter")  # no reason: the dialog stays open
        assert isinstance(app.screen, OverrideScreen)
        await pilot.press(*"she asked for 6am", "enter")
        assert not isinstance(app.screen, OverrideScreen)
        logged = overrides(session)
        assert len(logged) == 1
        phone, who, reason, blocked = logged[0]
        assert (who, reason) == ("Sam", "she asked for 6am")
        assert "outside calling hours" in blocked
        plain = card_text(app).plain
        assert "✗ outside calling hours" in plain and "Override logged" in plain
        assert "red" in status_style(app, "✗")
        await pilot.press("n")
        since = session.clock.now() - timedelta(days=1)
        assert [o for _, o in session.calls.phone_calls_since(phone, since)] == ["no"]


async def test_do_not_call_is_never_overridden(make_session: MakeSession) -> None:
    settings = Settings(rep_name="Sam", rep_company="Acme", allow_overrides=True)
    session = make_session(settings=settings)
    app = make_app(session, "America/Chicago")
    async with app.run_test(size=SIZE) as pilot:
        assert session.current is not None
        lead = session.current.lead
        session.dnc.add(lead.phone, "asked by email", session.clock.now())
        await pilot.press("o")
        assert not isinstance(app.screen, OverrideScreen)
        assert "do-not-call can never be overridden" in card_text(app).plain
        assert session.override(lead, "I really want to") is not None
        assert overrides(session) == []


async def test_stale_national_copy_warns_until_refreshed(make_session: MakeSession) -> None:
    session = make_session()
    store = DncStore(session.calls.db)
    store.import_copy("national", "old.txt", date(2026, 10, 1), ["+19999999999"], datetime.now())
    app = make_app(session, "America/Chicago")
    async with app.run_test(size=SIZE) as pilot:
        assert "NATIONAL DNC COPY OUT OF DATE" in header(app)
        assert "is 55 days old" in card_text(app).plain
        store.import_copy(
            "national", "new.txt", date(2026, 11, 20), ["+19999999999"], datetime.now()
        )
        # The header reads the copies again on its own timer: wait for it, however busy the machine.
        await wait_until(pilot, lambda: "OUT OF DATE" not in header(app), tries=1500)
        assert "OUT OF DATE" not in header(app)


async def test_why_panel_shows_dnc_rows(make_session: MakeSession) -> None:
    session = make_session()
    store = DncStore(session.calls.db)
    store.import_copy("national", "n.txt", date(2026, 11, 20), ["+12125550188"], datetime.now())
    app = make_app(session, "America/Chicago")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        assert isinstance(app.screen, WhyScreen)
        content = app.screen.query(Static).first().render()
        plain = content.plain if isinstance(content, Text) else str(content)
        assert "Priya Raman" in plain
        assert "never".ljust(23) + "on national DNC (copy of 20 Nov)" in plain


def test_caps_see_every_call_of_the_year(make_session: MakeSession, tmp_path: Path) -> None:
    leads = "Name,Phone,State\nWade Walker,(206) 555-0100,WA\n"
    session = make_session(db=build_db(tmp_path, leads))
    lead = session.calls.lead(1)
    assert lead is not None
    calls = session.calls
    now = parse_instant(NOW)
    times = [(now - timedelta(days=200), "no")] + [
        (now - timedelta(days=150 - 10 * n), "no-answer") for n in range(8)
    ]
    for n, (at, outcome) in enumerate(times, start=1):
        calls.record(
            AttemptRecord(1, session.session_id, lead.phone, "", outcome, at, at, at, 0.0, False),
            {"attempts": n, "status": "new"},
        )
    lead = session.calls.lead(1)
    assert lead is not None
    verdict = session.verdict(lead, now + timedelta(hours=2))
    assert not verdict.allowed
    assert "allows no calls for 365 days after a refusal" in " ".join(verdict.reasons)
    assert session.advance() is None
    why = [w.why for w in session.waiting() if w.lead.id == 1]
    assert why and "allows no calls for 365 days after a refusal" in why[0]


def test_min_gap_setting(make_session: MakeSession) -> None:
    settings = Settings(rep_name="Sam", rep_company="Acme", min_gap_minutes=90)
    session = make_session(settings=settings)
    offer = session.advance()
    assert offer is not None
    lead = offer.lead
    session.record(Outcome.BUSY)
    lead = session.calls.lead(lead.id)
    assert lead is not None
    later = session.clock.now() + timedelta(minutes=30)
    verdict = session.verdict(lead, later)
    assert not verdict.allowed and "minimum gap between calls is 1 h 30 min" in verdict.reasons[0]


def test_a_lead_passed_over_for_its_hours_comes_back_when_they_open(
    make_session: MakeSession,
) -> None:
    # 10:15 in Chicago is 06:15 in Honolulu: Tom Baker is passed over and held,
    # so the next picks do not ask about him again until his morning.
    session = make_session()
    names = []
    while (offer := session.advance()) is not None:
        names.append(offer.lead.name)
        session.record(Outcome.NO_ANSWER)
    assert "Tom Baker" not in names
    session.clock = Clock(parse_instant("2026-11-25T19:05:00+00:00"), running=False)  # 09:05 HST
    offer = session.advance()
    assert offer is not None and offer.lead.name == "Tom Baker"


def sorted_by_state(blocked: int) -> str:
    """A list sorted by state: ``blocked`` leads outside their hours at NOW, then New York."""
    rows = ["Name,Phone,State"]
    areas = [("808", "HI"), ("907", "AK")]
    for n in range(blocked):
        npa, state = areas[n % len(areas)]
        rows.append(f"Far {n},+1{npa}{2000000 + n},{state}")
    rows.append("Near York,+12125550188,NY")
    return "\n".join(rows) + "\n"


def test_a_long_run_of_leads_outside_their_hours_is_passed_in_one_pick(
    make_session: MakeSession,
) -> None:
    # 10:15 in Chicago: Hawaii and Alaska are still asleep.
    session = make_session(text=sorted_by_state(3_000))
    offer = session.advance()
    assert offer is not None and offer.lead.name == "Near York"


def test_a_pick_that_stops_reading_carries_on_at_the_next(
    make_session: MakeSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(session_module, "SCAN_LIMIT", 1)  # one area code checked per pick
    session = make_session(text=sorted_by_state(8))
    assert session.advance() is None and session.more_to_read
    assert session.advance() is None and session.more_to_read
    offer = session.advance()
    assert offer is not None and offer.lead.name == "Near York"


async def test_the_screen_reads_on_until_it_finds_a_lead(
    make_session: MakeSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(session_module, "SCAN_LIMIT", 1)
    app = make_app(make_session(text=sorted_by_state(8)), "America/Chicago")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "Near York" in card_text(app).plain, tries=20)
        assert "Near York" in card_text(app).plain


async def test_reading_on_ends_with_why_nothing_is_callable(
    make_session: MakeSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(session_module, "SCAN_LIMIT", 1)
    far_only = sorted_by_state(8).replace("Near York,+12125550188,NY\n", "")
    app = make_app(make_session(text=far_only), "America/Chicago")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(
            pilot, lambda: "Nothing to call right now" in card_text(app).plain, tries=20
        )
        assert "Nothing to call right now" in card_text(app).plain


def test_the_amber_light_counts_the_minutes_to_closing(make_session: MakeSession) -> None:
    # Austin, Texas: calls until 21:00. 02:30 UTC is 20:30 in Austin.
    cases = {
        "2026-11-26T02:29:00+00:00": ("green", "open"),
        "2026-11-26T02:30:00+00:00": ("amber", "window closes in 30 min"),
        "2026-11-26T02:31:00+00:00": ("amber", "window closes in 29 min"),
        "2026-11-26T02:45:00+00:00": ("amber", "window closes in 15 min"),
        "2026-11-26T02:58:00+00:00": ("amber", "window closes in 2 min"),
        "2026-11-26T02:59:00+00:00": ("amber", "window closes in 1 min"),
    }
    for now, expected in cases.items():
        session = make_session(now=now)
        offer = session.advance()
        assert offer is not None and offer.lead.name == "Dana Whitfield", now
        found = session.light()
        assert found is not None and (found.colour, found.text) == expected, now
