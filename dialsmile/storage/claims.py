"""Claims: a lead shown to one rep is held for them until it is handled or runs out.

A claim is one row per lead (``claims.lead_id`` is its key), so no lead is ever
held by two reps. Taking one is one statement over a window of candidates,
the next few leads of the rep's queue in order: it takes the first whose row
is as the rep read it (nobody logged a call on it since) and that no other
rep holds, and lets go of the rep's other leads. On PostgreSQL it locks that
lead's row with ``FOR UPDATE SKIP LOCKED`` (a lead another rep is taking this
instant is passed over, never waited on, as dialer hoppers do) and the write
only lands where no other rep's claim is still running, which also refuses a
claim committed after the statement began; the statement is its own
transaction, one round trip. On SQLite the write lock makes the same
statement safe. Reps racing for the front of one queue thus each get a
different lead at once instead of losing leads to each other one by one.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from dialsmile.core.stores import Candidate, ClaimRow
from dialsmile.storage.db import on_postgres
from dialsmile.storage.leads import utc_text
from dialsmile.storage.notify import CHANNEL, tell_the_floor
from dialsmile.storage.tx import retried, transaction

if TYPE_CHECKING:
    from dialsmile.storage.dbapi import Db

# The candidates, one JSON array of [lead id, attempts, status] in the rep's order, as
# rows: one statement text whatever their number, so the server plans it once.
_SEEN = {
    "postgresql": """
        SELECT (e ->> 0)::bigint AS id, (e ->> 1)::bigint AS attempts, e ->> 2 AS status, place
        FROM jsonb_array_elements(CAST(? AS jsonb)) WITH ORDINALITY AS c (e, place)""",
    "sqlite": """
        SELECT value ->> 0 AS id, value ->> 1 AS attempts, value ->> 2 AS status, key AS place
        FROM json_each(?)""",
}
# The first of them whose row is as the rep saw it (same attempts, same status: nobody
# logged a call on it since) and that no other rep holds.
_PICK = """
    SELECT d.id FROM leads d JOIN seen s ON s.id = d.id
    WHERE d.attempts = s.attempts AND d.status = s.status
      AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.lead_id = d.id
                      AND c.rep != ? AND c.claimed_until > ?)
    ORDER BY s.place LIMIT 1"""
# Written only where no other rep's claim is still running, whenever it was written.
_TAKE = """
    INSERT INTO claims (lead_id, rep, claimed_at, claimed_until)
    SELECT id, ?, ?, ? FROM pick WHERE true
    ON CONFLICT (lead_id) DO UPDATE
      SET rep = excluded.rep, claimed_at = excluded.claimed_at,
          claimed_until = excluded.claimed_until
      WHERE claims.rep = excluded.rep OR claims.claimed_until <= ?
    RETURNING lead_id"""
_LET_GO = "DELETE FROM claims WHERE rep = ? AND lead_id != ?"
# PostgreSQL locks the lead it picks, passing over one another rep is taking this instant,
# lets go of the rep's other leads and tells the floor's boards (``tell_the_floor``) in the
# same statement, its own transaction.
_CLAIM_PG = f"""
    WITH seen AS ({_SEEN["postgresql"]}),
    pick AS ({_PICK} FOR UPDATE OF d SKIP LOCKED),
    won AS ({_TAKE}),
    let_go AS (DELETE FROM claims o USING won WHERE o.rep = ? AND o.lead_id != won.lead_id)
    SELECT lead_id, pg_notify('{CHANNEL}', '') FROM won"""
_CLAIM_SQLITE = f"""WITH seen AS ({_SEEN["sqlite"]}), pick AS ({_PICK}) {_TAKE}"""


@contextlib.contextmanager
def _unsynced(db: Db) -> Iterator[None]:
    """A SQLite commit not synced to the disk on its own (synchronous NORMAL), for a claim.

    Other connections see it at once all the same. A claim a power cut loses
    is harmless: every session died with the power, and the claim would have
    run out. The outcome saved just before it was synced (FULL, see
    ``open_db``), and the next synced commit takes the claim to the disk too.
    On a key this saves one wait for the disk (about 1 ms, 16 ms at p95 on a
    shared disk). Inside an open transaction it changes nothing.
    """
    if db.conn.in_transaction:
        yield
        return
    db.execute("PRAGMA synchronous = NORMAL")
    try:
        yield
    finally:
        db.execute("PRAGMA synchronous = FULL")


def _claim(row: Sequence[Any]) -> ClaimRow:
    return ClaimRow(
        int(row[0]), str(row[1]), datetime.fromisoformat(row[2]), datetime.fromisoformat(row[3])
    )


class ClaimStore:
    """Takes, renews, reads and releases the reps' claims on leads."""

    def __init__(self, db: Db) -> None:
        self.db = db
        self.postgres = on_postgres(db)

    def claim(
        self, lead_id: int, seen: tuple[int, str], rep: str, now: datetime, minutes: int
    ) -> datetime | None:
        """Hold the lead for ``rep`` for ``minutes`` from ``now``; when until, or None when
        another rep holds it, is taking it this instant, or logged a call on it since the
        rep read it (``seen``: its attempts and status then). See ``claim_first``."""
        won = self.claim_first([(lead_id, *seen)], rep, now, minutes)
        return won[1] if won else None

    @retried
    def claim_first(
        self, candidates: Sequence[Candidate], rep: str, now: datetime, minutes: int
    ) -> tuple[int, datetime] | None:
        """Hold the first of ``candidates`` (lead id, attempts and status as the rep read
        them, in the rep's order) that is still as read and no other rep holds or is
        taking, for ``minutes`` from ``now``; its id and until when, or None when every
        one is gone.

        The rep's claims on other leads are released: a rep holds the lead in
        front of them. Claiming a lead the rep already holds renews it.
        """
        until = now + timedelta(minutes=minutes)
        stamp = utc_text(now)
        params = [json.dumps(candidates), rep, stamp, rep, stamp, utc_text(until), stamp]
        if self.postgres:
            taken = self.db.execute(_CLAIM_PG, [*params, rep]).fetchone()
        else:
            with _unsynced(self.db), transaction(self.db):
                taken = self.db.execute(_CLAIM_SQLITE, params).fetchone()
                if taken is not None:
                    self.db.execute(_LET_GO, [rep, taken[0]])
                    tell_the_floor(self.db)
        return None if taken is None else (int(taken[0]), until)

    @retried
    def release(self, rep: str, lead_id: int | None = None) -> int:
        """Let go of the rep's claim on one lead (or all of them); how many were let go."""
        where, params = (
            ("rep = ?", [rep]) if lead_id is None else ("rep = ? AND lead_id = ?", [rep, lead_id])
        )
        with transaction(self.db):
            released = int(self.db.execute(f"DELETE FROM claims WHERE {where}", params).rowcount)
            if released:
                tell_the_floor(self.db)
        return released

    def holder(self, lead_id: int, now: datetime) -> ClaimRow | None:
        """The running claim on the lead, if any."""
        row = self.db.execute(
            """SELECT lead_id, rep, claimed_at, claimed_until FROM claims
               WHERE lead_id = ? AND claimed_until > ?""",
            [lead_id, utc_text(now)],
        ).fetchone()
        return _claim(row) if row else None

    def held_by(self, rep: str, now: datetime) -> list[ClaimRow]:
        """The rep's running claims."""
        rows = self.db.execute(
            """SELECT lead_id, rep, claimed_at, claimed_until FROM claims
               WHERE rep = ? AND claimed_until > ? ORDER BY lead_id""",
            [rep, utc_text(now)],
        ).fetchall()
        return [_claim(r) for r in rows]

    def held(self, list_id: int, now: datetime) -> list[ClaimRow]:
        """The running claims on the list's leads, by rep."""
        rows = self.db.execute(
            """SELECT c.lead_id, c.rep, c.claimed_at, c.claimed_until
               FROM claims c JOIN leads d ON d.id = c.lead_id
               WHERE d.list_id = ? AND c.claimed_until > ? ORDER BY c.rep, c.lead_id""",
            [list_id, utc_text(now)],
        ).fetchall()
        return [_claim(r) for r in rows]
