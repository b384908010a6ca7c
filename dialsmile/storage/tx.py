"""Transactions, running them again after a conflict, and SQLite error messages."""

from __future__ import annotations

import contextlib
import functools
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, Protocol, TypeVar

from dialsmile.errors import Conflict, ServerGone, StorageError

if TYPE_CHECKING:
    from dialsmile.storage.dbapi import Db

# A conflict is tried this many times in all; the waits between grow from about
# 10 ms and are drawn at random, so two reps who collided do not collide again in step.
ATTEMPTS = 6
FIRST_WAIT_S = 0.01


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
def transaction(db: Db) -> Iterator[None]:
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


class _Store(Protocol):
    @property
    def db(self) -> Any: ...


S = TypeVar("S", bound=_Store)
P = ParamSpec("P")
R = TypeVar("R")


def retried(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Run a store's write again when the server rolled its transaction back.

    PostgreSQL ends one of two colliding transactions with a deadlock or a
    serialization failure (``Conflict``); a connection lost before COMMIT
    (``ServerGone``) rolled it back too. Both left nothing written, so the whole
    method runs again: a conflict up to ``ATTEMPTS`` times with jittered waits, a
    lost connection once, on a new one (a server still down is the caller's to
    report). A COMMIT whose answer was lost is never run again: it may have been
    kept. Called inside an open transaction, the method joins it and the outer
    one is retried whole. SQLite raises neither (its writers queue on the lock).
    """

    @functools.wraps(method)
    def run(store: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        if store.db.conn.in_transaction:
            return method(store, *args, **kwargs)
        attempt = 1
        while True:
            try:
                return method(store, *args, **kwargs)
            except Conflict:
                if attempt >= ATTEMPTS:
                    raise
            except ServerGone as exc:
                if exc.maybe_saved or attempt > 1:
                    raise
            time.sleep(random.uniform(0, FIRST_WAIT_S * 2**attempt))
            attempt += 1

    return run
