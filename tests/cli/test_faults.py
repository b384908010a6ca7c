"""Faults: kill -9 mid-session and mid-import, two processes on one database,
a read-only or full database, and databases from every earlier schema version."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from dialsmile.cli import cli
from dialsmile.commands.importing import import_file
from dialsmile.config import Clock, Settings
from dialsmile.core.models import Outcome
from dialsmile.core.session import CallSession
from dialsmile.io.importer import ImportOptions
from dialsmile.storage.db import open_db
from dialsmile.storage.leads import LeadStore
from dialsmile.storage.migrations import LATEST, migrate, schema_version
from dialsmile.storage.stores import open_stores

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork"),
    pytest.mark.sqlite_only("kill -9, a full disk and schema faults of a SQLite file"),
]

NOW = datetime.fromisoformat("2026-11-25T16:15:00+00:00")  # Wed 10:15 in Chicago
AREAS = ("512", "312", "214", "612")  # Central time: inside calling hours at NOW


def leads_csv(path: Path, rows: int, start: int = 0) -> Path:
    lines = ["First Name,Last Name,Company,Phone,State"]
    for n in range(start, start + rows):
        area = AREAS[n % len(AREAS)]
        rest = n // len(AREAS)
        lines.append(f"Ann,Lead{n},Co {n},+1 {area} {200 + rest // 10_000} {rest % 10_000:04d},TX")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def forked(body: Callable[[int], None]) -> tuple[int, int]:
    """Run ``body(write_fd)`` in a forked child; return (pid, read_fd)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns into pytest
        code = 0
        try:
            os.close(read)
            body(write)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def kill_and_read(pid: int, read: int, after_s: float) -> list[str]:
    time.sleep(after_s)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    chunks = []
    while data := os.read(read, 65536):
        chunks.append(data)
    os.close(read)
    return b"".join(chunks).decode().splitlines()


def kill_and_wait(pid: int, read: int) -> tuple[int, list[str]]:
    """Kill the child now; its wait status and what it wrote since."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    chunks = []
    while data := os.read(read, 65536):
        chunks.append(data)
    os.close(read)
    return status, b"".join(chunks).decode().splitlines()


def check_ok(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return conn


@pytest.fixture
def big_list(tmp_path: Path) -> Path:
    db_path = tmp_path / "faults.db"
    db = open_db(db_path)
    source = leads_csv(tmp_path / "leads.csv", 4000)
    import_file(LeadStore(db), source, ImportOptions(list_name="Q4"), NOW)
    db.conn.close()
    return db_path


def work_session(db_path: Path) -> Callable[[int], None]:
    """A child that records outcomes as fast as it can, reporting each one saved."""

    def body(out: int) -> None:
        db = open_db(db_path)
        session = CallSession(
            open_stores(db), LeadStore(db).get_list("Q4"), Settings(), Clock(NOW), chunk_size=1000
        )
        os.write(out, f"session {session.session_id} {int(session.resumed)}\n".encode())
        while session.advance() is not None:
            assert session.current is not None
            lead = session.current.lead.id
            session.record(Outcome.NO_ANSWER)
            os.write(out, f"{lead}\n".encode())  # record() returned: it is committed

    return body


def test_kill_9_at_random_moments_of_a_session_loses_nothing(big_list: Path) -> None:
    rng = random.Random(8)
    first_session = None
    saved: set[int] = set()
    for trial in range(100):
        pid, read = forked(work_session(big_list))
        lines = kill_and_read(pid, read, rng.uniform(0.0, 0.06))
        conn = check_ok(big_list)
        in_db = {r[0] for r in conn.execute("SELECT lead_id FROM attempts")}
        conn.close()
        reported = {int(line) for line in lines[1:]}
        assert reported <= in_db, f"trial {trial}: saved outcomes lost"
        saved |= reported
        if lines:
            session_id, resumed = (int(x) for x in lines[0].split()[1:])
            if first_session is None:
                first_session = session_id
            else:
                assert (session_id, resumed) == (first_session, 1), "the next session resumes"
    assert saved <= in_db
    assert len(in_db) > 0


def importer(db_path: Path, source: Path, stop_at: str) -> Callable[[int], None]:
    """A child importing ``source`` that reports, then stops for its kill, at ``stop_at``.

    "reading": as import_file starts; "writing": halfway through inserting the rows,
    inside the transaction; "indexes aside": three quarters through, once a large
    import has dropped the leads' indexes to build them again at its end;
    "committed": just after the transaction commits.
    """

    def body(out: int) -> None:
        import dialsmile.storage.leads as leads_module

        def stop(mark: str) -> None:
            os.write(out, f"{mark}\n".encode())
            if mark == stop_at:
                signal.pause()  # waits here for the parent's kill

        values = leads_module._lead_values

        def lead_values(*args: object) -> object:
            if args[3] == 10_000:  # the row's position in the list
                stop("writing")
            if args[3] == 15_000:
                stop("indexes aside")
            return values(*args)  # type: ignore[arg-type]

        leads_module._lead_values = lead_values  # type: ignore[assignment]
        db = open_db(db_path)
        stop("reading")
        import_file(LeadStore(db), source, ImportOptions(list_name="Big"), NOW)
        stop("committed")

    return body


@pytest.mark.parametrize(
    ("stop_at", "stored"),
    [("reading", 0), ("writing", 0), ("indexes aside", 0), ("committed", 1)],
)
def test_kill_9_during_an_import_leaves_all_or_nothing(
    tmp_path: Path, stop_at: str, stored: int
) -> None:
    db_path = tmp_path / "import.db"
    open_db(db_path).conn.close()
    indexes = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        before = conn.execute(indexes).fetchall()
    source = leads_csv(tmp_path / "many.csv", 20_000)
    pid, read = forked(importer(db_path, source, stop_at))
    seen = b""
    while not seen.endswith(f"{stop_at}\n".encode()):
        chunk = os.read(read, 100)
        assert chunk, f"the child ended before {stop_at}: {seen!r}"
        seen += chunk
    status, _ = kill_and_wait(pid, read)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, status
    conn = check_ok(db_path)
    counts = conn.execute("SELECT batch_id, count(*) FROM leads GROUP BY batch_id").fetchall()
    batches = conn.execute("SELECT count(*) FROM import_batches").fetchone()[0]
    after = conn.execute(indexes).fetchall()
    conn.close()
    assert (batches, counts) == ((1, [(1, 20_000)]) if stored else (0, []))
    assert after == before, "every index is there, as it was"


def dialsmile(*args: str) -> list[str]:
    return [sys.executable, "-m", "dialsmile", *args]


def test_a_session_and_an_import_and_an_export_share_one_database(
    big_list: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "DIALSMILE_DB": str(big_list)}
    more = leads_csv(tmp_path / "more.csv", 3000, start=10_000)
    pid, read = forked(work_session(big_list))
    try:
        jobs = [
            subprocess.Popen(
                dialsmile("import", str(more), "--list", "Q4"),
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            ),
            subprocess.Popen(
                dialsmile("export", "leads", "-o", str(tmp_path / "all.csv")),
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            ),
        ]
        results = [job.communicate(timeout=120) for job in jobs]
    finally:
        lines = kill_and_read(pid, read, 0.0)
    for job, (_out, err) in zip(jobs, results, strict=True):
        assert job.returncode == 0, err
        assert "locked" not in err and "busy" not in err and "Traceback" not in err
    assert len(lines) > 1, "the session recorded outcomes meanwhile"
    conn = check_ok(big_list)
    assert conn.execute("SELECT count(*) FROM leads").fetchone()[0] == 7000


Opener = Callable[[Path], sqlite_utils.Database]


def opener_with(pragma: str) -> Opener:
    def opened(path: Path | str | None = None, *, memory: bool = False) -> sqlite_utils.Database:
        db = open_db(path, memory=memory)
        db.execute(pragma)
        return db

    return opened


@pytest.mark.parametrize(
    ("pragma", "sentence"),
    [
        ("PRAGMA query_only = 1", "is read-only; nothing was changed."),
        ("PRAGMA max_page_count = {pages}", "is full; nothing was changed."),
    ],
)
def test_read_only_or_full_database_one_sentence_nothing_half_written(
    big_list: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pragma: str, sentence: str
) -> None:
    with sqlite3.connect(big_list) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        before = conn.execute("SELECT count(*) FROM leads").fetchone()[0]
    monkeypatch.setattr("dialsmile.storage.db.open_db", opener_with(pragma.format(pages=pages + 2)))
    more = leads_csv(tmp_path / "more.csv", 3000, start=10_000)
    result = CliRunner().invoke(cli, ["--db", str(big_list), "import", str(more), "--list", "Q4"])
    assert result.exit_code == 4
    assert result.stderr.count("\n") == 1 and result.stderr.strip().endswith(sentence)
    assert "Traceback" not in result.output
    conn = check_ok(big_list)
    assert conn.execute("SELECT count(*) FROM leads").fetchone()[0] == before
    assert conn.execute("SELECT count(*) FROM import_batches").fetchone()[0] == 1


def old_database(path: Path, version: int) -> None:
    old = sqlite_utils.Database(sqlite3.connect(path, isolation_level=None))
    migrate(old, target=version)
    stamp = "2025-01-01T00:00:00+00:00"
    old.execute("INSERT INTO lists (name, created_at) VALUES ('Old', ?)", [stamp])
    for n in range(3):
        old.execute(
            "INSERT INTO leads (list_id, position, name, phone, created_at) VALUES (1, ?, ?, ?, ?)",
            [n + 1, f"Lead {n}", f"+1512555013{n}", stamp],
        )
    if version >= 2:
        old.execute(
            "INSERT INTO sessions (list_id, started_at, ended_at, chunk_size) VALUES (1, ?, ?, 25)",
            [stamp, stamp],
        )
        old.execute(
            """INSERT INTO attempts (lead_id, session_id, phone, started_at, ended_at, outcome)
               VALUES (1, 1, '+15125550130', ?, ?, 'no-answer')""",
            [stamp, stamp],
        )
        old.execute(
            "INSERT INTO dnc (phone, source, added_at) VALUES ('+15125550131', 'internal', ?)",
            [stamp],
        )
    old.conn.close()


@pytest.mark.parametrize("version", range(1, LATEST))
def test_every_earlier_schema_version_upgrades_and_works(tmp_path: Path, version: int) -> None:
    path = tmp_path / f"v{version}.db"
    old_database(path, version)
    db = open_db(path)
    assert schema_version(db) == LATEST
    assert [r[0] for r in db.execute("SELECT name FROM leads ORDER BY id")] == [
        "Lead 0",
        "Lead 1",
        "Lead 2",
    ]
    fresh = open_db(tmp_path / "fresh.db")
    assert _schema(db) == _schema(fresh)
    session = CallSession(open_stores(db), LeadStore(db).get_list("Old"), Settings(), Clock(NOW))
    assert session.advance() is not None
    session.record(Outcome.NO)
    assert check_ok(path).execute("SELECT count(*) FROM attempts").fetchone()[0] == (
        2 if version >= 2 else 1
    )


def _schema(db: sqlite_utils.Database) -> set[tuple[str, str]]:
    rows: Iterator[tuple[str, str]] = db.execute(
        "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return set(rows)


async def test_a_database_gone_read_only_mid_session_says_so_and_keeps_the_lead(
    big_list: Path,
) -> None:
    from dialsmile.ui.app import make_app

    db = open_db(big_list)
    session = CallSession(open_stores(db), LeadStore(db).get_list("Q4"), Settings(), Clock(NOW))
    app = make_app(session, "America/Chicago")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert session.current is not None
        shown = session.current.lead.id
        db.execute("PRAGMA query_only = 1")
        await pilot.press("n")
        await pilot.pause()
        assert session.current is not None and session.current.lead.id == shown
        assert "is read-only; nothing was changed." in app.screen.message
    assert check_ok(big_list).execute("SELECT count(*) FROM attempts").fetchone()[0] == 0
