"""The real `dialsmile floor` on a terminal (a pty): live, redrawn by another rep's call."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_terminal_session import (  # noqa: F401 - kills what a test left running
    Terminal,
    _no_child_outlives_its_test,
    dialsmile,
    env_for,
)
from tests.ui.conftest import LEADS

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")


def test_the_board_on_a_terminal_shows_a_claim_made_elsewhere_and_quits_on_q(
    tmp_path: Path,
) -> None:
    db = tmp_path / "floor.db"
    env = env_for(db)
    leads = tmp_path / "leads.csv"
    leads.write_text(LEADS, encoding="utf-8")
    subprocess.run(
        dialsmile("import", str(leads), "--list", "Q4"), env=env, check=True, capture_output=True
    )
    term = Terminal(dialsmile("floor", "--list", "Q4"), env)
    term.wait_for("q quits")
    claimed = subprocess.run(
        dialsmile("--rep", "ann", "next"), env=env, capture_output=True, text=True, check=True
    )
    assert "Dana Whitfield" in claimed.stdout
    term.wait_for("Dana Whitfield", timeout=15)  # no key pressed: the board heard it
    term.keys("q")
    assert term.close() == 0
