"""The one way a session row is read, for the call and statistics stores alike."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from dialsmile.core.models import SessionRow
from dialsmile.storage.leads import parse_utc

SELECT_SESSION = """SELECT s.id, s.list_id, coalesce(l.name, ''), s.started_at, s.ended_at,
                           s.chunk_size, s.script, s.script_version, s.paused_s
                    FROM sessions s LEFT JOIN lists l ON l.id = s.list_id"""
"""Every column of ``SessionRow``; add ``WHERE`` and ``ORDER BY`` on the ``s`` alias."""


def session_row(row: Sequence[Any]) -> SessionRow:
    """A row of ``SELECT_SESSION`` as a ``SessionRow``."""
    return SessionRow(
        id=int(row[0]),
        list_id=row[1],
        list_name=str(row[2]),
        started_at=datetime.fromisoformat(row[3]),
        ended_at=parse_utc(row[4]),
        chunk_size=int(row[5]),
        script=row[6],
        script_version=row[7],
        paused_s=float(row[8] or 0),
    )
