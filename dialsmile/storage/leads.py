"""Lists, import batches and leads: all their SQL lives here."""

from __future__ import annotations

import contextlib
import functools
import gc
import json
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from json.encoder import encode_basestring as _quoted  # json.dumps' own C quoting
from typing import TYPE_CHECKING, Any

from dialsmile.core.imports import ImportCounts, NumberKey, new_leads
from dialsmile.core.models import LeadList, LeadRecord
from dialsmile.errors import BadInput, NotFound
from dialsmile.storage.db import list_names, no_such_list, on_postgres
from dialsmile.storage.tx import retried, transaction

if TYPE_CHECKING:
    from dialsmile.storage.dbapi import Db


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
# The pairs of a JSON array of [phone, extension] pairs (the one parameter), both ways.
_EACH_PAIR = {False: "json_each(?) j", True: "jsonb_array_elements(CAST(? AS jsonb)) AS j(value)"}

# The elements of a JSON array (the one parameter) as a column ``value``, both ways.
_EACH = {False: "json_each(?)", True: "jsonb_array_elements_text(CAST(? AS jsonb)) AS j(value)"}

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

    def __init__(self, db: Db) -> None:
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

    def import_leads(
        self,
        target: ImportTarget,
        batches: Iterable[Sequence[LeadRecord]],
        counts: ImportCounts,
        now: datetime,
    ) -> int | None:
        """Store the leads of ``batches`` that are no duplicates as one import batch.

        Everything happens in one transaction: an error or an interruption while
        ``batches`` is read leaves nothing written. ``counts`` gains the leads
        imported, the duplicates and the leads on a do-not-call list (kept,
        marked ``dnc``, never offered); its other counts, complete once ``batches``
        is exhausted, are stored with the batch. Returns the batch id; with
        ``target.dry_run``, nothing is written and the id is None.
        """
        found = self.find_list(target.list_name)
        kind = found.kind if found else target.kind
        index = _ImportIndex(self.db, found.id if found else None)
        if target.dry_run:
            with index, _collector_paused():
                for batch in batches:
                    kept = new_leads(batch, index)
                    counts.imported += len(kept)
                    counts.duplicates += len(batch) - len(kept)
                    counts.on_dnc += self._count_on_dnc(kind, kept)
            return None
        stamp = utc_text(now)
        with (
            index,
            transaction(self.db),
            _cache_pages(self.db, IMPORT_CACHE_KIB),
            _collector_paused(),
        ):
            lead_list = found or self.ensure_list(target.list_name, target.kind, now)
            batch_id = int(
                self.db.execute(
                    """INSERT INTO import_batches (list_id, file, encoding, delimiter, rows,
                       imported, duplicates, rejected, skipped_blank, created_at)
                       VALUES (?, ?, ?, ?, 0, 0, 0, 0, 0, ?)""",
                    [lead_list.id, target.file, target.encoding, target.delimiter, stamp],
                ).lastrowid
                or 0
            )
            index.batch_id = batch_id
            position = self.db.execute(
                "SELECT coalesce(max(position), 0) FROM leads WHERE list_id = ?", [lead_list.id]
            ).fetchone()[0]
            insert = (
                f"INSERT INTO leads ({', '.join(LEAD_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(LEAD_COLUMNS))})"
            )
            # A new list has no numbers for the duplicate check to look up in the leads.
            indexes = _IndexesAside(self.db, keep=() if found is None else (_LIST_NUMBERS,))
            for batch in batches:
                indexes.after(counts.imported)
                kept = new_leads(batch, index)
                self.db.conn.executemany(
                    insert,
                    (
                        _lead_values(lead, lead_list.id, batch_id, n, target.file, stamp)
                        for n, lead in enumerate(kept, start=position + 1)
                    ),
                )
                position += len(kept)
                counts.imported += len(kept)
                counts.duplicates += len(batch) - len(kept)
            indexes.restore()
            counts.on_dnc = self.db.execute(
                f"UPDATE leads SET status = 'dnc' WHERE batch_id = ? AND phone IN ({_BLOCKED})",
                [batch_id, lead_list.kind],
            ).rowcount
            self.db.execute(
                """UPDATE import_batches SET rows = ?, imported = ?, duplicates = ?, rejected = ?,
                   skipped_blank = ? WHERE id = ?""",
                [
                    counts.rows, counts.imported, counts.duplicates, counts.rejected,
                    counts.skipped_blank, batch_id,
                ],
            )  # fmt: skip
        return batch_id

    def _count_on_dnc(self, kind: str, leads: Sequence[LeadRecord]) -> int:
        """How many of ``leads`` an import would mark ``dnc`` in a list of ``kind``."""
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

    def batches(self) -> list[BatchSummary]:
        rows = self.db.execute(
            """SELECT b.id, l.name, b.file, b.created_at, b.rows, b.imported, b.duplicates,
                      b.rejected, b.skipped_blank,
                      (SELECT count(*) FROM leads d WHERE d.batch_id = b.id), b.undone_at
               FROM import_batches b JOIN lists l ON l.id = b.list_id ORDER BY b.id"""
        ).fetchall()
        return [BatchSummary(*r) for r in rows]

    @retried
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


def _text_object(pairs: Iterable[tuple[str, str]]) -> str:
    """A JSON object of text values, written as json.dumps(..., ensure_ascii=False)
    writes it. A lead's extra columns and alternates are such objects: quoting
    each text directly costs half of what an encoder's pass over a dict costs,
    once for every row of an import."""
    return "{" + ", ".join(f"{_quoted(key)}: {_quoted(value)}" for key, value in pairs) + "}"


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
        "[" + ", ".join(_text_object(p.as_json().items()) for p in lead.alt_phones) + "]",
        _zones_json(lead.timezones), lead.notes,
        _text_object(lead.extra.items()), stamp, lead.crm,
        lead.crm_id,
    )  # fmt: skip


@dataclass(frozen=True)
class ImportTarget:
    """Where an import goes and what its batch records about the file."""

    list_name: str
    kind: str  # for a new list
    file: str
    encoding: str
    delimiter: str
    dry_run: bool = False


_INDEX_TABLES = ("import_seen", "import_alternates")
# The leads' indexes take new numbers in no order: with SQLite's default 2 MB page
# cache, a long import evicts and rereads index pages all the time. The cache is
# capped, so memory stays flat past it.
IMPORT_CACHE_KIB = 32_768


def _compact(key: NumberKey, pg: bool) -> int | str:
    """A number's one key in an import's index: on SQLite "+15125550134" is the
    integer 15125550134; any other number (one with an extension), and every
    number on PostgreSQL, is its text and extension ("+15125550134;12")."""
    phone, extension = key
    digits = phone[1:]
    plain = phone[:1] == "+" and digits[:1] != "0" and digits.isascii() and digits.isdigit()
    return int(digits) if plain and not (extension or pg) else f"{phone};{extension}"


_LIST_NUMBERS = "leads_list_phone"  # the index of a list's numbers: (list_id, phone, extension)
SET_ASIDE_AFTER = 10_000  # leads an import writes before its indexes may be set aside


class _IndexesAside:
    """The leads' indexes, set aside while a large import writes on SQLite, built again at its end.

    Every lead written takes a step in every index, the number's at a random
    place. Once an import has written as many leads as the table held before it
    (and at least ``SET_ASIDE_AFTER``), building each index again in one sorted
    pass over the table costs less than keeping it up to date for the rest of
    the file. All of it happens inside the import's transaction: an error or a
    kill leaves the indexes as they were. The indexes named in ``keep`` stay.
    PostgreSQL keeps its indexes: dropping one locks the table against every
    reader until the import commits.
    """

    def __init__(self, db: Db, keep: Sequence[str]) -> None:
        self.db = db
        self.keep = keep
        self.dropped: list[str] = []  # the CREATE INDEX statements of the indexes set aside
        self.threshold: int | None = None
        if not on_postgres(db):
            held = db.execute("SELECT coalesce(max(id), 0) FROM leads").fetchone()[0]
            self.threshold = max(int(held), SET_ASIDE_AFTER)

    def after(self, written: int) -> None:
        """Set the indexes aside once ``written`` leads make the import a large one."""
        if self.threshold is None or written < self.threshold:
            return
        self.threshold = None
        for name, sql in self.db.execute(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'index' AND tbl_name = 'leads' AND sql IS NOT NULL"
        ).fetchall():
            if name not in self.keep:
                self.db.execute(f'DROP INDEX "{name}"')
                self.dropped.append(sql)

    def restore(self) -> None:
        """Build the indexes set aside again, as they were.

        SQLite sorts an index's entries in as much memory as its page cache may
        take, beside the cache's own: the cache is a quarter of its size while
        it sorts (the sort spills to a temporary file past that), so the peak
        memory of a 1M-row import stays near a 100k-row one's.
        """
        if not self.dropped:
            return
        cache = int(self.db.execute("PRAGMA cache_size").fetchone()[0])
        self.db.execute(f"PRAGMA cache_size = {cache // 4}")
        for sql in self.dropped:
            self.db.execute(sql)
        self.db.execute(f"PRAGMA cache_size = {cache}")
        self.dropped = []


@contextlib.contextmanager
def _cache_pages(db: Db, kib: int) -> Iterator[None]:
    """SQLite's page cache at ``kib`` KiB while inside, then as it was (PostgreSQL: as it is)."""
    if on_postgres(db):
        yield
        return
    before = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA cache_size = -{kib}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {int(before)}")


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while inside, then as it was.

    An import's rows make no reference cycles (53 cyclic objects were left
    after 100,000 rows), so reference counting frees each batch as it goes and
    memory stays flat; the collector's passes over every live object (the
    phone metadata among them) cost a fifth of the import's CPU time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _ImportIndex:
    """The numbers one import has met (a ``NumberIndex``), in temporary tables.

    The file's numbers go to an indexed temporary table, so memory stays flat
    however long the file is (on SQLite and PostgreSQL alike: each spells its
    temporary tables and JSON arrays its own way). Each is kept as one compact
    key (``_compact``): on SQLite a number without an extension is an integer,
    which the table's index compares and stores in a fraction of the time and
    space of two texts. The list's numbers from before the import are its
    leads' numbers (the leads this import adds are left out), the numbers its
    leads were called on, and its leads' alternates (read once, into a table).
    """

    def __init__(self, db: Db, list_id: int | None) -> None:
        self.db = db
        self.list_id = list_id
        self.batch_id: int | None = None  # the batch being written, left out of the list's numbers
        self.alternates_read = False
        self.pg = on_postgres(db)
        self.temp = "pg_temp" if self.pg else "temp"
        self.ignore = (
            ("INSERT INTO", "ON CONFLICT DO NOTHING") if self.pg else ("INSERT OR IGNORE INTO", "")
        )

    def __enter__(self) -> _ImportIndex:
        # SQLite keeps a column with no type as it is given: integers and texts alike.
        self.db.execute(
            "CREATE TEMP TABLE import_seen "
            + ("(number TEXT PRIMARY KEY)" if self.pg else "(number PRIMARY KEY) WITHOUT ROWID")
        )
        self.db.execute(
            "CREATE TEMP TABLE import_alternates (phone TEXT, extension TEXT, "
            f"PRIMARY KEY (phone, extension)){'' if self.pg else ' WITHOUT ROWID'}"
        )
        return self

    def __exit__(self, *exc: object) -> None:
        # After an error the database may have rolled back or be unable to write: keep that error.
        with contextlib.suppress(Exception) if exc[0] else contextlib.nullcontext():
            for table in _INDEX_TABLES:
                self.db.execute(f"DROP TABLE IF EXISTS {self.temp}.{table}")

    def _among(self, keys: Collection[NumberKey], table: str) -> set[NumberKey]:
        return set(
            self.db.execute(
                f"""SELECT t.phone, t.extension FROM {_EACH_PAIR[self.pg]} JOIN {self.temp}.{table} t
                    ON t.phone = j.value ->> 0 AND t.extension = j.value ->> 1""",
                [json.dumps(list(keys))],
            )
        )

    def met(self, keys: Collection[NumberKey]) -> set[NumberKey]:
        if not keys:
            return set()
        compact = {_compact(key, self.pg): key for key in keys}
        insert, ignore = self.ignore
        added = self.db.execute(
            f"""{insert} {self.temp}.import_seen
                SELECT value FROM {_EACH[self.pg]} {ignore} RETURNING number""",
            [json.dumps(list(compact))],
        ).fetchall()
        for (number,) in added:
            del compact[number]
        return set(compact.values())

    def remember(self, keys: Iterable[NumberKey]) -> None:
        insert, ignore = self.ignore
        self.db.execute(
            f"{insert} {self.temp}.import_seen SELECT value FROM {_EACH[self.pg]} {ignore}",
            [json.dumps([_compact(key, self.pg) for key in keys])],
        )

    def known(self, keys: Collection[NumberKey]) -> set[NumberKey]:
        """A lead's numbers are the one it is called on, its alternates, and every
        number it was called on before (a bad number it moved on from, say)."""
        if self.list_id is None or not keys:
            return set()
        if not self.alternates_read:
            insert, ignore = self.ignore
            self.db.execute(
                f"""{insert} {self.temp}.import_alternates
                    SELECT j.value ->> 'e164', coalesce(j.value ->> 'extension', '')
                    FROM leads d, {_EACH_ALTERNATE[self.pg]}
                    WHERE d.list_id = ? AND d.alt_phones <> '[]' AND d.batch_id IS NOT ?
                    {ignore}""",
                [self.list_id, self.batch_id],
            )
            self.alternates_read = True
        wanted = set(keys)
        found = self._among(wanted, "import_alternates")
        for chunk, marks in _chunks({phone for phone, _ in wanted}):
            found.update(
                self.db.execute(
                    f"""SELECT phone, extension FROM leads
                        WHERE list_id = ? AND phone IN ({marks}) AND batch_id IS NOT ?
                        UNION ALL
                        SELECT a.phone, a.extension FROM attempts a
                        JOIN leads d ON d.id = a.lead_id
                        WHERE a.phone IN ({marks}) AND d.list_id = ?""",
                    [self.list_id, *chunk, self.batch_id, *chunk, self.list_id],
                )
            )
        return found & wanted
