"""Claims: one lead is never held by two reps, however many claim at once."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from dialsmile.config import parse_instant
from dialsmile.storage.claims import ClaimStore
from dialsmile.storage.db import open_db
from dialsmile.storage.postgres.db import open_pg
from tests.conftest import NOW

T0 = parse_instant(NOW)
LEADS = 400
REPS = 16


def _open(any_db: str):  # type: ignore[no-untyped-def]
    return open_pg(any_db) if any_db.startswith("postgresql://") else open_db(Path(any_db))


def _fill(db, leads: int) -> None:  # type: ignore[no-untyped-def]
    db.execute("INSERT INTO lists (name, kind, created_at) VALUES ('Q4', 'business', ?)", [NOW])
    db.conn.executemany(
        "INSERT INTO leads (list_id, position, phone, created_at) VALUES (1, ?, ?, ?)",
        [(n, f"+1512555{n:04d}", NOW) for n in range(1, leads + 1)],
    )


def _open_leads(db, rep: str, limit: int = 8) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    """The first open leads no other rep holds, as a rep's queue reads them."""
    return [
        (int(r[0]), int(r[1]), str(r[2]))
        for r in db.execute(
            """SELECT id, attempts, status FROM leads d WHERE status = 'new' AND NOT EXISTS (
                 SELECT 1 FROM claims c WHERE c.lead_id = d.id AND c.rep != ?
                 AND c.claimed_until > ?) ORDER BY position LIMIT ?""",
            [rep, NOW, limit],
        ).fetchall()
    ]


def test_many_reps_claiming_at_once_never_share_a_lead(any_db: str) -> None:
    """16 reps, each on its own connection, claim, log a call and claim the next as fast
    as they can, all reading the same queue: every lead is worked by exactly one rep."""
    setup = _open(any_db)
    _fill(setup, LEADS)
    setup.conn.close()
    won: list[tuple[int, str]] = []
    latencies: list[float] = []
    errors: list[BaseException] = []
    start = threading.Barrier(REPS)

    def rep(name: str) -> None:
        try:
            db = _open(any_db)
            claims = ClaimStore(db)
            start.wait()
            while candidates := _open_leads(db, name):
                for lead_id, attempts, status in candidates:
                    began = time.perf_counter()
                    until = claims.claim(lead_id, (attempts, status), name, T0, 15)
                    latencies.append(time.perf_counter() - began)
                    if until is None:
                        continue
                    won.append((lead_id, name))
                    # The call is logged: the lead is no longer new and its claim goes.
                    db.execute(
                        "UPDATE leads SET status = 'retry', attempts = attempts + 1 WHERE id = ?",
                        [lead_id],
                    )
                    claims.release(name, lead_id)
                    break
            db.conn.close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=rep, args=(f"rep{n:02d}",)) for n in range(REPS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    per_lead = Counter(lead for lead, _ in won)
    assert sorted(per_lead) == list(range(1, LEADS + 1))  # every lead worked
    assert [lead for lead, n in per_lead.items() if n > 1] == []  # by one rep each
    assert len({name for _, name in won}) > 1  # and the reps did work side by side


def test_a_claim_holds_the_lead_until_it_runs_out_or_is_released(any_db: str) -> None:
    db = _open(any_db)
    _fill(db, 3)
    claims = ClaimStore(db)
    new = (0, "new")
    assert claims.claim(1, new, "ann", T0, 15) == T0 + timedelta(minutes=15)
    assert claims.claim(1, new, "bob", T0 + timedelta(minutes=14), 15) is None
    holder = claims.holder(1, T0)
    assert holder is not None and holder.rep == "ann"
    # Ann's process died: the claim runs out and the lead returns.
    assert claims.claim(1, new, "bob", T0 + timedelta(minutes=15), 15) is not None
    assert claims.holder(1, T0 + timedelta(minutes=16)).rep == "bob"  # type: ignore[union-attr]
    # A rep holds the lead in front of them: claiming the next lets the last one go.
    assert claims.claim(2, new, "bob", T0 + timedelta(minutes=16), 15) is not None
    assert claims.holder(1, T0 + timedelta(minutes=16)) is None
    # A call logged since the rep read the lead: the claim is refused.
    assert claims.claim(3, (1, "retry"), "ann", T0, 15) is None
    assert claims.release("bob") == 1
    assert claims.held(1, T0) == []


@pytest.mark.parametrize("minutes", [1, 15, 90])
def test_the_claim_runs_for_the_minutes_set(any_db: str, minutes: int) -> None:
    db = _open(any_db)
    _fill(db, 1)
    assert ClaimStore(db).claim(1, (0, "new"), "ann", T0, minutes) == T0 + timedelta(
        minutes=minutes
    )


def test_reps_working_one_list_in_sessions_call_each_lead_once(any_db: str) -> None:
    """Four reps' sessions, each on its own connection, pick and log calls side by side:
    no lead is called twice (a lead another rep logged while this rep's queue page was
    read is passed over), and every logged call is stored."""
    from dialsmile.config import Clock, Settings
    from dialsmile.core.models import Outcome
    from dialsmile.core.session import CallSession
    from dialsmile.storage.stores import open_stores

    setup = _open(any_db)
    _fill(setup, 120)
    setup.execute("UPDATE leads SET timezones = '[\"America/Chicago\"]', state = 'TX'")
    setup.conn.close()
    logged: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)
    outcomes = [Outcome.NO_ANSWER, Outcome.VOICEMAIL, Outcome.NO, Outcome.YES]

    def rep(name: str) -> None:
        try:
            db = _open(any_db)
            stores = open_stores(db, rep=name)
            session = CallSession(stores, stores.lists.get_list("Q4"), Settings(), Clock(T0))
            start.wait()
            n = 0
            while (offer := session.advance()) is not None:
                session.record(outcomes[n % len(outcomes)])
                logged.append(offer.lead.id)
                n += 1
            session.end()
            db.conn.close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=rep, args=(f"rep{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(logged) == list(range(1, 121))
    check = _open(any_db)
    assert check.execute("SELECT count(*) FROM attempts").fetchone()[0] == 120
    assert check.execute("SELECT count(*) FROM claims").fetchone()[0] == 0


def test_a_window_claim_takes_the_first_lead_still_as_read_and_free(any_db: str) -> None:
    """A rep's window is the next leads of their queue as they read them: the claim takes
    the first one nobody holds and nobody called since, in the rep's order."""
    db = _open(any_db)
    _fill(db, 6)
    claims = ClaimStore(db)
    window = [(n, 0, "new") for n in range(1, 6)]
    assert claims.claim(2, (0, "new"), "ann", T0, 15) is not None  # Ann holds lead 2
    db.execute("UPDATE leads SET status = 'retry', attempts = 1 WHERE id = 1")  # lead 1 called
    # Lead 1 was called since Bob read it, lead 2 is Ann's: lead 3 is Bob's.
    assert claims.claim_first(window, "bob", T0, 15) == (3, T0 + timedelta(minutes=15))
    # The rest of the same window: lead 3 is Bob's already, so he renews it; then lead 4
    # is his and lead 3 is let go (a rep holds the lead in front of them).
    assert claims.claim_first(window[2:], "bob", T0, 15) == (3, T0 + timedelta(minutes=15))
    assert claims.claim_first(window[3:], "bob", T0, 15) == (4, T0 + timedelta(minutes=15))
    assert [(c.lead_id, c.rep) for c in claims.held(1, T0)] == [(2, "ann"), (4, "bob")]
    # Nothing left in a window: no claim, and Bob keeps the lead he holds.
    assert claims.claim_first(window[:2], "bob", T0, 15) is None
    assert [(c.lead_id, c.rep) for c in claims.held(1, T0)] == [(2, "ann"), (4, "bob")]
    # Ann's claim runs out at 15 minutes: lead 2 is anyone's again, and comes first.
    later = T0 + timedelta(minutes=15)
    assert claims.claim_first(window, "cy", later, 15) == (2, later + timedelta(minutes=15))


def test_a_lead_another_rep_is_taking_this_instant_is_passed_over_not_waited_on(
    pg_url: str,
) -> None:
    """On PostgreSQL a lead whose row another rep's claim has locked (its transaction not
    yet done) is skipped at once: the next lead of the window is taken."""
    db = open_pg(pg_url)
    _fill(db, 3)
    other = open_pg(pg_url)
    other.execute("BEGIN")
    other.execute("SELECT id FROM leads WHERE id = 1 FOR UPDATE")  # Ann is taking lead 1
    db.execute("SET statement_timeout = '5s'")  # a wait would fail the claim, not hang
    began = time.perf_counter()
    won = ClaimStore(db).claim_first([(1, 0, "new"), (2, 0, "new")], "bob", T0, 15)
    assert won is not None and won[0] == 2
    assert time.perf_counter() - began < 2
    other.execute("ROLLBACK")
    other.conn.close()


def test_reps_claiming_from_windows_read_long_ago_never_share_a_lead(any_db: str) -> None:
    """16 reps, each on its own connection, read a window of the 16 first open leads once
    and claim from it again and again while the others log calls: a lead called or held
    by another rep since the window was read is never taken, so every lead is worked by
    exactly one rep."""
    setup = _open(any_db)
    _fill(setup, LEADS)
    setup.conn.close()
    won: list[tuple[int, str]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(REPS)

    def rep(name: str) -> None:
        try:
            db = _open(any_db)
            claims = ClaimStore(db)
            start.wait()
            while window := _open_leads(db, name, limit=REPS):
                for _ in window:  # at most one lead of the window each
                    taken = claims.claim_first(window, name, T0, 15)
                    if taken is None:
                        break
                    lead_id = taken[0]
                    won.append((lead_id, name))
                    db.execute(  # the call is logged, as a session logs it
                        "UPDATE leads SET status = 'retry', attempts = attempts + 1 WHERE id = ?",
                        [lead_id],
                    )
                    claims.release(name, lead_id)
            db.conn.close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=rep, args=(f"rep{n:02d}",)) for n in range(REPS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    per_lead = Counter(lead for lead, _ in won)
    assert [lead for lead, n in per_lead.items() if n > 1] == []  # no lead worked twice
    assert sorted(per_lead) == list(range(1, LEADS + 1))  # and every lead worked
    assert len({name for _, name in won}) > 1
