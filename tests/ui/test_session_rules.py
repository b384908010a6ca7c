"""The session without a screen: what it offers, what it says about the rest, what it stores.

Expected values are the rules as a rep reads them (README, calling-rules.md),
written out by hand; the session is built only through the shared fixtures.
"""

from __future__ import annotations

import csv
import subprocess
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from dialsmile.commands.importing import import_file
from dialsmile.config import Clock, Settings, parse_instant
from dialsmile.core import session as session_module
from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession
from dialsmile.errors import BadInput, HeldElsewhere
from dialsmile.io.importer import ImportOptions
from dialsmile.storage.db import open_db
from dialsmile.storage.leads import LeadStore
from tests.ui.conftest import (
    LEADS,
    NOW,
    build_db,
    hand_edit,
    later,
    lead_row,
    on_dnc,
    utc_text,
)
from tests.ui.test_queue import waiting_for, work

pytestmark = pytest.mark.both_engines

MakeSession = Callable[..., CallSession]
NIGHT = "2026-11-25T11:00:00+00:00"  # 05:00 in Chicago: nobody is callable
DANA_MOBILE = "+15125550199"
ADDED = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
ONE_LEAD = "Name,Phone,State\nDana Whitfield,(512) 555-0134,TX\n"
NOW_1720 = "2026-11-25T17:20:00+00:00"  # Wed 11:20 Chicago, 09:20 San Francisco


def exported_calls(session: CallSession) -> list[dict[str, str]]:
    """The session's calls as its CSV export writes them."""
    assert session.export is not None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "calls.csv"
        session.export(path)
        with path.open(encoding="utf-8", newline="") as file:
            return list(csv.DictReader(file))


def attempt_rows(session: CallSession) -> list[tuple[object, ...]]:
    """What each call of the session stored, oldest first, read through the stores and the
    export: (outcome, phone, extension, shown_at, started_at, ended_at, duration_s, dialed,
    note, callback_at, chunk, caller, script), moments in UTC."""
    calls = session.stores.stats.session_attempts(session.session_id)
    written = exported_calls(session)
    rows = []
    for call, row in zip(calls, written, strict=True):
        callback_at = utc_text(parse_instant(row["callback_at"])) if row["callback_at"] else None
        rows.append(
            (call.outcome, row["phone"], row["extension"], utc_text(call.shown_at),
             utc_text(call.started_at), utc_text(call.ended_at), float(row["duration_s"]),
             int(call.dialed), row["note"], callback_at, call.chunk, call.caller,
             row["script"] or None)
        )  # fmt: skip
    return rows


def test_an_alternate_number_on_do_not_call_is_never_offered(make_session: MakeSession) -> None:
    # The internal list blocks every call: after a bad main number, Dana's
    # mobile comes up only if it is not on a do-not-call list.
    session = make_session()
    session.dnc.add(DANA_MOBILE, "asked by email", ADDED)
    assert work(session, {"Dana": Outcome.BAD_NUMBER}) == ["Dana", "Priya", "Marcus", "[bold"]
    item = waiting_for(session, "Dana")
    assert (item.lead.phone, item.why, item.next_at, item.later) == (
        DANA_MOBILE, "on internal DNC (added 20 Nov)", None, "never",
    )  # fmt: skip
    # Do-not-call is never overridable: an override would show Tom (06:15 in Honolulu).
    candidate = session.override_candidate()
    assert candidate is not None and candidate.name == "Tom Baker"


def test_a_national_listing_blocks_consumer_lists_only(
    make_session: MakeSession, tmp_path: Path
) -> None:
    consumer = make_session()
    consumer.dnc.add(DANA_MOBILE, "", ADDED, source="national")
    assert work(consumer, {"Dana": Outcome.BAD_NUMBER}) == ["Dana", "Priya", "Marcus", "[bold"]
    assert waiting_for(consumer, "Dana").why == "on national DNC (added 20 Nov)"
    business = make_session(db=build_db(tmp_path, LEADS, kind="business"))
    business.dnc.add(DANA_MOBILE, "", ADDED, source="national")
    names = work(business, {"Dana": Outcome.BAD_NUMBER})
    assert names == ["Dana", "Priya", "Marcus", "[bold", "Dana"]


def test_a_stale_national_copy_warns_on_consumer_lists_only(
    make_session: MakeSession, tmp_path: Path
) -> None:
    # The national copy may be at most 31 days old (16 CFR 310.4(b)(3)(iv)); it is 25 Nov.
    session = make_session()
    assert session.dnc_warning() is None  # no copy at all: nothing to call stale
    session.dnc.import_copy("national", "n.txt", date(2026, 10, 25), ["+19999999999"], ADDED)
    assert session.dnc_warning() is None  # 31 days old: still allowed
    session.dnc.import_copy("national", "n.txt", date(2026, 10, 24), ["+19999999999"], ADDED)
    warning = session.dnc_warning()
    assert warning is not None and warning.startswith(
        "the national do-not-call copy is 32 days old (as of 2026-10-24)"
    )
    business = make_session(db=build_db(tmp_path, LEADS, kind="business"))
    business.dnc.import_copy("national", "n.txt", date(2026, 1, 1), ["+19999999999"], ADDED)
    assert business.dnc_warning() is None


def test_the_why_panel_says_why_each_lead_waits_and_lists_the_soonest_first(
    make_session: MakeSession,
) -> None:
    session = make_session()
    outcomes = {"Dana": Outcome.BUSY, "Priya": Outcome.DO_NOT_CALL, "Marcus": Outcome.VOICEMAIL}
    # (Priya's "do not call me" puts her number on the internal list.)
    offer = session.advance()
    assert offer is not None and offer.lead.name == "Dana Whitfield"
    session.record(outcomes.pop("Dana"))
    work(session, outcomes)
    waiting = {w.lead.name.split()[0]: w for w in session.waiting()}
    assert set(waiting) == {"Dana", "Priya", "Marcus", "Tom"}
    assert (waiting["Dana"].why, waiting["Dana"].next_at) == (
        "retry cool-down after busy", parse_instant("2026-11-25T16:30:00+00:00"),
    )  # fmt: skip
    assert (waiting["Priya"].why, waiting["Priya"].next_at) == (
        "on internal DNC (added 25 Nov)", None,
    )  # fmt: skip
    assert (waiting["Marcus"].why, waiting["Marcus"].next_at) == (
        "retry cool-down after voicemail", parse_instant("2026-11-25T20:15:00+00:00"),
    )  # fmt: skip
    # Honolulu: 06:15 now, open at 08:00 HST (18:00 UTC).
    assert waiting["Tom"].why.startswith("outside calling hours: it is 06:15 Hawaii")
    assert waiting["Tom"].next_at == parse_instant("2026-11-25T18:00:00+00:00")
    # Soonest first; a lead that can never be called last.
    assert [w.lead.name.split()[0] for w in session.waiting()] == ["Dana", "Tom", "Marcus", "Priya"]
    assert len(session.waiting(limit=2)) == 2


def test_a_callback_is_due_at_its_time_or_when_the_rules_next_allow(
    make_session: MakeSession,
) -> None:
    session = make_session()
    session.advance()
    session.record(Outcome.CALLBACK, callback_at=parse_instant("2026-11-25T20:00:00+00:00"))
    assert attempt_rows(session)[0][9] == "2026-11-25T20:00:00+00:00"  # kept with the call
    item = waiting_for(session, "Dana")  # 14:00 in Austin
    assert (item.why, item.next_at) == (
        "callback booked", parse_instant("2026-11-25T20:00:00+00:00"),
    )  # fmt: skip
    session.advance()
    session.record(Outcome.CALLBACK, callback_at=parse_instant("2026-11-26T04:00:00+00:00"))
    night = waiting_for(session, "Priya")  # 23:00 in New York: Priya's federal window is shut
    assert night.why.startswith("callback booked, then outside calling hours: it is 23:00 Eastern")
    assert night.next_at == parse_instant("2026-11-26T13:00:00+00:00")  # 08:00 in New York
    later(session, 4 * 60)  # Dana's callback is due first
    offer = session.advance()
    assert offer is not None and (offer.lead.name, offer.reason) == (
        "Dana Whitfield", "callback due",
    )  # fmt: skip


def test_what_each_call_stores(make_session: MakeSession) -> None:
    settings = Settings(rep_name="Sam", rep_company="Acme", dial_command="")
    session = make_session(settings=settings)
    session.caller = "+15125550100"
    session.advance()  # Dana, shown at 16:15:00
    later(session, 0.5)
    assert session.dial() is None  # no dial command: the timer starts, nothing runs
    later(session, 2)
    session.record(Outcome.NO, note="not the buyer")
    session.advance()  # Priya, shown at 16:17:30, never dialed
    later(session, 1)
    session.record(Outcome.NO_ANSWER)
    rows = attempt_rows(session)
    assert rows[0] == (
        "no", "+15125550134", "", "2026-11-25T16:15:00+00:00", "2026-11-25T16:15:30+00:00",
        "2026-11-25T16:17:30+00:00", 120.0, 1, "not the buyer", None, 1, "+15125550100",
        "saas-discovery",
    )  # fmt: skip
    # The script pack's name and version (assets/scripts/saas-discovery.md: version = "1").
    assert {(row["script"], row["script_version"]) for row in exported_calls(session)} == {
        ("saas-discovery", "1")
    }
    assert rows[1][:9] == (
        "no-answer", "+12125550188", "", "2026-11-25T16:17:30+00:00",
        "2026-11-25T16:17:30+00:00", "2026-11-25T16:18:30+00:00", 60.0, 0, "",
    )  # fmt: skip


def test_a_dial_command_that_cannot_run_is_one_sentence(make_session: MakeSession) -> None:
    settings = Settings(rep_name="Sam", rep_company="Acme", dial_command="no-such-dialer {e164}")
    session = make_session(settings=settings)
    assert session.dial() is None  # nothing on screen: nothing to dial
    session.advance()
    error = session.dial()
    assert error is not None
    assert error.startswith("Could not run the dial command 'no-such-dialer': ")
    assert error.endswith(".")
    assert session.call_start(session.clock.now()) == (session.clock.now(), True)


def test_undo_brings_the_last_lead_back_and_counts_it_again(make_session: MakeSession) -> None:
    session = make_session(chunk=2)
    assert session.undo() is None  # nothing recorded yet
    session.advance()
    session.record(Outcome.SKIP)
    session.advance()
    session.record(Outcome.NO)
    assert session.chunk_done and session.chunk == 2
    lead = session.undo()
    assert lead is not None and lead.name == "Priya Raman"
    assert (session.handled, session.chunk, session.position, session.chunk_done) == (
        1,
        1,
        2,
        False,
    )
    assert session.current is not None and session.current.reason == "undone"
    assert session.current.lead.name == "Priya Raman" and session.current.verdict.allowed
    assert session.current.lead.history == []  # the undone call is gone from its history
    assert (session.shown_at, session.dialed_at) == (session.clock.now(), None)
    assert session.calls.lead(lead.id).status == "new"  # type: ignore[union-attr]
    undone_skip = session.undo()
    assert undone_skip is not None and undone_skip.name == "Dana Whitfield"
    assert session.handled == 0
    session.current = None
    offer = session.advance()  # the undone skip no longer holds Dana back
    assert offer is not None and offer.lead.name == "Dana Whitfield"


def test_a_session_resumes_within_sixteen_hours_with_its_chunk_size(
    make_session: MakeSession, tmp_path: Path
) -> None:
    db = build_db(tmp_path)
    first = make_session(db=db, chunk=3, now="2026-11-25T00:00:00+00:00")  # 18:00 in Chicago
    first.advance()
    first.record(Outcome.SKIP)
    first.advance()
    first.record(Outcome.NO)
    next_morning = "2026-11-25T15:59:00+00:00"  # 15 h 59 min later, 09:59 in Chicago
    again = make_session(db=db, now=next_morning)
    assert again.resumed and again.session_id == first.session_id
    assert (again.handled, again.chunk_size, again.position) == (2, 3, 3)
    offer = again.advance()  # Dana, skipped in this chunk, waits; Marcus's 07:59 is too early
    assert offer is not None and offer.lead.phone == "+13125550177"
    resized = make_session(db=db, now=next_morning, chunk=1)
    assert resized.resumed and resized.chunk_size == 1
    fresh = make_session(db=db, now="2026-11-25T16:01:00+00:00")  # 16 h 1 min later
    assert not fresh.resumed and fresh.session_id != first.session_id and fresh.handled == 0


def test_an_ended_session_is_not_resumed(make_session: MakeSession, tmp_path: Path) -> None:
    db = build_db(tmp_path)
    first = make_session(db=db)
    first.advance()
    first.record(Outcome.NO)
    first.pause(90)
    first.pause(30)
    later(first, 10)
    first.end()
    row = first.stores.stats.session(first.session_id)
    assert row is not None
    assert (utc_text(row.ended_at), row.paused_s) == ("2026-11-25T16:25:00+00:00", 120)
    again = make_session(db=db, now="2026-11-25T16:30:00+00:00")
    assert not again.resumed


def test_overrides_need_the_setting_a_reason_and_a_block(make_session: MakeSession) -> None:
    off = make_session(now=NIGHT)
    lead = off.override_candidate()  # the soonest to open: 08:00 in New York
    assert lead is not None and lead.name == "Priya Raman"
    assert off.override(lead, "she asked") == (
        "Overrides are off; set allow_overrides = true in your settings to allow them."
    )
    settings = Settings(rep_name="Sam", rep_company="Acme", allow_overrides=True)
    night = make_session(now=NIGHT, settings=settings)
    lead = night.override_candidate()
    assert lead is not None
    assert night.override(lead, "   ") == "An override needs a reason."
    assert night.override(lead, "  she  asked\tfor 6am ") is None
    assert night.current is not None and night.current.reason == "override"
    assert night.current.lead.name == "Priya Raman" and night.current.lead.history == []
    assert not night.current.verdict.allowed
    assert (night.shown_at, night.dialed_at) == (parse_instant(NIGHT), None)
    assert [w.lead.name for w in night.waiting()].count("Priya Raman") == 0  # she is on screen
    night.dnc.add(lead.phone, "asked by email", ADDED)
    assert night.override(lead, "she asked") == (
        "Priya Raman is on internal DNC (added 20 Nov): do-not-call can never be overridden."
    )
    logged = night.dnc.overrides(night.session_id)
    assert [(o.who, o.reason, o.phone) for o in logged] == [
        ("Sam", "she asked for 6am", lead.phone)
    ]
    assert logged[0].blocked_because.startswith("outside calling hours: it is 06:00 Eastern")
    day = make_session(settings=settings)
    offer = day.advance()
    assert offer is not None and day.override_candidate() is None  # nothing blocks it
    assert day.override(offer.lead, "why not") == (
        "Dana Whitfield can be called now; there is nothing to override."
    )


def test_notes_and_intro_emails_are_kept(make_session: MakeSession) -> None:
    session = make_session()
    session.save_notes("nothing on screen")  # nothing to save to
    offer = session.advance()
    assert offer is not None
    session.save_notes("Prefers email.")
    assert offer.lead.notes == "Prefers email."
    assert session.calls.lead(offer.lead.id).notes == "Prefers email."  # type: ignore[union-attr]
    assert session.intro_email_sent_at(offer.lead.id) is None
    later(session, 5)
    session.mark_intro_email_sent(offer.lead.id)
    assert session.intro_email_sent_at(offer.lead.id) == parse_instant("2026-11-25T16:20:00+00:00")


def test_the_light_is_red_on_do_not_call_and_none_without_a_lead(make_session: MakeSession) -> None:
    session = make_session()
    assert session.light() is None
    offer = session.advance()
    assert offer is not None
    light = session.light()
    assert light is not None and light.colour == "green"
    session.dnc.add(offer.lead.phone, "asked by email", ADDED)
    light = session.light()
    assert light is not None and (light.colour, light.text) == (
        "red", "on internal DNC (added 20 Nov) · never",
    )  # fmt: skip


def test_no_minimum_gap_when_the_setting_is_zero(make_session: MakeSession) -> None:
    settings = Settings(rep_name="Sam", rep_company="Acme", min_gap_minutes=0)
    session = make_session(text=ONE_LEAD, settings=settings)
    assert session.min_gap is None
    session.advance()
    session.record(Outcome.BUSY)
    later(session, 15)  # the busy cool-down is 15 minutes; no gap holds Dana longer
    offer = session.advance()
    assert offer is not None and offer.lead.name == "Dana Whitfield"
    assert timedelta(minutes=15) == offer.lead.next_call_at - parse_instant(  # type: ignore[operator]
        "2026-11-25T16:15:00+00:00"
    )


def test_every_outcome_stores_what_the_key_table_says(make_session: MakeSession) -> None:
    # The same hand-written table the key pilot uses, recorded without a screen.
    from tests.ui.test_session import NOW_PLUS, OUTCOME_KEYS

    for key, outcome, status, next_call, callback, phone in OUTCOME_KEYS:
        session = make_session()
        session.advance()
        callback_at = parse_instant(NOW_PLUS["2h"]) if key == "c" else None
        session.record(Outcome(outcome), callback_at=callback_at)
        dana = lead_row(session, "Dana")
        fields = ("status", "next_call_at", "callback_at", "phone", "attempts", "last_outcome")
        assert tuple(dana[field] for field in fields) == (
            status, next_call, callback, phone,
            0 if key == "s" else 1, None if key == "s" else outcome,
        ), key  # fmt: skip
        listed = on_dnc(session, "+15125550134", DANA_MOBILE)
        assert listed == ([("+15125550134", "internal")] if key == "d" else []), key


def test_a_callback_without_a_time_is_refused(make_session: MakeSession) -> None:
    session = make_session()
    session.advance()
    with pytest.raises(ValueError, match=r"^a callback needs a time$"):
        session.record(Outcome.CALLBACK)
    assert attempt_rows(session) == []


def test_an_alternate_stored_with_its_number_only_has_no_extension_or_kind(
    make_session: MakeSession,
) -> None:
    # An alternate written without its extension and kind (an older database,
    # a hand edit) is dialed as a plain number after a bad main number.
    session = make_session()
    hand_edit(
        session,
        """UPDATE leads SET alt_phones = '[{"e164": "+15125550199"}]' WHERE first_name = 'Dana'""",
    )
    session.advance()
    session.record(Outcome.BAD_NUMBER)
    dana = lead_row(session, "Dana")
    fields = ("phone", "extension", "phone_kind", "alt_phones")
    assert tuple(dana[field] for field in fields) == ("+15125550199", "", "", [])


def test_the_coach_sees_this_sessions_calls_and_the_days_before(
    make_session: MakeSession, tmp_path: Path
) -> None:
    db = build_db(tmp_path)
    yesterday = make_session(db=db, now="2026-11-24T16:15:00+00:00")
    yesterday.advance()
    yesterday.record(Outcome.YES)
    yesterday.end()
    today = make_session(db=db)
    today.advance()
    later(today, 2)
    today.record(Outcome.NO)
    today.advance()
    later(today, 3)
    today.record(Outcome.VOICEMAIL)
    assert [a.outcome for a in today.attempts()] == ["no", "voicemail"]
    before = today.history("America/Chicago")
    assert (before.dials, before.yeses, before.dials_since_yes, before.today) == (1, 1, 0, [])
    summary = today.summary("America/Chicago")
    assert summary is not None and summary.session_id == today.session_id
    assert summary.ended_at == parse_instant("2026-11-25T16:20:00+00:00")
    assert dict(summary.stats.outcomes) == {"no": 1, "voicemail": 1}
    assert summary.lines("America/Chicago")[0].startswith(
        f"Session {today.session_id} · 10:15-10:20"
    )


def test_the_dial_command_gets_the_number_its_digits_and_extension_as_arguments(
    make_session: MakeSession,
) -> None:
    # A program that does not exist fails before anything runs, and its
    # sentence shows the first argument as it was filled in.
    command = "'  no such dialer {digits} {e164} x{extension}'  --quiet"
    settings = Settings(rep_name="Sam", rep_company="Acme", dial_command=command)
    session = make_session(text="Name,Phone,State\nMarcus Lee,415-555-0132 x12,CA\n",
                           settings=settings)  # fmt: skip
    session.advance()
    error = session.dial()
    assert error is not None and error.startswith(
        "Could not run the dial command '  no such dialer 14155550132 +14155550132 x12': "
    )
    assert session.dialed_at == session.clock.now()


def test_the_help_screen_says_each_retry_time_in_words(
    make_session: MakeSession, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[dialsmile.cadence]\nbusy = ["90m"]\nvoicemail = ["2w"]\n', encoding="utf-8")
    cadence = make_session(settings=Settings.load(config)).cadence
    assert cadence.retry_text(Outcome.BUSY) == "retried in 1 h 30 min"
    assert cadence.retry_text(Outcome.VOICEMAIL) == "retried in 14 days"
    assert cadence.retry_text(Outcome.HANG_UP) == "retried tomorrow"  # the shipped step
    assert cadence.retry_text(Outcome.NO_ANSWER) == "retried per cadence (4 h, next day, 3 days)"


# Reps on one list: claims


def rep_session(
    make_session: MakeSession, monkeypatch: pytest.MonkeyPatch, rep: str, **kwargs: object
) -> CallSession:
    """A session of ``rep`` (who is calling comes from $DIALSMILE_REP, as on the floor)."""
    monkeypatch.setenv("DIALSMILE_REP", rep)
    return make_session(**kwargs)


def test_a_lead_held_by_another_rep_is_not_offered_until_it_is_let_go(
    make_session: MakeSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A lead shown to a rep is theirs for 15 minutes (claim_minutes) or until
    # they log its call or end their session.
    db = build_db(tmp_path)
    ana = rep_session(make_session, monkeypatch, "Ana", db=db)
    ben = rep_session(make_session, monkeypatch, "Ben", db=db)
    offer = ana.advance()
    assert offer is not None and offer.lead.name == "Dana Whitfield"
    assert ana.claimed_until == parse_instant("2026-11-25T16:30:00+00:00")
    offer = ben.advance()
    assert offer is not None and offer.lead.name == "Priya Raman"
    ben.record(Outcome.NO)
    later(ben, 14)  # 16:29: Dana is still Ana's
    offer = ben.advance()
    assert offer is not None and offer.lead.name == "Marcus Lee"
    ben.record(Outcome.NO)
    later(ben, 1)  # 16:30: Ana's 15 minutes are over
    offer = ben.advance()
    assert offer is not None and offer.lead.name == "Dana Whitfield"


def test_a_rep_on_a_long_call_keeps_their_lead(
    make_session: MakeSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The screen asks every 30 s; once half of the 15 minutes have run the hold is
    # renewed, so a claim runs out only when its session is gone.
    db = build_db(tmp_path)
    ana = rep_session(make_session, monkeypatch, "Ana", db=db)
    ben = rep_session(make_session, monkeypatch, "Ben", db=db)
    offer = ana.advance()
    assert offer is not None and offer.lead.name == "Dana Whitfield"
    later(ana, 7)  # 16:22: under half gone, nothing written
    assert ana.keep_hold() == ""
    assert ana.claimed_until == parse_instant("2026-11-25T16:30:00+00:00")
    for _ in range(36):  # 16:22 to 16:40, asked every 30 s
        later(ana, 0.5)
        assert ana.keep_hold() == ""
    assert ana.claimed_until is not None
    assert ana.claimed_until > parse_instant("2026-11-25T16:47:00+00:00")
    later(ben, 25)  # 16:40: Ana's first 15 minutes are long over, she is still on the call
    offer = ben.advance()
    assert offer is not None and offer.lead.name == "Priya Raman"
    assert ana.record(Outcome.YES) is not None


def test_a_hold_that_ran_out_while_the_session_slept_says_who_took_the_lead(
    make_session: MakeSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = build_db(tmp_path)
    ana = rep_session(make_session, monkeypatch, "Ana", db=db)
    ben = rep_session(make_session, monkeypatch, "Ben", db=db)
    ana.advance()  # Dana, Ana's until 16:30; then her laptop sleeps for 20 minutes
    later(ben, 16)
    offer = ben.advance()
    assert offer is not None and offer.lead.name == "Dana Whitfield"
    later(ana, 20)
    assert ana.keep_hold() == (
        "While your hold on this lead had run out Ben took Dana Whitfield; on to the next lead."
    )
    assert ana.current is None


def test_ending_a_session_lets_its_lead_go_to_another_rep(
    make_session: MakeSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = build_db(tmp_path)
    ana = rep_session(make_session, monkeypatch, "Ana", db=db)
    ben = rep_session(make_session, monkeypatch, "Ben", db=db)
    ana.advance()  # Dana, Ana's
    ana.end()
    offer = ben.advance()
    assert offer is not None and offer.lead.name == "Dana Whitfield"


def test_a_lead_another_rep_takes_while_the_queue_is_read_is_passed_over(
    make_session: MakeSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ben's pick has read the queue (Dana first); that instant Ana takes Dana,
    # then logs her call. Either way Ben is offered the next lead, never Dana.
    for ana_logs in (False, True):
        db = build_db(tmp_path)
        ana = rep_session(make_session, monkeypatch, "Ana", db=db)
        ben = rep_session(make_session, monkeypatch, "Ben", db=db)
        read = ben.calls.lead

        def meanwhile(lead_id: int, read=read, ana=ana, ana_logs=ana_logs):  # type: ignore[no-untyped-def]
            if ana.handled == 0 and ana.current is None:
                ana.advance()
                if ana_logs:
                    ana.record(Outcome.NO)
            return read(lead_id)

        monkeypatch.setattr(ben.calls, "lead", meanwhile)
        offer = ben.advance()
        assert offer is not None and offer.lead.name == "Priya Raman", ana_logs
        assert len(ana.stores.stats.session_attempts(ana.session_id)) == ana_logs


def test_a_lead_claimed_in_place_of_one_taken_meanwhile_is_checked_and_let_go_if_blocked(
    make_session: MakeSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ben keeps an hour between two calls to one number (min_gap_minutes = 60). At
    # 17:20 his pick reads Dana and Priya (called at 16:15), then Marcus (called at
    # 16:50). Ana takes Dana and Cy takes Priya while Ben reads each of them, so
    # Ben's claim lands on Marcus, whom Ben's gap still blocks: Ben is not offered
    # him and does not keep him either.
    db = build_db(tmp_path, "\n".join(LEADS.splitlines()[:4]) + "\n")
    ana = rep_session(make_session, monkeypatch, "Ana", db=db)
    for _ in range(2):
        ana.advance()
        ana.record(Outcome.BUSY)  # Dana, Priya at 16:15: due again at 16:30
    later(ana, 35)
    ana.advance()
    ana.record(Outcome.BUSY)  # Marcus at 16:50: due again at 17:05
    later(ana, 30)
    cy = rep_session(make_session, monkeypatch, "Cy", db=db, now=NOW_1720)
    gap = Settings(rep_name="Ben", min_gap_minutes=60)
    ben = rep_session(make_session, monkeypatch, "Ben", db=db, now=NOW_1720, settings=gap)
    read = ben.calls.lead

    def meanwhile(lead_id: int):  # type: ignore[no-untyped-def]
        rep = ana if ana.current is None else cy
        if rep.current is None:
            rep.advance()  # Ana takes Dana, then Cy takes Priya
        return read(lead_id)

    windows: list[list[int]] = []
    claim_first = ben.stores.claims.claim_first

    def claim(candidates, *args):  # type: ignore[no-untyped-def]
        windows.append([lead_id for lead_id, _, _ in candidates])
        return claim_first(candidates, *args)

    monkeypatch.setattr(ben.calls, "lead", meanwhile)
    monkeypatch.setattr(ben.stores.claims, "claim_first", claim)
    assert ben.advance() is None and ben.claimed_until is None
    # Alone, Ben claims one lead at a time; once he lost Dana, his claim covers two.
    assert windows == [[1], [2, 3]]
    now = ben.clock.now()
    held = [(c.lead_id, c.rep) for c in ben.stores.claims.held(ben.list.id, now)]
    assert held == [(1, "Ana"), (2, "Cy")]
    assert [entry.lead.name for entry in ben.waiting()][:1] == ["Marcus Lee"]


def test_a_rep_back_at_the_list_gets_the_lead_they_still_hold(
    make_session: MakeSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = build_db(tmp_path, ONE_LEAD)
    first = rep_session(make_session, monkeypatch, "Ana", db=db)
    first.advance()
    first.record(Outcome.BUSY)  # Dana: a call in her history
    later(first, 16)  # 16:31, Dana's cool-down is over
    offer = first.advance()
    assert offer is not None and (offer.lead.name, offer.reason) == ("Dana Whitfield", "retry")
    assert [outcome for _, outcome, _ in offer.lead.history] == ["busy"]  # on the card
    # The screen closed without a call logged; back 4 minutes later.
    again = rep_session(make_session, monkeypatch, "Ana", db=db, now="2026-11-25T16:35:00+00:00")
    assert again.current is None
    held = again.resume_held()
    assert held is not None and (held.lead.name, held.reason) == ("Dana Whitfield", "held")
    assert held.verdict.allowed and again.current is held
    assert [outcome for _, outcome, _ in held.lead.history] == ["busy"]
    assert (again.shown_at, again.dialed_at) == (parse_instant("2026-11-25T16:31:00+00:00"), None)
    assert again.claimed_until == parse_instant("2026-11-25T16:50:00+00:00")  # renewed
    ben = rep_session(make_session, monkeypatch, "Ben", db=db, now="2026-11-25T16:35:00+00:00")
    assert ben.resume_held() is None  # Ben holds nothing; Dana is Ana's
    assert ben.advance() is None  # the list's one lead is Ana's


def test_a_held_lead_closed_meanwhile_is_not_brought_back(
    make_session: MakeSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = build_db(tmp_path)
    first = rep_session(make_session, monkeypatch, "Ana", db=db)
    offer = first.advance()
    assert offer is not None
    hand_edit(first, "UPDATE leads SET status = 'closed' WHERE id = ?", offer.lead.id)
    again = rep_session(make_session, monkeypatch, "Ana", db=db)
    assert again.resume_held() is None and again.current is None


def test_a_lead_held_on_another_list_stays_there(
    make_session: MakeSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = build_db(tmp_path)
    csv = tmp_path / "q1.csv"
    csv.write_text("Name,Phone,State\nKim Sato,(212) 555-0101,NY\n", encoding="utf-8")
    store = LeadStore(open_db(db))
    import_file(store, csv, ImportOptions(list_name="Q1", kind="consumer"), parse_instant(NOW))
    kim = store.db.execute("SELECT id FROM leads WHERE first_name = 'Kim'").fetchone()[0]
    session = rep_session(make_session, monkeypatch, "Ana", db=db)
    assert session.stores.claims.claim(kim, (0, "new"), "Ana", session.clock.now(), 15)
    assert session.resume_held() is None  # Kim is Ana's, on list Q1, not this list
    offer = session.advance()
    assert offer is not None and offer.lead.name == "Dana Whitfield"


def test_taking_a_lead_to_log_its_call(
    make_session: MakeSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `dialsmile log` takes the lead: it must be open and not another rep's.
    db = build_db(tmp_path)
    ana = rep_session(make_session, monkeypatch, "Ana", db=db)
    offer = ana.advance()  # Dana, Ana's until 16:30
    assert offer is not None
    dana = offer.lead
    ben = rep_session(make_session, monkeypatch, "Ben", db=db)
    later(ben, 2)
    with pytest.raises(HeldElsewhere) as held:
        ben.take(dana)
    assert str(held.value) == (
        f"Lead {dana.id} is held by Ana until 16:30 UTC; only they can log its call."
    )
    assert ben.current is None
    # Ana logs it 3 minutes after it was shown: the call is timed from then.
    later(ana, 3)
    again = rep_session(make_session, monkeypatch, "Ana", db=db, now="2026-11-25T16:18:00+00:00")
    taken = again.take(dana)
    assert (taken.lead.name, taken.reason, taken.verdict.allowed) == (
        "Dana Whitfield",
        "held",
        True,
    )
    assert again.current is taken and taken.lead.history == []
    assert (again.shown_at, again.dialed_at) == (parse_instant(NOW), None)
    assert again.claimed_until == parse_instant("2026-11-25T16:33:00+00:00")
    again.record(Outcome.NO)
    assert attempt_rows(again)[0][3:7] == (
        "2026-11-25T16:15:00+00:00", "2026-11-25T16:15:00+00:00",
        "2026-11-25T16:18:00+00:00", 180.0,
    )  # fmt: skip
    # A lead nobody holds is taken now; a closed one has no call to log.
    priya = ben.calls.lead(2)
    assert priya is not None and ben.take(priya).lead.name == "Priya Raman"
    assert ben.shown_at == parse_instant("2026-11-25T16:17:00+00:00")
    closed = ben.calls.lead(dana.id)
    assert closed is not None
    with pytest.raises(BadInput) as refused:
        ben.take(closed)
    assert str(refused.value) == (
        f"Lead {dana.id} is closed (last call: no); there is no call to log on it."
    )


def test_a_lead_read_before_another_rep_logged_it_cannot_be_taken(
    make_session: MakeSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = build_db(tmp_path)
    ben = rep_session(make_session, monkeypatch, "Ben", db=db)
    seen = ben.calls.lead(1)  # Dana as Ben read her, never called
    ana = rep_session(make_session, monkeypatch, "Ana", db=db)
    ana.advance()
    ana.record(Outcome.BUSY)  # Dana: retry, 1 attempt; Ana's claim let go
    assert seen is not None
    with pytest.raises(HeldElsewhere, match=r"^Lead 1 is held by another rep; only they can log"):
        ben.take(seen)
    fresh = ben.calls.lead(1)
    assert fresh is not None
    taken = ben.take(fresh)  # read again: Ana let it go, so it is Ben's to log
    assert [outcome for _, outcome, _ in taken.lead.history] == ["busy"]


def test_a_lead_marked_do_not_call_has_no_call_to_log(make_session: MakeSession) -> None:
    session = make_session(text=ONE_LEAD)
    session.dnc.add("+15125550134", "asked by email", ADDED)
    dana = session.calls.lead(1)
    assert dana is not None
    with pytest.raises(BadInput) as refused:
        session.take(dana)
    assert str(refused.value) == "Lead 1 is dnc (last call: none); there is no call to log on it."


# Overrides, the why panel and the light in rarer states

FLORIDA = "Name,Phone,State\nRosa Diaz,(305) 555-0142,FL\n"  # 11:15 in Miami at NOW
PRIYA = "Name,Phone,State\nPriya Raman,+1 212-555-0188,NY\n"


def test_a_lead_on_do_not_call_is_never_an_override_candidate(make_session: MakeSession) -> None:
    # 05:00 in Austin: Dana's hours are closed too, but an override can never
    # lift do-not-call, so there is nothing to override.
    settings = Settings(rep_name="Sam", rep_company="Acme", allow_overrides=True)
    session = make_session(text=ONE_LEAD, now=NIGHT, settings=settings)
    session.dnc.add("+15125550134", "asked by email", ADDED)
    assert session.override_candidate() is None
    # Marked do-not-call (an older database, a hand edit) with no list entry left.
    marked = make_session(text=ONE_LEAD, now=NIGHT, settings=settings)
    hand_edit(marked, "UPDATE leads SET status = 'dnc'")
    item = waiting_for(marked, "Dana")
    assert (item.why, item.next_at, item.later) == ("marked do-not-call", None, "never")
    assert marked.override_candidate() is None
    # Open, but its next number (after a bad main number) is on the list.
    text = "First Name,Last Name,Phone,Mobile Phone,State\nDana,Whitfield,(512) 555-0134,"
    moved = make_session(text=text + "(512) 555-0199,TX\n", now="2026-11-26T02:55:00+00:00",
                         settings=settings)  # fmt: skip
    moved.dnc.add(DANA_MOBILE, "asked by email", ADDED)
    moved.advance()  # 20:55 in Austin
    moved.record(Outcome.BAD_NUMBER)
    later(moved, 10)  # 21:05: the mobile is due, the window shut, the number on the list
    assert waiting_for(moved, "Dana").lead.status == "retry"
    assert moved.override_candidate() is None


def test_the_override_key_is_about_the_lead_on_screen_when_it_is_blocked(
    make_session: MakeSession,
) -> None:
    settings = Settings(rep_name="Sam", rep_company="Acme", allow_overrides=True)
    night = make_session(text=ONE_LEAD, now=NIGHT, settings=settings)
    lead = night.override_candidate()
    assert lead is not None and night.override(lead, "asked for 5am") is None
    assert night.override_candidate() is lead  # on screen and still outside its hours
    day = make_session(text=ONE_LEAD, settings=settings)
    offer = day.advance()
    assert offer is not None and day.override_candidate() is None
    day.dnc.add(offer.lead.phone, "asked by email", ADDED)  # while on screen
    assert day.override_candidate() is offer.lead
    assert day.override(offer.lead, "she said yes") == (
        "Dana Whitfield is on internal DNC (added 20 Nov): do-not-call can never be overridden."
    )


def test_an_override_logs_every_reason_and_shows_the_leads_calls(make_session: MakeSession) -> None:
    # 20:50 in Austin, one busy call; at 21:05 the window is shut and the
    # hour between calls the rep set is not over: two reasons, both logged.
    settings = Settings(rep_name="Sam", rep_company="Acme", allow_overrides=True,
                        min_gap_minutes=60)  # fmt: skip
    session = make_session(text=ONE_LEAD, now="2026-11-26T02:50:00+00:00", settings=settings)
    session.advance()
    session.record(Outcome.BUSY)
    later(session, 15)
    assert waiting_for(session, "Dana").why.endswith(
        "area code 512); the last call was 15 min ago and your minimum gap between calls is 1 h"
    )
    lead = session.override_candidate()
    assert lead is not None and session.override(lead, "she asked for 9pm") is None
    blocked = session.dnc.overrides(session.session_id)[0].blocked_because
    assert blocked.startswith("outside calling hours: it is 21:05 Central")
    assert blocked.endswith(
        "area code 512); the last call was 15 min ago and your minimum gap between calls is 1 h"
    )
    assert session.current is not None
    assert [outcome for _, outcome, _ in session.current.lead.history] == ["busy"]


def test_a_callback_due_after_hours_waits_with_every_reason(make_session: MakeSession) -> None:
    settings = Settings(rep_name="Sam", rep_company="Acme", min_gap_minutes=60)
    session = make_session(text=ONE_LEAD, now="2026-11-26T02:50:00+00:00", settings=settings)
    session.advance()  # 20:50 in Austin
    session.record(Outcome.CALLBACK, callback_at=parse_instant("2026-11-26T03:05:00+00:00"))
    item = waiting_for(session, "Dana")  # booked for 21:05, after the window, within the hour
    assert item.why.startswith("callback booked, then outside calling hours: it is 21:05 Central")
    assert item.why.endswith(
        "area code 512); the last call was 15 min ago and your minimum gap between calls is 1 h"
    )
    assert item.next_at == parse_instant("2026-11-26T15:00:00+00:00")  # Texas: from 09:00


def test_a_callback_that_came_due_as_the_window_shut_waits_for_the_morning(
    make_session: MakeSession,
) -> None:
    session = make_session(text=PRIYA)
    session.advance()
    session.record(Outcome.CALLBACK, callback_at=parse_instant("2026-11-26T01:50:00+00:00"))
    session.clock = Clock(parse_instant("2026-11-26T02:05:00+00:00"), running=False)
    assert session.advance() is None  # 21:05 in New York: due, but the window is shut
    item = waiting_for(session, "Priya")
    assert item.why.startswith("outside calling hours: it is 21:05 Eastern")
    assert item.next_at == parse_instant("2026-11-26T13:00:00+00:00")  # 08:00 in New York


def test_a_callback_or_retry_is_offered_at_its_very_second(make_session: MakeSession) -> None:
    session = make_session(text=ONE_LEAD)
    session.advance()
    session.record(Outcome.CALLBACK, callback_at=parse_instant("2026-11-25T20:00:00+00:00"))
    session.clock = Clock(parse_instant("2026-11-25T20:00:00+00:00"), running=False)
    assert session.waiting() == []  # not waiting any more: due now
    offer = session.advance()
    assert offer is not None and offer.reason == "callback due"
    session.record(Outcome.BUSY)  # back in 15 minutes
    later(session, 15)
    assert session.waiting() == []
    offer = session.advance()
    assert offer is not None and offer.reason == "retry"


def test_the_light_warns_before_the_call_that_reaches_a_cap(make_session: MakeSession) -> None:
    # Florida: at most three calls to one person in 24 hours (Fla. Stat. 501.616).
    session = make_session(text=FLORIDA)
    colours = []
    for _ in range(3):
        offer = session.advance()
        assert offer is not None and offer.lead.name == "Rosa Diaz"
        found = session.light()
        assert found is not None
        colours.append((found.colour, found.text.split(":")[0]))
        session.record(Outcome.BUSY)
        later(session, 15)
    assert colours == [
        ("green", "open"), ("green", "open"), ("amber", "last call before the cap"),
    ]  # fmt: skip
    assert session.advance() is None  # three calls since 16:15: the fourth waits a day
    assert waiting_for(session, "Rosa").next_at == parse_instant("2026-11-26T16:15:00+00:00")
    rosa = session.calls.lead(1)
    assert rosa is not None
    session.take(rosa)  # to log a call made from another phone
    found = session.light()
    assert found is not None and found.colour == "red"


def test_undo_shows_the_calls_before_the_undone_one(make_session: MakeSession) -> None:
    session = make_session(text=ONE_LEAD)
    session.advance()
    session.record(Outcome.BUSY)
    later(session, 15)
    session.advance()
    session.record(Outcome.NO)
    lead = session.undo()
    assert lead is not None and [outcome for _, outcome, _ in lead.history] == ["busy"]


def test_the_dial_command_runs_detached_from_the_screen(
    make_session: MakeSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The dialer never reads the rep's keys or writes over the screen, and a
    # call it starts outlives the session (its own process session).
    started: list[tuple[object, dict[str, object]]] = []

    class Recorded:
        def __init__(self, args: object, **options: object) -> None:
            started.append((args, options))

    monkeypatch.setattr(subprocess, "Popen", Recorded)
    settings = Settings(rep_name="Sam", rep_company="Acme", dial_command="dialer {e164}")
    session = make_session(text=ONE_LEAD, settings=settings)
    session.advance()
    assert session.dial() is None
    assert started == [
        (
            ["dialer", "+15125550134"],
            {
                "stdin": subprocess.DEVNULL,
                "stdout": subprocess.DEVNULL,
                "stderr": subprocess.DEVNULL,
                "start_new_session": True,
            },
        )
    ]


# Reading the queue ahead: limits and calling windows found closed


def far_then_near(far: int) -> str:
    """``far`` leads in Hawaii and Alaska (asleep at NOW), then one in New York."""
    rows = ["Name,Phone,State"]
    for n in range(far):
        npa, state = [("808", "HI"), ("907", "AK")][n % 2]
        rows.append(f"Far {n},+1{npa}{2000000 + n},{state}")
    return "\n".join([*rows, "Near York,+12125550188,NY"]) + "\n"


def test_a_pick_that_stops_at_its_row_limit_says_there_is_more_to_read(
    make_session: MakeSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each pick reads a bounded number of queue entries; one that stops there
    # must not say "nothing to call" while a callable lead lies further down.
    monkeypatch.setattr(session_module, "ROW_LIMIT", 2)
    session = make_session(text=far_then_near(3))
    assert session.advance() is None and session.more_to_read  # read Far 0 and Far 1
    offer = session.advance()  # reads on after Far 1
    assert offer is not None and offer.lead.name == "Near York"


def test_leads_passed_for_a_closed_window_come_back_the_second_it_opens(
    make_session: MakeSession,
) -> None:
    # 07:30 in New York: its window opens at 08:00 (13:00 UTC), Chicago's at
    # 08:00 CST (14:00 UTC), Hawaii's at 08:00 HST (18:00 UTC). A lead passed
    # over is offered from its window's first second, not before.
    text = (
        "Name,Phone,State\nYork Early,+12125550188,NY\nHana Far,(808) 555-0110,HI\n"
        "Chi Mid,(312) 555-0177,IL\nHilo Far,(808) 555-0111,HI\n"
    )
    session = make_session(text=text, now="2026-11-25T12:30:00+00:00")
    opened = {}
    for at in ("12:59:59", "13:00:00", "13:59:59", "14:00:00", "17:59:59", "18:00:00"):
        session.clock = Clock(parse_instant(f"2026-11-25T{at}+00:00"), running=False)
        opened[at] = work(session, {})
    assert opened == {
        "12:59:59": [], "13:00:00": ["York"], "13:59:59": [], "14:00:00": ["Chi"],
        "17:59:59": [], "18:00:00": ["Hana", "Hilo"],
    }  # fmt: skip


def test_leads_on_do_not_call_at_the_top_of_a_queue_are_read_past_a_few_per_pick(
    make_session: MakeSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # After a bad main number each lead's mobile is next, due now; four of
    # those mobiles are on the internal list and are never offered.
    rows = [f"Barred{n},Lead,+1212555010{n},+1212555020{n},NY" for n in range(1, 5)]
    text = "\n".join(
        ["First Name,Last Name,Phone,Mobile Phone,State", *rows,
         "Near,York,+12125550188,+12125550299,NY"]
    )  # fmt: skip
    session = make_session(text=text + "\n")
    for n in range(1, 5):
        session.dnc.add(f"+1212555020{n}", "asked by email", ADDED)
    for _ in range(5):
        session.advance()
        session.record(Outcome.BAD_NUMBER)
    monkeypatch.setattr(session_module, "SCAN_LIMIT", 2)  # two leads checked per pick
    picks: list[object] = []
    for _ in range(10):  # each pick reads on where the last one stopped
        offer = session.advance()
        picks.append(offer.lead.phone if offer else session.more_to_read)
        if offer:
            break
    assert picks == [True, True, "+12125550299"]


def test_a_retry_due_after_the_window_shut_says_the_hours_not_the_cool_down(
    make_session: MakeSession,
) -> None:
    session = make_session(text=PRIYA, now="2026-11-26T01:50:00+00:00")  # 20:50 in New York
    session.advance()
    session.record(Outcome.BUSY)  # due again at 21:05, after the window
    later(session, 20)
    item = waiting_for(session, "Priya")
    assert item.why.startswith("outside calling hours: it is 21:10 Eastern")
    assert item.next_at == parse_instant("2026-11-26T13:00:00+00:00")


def test_a_retry_without_a_last_outcome_waits_after_a_call(make_session: MakeSession) -> None:
    # A retry whose last outcome was never stored (an older database).
    session = make_session(text=ONE_LEAD)
    hand_edit(
        session,
        """UPDATE leads SET status = 'retry', attempts = 1, last_outcome = NULL,
                            next_call_at = '2026-11-25T17:00:00+00:00'""",
    )
    item = waiting_for(session, "Dana")
    assert (item.why, item.next_at) == (
        "retry cool-down after a call", parse_instant("2026-11-25T17:00:00+00:00"),
    )  # fmt: skip


def test_the_why_panel_applies_the_state_column_and_the_list_kind(
    make_session: MakeSession, tmp_path: Path
) -> None:
    # A New York number whose lead lives in Florida: Florida's 20:00 close applies.
    moved = make_session(
        text="Name,Phone,State\nKim Sato,(212) 555-0101,FL\n", now="2026-11-26T01:05:00+00:00"
    )
    assert moved.advance() is None
    item = waiting_for(moved, "Kim")
    assert item.why.startswith("outside calling hours: it is 20:05 Eastern")
    assert "Florida" in item.why
    assert item.next_at == parse_instant("2026-11-26T13:00:00+00:00")  # 08:00 in Miami
    # Texas' 09:00 start is for consumers; a business list opens at the federal 08:00.
    consumer = make_session(text=ONE_LEAD, now=NIGHT)
    assert waiting_for(consumer, "Dana").next_at == parse_instant("2026-11-25T15:00:00+00:00")
    business_db = build_db(tmp_path, ONE_LEAD, kind="business")
    business = make_session(db=business_db, now=NIGHT)
    assert waiting_for(business, "Dana").next_at == parse_instant("2026-11-25T14:00:00+00:00")
    at_half_past_eight = make_session(db=business_db, now="2026-11-25T14:30:00+00:00")
    offer = at_half_past_eight.advance()  # 08:30 in Austin: a business may be called
    assert offer is not None and offer.lead.name == "Dana Whitfield"


def test_another_reps_call_on_a_retry_while_the_queue_is_read_puts_it_back_in_cool_down(
    make_session: MakeSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = build_db(tmp_path, ONE_LEAD)
    ana = rep_session(make_session, monkeypatch, "Ana", db=db)
    ana.advance()
    ana.record(Outcome.BUSY)  # due again at 16:30
    later(ana, 16)
    ben = rep_session(make_session, monkeypatch, "Ben", db=db, now="2026-11-25T16:31:00+00:00")
    read = ben.calls.lead

    def meanwhile(lead_id: int):  # type: ignore[no-untyped-def]
        if ana.current is None and ana.handled == 1:
            ana.advance()  # Ana calls Dana again: busy, due at 16:46
            ana.record(Outcome.BUSY)
        return read(lead_id)

    monkeypatch.setattr(ben.calls, "lead", meanwhile)
    assert ben.advance() is None  # Ben's queue read Dana due; she is not any more
    dana = ben.calls.lead(1)
    assert dana is not None and (dana.attempts, dana.status) == (2, "retry")


def test_a_skipped_lead_once_called_is_like_any_other(make_session: MakeSession) -> None:
    # Dana is skipped, comes back when nothing else can be called, and books a
    # callback: at its time she comes before Tom, whose Honolulu morning opened.
    session = make_session()
    first = session.advance()
    assert first is not None and first.lead.name == "Dana Whitfield"
    session.record(Outcome.SKIP)
    names = []
    while (offer := session.advance()) is not None and offer.lead.name != "Dana Whitfield":
        names.append(offer.lead.name.split()[0])
        session.record(Outcome.NO)
    assert names == ["Priya", "Marcus", "[bold"] and offer is not None
    session.record(Outcome.CALLBACK, callback_at=parse_instant("2026-11-25T18:05:00+00:00"))
    session.clock = Clock(parse_instant("2026-11-25T18:05:00+00:00"), running=False)
    offer = session.advance()
    assert offer is not None and (offer.lead.name, offer.reason) == (
        "Dana Whitfield",
        "callback due",
    )


def test_a_lead_abroad_outside_its_hours_holds_back_no_other_country(
    make_session: MakeSession,
) -> None:
    # 03:15 in Sydney (closed), 17:15 in Paris (open): the French lead is offered.
    text = (
        "Name,Phone,Country\nBruce Lee,+61 2 9374 4000,Australia\n"
        "Amelie Blanc,+33 1 42 68 53 00,France\n"
    )
    session = make_session(text=text)
    offer = session.advance()
    assert offer is not None and offer.lead.name == "Amelie Blanc"
