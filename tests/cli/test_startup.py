"""What `dialsmile session` loads before its first lead is on screen, run as a rep runs it:
in a terminal (a pseudo-terminal), through the command line."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunCli

LEADS = "Name,Phone,State\n" + "".join(f"Lead {n},(512) 555-{n:04d},TX\n" for n in range(100, 300))

# Runs the real command line; the moment the session screen has put its first
# lead on screen, and before anything it starts after that, it writes down what
# is loaded and exits.
PROBE = """
import gc, json, os, sys
import dialsmile.ui.app as app_module
from phonenumbers import PhoneMetadata

shown = app_module.DialsmileApp._session_screen

def session_screen(app, session):
    screen = shown(app, session)
    mounted = type(screen).on_mount

    def on_mount(self):
        mounted(self)  # the first lead is rendered; what follows waits for the frame
        with open(os.environ["PROBE_OUT"], "w") as out:
            json.dump({
                "modules": sorted(sys.modules),
                "phone_regions": sorted(PhoneMetadata._region_metadata),
                "header": str(self.query_one("#header").render()),
                "collecting": gc.isenabled(),
            }, out)
        os._exit(0)

    type(screen).on_mount = on_mount
    return screen

app_module.DialsmileApp._session_screen = session_screen
from dialsmile.cli import main
main()
"""

# Loaded only after the first lead is painted (the warm-up worker), or by other commands.
NOT_BEFORE_THE_FIRST_LEAD = [
    "sqlite_utils",  # the stores only execute SQL (dialsmile.storage.db.Database)
    "dateutil.parser",
    "holidays",  # a holiday calendar loads when a window needs one
    "babel",
    "pycountry",
    "importlib.metadata",
    "importlib.resources",  # the rule files are read from the cache or their path
    "dialsmile.ui.screens.modals",  # callback, note, pause, why, help, break
    "dialsmile.ui.screens.override",
    "dialsmile.ui.screens.summary",
    "dialsmile.core.when",  # the callback box's time parser
    "textual.widgets._text_area",  # the note box
    "dialsmile.io.export",  # the intro email's file
    "dialsmile.io.importer",
    "dialsmile.core.script_lint",  # bundled packs are checked by the tests
    # The command line's lazy group loads only the invoked command's module.
    "dialsmile.commands.importing",
    "dialsmile.commands.demo",
    "dialsmile.commands.scripts",
    "dialsmile.commands.practice",
    "dialsmile.commands.compliance",
    "dialsmile.commands.stats",  # the summary, after the session
    "dialsmile.commands.serve",
    "dialsmile.commands.floor",
    "dialsmile.ui.floor_app",
    "dialsmile.ui.practice_app",
    "psycopg",  # a SQLite file opens no PostgreSQL driver
]


def is_in(module: str, package: str) -> bool:
    """True when ``module`` is ``package`` or one of its submodules."""
    return module == package or module.startswith(f"{package}.")


def first_lead(args: list[str], env: dict[str, str], out: Path) -> dict[str, Any]:
    """Run ``dialsmile ARGS`` on a pseudo-terminal until its first lead is on screen."""
    master, slave = pty.openpty()
    env = {**env, "PROBE_OUT": str(out), "TERM": "xterm-256color"}
    proc = subprocess.Popen(
        [sys.executable, "-c", PROBE, *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    seen = b""
    end = time.monotonic() + 120
    try:
        while proc.poll() is None and time.monotonic() < end:
            if select.select([master], [], [], 0.2)[0]:
                try:
                    seen += os.read(master, 1 << 16)
                except OSError:
                    break
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        os.close(master)
    assert out.is_file(), f"no lead on screen; the terminal shows: {seen[-600:]!r}"
    found: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return found


@pytest.fixture
def probed(run_cli: RunCli, tmp_path: Path, db_path: Path) -> dict[str, Any]:
    leads = tmp_path / "austin.csv"
    leads.write_text(LEADS, encoding="utf-8")
    assert run_cli("import", str(leads), "--list", "Austin").exit_code == 0
    args = ["--db", str(db_path), "session", "--list", "Austin"]
    return first_lead(args, dict(os.environ), tmp_path / "probe.json")


def test_the_first_lead_is_painted_before_any_heavy_module_loads(
    probed: dict[str, Any],
) -> None:
    assert "List: Austin · Chunk 1/8 · lead 1/25" in probed["header"]
    loaded = probed["modules"]
    early = [m for m in NOT_BEFORE_THE_FIRST_LEAD if any(is_in(name, m) for name in loaded)]
    assert early == []
    # Reading every region's phone metadata (about 250) cost a start about 35 ms.
    assert probed["phone_regions"] == ["US"]
    # Collections walking what loads for the first lead cost a start about 60 ms.
    assert probed["collecting"] is False
