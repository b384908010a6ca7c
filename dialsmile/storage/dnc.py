"""Do-not-call lists: copies, entries, their log, overrides and lead marking (all their SQL)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from dialsmile.core.models import DncCopy, DncEntry, Override
from dialsmile.storage.leads import utc_text
from dialsmile.storage.tx import retried, transaction

if TYPE_CHECKING:
    from dialsmile.storage.dbapi import Db

SOURCES = ("national", "state", "internal")
"""The kinds of do-not-call list: a registry copy, a state's list, your own."""

_OPEN = "('new', 'retry', 'callback')"
BULK = 50_000


@dataclass(frozen=True)
class LeadFacts:
    """What a lead says about its number: state cell, list kind, country and time zones."""

    state: str
    kind: str
    country: str
    timezones: tuple[str, ...]


@dataclass(frozen=True)
class DncImportResult:
    """What ``DncStore.import_copy`` did."""

    copy_id: int
    numbers: int
    """Distinct numbers now on the list from this file."""
    replaced: int
    """Numbers of the previous national copy that this one replaced."""
    already: int
    """Numbers of the file that were already on that list (state and internal files)."""
    leads_marked: int
    """Open leads now marked ``dnc`` because their number is on the file."""


def _entry(row: Sequence[object]) -> DncEntry:
    return DncEntry(
        phone=str(row[0]),
        source=str(row[1]),
        reason=str(row[2] or ""),
        added_at=datetime.fromisoformat(str(row[3])),
        as_of=date.fromisoformat(str(row[4])) if row[4] else None,
    )


_ENTRY = """SELECT d.phone, d.source, d.reason, d.added_at, c.as_of
            FROM dnc d LEFT JOIN dnc_copies c ON c.id = d.copy_id"""


class DncStore:
    """Reads and writes the do-not-call lists, their copies and log, and overrides."""

    def __init__(self, db: Db) -> None:
        self.db = db

    # Reading

    def lookup(self, phone: str) -> list[DncEntry]:
        """Every list entry for ``phone`` (E.164), oldest first."""
        rows = self.db.execute(f"{_ENTRY} WHERE d.phone = ? ORDER BY d.id", [phone]).fetchall()
        return [_entry(r) for r in rows]

    def entries(self, source: str | None = None) -> Iterator[DncEntry]:
        """Every entry (of one list), by list then number; streamed."""
        where, params = ("WHERE d.source = ?", [source]) if source else ("", [])
        cursor = self.db.execute(f"{_ENTRY} {where} ORDER BY d.source, d.phone", params)
        for row in cursor:
            yield _entry(row)

    def counts(self) -> dict[str, int]:
        """Numbers per list."""
        rows = self.db.execute("SELECT source, count(*) FROM dnc GROUP BY source").fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    def latest_copy(self, source: str) -> DncCopy | None:
        """The newest imported file of a list, or None."""
        row = self.db.execute(
            """SELECT id, source, file, as_of, imported_at, numbers FROM dnc_copies
               WHERE source = ? ORDER BY id DESC LIMIT 1""",
            [source],
        ).fetchone()
        if row is None:
            return None
        return DncCopy(
            id=int(row[0]),
            source=str(row[1]),
            file=str(row[2]),
            as_of=date.fromisoformat(str(row[3])),
            imported_at=datetime.fromisoformat(str(row[4])),
            numbers=int(row[5]),
        )

    def log(self, phone: str | None = None) -> list[tuple[str, str, str, str, datetime]]:
        """(phone, action, source, reason, at) of the add/remove log, oldest first."""
        where, params = ("WHERE phone = ?", [phone]) if phone else ("", [])
        rows = self.db.execute(
            f"SELECT phone, action, source, reason, at FROM dnc_log {where} ORDER BY id", params
        ).fetchall()
        return [(r[0], r[1], r[2], r[3], datetime.fromisoformat(r[4])) for r in rows]

    def lead_facts(self, phone: str) -> LeadFacts | None:
        """What the newest lead with this number says about where it is, or None."""
        row = self.db.execute(
            """SELECT d.state, l.kind, d.country, d.timezones FROM leads d
               JOIN lists l ON l.id = d.list_id
               WHERE d.phone = ? ORDER BY d.id DESC LIMIT 1""",
            [phone],
        ).fetchone()
        if not row:
            return None
        zones = tuple(str(z) for z in json.loads(row[3] or "[]"))
        return LeadFacts(str(row[0] or ""), str(row[1]), str(row[2] or ""), zones)

    # Writing

    @retried
    def import_copy(
        self,
        source: str,
        file: str,
        as_of: date,
        numbers: Iterable[str],
        now: datetime,
    ) -> DncImportResult:
        """Load a file of E.164 numbers as one copy of a list, in one transaction.

        A national copy replaces the previous national copy (the registry is
        published whole); state and internal files add to their list. Open
        leads whose number is on the file are marked ``dnc`` (national and
        state lists only for consumer lists).
        """
        stamp = utc_text(now)
        unique = sorted(set(numbers))
        conn = self.db.conn
        with transaction(self.db):
            copy_id = int(
                conn.execute(
                    """INSERT INTO dnc_copies (source, file, as_of, imported_at, numbers)
                       VALUES (?, ?, ?, ?, ?)""",
                    [source, file, as_of.isoformat(), stamp, len(unique)],
                ).lastrowid
                or 0
            )
            replaced = already = 0
            if source == "national":
                replaced = conn.execute(
                    "DELETE FROM dnc WHERE source = 'national' AND copy_id IS NOT NULL"
                ).rowcount
                bulk = len(unique) >= BULK
                if bulk:
                    # Building the indexes once after the load beats updating them per row.
                    conn.execute("DROP INDEX IF EXISTS dnc_phone")
                    conn.execute("DROP INDEX IF EXISTS dnc_copy")
                rows = ((phone, source, "", stamp, copy_id) for phone in unique)
                conn.executemany(
                    """INSERT INTO dnc (phone, source, reason, added_at, copy_id)
                       VALUES (?, ?, ?, ?, ?)""",
                    rows,
                )
                if bulk:
                    conn.execute("CREATE INDEX dnc_phone ON dnc(phone)")
                    conn.execute("CREATE INDEX dnc_copy ON dnc(copy_id)")
            else:
                before = conn.total_changes
                conn.executemany(
                    """INSERT INTO dnc (phone, source, reason, added_at, copy_id)
                       SELECT ?1, ?2, '', ?3, ?4 WHERE NOT EXISTS
                       (SELECT 1 FROM dnc WHERE phone = ?1 AND source = ?2)""",
                    ((phone, source, stamp, copy_id) for phone in unique),
                )
                already = len(unique) - (conn.total_changes - before)
            marked = self._mark_copy(copy_id, source)
        return DncImportResult(copy_id, len(unique), replaced, already, marked)

    @retried
    def add(
        self, phone: str, reason: str, now: datetime, source: str = "internal"
    ) -> tuple[bool, int]:
        """Put one number on a list (logged): (added, open leads now marked ``dnc``).

        ``added`` is False when the number was already on that list.
        """
        with transaction(self.db):
            found = self.db.execute(
                "SELECT 1 FROM dnc WHERE phone = ? AND source = ?", [phone, source]
            ).fetchone()
            if found:
                return False, 0
            stamp = utc_text(now)
            self.db.execute(
                "INSERT INTO dnc (phone, source, reason, added_at) VALUES (?, ?, ?, ?)",
                [phone, source, reason, stamp],
            )
            self._log(phone, "add", source, reason, stamp)
            marked = self.mark_leads(phone)
        return True, marked

    @retried
    def remove(self, phone: str, source: str, reason: str, now: datetime) -> tuple[int, int]:
        """Take a number off a list (logged): (entries removed, leads callable again).

        Leads marked ``dnc`` for this number become callable again when no
        other list that applies to them still holds it.
        """
        with transaction(self.db):
            removed = self.db.execute(
                "DELETE FROM dnc WHERE phone = ? AND source = ?", [phone, source]
            ).rowcount
            restored = 0
            if removed:
                stamp = utc_text(now)
                self._log(phone, "remove", source, reason, stamp)
                restored = self._restore_leads(phone, stamp)
        return int(removed), restored

    def mark_leads(self, phone: str) -> int:
        """Mark open leads with this number ``dnc`` where one of its lists applies to them."""
        return int(
            self.db.execute(
                f"""UPDATE leads SET status = 'dnc'
                    WHERE phone = ? AND status IN {_OPEN} AND EXISTS (
                      SELECT 1 FROM dnc d WHERE d.phone = leads.phone AND (d.source = 'internal'
                      OR (SELECT kind FROM lists WHERE id = leads.list_id) = 'consumer'))""",
                [phone],
            ).rowcount
        )

    @retried
    def add_override(self, override: Override) -> int:
        """Log one override; returns its id."""
        with transaction(self.db):
            cursor = self.db.execute(
                """INSERT INTO overrides (lead_id, session_id, phone, at, who, reason,
                   blocked_because) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                [
                    override.lead_id,
                    override.session_id,
                    override.phone,
                    utc_text(override.at),
                    override.who,
                    override.reason,
                    override.blocked_because,
                ],
            )
        return int(cursor.lastrowid or 0)

    def overrides(self, session_id: int | None = None) -> list[Override]:
        """Logged overrides (of one session), oldest first."""
        where, params = ("WHERE session_id = ?", [session_id]) if session_id else ("", [])
        rows = self.db.execute(
            f"""SELECT lead_id, session_id, phone, at, who, reason, blocked_because
                FROM overrides {where} ORDER BY id""",
            params,
        ).fetchall()
        return [
            Override(r[0], r[1], r[2], datetime.fromisoformat(r[3]), r[4], r[5], r[6]) for r in rows
        ]

    # Inside

    def _log(self, phone: str, action: str, source: str, reason: str, stamp: str) -> None:
        self.db.execute(
            "INSERT INTO dnc_log (phone, action, source, reason, at) VALUES (?, ?, ?, ?, ?)",
            [phone, action, source, reason, stamp],
        )

    def _mark_copy(self, copy_id: int, source: str) -> int:
        kinds = "" if source == "internal" else "AND l.kind = 'consumer'"
        return int(
            self.db.execute(
                f"""UPDATE leads SET status = 'dnc'
                    WHERE status IN {_OPEN} AND list_id IN (
                      SELECT l.id FROM lists l WHERE true {kinds})
                    AND EXISTS (SELECT 1 FROM dnc d WHERE d.phone = leads.phone
                                AND d.source = ?)""",
                [source],
            ).rowcount
        )

    def _restore_leads(self, phone: str, stamp: str) -> int:
        return self.db.execute(
            """UPDATE leads SET
                 status = CASE WHEN attempts = 0 THEN 'new' ELSE 'retry' END,
                 next_call_at = CASE WHEN attempts = 0 THEN next_call_at ELSE ? END
               WHERE phone = ? AND status = 'dnc' AND NOT EXISTS (
                 SELECT 1 FROM dnc d WHERE d.phone = leads.phone AND (d.source = 'internal'
                 OR (SELECT kind FROM lists WHERE id = leads.list_id) = 'consumer'))""",
            [stamp, phone],
        ).rowcount
