"""The SQLite stores as the bundle a calling session is handed (see ``core.stores``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dialsmile.core.stores import SessionExport, Stores
from dialsmile.storage.calls import CallStore
from dialsmile.storage.dnc import DncStore
from dialsmile.storage.leads import LeadStore
from dialsmile.storage.practice import IntroEmails
from dialsmile.storage.stats import StatsStore

if TYPE_CHECKING:
    import sqlite_utils


def open_stores(db: sqlite_utils.Database, export: SessionExport | None = None) -> Stores:
    """The stores of one SQLite database; ``export`` writes a session's calls to a file.

    Typed as ``Stores``, so mypy checks that each SQLite store has every call
    of its Protocol.
    """
    return Stores(
        calls=CallStore(db),
        dnc=DncStore(db),
        stats=StatsStore(db),
        intro_emails=IntroEmails(db),
        lists=LeadStore(db),
        export=export,
    )
