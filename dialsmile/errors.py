"""User-facing errors: each carries one plain sentence for stderr."""


class DialsmileError(Exception):
    """An error the user can act on; its message is one sentence, shown without a traceback."""

    exit_code = 1


class BadInput(DialsmileError):
    """The file, option or value given cannot be used as it is."""

    exit_code = 2


class NotFound(DialsmileError):
    """A named list, batch, session, lead or script does not exist."""

    exit_code = 3


class StorageError(DialsmileError):
    """The database cannot be opened or written (locked, read-only, disk full)."""

    exit_code = 4


class HeldElsewhere(DialsmileError):
    """The lead is held by another rep of the floor."""

    exit_code = 4


class ServerGone(StorageError):
    """The database server cannot be reached: it is down, restarting, or dropped the
    connection. Nothing of the unfinished write was kept, unless ``maybe_saved``: the
    connection went while the server was committing it."""

    exit_code = 5

    def __init__(self, message: str, *, maybe_saved: bool = False) -> None:
        super().__init__(message)
        self.maybe_saved = maybe_saved


class Conflict(StorageError):
    """The server rolled a transaction back to break a deadlock or a serialization
    conflict with another rep's; running it again is safe (``storage.tx.retried``)."""


class OnDoNotCall(DialsmileError):
    """A call would be logged to a number that is now on a do-not-call list."""

    exit_code = 6
