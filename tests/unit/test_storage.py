from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlite_utils

from dialsmile.errors import StorageError
from dialsmile.storage.db import open_db
from dialsmile.storage.migrations import LATEST, migrate, schema_version

pytestmark = pytest.mark.sqlite_only(
    "the SQLite file itself: its mode, WAL, foreign keys and schema upgrades"
)

NOW = datetime(2026, 11, 25, 16, 0, tzinfo=UTC)


def test_new_database_is_private_wal_with_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "d.db"
    db = open_db(path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    # A power cut loses no outcome: each commit is synced to the disk (FULL is 2).
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2
    assert schema_version(db) == LATEST
    assert {"lists", "import_batches", "leads", "sessions", "attempts", "dnc"} <= set(
        sqlite_utils.Database(db.conn).table_names()
    )


def test_upgrades_a_version_1_database_keeping_its_leads(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))
    migrate(old, target=1)
    old.execute("INSERT INTO lists (name, created_at) VALUES ('Old', '2025-01-01T00:00:00+00:00')")
    old.execute(
        "INSERT INTO leads (list_id, position, name, phone, created_at) "
        "VALUES (1, 1, 'Ann', '+15125550134', '2025-01-01T00:00:00+00:00')"
    )
    old.conn.close()

    db = open_db(path)
    assert schema_version(db) == LATEST
    assert db.execute("SELECT name, phone, status FROM leads").fetchall() == [
        ("Ann", "+15125550134", "new")
    ]
    assert "attempts" in sqlite_utils.Database(db.conn).table_names()


def test_newer_schema_is_refused_in_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST + 5}")
    conn.close()
    with pytest.raises(StorageError, match="newer dialsmile"):
        open_db(path)


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StorageError, match="not a dialsmile database"):
        open_db(path)


def test_plain_browsable_tables(tmp_path: Path) -> None:
    db = sqlite_utils.Database(open_db(tmp_path / "d.db").conn)  # as a user browses it
    columns = {c.name for c in db["leads"].columns}
    for name in ("source_file", "source_row", "phone_raw", "phone", "extension", "alt_phones",
                 "region", "timezones", "name", "company", "title", "email", "city", "state",
                 "country", "notes", "extra"):  # fmt: skip
        assert name in columns
    # Phone lists and time zones are JSON text (README, "The database").
    types = {c.name: c.type for c in db["leads"].columns}
    assert types["alt_phones"] == types["timezones"] == types["extra"] == "TEXT"


def at(clock: str) -> str:
    """A stored moment on 2 Jan 2025 (UTC)."""
    return f"2025-01-02T{clock}+00:00"


def test_upgrade_times_past_calls_logged_without_the_dial_key(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    old = sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))
    migrate(old, target=3)
    old.execute("INSERT INTO lists (name, created_at) VALUES ('Old', '2025-01-01T00:00:00+00:00')")
    old.execute(
        "INSERT INTO leads (list_id, position, name, phone, created_at) "
        "VALUES (1, 1, 'Ann', '+15125550134', '2025-01-01T00:00:00+00:00')"
    )
    old.execute(
        "INSERT INTO sessions (list_id, started_at, chunk_size) "
        "VALUES (1, '2025-01-02T15:00:00+00:00', 25)"
    )
    calls = [
        # Logged without space: it started and ended at the outcome key, no duration.
        (at("15:00:05"), at("15:00:47"), at("15:00:47"), None),
        # Dialed with space: timed from the dial key already.
        (at("15:01:00"), at("15:01:10"), at("15:01:40"), 30.0),
        # Nothing says when its lead was shown: left as it was.
        (None, at("15:02:00"), at("15:02:00"), None),
    ]
    for shown, started, ended, duration in calls:
        old.execute(
            "INSERT INTO attempts (lead_id, session_id, phone, shown_at, started_at, ended_at, "
            "duration_s, outcome, note) VALUES (1, 1, '+15125550134', ?, ?, ?, ?, 'no', ?)",
            [shown, started, ended, duration, "said\x00 no"],
        )
    old.conn.close()

    db = open_db(path)
    assert schema_version(db) == LATEST
    assert db.execute(
        "SELECT started_at, ended_at, duration_s, dialed FROM attempts ORDER BY id"
    ).fetchall() == [
        (at("15:00:05"), at("15:00:47"), 42.0, 0),
        (at("15:01:10"), at("15:01:40"), 30.0, 1),
        (at("15:02:00"), at("15:02:00"), None, 0),
    ]
    # NUL, where SQLite's text functions stop, is taken out of what the export writes.
    assert {r[0] for r in db.execute("SELECT note FROM attempts")} == {"said no"}
