"""Lists, import batches and leads: all their SQL lives here."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from dialsmile.core.models import LeadList, LeadRecord
from dialsmile.errors import BadInput, NotFound
from dialsmile.storage.db import list_names, no_such_list, on_postgres
from dialsmile.storage.tx import transaction

if TYPE_CHECKING:
    import sqlite_utils


def utc_text(moment: datetime) -> str:
    """The one text form of a moment stored in the database (UTC, seconds)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_utc(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@dataclass(frozen=True)
class BatchSummary:
    id: int
    list_name: str
    file: str
    created_at: str
    rows: int
    imported: int
    duplicates: int
    rejected: int
    skipped_blank: int
    leads_left: int
    undone_at: str | None


LEAD_COLUMNS = (
    "list_id", "batch_id", "position", "source_file", "source_row", "name", "first_name",
    "last_name", "company", "title", "email", "city", "state", "country", "region",
    "phone_raw", "phone", "extension", "phone_kind", "alt_phones", "timezones", "notes",
    "extra", "created_at", "crm", "crm_id",
)  # fmt: skip


# Each of a lead's alternate numbers (its JSON array), as SQLite and PostgreSQL spell it.
_EACH_ALTERNATE = {
    False: "json_each(d.alt_phones) j",
    True: "jsonb_array_elements(d.alt_phones::jsonb) AS j(value)",
}

# The numbers a new lead of a list may not be offered on; its one parameter is the list's kind.
_BLOCKED = "SELECT phone FROM dnc WHERE source = 'internal' OR ? = 'consumer'"


def _chunks(values: Iterable[str], size: int = 400) -> Iterator[tuple[list[str], str]]:
    """``values`` sorted, in chunks small enough for one query, with their ``?`` marks."""
    ordered = sorted(values)
    for start in range(0, len(ordered), size):
        chunk = ordered[start : start + size]
        yield chunk, ",".join("?" * len(chunk))


class LeadStore:
    """Reads and writes lists, batches and leads."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    # Lists

    def find_list(self, name: str) -> LeadList | None:
        row = self.db.execute("SELECT id, name, kind FROM lists WHERE name = ?", [name]).fetchone()
        return LeadList(*row) if row else None

    def list_by_id(self, list_id: int) -> LeadList:
        row = self.db.execute("SELECT id, name, kind FROM lists WHERE id = ?", [list_id]).fetchone()
        if row is None:
            raise NotFound(f"No list with id {list_id}.")
        return LeadList(*row)

    def get_list(self, name: str) -> LeadList:
        found = self.find_list(name)
        if found is None:
            raise no_such_list(name, self.list_names())
        return found

    def list_names(self) -> list[str]:
        return list_names(self.db)

    def ensure_list(self, name: str, kind: str, now: datetime) -> LeadList:
        found = self.find_list(name)
        if found is not None:
            return found
        cursor = self.db.execute(
            "INSERT INTO lists (name, kind, created_at) VALUES (?, ?, ?)",
            [name, kind, utc_text(now)],
        )
        return LeadList(int(cursor.lastrowid or 0), name, kind)

    def lists_overview(self) -> list[dict[str, Any]]:
        rows = self.db.execute(
            """SELECT l.name, l.kind, count(d.id),
                      count(*) FILTER (WHERE d.status IN ('new', 'retry', 'callback'))
               FROM lists l LEFT JOIN leads d ON d.list_id = l.id
               GROUP BY l.id ORDER BY l.id"""
        ).fetchall()
        return [{"name": r[0], "kind": r[1], "leads": r[2], "open": r[3] or 0} for r in rows]

    # Import

    def known_numbers(self, list_id: int, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of ``keys`` (E.164, extension) a lead of the list has or had.

        A lead's numbers are the one it is called on, its alternates, and every
        number it was called on before (a bad number it moved on from, say).
        """
        wanted = set(keys)
        found: set[tuple[str, str]] = set()
        for chunk, marks in _chunks({p for p, _ in wanted}):
            found.update(
                self.db.execute(
                    f"""SELECT phone, extension FROM leads
                        WHERE list_id = ? AND phone IN ({marks})
                        UNION ALL
                        SELECT a.phone, a.extension FROM attempts a
                        JOIN leads d ON d.id = a.lead_id
                        WHERE a.phone IN ({marks}) AND d.list_id = ?""",
                    [list_id, *chunk, *chunk, list_id],
                )
            )
        found &= wanted
        if found != wanted:
            # Alternates live in each lead's JSON: one pass over the leads that have any.
            found.update(
                wanted.intersection(
                    self.db.execute(
                        f"""SELECT j.value ->> 'e164', coalesce(j.value ->> 'extension', '')
                            FROM leads d, {_EACH_ALTERNATE[on_postgres(self.db)]}
                            WHERE d.list_id = ? AND d.alt_phones <> '[]'""",
                        [list_id],
                    )
                )
            )
        return found

    def count_on_dnc(self, kind: str, leads: Sequence[LeadRecord]) -> int:
        """How many of ``leads`` ``add_batch`` would mark ``dnc`` in a list of ``kind``."""
        blocked: set[str] = set()
        for chunk, marks in _chunks({lead.phone.e164 for lead in leads}):
            blocked.update(
                phone
                for (phone,) in self.db.execute(
                    f"SELECT phone FROM ({_BLOCKED}) AS blocked WHERE phone IN ({marks})",
                    [kind, *chunk],
                )
            )
        return sum(lead.phone.e164 in blocked for lead in leads)

    def add_batch(
        self,
        lead_list: LeadList,
        *,
        file: str,
        encoding: str,
        delimiter: str,
        counts: dict[str, int],
        leads: Sequence[LeadRecord],
        now: datetime,
    ) -> tuple[int, int]:
        """Store one import batch and its leads in one transaction.

        Returns the batch id and how many of its leads are on a do-not-call list
        (they are kept, marked ``dnc``, and never offered).
        """
        stamp = utc_text(now)
        with transaction(self.db):
            cursor = self.db.execute(
                """INSERT INTO import_batches (list_id, file, encoding, delimiter, rows, imported,
                   duplicates, rejected, skipped_blank, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    lead_list.id, file, encoding, delimiter, counts["rows"], counts["imported"],
                    counts["duplicates"], counts["rejected"], counts["skipped_blank"], stamp,
                ],
            )  # fmt: skip
            batch_id = int(cursor.lastrowid or 0)
            start = self.db.execute(
                "SELECT coalesce(max(position), 0) FROM leads WHERE list_id = ?", [lead_list.id]
            ).fetchone()[0]
            self.db.conn.executemany(
                f"INSERT INTO leads ({', '.join(LEAD_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(LEAD_COLUMNS))})",
                (
                    _lead_values(lead, lead_list.id, batch_id, start + n, file, stamp)
                    for n, lead in enumerate(leads, start=1)
                ),
            )
            on_dnc = self.db.execute(
                f"UPDATE leads SET status = 'dnc' WHERE batch_id = ? AND phone IN ({_BLOCKED})",
                [batch_id, lead_list.kind],
            ).rowcount
        return batch_id, int(on_dnc)

    def batches(self) -> list[BatchSummary]:
        rows = self.db.execute(
            """SELECT b.id, l.name, b.file, b.created_at, b.rows, b.imported, b.duplicates,
                      b.rejected, b.skipped_blank,
                      (SELECT count(*) FROM leads d WHERE d.batch_id = b.id), b.undone_at
               FROM import_batches b JOIN lists l ON l.id = b.list_id ORDER BY b.id"""
        ).fetchall()
        return [BatchSummary(*r) for r in rows]

    def undo_batch(self, batch_id: int, *, force: bool, now: datetime) -> int:
        """Remove a batch's leads; refuse when any was called unless ``force``."""
        row = self.db.execute(
            "SELECT undone_at FROM import_batches WHERE id = ?", [batch_id]
        ).fetchone()
        if row is None:
            raise NotFound(f"No import batch {batch_id}; see `dialsmile imports`.")
        if row[0]:
            raise BadInput(f"Import batch {batch_id} was already undone on {row[0]}.")
        called = self.db.execute(
            """SELECT count(DISTINCT a.lead_id) FROM attempts a JOIN leads d ON d.id = a.lead_id
               WHERE d.batch_id = ?""",
            [batch_id],
        ).fetchone()[0]
        if called and not force:
            raise BadInput(
                f"{called} lead(s) of batch {batch_id} already have call attempts; "
                "add --force to remove them and their attempts."
            )
        with transaction(self.db):
            self.db.execute(
                """DELETE FROM attempts WHERE lead_id IN
                   (SELECT id FROM leads WHERE batch_id = ?)""",
                [batch_id],
            )
            removed = self.db.execute("DELETE FROM leads WHERE batch_id = ?", [batch_id]).rowcount
            self.db.execute(
                "UPDATE import_batches SET undone_at = ? WHERE id = ?", [utc_text(now), batch_id]
            )
        return int(removed)

    # Reading leads

    def iter_leads(self, list_name: str | None = None) -> Iterator[dict[str, Any]]:
        """Every lead (of one list, or all) in list order, as plain values."""
        where, params = "", []
        if list_name is not None:
            where, params = "WHERE l.name = ?", [list_name]
        cursor = self.db.execute(
            f"""SELECT d.*, l.name AS list FROM leads d JOIN lists l ON l.id = d.list_id
                {where} ORDER BY d.list_id, d.position""",
            params,
        )
        names = [c[0] for c in cursor.description]
        for row in cursor:
            lead = dict(zip(names, row, strict=True))
            lead["alt_phones"] = json.loads(lead["alt_phones"])
            lead["timezones"] = json.loads(lead["timezones"])
            lead["extra"] = json.loads(lead["extra"])
            yield lead


@functools.lru_cache(maxsize=4096)
def _zones_json(zones: tuple[str, ...]) -> str:
    return json.dumps(list(zones))


def _lead_values(
    lead: LeadRecord, list_id: int, batch_id: int, position: int, file: str, stamp: str
) -> tuple[object, ...]:
    return (
        list_id, batch_id, position, file, lead.source_row, lead.name, lead.first_name,
        lead.last_name, lead.company, lead.title, lead.email, lead.city, lead.state,
        lead.country, lead.region, lead.phone.raw, lead.phone.e164, lead.phone.extension,
        lead.phone.kind,
        json.dumps([p.as_json() for p in lead.alt_phones], ensure_ascii=False)
        if lead.alt_phones else "[]",
        _zones_json(lead.timezones), lead.notes,
        json.dumps(lead.extra, ensure_ascii=False) if lead.extra else "{}", stamp, lead.crm,
        lead.crm_id,
    )  # fmt: skip
