"""The real `dialsmile session` in a terminal (a pty): keys in, database and CSV out."""

from __future__ import annotations

import contextlib
import csv
import fcntl
import json
import os
import pty
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.conftest import LEADS, NOW

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="needs a pty"),
    pytest.mark.sqlite_only("a real terminal on a SQLite file"),
]


STARTED: list[subprocess.Popen[bytes]] = []


@pytest.fixture(autouse=True)
def _no_child_outlives_its_test() -> Iterator[None]:
    yield
    while STARTED:
        child = STARTED.pop()
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


class Terminal:
    """A child process on a pseudo-terminal, read as a person would watch it."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.proc = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        STARTED.append(self.proc)
        os.close(slave)
        self.master = master
        self.seen = b""
        self.log = b""

    def wait_for(self, text: str, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        needle = text.encode()
        while needle not in self.seen:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} did not appear; last output: {self.seen[-600:]!r}")
            ready, _, _ = select.select([self.master], [], [], min(left, 0.2))
            if ready:
                try:
                    data = os.read(self.master, 65536)
                except OSError:
                    break
                self.seen += data
                self.log += data
        self.seen = self.seen[self.seen.index(needle) + len(needle) :]

    def keys(self, text: str) -> None:
        os.write(self.master, text.encode())

    def close(self, timeout: float = 30) -> int:
        """Wait for the child to exit, reading its output so it never blocks on a full pty."""
        end = time.monotonic() + timeout
        try:
            while self.proc.poll() is None and time.monotonic() < end:
                ready, _, _ = select.select([self.master], [], [], 0.1)
                if ready:
                    with contextlib.suppress(OSError):  # the child closed its side
                        self.log += os.read(self.master, 65536)
            return self.proc.wait(timeout=1)
        finally:
            os.close(self.master)


def env_for(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "TEXTUAL"))}
    env.update(
        TERM="xterm-256color", DIALSMILE_NOW=NOW, DIALSMILE_DB=str(db), COLUMNS="120", LINES="40"
    )
    return env


def dialsmile(*args: str) -> list[str]:
    return [sys.executable, "-m", "dialsmile", *args]


@pytest.fixture
def imported_db(tmp_path: Path) -> Path:
    db = tmp_path / "e2e.db"
    leads = tmp_path / "leads.csv"
    leads.write_text(LEADS, encoding="utf-8")
    subprocess.run(
        dialsmile("--db", str(db), "import", str(leads), "--list", "Q4"),
        check=True,
        env=env_for(db),
        capture_output=True,
    )
    return db


def test_import_three_outcomes_quit_export(imported_db: Path, tmp_path: Path) -> None:
    term = Terminal(dialsmile("session", "--list", "Q4"), env_for(imported_db))
    term.wait_for("Whitfield")
    term.keys("n")
    term.wait_for("Raman")
    term.keys("a")
    term.wait_for("Northwind")
    term.keys("y")
    term.wait_for("Eve")
    term.keys("q")
    assert term.close() == 0
    out = tmp_path / "session.csv"
    subprocess.run(
        dialsmile("export", "session", "latest", "-o", str(out)),
        check=True,
        env=env_for(imported_db),
    )
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["name"], r["outcome"], r["code"]) for r in rows] == [
        ("Dana Whitfield", "no", "NI"),
        ("Priya Raman", "no-answer", "NA"),
        ("Marcus Lee", "yes", "SALE"),
    ]
    assert rows[2]["extension"] == "12" and rows[0]["phone"] == "+15125550134"
    assert rows[0]["started_at"].endswith("+00:00") and rows[0]["script"] == "saas-discovery"


def test_kill_9_loses_no_outcome_and_the_next_session_resumes(imported_db: Path) -> None:
    term = Terminal(dialsmile("session", "--list", "Q4"), env_for(imported_db))
    term.wait_for("Whitfield")
    term.keys("n")
    term.wait_for("Raman")  # shown only after Dana's outcome was committed
    os.killpg(term.proc.pid, signal.SIGKILL)
    term.close()
    with sqlite3.connect(imported_db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT outcome FROM attempts").fetchall() == [("no",)]
    again = Terminal(dialsmile("session", "--list", "Q4"), env_for(imported_db))
    again.wait_for("lead 2/5")
    again.wait_for("Raman")
    again.keys("q")
    assert again.close() == 0


def test_a_closed_terminal_ends_the_session(imported_db: Path) -> None:
    # The window is closed: the terminal hangs up. The app ends instead of
    # waiting for keys for ever; the outcome already made is kept.
    term = Terminal(dialsmile("session", "--list", "Q4"), env_for(imported_db))
    term.wait_for("Whitfield")
    term.keys("n")
    term.wait_for("Raman")
    os.close(term.master)
    term.proc.wait(timeout=20)
    with sqlite3.connect(imported_db) as conn:
        assert conn.execute("SELECT outcome FROM attempts").fetchall() == [("no",)]


def test_chunk_sets_the_leads_per_chunk(imported_db: Path) -> None:
    term = Terminal(dialsmile("session", "--list", "Q4", "--chunk", "2"), env_for(imported_db))
    term.wait_for("Chunk 1/3 · lead 1/2")  # five open leads in chunks of two
    term.keys("n")
    term.wait_for("Chunk 1/3 · lead 2/2")
    term.keys("q")
    assert term.close() == 0
    with sqlite3.connect(imported_db) as conn:
        assert conn.execute("SELECT chunk_size FROM sessions").fetchall() == [(2,)]


def test_quitting_lets_the_lead_on_screen_go_to_another_rep(imported_db: Path) -> None:
    # A lead shown is the rep's alone; when they quit it returns to the floor at
    # once, not when the claim runs out 15 minutes later.
    term = Terminal(
        dialsmile("session", "--list", "Q4"), {**env_for(imported_db), "DIALSMILE_REP": "ana"}
    )
    term.wait_for("Whitfield")
    term.keys("q")
    assert term.close() == 0
    ben = subprocess.run(
        dialsmile("--rep", "ben", "next", "--list", "Q4", "--json"),
        env=env_for(imported_db),
        capture_output=True,
        text=True,
    )
    assert ben.returncode == 0, ben.stderr
    assert json.loads(ben.stdout)["name"] == "Dana Whitfield"
