"""Claims at their edges, on both engines: a call logged without a change of status, a
lead marked do-not-call with no call, a hold read the second it runs out, letting go of
one lead, and the holds of one list."""

from __future__ import annotations

from datetime import timedelta

from dialsmile.storage.claims import ClaimStore
from tests.unit.test_claims import T0, _fill, _open

MINUTE = timedelta(minutes=1)


def test_a_lead_called_again_since_the_rep_read_it_is_not_claimed(any_db: str) -> None:
    """Lead 1 was a retry with one call when Bob read it; Ann called it again since (it is
    still a retry, with two calls): Bob's claim passes it over."""
    db = _open(any_db)
    _fill(db, 2)
    db.execute("UPDATE leads SET status = 'retry', attempts = 2 WHERE id = 1")
    claims = ClaimStore(db)
    window = [(1, 1, "retry"), (2, 0, "new")]
    assert claims.claim_first(window, "bob", T0, 15) == (2, T0 + 15 * MINUTE)


def test_a_lead_put_on_do_not_call_since_the_rep_read_it_is_not_claimed(any_db: str) -> None:
    """No call was logged on lead 1 (its attempts are as read), but its number went on
    do-not-call: its status changed, so the claim passes it over."""
    db = _open(any_db)
    _fill(db, 2)
    db.execute("UPDATE leads SET status = 'dnc' WHERE id = 1")
    claims = ClaimStore(db)
    assert claims.claim(1, (0, "new"), "bob", T0, 15) is None
    assert claims.claim_first([(1, 0, "new"), (2, 0, "new")], "bob", T0, 15) == (
        2,
        T0 + 15 * MINUTE,
    )


def test_a_hold_is_read_as_running_until_the_second_it_runs_out(any_db: str) -> None:
    db = _open(any_db)
    _fill(db, 1)
    claims = ClaimStore(db)
    until = claims.claim(1, (0, "new"), "ann", T0, 15)
    assert until == T0 + 15 * MINUTE
    last_second = until - timedelta(seconds=1)
    holder = claims.holder(1, last_second)
    assert holder is not None and (holder.rep, holder.claimed_until) == ("ann", until)
    assert [c.lead_id for c in claims.held_by("ann", last_second)] == [1]
    assert [c.lead_id for c in claims.held(1, last_second)] == [1]
    assert claims.holder(1, until) is None
    assert claims.held_by("ann", until) == []
    assert claims.held(1, until) == []


def test_letting_go_of_one_lead_keeps_the_others(any_db: str) -> None:
    db = _open(any_db)
    _fill(db, 3)
    claims = ClaimStore(db)
    assert claims.claim(1, (0, "new"), "ann", T0, 15) is not None
    assert claims.claim(2, (0, "new"), "bob", T0, 15) is not None
    assert claims.release("ann", 2) == 0  # Bob's lead: not Ann's to let go
    assert claims.release("ann", 3) == 0  # a lead nobody holds
    assert [(c.lead_id, c.rep) for c in claims.held(1, T0)] == [(1, "ann"), (2, "bob")]
    assert claims.release("ann", 1) == 1
    assert [(c.lead_id, c.rep) for c in claims.held(1, T0)] == [(2, "bob")]
    assert claims.release("ann") == 0  # quitting: only her own, and she holds none now
    assert [(c.lead_id, c.rep) for c in claims.held(1, T0)] == [(2, "bob")]


def test_the_holds_of_a_list_are_that_lists_only(any_db: str) -> None:
    db = _open(any_db)
    _fill(db, 1)
    db.execute(
        "INSERT INTO lists (name, kind, created_at) VALUES ('Q1', 'business', ?)", [T0.isoformat()]
    )
    db.execute(
        "INSERT INTO leads (list_id, position, phone, created_at) VALUES (2, 1, '+15125559999', ?)",
        [T0.isoformat()],
    )
    claims = ClaimStore(db)
    assert claims.claim(1, (0, "new"), "ann", T0, 15) is not None
    assert claims.claim(2, (0, "new"), "bob", T0, 15) is not None
    assert [(c.lead_id, c.rep) for c in claims.held(1, T0)] == [(1, "ann")]
    assert [(c.lead_id, c.rep) for c in claims.held(2, T0)] == [(2, "bob")]
