"""The queries behind the momentum statistics: attempts by period and session, practice.

Every read here is bounded (a period, a session, or a fixed number of recent
rows), so nothing grows with the size of the whole history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from dialsmile.core.models import SessionRow
from dialsmile.core.practice import CALL_SECTIONS
from dialsmile.core.stats import CONNECTS, Attempt, History, day_bounds, local_day
from dialsmile.storage.leads import parse_utc, utc_text
from dialsmile.storage.sessions import SELECT_SESSION, session_row

if TYPE_CHECKING:
    from dialsmile.storage.dbapi import Db

RECENT_DIALS = 5_000
"""The yes estimate uses at most this many of the rep's most recent dials."""
SINCE_YES_SCAN = 1_000
"""How far back the "dials since your last yes" meter looks."""

_COLUMNS = "outcome, started_at, ended_at, shown_at, dialed, session_id, chunk, caller"


def _attempt(row: Sequence[Any]) -> Attempt:
    return Attempt(
        outcome=str(row[0]),
        started_at=datetime.fromisoformat(row[1]),
        ended_at=datetime.fromisoformat(row[2]),
        shown_at=parse_utc(row[3]),
        dialed=bool(row[4]),
        session_id=row[5],
        chunk=row[6],
        caller=row[7],
    )


@dataclass(frozen=True)
class PracticeTally:
    """Practice results for one objection (or part of the call drill) of one script."""

    script: str
    kind: str  # "objection", or "section" for a part of the call drill (Opening...)
    objection: str
    nailed: int
    missed: int
    skipped: int
    last_at: datetime | None


class StatsStore:
    """Reads attempts, sessions and practice results for the statistics."""

    def __init__(self, db: Db) -> None:
        self.db = db

    def attempts_between(
        self, start: datetime, end: datetime, exclude_session: int | None = None
    ) -> list[Attempt]:
        """Attempts whose dial started in [start, end), oldest first (practice never)."""
        rows = self.db.execute(
            f"""SELECT {_COLUMNS} FROM attempts
                WHERE started_at >= ? AND started_at < ? AND session_id IS NOT ?
                ORDER BY started_at, id""",
            [utc_text(start), utc_text(end), exclude_session],
        ).fetchall()
        return [_attempt(r) for r in rows]

    def dials_per_hour(
        self, start: datetime, end: datetime, latest: int
    ) -> list[tuple[datetime, int, int]]:
        """(UTC hour, dials, connects) of the ``latest`` dials in [start, end), counted in SQL."""
        marks = ",".join("?" * len(CONNECTS))
        rows = self.db.execute(
            f"""SELECT substr(started_at, 1, 13), count(*), count(*) FILTER (WHERE outcome IN ({marks})) FROM (
                  SELECT started_at, outcome FROM attempts
                  WHERE started_at >= ? AND started_at < ? AND outcome != 'skip'
                  ORDER BY started_at DESC LIMIT ?) AS latest
                GROUP BY 1""",
            [*sorted(CONNECTS), utc_text(start), utc_text(end), latest],
        ).fetchall()
        return [
            (datetime.fromisoformat(f"{hour}:00:00+00:00"), int(dials), int(connects))
            for hour, dials, connects in rows
        ]

    def session_attempts(self, session_id: int) -> list[Attempt]:
        """The attempts of one session, oldest first."""
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM attempts WHERE session_id = ? ORDER BY id", [session_id]
        ).fetchall()
        return [_attempt(r) for r in rows]

    def history(self, session_id: int | None, now: datetime, zone: str) -> History:
        """What the coach needs from before this session (None: from all sessions),
        read once when it starts."""
        start, end = day_bounds(local_day(now, zone), zone)
        recent = self.db.execute(
            """SELECT count(*), count(*) FILTER (WHERE outcome = 'yes') FROM (
                 SELECT outcome FROM attempts WHERE outcome != 'skip' AND session_id IS NOT ?
                 ORDER BY id DESC LIMIT ?) AS recent""",
            [session_id, RECENT_DIALS],
        ).fetchone()
        since_yes = 0
        for (outcome,) in self.db.execute(
            """SELECT outcome FROM attempts WHERE session_id IS NOT ?
               ORDER BY id DESC LIMIT ?""",
            [session_id, SINCE_YES_SCAN],
        ):
            if outcome == "yes":
                break
            if outcome != "skip":
                since_yes += 1
        paused = self.db.execute(
            """SELECT coalesce(sum(paused_s), 0) FROM sessions
               WHERE started_at >= ? AND started_at < ? AND id IS NOT ?""",
            [utc_text(start), utc_text(end), session_id],
        ).fetchone()[0]
        return History(
            dials=int(recent[0]),
            yeses=int(recent[1]),
            dials_since_yes=since_yes,
            today=self.attempts_between(start, end, exclude_session=session_id),
            paused_today_s=float(paused),
        )

    def sessions_between(self, start: datetime, end: datetime) -> list[SessionRow]:
        """Sessions started in [start, end) that have at least one attempt, oldest first."""
        rows = self.db.execute(
            f"""{SELECT_SESSION} WHERE s.started_at >= ? AND s.started_at < ?
                  AND EXISTS (SELECT 1 FROM attempts a WHERE a.session_id = s.id)
                ORDER BY s.started_at, s.id""",
            [utc_text(start), utc_text(end)],
        ).fetchall()
        return [session_row(r) for r in rows]

    def session(self, session_id: int) -> SessionRow | None:
        """One session, or None."""
        row = self.db.execute(f"{SELECT_SESSION} WHERE s.id = ?", [session_id]).fetchone()
        return session_row(row) if row else None

    def paused_between(self, start: datetime, end: datetime) -> float:
        """Break seconds of the sessions started in [start, end)."""
        row = self.db.execute(
            "SELECT coalesce(sum(paused_s), 0) FROM sessions WHERE started_at >= ? AND started_at < ?",
            [utc_text(start), utc_text(end)],
        ).fetchone()
        return float(row[0])

    def next_callbacks(
        self, list_id: int | None, now: datetime, limit: int = 3
    ) -> list[tuple[str, datetime]]:
        """The soonest booked callbacks still to come (of one list, or all): (name, when)."""
        rows = self.db.execute(
            """SELECT coalesce(nullif(name, ''), nullif(company, ''), phone), callback_at
               FROM leads WHERE status = 'callback' AND callback_at >= ?
                 AND (? IS NULL OR list_id = ?)
               ORDER BY callback_at LIMIT ?""",
            [utc_text(now), list_id, list_id, limit],
        ).fetchall()
        return [(str(r[0]), datetime.fromisoformat(r[1])) for r in rows]

    def practice(self, since: datetime | None = None) -> list[PracticeTally]:
        """Practice results per script, objections then parts of the call drill, all
        versions of a pack together (never counted as calls).

        Weakest first: the lowest share nailed of nailed and missed; on a tie,
        more answers first; ones only ever skipped last.
        """
        stamp = utc_text(since) if since else None
        sections = ", ".join("?" for _ in CALL_SECTIONS)
        rows = self.db.execute(
            f"""SELECT script, kind, objection, nailed, missed, skipped, last_at FROM (
                  SELECT script, objection, max(at) AS last_at,
                         CASE WHEN drill = 'call' AND objection IN ({sections})
                              THEN 'section' ELSE 'objection' END AS kind,
                         count(*) FILTER (WHERE result = 'nailed') AS nailed,
                         count(*) FILTER (WHERE result = 'missed') AS missed,
                         count(*) FILTER (WHERE result = 'skipped') AS skipped
                  FROM practice WHERE (? IS NULL OR at >= ?)
                  GROUP BY script, kind, objection) AS tally
                ORDER BY script, kind = 'section', nailed + missed = 0,
                         1.0 * nailed / nullif(nailed + missed, 0), nailed + missed DESC,
                         objection""",
            [*CALL_SECTIONS, stamp, stamp],
        ).fetchall()
        return [
            PracticeTally(
                str(r[0]), str(r[1]), str(r[2]), int(r[3]), int(r[4]), int(r[5]), parse_utc(r[6])
            )
            for r in rows
        ]
