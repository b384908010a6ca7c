"""Reading the next lead ahead: the key offers exactly the lead the plain pick offers.

A session that reads ahead after every lead it shows (as the session screen
does) is run beside one that never does, on two copies of one database, with
the same keys, the same clock and the same changes from outside; after every
step both must show the same lead, for the same reason, with the same verdict.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession, Offer
from tests.ui.conftest import LEADS, NOW, build_db, hand_edit, later

pytestmark = pytest.mark.both_engines

MakeSession = Callable[..., CallSession]
MINUTE = timedelta(minutes=1)
PRIYA = "+12125550188"
AT_1758 = "2026-11-25T17:58:00+00:00"  # 07:58 in Honolulu, 11:58 in Chicago
AT_0258 = "2026-11-26T02:58:00+00:00"  # 18:58 in San Francisco, 20:58 in Austin

# Leads in six zones: at 16:15 UTC Chicago and New York are open, San Francisco
# opens at 16:00, Anchorage at 17:00 and Honolulu at 18:00; Florida caps calls
# per number. Some have a second number, for a bad number to move on to.
PLACES = [
    ("212", "NY"), ("415", "CA"), ("808", "HI"), ("512", "TX"), ("312", "IL"), ("305", "FL"),
    ("907", "AK"), ("206", "WA"),
]  # fmt: skip
KEYS = [
    Outcome.NO_ANSWER, Outcome.BUSY, Outcome.VOICEMAIL, Outcome.NO, Outcome.HANG_UP,
    Outcome.SKIP, Outcome.DO_NOT_CALL, Outcome.BAD_NUMBER, Outcome.CALLBACK, Outcome.YES,
]  # fmt: skip


def leads_csv(count: int) -> str:
    rows = ["First Name,Last Name,Company,Phone,Mobile Phone,State,Country"]
    for n in range(count):
        area, state = PLACES[n % len(PLACES)]
        mobile = f"({area}) 555-{n + 150:04d}" if n % 3 == 0 else ""
        rows.append(f"Lead{n},Test,Co {n % 4},({area}) 555-{n + 100:04d},{mobile},{state},US")
    return "\n".join(rows) + "\n"


def shown(offer: Offer | None) -> object:
    """What the screen would show of an offer: the lead as read, why, and the verdict."""
    if offer is None:
        return None
    return (offer.lead, offer.reason, offer.verdict)


class Pair:
    """Two sessions on copies of one database: ``ahead`` reads ahead, ``plain`` never does."""

    def __init__(
        self, make_session: MakeSession, tmp_path: Path, text: str, chunk: int, now: str = NOW
    ) -> None:
        self.ahead = make_session(db=build_db(tmp_path, text), chunk=chunk, now=now)
        self.plain = make_session(db=build_db(tmp_path, text), chunk=chunk, now=now)
        self.taken = 0  # picks answered by the lead read ahead
        read_ahead = self.ahead._ahead_offer

        def counted(now: datetime) -> Offer | None:
            offer = read_ahead(now)
            self.taken += offer is not None
            return offer

        self.ahead._ahead_offer = counted  # type: ignore[method-assign]

    def both(self, step: Callable[[CallSession], object]) -> None:
        results = [step(session) for session in (self.ahead, self.plain)]
        assert results[0] == results[1]
        self.check()

    def check(self) -> None:
        assert shown(self.ahead.current) == shown(self.plain.current)
        assert self.ahead.more_to_read == self.plain.more_to_read
        assert self.ahead.chunk == self.plain.chunk
        # Where the next pick reads on from is the same too, so later picks agree.
        assert self.ahead._reading == self.plain._reading

    def show_next(self) -> None:
        """Both pick the next lead (after a break, in a new chunk); the reading one then reads
        the lead after it, as the screen does once a lead is painted."""
        for session in (self.ahead, self.plain):
            if session.chunk_done:
                session.start_next_chunk()
            session.advance()
        self.check()
        self.ahead.read_ahead()

    def key(self, outcome: Outcome, minutes: float) -> None:
        """The same outcome keyed on both, ``minutes`` after the lead was shown."""
        for session in (self.ahead, self.plain):
            later(session, minutes)
        callback_at = self.ahead.clock.now() + timedelta(minutes=minutes * 3)
        kwargs = {"callback_at": callback_at} if outcome is Outcome.CALLBACK else {}
        for session in (self.ahead, self.plain):
            session.record(outcome, **kwargs)  # type: ignore[arg-type]
        self.show_next()


def run_keys(pair: Pair, seed: int, steps: int) -> None:
    rng = random.Random(seed)
    pair.show_next()
    for _ in range(steps):
        roll = rng.random()
        minutes = rng.choice([0, 0, 0.2, 1, 4, 15, 45, 100])
        if pair.plain.current is None:
            for session in (pair.ahead, pair.plain):
                later(session, minutes or 5)
            pair.show_next()
        elif roll < 0.08:
            pair.both(lambda s: s.undo() is not None)
            if pair.ahead.current is not None:
                pair.ahead.read_ahead()
        elif roll < 0.12:
            # The notes of a lead further down are edited elsewhere (another window).
            lead_id = rng.randrange(1, 25)
            for session in (pair.ahead, pair.plain):
                session.calls.update_notes(lead_id, f"edited {seed}")
        elif roll < 0.14:
            # Another program logs a call on a lead: it moves back in the queue of new leads.
            lead_id = rng.randrange(1, 25)
            for session in (pair.ahead, pair.plain):
                hand_edit(session, "UPDATE leads SET attempts = attempts + 1 WHERE id = ?", lead_id)
        elif roll < 0.17:
            # A number goes on the do-not-call list from elsewhere (a list imported).
            phone = f"+1{PLACES[rng.randrange(8)][0]}555{rng.randrange(100, 124):04d}"
            for session in (pair.ahead, pair.plain):
                session.dnc.add(phone, "asked by email", session.clock.now())
        else:
            pair.key(rng.choice(KEYS), minutes)


@pytest.mark.parametrize("seed", range(3))
def test_the_lead_read_ahead_is_the_lead_the_plain_pick_offers(
    make_session: MakeSession, tmp_path: Path, seed: int
) -> None:
    pair = Pair(make_session, tmp_path, leads_csv(24), chunk=9)
    run_keys(pair, seed, 60)
    # Most keys were answered by the lead read ahead, so the test ran that path.
    assert pair.taken >= 12


# Each change below, made between the read ahead and the key, changes the answer:
# the lead after the key is the one a rep expects, the same as the plain pick's.


def first_names(pair: Pair) -> tuple[str, str]:
    names = []
    for session in (pair.ahead, pair.plain):
        offer = session.current
        names.append(offer.lead.first_name if offer else "nobody")
    return names[0], names[1]


def test_a_callback_that_comes_due_meanwhile_comes_first(
    make_session: MakeSession, tmp_path: Path
) -> None:
    pair = Pair(make_session, tmp_path, LEADS, chunk=25)
    pair.show_next()  # Dana; Priya read ahead
    pair.key(Outcome.CALLBACK, 0)  # Dana calls back at 16:15 + 0: booked for now
    assert first_names(pair) == ("Dana", "Dana")  # the callback is due at once
    pair.both(lambda s: s.record(Outcome.CALLBACK, callback_at=s.clock.now() + MINUTE * 10))
    pair.show_next()  # Priya (16:15); Marcus read ahead, Dana due at 16:25
    assert first_names(pair) == ("Priya", "Priya")
    pair.key(Outcome.NO, 11)  # 16:26
    assert first_names(pair) == ("Dana", "Dana")


def test_a_lead_passed_for_its_hours_comes_first_once_they_open_meanwhile(
    make_session: MakeSession, tmp_path: Path
) -> None:
    # 17:58 UTC is 07:58 in Honolulu: Tom is passed until 08:00, Dana is shown.
    tom_first = "\n".join([LEADS.splitlines()[0], LEADS.splitlines()[4], *LEADS.splitlines()[1:3]])
    pair = Pair(make_session, tmp_path, tom_first + "\n", chunk=25, now=AT_1758)
    pair.show_next()  # Dana; Priya read ahead
    assert first_names(pair) == ("Dana", "Dana")
    pair.key(Outcome.NO, 3)  # 18:01: 08:01 in Honolulu
    assert first_names(pair) == ("Tom", "Tom")


def test_the_lead_read_ahead_is_checked_again_at_the_key(
    make_session: MakeSession, tmp_path: Path
) -> None:
    # 02:58 UTC: 18:58 in San Francisco, 20:58 in Austin and Chicago. Dana is read
    # ahead while Marcus is on screen; at 21:01 in Austin her hours are over.
    marcus_first = "\n".join([LEADS.splitlines()[0], LEADS.splitlines()[3], LEADS.splitlines()[1]])
    pair = Pair(make_session, tmp_path, marcus_first + "\n", chunk=25, now=AT_0258)
    pair.show_next()
    assert first_names(pair) == ("Marcus", "Marcus")
    assert pair.ahead._ahead is not None and pair.ahead._ahead.offer.lead.first_name == "Dana"
    pair.key(Outcome.NO, 3)
    assert first_names(pair) == ("nobody", "nobody")


def test_a_lead_read_ahead_that_is_called_elsewhere_meanwhile_moves_back(
    make_session: MakeSession, tmp_path: Path
) -> None:
    # New leads come fewest attempts first: once another program logs a call on
    # Priya, Marcus comes before her.
    pair = Pair(make_session, tmp_path, LEADS, chunk=25)
    pair.show_next()  # Dana; Priya read ahead
    for session in (pair.ahead, pair.plain):
        hand_edit(session, "UPDATE leads SET attempts = 1 WHERE first_name = 'Priya'")
    pair.key(Outcome.NO, 0)
    assert first_names(pair) == ("Marcus", "Marcus")


def test_a_lead_read_ahead_put_on_do_not_call_meanwhile_is_not_offered(
    make_session: MakeSession, tmp_path: Path
) -> None:
    pair = Pair(make_session, tmp_path, LEADS, chunk=25)
    pair.show_next()  # Dana; Priya read ahead
    for session in (pair.ahead, pair.plain):
        session.dnc.add(PRIYA, "asked by email", session.clock.now())
    pair.key(Outcome.NO, 0)
    assert first_names(pair) == ("Marcus", "Marcus")


def test_a_skip_an_undo_and_a_new_chunk_read_the_queues_again(
    make_session: MakeSession, tmp_path: Path
) -> None:
    pair = Pair(make_session, tmp_path, LEADS, chunk=3)
    pair.show_next()  # Dana; Priya read ahead
    pair.key(Outcome.SKIP, 0)
    assert first_names(pair) == ("Priya", "Priya")
    pair.key(Outcome.NO, 0)
    assert first_names(pair) == ("Marcus", "Marcus")  # the last of chunk 1: nothing read ahead
    assert pair.ahead._ahead is None
    pair.both(lambda s: s.undo() is not None)  # Priya again
    pair.ahead.read_ahead()
    assert first_names(pair) == ("Priya", "Priya")
    pair.key(Outcome.NO, 0)
    pair.key(Outcome.NO, 0)  # Marcus ends the chunk; a new one forgets Dana's skip
    assert first_names(pair) == ("Dana", "Dana")
    pair.key(Outcome.NO, 0)
    assert first_names(pair) == ("[bold red]Eve[/]",) * 2  # Tom is asleep


def test_a_lead_read_ahead_that_another_rep_holds_is_not_offered(
    make_session: MakeSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = build_db(tmp_path)
    monkeypatch.setenv("DIALSMILE_REP", "Ben")
    ben = make_session(db=db)
    assert ben.advance() is not None and ben.read_ahead() is not None  # Dana; Priya ahead
    monkeypatch.setenv("DIALSMILE_REP", "Ana")
    ana = make_session(db=db)
    offer = ana.advance()
    assert offer is not None and offer.lead.first_name == "Priya"  # Dana is Ben's
    ben.record(Outcome.NO)
    offer = ben.advance()
    assert offer is not None and offer.lead.first_name == "Marcus"
    held = {c.lead_id: c.rep for c in ben.stores.claims.held(ben.list.id, ben.clock.now())}
    assert held == {offer.lead.id: "Ben", ana.current.lead.id: "Ana"}  # type: ignore[union-attr]


def test_a_reading_changed_after_the_read_ahead_sends_the_key_to_the_queues(
    make_session: MakeSession, tmp_path: Path
) -> None:
    # Dana is skipped, Priya shown and Marcus read ahead; then the chunk's skips
    # are forgotten (as a new chunk does): Dana is the first new lead again.
    pair = Pair(make_session, tmp_path, LEADS, chunk=25)
    pair.show_next()
    pair.key(Outcome.SKIP, 0)
    assert first_names(pair) == ("Priya", "Priya")
    pair.both(lambda s: s.start_next_chunk())
    pair.key(Outcome.NO, 0)
    assert first_names(pair) == ("Dana", "Dana")


@pytest.mark.sqlite_only("how a SQLite file syncs its commits")
def test_the_outcome_is_synced_to_the_disk_and_the_claim_after_it_is_not(
    make_session: MakeSession,
) -> None:
    # A power cut must lose no outcome (synchronous FULL); a claim it loses is
    # harmless, so the key does not wait for the disk twice.
    session = make_session()
    session.advance()
    session.read_ahead()
    conn = session.calls.db.conn  # type: ignore[attr-defined]
    said: list[str] = []
    conn.set_trace_callback(said.append)
    session.record(Outcome.NO)
    session.advance()
    conn.set_trace_callback(None)
    commits = [n for n, sql in enumerate(said) if sql == "COMMIT"]
    syncing = [
        next((s for s in reversed(said[:n]) if s.startswith("PRAGMA synchronous")), "FULL")
        for n in commits
    ]
    assert syncing == ["FULL", "PRAGMA synchronous = NORMAL"]  # the outcome, then the claim
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL again
    assert session.current is not None and session.current.lead.first_name == "Priya"
