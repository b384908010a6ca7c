"""Opening the database: one SQLite file, private, WAL, foreign keys, migrated."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from dialsmile.errors import BadInput, NotFound, StorageError
from dialsmile.storage.dbapi import Runner
from dialsmile.storage.migrations import LATEST, migrate
from dialsmile.storage.target import DbTarget
from dialsmile.storage.tx import storage_errors

BUSY_TIMEOUT_MS = 30_000


class Database:
    """One SQLite connection, as the stores use it (a ``Db``): ``execute`` and ``conn``.

    A plain sqlite3 connection rather than sqlite-utils' ``Database``: importing
    sqlite-utils costs every command 150-200 ms before its first line of work.
    The connection is in autocommit
    mode (``isolation_level=None``): a statement commits by itself unless a
    ``transaction`` is open.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(
        self, sql: str, parameters: Sequence[Any] | Mapping[str, Any] = ()
    ) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters)


def on_postgres(db: object) -> bool:
    """True for a PostgreSQL database (dialsmile.storage.postgres): the few statements
    the engines spell differently ask this."""
    return bool(getattr(db, "is_postgres", False))


def open_db(path: Path | str | None = None, *, memory: bool = False) -> Database:
    """Open (creating if needed) and migrate the database at ``path``.

    The file is created with mode 0600. Every connection uses WAL (synced at each
    commit), foreign keys
    and a generous busy timeout so a second dialsmile process waits instead of
    failing with "database is locked".
    """
    if memory:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    else:
        assert path is not None
        conn = _connect_file(Path(path))
    db = Database(conn)
    with storage_errors(str(path or ":memory:")):
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not memory:
            conn.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit is on the disk before the screen moves on, so a power cut
            # loses no outcome (NORMAL in WAL mode may lose the last commits).
            conn.execute("PRAGMA synchronous = FULL")
        migrate(db)
    return db


@contextlib.contextmanager
def peek(path: Path) -> Iterator[sqlite3.Connection | None]:
    """A quick read-only look at the database at ``path``, before opening it for work.

    Nothing is created, and sqlite-utils is not loaded (unless the schema is out
    of date and must be upgraded first), so a command can check its arguments in
    a few milliseconds, and the stores can read (never write) through it. None if
    there is no file yet.
    """
    _not_a_directory(path)
    if not path.is_file():
        yield None
        return
    with storage_errors(str(path)):
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] < LATEST:
                conn.close()
                conn = open_db(path).conn  # an older schema: upgrade it first
            yield conn
        finally:
            conn.close()


def _not_a_directory(path: Path) -> None:
    if path.is_dir():
        raise StorageError(f"The database path {path} is a directory; give a file name.")


def _connect_file(path: Path) -> sqlite3.Connection:
    _not_a_directory(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise StorageError(f"Cannot create the database {path}: {exc.strerror}.") from None
    try:
        return sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
        )
    except sqlite3.Error as exc:
        raise StorageError(f"Cannot open the database {path}: {exc}.") from None


def list_names(db: Runner) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM lists ORDER BY id")]


def choose_list(db: Runner | None, name: str | None) -> str:
    """The list to work: ``name`` if it exists, else the only list, else the latest session's.

    ``db`` None means there is no database yet.
    """
    names = list_names(db) if db is not None else []
    if name is not None:
        if name not in names:
            raise no_such_list(name, names)
        return name
    if not names:
        raise NotFound("There are no leads yet; import some with: dialsmile import FILE.csv")
    if len(names) == 1:
        return names[0]
    assert db is not None
    latest = db.execute(
        """SELECT (SELECT name FROM lists WHERE id = sessions.list_id)
           FROM sessions ORDER BY id DESC LIMIT 1"""
    ).fetchone()
    if latest is None or latest[0] is None:
        raise BadInput(f"Several lists here ({', '.join(names)}); choose one with --list.")
    return str(latest[0])


def no_such_list(name: str, names: list[str]) -> NotFound:
    hint = f" Lists here: {', '.join(names)}." if names else " There are no lists yet."
    return NotFound(f"No list named {name!r}.{hint}")


@contextlib.contextmanager
def reading(target: DbTarget) -> Iterator[Runner | None]:
    """A quick read-only look: a SQLite file is peeked at (None: no file yet); a server
    is connected to, and let go after."""
    if target.path is not None:
        with peek(target.path) as conn:
            yield conn
        return
    from dialsmile.storage.postgres.db import open_pg

    assert target.url is not None
    db = open_pg(target.url)
    try:
        yield db
    finally:
        db.close()
