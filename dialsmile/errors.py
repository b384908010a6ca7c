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
