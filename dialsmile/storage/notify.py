"""The floor's change notice: boards re-read when a write that changes them commits.

On PostgreSQL every write a floor board shows (an outcome logged or undone, a
lead claimed or let go) sends ``NOTIFY dialsmile_floor`` inside its own
transaction: a board listening hears it the moment the write commits, and
never for one rolled back. On SQLite a board asks ``PRAGMA data_version``
instead (see dialsmile.storage.floor), so nothing is sent.
"""

from __future__ import annotations

from typing import Any

from dialsmile.storage.db import on_postgres

CHANNEL = "dialsmile_floor"


def tell_the_floor(db: Any) -> None:
    """Tell the boards listening that the floor changed; call it inside the writing
    transaction (it is delivered on commit)."""
    if on_postgres(db):
        db.execute(f"NOTIFY {CHANNEL}")
