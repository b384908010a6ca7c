"""Shell completion of the values only the user's data knows: lists, scripts, sessions.

Click calls these while the shell waits for a Tab, without running the
commands, so they read the database read-only and quietly offer nothing when
anything goes wrong (no database yet, a locked or damaged file).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from dialsmile.errors import DialsmileError

if TYPE_CHECKING:  # loaded only when the shell asks, not on every command's start
    from click.shell_completion import CompletionItem

    from dialsmile.storage.dbapi import Runner

Completer = Callable[[click.Context, click.Parameter, str], "list[CompletionItem]"]


@contextmanager
def _reading(ctx: click.Context) -> Iterator[Runner | None]:
    """The database of the command line being completed (its --db, else the default)."""
    from dialsmile.config import default_db
    from dialsmile.storage.db import reading
    from dialsmile.storage.target import DbTarget

    with reading(DbTarget.parse(ctx.find_root().params.get("db_path") or default_db())) as conn:
        yield conn


def _quiet(complete: Completer) -> Completer:
    """A completer that offers nothing instead of failing: a Tab must never print an error."""

    def run(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        try:
            return complete(ctx, param, incomplete)
        except (DialsmileError, sqlite3.Error, OSError, ValueError):
            return []

    return run


@_quiet
def complete_lists(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """The list names that start with what was typed (case-insensitive)."""
    from click.shell_completion import CompletionItem

    from dialsmile.storage.db import list_names

    with _reading(ctx) as conn:
        names = list_names(conn) if conn is not None else []
    typed = incomplete.casefold()
    return [CompletionItem(name) for name in names if name.casefold().startswith(typed)]


@_quiet
def complete_scripts(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Script pack names from the folders `--script` looks in (and .md paths)."""
    from click.shell_completion import CompletionItem

    from dialsmile.core.scripts import find_packs

    if "/" in incomplete or incomplete.endswith(".md"):
        return [CompletionItem(incomplete, type="file")]
    extra = ctx.params.get("scripts_dir") or ()
    names = sorted({pack.name for pack in find_packs(extra)})
    return [CompletionItem(name) for name in names if name.startswith(incomplete)]


@_quiet
def complete_sessions(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """``latest`` and the ids of the latest sessions with calls, each with its day and list."""
    from click.shell_completion import CompletionItem

    from dialsmile.storage.exports import recent_sessions
    from dialsmile.text import plural

    with _reading(ctx) as conn:
        sessions = recent_sessions(conn) if conn is not None else []
    items = [CompletionItem("latest", help="the latest session with calls")]
    for session_id, started, list_name, calls in sessions:
        help_text = f"{started[:10]} · {list_name} · {plural(calls, 'call')}"
        items.append(CompletionItem(str(session_id), help=help_text))
    return [item for item in items if str(item.value).startswith(incomplete)]
