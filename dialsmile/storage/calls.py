"""Sessions, attempts, the lead queue and the internal do-not-call list: their SQL."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from itertools import islice
from typing import TYPE_CHECKING, Any

from dialsmile.core.models import LeadView, SessionRow
from dialsmile.core.stores import AttemptRecord, QueueEntry, QueueKey, QueueName
from dialsmile.storage.leads import parse_utc, utc_text
from dialsmile.storage.notify import tell_the_floor
from dialsmile.storage.sessions import SELECT_SESSION, session_row
from dialsmile.storage.tx import retried, storage_errors, transaction

# The lead columns an outcome may change; undo restores exactly these.
LEAD_STATE = (
    "status", "attempts", "last_outcome", "last_called_at", "next_call_at", "callback_at",
    "phone", "extension", "phone_kind", "alt_phones", "timezones", "notes", "callback_rep",
)  # fmt: skip

if TYPE_CHECKING:
    from dialsmile.storage.dbapi import Db


_VIEW_COLUMNS = (
    "id", "list_id", "position", "name", "first_name", "last_name", "company", "title", "email",
    "city", "state", "country", "region", "phone", "extension", "phone_kind", "alt_phones",
    "timezones", "notes", "extra", "status", "attempts", "last_outcome", "last_called_at",
    "next_call_at", "callback_at",
)  # fmt: skip
_SELECT = "SELECT " + ", ".join(_VIEW_COLUMNS) + " FROM leads"

# Each queue: its condition and its order (two columns, the queue's index covers them).
# Its marks take: now, the rep, and the moment before which a callback booked by
# another rep is anyone's.
_QUEUES: dict[QueueName, tuple[str, tuple[str, str]]] = {
    "callback due": (
        "status = 'callback' AND callback_at <= ?1"
        " AND (callback_rep IN ('', ?2) OR callback_at <= ?3)",
        ("callback_at", "position"),
    ),
    "new": ("status = 'new'", ("attempts", "position")),
    "retry": ("status = 'retry' AND next_call_at <= ?1", ("next_call_at", "id")),
}
# Leads another rep holds are nobody else's to offer (marks: the rep, now).
_NOT_HELD = """NOT EXISTS (SELECT 1 FROM claims c WHERE c.lead_id = leads.id
               AND c.rep != ? AND c.claimed_until > ?)"""


def _plain_marks(condition: str, values: Sequence[object]) -> tuple[str, list[object]]:
    """A condition's numbered marks (``?1``, ``?2``) as plain ones, with their values in order."""
    used = [values[int(n) - 1] for n in re.findall(r"\?(\d+)", condition)]
    return re.sub(r"\?\d+", "?", condition), used


@functools.lru_cache(maxsize=4096)
def _zones(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))


def _view(row: Sequence[Any]) -> LeadView:
    values = dict(zip(_VIEW_COLUMNS, row, strict=True))
    for key in ("alt_phones", "timezones", "extra"):
        values[key] = json.loads(values[key])
    for key in ("last_called_at", "next_call_at", "callback_at"):
        values[key] = parse_utc(values[key])
    return LeadView(**values)


class CallStore:
    """Reads and writes sessions, attempts, the queue and the internal DNC list."""

    def __init__(self, db: Db, rep: str = "", callback_grace_minutes: int = 0) -> None:
        self.db = db
        self.rep = rep  # whose sessions, calls and callbacks these are ("": not named)
        # A callback booked by another rep is anyone's once this late (0: only theirs).
        self.callback_grace = (
            timedelta(minutes=callback_grace_minutes) if callback_grace_minutes > 0 else None
        )

    # Sessions

    @retried
    def start_session(
        self, list_id: int, now: datetime, chunk_size: int, script: str | None, version: str | None
    ) -> int:
        with transaction(self.db):
            cursor = self.db.execute(
                """INSERT INTO sessions (list_id, started_at, chunk_size, script, script_version,
                   rep) VALUES (?, ?, ?, ?, ?, ?)""",
                [list_id, utc_text(now), chunk_size, script, version, self.rep],
            )
        return int(cursor.lastrowid or 0)

    def open_session(self, list_id: int, since: datetime) -> SessionRow | None:
        """The rep's newest session of the list started after ``since`` and not ended (to
        resume)."""
        row = self.db.execute(
            f"""{SELECT_SESSION} WHERE s.list_id = ? AND s.ended_at IS NULL AND s.started_at >= ?
                AND s.rep = ? ORDER BY s.id DESC LIMIT 1""",
            [list_id, utc_text(since), self.rep],
        ).fetchone()
        return session_row(row) if row else None

    @retried
    def end_session(self, session_id: int, now: datetime) -> None:
        """Mark the session ended (its breaks are already counted by add_paused)."""
        with transaction(self.db):
            self.db.execute(
                "UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
                [utc_text(now), session_id],
            )

    @retried
    def add_paused(self, session_id: int, seconds: float) -> None:
        with transaction(self.db):
            self.db.execute(
                "UPDATE sessions SET paused_s = paused_s + ? WHERE id = ?", [seconds, session_id]
            )

    def session_outcomes(self, session_id: int) -> list[tuple[int, str, int | None]]:
        """(lead id, outcome, chunk) of each attempt of the session, oldest first."""
        rows = self.db.execute(
            "SELECT lead_id, outcome, chunk FROM attempts WHERE session_id = ? ORDER BY id",
            [session_id],
        ).fetchall()
        return [(int(r[0]), str(r[1]), r[2]) for r in rows]

    # Leads and the queue

    def lead(self, lead_id: int) -> LeadView | None:
        row = self.db.execute(f"{_SELECT} WHERE id = ?", [lead_id]).fetchone()
        return _view(row) if row else None

    def history(self, lead_id: int, limit: int = 6) -> list[tuple[datetime, str, str]]:
        """The lead's last calls, newest first: (when, outcome, note)."""
        rows = self.db.execute(
            """SELECT ended_at, outcome, note FROM attempts
               WHERE lead_id = ? AND outcome != 'skip' ORDER BY ended_at DESC, id DESC LIMIT ?""",
            [lead_id, limit],
        ).fetchall()
        return [(datetime.fromisoformat(r[0]), r[1], r[2]) for r in rows]

    def calls_since(self, lead_id: int, since: datetime) -> list[tuple[datetime, str]]:
        """Every call to the lead started at or after ``since``: (ended_at, outcome), oldest first."""
        return self._calls_since("lead_id", lead_id, since)

    def phone_calls_since(self, phone: str, since: datetime) -> list[tuple[datetime, str]]:
        """Every call to the number (any lead) started at or after ``since``, oldest first."""
        return self._calls_since("phone", phone, since)

    def _calls_since(
        self, column: str, value: object, since: datetime
    ) -> list[tuple[datetime, str]]:
        rows = self.db.execute(
            f"""SELECT ended_at, outcome FROM attempts
                WHERE {column} = ? AND started_at >= ? AND outcome != 'skip'
                ORDER BY started_at, id""",
            [value, utc_text(since)],
        ).fetchall()
        return [(datetime.fromisoformat(r[0]), str(r[1])) for r in rows]

    def dnc_leads(self, list_id: int, limit: int) -> list[LeadView]:
        """Leads of the list marked do-not-call, in list order."""
        rows = self.db.execute(
            f"{_SELECT} WHERE list_id = ? AND status = 'dnc' ORDER BY position LIMIT ?",
            [list_id, limit],
        ).fetchall()
        return [_view(r) for r in rows]

    def queue(
        self, list_id: int, name: QueueName, now: datetime, after: QueueKey | None = None
    ) -> Iterator[QueueEntry]:
        """The leads of one queue in its order, after the sort key ``after``.

        ``"callback due"``: callbacks that have come due, oldest first (the rep's
        own, and others' once the grace period is over).
        ``"new"``: never-finished leads, fewest attempts first, then in list order.
        ``"retry"``: retries whose cool-down has passed, longest waiting first.
        Leads another rep holds are left out. Entries carry what the
        calling-hours guard needs, not whole leads; they are read page by page,
        each page twice the last, so a pick never loads a whole list.
        """
        where, order = _QUEUES[name]
        stamp = utc_text(now)
        anyones = utc_text(now - self.callback_grace) if self.callback_grace else ""
        condition, marks = _plain_marks(where, [stamp, self.rep, anyones])
        order_by = ", ".join(order)
        page = 50
        while True:
            seek = f"AND ({order_by}) > (?, ?)" if after else ""
            rows = self.db.execute(
                f"""SELECT {order_by}, id, phone, timezones, state, attempts, status, country
                    FROM leads
                    WHERE list_id = ? AND {condition} AND {_NOT_HELD} {seek}
                    ORDER BY {order_by} LIMIT ?""",
                [list_id, *marks, self.rep, stamp, *(after or ()), page],
            ).fetchall()
            for first, second, lead_id, phone, zones, state, attempts, status, country in rows:
                after = (first, second)
                yield QueueEntry(
                    after, lead_id, phone, _zones(zones), state, attempts, status, country or ""
                )
            if len(rows) < page:
                return
            page *= 2

    def queued(self, list_id: int, name: QueueName, now: datetime, limit: int) -> list[LeadView]:
        """The first ``limit`` leads of a queue (see ``queue``)."""
        ids = [entry.lead_id for entry in islice(self.queue(list_id, name, now), limit)]
        return [lead for lead in map(self.lead, ids) if lead is not None]

    def waiting_later(self, list_id: int, now: datetime, limit: int) -> list[LeadView]:
        """Callbacks and retries not yet due, soonest first (two index seeks, merged)."""
        stamp = utc_text(now)
        callbacks = self.db.execute(
            f"""{_SELECT} WHERE list_id = ? AND status = 'callback' AND callback_at > ?
                ORDER BY callback_at, position LIMIT ?""",
            [list_id, stamp, limit],
        ).fetchall()
        retries = self.db.execute(
            f"""{_SELECT} WHERE list_id = ? AND status = 'retry' AND next_call_at > ?
                ORDER BY next_call_at, id LIMIT ?""",
            [list_id, stamp, limit],
        ).fetchall()
        views = [_view(r) for r in (*callbacks, *retries)]
        views.sort(key=lambda v: v.callback_at or v.next_call_at or now)
        return views[:limit]

    def next_change(self, list_id: int, now: datetime) -> datetime | None:
        """The first moment after ``now`` a callback of the list comes due for this rep (another
        rep's once the grace period is over) or another rep's hold runs out (index seeks)."""
        stamp = utc_text(now)
        moments = [
            self.db.execute(
                """SELECT min(callback_at) FROM leads
                   WHERE list_id = ? AND status = 'callback' AND callback_at > ?""",
                [list_id, stamp],
            ).fetchone()[0],
            self.db.execute(
                "SELECT min(claimed_until) FROM claims WHERE rep != ? AND claimed_until > ?",
                [self.rep, stamp],
            ).fetchone()[0],
        ]
        if self.callback_grace is not None:
            # Another rep's callback due a moment ago is anyone's once the grace is over.
            since = utc_text(now - self.callback_grace)
            theirs = self.db.execute(
                """SELECT min(callback_at) FROM leads WHERE list_id = ? AND status = 'callback'
                   AND callback_at > ? AND callback_at <= ? AND callback_rep NOT IN ('', ?)""",
                [list_id, since, stamp, self.rep],
            ).fetchone()[0]
            if theirs is not None:
                moments.append(utc_text(datetime.fromisoformat(theirs) + self.callback_grace))
        return min((datetime.fromisoformat(m) for m in moments if m is not None), default=None)

    def open_count(self, list_id: int, cap: int | None = None) -> int:
        """Leads of the list still open (new, retry, callback), counting at most ``cap``.

        With a cap the count reads at most ``cap`` index entries, whatever the
        list's size.
        """
        if cap is None:
            query, params = "SELECT count(*) FROM leads WHERE list_id = ? AND {open}", [list_id]
        else:
            query = "SELECT count(*) FROM (SELECT 1 FROM leads WHERE list_id = ? AND {open} LIMIT ?) AS open"
            params = [list_id, cap]
        sql = query.format(open="status IN ('new', 'retry', 'callback')")
        return int(self.db.execute(sql, params).fetchone()[0])

    # Outcomes

    @retried
    def record(self, attempt: AttemptRecord, changes: dict[str, Any], dnc_reason: str = "") -> int:
        """Write one attempt and the lead's new state together, committed before returning.

        A full disk or a read-only file raises ``StorageError`` with one sentence,
        and nothing of the attempt is written. The lead's claim is let go with it;
        a callback it books is the rep's.
        """
        if attempt.callback_at is not None:
            changes = {**changes, "callback_rep": self.rep}
        with storage_errors("the database"), transaction(self.db):
            before = self._lead_state(attempt.lead_id)
            cursor = self.db.execute(
                """INSERT INTO attempts (lead_id, session_id, phone, extension, shown_at,
                   started_at, ended_at, duration_s, outcome, note, callback_at, script,
                   script_version, chunk, lead_before, caller, dialed, rep)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    attempt.lead_id, attempt.session_id, attempt.phone, attempt.extension,
                    utc_text(attempt.shown_at) if attempt.shown_at else None,
                    utc_text(attempt.started_at), utc_text(attempt.ended_at), attempt.duration_s,
                    attempt.outcome, attempt.note.replace("\x00", ""),
                    utc_text(attempt.callback_at) if attempt.callback_at else None,
                    attempt.script, attempt.script_version, attempt.chunk,
                    json.dumps(before, ensure_ascii=False), attempt.caller, attempt.dialed,
                    self.rep,
                ],
            )  # fmt: skip
            attempt_id = int(cursor.lastrowid or 0)
            self._update_lead(attempt.lead_id, changes)
            self.db.execute("DELETE FROM claims WHERE lead_id = ?", [attempt.lead_id])
            tell_the_floor(self.db)
            if dnc_reason:
                self.db.execute(
                    """INSERT INTO dnc (phone, source, reason, added_at, lead_id, session_id)
                       VALUES (?, 'internal', ?, ?, ?, ?)""",
                    [attempt.phone, dnc_reason, utc_text(attempt.ended_at), attempt.lead_id,
                     attempt.session_id],
                )  # fmt: skip
        return attempt_id

    @retried
    def undo_last(self, session_id: int) -> int | None:
        """Revert the session's newest attempt; returns its lead id (None if nothing to undo)."""
        with transaction(self.db):
            row = self.db.execute(
                """SELECT id, lead_id, outcome, phone, lead_before FROM attempts
                   WHERE session_id = ? ORDER BY id DESC LIMIT 1""",
                [session_id],
            ).fetchone()
            if row is None:
                return None
            attempt_id, lead_id, outcome, phone, before = row
            self.db.execute("DELETE FROM attempts WHERE id = ?", [attempt_id])
            self._update_lead(lead_id, json.loads(before))
            tell_the_floor(self.db)
            if outcome == "do-not-call":
                self.db.execute(
                    "DELETE FROM dnc WHERE phone = ? AND source = 'internal' AND session_id = ?",
                    [phone, session_id],
                )
        return int(lead_id)

    @retried
    def update_notes(self, lead_id: int, notes: str) -> None:
        with transaction(self.db):
            self.db.execute(
                "UPDATE leads SET notes = ? WHERE id = ?", [notes.replace("\x00", ""), lead_id]
            )

    def dnc_source(self, phone: str) -> str | None:
        """The list a number is on ('internal', 'national', ...), or None."""
        row = self.db.execute(
            "SELECT source FROM dnc WHERE phone = ? ORDER BY id LIMIT 1", [phone]
        ).fetchone()
        return str(row[0]) if row else None

    def _lead_state(self, lead_id: int) -> dict[str, Any]:
        row = self.db.execute(
            f"SELECT {', '.join(LEAD_STATE)} FROM leads WHERE id = ?", [lead_id]
        ).fetchone()
        return dict(zip(LEAD_STATE, row, strict=True))

    def _update_lead(self, lead_id: int, changes: dict[str, Any]) -> None:
        if not changes:
            return
        unknown = set(changes) - set(LEAD_STATE)
        if unknown:
            raise ValueError(f"not lead state: {sorted(unknown)}")
        values = [utc_text(v) if isinstance(v, datetime) else v for v in changes.values()]
        assignments = ", ".join(f"{name} = ?" for name in changes)
        self.db.execute(f"UPDATE leads SET {assignments} WHERE id = ?", [*values, lead_id])
