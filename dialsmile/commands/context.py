"""What every command shares: the database, settings, clock and error handling."""

from __future__ import annotations

import contextlib
import getpass
import importlib
import os
import sqlite3
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from dialsmile.commands.completion import complete_scripts
from dialsmile.config import Clock, Settings, local_zone
from dialsmile.errors import BadInput, DialsmileError, StorageError
from dialsmile.storage.target import DbTarget
from dialsmile.storage.tx import describe_sqlite_error

if TYPE_CHECKING:
    from dialsmile.core.stores import Stores
    from dialsmile.storage.dbapi import Db, Runner
    from dialsmile.storage.leads import LeadStore


def default_db_target(given: str | None) -> DbTarget:
    """``--db`` if given, else ``$DIALSMILE_DB``, else the file in the user data dir."""
    from dialsmile.config import default_db

    return DbTarget.parse(given or default_db())


def rep_name(given: str | None = None) -> str:
    """Who is calling: ``--rep``, else ``$DIALSMILE_REP``, else the login name."""
    for name in (given, os.environ.get("DIALSMILE_REP")):
        if name and name.strip():
            return " ".join(name.split())
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without one)
        return "rep"


class Context:
    """What every command needs: the database (a SQLite file or a PostgreSQL URL), the rep,
    settings and the clock."""

    def __init__(self, target: DbTarget | Path, rep: str | None = None) -> None:
        self.target = target if isinstance(target, DbTarget) else DbTarget(path=target)
        self.rep = rep_name(rep)
        self.settings = Settings.load()
        self.clock = Clock.from_env()
        self._db: Db | None = None

    @property
    def db(self) -> Db:
        """The database, opened and migrated on first use.

        On PostgreSQL it is a ``PgDatabase``, which runs the stores' SQL as
        SQLite would (see dialsmile.storage.postgres.db).
        """
        if self._db is None:
            if self.target.url is not None:
                from dialsmile.storage.postgres.db import open_pg

                self._db = open_pg(self.target.url)
            else:
                from dialsmile.storage.db import open_db

                self._db = open_db(self.target.path)
        return self._db

    @contextlib.contextmanager
    def reading(self) -> Iterator[Runner | None]:
        """A quick look before the work: SQLite is peeked at (None: no file yet); a
        server is opened."""
        if self.target.path is not None:
            from dialsmile.storage.db import peek

            with peek(self.target.path) as conn:
                yield conn
        else:
            yield self.db

    def close(self) -> None:
        """Close the database when the command ends (its files are not left open)."""
        if self._db is not None:
            self._db.conn.close()
            self._db = None

    @property
    def leads(self) -> LeadStore:
        from dialsmile.storage.leads import LeadStore

        return LeadStore(self.db)

    @property
    def stores(self) -> Stores:
        """The stores a calling session reads and writes: this database's (a SQLite file
        or a PostgreSQL server), worked by this rep."""
        from dialsmile.storage.stores import open_stores

        zone = local_zone(self.settings.rep_timezone)
        return open_stores(
            self.db,
            export=partial(_export_session, self.db, zone),
            rep=self.rep,
            callback_grace_minutes=self.settings.callback_grace_minutes,
        )


def _export_session(db: Db, zone: str, session_id: int, path: Path) -> int:
    """The session CSV export (times in ``zone``), loaded only when the rep exports."""
    from zoneinfo import ZoneInfo

    from dialsmile.io.export import export_session
    from dialsmile.storage.exports import SessionCalls

    return export_session(path, SessionCalls(db.conn, session_id, ZoneInfo(zone)))


pass_ctx = click.make_pass_decorator(Context)


def in_browser() -> bool:
    """True when this process draws in a browser tab (textual-serve picks the web driver)."""
    return "web_driver" in os.environ.get("TEXTUAL_DRIVER", "")


def require_terminal(screen: str) -> None:
    """Refuse to start ``screen`` without a terminal to draw on and read keys from.

    Textual draws on stderr and reads stdin; without both it would wait forever.
    A screen served to a browser (`dialsmile serve`) talks to it through
    Textual's web driver instead.
    """
    if in_browser():
        return
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise BadInput(
            f"The {screen} needs a terminal: run it in a terminal window, "
            "without redirecting its input or error output."
        )


class DialsmileGroup(click.Group):
    """A click group that turns dialsmile errors into one sentence on stderr.

    Feature commands are named in ``lazy`` as ``"module:attribute"`` and imported
    only when used, so `dialsmile session` does not pay for `dialsmile dnc`.
    """

    lazy: dict[str, str] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module_name, attribute = self.lazy[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attribute)
            assert isinstance(command, click.Command)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DialsmileError as exc:
            click.echo(f"dialsmile: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except sqlite3.DatabaseError as exc:
            where = ctx.obj.target if isinstance(ctx.obj, Context) else "the database"
            click.echo(f"dialsmile: {describe_sqlite_error(exc, str(where))}", err=True)
            ctx.exit(StorageError.exit_code)


SCRIPT = click.option(
    "--script",
    "script_name",
    default="saas-discovery",
    show_default=True,
    help="Pack name or path to a .md pack.",
    shell_complete=complete_scripts,
)
"""``--script``, for the commands that work with a script pack."""
SCRIPTS_DIR = click.option(
    "--scripts-dir",
    type=click.Path(file_okay=False, path_type=Path),
    multiple=True,
    help="Another folder of packs, looked in first (repeatable).",
)
"""``--scripts-dir``, where those commands also look for packs."""
