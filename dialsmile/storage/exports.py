"""A session's calls read for an export: the export's SQL.

Kept apart from the session stores so `dialsmile export` loads only this. The
file's columns and how each cell is written are io's business
(``dialsmile.io.export``); this module knows each call field's SQL, and times
are read in the rep's zone by SQLite itself. On PostgreSQL the lines are
written here, from the same fields, with the times converted in Python.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dialsmile.core.models import Outcome
from dialsmile.storage.db import on_postgres
from dialsmile.storage.dbapi import Runner

_CODE = (
    "CASE a.outcome "
    + " ".join(f"WHEN '{o.value}' THEN '{o.code}'" for o in Outcome)
    + " ELSE '' END"
)
# Each field of a call as SQL over attempts ``a`` joined to their lead ``d``. A call's
# length is given in tenths of a second, which both writers print alike ("0.0", not
# SQLite's "9.0e-05" beside Python's "9e-05").
CALL_FIELDS = {
    "session_id": "a.session_id", "attempt_id": "a.id", "started_at": "a.started_at",
    "ended_at": "a.ended_at", "duration_s": "round(a.duration_s, 1)",
    "dialed": "CASE WHEN a.dialed <> 0 THEN 'yes' ELSE 'no' END", "lead_id": "a.lead_id",
    "name": "d.name", "company": "d.company", "phone": "a.phone", "extension": "a.extension",
    "outcome": "a.outcome", "code": _CODE, "note": "a.note", "callback_at": "a.callback_at",
    "script": "a.script", "script_version": "a.script_version", "chunk": "a.chunk",
}  # fmt: skip
# PostgreSQL rounds only exact numbers; read back as a float, 0 tenths still print "0.0".
_PG_FIELDS = CALL_FIELDS | {
    "duration_s": "CAST(round(CAST(a.duration_s AS numeric), 1) AS double precision)"
}
_TENTHS, _LENGTH = "duration_s", "a.duration_s"
"""The field SQLite's ``printf`` rounds itself when writing lines, and its column."""
TIME_FIELDS = frozenset({"started_at", "ended_at", "callback_at"})
"""Fields that are moments: read as ISO 8601 in the rep's zone, with its offset."""
_CALLS = """FROM attempts a JOIN leads d ON d.id = a.lead_id
            WHERE a.session_id = ? AND a.outcome != 'skip'"""
BATCH = 2000
"""Lines handed over at a time."""


def find_session(db: Runner, wanted: int | None) -> int | None:
    """``wanted`` if that session exists; if None, the latest session with at least
    one call (skips are not calls). None when there is no such session."""
    if wanted is None:
        row = db.execute(
            """SELECT s.id FROM sessions s WHERE EXISTS (SELECT 1 FROM attempts a
               WHERE a.session_id = s.id AND a.outcome != 'skip') ORDER BY s.id DESC LIMIT 1"""
        ).fetchone()
    else:
        row = db.execute("SELECT id FROM sessions WHERE id = ?", [wanted]).fetchone()
    return None if row is None or row[0] is None else int(row[0])


class SessionCalls:
    """One session's calls (skips are not calls), oldest first, times in ``zone``.

    The export asks for the fields it writes, by name (``CALL_FIELDS``), either
    as values or as lines SQLite writes itself with ``printf``, which is several
    times faster than building each line in Python.
    """

    def __init__(self, db: Runner, session_id: int, zone: ZoneInfo) -> None:
        self.db = db
        self.session_id = session_id
        self.zone = zone
        self._fields: dict[str, str] | None = None
        self.pg = on_postgres(db)

    def lines(
        self, fields: Sequence[str], forms: Sequence[str]
    ) -> Iterator[list[tuple[int, bytes]]]:
        """The calls as CSV lines in UTF-8, in batches, each line with its attempt id:
        each field written with its ``printf`` form, comma-separated, CRLF-terminated.
        NULL is written as empty text."""
        if self.pg:
            yield from self._lines_here(fields, forms)
            return
        select = self._sql(fields)
        fmt = ",".join(forms) + "\r\n"
        params = [fmt]
        line_format = "?"
        if _TENTHS in fields:
            # printf rounds a call's length to tenths itself ("%.1f" rounds as round(x, 1)
            # does), at a third of the cost of round() and printing the number it gives;
            # with no length, the form as given prints empty text.
            at = fields.index(_TENTHS)
            select[at] = _LENGTH
            tenths = [*forms]
            tenths[at] = forms[at].replace("%s", "%.1f")
            line_format = f"CASE WHEN {select[at]} IS NULL THEN ? ELSE ? END"
            params.append(",".join(tenths) + "\r\n")
        cursor = self.db.execute(  # as BLOB: the bytes go to the file with no decoding
            f"SELECT a.id, CAST(printf({line_format}, {', '.join(select)}) AS BLOB) {_CALLS} "
            "ORDER BY a.id",
            [*params, self.session_id],
        )
        while batch := cursor.fetchmany(BATCH):
            yield batch

    def values(self, fields: Sequence[str], attempt_id: int) -> Sequence[Any]:
        """The ``fields`` of one call, as ``lines`` reads them."""
        row: Sequence[Any] = self.db.execute(
            f"SELECT {', '.join(self._sql(fields))} {_CALLS} AND a.id = ?",
            [self.session_id, attempt_id],
        ).fetchone()
        return self._local(fields, row) if self.pg else row

    def _lines_here(
        self, fields: Sequence[str], forms: Sequence[str]
    ) -> Iterator[list[tuple[int, bytes]]]:
        """``lines`` on PostgreSQL: SQLite's ``printf`` forms (``%s``, ``"%w"``) written here."""
        cursor = self.db.execute(
            f"SELECT a.id, {', '.join(self._sql(fields))} {_CALLS} ORDER BY a.id",
            [self.session_id],
        )
        while batch := cursor.fetchmany(BATCH):
            yield [(row[0], _printf(forms, self._local(fields, row[1:]))) for row in batch]

    def _local(self, fields: Sequence[str], row: Sequence[Any]) -> list[Any]:
        return [
            local_text(v, self.zone) if f in TIME_FIELDS else v
            for f, v in zip(fields, row, strict=True)
        ]

    def _sql(self, fields: Sequence[str]) -> list[str]:
        """Each field's SQL, its times in the rep's zone (on PostgreSQL: in UTC, see ``_local``)."""
        if self.pg:
            return [_PG_FIELDS[f] for f in fields]
        if self._fields is None:
            row = self.db.execute(
                "SELECT started_at FROM sessions WHERE id = ?", [self.session_id]
            ).fetchone()
            start = datetime.fromisoformat(row[0]) if row else datetime.now(UTC)
            spans = offset_spans(self.zone, start - WINDOW_BEFORE, start + WINDOW_AFTER)
            zone = self.zone
            # Moments outside the window (a callback booked years ahead) are rare:
            # Python converts those, one at a time.
            assert isinstance(self.db, sqlite3.Connection)  # PostgreSQL never comes here
            self.db.create_function(
                _OUTSIDE, 1, lambda text: local_text(text, zone), deterministic=True
            )
            local = {name: local_time_sql(CALL_FIELDS[name], spans) for name in TIME_FIELDS}
            self._fields = CALL_FIELDS | local
        return [self._fields[f] for f in fields]


def _printf(forms: Sequence[str], values: Sequence[Any]) -> bytes:
    """One line as SQLite's ``printf`` writes it with ``forms``: ``%s`` as is, ``%w``
    with its double quotes doubled, NULL as empty text."""
    cells = []
    for form, value in zip(forms, values, strict=True):
        text = "" if value is None else str(value)
        if "%w" in form:
            cells.append(form.replace("%w", text.replace('"', '""')))
        else:
            cells.append(form.replace("%s", text))
    return (",".join(cells) + "\r\n").encode()


WINDOW_BEFORE = timedelta(days=2)
WINDOW_AFTER = timedelta(days=800)
"""Around a session's start, SQLite itself writes its times in the rep's zone."""
_OUTSIDE = "dialsmile_local_time"


def local_text(text: str | None, zone: ZoneInfo) -> str | None:
    """A stored moment (UTC text) as ISO 8601 in ``zone``, to the second."""
    if text is None:
        return None
    return datetime.fromisoformat(text).astimezone(zone).isoformat(timespec="seconds")


def offset_spans(
    zone: ZoneInfo, first: datetime, last: datetime
) -> list[tuple[datetime, int, str]]:
    """The UTC offsets ``zone`` has from ``first`` until ``last``: (from, offset in
    seconds, offset as ISO 8601 writes it), in order, the first from ``first``, and
    a last one, from ``last``, that ends the list. A change is found to the second."""

    def seconds(moment: datetime) -> int:
        return int((moment.astimezone(zone).utcoffset() or timedelta(0)).total_seconds())

    def span(moment: datetime) -> tuple[datetime, int, str]:
        local = moment.astimezone(zone)
        return moment, seconds(moment), local.isoformat(timespec="seconds")[19:]

    start = first.astimezone(UTC).replace(microsecond=0)
    end = last.astimezone(UTC).replace(microsecond=0)
    spans = [span(start)]
    step = timedelta(hours=6)  # offsets never change twice within six hours
    at = start
    while at < end:
        after = min(at + step, end)
        if seconds(after) != spans[-1][1]:
            low, high = at, after  # low has the span's offset, high does not
            while high - low > timedelta(seconds=1):
                middle = (low + (high - low) // 2).replace(microsecond=0)
                if seconds(middle) == spans[-1][1]:
                    low = middle
                else:
                    high = middle
            spans.append(span(high))
        at = after
    spans.append(span(end))
    return spans


def local_time_sql(column: str, spans: Sequence[tuple[datetime, int, str]]) -> str:
    """SQL writing ``column`` (UTC text as ``utc_text`` stores it) as ``local_text``
    does, for the zone whose offsets are ``spans`` (see ``offset_spans``); NULL
    stays NULL. Moments outside the spans go to ``local_text`` itself.

    NULL is answered first: it compares as neither before nor after a moment, so
    it would otherwise fall through to Python, once for every call without a
    callback (most of them).
    """
    cases = " ".join(
        f"WHEN {column} < '{until.isoformat()}' THEN {_shifted(column, seconds, suffix)}"
        for (_, seconds, suffix), (until, _, _) in itertools.pairwise(spans)
    )
    before = f"WHEN {column} < '{spans[0][0].isoformat()}' THEN {_OUTSIDE}({column})"
    return f"CASE WHEN {column} IS NULL THEN NULL {before} {cases} ELSE {_OUTSIDE}({column}) END"


def _shifted(column: str, seconds: int, suffix: str) -> str:
    """SQL for ``column`` shifted by ``seconds`` and written with the offset ``suffix``.

    UTC is the text as stored. ``datetime`` shifts any offset (whole hours, half
    hours, Kathmandu's 45 minutes, a zone's old local mean time) across midnight,
    month and year alike, and is cheaper than ``strftime``; only its space becomes
    ISO 8601's ``T``.
    """
    if seconds == 0 and suffix == "+00:00":
        return column
    return f"replace(datetime({column}, '{seconds:+d} seconds'), ' ', 'T') || '{suffix}'"


def recent_sessions(db: Runner, limit: int = 50) -> list[tuple[int, str, str, int]]:
    """The latest sessions with calls, newest first: (id, started_at, list name, calls)."""
    rows = db.execute(
        """SELECT s.id, s.started_at, COALESCE(l.name, ''), count(*)
           FROM sessions s JOIN attempts a ON a.session_id = s.id AND a.outcome != 'skip'
           LEFT JOIN lists l ON l.id = s.list_id
           GROUP BY s.id, s.started_at, l.name ORDER BY s.id DESC LIMIT ?""",
        [limit],
    )
    return [(int(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in rows]


def session_calls(db: Runner, session_id: int) -> Iterator[dict[str, Any]]:
    """A session's calls (skips are not calls), oldest first, each with its lead's
    names, email, company and CRM record."""
    cursor = db.execute(
        """SELECT a.id, a.started_at, a.ended_at, a.duration_s, a.phone, a.extension, a.outcome,
                  a.note, a.callback_at, d.id AS lead_id, d.name, d.first_name, d.last_name,
                  d.company, d.email, d.crm, d.crm_id
           FROM attempts a JOIN leads d ON d.id = a.lead_id
           WHERE a.session_id = ? AND a.outcome != 'skip' ORDER BY a.id""",
        [session_id],
    )
    names = [c[0] for c in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))
