"""A PostgreSQL server for the tests: one per test run (per xdist worker), a database per test.

``$DIALSMILE_TEST_PG`` names a server to use instead (a URL or conninfo whose
user may create databases); otherwise the tests start their own with the
``initdb`` and ``pg_ctl`` of ``pg_config --bindir`` (Debian's ``postgresql``
package), in a temporary folder, on a free port, with its socket in that folder.
The folder is on the RAM disk (``/dev/shm``) when it has room for a run's databases:
each test's database is a 7.5 MB copy of the template, and on a disk the copies,
their checkpoints and removing a few GB at the end cost more than the tests.
initdb refuses to run as root, so as root the server runs as the ``postgres``
user (else ``nobody``). Without either the PostgreSQL tests are skipped, saying why.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV = "DIALSMILE_TEST_PG"
TEMPLATE = "dialsmile_template"
USER = "dialsmile"


@dataclass
class PgServer:
    """A server the tests may create databases on."""

    admin: str  # conninfo of a database to run CREATE DATABASE from
    host: str
    port: int
    user: str
    prefix: str  # database names of this run (and worker) start with this
    password: str | None = None
    template: str | None = None  # a migrated database each test's database copies
    # Runs ``pg_ctl ACTION`` ("stop", "start") on a server the tests started; None on a
    # named one, which the tests never stop.
    pg_ctl: Callable[[str], None] | None = None
    _count: itertools.count[int] = field(default_factory=itertools.count)

    def url(self, dbname: str) -> str:
        from urllib.parse import quote

        user = quote(self.user, safe="") + (
            f":{quote(self.password, safe='')}" if self.password else ""
        )
        if self.host.startswith("/"):
            return f"postgresql://{user}@/{dbname}?host={self.host}&port={self.port}"
        return f"postgresql://{user}@{self.host}:{self.port}/{dbname}"

    def create(self, template: str | None = None) -> str:
        """A new, empty (or ``template``'s copy) database; its name."""
        import psycopg

        name = f"{self.prefix}_{next(self._count)}"
        copy = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}{copy}")
        return name

    def new_database(self, template: str | None = None) -> str:
        """A new, empty (or ``template``'s copy) database; its URL."""
        return self.url(self.create(template))

    def drop_all(self) -> None:
        """Drop the databases this run made (on a server the tests did not start)."""
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            names = conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s",
                [f"{self.prefix}\\_%"],
            ).fetchall()
            for (name,) in names:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def why_unavailable() -> str | None:
    """None when a server can be had; else the reason the PostgreSQL tests are skipped."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return 'psycopg is not installed (pip install -e ".[test]")'
    if os.environ.get(ENV):
        return None
    if _bindir() is None:
        return f"no PostgreSQL server: install Debian's postgresql package or set {ENV}"
    return None


def _bindir() -> Path | None:
    pg_config = shutil.which("pg_config")
    if pg_config is None:
        return None
    out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
    bindir = Path(out.stdout.strip())
    return bindir if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file() else None


RAM_DISK = Path("/dev/shm")


def ram_disk(room: int) -> Path | None:
    """The RAM disk, when it has ``room`` bytes free; else None (a folder on disk will do)."""
    try:
        stat = os.statvfs(RAM_DISK)
    except OSError:
        return None
    free = stat.f_bavail * stat.f_frsize
    return RAM_DISK if free >= room and os.access(RAM_DISK, os.W_OK) else None


def _server_home() -> Path:
    """A new folder for the server's data and socket: on the RAM disk when it has 4 GB free."""
    return Path(tempfile.mkdtemp(prefix="dialsmile-pg-", dir=ram_disk(4 * 1024**3)))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_user() -> str | None:
    """Who runs the server: this user, or, as root, ``postgres`` (else ``nobody``)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root and there is no postgres or nobody user to run the server")


def _as(user: str | None, args: list[str]) -> list[str]:
    return args if user is None else ["runuser", "-u", user, "--", *args]


@contextlib.contextmanager
def own_server(worker: str) -> Iterator[PgServer]:
    """initdb, start, yield, stop, remove: a throwaway server."""
    bindir = _bindir()
    assert bindir is not None
    user = _server_user()
    home = _server_home()
    data = home / "data"
    log = home / "server.log"
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(home, entry.pw_uid, entry.pw_gid)
    port = _free_port()
    options = " ".join(
        [
            f"-p {port}",
            "-c listen_addresses=127.0.0.1",
            f"-c unix_socket_directories={home}",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            "-c max_connections=120",
            "-c shared_buffers=32MB",
        ]
    )
    quiet: dict[str, object] = {"check": True, "capture_output": True, "text": True, "cwd": home}
    try:
        subprocess.run(
            _as(user, [str(bindir / "initdb"), "-D", str(data), "-U", USER, "--auth=trust",
                       "-E", "UTF8", "--locale=C.UTF-8" if _has_c_utf8() else "--locale=C",
                       "--no-sync"]),
            **quiet,  # type: ignore[arg-type]
        )  # fmt: skip
        subprocess.run(
            _as(user, [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options,
                       "-w", "-t", "60", "start"]),
            **quiet,  # type: ignore[arg-type]
        )  # fmt: skip
    except subprocess.CalledProcessError as exc:
        detail = log.read_text(errors="replace") if log.exists() else ""
        shutil.rmtree(home, ignore_errors=True)
        raise RuntimeError(f"could not start PostgreSQL: {exc.stderr}{exc.stdout}{detail}") from exc

    def pg_ctl(action: str) -> None:
        start = ["-l", str(log), "-o", options] if action == "start" else ["-m", "fast"]
        subprocess.run(
            _as(user, [str(bindir / "pg_ctl"), "-D", str(data), *start, "-w", "-t", "60", action]),
            **quiet,  # type: ignore[arg-type]
        )

    server = PgServer(
        admin=f"host={home} port={port} user={USER} dbname=postgres",
        host=str(home),
        port=port,
        user=USER,
        prefix=f"t_{worker}",
        pg_ctl=pg_ctl,
    )
    try:
        yield server
    finally:
        subprocess.run(
            _as(user, [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
            check=False,
            cwd=home,
        )
        shutil.rmtree(home, ignore_errors=True)


def _has_c_utf8() -> bool:
    out = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False)
    return any(name.lower() in ("c.utf8", "c.utf-8") for name in out.stdout.split())


@contextlib.contextmanager
def named_server(conninfo: str, worker: str) -> Iterator[PgServer]:
    """The server ``$DIALSMILE_TEST_PG`` names; the databases made on it are dropped after."""
    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as conn:
        info = conn.info
        host, port, user, password = info.host, info.port, info.user, info.password
    server = PgServer(
        admin=conninfo,
        host=host,
        port=port,
        user=user,
        prefix=f"t{os.getpid()}_{worker}",
        password=password or None,
    )
    try:
        yield server
    finally:
        server.drop_all()


@contextlib.contextmanager
def test_server(worker: str) -> Iterator[PgServer]:
    """The tests' server: the one ``$DIALSMILE_TEST_PG`` names, else one of our own."""
    named = os.environ.get(ENV)
    manager = named_server(named, worker) if named else own_server(worker)
    with manager as server:
        yield server


# Parents before children, so every foreign key finds its row.
TABLES = ("lists", "import_batches", "leads", "sessions", "attempts", "dnc_copies", "dnc",
          "dnc_log", "overrides", "practice", "claims")  # fmt: skip


def copy_sqlite(path: Path, db: Any) -> None:
    """Copy every row of the SQLite database at ``path`` into the PostgreSQL ``db``
    (a ``PgDatabase`` at the same schema), keeping ids; identities continue after them."""
    import sqlite3

    source = sqlite3.connect(path)
    try:
        for table in TABLES:
            columns = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
            rows = source.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            if rows:
                db.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' * len(columns))})",
                    rows,
                )
            if "id" in columns:
                db.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"coalesce(max(id), 0) + 1, false) FROM {table}"
                )
    finally:
        source.close()
