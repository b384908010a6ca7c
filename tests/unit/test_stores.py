"""The store interfaces of ``core/stores.py``, asked only through their Protocols.

Every backend must pass these: each test runs on SQLite and on PostgreSQL. The leads come in
through `dialsmile import`, as a rep's do.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from dialsmile.config import parse_instant
from dialsmile.core.models import LeadView, Override
from dialsmile.core.stores import AttemptRecord, Stores
from dialsmile.errors import NotFound
from tests.conftest import NOW, RunCli, stores_at

pytestmark = pytest.mark.both_engines

T0 = parse_instant(NOW)
LEADS = """\
Name,Company,Phone,Notes
Ann Lee,Acme,+1 512 555 0100,first in the file
Bo Li,Initech,+1 512 555 0101,
Cy Ng,Globex,+1 512 555 0102,
"""


@pytest.fixture
def opened(run_cli: RunCli, tmp_path: Path, db: str) -> Stores:
    source = tmp_path / "leads.csv"
    source.write_text(LEADS, encoding="utf-8")
    assert run_cli("import", str(source), "--list", "L").exit_code == 0
    return stores_at(db)


def lead(opened: Stores, name: str) -> LeadView:
    list_id = opened.lists.get_list("L").id
    for found in opened.calls.queued(list_id, "new", T0, 10):
        if found.name == name:
            return found
    raise AssertionError(f"{name} is not in the new queue")


def call(
    opened: Stores, session_id: int, who: LeadView, outcome: str, minutes: float
) -> AttemptRecord:
    at = T0 + timedelta(minutes=minutes)
    return AttemptRecord(
        lead_id=who.id,
        session_id=session_id,
        phone=who.phone,
        extension=who.extension,
        outcome=outcome,
        shown_at=at - timedelta(seconds=20),
        started_at=at - timedelta(seconds=10),
        ended_at=at,
        duration_s=10.0,
        dialed=True,
        note=f"{outcome} note",
        chunk=1,
    )


def test_a_list_is_found_by_name_and_a_missing_one_named(opened: Stores) -> None:
    found = opened.lists.get_list("L")
    assert (found.name, found.kind) == ("L", "consumer")
    with pytest.raises(NotFound, match="Nope"):
        opened.lists.get_list("Nope")


def test_the_new_queue_reads_in_list_order_and_resumes_after_a_key(opened: Stores) -> None:
    list_id = opened.lists.get_list("L").id
    entries = list(opened.calls.queue(list_id, "new", T0))
    assert [e.phone for e in entries] == ["+15125550100", "+15125550101", "+15125550102"]
    rest = list(opened.calls.queue(list_id, "new", T0, entries[0].key))
    assert [e.phone for e in rest] == ["+15125550101", "+15125550102"]
    assert opened.calls.open_count(list_id) == 3
    assert opened.calls.open_count(list_id, cap=2) == 2


def test_one_session_row_from_both_stores(opened: Stores) -> None:
    list_id = opened.lists.get_list("L").id
    session_id = opened.calls.start_session(list_id, T0, 10, "saas-discovery", "1")
    opened.calls.add_paused(session_id, 30.0)
    opened.calls.add_paused(session_id, 15.0)
    resumable = opened.calls.open_session(list_id, T0 - timedelta(hours=1))
    assert resumable == opened.stats.session(session_id)
    assert resumable is not None
    assert (resumable.list_name, resumable.chunk_size, resumable.paused_s) == ("L", 10, 45.0)
    assert (resumable.script, resumable.script_version, resumable.ended_at) == (
        "saas-discovery",
        "1",
        None,
    )
    opened.calls.end_session(session_id, T0 + timedelta(hours=1))
    assert opened.calls.open_session(list_id, T0 - timedelta(hours=1)) is None
    ended = opened.stats.session(session_id)
    assert ended is not None and ended.ended_at == T0 + timedelta(hours=1)
    assert opened.stats.session(session_id + 1) is None


def test_record_then_undo_leaves_the_lead_as_it_was(opened: Stores) -> None:
    list_id = opened.lists.get_list("L").id
    session_id = opened.calls.start_session(list_id, T0, 10, None, None)
    ann = lead(opened, "Ann Lee")
    before = opened.calls.lead(ann.id)
    opened.calls.record(
        call(opened, session_id, ann, "do-not-call", 1),
        {"status": "dnc", "attempts": 1, "last_outcome": "do-not-call"},
        dnc_reason="asked not to be called",
    )
    after = opened.calls.lead(ann.id)
    assert after is not None and (after.status, after.attempts) == ("dnc", 1)
    assert [e.source for e in opened.dnc.lookup(ann.phone)] == ["internal"]
    assert [d.id for d in opened.calls.dnc_leads(list_id, 10)] == [ann.id]
    assert opened.calls.session_outcomes(session_id) == [(ann.id, "do-not-call", 1)]

    assert opened.calls.undo_last(session_id) == ann.id
    assert opened.calls.lead(ann.id) == before
    assert opened.dnc.lookup(ann.phone) == []
    assert opened.calls.session_outcomes(session_id) == []
    assert opened.calls.undo_last(session_id) is None


def test_a_skip_is_not_a_call(opened: Stores) -> None:
    list_id = opened.lists.get_list("L").id
    session_id = opened.calls.start_session(list_id, T0, 10, None, None)
    bo = lead(opened, "Bo Li")
    opened.calls.record(call(opened, session_id, bo, "skip", 1), {})
    opened.calls.record(
        call(opened, session_id, bo, "no-answer", 2),
        {"status": "retry", "attempts": 1, "next_call_at": T0 + timedelta(hours=4)},
    )
    since = T0 - timedelta(days=1)
    assert [o for _, o in opened.calls.calls_since(bo.id, since)] == ["no-answer"]
    assert [o for _, o in opened.calls.phone_calls_since(bo.phone, since)] == ["no-answer"]
    assert [(o, n) for _, o, n in opened.calls.history(bo.id)] == [("no-answer", "no-answer note")]
    # Both are attempts of the session, for the statistics.
    assert [a.outcome for a in opened.stats.session_attempts(session_id)] == ["skip", "no-answer"]
    # The retry waits for its cool-down, then comes due.
    assert [w.id for w in opened.calls.waiting_later(list_id, T0, 10)] == [bo.id]
    later = T0 + timedelta(hours=5)
    assert [e.lead_id for e in opened.calls.queue(list_id, "retry", later)] == [bo.id]


def test_notes_intro_emails_and_overrides(opened: Stores) -> None:
    cy = lead(opened, "Cy Ng")
    opened.calls.update_notes(cy.id, "call after lunch")
    found = opened.calls.lead(cy.id)
    assert found is not None and found.notes == "call after lunch"
    assert opened.intro_emails.sent_at(cy.id) is None
    opened.intro_emails.mark_sent(cy.id, T0)
    assert opened.intro_emails.sent_at(cy.id) == T0
    override = Override(cy.id, None, cy.phone, T0, "Sam", "asked for it", "after hours")
    assert opened.dnc.add_override(override) > 0
    assert opened.dnc.latest_copy("national") is None


def test_the_reps_history_counts_calls_not_skips(opened: Stores) -> None:
    list_id = opened.lists.get_list("L").id
    session_id = opened.calls.start_session(list_id, T0, 10, None, None)
    ann, bo, cy = (lead(opened, name) for name in ("Ann Lee", "Bo Li", "Cy Ng"))
    tomorrow = T0 + timedelta(days=1)
    opened.calls.record(call(opened, session_id, ann, "yes", 1), {"status": "won"})
    opened.calls.record(call(opened, session_id, bo, "skip", 2), {})
    opened.calls.record(call(opened, session_id, bo, "no", 3), {"status": "closed"})
    opened.calls.record(
        call(opened, session_id, cy, "callback", 4),
        {"status": "callback", "callback_at": tomorrow},
    )
    today = opened.stats.attempts_between(T0 - timedelta(hours=1), T0 + timedelta(hours=1))
    assert [a.outcome for a in today] == ["yes", "skip", "no", "callback"]
    assert opened.stats.attempts_between(T0, T0, exclude_session=session_id) == []
    hours = opened.stats.dials_per_hour(T0 - timedelta(days=1), tomorrow, 100)
    assert sum(d for _, d, _ in hours) == 3 and sum(c for _, _, c in hours) == 3
    assert opened.stats.next_callbacks(list_id, T0) == [("Cy Ng", tomorrow)]
    assert opened.stats.next_callbacks(None, tomorrow + timedelta(minutes=1)) == []
    history = opened.stats.history(None, T0 + timedelta(minutes=10), "America/Chicago")
    assert (history.dials, history.yeses, history.dials_since_yes) == (3, 1, 2)
    assert len(history.today) == 4
    assert (
        opened.stats.history(session_id, T0 + timedelta(minutes=10), "America/Chicago").dials == 0
    )
