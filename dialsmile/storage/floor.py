"""The call floor as one board reads it: each rep's day, the leads they hold, the list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from dialsmile.core.stats import CONNECTS
from dialsmile.storage.leads import parse_utc, utc_text

if TYPE_CHECKING:
    import sqlite_utils


@dataclass(frozen=True)
class RepDay:
    """One rep's day on a list so far."""

    rep: str
    dials: int
    connects: int
    yes: int
    last_call_at: datetime | None
    session_open: bool  # a session of theirs started today and not ended
    holding: tuple[int, str] | None  # (lead id, name) of the lead they hold


@dataclass(frozen=True)
class ListProgress:
    leads: int
    open: int
    worked: int  # leads with at least one call
    callbacks_due: int
    callbacks_later: int


class FloorStore:
    """Reads what the floor board shows; writes nothing."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def reps(self, list_id: int, start: datetime, end: datetime, now: datetime) -> list[RepDay]:
        """Every rep who called, opened a session or holds a lead of the list in
        [start, end), by name."""
        marks = ",".join("?" * len(CONNECTS))
        calls = {
            str(r[0]): (int(r[1]), int(r[2]), int(r[3]), parse_utc(r[4]))
            for r in self.db.execute(
                f"""SELECT a.rep, count(*) FILTER (WHERE a.outcome != 'skip'),
                           count(*) FILTER (WHERE a.outcome IN ({marks})),
                           count(*) FILTER (WHERE a.outcome = 'yes'), max(a.ended_at)
                    FROM attempts a JOIN sessions s ON s.id = a.session_id
                    WHERE s.list_id = ? AND a.started_at >= ? AND a.started_at < ?
                    GROUP BY a.rep""",
                [*sorted(CONNECTS), list_id, utc_text(start), utc_text(end)],
            )
        }
        sessions = {
            str(r[0])
            for r in self.db.execute(
                """SELECT DISTINCT rep FROM sessions WHERE list_id = ? AND started_at >= ?
                   AND started_at < ? AND ended_at IS NULL""",
                [list_id, utc_text(start), utc_text(end)],
            )
        }
        holding = {
            str(r[0]): (int(r[1]), str(r[2]))
            for r in self.db.execute(
                """SELECT c.rep, d.id, coalesce(nullif(d.name, ''), nullif(d.company, ''), d.phone)
                   FROM claims c JOIN leads d ON d.id = c.lead_id
                   WHERE d.list_id = ? AND c.claimed_until > ?""",
                [list_id, utc_text(now)],
            )
        }
        names = sorted({*calls, *sessions, *holding} - {""}, key=str.casefold)
        return [
            RepDay(
                name,
                *calls.get(name, (0, 0, 0, None)),
                session_open=name in sessions,
                holding=holding.get(name),
            )
            for name in names
        ]

    def progress(self, list_id: int, now: datetime) -> ListProgress:
        row = self.db.execute(
            """SELECT count(*),
                      count(*) FILTER (WHERE status IN ('new', 'retry', 'callback')),
                      count(*) FILTER (WHERE attempts > 0),
                      count(*) FILTER (WHERE status = 'callback' AND callback_at <= ?),
                      count(*) FILTER (WHERE status = 'callback' AND callback_at > ?)
               FROM leads WHERE list_id = ?""",
            [utc_text(now), utc_text(now), list_id],
        ).fetchone()
        return ListProgress(*(int(v) for v in row))
