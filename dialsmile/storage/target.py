"""Which database a command works on: a SQLite file, or a PostgreSQL server by URL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_SCHEMES = ("postgresql://", "postgres://")
# key=value conninfo (``password=...``) and URL query parameters can hold a password too.
_PASSWORD_WORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]*)", re.IGNORECASE)
# scheme://user:password@host...: the password sits between the first ':' and the last '@'
# of the part before the path.
_USERINFO = re.compile(r"^([a-z]+://[^/?#]*?)(?::([^/?#]*))?@([^@/?#]*)(?=[/?#]|$)", re.IGNORECASE)


@dataclass(frozen=True)
class DbTarget:
    """A SQLite path or a PostgreSQL URL, and how to name it in messages (no password)."""

    path: Path | None = None
    url: str | None = None

    @classmethod
    def parse(cls, text: str | Path) -> DbTarget:
        """``postgresql://...`` (or ``postgres://``) is a server; anything else is a file."""
        if isinstance(text, str) and text.lower().startswith(_SCHEMES):
            return cls(url=text)
        return cls(path=Path(text).expanduser())

    @property
    def is_postgres(self) -> bool:
        return self.url is not None

    @property
    def given(self) -> str:
        """The path or URL as given (with its password, if any: never print it)."""
        return self.url if self.url is not None else str(self.path)

    @property
    def floor(self) -> str:
        """The team database's name, as the session header names the floor: the URL's
        database, else its host, else "floor"."""
        assert self.url is not None
        rest = self.url.split("://", 1)[1].split("?", 1)[0]
        host, _, dbname = rest.rpartition("@")[2].partition("/")
        return dbname or host.split(":", 1)[0] or "floor"

    def __str__(self) -> str:
        return redact(self.url) if self.url is not None else str(self.path)


def password(url: str) -> str | None:
    """The password written in the URL, if any."""
    found = _USERINFO.match(url)
    return found.group(2) if found and found.group(2) else None


def redact(url: str) -> str:
    """The URL with any password replaced by ``***``: safe to print, log or store."""
    found = _USERINFO.match(url)
    if found and found.group(2) is not None:
        url = f"{found.group(1)}:***@{found.group(3)}{url[found.end() :]}"
    return _PASSWORD_WORD.sub(r"\1***", url)
