"""`dialsmile serve` in a real browser: headless Chromium loads the page, keys reach the
session, the next prospect is drawn and the outcome is in the database."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import NOW, RunCli, import_json

CHROMIUM = "/usr/bin/chromium"  # Debian's package: no browser download
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).is_file(), reason="Chromium is not installed (apt-get install chromium)"
)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LEADS = (
    "Name,Company,Phone\n"
    "Dana Whitfield,Initech,(512) 555-0134\n"
    "Omar Haddad,Globex,(212) 555-0188\n"
    "Priya Raman,Hooli,(312) 555-0144\n"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"serve ended early: {process.stdout.read() if process.stdout else ''!r}"
            )
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"serve did not listen on port {port} within {seconds} s")


@pytest.fixture
def served(run_cli: RunCli, tmp_path: Path, db_path: Path) -> Iterator[str]:
    """`dialsmile serve session --list L` on a free port; its URL."""
    source = tmp_path / "leads.csv"
    source.write_text(LEADS, encoding="utf-8")
    import_json(run_cli, source, "--list", "L")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "dialsmile", "--db", str(db_path), "serve", "--port", str(port),
         "session", "--list", "L"],
        env={**os.environ, "DIALSMILE_NOW": NOW},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its app processes end with it
    )  # fmt: skip
    try:
        wait_for_port(port, process, 15)
        yield f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def outcomes(db_path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(
            "SELECT d.name, a.outcome FROM attempts a JOIN leads d ON d.id = a.lead_id ORDER BY a.id"
        ).fetchall()


def test_a_session_in_the_browser(served: str, db_path: Path) -> None:
    drawn: list[str] = []  # the terminal output the page received and drew

    def on_frame(payload: str | bytes) -> None:
        drawn.append(payload if isinstance(payload, str) else payload.decode("utf-8", "replace"))

    def wait_for(text: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text in "".join(drawn):
                return
            page.wait_for_timeout(100)
        raise AssertionError(f"{text!r} was not drawn within {seconds} s")

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
            page.goto(served)
            wait_for("Dana Whitfield", 15)
            assert outcomes(db_path) == []
            page.locator("body").click()
            drawn.clear()
            page.keyboard.press("n")  # no
            wait_for("Omar Haddad", 5)
            page.keyboard.press("v")  # voicemail
            wait_for("Priya Raman", 5)
        finally:
            browser.close()
    assert outcomes(db_path) == [("Dana Whitfield", "no"), ("Omar Haddad", "voicemail")]
