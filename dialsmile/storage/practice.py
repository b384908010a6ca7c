"""Practice results and intro emails: their SQL.

Practice rows live in their own table and are never counted as calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from dialsmile.storage.leads import parse_utc, utc_text
from dialsmile.storage.tx import retried, transaction

if TYPE_CHECKING:
    from dialsmile.storage.dbapi import Db

RESULTS = ("nailed", "missed", "skipped")
DRILLS = ("objections", "call")


@dataclass(frozen=True)
class PracticeRow:
    """One practised item: an objection (or a part of the call) and how it went."""

    script: str
    script_version: str
    objection: str
    result: str
    seconds: float | None
    drill: str
    at: datetime


class PracticeStore:
    """Reads and writes the ``practice`` table."""

    def __init__(self, db: Db) -> None:
        self.db = db

    @retried
    def record(self, row: PracticeRow) -> int:
        """Save one result (committed at once)."""
        if row.result not in RESULTS:
            raise ValueError(f"practice result must be one of {RESULTS}, not {row.result!r}")
        with transaction(self.db):
            cursor = self.db.execute(
                """INSERT INTO practice (script, script_version, objection, result, seconds, drill, at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                [
                    row.script,
                    row.script_version,
                    row.objection,
                    row.result,
                    None if row.seconds is None else round(row.seconds, 1),
                    row.drill,
                    utc_text(row.at),
                ],
            )
        return int(cursor.lastrowid or 0)

    def history(self, script: str) -> dict[str, list[tuple[str, datetime]]]:
        """Past results per objection of a script (any version), newest first."""
        rows = self.db.execute(
            """SELECT objection, result, at FROM practice
               WHERE script = ? ORDER BY at DESC, id DESC""",
            [script],
        ).fetchall()
        out: dict[str, list[tuple[str, datetime]]] = {}
        for objection, result, at in rows:
            moment = parse_utc(at)
            if moment is not None:
                out.setdefault(objection, []).append((result, moment))
        return out

    def rows(self, script: str | None = None) -> list[PracticeRow]:
        """Every practice row (of one script), oldest first."""
        where, args = ("WHERE script = ?", [script]) if script else ("", [])
        found = self.db.execute(
            "SELECT script, script_version, objection, result, seconds, drill, at "
            f"FROM practice {where} ORDER BY at, id",
            args,
        ).fetchall()
        return [
            PracticeRow(r[0], r[1], r[2], r[3], r[4], r[5], parse_utc(r[6]) or datetime.min)
            for r in found
        ]


class IntroEmails:
    """When a lead's intro email was sent (``leads.intro_email_sent_at``)."""

    def __init__(self, db: Db) -> None:
        self.db = db

    @retried
    def mark_sent(self, lead_id: int, at: datetime) -> None:
        """Record that the intro email went out now (committed at once)."""
        with transaction(self.db):
            self.db.execute(
                "UPDATE leads SET intro_email_sent_at = ? WHERE id = ?", [utc_text(at), lead_id]
            )

    def sent_at(self, lead_id: int) -> datetime | None:
        """When the lead's intro email was sent, if ever."""
        row = self.db.execute(
            "SELECT intro_email_sent_at FROM leads WHERE id = ?", [lead_id]
        ).fetchone()
        return parse_utc(row[0]) if row else None
