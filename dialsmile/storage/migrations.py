"""Numbered schema migrations; the version is kept in ``PRAGMA user_version``.

Each migration runs once, in order, inside one transaction. Never edit a
migration that has shipped: add a new one.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from dialsmile.errors import StorageError
from dialsmile.storage.tx import transaction

if TYPE_CHECKING:
    from dialsmile.storage.dbapi import Db, Runner


def _v1_foundation(db: Runner) -> None:
    db.execute(
        """
        CREATE TABLE lists (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL DEFAULT 'consumer',
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE import_batches (
            id INTEGER PRIMARY KEY,
            list_id INTEGER NOT NULL REFERENCES lists(id),
            file TEXT NOT NULL,
            encoding TEXT NOT NULL,
            delimiter TEXT NOT NULL,
            rows INTEGER NOT NULL,
            imported INTEGER NOT NULL,
            duplicates INTEGER NOT NULL,
            rejected INTEGER NOT NULL,
            skipped_blank INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            undone_at TEXT
        )"""
    )
    db.execute(
        """
        CREATE TABLE leads (
            id INTEGER PRIMARY KEY,
            list_id INTEGER NOT NULL REFERENCES lists(id),
            batch_id INTEGER REFERENCES import_batches(id),
            position INTEGER NOT NULL,
            source_file TEXT,
            source_row INTEGER,
            name TEXT NOT NULL DEFAULT '',
            first_name TEXT NOT NULL DEFAULT '',
            last_name TEXT NOT NULL DEFAULT '',
            company TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            email TEXT NOT NULL DEFAULT '',
            city TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT '',
            country TEXT NOT NULL DEFAULT '',
            region TEXT NOT NULL DEFAULT '',
            phone_raw TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL,
            extension TEXT NOT NULL DEFAULT '',
            phone_kind TEXT NOT NULL DEFAULT '',
            alt_phones TEXT NOT NULL DEFAULT '[]',
            timezones TEXT NOT NULL DEFAULT '[]',
            notes TEXT NOT NULL DEFAULT '',
            extra TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'new',
            attempts INTEGER NOT NULL DEFAULT 0,
            last_outcome TEXT,
            last_called_at TEXT,
            next_call_at TEXT,
            callback_at TEXT,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE UNIQUE INDEX leads_list_phone ON leads(list_id, phone, extension)")
    db.execute("CREATE INDEX leads_batch ON leads(batch_id)")
    db.execute("CREATE INDEX leads_list_position ON leads(list_id, position)")


def _v2_sessions(db: Runner) -> None:
    db.execute(
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            list_id INTEGER REFERENCES lists(id),
            started_at TEXT NOT NULL,
            ended_at TEXT,
            chunk_size INTEGER NOT NULL,
            script TEXT,
            script_version TEXT,
            paused_s REAL NOT NULL DEFAULT 0
        )"""
    )
    db.execute(
        """
        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            lead_id INTEGER NOT NULL REFERENCES leads(id),
            session_id INTEGER REFERENCES sessions(id),
            phone TEXT NOT NULL,
            extension TEXT NOT NULL DEFAULT '',
            shown_at TEXT,
            started_at TEXT NOT NULL,
            ended_at TEXT NOT NULL,
            duration_s REAL,
            outcome TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            callback_at TEXT,
            script TEXT,
            script_version TEXT,
            chunk INTEGER,
            lead_before TEXT NOT NULL DEFAULT '{}'
        )"""
    )
    db.execute("CREATE INDEX attempts_session ON attempts(session_id, id)")
    db.execute("CREATE INDEX attempts_lead ON attempts(lead_id, started_at)")
    db.execute("CREATE INDEX attempts_started ON attempts(started_at)")
    db.execute(
        """
        CREATE TABLE dnc (
            id INTEGER PRIMARY KEY,
            phone TEXT NOT NULL,
            source TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            added_at TEXT NOT NULL,
            lead_id INTEGER,
            session_id INTEGER
        )"""
    )
    db.execute("CREATE INDEX dnc_phone ON dnc(phone)")
    db.execute("CREATE INDEX leads_queue ON leads(list_id, status, attempts, position)")


def _v3_guard_coach_practice(db: Runner) -> None:
    """DNC list copies and their log, overrides, practice results, intro emails."""
    db.execute(
        """
        CREATE TABLE dnc_copies (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            file TEXT NOT NULL,
            as_of TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            numbers INTEGER NOT NULL
        )"""
    )
    db.execute("ALTER TABLE dnc ADD COLUMN copy_id INTEGER REFERENCES dnc_copies(id)")
    db.execute("CREATE INDEX dnc_copy ON dnc(copy_id)")
    db.execute("CREATE INDEX attempts_phone ON attempts(phone, started_at)")
    db.execute(
        """
        CREATE TABLE dnc_log (
            id INTEGER PRIMARY KEY,
            phone TEXT NOT NULL,
            action TEXT NOT NULL,
            source TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE overrides (
            id INTEGER PRIMARY KEY,
            lead_id INTEGER NOT NULL REFERENCES leads(id),
            session_id INTEGER REFERENCES sessions(id),
            phone TEXT NOT NULL,
            at TEXT NOT NULL,
            who TEXT NOT NULL,
            reason TEXT NOT NULL,
            blocked_because TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE practice (
            id INTEGER PRIMARY KEY,
            script TEXT NOT NULL,
            script_version TEXT NOT NULL,
            objection TEXT NOT NULL,
            result TEXT NOT NULL,
            seconds REAL,
            drill TEXT NOT NULL DEFAULT 'objections',
            at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX practice_objection ON practice(script, objection, at)")
    # The session's queue reads these in order; partial, so an import of new leads never pays.
    db.execute(
        "CREATE INDEX leads_callbacks ON leads(list_id, callback_at, position) "
        "WHERE status = 'callback'"
    )
    db.execute(
        "CREATE INDEX leads_retries ON leads(list_id, next_call_at, id) WHERE status = 'retry'"
    )
    db.execute("CREATE INDEX leads_dnc ON leads(list_id, position) WHERE status = 'dnc'")
    db.execute("ALTER TABLE leads ADD COLUMN intro_email_sent_at TEXT")
    db.execute("ALTER TABLE attempts ADD COLUMN caller TEXT")


def _v4_attempt_durations(db: Runner) -> None:
    """Every attempt gets a start and a duration, and says whether the rep dialed.

    A call was timed from the dial key; one logged without it had no
    duration and started when it ended. Now such a call starts when its lead
    was shown. Past calls are filled in the same way where the database knows
    when the lead was shown (whole seconds, as the times are stored); an
    attempt without that keeps an empty duration. Calls with a duration were
    dialed.

    Text written by the session export's SQL loses NUL characters (SQLite's
    ``printf`` stops at one); imports and notes no longer store them, and
    those already stored are taken out.
    """
    db.execute("ALTER TABLE attempts ADD COLUMN dialed INTEGER NOT NULL DEFAULT 0")
    db.execute("UPDATE attempts SET dialed = 1 WHERE duration_s IS NOT NULL")
    _without_nul(db, "leads", ("name", "company", "extension"))
    _without_nul(db, "attempts", ("note", "extension", "script", "script_version"))
    db.execute(
        """UPDATE attempts SET started_at = min(shown_at, ended_at),
               duration_s = max(0.0, round((julianday(ended_at) - julianday(shown_at)) * 86400))
           WHERE duration_s IS NULL AND shown_at IS NOT NULL"""
    )


def _without_nul(db: Runner, table: str, columns: tuple[str, ...]) -> None:
    """Take NUL characters out of ``columns`` of ``table`` (text functions stop at them)."""
    holds = " OR ".join(f"instr(CAST({c} AS BLOB), x'00')" for c in columns)
    rows = db.execute(f"SELECT id, {', '.join(columns)} FROM {table} WHERE {holds}").fetchall()
    for row_id, *values in rows:
        cleaned = [v.replace("\x00", "") if isinstance(v, str) else v for v in values]
        assignments = ", ".join(f"{c} = ?" for c in columns)
        db.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", [*cleaned, row_id])


def _v5_crm_records(db: Runner) -> None:
    """The CRM a lead was exported from and its record id there, to write calls back."""
    db.execute("ALTER TABLE leads ADD COLUMN crm TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE leads ADD COLUMN crm_id TEXT NOT NULL DEFAULT ''")


def _v6_floor(db: Runner) -> None:
    """Reps and claims, for a team working one list (a call floor).

    Sessions, attempts and the callbacks they book name their rep (empty
    before reps were named). A claim holds a lead for one rep until it runs
    out: one row per lead, so no lead is ever held by two reps.
    """
    db.execute("ALTER TABLE sessions ADD COLUMN rep TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE attempts ADD COLUMN rep TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE leads ADD COLUMN callback_rep TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE INDEX attempts_rep ON attempts(rep, started_at)")
    db.execute(
        """
        CREATE TABLE claims (
            lead_id INTEGER NOT NULL PRIMARY KEY REFERENCES leads(id) ON DELETE CASCADE,
            rep TEXT NOT NULL,
            claimed_at TEXT NOT NULL,
            claimed_until TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX claims_rep ON claims(rep)")


MIGRATIONS: list[Callable[[Runner], None]] = [
    _v1_foundation,
    _v2_sessions,
    _v3_guard_coach_practice,
    _v4_attempt_durations,
    _v5_crm_records,
    _v6_floor,
]
LATEST = len(MIGRATIONS)


def schema_version(db: Runner) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: Db, target: int = LATEST) -> int:
    """Bring the database up to ``target``; return the version it had before."""
    before = schema_version(db)
    if before > LATEST:
        raise StorageError(
            f"This database was written by a newer dialsmile (schema {before}); "
            "upgrade dialsmile to open it."
        )
    for version in range(before + 1, target + 1):
        try:
            with transaction(db):
                MIGRATIONS[version - 1](db)
                db.execute(f"PRAGMA user_version = {version}")
        except sqlite3.OperationalError as exc:
            refused = another_program(str(exc)) if before == 0 else None
            if refused is None:
                raise
            raise refused from None
    return before


_TAKEN = re.compile(r'(?:table|relation) "?(\w+)"? already exists')


def another_program(error: str) -> StorageError | None:
    """The error to give when a new schema's first step met a table of another
    program's by one of dialsmile's names (``error`` is what the engine said); None
    when ``error`` is something else."""
    taken = _TAKEN.search(error)
    if taken is None:
        return None
    return StorageError(
        f"This database holds another program's tables ({taken.group(1)}); "
        "give dialsmile a database of its own."
    )
