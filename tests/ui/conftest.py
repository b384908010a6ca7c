"""Sessions on small, known lead lists with a fixed clock."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from dialsmile.commands.importing import import_file
from dialsmile.config import Clock, Settings, parse_instant
from dialsmile.core.models import LeadView
from dialsmile.core.scripts import load_script
from dialsmile.core.session import CallSession
from dialsmile.io.importer import ImportOptions
from dialsmile.storage.db import open_db
from dialsmile.storage.leads import LeadStore
from dialsmile.storage.tx import transaction
from dialsmile.ui.app import DialsmileApp, make_app
from tests.conftest import OpenStores

LEADS = """\
First Name,Last Name,Job Title,Company,Phone,Mobile Phone,City,State,Country,Notes
Dana,Whitfield,VP Sales,Globex Logistics,(512) 555-0134,(512) 555-0199,Austin,TX,United States,Met at SaaStr. Asked about pricing.
Priya,Raman,Head of Ops,Initech Analytics,+1 212-555-0188,,New York,NY,United States,Uses a competitor; renews in March.
Marcus,Lee,CFO,Northwind Freight,415-555-0132 x12,,San Francisco,CA,United States,
Tom,Baker,Owner,Aloha Surf Supply,(808) 555-0110,,Honolulu,HI,United States,Early riser.
[bold red]Eve[/],[link=http://x]Mallory[/link],CTO,"Evil [b]Corp[/b]",(312) 555-0177,,Chicago,IL,United States,"Notes with [red]markup[/red] and \x1b[31mescapes\x1b[0m"
"""

NOW = "2026-11-25T16:15:00+00:00"  # Wed 10:15 Chicago, 06:15 Honolulu


def build_db(
    tmp_path: Path, text: str = LEADS, list_name: str = "Q4", kind: str = "consumer"
) -> Path:
    """A new database file (one per call) holding ``text`` imported as one list of ``kind``."""
    n = len(list(tmp_path.glob("session-*.db")))
    path = tmp_path / f"leads-{n}.csv"
    path.write_text(text, encoding="utf-8")
    db_file = tmp_path / f"session-{n}.db"
    db = open_db(db_file)
    options = ImportOptions(list_name=list_name, kind=kind)
    import_file(LeadStore(db), path, options, parse_instant(NOW))
    db.conn.close()
    return db_file


MakeApp = Callable[..., DialsmileApp]


@pytest.fixture
def make_session(tmp_path: Path, stores: OpenStores) -> Callable[..., CallSession]:
    def make(
        text: str = LEADS,
        now: str = NOW,
        chunk: int | None = None,
        settings: Settings | None = None,
        db: Path | None = None,
    ) -> CallSession:
        opened = stores(db or build_db(tmp_path, text))
        settings = settings or Settings(rep_name="Sam", rep_company="Acme Software")
        return CallSession(
            opened,
            opened.lists.get_list("Q4"),
            settings,
            Clock(datetime.fromisoformat(now), running=False),
            chunk_size=chunk,
            script=load_script("saas-discovery"),
        )

    return make


@pytest.fixture
def session_app(make_session: Callable[..., CallSession]) -> MakeApp:
    def make(**kwargs: object) -> DialsmileApp:
        return make_app(make_session(**kwargs), "America/Chicago")

    return make


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool], tries: int = 250) -> None:
    """Let the app run, 20 ms at a time, until ``condition`` holds (or ``tries`` run out)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)


def stored_lead(session: CallSession, first_name: str) -> LeadView:
    """The lead as stored, found by its first name through the session's stores (a new
    test database numbers its leads from 1)."""
    for lead_id in itertools.count(1):
        lead = session.calls.lead(lead_id)
        if lead is None:
            raise AssertionError(f"no lead named {first_name!r} is stored")
        if lead.first_name == first_name:
            return lead
    raise AssertionError("unreachable")


def utc_text(moment: datetime | None) -> str | None:
    """A stored moment as the tests write it: ISO 8601 in UTC (None stays None)."""
    return None if moment is None else moment.astimezone(UTC).isoformat()


def lead_row(session: CallSession, first_name: str) -> dict[str, object]:
    """What is stored of a lead: its status, numbers, counts and times (in UTC)."""
    lead = stored_lead(session, first_name)
    return {
        "status": lead.status,
        "phone": lead.phone,
        "extension": lead.extension,
        "phone_kind": lead.phone_kind,
        "alt_phones": lead.alt_phones,
        "attempts": lead.attempts,
        "last_outcome": lead.last_outcome,
        "next_call_at": utc_text(lead.next_call_at),
        "callback_at": utc_text(lead.callback_at),
    }


def logged_calls(session: CallSession) -> list[tuple[str, str]]:
    """(lead's name, outcome) of each call this session logged, oldest first."""
    named = []
    for lead_id, outcome, _chunk in session.calls.session_outcomes(session.session_id):
        lead = session.calls.lead(lead_id)
        assert lead is not None
        named.append((lead.name, outcome))
    return named


def on_dnc(session: CallSession, *phones: str) -> list[tuple[str, str]]:
    """(number, list) of each do-not-call entry of these numbers."""
    return [(e.phone, e.source) for phone in phones for e in session.dnc.lookup(phone)]


def hand_edit(session: CallSession, sql: str, *params: object) -> None:
    """Change stored rows as an older database or a hand edit left them (either engine)."""
    db = session.calls.db  # type: ignore[attr-defined]
    with transaction(db):
        db.execute(sql, params)


def later(session: CallSession, minutes: float) -> None:
    """Move the session's (stopped) clock ``minutes`` on: the only way time passes in a test."""
    session.clock = Clock(session.clock.now() + timedelta(minutes=minutes), running=False)


def script_shown(app: DialsmileApp, *, whole: bool = False) -> str:
    """The script panel's lines in view (or ``whole``: every line), as the screen draws them."""
    from dialsmile.ui.widgets.script_panel import ScriptPanel

    panel = app.screen.query_one(ScriptPanel)
    lines = panel.lines
    top = 0 if whole else round(panel.scroll_y)
    count = lines.size.height if whole else panel.scrollable_content_region.height
    return "\n".join(lines.render_line(y).text.rstrip() for y in range(top, top + count))


def words(text: str) -> str:
    """``text`` with every run of spaces and line ends as one space (lines wrap anywhere)."""
    return " ".join(text.split())
