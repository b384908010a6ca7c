"""Opening a PostgreSQL database so the stores' SQL runs on it as on SQLite.

The stores write their SQL once, in the dialect both engines share (``?``
marks, ISO 8601 text for moments, JSON as text). A ``PgDatabase`` takes that
SQL as sqlite3 would (marks, ``lastrowid``, ``BEGIN IMMEDIATE``,
``total_changes``) and runs it through psycopg 3; the few statements that
differ between the engines ask ``is_postgres`` and live beside their SQLite
twin in the store.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from dialsmile.errors import StorageError
from dialsmile.storage.target import password, redact

if TYPE_CHECKING:
    import psycopg

CONNECT_TIMEOUT_S = 10
DRIVER_MISSING = 'PostgreSQL needs its driver: pip install "dialsmile[team]".'
# Tables whose rows have an ``id`` an INSERT hands back as ``lastrowid``.
_INSERT_INTO = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)", re.IGNORECASE)
_NO_ID = frozenset({"claims", "dialsmile_schema"})


def _driver() -> Any:
    try:
        import psycopg
    except ImportError:
        raise StorageError(DRIVER_MISSING) from None
    return psycopg


# SQLite's spellings PostgreSQL has its own for: ``x IS NOT ?`` compares with NULL as a value;
# a lone ``? IS NULL`` needs a type.
_SPELLINGS = (
    (re.compile(r"\bIS NOT \?"), "IS DISTINCT FROM ?"),
    (re.compile(r"\(\? IS NULL\b"), "(CAST(? AS TEXT) IS NULL"),
)


@functools.lru_cache(maxsize=512)
def translate(sql: str) -> tuple[str, tuple[int, ...] | None]:
    """SQLite's ``?`` and ``?N`` marks as psycopg's ``%s``; ``%`` doubled; SQLite's
    spellings of a few comparisons as PostgreSQL's.

    Returns the statement and, when it numbers its marks, the index of the
    parameter each ``%s`` takes (``?1 ... ?1`` uses the first one twice).
    Marks inside quoted text are left alone.
    """
    for pattern, spelling in _SPELLINGS:
        sql = pattern.sub(spelling, sql)
    out: list[str] = []
    order: list[int] = []
    numbered = False
    quote = ""
    i = 0
    while i < len(sql):
        char = sql[i]
        if quote:
            out.append("%%" if char == "%" else char)
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
            out.append(char)
        elif char == "%":
            out.append("%%")
        elif char == "?":
            digits = re.match(r"\d+", sql[i + 1 :])
            if digits:
                numbered = True
                order.append(int(digits.group()) - 1)
                i += len(digits.group())
            else:
                order.append(len(order))
            out.append("%s")
        else:
            out.append(char)
        i += 1
    return "".join(out), tuple(order) if numbered else None


def _params(values: Sequence[Any] | None, order: tuple[int, ...] | None) -> list[Any]:
    values = [int(v) if isinstance(v, bool) else v for v in (values or ())]
    return [values[n] for n in order] if order is not None else values


class PgCursor:
    """What the stores read from a cursor: rows, ``rowcount``, ``lastrowid``, ``description``."""

    def __init__(self, cursor: psycopg.Cursor[Any], lastrowid: int | None = None) -> None:
        self._cursor = cursor
        self.lastrowid = lastrowid
        self.rowcount = cursor.rowcount

    @property
    def description(self) -> Any:
        return self._cursor.description

    def fetchone(self) -> Any:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchmany(self, size: int) -> list[Any]:
        return self._cursor.fetchmany(size) if self._cursor.description else []

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self) -> Iterator[Any]:
        if self._cursor.description:
            yield from self._cursor


class PgDatabase:
    """A PostgreSQL connection that runs the stores' SQL (see the module's docstring).

    It is also its own ``conn``, as a sqlite-utils Database has one, so
    ``transaction`` and the bulk loads work unchanged.
    """

    is_postgres = True

    def __init__(self, connection: psycopg.Connection[Any], where: str) -> None:
        self.connection = connection
        self.where = where
        self.total_changes = 0

    @property
    def conn(self) -> PgDatabase:
        return self

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.connection.info.transaction_status != TransactionStatus.IDLE

    def execute(self, sql: str, parameters: Sequence[Any] | None = None, /) -> PgCursor:
        word = sql.strip().upper()
        if word in ("BEGIN IMMEDIATE", "BEGIN"):
            sql = "BEGIN"
        text, order = translate(sql)
        insert = _INSERT_INTO.match(sql)
        wants_id = (
            insert is not None
            and insert.group(1).lower() not in _NO_ID
            and "RETURNING" not in word
            and " SELECT " not in f" {word} "
        )
        statement = text if parameters else sql
        if wants_id:
            statement += " RETURNING id"
        with pg_errors(self.where):
            cursor = self.connection.execute(statement, _params(parameters, order) or None)
            lastrowid = None
            if wants_id:
                row = cursor.fetchone()
                lastrowid = int(row[0]) if row else None
        if cursor.rowcount > 0:
            self.total_changes += cursor.rowcount
        return PgCursor(cursor, lastrowid)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]], /) -> PgCursor:
        text, order = translate(sql)
        with pg_errors(self.where):
            cursor = self.connection.cursor()
            cursor.executemany(text, (_params(row, order) for row in rows))
        if cursor.rowcount > 0:
            self.total_changes += cursor.rowcount
        return PgCursor(cursor)

    def close(self) -> None:
        self.connection.close()


def _numeric(value: Decimal) -> int | float:
    """PostgreSQL sums integers as numeric: whole ones come back as int, as on SQLite."""
    return int(value) if value == value.to_integral_value() else float(value)


def _register_loaders(connection: psycopg.Connection[Any]) -> None:
    from psycopg.types.numeric import NumericLoader

    class WholeOrFloat(NumericLoader):
        def load(self, data: Any) -> Any:
            return _numeric(super().load(data))

    connection.adapters.register_loader("numeric", WholeOrFloat)


def open_pg(url: str) -> PgDatabase:
    """Connect to ``url`` (passed to libpq as given: PGPASSWORD, .pgpass, PGSERVICE apply)
    and migrate its schema."""
    from dialsmile.storage.postgres.migrations import migrate

    psycopg = _driver()
    where = redact(url)
    with pg_errors(where, secret=password(url)):
        connection = psycopg.connect(
            url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S, application_name="dialsmile"
        )
    _register_loaders(connection)
    db = PgDatabase(connection, where)
    migrate(db)
    return db


@contextlib.contextmanager
def pg_errors(where: str, secret: str | None = None) -> Iterator[None]:
    """Turn PostgreSQL failures into one plain sentence that never shows a password."""
    psycopg = _driver()
    try:
        yield
    except psycopg.Error as exc:
        message = describe_pg_error(exc, where)
        if secret:
            message = message.replace(secret, "***")
        raise StorageError(message) from None


def describe_pg_error(exc: Exception, where: str) -> str:
    import psycopg
    from psycopg import errors

    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    first = first.rstrip(".")
    if isinstance(exc, errors.InsufficientPrivilege):
        return f"The database {where} refused: {first}; nothing was changed."
    if isinstance(exc, errors.DiskFull):
        return f"The disk of the database server {where} is full; nothing was changed."
    if isinstance(exc, errors.ReadOnlySqlTransaction):
        return f"The database {where} is read-only; nothing was changed."
    if isinstance(exc, psycopg.OperationalError):
        if "password" in first.lower() or "authentication" in first.lower():
            return (
                f"The database server {where} refused the login ({first}); "
                "give the password in PGPASSWORD or ~/.pgpass."
            )
        return f"Cannot reach the database server {where}: {first}."
    return f"Database error in {where}: {first}."
