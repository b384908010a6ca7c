"""What the stores ask of a database, as protocols both engines meet.

SQLite's ``Database`` (dialsmile.storage.db) and PostgreSQL's ``PgDatabase``
(dialsmile.storage.postgres.db) are each a ``Db``, so every store runs on either.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol


class Runner(Protocol):
    """What runs one statement: a sqlite3 connection, a ``Db``, or a migration step's
    database (PostgreSQL's DDL translator)."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Cursor: ...


class Cursor(Protocol):
    """What the stores read from a statement's result: sqlite3's cursor or ``PgCursor``."""

    @property
    def rowcount(self) -> int: ...
    @property
    def lastrowid(self) -> int | None: ...
    @property
    def description(self) -> Any: ...
    def fetchone(self) -> Any: ...
    def fetchmany(self, size: int) -> list[Any]: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """The connection under a ``Db``: transactions and bulk statements use it."""

    @property
    def in_transaction(self) -> bool: ...
    @property
    def total_changes(self) -> int: ...
    def execute(self, sql: str, parameters: Any = ..., /) -> Cursor: ...
    def executemany(self, sql: str, rows: Iterable[Any], /) -> Cursor: ...
    def close(self) -> None: ...


class Db(Protocol):
    """A database as the stores use it: ``execute`` and ``conn``, nothing more.

    SQLite's ``Database`` below and PostgreSQL's ``PgDatabase``
    (dialsmile.storage.postgres.db) both are one, so every store runs on either.
    """

    @property
    def conn(self) -> Connection: ...
    def execute(self, sql: str, parameters: Any = ..., /) -> Cursor: ...
