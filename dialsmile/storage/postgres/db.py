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
from typing import TYPE_CHECKING, Any, cast

from dialsmile.errors import BadInput, Conflict, ServerGone, StorageError
from dialsmile.storage.target import password, redact

if TYPE_CHECKING:
    import psycopg

CONNECT_TIMEOUT_S = 10
# Connecting again after the server went away: short, so a rep waiting for it keeps a
# responsive screen while it is still down.
RECONNECT_TIMEOUT_S = 3
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

    It is a ``Db`` (dialsmile.storage.db) and its own ``conn``, so
    ``transaction`` and the bulk loads work unchanged.
    """

    is_postgres = True

    def __init__(self, connection: psycopg.Connection[Any], where: str, url: str = "") -> None:
        self.connection = connection
        self.where = where
        self.url = url  # to connect again after the server went away
        self.total_changes = 0

    @property
    def conn(self) -> PgDatabase:
        return self

    @property
    def in_transaction(self) -> bool:
        """A transaction is open; never on a lost connection (the server dropped it)."""
        from psycopg.pq import TransactionStatus

        status = self.connection.info.transaction_status
        return status not in (TransactionStatus.IDLE, TransactionStatus.UNKNOWN)

    def execute(self, sql: str, parameters: Sequence[Any] | None = None, /) -> PgCursor:
        """Run one statement. Between transactions a lost connection is made again: a
        ``BEGIN`` or a lone ``SELECT`` that met it runs once more on the new one (nothing
        of it was done); a connection lost inside a transaction raises ``ServerGone``."""
        word = sql.strip().upper()
        if word in ("BEGIN IMMEDIATE", "BEGIN"):
            sql = word = "BEGIN"
        between = not self.in_transaction
        if between and self.connection.closed:
            self.reconnect()
        try:
            return self._execute(sql, word, parameters)
        except ServerGone as exc:
            if not (between and not exc.maybe_saved and word.startswith(("BEGIN", "SELECT"))):
                raise
        self.reconnect()
        return self._execute(sql, word, parameters)

    def reconnect(self) -> None:
        """Connect to the server again (``ServerGone`` while it cannot be reached)."""
        with contextlib.suppress(Exception):
            self.connection.close()
        self.connection = _connect(self.url, self.where, RECONNECT_TIMEOUT_S)

    def _execute(self, sql: str, word: str, parameters: Sequence[Any] | None) -> PgCursor:
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
        with pg_errors(self.where, committing=word.startswith(("COMMIT", "END"))):
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

    where = redact(url)
    db = PgDatabase(_connect(url, where, CONNECT_TIMEOUT_S), where, url)
    migrate(db)
    return db


def _connect(url: str, where: str, timeout_s: int) -> psycopg.Connection[Any]:
    driver = _driver()
    with pg_errors(where, secret=password(url), connecting=True):
        connection = cast(
            "psycopg.Connection[Any]",
            driver.connect(
                url, autocommit=True, connect_timeout=timeout_s, application_name="dialsmile"
            ),
        )
        # The stores' statements are made for READ COMMITTED (a claim locks the lead's
        # row and skips locked ones): a server whose default is SERIALIZABLE would roll
        # back far more of them than the retries can absorb.
        connection.execute("SET default_transaction_isolation = 'read committed'")
    _register_loaders(connection)
    return connection


@contextlib.contextmanager
def pg_errors(
    where: str, secret: str | None = None, *, committing: bool = False, connecting: bool = False
) -> Iterator[None]:
    """Turn PostgreSQL failures into one plain sentence that never shows a password.

    A server out of reach raises ``ServerGone`` (``maybe_saved`` when the connection
    went during a COMMIT: the server may have kept it); a deadlock or serialization
    failure raises ``Conflict``, which ``storage.tx.retried`` runs again. A URL libpq
    cannot read (``connecting``) is ``BadInput``: no server was asked.
    """
    psycopg = _driver()
    try:
        yield
    except psycopg.Error as exc:
        unreadable = connecting and _unreadable_url(exc)
        message = (
            f"The database URL {where} cannot be used: {_first_line(exc)}."
            if unreadable
            else describe_pg_error(exc, where)
        )
        if secret:
            message = message.replace(secret, "***")
        if unreadable:
            raise BadInput(message) from None
        if _conflict(exc):
            raise Conflict(message) from None
        if _gone(exc) and committing:
            raise ServerGone(
                f"The connection to the database server {where} went while it was saving; "
                "it may have kept the change.",
                maybe_saved=True,
            ) from None
        if _gone(exc):
            raise ServerGone(message) from None
        raise StorageError(message) from None


def _conflict(exc: Exception) -> bool:
    """A deadlock or serialization failure (SQLSTATE 40P01, 40001): the server rolled
    the transaction back, and running it again may well succeed."""
    from psycopg import errors

    return isinstance(exc, errors.SerializationFailure | errors.DeadlockDetected)


# Class 08 is "connection exception"; 57P01-57P03: the server is shutting down,
# crashed, or is starting up.
_GONE_STATES = ("57P01", "57P02", "57P03")


def _gone(exc: Exception) -> bool:
    """The server cannot be reached or dropped the connection (not a refused login, nor
    a database or user it does not have: waiting for either would not help)."""
    import psycopg

    if not isinstance(exc, psycopg.OperationalError) or _login_refused(exc) or _unknown(exc):
        return False
    state = exc.sqlstate
    return state is None or state.startswith("08") or state in _GONE_STATES


def _login_refused(exc: Exception) -> bool:
    first = str(exc).lower()
    return "password" in first or "authentication" in first


def _unknown(exc: Exception) -> str:
    """What the server said when the URL names a database or user it does not have:
    'database "q4" does not exist' ("" otherwise)."""
    found = re.search(r'FATAL:\s+((?:database|role) ".*" does not exist)', str(exc))
    return found.group(1) if found else ""


def _unreadable_url(exc: Exception) -> bool:
    """libpq could not read the URL (a bad port, option or address): no server was asked."""
    import psycopg

    return isinstance(exc, psycopg.ProgrammingError) or str(exc).startswith(
        "connection is bad: invalid"
    )


def _first_line(exc: Exception) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return first.removeprefix("connection is bad: ").rstrip(".")


def describe_pg_error(exc: Exception, where: str) -> str:
    import psycopg
    from psycopg import errors

    first = _first_line(exc)
    if unknown := _unknown(exc):
        return (
            f"The database server {where} refused the connection: {unknown}; "
            "check the name in the URL (createdb makes a new database)."
        )
    if isinstance(exc, errors.InsufficientPrivilege):
        return f"The database {where} refused: {first}; nothing was changed."
    if isinstance(exc, errors.DiskFull):
        return f"The disk of the database server {where} is full; nothing was changed."
    if isinstance(exc, errors.ReadOnlySqlTransaction):
        return f"The database {where} is read-only; nothing was changed."
    if _conflict(exc):
        return (
            f"Another rep's save collided with this one on {where} ({first}); nothing was changed."
        )
    if isinstance(exc, psycopg.OperationalError):
        if _login_refused(exc):
            return (
                f"The database server {where} refused the login ({first}); "
                "give the password in PGPASSWORD or ~/.pgpass."
            )
        return (
            f"Cannot reach the database server {where} ({first}); "
            "nothing was changed, try again once it is back."
        )
    return f"Database error in {where}: {first}."
