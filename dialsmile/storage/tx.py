"""Transactions and SQLite error messages."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from typing import TYPE_CHECKING

from dialsmile.errors import StorageError

if TYPE_CHECKING:
    import sqlite_utils


@contextlib.contextmanager
def storage_errors(where: str) -> Iterator[None]:
    """Turn SQLite failures into one plain sentence."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        raise StorageError(describe_sqlite_error(exc, where)) from None


def describe_sqlite_error(exc: sqlite3.DatabaseError, where: str) -> str:
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text:
        return f"The database {where} is read-only; nothing was changed."
    if "disk is full" in text or "database or disk is full" in text:
        return f"The disk holding {where} is full; nothing was changed."
    if "locked" in text or "busy" in text:
        return f"The database {where} is busy in another program; try again in a moment."
    if "not a database" in text or "malformed" in text or "file is encrypted" in text:
        return f"{where} is not a dialsmile database (or it is damaged)."
    return f"Database error in {where}: {exc}."


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """One write transaction: everything inside commits together or not at all.

    BEGIN IMMEDIATE takes the write lock at the start, so a concurrent writer
    waits on the busy timeout instead of failing half-way.
    """
    conn = db.conn
    if conn.in_transaction:
        # Nested use joins the outer transaction.
        yield
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        # SQLite has already rolled back after some errors (disk full): keep the original.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
