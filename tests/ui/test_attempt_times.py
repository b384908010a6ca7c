"""Every call has a start, an end and a duration, dialed with space or not."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path

from dialsmile.config import Clock, Settings
from dialsmile.core.scripts import load_script
from dialsmile.core.session import CallSession
from dialsmile.ui.app import make_app
from tests.conftest import NOW, OpenStores, RunCli
from tests.ui.conftest import build_db, wait_until


class StepClock(Clock):
    """A clock that moves only when the test moves it."""

    def __init__(self, start: datetime) -> None:
        super().__init__(start, running=False)
        self.at = start

    def now(self) -> datetime:
        return self.at


async def test_calls_with_and_without_the_dial_key_are_timed(
    tmp_path: Path, run_cli: RunCli, stores: OpenStores
) -> None:
    db_file = build_db(tmp_path)
    opened = stores(db_file)
    clock = StepClock(datetime.fromisoformat(NOW))
    session = CallSession(
        opened, opened.lists.get_list("Q4"), Settings(), clock, script=load_script("saas-discovery")
    )
    app = make_app(session, "America/Chicago")
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_until(pilot, lambda: session.current is not None)
        clock.at += timedelta(seconds=7)
        await pilot.press("n")  # no dial key: timed from the lead appearing
        await wait_until(pilot, lambda: session.current is not None)
        clock.at += timedelta(seconds=5)
        await pilot.press("space")
        clock.at += timedelta(seconds=30)
        await pilot.press("a")  # dialed: timed from the dial key
        await pilot.pause()

    out = tmp_path / "session.csv"
    assert run_cli("export", "session", "latest", "-o", str(out), db=db_file).exit_code == 0
    with out.open(encoding="utf-8", newline="") as f:
        rows = [
            {k: row[k] for k in ("started_at", "ended_at", "duration_s", "dialed", "outcome")}
            for row in csv.DictReader(f)
        ]
    assert rows == [
        {
            "started_at": "2026-11-25T16:15:00+00:00",
            "ended_at": "2026-11-25T16:15:07+00:00",
            "duration_s": "7.0",
            "dialed": "no",
            "outcome": "no",
        },
        {
            "started_at": "2026-11-25T16:15:12+00:00",
            "ended_at": "2026-11-25T16:15:42+00:00",
            "duration_s": "30.0",
            "dialed": "yes",
            "outcome": "no-answer",
        },
    ]
    # Time to dial: 7 s to the outcome key without space, 5 s to the dial key.
    stats = json.loads(run_cli("stats", "--json", "--days", "1", db=db_file).stdout)
    assert stats["totals"]["median_time_to_dial_s"] == 6.0
