"""The session's queue within a chunk: what comes back, when, and what the why panel says."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from dialsmile.config import Clock, Settings, parse_instant
from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession, Waiting
from dialsmile.errors import BadInput
from dialsmile.text import when_text
from tests.ui.conftest import later

pytestmark = pytest.mark.both_engines  # the queue and the cadence hold on both engines

MakeSession = Callable[..., CallSession]
EVENING = "2026-11-25T23:00:00+00:00"  # 17:00 in Chicago, 18:00 in New York


def work(session: CallSession, outcomes: dict[str, Outcome]) -> list[str]:
    """Record ``outcomes`` by first name (anyone else: no) until nothing is callable."""
    names = []
    while (offer := session.advance()) is not None:
        first = offer.lead.name.split()[0]
        names.append(first)
        session.record(outcomes.pop(first, Outcome.NO))
    return names


def waiting_for(session: CallSession, first: str) -> Waiting:
    return next(w for w in session.waiting() if w.lead.name.startswith(first))


def test_a_busy_lead_comes_back_in_the_same_chunk_when_its_cool_down_ends(
    make_session: MakeSession,
) -> None:
    session = make_session()
    assert work(session, {"Dana": Outcome.BUSY}) == ["Dana", "Priya", "Marcus", "[bold"]
    item = waiting_for(session, "Dana")
    assert item.why == "retry cool-down after busy"
    assert item.next_at == parse_instant("2026-11-25T16:30:00+00:00")
    later(session, 16)
    offer = session.advance()
    assert offer is not None and offer.lead.name == "Dana Whitfield" and offer.reason == "retry"
    assert session.chunk == 1


def test_after_a_bad_number_the_next_number_is_tried_in_the_same_chunk(
    make_session: MakeSession,
) -> None:
    session = make_session()
    names = work(session, {"Dana": Outcome.BAD_NUMBER})
    assert names == ["Dana", "Priya", "Marcus", "[bold", "Dana"]
    history = session.calls.session_outcomes(session.session_id)
    assert [outcome for _, outcome, _ in history][-1] == "no"
    lead = session.calls.lead(history[0][0])
    assert lead is not None and lead.status == "closed"
    assert session.calls.history(lead.id)[0][1] == "no"


def test_a_skipped_lead_waits_until_nothing_else_can_be_called(
    make_session: MakeSession,
) -> None:
    session = make_session()
    first = session.advance()
    assert first is not None and first.lead.name == "Dana Whitfield"
    session.record(Outcome.SKIP)
    item = waiting_for(session, "Dana")
    assert (item.why, item.next_at, item.later) == (
        "skipped in this chunk",
        None,
        "when nothing else is",
    )
    assert work(session, {}) == ["Priya", "Marcus", "[bold", "Dana"]
    assert session.advance() is None


def test_a_retry_due_at_night_waits_for_the_morning(make_session: MakeSession) -> None:
    session = make_session(now=EVENING)
    offer = session.advance()
    while offer is not None and not offer.lead.name.startswith("Priya"):
        session.record(Outcome.NO)
        offer = session.advance()
    assert offer is not None
    session.record(Outcome.VOICEMAIL)  # retried 4 h later: 22:00 in New York
    item = waiting_for(session, "Priya")
    assert item.why.startswith("retry cool-down after voicemail, then ")
    assert item.next_at == parse_instant("2026-11-26T13:00:00+00:00")  # 08:00 in New York


def test_the_chunk_count_and_length_hold_from_the_first_chunk_to_the_last(
    make_session: MakeSession,
) -> None:
    session = make_session(chunk=2)
    seen = []
    while session.advance() is not None:
        seen.append((session.chunk, session.chunks, session.position, session.chunk_length))
        session.record(Outcome.NO)
        if session.chunk_done:
            session.start_next_chunk()
    # Five open leads in chunks of two; Tom Baker (Honolulu, 06:15) is not callable yet.
    assert seen == [(1, 3, 1, 2), (1, 3, 2, 2), (2, 3, 1, 2), (2, 3, 2, 2)]
    later(session, 180)  # 09:15 in Honolulu
    assert session.advance() is not None
    assert (session.chunk, session.chunks, session.position, session.chunk_length) == (3, 3, 1, 1)


def test_a_short_list_is_one_chunk_of_its_own_length(make_session: MakeSession) -> None:
    session = make_session()
    assert session.advance() is not None
    assert (session.chunks, session.position, session.chunk_length) == (1, 1, 5)


def test_times_read_as_from_now_ago_or_a_date() -> None:
    now = parse_instant("2026-11-25T16:15:00+00:00")  # 10:15 in Chicago
    zone = "America/Chicago"

    def at(minutes: int) -> str:
        return when_text(now + timedelta(minutes=minutes), now, zone)

    assert at(18) == "10:33 (in 18 min)"
    assert at(0) == "10:15 (in 0 min)"
    assert at(-5) == "10:10 (5 min ago)"
    assert at(-65) == "09:10 (1 h 5 min ago)"
    assert at(125) == "12:20 (in 2 h 5 min)"
    assert at(-60 * 24) == "Tue 24 Nov 10:15"
    assert at(60 * 24 * 7) == "Wed 02 Dec 10:15"
    assert when_text(now + timedelta(seconds=897), now, zone) == "10:29 (in 15 min)"
    assert when_text(None, now, zone) == "never"


ONE_LEAD = "First Name,Last Name,Company,Phone,State\nDana,Whitfield,Globex,(512) 555-0134,TX\n"


def gaps(session: CallSession, outcome: Outcome, times: int) -> list[timedelta]:
    """Record ``outcome`` ``times`` times on the one lead, each time it comes due: the waits."""
    waits = []
    for _ in range(times):
        offer = session.advance()
        assert offer is not None, f"the lead did not come back at {session.clock.now()}"
        now = session.clock.now()
        session.record(outcome)
        lead = session.calls.lead(offer.lead.id)
        assert lead is not None and lead.status == "retry" and lead.next_call_at is not None
        waits.append(lead.next_call_at - now)
        session.clock = Clock(lead.next_call_at, running=False)
    return waits


H, D = timedelta(hours=1), timedelta(days=1)


def test_every_step_of_the_default_cadence(make_session: MakeSession) -> None:
    # README: no answer and voicemail 4 h, then next day, then 3 days (the last step repeats);
    # busy 15 minutes; hang-up the next day.
    expected = {
        Outcome.NO_ANSWER: [4 * H, D, 3 * D, 3 * D],
        Outcome.VOICEMAIL: [4 * H, D, 3 * D, 3 * D],
        Outcome.BUSY: [timedelta(minutes=15)] * 3,
        Outcome.HANG_UP: [D, D],
    }
    for outcome, waits in expected.items():
        session = make_session(text=ONE_LEAD)
        assert gaps(session, outcome, len(waits)) == waits, outcome


def test_the_cadence_setting_changes_the_steps(make_session: MakeSession, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[dialsmile]\nrep_name = "Sam"\n\n[dialsmile.cadence]\n'
        'no-answer = ["1h", "2d"]\nhang-up = ["30m"]\nvoicemail = ["1w"]\n',
        encoding="utf-8",
    )
    settings = Settings.load(config)
    expected = {
        Outcome.NO_ANSWER: [H, 2 * D, 2 * D],
        Outcome.HANG_UP: [timedelta(minutes=30)] * 2,
        Outcome.VOICEMAIL: [7 * D, 7 * D],
        Outcome.BUSY: [timedelta(minutes=15)],  # not in the file: the shipped step stays
    }
    for outcome, waits in expected.items():
        session = make_session(text=ONE_LEAD, settings=settings)
        assert gaps(session, outcome, len(waits)) == waits, outcome


def test_a_cadence_step_that_cannot_be_read_is_one_sentence(
    make_session: MakeSession, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[dialsmile.cadence]\nbusy = ["soon"]\n', encoding="utf-8")
    with pytest.raises(BadInput) as error:
        make_session(text=ONE_LEAD, settings=Settings.load(config))
    assert str(error.value) == "Cannot read the cadence step 'soon'; use e.g. 15m, 4h, 1d or 2w."
    config.write_text('[dialsmile.cadence]\nno-anwser = ["4h"]\n', encoding="utf-8")
    with pytest.raises(BadInput) as unknown:
        make_session(text=ONE_LEAD, settings=Settings.load(config))
    assert str(unknown.value) == "Unknown outcome 'no-anwser' in the cadence setting."


def test_an_empty_cadence_step_list_means_the_next_day(
    make_session: MakeSession, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[dialsmile.cadence]\nbusy = []\n", encoding="utf-8")
    session = make_session(text=ONE_LEAD, settings=Settings.load(config))
    assert gaps(session, Outcome.BUSY, 2) == [D, D]


def test_after_a_bad_number_the_next_number_keeps_its_kind_and_extension(
    make_session: MakeSession,
) -> None:
    text = (
        "First Name,Last Name,Company,Phone,Mobile Phone,Home Phone,State\n"
        "Dana,Whitfield,Globex,(512) 555-0134,(512) 555-0199 ext. 42,(212) 555-0177,TX\n"
    )
    session = make_session(text=text)
    seen = []
    for _ in range(3):
        offer = session.advance()
        assert offer is not None
        lead = offer.lead
        seen.append((lead.phone, lead.extension, lead.phone_kind, tuple(lead.timezones)))
        session.record(Outcome.BAD_NUMBER)
    assert seen == [
        ("+15125550134", "", "direct", ("America/Chicago",)),
        ("+15125550199", "42", "mobile", ("America/Chicago",)),
        ("+12125550177", "", "home", ("America/New_York",)),  # its own time zone
    ]
    closed = session.calls.lead(1)
    assert closed is not None and closed.status == "closed" and session.advance() is None
