"""The call floor as one board reads it: each rep's day, the leads they hold, the list;
and how a live board hears that the floor changed.

A board re-reads when something may have changed, not on a timer alone. On
PostgreSQL it listens for the notice the writes send (dialsmile.storage.notify).
On SQLite it asks ``PRAGMA data_version``, which changes when another
connection commits; asking costs microseconds, so it asks every second.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import TYPE_CHECKING, Any

from dialsmile.core.board import DueGroup, ListProgress, RepDay
from dialsmile.core.stats import CONNECTS
from dialsmile.storage.db import BUSY_TIMEOUT_MS
from dialsmile.storage.leads import parse_utc, utc_text
from dialsmile.storage.notify import CHANNEL

if TYPE_CHECKING:
    from datetime import datetime

    from dialsmile.storage.dbapi import Db
    from dialsmile.storage.target import DbTarget

POLL_S = 1.0  # how often a board on SQLite asks whether another connection committed


class FloorWatch:
    """Waits for the floor to change, on its own connection to the database.

    ``start`` begins watching (call it before reading the board the first
    time); ``wait`` then returns True as soon as another connection commits,
    False when ``seconds`` went by quietly. A PostgreSQL connection lost is
    opened again by the next ``wait``, which then returns True: what was
    written meanwhile was not heard.
    """

    def __init__(self, target: DbTarget) -> None:
        self.target = target
        self._sqlite: sqlite3.Connection | None = None
        self._pg: Any = None
        self._version = 0

    def start(self) -> None:
        if self.target.path is not None:
            self._version = self._data_version()
            return
        import psycopg

        try:
            self._listen()
        except psycopg.Error:
            self.close()  # the next wait tries again

    def wait(self, seconds: float) -> bool:
        if self.target.path is not None:
            return self._wait_sqlite(seconds)
        return self._wait_pg(seconds)

    def close(self) -> None:
        for conn in (self._sqlite, self._pg):
            if conn is not None:
                conn.close()
        self._sqlite = self._pg = None

    def _data_version(self) -> int:
        """SQLite's count of commits by other connections, as this one sees it."""
        if self._sqlite is None:
            assert self.target.path is not None
            self._sqlite = sqlite3.connect(
                f"{self.target.path.resolve().as_uri()}?mode=ro",
                uri=True,
                timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
            )
        return int(self._sqlite.execute("PRAGMA data_version").fetchone()[0])

    def _wait_sqlite(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while True:
            version = self._data_version()
            changed, self._version = version != self._version, version
            left = deadline - time.monotonic()
            if changed or left <= 0:
                return changed
            time.sleep(min(POLL_S, left))

    def _listen(self) -> None:
        import psycopg

        from dialsmile.storage.postgres.db import CONNECT_TIMEOUT_S

        assert self.target.url is not None
        self._pg = psycopg.connect(
            self.target.url,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name="dialsmile floor",
        )
        self._pg.execute(f"LISTEN {CHANNEL}")

    def _wait_pg(self, seconds: float) -> bool:
        import psycopg

        try:
            if self._pg is None:
                self._listen()
                return True
            heard = any(True for _ in self._pg.notifies(timeout=seconds, stop_after=1))
            while any(True for _ in self._pg.notifies(timeout=0, stop_after=1)):
                pass  # many writes at once: one read of the board answers them all
            return heard
        except psycopg.Error:
            self.close()
            time.sleep(seconds)  # the server is away: try again after the wait
            return False


class FloorStore:
    """Reads what the floor board shows; writes nothing."""

    def __init__(self, db: Db) -> None:
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
        sessions: dict[str, bool] = {}  # rep -> their open session's last call ended a chunk
        for rep, chunk_size, calls_made in self.db.execute(
            """SELECT s.rep, s.chunk_size,
                      (SELECT count(*) FROM attempts a WHERE a.session_id = s.id)
               FROM sessions s WHERE s.list_id = ? AND s.started_at >= ?
               AND s.started_at < ? AND s.ended_at IS NULL""",
            [list_id, utc_text(start), utc_text(end)],
        ):
            done = int(calls_made) > 0 and int(calls_made) % max(int(chunk_size), 1) == 0
            sessions[str(rep)] = sessions.get(str(rep), False) or done
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
                chunk_done=sessions.get(name, False),
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

    def due_groups(self, list_id: int, now: datetime) -> list[DueGroup]:
        """The list's open leads due now, grouped as their calling windows are (a North
        American number by its area code, any other by itself), with zones, state and country."""
        stamp = utc_text(now)
        rows = self.db.execute(
            """SELECT min(phone), timezones, state, country, count(*) FROM leads
               WHERE list_id = ? AND (status = 'new'
                 OR (status = 'retry' AND next_call_at <= ?)
                 OR (status = 'callback' AND callback_at <= ?))
               GROUP BY CASE WHEN phone LIKE '+1%' THEN substr(phone, 1, 5) ELSE phone END,
                        timezones, state, country""",
            [list_id, stamp, stamp],
        ).fetchall()
        return [
            DueGroup(str(phone), tuple(json.loads(zones or "[]")), state, int(count), country or "")
            for phone, zones, state, country, count in rows
        ]
