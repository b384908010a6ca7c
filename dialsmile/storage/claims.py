"""Claims: a lead shown to one rep is held for them until it is handled or runs out.

A claim is one row per lead (``claims.lead_id`` is its key), so no lead is ever
held by two reps. Taking one is one statement: on PostgreSQL it locks the
lead's row with ``FOR UPDATE SKIP LOCKED`` (a rep never waits on a lead
another rep is taking, as dialer hoppers do) and writes the claim only where
no other rep's claim is still running; on SQLite the write lock makes the
same statement safe.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from dialsmile.core.stores import ClaimRow
from dialsmile.storage.db import on_postgres
from dialsmile.storage.leads import utc_text
from dialsmile.storage.notify import tell_the_floor
from dialsmile.storage.tx import retried, transaction

if TYPE_CHECKING:
    import sqlite_utils

# The lead's row as the rep saw it (same attempts, same status: nobody logged a call on it
# since), locked; a lead another rep is taking this instant is passed over.
_SEEN = "SELECT id FROM leads WHERE id = ? AND attempts = ? AND status = ?"
_PICK = {"postgresql": f"{_SEEN} FOR UPDATE SKIP LOCKED", "sqlite": _SEEN}
_CLAIM = """
    WITH pick AS ({pick})
    INSERT INTO claims (lead_id, rep, claimed_at, claimed_until)
    SELECT id, ?, ?, ? FROM pick WHERE true
    ON CONFLICT (lead_id) DO UPDATE
      SET rep = excluded.rep, claimed_at = excluded.claimed_at,
          claimed_until = excluded.claimed_until
      WHERE claims.rep = excluded.rep OR claims.claimed_until <= ?
    RETURNING lead_id"""


def _claim(row: Sequence[Any]) -> ClaimRow:
    return ClaimRow(
        int(row[0]), str(row[1]), datetime.fromisoformat(row[2]), datetime.fromisoformat(row[3])
    )


class ClaimStore:
    """Takes, renews, reads and releases the reps' claims on leads."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._claim = _CLAIM.format(pick=_PICK["postgresql" if on_postgres(db) else "sqlite"])

    @retried
    def claim(
        self, lead_id: int, seen: tuple[int, str], rep: str, now: datetime, minutes: int
    ) -> datetime | None:
        """Hold the lead for ``rep`` for ``minutes`` from ``now``; when until, or None when
        another rep holds it, is taking it this instant, or logged a call on it since the
        rep read it (``seen``: its attempts and status then).

        The rep's claims on other leads are released: a rep holds the lead in
        front of them. Claiming a lead the rep already holds renews it.
        """
        until = now + timedelta(minutes=minutes)
        with transaction(self.db):
            taken = self.db.execute(
                self._claim,
                [lead_id, *seen, rep, utc_text(now), utc_text(until), utc_text(now)],
            ).fetchone()
            if taken is None:
                return None
            self.db.execute("DELETE FROM claims WHERE rep = ? AND lead_id != ?", [rep, lead_id])
            tell_the_floor(self.db)
        return until

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
