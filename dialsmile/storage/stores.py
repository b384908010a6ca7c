"""The SQLite stores as the bundle a calling session is handed (see ``core.stores``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dialsmile.core.stores import SessionExport, Stores
from dialsmile.storage.calls import CallStore
from dialsmile.storage.claims import ClaimStore
from dialsmile.storage.dnc import DncStore
from dialsmile.storage.leads import LeadStore
from dialsmile.storage.practice import IntroEmails
from dialsmile.storage.stats import StatsStore

if TYPE_CHECKING:
    from dialsmile.storage.dbapi import Db


def open_stores(
    db: Db,
    export: SessionExport | None = None,
    rep: str = "",
    callback_grace_minutes: int = 0,
) -> Stores:
    """The stores of one database, worked by ``rep``; ``export`` writes a session's calls
    to a file.

    ``db`` is a SQLite database, or a PostgreSQL one (dialsmile.storage.postgres),
    which runs the same stores' SQL. Typed as ``Stores``, so mypy checks that
    each store has every call of its Protocol.
    """
    return Stores(
        calls=CallStore(db, rep, callback_grace_minutes),
        dnc=DncStore(db),
        stats=StatsStore(db),
        intro_emails=IntroEmails(db),
        lists=LeadStore(db),
        claims=ClaimStore(db),
        export=export,
        rep=rep,
    )
